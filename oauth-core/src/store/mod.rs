//! The storage seam: where a cache's token lives, so several caches (in one
//! process or many) can share one token and one renewal.
//!
//! A [`TokenStore`] (or [`BlockingTokenStore`]) holds one [`StoredToken`]:
//! the token, refresh token included, with a version the store assigns. A
//! cache keeps its own copy for the hot path and talks to the store only when
//! it renews:
//!
//! 1. it takes the renewal **lease** ([`acquire_lease`](TokenStore::acquire_lease));
//!    if another holder has it, a cache whose token is still valid keeps
//!    serving it and looks again later, and a cache with no usable token
//!    polls the store until the other holder's token appears or the lease
//!    runs out (a store that can tell when that happens wakes it early:
//!    [`wait_for_change`](TokenStore::wait_for_change));
//! 2. it **loads** the stored token: a usable token newer than its own was
//!    renewed elsewhere and is adopted with no request;
//! 3. otherwise it renews, and **compare-and-sets** the new token against the
//!    version it started from; on a conflict the stored token wins;
//! 4. it releases the lease.
//!
//! A store error never fails a caller: the cache logs it and renews on its
//! own. A renewal whose task is dropped (its runtime shut down) does not
//! release its lease; the lease's time limit ([`RefreshPolicy::lease`](crate::RefreshPolicy::lease))
//! does.
//!
//! [`MemoryStore`] is the default, one per cache unless given to several. A
//! store shared between processes implements the same operations; it must
//! keep tokens encrypted at rest and the lease atomic. `RedisStore` (feature
//! `redis`) is one: `SET NX PX` and a compare-and-delete for the lease, a
//! script for the compare-and-set, pub/sub for the wake-up, AES-256-GCM at rest.

mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::Token;

#[cfg(feature = "redis")]
pub use self::redis::{RedisStore, RedisStoreBuilder};
pub use memory::MemoryStore;

/// A token as a store holds it, with the version the store gave it.
#[derive(Clone, Debug)]
pub struct StoredToken {
    version: u64,
    token: Arc<Token>,
}

impl StoredToken {
    /// `token` at `version`; versions grow with every successful compare-and-set.
    pub fn new(version: u64, token: Arc<Token>) -> Self {
        Self { version, token }
    }

    /// The version the store gave this token.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The token, refresh token included.
    pub fn token(&self) -> &Arc<Token> {
        &self.token
    }
}

/// The right to renew, held by one cache at a time; the store makes it.
#[derive(Debug, PartialEq, Eq)]
pub struct Lease {
    id: u64,
}

impl Lease {
    /// A lease the store knows by `id` (a random value, so that only its holder can release it).
    pub fn new(id: u64) -> Self {
        Self { id }
    }

    /// The store's name for the lease.
    pub fn id(&self) -> u64 {
        self.id
    }
}

/// What a compare-and-set did.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Swap {
    /// The token is stored, at this version.
    Stored {
        /// The new version.
        version: u64,
    },
    /// Another token was stored since the expected version; it is returned and kept.
    Conflict(StoredToken),
}

/// A store could not do what was asked; the cache carries on without it.
#[derive(Debug)]
pub struct StoreError {
    source: Box<dyn StdError + Send + Sync>,
    reported: bool,
}

impl StoreError {
    /// Wraps the store's own error; its message must not quote a token.
    pub fn new(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self {
            source: source.into(),
            reported: false,
        }
    }

    /// An error the store has logged itself (an outage it warns about once
    /// per interval, say), so the cache only logs it at debug level.
    pub fn reported(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self {
            source: source.into(),
            reported: true,
        }
    }

    /// Whether the store has already logged this error.
    pub fn is_reported(&self) -> bool {
        self.reported
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the token store failed: {}", self.source)
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Where an async [`TokenCache`](crate::TokenCache) keeps its token. Object safe.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// The stored token, if any.
    async fn load(&self) -> Result<Option<StoredToken>, StoreError>;

    /// Stores `token` if the stored version is still `expected` (`None`: nothing stored).
    async fn compare_and_set(
        &self,
        expected: Option<u64>,
        token: Arc<Token>,
    ) -> Result<Swap, StoreError>;

    /// Takes the renewal lease for `ttl`; `Ok(None)` while another holder has it.
    async fn acquire_lease(&self, ttl: Duration) -> Result<Option<Lease>, StoreError>;

    /// Gives the lease back, if it is still `lease`.
    async fn release_lease(&self, lease: Lease) -> Result<(), StoreError>;

    /// Waits until the stored token or the lease may have changed, or `within`
    /// passes, for a cache waiting on another holder; `false` when this store
    /// cannot tell (the cache then sleeps `within`), which is the default.
    async fn wait_for_change(&self, within: Duration) -> bool {
        let _ = within;
        false
    }
}

/// Where a [`blocking::TokenCache`](crate::blocking::TokenCache) keeps its
/// token; the same operations as [`TokenStore`], on the calling thread.
pub trait BlockingTokenStore: Send + Sync {
    /// The stored token, if any.
    fn load(&self) -> Result<Option<StoredToken>, StoreError>;

    /// Stores `token` if the stored version is still `expected` (`None`: nothing stored).
    fn compare_and_set(&self, expected: Option<u64>, token: Arc<Token>)
    -> Result<Swap, StoreError>;

    /// Takes the renewal lease for `ttl`; `Ok(None)` while another holder has it.
    fn acquire_lease(&self, ttl: Duration) -> Result<Option<Lease>, StoreError>;

    /// Gives the lease back, if it is still `lease`.
    fn release_lease(&self, lease: Lease) -> Result<(), StoreError>;

    /// Waits until the stored token or the lease may have changed, or `within`
    /// passes; `false` when this store cannot tell (the default).
    fn wait_for_change(&self, within: Duration) -> bool {
        let _ = within;
        false
    }
}
