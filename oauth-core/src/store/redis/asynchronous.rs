//! The store driven from async code: Redis's tokio connection manager for
//! commands, a pub/sub subscription while waiting on another process.

use std::future::Future;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Cmd, FromRedisValue, RedisError, ScriptInvocation, Value};

use super::commands::{self, Swapped as Reply};
use super::{RedisStore, Shared, Unavailable, new_holder};
use crate::Token;
use crate::store::{Lease, StoreError, StoredToken, Swap, TokenStore};

#[async_trait]
impl TokenStore for RedisStore {
    async fn load(&self) -> Result<Option<StoredToken>, StoreError> {
        let shared = &*self.shared;
        let reply = shared.query(&commands::load(&shared.identity)).await?;
        Ok(commands::loaded(reply).and_then(|entry| shared.open(entry)))
    }

    async fn compare_and_set(
        &self,
        expected: Option<u64>,
        token: Arc<Token>,
    ) -> Result<Swap, StoreError> {
        let shared = &*self.shared;
        let mut expected = expected;
        // At most twice: an entry in the way that does not open is replaced.
        for _ in 0..2 {
            let (version, envelope, ttl) = shared.sealed(expected, &token)?;
            let swap = commands::swap(&shared.identity, expected, version, &envelope, ttl);
            match Reply::from_reply(shared.invoke::<Value>(&swap).await?) {
                Reply::Stored => return Ok(Swap::Stored { version }),
                Reply::Conflict(Some(entry)) => {
                    let in_the_way = entry.version;
                    match shared.open(entry) {
                        Some(stored) => return Ok(Swap::Conflict(stored)),
                        None => expected = Some(in_the_way),
                    }
                }
                Reply::Conflict(None) => break,
            }
        }
        Err(Unavailable::Unwritable.into())
    }

    async fn acquire_lease(&self, ttl: Duration) -> Result<Option<Lease>, StoreError> {
        let shared = &*self.shared;
        let holder = new_holder();
        let reply = shared
            .query::<Value>(&commands::acquire(&shared.identity, holder, ttl))
            .await?;
        Ok(commands::acquired(&reply).then(|| Lease::new(holder)))
    }

    async fn release_lease(&self, lease: Lease) -> Result<(), StoreError> {
        let shared = &*self.shared;
        shared
            .invoke::<i64>(&commands::release(&shared.identity, lease.id()))
            .await?;
        Ok(())
    }

    /// Subscribes to the entry's channel: a write or a released lease ends the wait.
    async fn wait_for_change(&self, within: Duration) -> bool {
        let shared = &*self.shared;
        if shared.check_reachable().is_err() {
            return false;
        }
        let limit = shared.settings.connect_timeout + shared.settings.command_timeout;
        let subscription = async {
            let mut pubsub = shared.client.get_async_pubsub().await?;
            pubsub.subscribe(&shared.identity.channel).await?;
            Ok::<_, RedisError>(pubsub.into_on_message())
        };
        let Ok(Ok(mut messages)) = tokio::time::timeout(limit, subscription).await else {
            return false;
        };
        let _ = tokio::time::timeout(within, messages.next()).await;
        true
    }
}

impl Shared {
    async fn query<T: FromRedisValue>(&self, command: &Cmd) -> Result<T, Unavailable> {
        self.bounded(async {
            let mut connection = self.manager()?;
            command.query_async(&mut connection).await
        })
        .await
    }

    async fn invoke<T: FromRedisValue>(
        &self,
        invocation: &ScriptInvocation<'_>,
    ) -> Result<T, Unavailable> {
        self.bounded(async {
            let mut connection = self.manager()?;
            invocation.invoke_async(&mut connection).await
        })
        .await
    }

    /// Runs one exchange within the timeouts, if Redis is worth asking, and records how it went.
    async fn bounded<T>(
        &self,
        exchange: impl Future<Output = Result<T, RedisError>>,
    ) -> Result<T, Unavailable> {
        self.check_reachable()?;
        let limit = self.settings.connect_timeout + self.settings.command_timeout;
        let outcome = match tokio::time::timeout(limit, exchange).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) if !error.is_timeout() => Err(Unavailable::Redis(error)),
            Ok(Err(_)) | Err(_) => Err(Unavailable::TimedOut),
        };
        if outcome.is_err() {
            // A manager made on a runtime that has since stopped never answers: start over.
            *self.manager.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
        self.record(outcome)
    }

    /// The connection manager, made on first use; it reconnects by itself.
    fn manager(&self) -> Result<ConnectionManager, RedisError> {
        let mut slot = self.manager.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(manager) = &*slot {
            return Ok(manager.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.settings.connect_timeout))
            .set_response_timeout(Some(self.settings.command_timeout))
            .set_number_of_retries(1)
            .set_max_delay(self.settings.connect_timeout);
        let manager = ConnectionManager::new_lazy_with_config(self.client.clone(), config)?;
        *slot = Some(manager.clone());
        Ok(manager)
    }
}
