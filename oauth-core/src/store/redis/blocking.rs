//! The store driven from threads, with no async runtime: one blocking
//! connection for commands, a pub/sub connection while waiting on another process.

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use redis::{Cmd, Connection, FromRedisValue, RedisResult, ScriptInvocation, Value};

use super::commands::{self, Swapped as Reply};
use super::{RedisStore, Shared, Unavailable, new_holder};
use crate::Token;
use crate::store::{BlockingTokenStore, Lease, StoreError, StoredToken, Swap};

impl BlockingTokenStore for RedisStore {
    fn load(&self) -> Result<Option<StoredToken>, StoreError> {
        let shared = &*self.shared;
        let reply = shared.query_blocking(&commands::load(&shared.identity))?;
        Ok(commands::loaded(reply).and_then(|entry| shared.open(entry)))
    }

    fn compare_and_set(
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
            match Reply::from_reply(shared.invoke_blocking::<Value>(&swap)?) {
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

    fn acquire_lease(&self, ttl: Duration) -> Result<Option<Lease>, StoreError> {
        let shared = &*self.shared;
        let holder = new_holder();
        let reply =
            shared.query_blocking::<Value>(&commands::acquire(&shared.identity, holder, ttl))?;
        Ok(commands::acquired(&reply).then(|| Lease::new(holder)))
    }

    fn release_lease(&self, lease: Lease) -> Result<(), StoreError> {
        let shared = &*self.shared;
        shared.invoke_blocking::<i64>(&commands::release(&shared.identity, lease.id()))?;
        Ok(())
    }

    /// Subscribes to the entry's channel: a write or a released lease ends the wait.
    fn wait_for_change(&self, within: Duration) -> bool {
        let shared = &*self.shared;
        if shared.check_reachable().is_err() {
            return false;
        }
        let Ok(mut connection) = shared.connect() else {
            return false;
        };
        let mut pubsub = connection.as_pubsub();
        if pubsub.subscribe(&shared.identity.channel).is_err() {
            return false;
        }
        // A zero read timeout is refused: wait at least a millisecond.
        let waited = pubsub
            .set_read_timeout(Some(within.max(Duration::from_millis(1))))
            .and_then(|()| pubsub.get_message());
        waited.is_ok() || waited.is_err_and(|error| error.is_timeout())
    }
}

impl Shared {
    fn query_blocking<T: FromRedisValue>(&self, command: &Cmd) -> Result<T, Unavailable> {
        self.exchange(|connection| command.query(connection))
    }

    fn invoke_blocking<T: FromRedisValue>(
        &self,
        invocation: &ScriptInvocation<'_>,
    ) -> Result<T, Unavailable> {
        self.exchange(|connection| invocation.invoke(connection))
    }

    /// Runs one exchange on the blocking connection, if Redis is worth asking,
    /// connecting first if needed, and records how it went.
    fn exchange<T>(
        &self,
        run: impl FnOnce(&mut Connection) -> RedisResult<T>,
    ) -> Result<T, Unavailable> {
        self.check_reachable()?;
        let mut slot = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let result = match slot.take() {
            Some(mut connection) => run(&mut connection).map(|value| (value, connection)),
            None => self
                .connect()
                .and_then(|mut connection| run(&mut connection).map(|value| (value, connection))),
        };
        let outcome = match result {
            Ok((value, connection)) => {
                *slot = Some(connection);
                Ok(value)
            }
            // The connection may be half-read: it is dropped, never reused.
            Err(error) if error.is_timeout() => Err(Unavailable::TimedOut),
            Err(error) => Err(Unavailable::Redis(error)),
        };
        drop(slot);
        self.record(outcome)
    }

    /// A new blocking connection whose every read and write is bounded.
    fn connect(&self) -> RedisResult<Connection> {
        let connection = self
            .client
            .get_connection_with_timeout(self.settings.connect_timeout)?;
        connection.set_read_timeout(Some(self.settings.command_timeout))?;
        connection.set_write_timeout(Some(self.settings.command_timeout))?;
        Ok(connection)
    }
}
