//! What building a request takes from outside the provider: the current time and fresh unique ids.

use std::fmt;
use std::time::SystemTime;

use crate::KeyError;

/// The inputs a token request depends on besides the provider: the time it is
/// built at and where unique ids (a JWT's `jti`) come from.
///
/// Building a request is a pure function of the provider and this context, so
/// a test that gives a fixed time and fixed ids can assert every claim of a
/// signed assertion. [`RequestContext::system`] is what a real fetch uses.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use oauth_core::RequestContext;
///
/// let ids = || String::from("id-1");
/// let context = RequestContext::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000), &ids);
/// assert_eq!(context.unique_id()?, "id-1");
/// # Ok::<(), oauth_core::KeyError>(())
/// ```
#[derive(Clone, Copy)]
pub struct RequestContext<'a> {
    now: SystemTime,
    ids: &'a dyn IdSource,
    identity: bool,
}

impl<'a> RequestContext<'a> {
    /// A context at `now`, drawing unique ids from `ids`.
    pub fn new(now: SystemTime, ids: &'a dyn IdSource) -> Self {
        Self {
            now,
            ids,
            identity: false,
        }
    }

    /// Whether requests built here only name a configuration (see [`RequestContext::identity`]).
    pub(crate) fn is_identity(&self) -> bool {
        self.identity
    }

    /// The time the request is built at.
    pub fn now(&self) -> SystemTime {
        self.now
    }

    /// A fresh unique id.
    pub fn unique_id(&self) -> Result<String, KeyError> {
        self.ids.unique_id()
    }
}

impl RequestContext<'static> {
    /// The system clock and [`RandomIds`]: what every real request is built with.
    pub fn system() -> Self {
        Self::new(SystemTime::now(), &RandomIds)
    }

    /// A context for naming a provider's configuration, never for a request
    /// that is sent: the epoch, a fixed id, and in place of each signature a
    /// digest of the signing key, so the same configuration always builds the
    /// same bytes (a shared token store derives its entry and key from them).
    pub fn identity() -> Self {
        Self {
            identity: true,
            ..Self::new(SystemTime::UNIX_EPOCH, &ConfigurationId)
        }
    }
}

/// The one id of identity requests.
struct ConfigurationId;

impl IdSource for ConfigurationId {
    fn unique_id(&self) -> Result<String, KeyError> {
        Ok(String::from("configuration"))
    }
}

impl fmt::Debug for RequestContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

/// Where unique ids come from; any `Fn() -> String` is one.
pub trait IdSource: Send + Sync {
    /// An id never handed out before; an error only when the source of randomness fails.
    fn unique_id(&self) -> Result<String, KeyError>;
}

impl<F: Fn() -> String + Send + Sync> IdSource for F {
    fn unique_id(&self) -> Result<String, KeyError> {
        Ok(self())
    }
}

/// 128 bits from the operating system's cryptographically secure generator,
/// base64url-encoded: unguessable, and unique with overwhelming probability.
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn unique_id(&self) -> Result<String, KeyError> {
        use base64::Engine as _;
        use ring::rand::SecureRandom as _;

        let mut bytes = [0_u8; 16];
        ring::rand::SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| KeyError::SigningFailed)?;
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn random_ids_are_distinct_and_url_safe() {
        let ids: HashSet<String> = (0..1000)
            .filter_map(|_| RandomIds.unique_id().ok())
            .collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| {
            id.len() == 22
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }));
    }
}
