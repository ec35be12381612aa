//! DPoP nonces (RFC 9449 sections 8 and 9): whether a response asks for a
//! proof with a nonce, decided from the response alone, and the latest nonce
//! each server gave, remembered for the next proof.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use http::StatusCode;
use http::header::{HeaderMap, HeaderName, WWW_AUTHENTICATE};
use url::Url;

use super::challenge::dpop_error;
use crate::{Error, Token};

/// The header a server gives a nonce in.
pub const NONCE_HEADER: HeaderName = HeaderName::from_static("dpop-nonce");

/// The error a server answers when it wants a proof with its nonce.
pub const USE_DPOP_NONCE: &str = "use_dpop_nonce";

/// The longest nonce kept; a server's nonce is short, and anything longer is not one.
const MAX_NONCE_BYTES: usize = 1024;

/// How many resource servers' nonces are kept; past it, the oldest are forgotten.
const MAX_RESOURCE_SERVERS: usize = 64;

/// The latest DPoP nonce each server gave: the token endpoint's, and each
/// resource server's by origin (the two are separate, RFC 9449 section 9).
///
/// A [`TokenCache`](crate::TokenCache) keeps one for its provider, so a server
/// that rotates nonces costs one extra round trip only when it rotates. A
/// nonce is not a credential.
#[derive(Default)]
pub struct Nonces {
    token_endpoint: Mutex<Option<String>>,
    resources: Mutex<Vec<(String, String)>>,
}

impl Nonces {
    /// No nonce known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The token endpoint's latest nonce.
    pub fn token_endpoint(&self) -> Option<String> {
        lock(&self.token_endpoint).clone()
    }

    /// The latest nonce of the resource server that serves `url`.
    pub fn resource(&self, url: &Url) -> Option<String> {
        let origin = url.origin().ascii_serialization();
        let resources = lock(&self.resources);
        resources
            .iter()
            .find(|(known, _)| *known == origin)
            .map(|(_, nonce)| nonce.clone())
    }

    /// Keeps the nonce a token endpoint response offers, if any, in place of the last one.
    pub fn observe_token_endpoint(&self, headers: &HeaderMap) {
        if let Some(nonce) = offered(headers) {
            *lock(&self.token_endpoint) = Some(nonce.to_owned());
        }
    }

    /// Keeps the nonce a response from `url`'s server offers, if any, in place of that server's last one.
    pub fn observe_resource(&self, url: &Url, headers: &HeaderMap) {
        let Some(nonce) = offered(headers) else {
            return;
        };
        let origin = url.origin().ascii_serialization();
        let mut resources = lock(&self.resources);
        resources.retain(|(known, _)| *known != origin);
        if resources.len() >= MAX_RESOURCE_SERVERS {
            resources.remove(0);
        }
        resources.push((origin, nonce.to_owned()));
    }
}

impl fmt::Debug for Nonces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Nonces")
            .field("token_endpoint", &lock(&self.token_endpoint).is_some())
            .field("resource_servers", &lock(&self.resources).len())
            .finish()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A nonce is replaced whole; a panic cannot leave one half-written.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The nonce a response offers in `DPoP-Nonce`, if it is one: 1 to 1024
/// characters of `%x21 / %x23-5B / %x5D-7E` (RFC 9449 section 8.1).
pub fn offered(headers: &HeaderMap) -> Option<&str> {
    let nonce = headers.get(NONCE_HEADER)?.to_str().ok()?;
    let valid = !nonce.is_empty()
        && nonce.len() <= MAX_NONCE_BYTES
        && nonce
            .bytes()
            .all(|byte| matches!(byte, 0x21 | 0x23..=0x5B | 0x5D..=0x7E));
    valid.then_some(nonce)
}

/// The nonce to retry a token request with: when the token endpoint refused
/// it with `400 use_dpop_nonce` and offered one (RFC 9449 section 8).
pub(crate) fn token_endpoint_retry(
    outcome: &Result<Token, Error>,
    headers: &HeaderMap,
) -> Option<String> {
    let error = outcome.as_ref().err()?.provider_error()?;
    let asked =
        error.status == StatusCode::BAD_REQUEST && error.code.as_deref() == Some(USE_DPOP_NONCE);
    asked.then(|| offered(headers)).flatten().map(str::to_owned)
}

/// The nonce to retry a resource request with: when the resource server
/// answered 401 with a `DPoP error="use_dpop_nonce"` challenge and offered
/// one (RFC 9449 section 9).
pub fn resource_retry(status: StatusCode, headers: &HeaderMap) -> Option<&str> {
    if status != StatusCode::UNAUTHORIZED {
        return None;
    }
    let asked = headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| dpop_error(value).as_deref() == Some(USE_DPOP_NONCE));
    asked.then(|| offered(headers)).flatten()
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;
    use crate::ProviderError;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn only_a_well_formed_nonce_is_taken() {
        assert_eq!(
            offered(&headers(&[("dpop-nonce", "eyJ7S_zG.n-1")])),
            Some("eyJ7S_zG.n-1")
        );
        for bad in ["", "has space", "quote\"d", "back\\slash"] {
            let mut map = HeaderMap::new();
            map.insert(
                NONCE_HEADER,
                HeaderValue::from_str(bad).unwrap_or(HeaderValue::from_static("")),
            );
            assert_eq!(offered(&map), None, "{bad:?}");
        }
        let long = "n".repeat(MAX_NONCE_BYTES + 1);
        let mut map = HeaderMap::new();
        map.insert(
            NONCE_HEADER,
            HeaderValue::from_str(&long).unwrap_or(HeaderValue::from_static("")),
        );
        assert_eq!(offered(&map), None);
    }

    fn rejection(status: u16, code: &str) -> Result<Token, Error> {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        Err(Error::Rejected(ProviderError {
            provider: "test",
            status,
            code: Some(code.to_owned()),
            description: None,
            excerpt: None,
            retry_after: None,
        }))
    }

    #[test]
    fn a_token_request_is_retried_only_for_a_use_dpop_nonce_refusal_with_a_nonce() {
        let with_nonce = headers(&[("dpop-nonce", "n-1")]);
        let cases = [
            (rejection(400, "use_dpop_nonce"), &with_nonce, Some("n-1")),
            (rejection(400, "use_dpop_nonce"), &HeaderMap::new(), None),
            (rejection(400, "invalid_grant"), &with_nonce, None),
            (rejection(401, "use_dpop_nonce"), &with_nonce, None),
            (Ok(Token::new("t")), &with_nonce, None),
        ];
        for (outcome, headers, expected) in cases {
            assert_eq!(token_endpoint_retry(&outcome, headers).as_deref(), expected);
        }
    }

    #[test]
    fn a_resource_request_is_retried_only_for_a_dpop_nonce_challenge() {
        let challenged = headers(&[
            ("www-authenticate", r#"DPoP error="use_dpop_nonce""#),
            ("dpop-nonce", "r-1"),
        ]);
        assert_eq!(
            resource_retry(StatusCode::UNAUTHORIZED, &challenged),
            Some("r-1")
        );
        assert_eq!(resource_retry(StatusCode::FORBIDDEN, &challenged), None);
        let other = headers(&[
            ("www-authenticate", r#"DPoP error="invalid_token""#),
            ("dpop-nonce", "r-1"),
        ]);
        assert_eq!(resource_retry(StatusCode::UNAUTHORIZED, &other), None);
        let no_nonce = headers(&[("www-authenticate", r#"DPoP error="use_dpop_nonce""#)]);
        assert_eq!(resource_retry(StatusCode::UNAUTHORIZED, &no_nonce), None);
    }

    #[test]
    fn the_latest_nonce_of_each_server_is_kept_apart() -> Result<(), url::ParseError> {
        let nonces = Nonces::new();
        let api = Url::parse("https://api.example.com/a?x=1")?;
        let other = Url::parse("https://other.example.com/b")?;
        nonces.observe_token_endpoint(&headers(&[("dpop-nonce", "t-1")]));
        nonces.observe_resource(&api, &headers(&[("dpop-nonce", "r-1")]));
        nonces.observe_resource(&api, &headers(&[("dpop-nonce", "r-2")]));
        nonces.observe_resource(&api, &HeaderMap::new());
        assert_eq!(nonces.token_endpoint().as_deref(), Some("t-1"));
        assert_eq!(
            nonces
                .resource(&Url::parse("https://api.example.com/c")?)
                .as_deref(),
            Some("r-2")
        );
        assert_eq!(nonces.resource(&other), None);
        for index in 0..MAX_RESOURCE_SERVERS {
            let url = Url::parse(&format!("https://s{index}.example.com/"))?;
            nonces.observe_resource(&url, &headers(&[("dpop-nonce", "s")]));
        }
        assert_eq!(
            nonces.resource(&api),
            None,
            "the oldest server is forgotten"
        );
        Ok(())
    }
}
