//! What the suites read off a request, and parsing canned responses without a network.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use wiremock::{MockServer, Request};

pub use oauth_sandbox::{RefreshTokens, jwt, opaque_token};

/// A request header as text, if present and readable.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The media type of a request's `Content-Type`, without parameters, lowercased.
pub fn media_type(request: &Request) -> Option<String> {
    oauth_sandbox::media_type(&request.headers)
}

/// The request body as form fields, if it is a well-formed form body.
pub fn form_fields(request: &Request) -> Option<BTreeMap<String, String>> {
    oauth_sandbox::form_fields(&request.body)
}

/// The request body as a JSON object, if it is one.
pub fn json_object(request: &Request) -> Option<Map<String, Value>> {
    oauth_sandbox::json_object(&request.body)
}

/// A JSON object's string fields, for comparing a JSON body with the expected parameters.
pub fn json_fields(request: &Request) -> Option<BTreeMap<String, String>> {
    json_object(request)?
        .into_iter()
        .map(|(name, value)| Some((name, value.as_str()?.to_owned())))
        .collect()
}

/// The `exp` claim of a JWT, as seconds since the epoch.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims.get("exp")?.as_u64()
}

/// A loopback server that records the requests it receives: a wiremock server or a sandbox emulator.
pub trait Recording {
    /// Every request received so far, oldest first.
    fn received(&self) -> impl Future<Output = Vec<Request>> + Send;
}

impl Recording for MockServer {
    async fn received(&self) -> Vec<Request> {
        self.received_requests().await.unwrap_or_default()
    }
}

impl Recording for oauth_sandbox::Server {
    async fn received(&self) -> Vec<Request> {
        self.received_requests()
            .into_iter()
            .map(|request| Request {
                url: format!("{}{}", self.uri(), request.uri)
                    .parse()
                    .expect("a request target received on loopback makes a URL"),
                method: request.method,
                headers: request.headers,
                body: request.body.to_vec(),
            })
            .collect()
    }
}

/// The one request a server received; fails the test if it saw none or several.
pub async fn single_request(server: &impl Recording) -> Request {
    let mut requests = server.received().await;
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
