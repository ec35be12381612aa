//! The token store shared by a fleet, on Redis: each process keeps its own
//! copy, and Redis holds the fleet's latest token, sealed, beside the lease
//! that lets one process at a time renew it.

mod asynchronous;
mod availability;
mod blocking;
mod commands;
mod identity;
mod seal;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use self::availability::{Availability, Report};
use self::commands::Entry;
use self::identity::Identity;
use self::seal::{SealFailed, Sealer};
use crate::store::{StoreError, StoredToken};
use crate::{ConfigError, Error, Secret, Token, TokenEndpoint, TokenRequest};

/// A token store shared by every process that uses the same provider
/// configuration, on Redis (feature `redis`).
///
/// - **Two levels.** Each process serves its own copy; Redis is read only when
///   that copy is missing or due for renewal, so a token renewed by another
///   process is picked up before this one asks the provider.
/// - **Single flight across processes.** Only the holder of a lease
///   (`SET NX PX` with a random value, released by compare-and-delete) asks the
///   provider, with the fleet's latest refresh token; the others wait for its
///   result (pub/sub, with polling as the fallback). The lease expires by itself,
///   so a holder that crashed delays the others by one lease at most.
/// - **Keys.** `<prefix>:<provider>:<id>`, where the id derives from the
///   provider's whole configuration, secrets included: different credentials
///   never share an entry, and no secret appears in a key. The entry expires
///   with its token.
/// - **Encrypted at rest.** The entry (access token, refresh token, expiry,
///   scope, extras) is sealed with AES-256-GCM under a key derived with
///   HKDF-SHA256 from the provider's configuration and credentials, or from an
///   [explicit key](RedisStoreBuilder::encryption_key). An entry that does not
///   open is treated as absent.
/// - **Redis down or slow.** Commands time out after a few hundred milliseconds;
///   the process then renews on its own, warns at most once per
///   [interval](RedisStoreBuilder::warn_interval), and uses Redis again when it answers.
///
/// ```no_run
/// use std::sync::Arc;
///
/// use oauth_core::{HttpClient, RedisStore, TokenCache};
/// # use oauth_core::{Secret, TokenEndpoint};
/// # #[derive(TokenEndpoint)]
/// # #[token(base_url = "https://auth.example.com", path = "/token")]
/// # struct Acme { client_id: String, #[token(secret)] client_secret: Secret }
///
/// # fn run() -> Result<(), oauth_core::Error> {
/// let acme = Acme::new("id", "secret");
/// let store = RedisStore::builder("redis://127.0.0.1:6379/0").build(&acme)?;
/// let cache = TokenCache::builder(acme, HttpClient::new()?)
///     .store(Arc::new(store))
///     .build();
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    shared: Arc<Shared>,
}

/// Configures a [`RedisStore`].
#[must_use]
pub struct RedisStoreBuilder {
    client: Result<redis::Client, ConfigError>,
    prefix: String,
    encryption_key: Option<Secret>,
    settings: Settings,
}

/// The timings every operation follows.
#[derive(Clone, Copy, Debug)]
struct Settings {
    connect_timeout: Duration,
    command_timeout: Duration,
    warn_interval: Duration,
}

impl RedisStore {
    /// The key prefix unless [`RedisStoreBuilder::key_prefix`] sets another.
    pub const DEFAULT_PREFIX: &'static str = "oauth-token";
    /// How long connecting to Redis may take by default.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(250);
    /// How long one command may take by default.
    pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_millis(250);
    /// How often an outage is logged at most, by default.
    pub const DEFAULT_WARN_INTERVAL: Duration = Duration::from_secs(60);

    /// Starts configuring a store on the Redis server at `url`
    /// (`redis://host:port/db`, `redis://:password@host`, `redis+unix:///path`).
    pub fn builder(url: &str) -> RedisStoreBuilder {
        RedisStoreBuilder {
            // The URL may carry a password: the error does not quote it.
            client: redis::Client::open(url).map_err(|_| ConfigError::InvalidStoreUrl),
            prefix: String::from(Self::DEFAULT_PREFIX),
            encryption_key: None,
            settings: Settings {
                connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
                command_timeout: Self::DEFAULT_COMMAND_TIMEOUT,
                warn_interval: Self::DEFAULT_WARN_INTERVAL,
            },
        }
    }

    /// The Redis key that holds the shared entry (no secret in it).
    pub fn entry_key(&self) -> &str {
        &self.shared.identity.entry
    }

    /// Whether Redis answered the last exchange (`true` before the first):
    /// `false` means the cache is renewing on its own.
    pub fn answered(&self) -> bool {
        self.shared.availability().is_up()
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("entry", &self.shared.identity.entry)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

impl RedisStoreBuilder {
    /// Prefixes every key (`oauth-token` by default), to keep applications apart in one database.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Seals entries under this key instead of one derived from the provider's
    /// credentials: for providers whose credentials are weak or absent. Any
    /// length; use at least 32 random bytes. Every process must use the same key.
    pub fn encryption_key(mut self, key: impl Into<Secret>) -> Self {
        self.encryption_key = Some(key.into());
        self
    }

    /// How long connecting and each command may take before Redis counts as
    /// down for the call. Defaults 250 milliseconds each.
    pub fn timeouts(mut self, connect: Duration, command: Duration) -> Self {
        self.settings.connect_timeout = connect.max(Duration::from_millis(1));
        self.settings.command_timeout = command.max(Duration::from_millis(1));
        self
    }

    /// Logs an outage at most once per `interval`. Default 1 minute.
    pub fn warn_interval(mut self, interval: Duration) -> Self {
        self.settings.warn_interval = interval;
        self
    }

    /// The store for `provider`'s tokens; nothing is sent to Redis yet, so a
    /// server that is down now does not stop the store from being built.
    pub fn build<P: TokenEndpoint + ?Sized>(self, provider: &P) -> Result<RedisStore, Error> {
        let client = self.client?;
        let identity = Identity::derive(
            &self.prefix,
            provider.provider_name(),
            &configuration_request(provider)?,
            self.encryption_key.as_ref(),
        );
        let sealer = Sealer::new(&identity.seal_key, &identity.entry);
        Ok(RedisStore {
            shared: Arc::new(Shared {
                client,
                identity,
                sealer,
                settings: self.settings,
                availability: Mutex::default(),
                manager: Mutex::default(),
                connection: Mutex::default(),
            }),
        })
    }
}

/// The token request as a configuration's name: the same bytes in every
/// process, even for a provider that signs a fresh assertion for each request.
fn configuration_request<P: TokenEndpoint + ?Sized>(provider: &P) -> Result<TokenRequest, Error> {
    #[cfg(feature = "jwt")]
    return provider.build_request_in(provider.token_url()?, &crate::RequestContext::identity());
    #[cfg(not(feature = "jwt"))]
    return provider.build_request();
}

/// Everything the async and blocking drivers share.
struct Shared {
    client: redis::Client,
    identity: Identity,
    sealer: Sealer,
    settings: Settings,
    availability: Mutex<Availability>,
    /// The async connection, made on first use from async code.
    manager: Mutex<Option<redis::aio::ConnectionManager>>,
    /// The blocking connection, made on first use from blocking code.
    connection: Mutex<Option<redis::Connection>>,
}

/// Why the store could not do what was asked; the cache carries on without it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unavailable {
    /// Redis failed a moment ago and is left alone for a while.
    #[error("Redis is not asked for a moment after failing")]
    Paused,
    #[error("Redis did not answer in time")]
    TimedOut,
    #[error("Redis failed: {0}")]
    Redis(#[source] redis::RedisError),
    #[error(transparent)]
    Seal(#[from] SealFailed),
    /// The entry's key holds something this store cannot replace.
    #[error("the shared entry could not be written")]
    Unwritable,
}

impl From<Unavailable> for StoreError {
    fn from(unavailable: Unavailable) -> Self {
        match unavailable {
            // An outage is warned about by the store, once per interval.
            Unavailable::Paused | Unavailable::TimedOut | Unavailable::Redis(_) => {
                Self::reported(unavailable)
            }
            Unavailable::Seal(_) | Unavailable::Unwritable => Self::new(unavailable),
        }
    }
}

impl From<SealFailed> for StoreError {
    fn from(failed: SealFailed) -> Self {
        Self::new(Unavailable::Seal(failed))
    }
}

impl Shared {
    /// Fails at once while Redis is paused after a failure.
    fn check_reachable(&self) -> Result<(), Unavailable> {
        if self.availability().should_try(Instant::now()) {
            Ok(())
        } else {
            Err(Unavailable::Paused)
        }
    }

    /// Records how an exchange with Redis went, warning about an outage at most once per interval.
    fn record<T>(&self, outcome: Result<T, Unavailable>) -> Result<T, Unavailable> {
        match &outcome {
            Ok(_) => {
                if self.availability().answered() {
                    tracing::info!(entry = %self.identity.entry, "the shared token store (Redis) answers again");
                }
            }
            Err(error) => {
                let report = self
                    .availability()
                    .failed(Instant::now(), self.settings.warn_interval);
                if report == Report::Warn {
                    tracing::warn!(
                        entry = %self.identity.entry,
                        %error,
                        "the shared token store (Redis) did not answer; this process renews on its own until it does"
                    );
                }
            }
        }
        outcome
    }

    fn availability(&self) -> MutexGuard<'_, Availability> {
        self.availability
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens an entry; one that does not open counts as no entry, and is logged.
    fn open(&self, entry: Entry) -> Option<StoredToken> {
        match self.sealer.open(&entry.envelope, entry.version) {
            Ok(token) => Some(StoredToken::new(entry.version, Arc::new(token))),
            Err(unreadable) => {
                tracing::warn!(
                    entry = %self.identity.entry,
                    reason = %unreadable,
                    "ignoring a shared token entry that does not open"
                );
                None
            }
        }
    }

    /// The token sealed at the version that follows `expected`, and how long it
    /// stays in Redis: as long as the token lives (forever if it never expires).
    fn sealed(
        &self,
        expected: Option<u64>,
        token: &Token,
    ) -> Result<(u64, Vec<u8>, Option<Duration>), SealFailed> {
        let version = next_version(expected, SystemTime::now());
        let envelope = self.sealer.seal(token, version)?;
        let ttl = token.expires_at().map(|at| {
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::from_millis(1))
        });
        Ok((version, envelope, ttl))
    }
}

/// Versions grow with every write, and follow the wall clock in milliseconds,
/// so an entry that expired and was written anew still reads as newer.
fn next_version(expected: Option<u64>, now: SystemTime) -> u64 {
    let millis = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        });
    expected.unwrap_or(0).saturating_add(1).max(millis)
}

/// A random lease value, unique to one renewal by one process.
fn new_holder() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        // Without the OS's randomness, the pid still sets processes apart.
        (u64::from(std::process::id()) << 32) ^ fastrand::u64(..)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_grow_and_follow_the_clock() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1_000_000);
        assert_eq!(next_version(None, now), 1_000_000);
        assert_eq!(next_version(Some(5), now), 1_000_000);
        assert_eq!(next_version(Some(2_000_000), now), 2_000_001);
        assert_eq!(next_version(Some(u64::MAX), now), u64::MAX);
    }
}
