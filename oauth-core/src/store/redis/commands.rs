//! The store's Redis commands as data, built once and sent by either
//! connection, and their replies read into what they mean.
//!
//! The entry is a hash: `v`, its version, and `t`, the sealed token. Versions
//! are chosen by the writer and checked by a script, so a compare-and-set is
//! one atomic step; every change is announced on the entry's channel.

use std::sync::LazyLock;
use std::time::Duration;

use redis::{Cmd, Script, ScriptInvocation, Value};

use super::identity::Identity;

/// Stores a token if the entry is absent or still at the expected version;
/// otherwise returns the entry as it is. A value that is not an entry counts as absent.
static SWAP: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'hash' and kind ~= 'none' then
  redis.call('DEL', KEYS[1])
end
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) and current ~= ARGV[1] then
  return {current, redis.call('HGET', KEYS[1], 't')}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[3])
if tonumber(ARGV[4]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
redis.call('PUBLISH', ARGV[5], ARGV[2])
return 1",
    )
});

/// Gives the lease back if the caller still holds it, and wakes the waiters.
static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], 'released')
return 1",
    )
});

/// An entry as Redis holds it: its version and its sealed token.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) version: u64,
    pub(crate) envelope: Vec<u8>,
}

/// Reads the entry.
pub(crate) fn load(identity: &Identity) -> Cmd {
    let mut command = redis::cmd("HMGET");
    command.arg(&identity.entry).arg("v").arg("t");
    command
}

/// The entry in a [`load`] reply; `None` when it is absent or not one of ours.
pub(crate) fn loaded(reply: (Option<String>, Option<Vec<u8>>)) -> Option<Entry> {
    let (version, envelope) = reply;
    Some(Entry {
        version: version?.parse().ok()?,
        envelope: envelope?,
    })
}

/// Stores `envelope` at `version` if the entry is absent or at `expected`;
/// it expires after `ttl` (never when `None`).
pub(crate) fn swap(
    identity: &Identity,
    expected: Option<u64>,
    version: u64,
    envelope: &[u8],
    ttl: Option<Duration>,
) -> ScriptInvocation<'static> {
    let mut invocation = SWAP.prepare_invoke();
    invocation
        .key(&identity.entry)
        .arg(
            expected
                .map(|expected| expected.to_string())
                .unwrap_or_default(),
        )
        .arg(version)
        .arg(envelope)
        .arg(ttl.map_or(0, |ttl| millis(ttl).max(1)))
        .arg(&identity.channel);
    invocation
}

/// What a [`swap`] did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Swapped {
    Stored,
    /// Another version is stored; `None` when it is not one of ours.
    Conflict(Option<Entry>),
}

impl Swapped {
    pub(crate) fn from_reply(reply: Value) -> Self {
        let Value::Array(parts) = reply else {
            return Self::Stored;
        };
        let mut parts = parts.into_iter();
        let (Some(version), Some(envelope)) = (parts.next(), parts.next()) else {
            return Self::Conflict(None);
        };
        let version = redis::from_redis_value::<Option<String>>(version)
            .ok()
            .flatten();
        let envelope = redis::from_redis_value::<Option<Vec<u8>>>(envelope)
            .ok()
            .flatten();
        Self::Conflict(loaded((version, envelope)))
    }
}

/// Takes the lease if nobody holds it; it expires by itself after `ttl`.
pub(crate) fn acquire(identity: &Identity, holder: u64, ttl: Duration) -> Cmd {
    let mut command = redis::cmd("SET");
    command
        .arg(&identity.lease)
        .arg(holder)
        .arg("NX")
        .arg("PX")
        .arg(millis(ttl).max(1));
    command
}

/// Whether [`acquire`] took the lease: `OK`, or nil when it is held.
pub(crate) fn acquired(reply: &Value) -> bool {
    matches!(reply, Value::Okay)
}

/// Releases the lease if `holder` still has it.
pub(crate) fn release(identity: &Identity, holder: u64) -> ScriptInvocation<'static> {
    let mut invocation = RELEASE.prepare_invoke();
    invocation
        .key(&identity.lease)
        .arg(holder)
        .arg(&identity.channel);
    invocation
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
