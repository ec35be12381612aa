//! What emulators and tests read off a request, and how the sandbox mints tokens.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use wiremock::Request;

/// A request header as text, if present and readable.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The media type of a request's `Content-Type`, without parameters, lowercased.
pub fn media_type(request: &Request) -> Option<String> {
    let content_type = header(request, "content-type")?;
    Some(
        content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase(),
    )
}

/// The request body as form fields, if it is a well-formed form body.
pub fn form_fields(request: &Request) -> Option<BTreeMap<String, String>> {
    serde_urlencoded::from_bytes(&request.body).ok()
}

/// The request body as a JSON object, if it is one.
pub fn json_object(request: &Request) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&request.body) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    }
}

/// A JSON object's string fields, for comparing a JSON body with the expected parameters.
pub fn json_fields(request: &Request) -> Option<BTreeMap<String, String>> {
    json_object(request)?
        .into_iter()
        .map(|(name, value)| Some((name, value.as_str()?.to_owned())))
        .collect()
}

/// A string field of a JSON object.
pub fn text<'o>(object: &'o Map<String, Value>, name: &str) -> Option<&'o str> {
    object.get(name).and_then(Value::as_str)
}

static ISSUED: AtomicU64 = AtomicU64::new(1);

/// A fresh opaque token, unique within the process: `<prefix>-<n>`.
pub fn opaque_token(prefix: &str) -> String {
    format!("{prefix}-{}", ISSUED.fetch_add(1, Ordering::Relaxed))
}

/// A fresh unsigned JWT whose `exp` lies `lifetime` from now.
pub fn jwt(subject: &str, lifetime: Duration) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let claims = serde_json::json!({
        "sub": subject,
        "iat": now,
        "exp": now + lifetime.as_secs(),
        "jti": ISSUED.fetch_add(1, Ordering::Relaxed),
    });
    format!(
        "{}.{}.sandbox-signature",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The `exp` claim of a JWT, as seconds since the epoch.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims.get("exp")?.as_u64()
}

/// The one request a server received; fails the test if it saw none or several.
pub async fn single_request(server: &wiremock::MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, the server saw {}",
        requests.len()
    );
    requests.remove(0)
}

/// Parses a canned response with a provider, without any network.
pub fn parse<P: oauth_core::TokenEndpoint + ?Sized>(
    provider: &P,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<oauth_core::Token, oauth_core::Error> {
    parse_bytes(
        provider,
        status,
        &[("content-type", content_type.unwrap_or_default())],
        body.as_bytes(),
    )
}

/// Parses a canned response given as raw parts; empty header values are left out.
pub fn parse_bytes<P: oauth_core::TokenEndpoint + ?Sized>(
    provider: &P,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<oauth_core::Token, oauth_core::Error> {
    use oauth_core::http::StatusCode;
    use oauth_core::http::header::{HeaderMap, HeaderName, HeaderValue};

    let mut header_map = HeaderMap::new();
    for (name, value) in headers.iter().filter(|(_, value)| !value.is_empty()) {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            header_map.append(name, value);
        }
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    provider.parse_response(&oauth_core::TokenResponse::new(status, &header_map, body))
}

/// The expected parameters of a request body, for comparing with what was sent.
pub fn fields<const N: usize>(pairs: [(&str, &str); N]) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// The refresh tokens an emulated provider has issued and not yet redeemed.
#[derive(Debug, Default)]
pub struct RefreshTokens {
    live: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl RefreshTokens {
    /// Issues a new refresh token.
    pub fn issue(&self, prefix: &str) -> String {
        let token = opaque_token(prefix);
        self.with_live(|live| live.insert(token.clone()));
        token
    }

    /// Redeems a refresh token once: rotation makes the old one worthless.
    pub fn redeem(&self, token: &str) -> bool {
        self.with_live(|live| live.remove(token))
    }

    /// Forgets every refresh token, as a provider does when it revokes a grant.
    pub fn revoke_all(&self) {
        self.with_live(|live| {
            live.clear();
            true
        });
    }

    fn with_live(
        &self,
        change: impl FnOnce(&mut std::collections::HashSet<String>) -> bool,
    ) -> bool {
        let mut live = self
            .live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        change(&mut live)
    }
}
