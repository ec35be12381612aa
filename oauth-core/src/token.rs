use std::fmt;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

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
    token_type: String,
    expires_at: Option<SystemTime>,
    refresh_token: Option<Secret>,
    scope: Option<String>,
    extras: Map<String, Value>,
}

impl Token {
    /// A bearer token with no known expiry, refresh token, scope or extras.
    pub fn new(access_token: impl Into<Secret>) -> Self {
        Self {
            access_token: access_token.into(),
            token_type: String::from(Self::DEFAULT_TYPE),
            expires_at: None,
            refresh_token: None,
            scope: None,
            extras: Map::new(),
        }
    }

    /// The token type assumed when a provider does not send one.
    pub const DEFAULT_TYPE: &'static str = "Bearer";

    /// Sets the token type (`Bearer` unless the provider says otherwise).
    #[must_use]
    pub fn with_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.token_type = token_type.into();
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
        self.extras = extras;
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
    pub fn extras(&self) -> &Map<String, Value> {
        &self.extras
    }

    /// One extra response field, deserialized into the type you expect.
    ///
    /// Returns `Ok(None)` when the field is absent, and the deserialization error
    /// when it has another shape.
    pub fn extra<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, serde_json::Error> {
        self.extras
            .get(name)
            .map(|value| T::deserialize(value))
            .transpose()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Extras may hold credentials (an id_token, say), so only their names are shown.
        f.debug_struct("Token")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .field("refresh_token", &self.refresh_token)
            .field("scope", &self.scope)
            .field("extras", &self.extras.keys().collect::<Vec<_>>())
            .finish()
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

    #[test]
    fn expiry_in_the_past_reads_as_expired() {
        let token = Token::new("t").with_expires_at(SystemTime::UNIX_EPOCH);
        assert!(token.is_expired());
        assert_eq!(token.expires_in(), Some(Duration::ZERO));
        assert!(!Token::new("t").is_expired());
    }

    #[test]
    fn token_type_compares_case_insensitively() {
        assert!(Token::new("t").with_token_type("bearer").is_bearer());
        assert!(!Token::new("t").with_token_type("MAC").is_bearer());
    }
}
