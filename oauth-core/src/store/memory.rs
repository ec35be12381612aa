use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::Token;
use crate::store::{BlockingTokenStore, Lease, StoreError, StoredToken, Swap, TokenStore};

/// A store in this process's memory: the default, and a way for several
/// caches in one process to share one token (give them clones of one `Arc`).
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    stored: Option<StoredToken>,
    lease: Option<(u64, Instant)>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `token` at version 1.
    pub fn with_token(token: Arc<Token>) -> Self {
        let store = Self::new();
        store.with_state(|state| state.stored = Some(StoredToken::new(1, token)));
        store
    }

    fn with_state<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl BlockingTokenStore for MemoryStore {
    fn load(&self) -> Result<Option<StoredToken>, StoreError> {
        Ok(self.with_state(|state| state.stored.clone()))
    }

    fn compare_and_set(
        &self,
        expected: Option<u64>,
        token: Arc<Token>,
    ) -> Result<Swap, StoreError> {
        Ok(self.with_state(|state| {
            let current = state.stored.as_ref().map(StoredToken::version);
            match (&state.stored, current == expected) {
                (Some(stored), false) => Swap::Conflict(stored.clone()),
                _ => {
                    let version = current.unwrap_or(0).max(expected.unwrap_or(0)) + 1;
                    state.stored = Some(StoredToken::new(version, token));
                    Swap::Stored { version }
                }
            }
        }))
    }

    fn acquire_lease(&self, ttl: Duration) -> Result<Option<Lease>, StoreError> {
        let now = Instant::now();
        Ok(self.with_state(|state| match state.lease {
            Some((_, until)) if now < until => None,
            _ => {
                let id = fastrand::u64(..);
                state.lease = Some((id, now + ttl));
                Some(Lease::new(id))
            }
        }))
    }

    fn release_lease(&self, lease: Lease) -> Result<(), StoreError> {
        self.with_state(|state| {
            if state.lease.is_some_and(|(id, _)| id == lease.id()) {
                state.lease = None;
            }
        });
        Ok(())
    }
}

#[async_trait]
impl TokenStore for MemoryStore {
    async fn load(&self) -> Result<Option<StoredToken>, StoreError> {
        BlockingTokenStore::load(self)
    }

    async fn compare_and_set(
        &self,
        expected: Option<u64>,
        token: Arc<Token>,
    ) -> Result<Swap, StoreError> {
        BlockingTokenStore::compare_and_set(self, expected, token)
    }

    async fn acquire_lease(&self, ttl: Duration) -> Result<Option<Lease>, StoreError> {
        BlockingTokenStore::acquire_lease(self, ttl)
    }

    async fn release_lease(&self, lease: Lease) -> Result<(), StoreError> {
        BlockingTokenStore::release_lease(self, lease)
    }
}
