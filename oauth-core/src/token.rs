use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::extras::Extras;
#[cfg(feature = "jwt")]
use crate::{DpopKey, Error, RequestContext};
use crate::{Lifetime, Secret};

/// An access token as the provider issued it.
///
/// The expiry is an absolute instant, computed when the response arrived, so a
/// token read later or persisted still knows when it expires. Response fields
/// that are not part of the standard token are kept as [`extras`](Token::extras).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use oauth_core::Token;
///
/// let token = Token::new("abc")
///     .with_expires_at(SystemTime::now() + Duration::from_secs(3600))
///     .with_scope("read write");
///
/// assert!(token.is_bearer());
/// assert_eq!(token.access_token().to_string(), "[redacted]");
/// assert_eq!(token.access_token().expose_secret(), "abc");
/// assert_eq!(token.scopes().collect::<Vec<_>>(), ["read", "write"]);
/// // Read a moment later, an hour is a little less: `59m 59s`.
/// let lifetime = token.lifetime().expect("the expiry is known");
/// assert!(lifetime.as_secs() <= 3600 && lifetime.as_secs() > 3500, "{lifetime}");
/// assert!(format!("{token:?}").contains("[redacted]"));
/// ```
#[derive(Clone)]
pub struct Token {
    access_token: Secret,
    /// Borrowed for the default, so a token without a declared type allocates nothing for it.
    token_type: Cow<'static, str>,
    expires_at: Option<SystemTime>,
    refresh_token: Option<Secret>,
    scope: Option<String>,
    /// Kept as the response's JSON text until first read.
    extras: Extras,
    /// The key the token's lineage proves possession of (DPoP), never shown.
    #[cfg(feature = "jwt")]
    dpop_key: Option<DpopKey>,
}

impl Token {
    /// A bearer token with no known expiry, refresh token, scope or extras.
    pub fn new(access_token: impl Into<Secret>) -> Self {
        Self {
            access_token: access_token.into(),
            token_type: Cow::Borrowed(Self::DEFAULT_TYPE),
            expires_at: None,
            refresh_token: None,
            scope: None,
            extras: Extras::default(),
            #[cfg(feature = "jwt")]
            dpop_key: None,
        }
    }

    /// A token as a response mapped it, built in one step: no default type allocated to be replaced.
    pub(crate) fn issued(
        access_token: String,
        token_type: Option<Cow<'static, str>>,
        expires_at: Option<SystemTime>,
        refresh_token: Option<String>,
        scope: Option<String>,
        extras: String,
    ) -> Self {
        Self {
            access_token: access_token.into(),
            token_type: token_type.unwrap_or(Cow::Borrowed(Self::DEFAULT_TYPE)),
            expires_at,
            refresh_token: refresh_token.map(Secret::from),
            scope,
            extras: Extras::from_text(extras),
            #[cfg(feature = "jwt")]
            dpop_key: None,
        }
    }

    /// The token type assumed when a provider does not send one.
    pub const DEFAULT_TYPE: &'static str = "Bearer";

    /// Sets the token type (`Bearer` unless the provider says otherwise).
    #[must_use]
    pub fn with_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.token_type = Cow::Owned(token_type.into());
        self
    }

    /// Sets the instant the token stops being valid.
    #[must_use]
    pub fn with_expires_at(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// Sets the refresh token.
    #[must_use]
    pub fn with_refresh_token(mut self, refresh_token: impl Into<Secret>) -> Self {
        self.refresh_token = Some(refresh_token.into());
        self
    }

    /// Sets the granted scope (space-separated, as RFC 6749 writes it).
    #[must_use]
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Sets the response fields the token keeps beside the standard ones.
    #[must_use]
    pub fn with_extras(mut self, extras: Map<String, Value>) -> Self {
        self.extras = Extras::from_map(extras);
        self
    }

    /// Binds the token to the DPoP key its lineage proves possession of: a
    /// token restored from storage gets its key back this way.
    #[cfg(feature = "jwt")]
    #[must_use]
    pub fn with_dpop_key(mut self, key: DpopKey) -> Self {
        self.dpop_key = Some(key);
        self
    }

    /// The access token.
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }

    /// The token type as the provider spelled it (`Bearer`, `bearer`, `MAC`...).
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// Whether this is a bearer token; token types compare case-insensitively (RFC 6749 section 5.1).
    pub fn is_bearer(&self) -> bool {
        self.token_type.eq_ignore_ascii_case("bearer")
    }

    /// Whether the server issued a DPoP-bound token (`token_type` `DPoP`, in any case, RFC 9449 section 5).
    pub fn is_dpop(&self) -> bool {
        self.token_type.eq_ignore_ascii_case("dpop")
    }

    /// The DPoP key the token was requested with, and that its refreshes prove:
    /// set on every token of a provider that sends DPoP proofs, whatever type the server issued.
    #[cfg(feature = "jwt")]
    pub fn dpop_key(&self) -> Option<&DpopKey> {
        self.dpop_key.as_ref()
    }

    /// The `DPoP` header for a request to `url` with `method` that carries
    /// this token: a proof bound to the request and to the token's hash
    /// (`ath`), with the resource server's `nonce` if it gave one. `Ok(None)`
    /// for a token that is not DPoP-bound, which is sent as `Bearer`.
    ///
    /// For requests made with another HTTP client; send `Authorization: DPoP <token>` beside it.
    #[cfg(feature = "jwt")]
    pub fn dpop_proof(
        &self,
        method: &http::Method,
        url: &url::Url,
        nonce: Option<&str>,
        context: &RequestContext<'_>,
    ) -> Result<Option<Secret>, Error> {
        if !self.is_dpop() {
            return Ok(None);
        }
        let key = self
            .dpop_key
            .as_ref()
            .ok_or(crate::ConfigError::DpopKeyMissing)?;
        key.proof(method, url, Some(&self.access_token), nonce, context)
            .map(Some)
    }

    /// When the token expires, if the provider said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// How long the token stays valid from now: zero once expired, `None` when unknown.
    pub fn expires_in(&self) -> Option<Duration> {
        let expires_at = self.expires_at?;
        Some(
            expires_at
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO),
        )
    }

    /// [`expires_in`](Token::expires_in) in a form people read (`59m 58s`), `None` when unknown.
    pub fn lifetime(&self) -> Option<Lifetime> {
        self.expires_in().map(Lifetime::from)
    }

    /// Whether the expiry is known and has passed.
    pub fn is_expired(&self) -> bool {
        self.expires_in() == Some(Duration::ZERO)
    }

    /// The refresh token, if the provider issued one.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// The granted scope as the provider sent it (space-separated), if any.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// The granted scopes, one by one.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_ascii_whitespace()
    }

    /// Every response field the token does not map itself, by name.
    ///
    /// The token holds them as the JSON text they arrived in and parses them
    /// on the first read, so a token whose extras are never read never pays for them.
    pub fn extras(&self) -> &Map<String, Value> {
        self.extras.map()
    }

    /// One extra response field at any depth, deserialized into the type you expect.
    ///
    /// `path` is written as in the response mapping: dotted segments, a segment
    /// of digits indexing an array (`data.advertiser_ids`, `errors.0.code`); a
    /// top-level field whose name holds a dot is found by that name first.
    /// Returns `Ok(None)` when the field is absent or null, and the
    /// deserialization error when it has another shape.
    pub fn extra<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, serde_json::Error> {
        let segments: Vec<&str> = path.split('.').collect();
        let extras = self.extras();
        extras
            .get(path)
            .filter(|value| !value.is_null())
            .or_else(|| crate::response::lookup(extras, &segments))
            .map(T::deserialize)
            .transpose()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Extras may hold credentials (an id_token, say), so only their names are shown.
        let mut debug = f.debug_struct("Token");
        debug
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .field("refresh_token", &self.refresh_token)
            .field("scope", &self.scope)
            .field("extras", &self.extras().keys().collect::<Vec<_>>());
        #[cfg(feature = "jwt")]
        debug.field("dpop_key", &self.dpop_key);
        debug.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_tokens_and_extra_values() {
        let mut extras = Map::new();
        extras.insert("id_token".into(), Value::String("canary-id-token".into()));
        let token = Token::new("canary-access")
            .with_refresh_token("canary-refresh")
            .with_extras(extras);
        let debug = format!("{token:?}");
        assert!(!debug.contains("canary"), "{debug}");
        assert!(debug.contains("id_token"), "{debug}");
    }

    #[cfg(feature = "jwt")]
    #[test]
    fn debug_names_the_dpop_key_by_its_thumbprint_only() -> Result<(), crate::KeyError> {
        let key = DpopKey::generate(crate::Algorithm::Es256)?;
        let token = Token::new("t")
            .with_token_type("DPoP")
            .with_dpop_key(key.clone());
        let debug = format!("{token:?}");
        assert!(debug.contains(key.thumbprint()), "{debug}");
        assert!(token.is_dpop() && Token::new("t").with_token_type("dpop").is_dpop());
        assert!(!Token::new("t").is_dpop());
        Ok(())
    }

    #[test]
    fn expiry_in_the_past_reads_as_expired() {
        let token = Token::new("t").with_expires_at(SystemTime::UNIX_EPOCH);
        assert!(token.is_expired());
        assert_eq!(token.expires_in(), Some(Duration::ZERO));
        assert!(!Token::new("t").is_expired());
    }

    #[test]
    fn extras_are_read_at_any_depth() {
        let extras = serde_json::json!({
            "data": {"advertiser_ids": ["1", "2"], "items": [{"id": 7}]},
            "a.b": true,
        });
        let Value::Object(extras) = extras else {
            unreachable!()
        };
        let token = Token::new("t").with_extras(extras);
        let ids = token
            .extra::<Vec<String>>("data.advertiser_ids")
            .ok()
            .flatten();
        assert_eq!(ids, Some(vec![String::from("1"), String::from("2")]));
        assert_eq!(
            token.extra::<u32>("data.items.0.id").ok().flatten(),
            Some(7)
        );
        assert_eq!(token.extra::<bool>("a.b").ok().flatten(), Some(true));
        assert_eq!(token.extra::<u32>("data.items.1.id").ok().flatten(), None);
        assert!(token.extra::<u32>("data.advertiser_ids").is_err());
    }

    #[test]
    fn token_type_compares_case_insensitively() {
        assert!(Token::new("t").with_token_type("bearer").is_bearer());
        assert!(!Token::new("t").with_token_type("MAC").is_bearer());
    }
}
