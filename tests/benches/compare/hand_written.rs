//! What a careful engineer writes without the derive, for the same information:
//! a plain `#[derive(Deserialize)]` struct per response shape, then the expiry
//! computed; a client that parses its token URL once and builds each request
//! from it with `serde_json` or `serde_urlencoded`.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oauth_core::reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use oauth_core::reqwest::{Method, Request, Url};
use serde::{Deserialize, Serialize};

/// RFC 6749 section 5.1 as the four standard seeds send it.
#[derive(Deserialize)]
struct StandardResponse {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

/// The token a reader keeps: what the derived `Token` holds for these seeds.
pub struct StandardToken {
    pub access_token: String,
    pub token_type: Option<String>,
    pub expires_at: Option<SystemTime>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
}

pub fn parse_standard(status: u16, body: &[u8]) -> Result<StandardToken, String> {
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let response: StandardResponse =
        serde_json::from_slice(body).map_err(|error| error.to_string())?;
    if response.access_token.is_empty() {
        return Err(String::from("empty access_token"));
    }
    let expires_at = response
        .expires_in
        .map(|seconds| SystemTime::now() + Duration::from_secs(seconds));
    Ok(StandardToken {
        access_token: response.access_token,
        token_type: response.token_type,
        expires_at,
        refresh_token: response.refresh_token.filter(|token| !token.is_empty()),
        scope: response.scope,
    })
}

/// EzzyDoc's status block: the extra field the derived token keeps.
#[derive(Deserialize)]
pub struct ServiceStatus {
    pub invoice_id: i64,
    pub message: String,
    pub status: i64,
}

#[derive(Deserialize)]
struct EzzyDocResponse {
    service_status: ServiceStatus,
    token: String,
}

/// EzzyDoc's token: the JWT, its `exp`, and the status block.
pub struct EzzyDocToken {
    pub token: String,
    pub expires_at: Option<SystemTime>,
    pub service_status: ServiceStatus,
}

#[derive(Deserialize)]
struct Claims {
    exp: u64,
}

pub fn parse_ezzydoc(status: u16, body: &[u8]) -> Result<EzzyDocToken, String> {
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let response: EzzyDocResponse =
        serde_json::from_slice(body).map_err(|error| error.to_string())?;
    if response.service_status.status != 0 {
        return Err(format!("service status {}", response.service_status.status));
    }
    if response.token.is_empty() {
        return Err(String::from("empty token"));
    }
    let expires_at = response
        .token
        .split('.')
        .nth(1)
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|claims| serde_json::from_slice::<Claims>(&claims).ok())
        .map(|claims| SystemTime::UNIX_EPOCH + Duration::from_secs(claims.exp));
    Ok(EzzyDocToken {
        token: response.token,
        expires_at,
        service_status: response.service_status,
    })
}

#[derive(Serialize)]
struct SoharBody<'a> {
    client_id: &'a str,
    client_secret: &'a str,
}

/// A Sohar client: its token URL parsed once, when it is made.
pub struct SoharClient {
    token_url: Url,
    client_id: String,
    client_secret: String,
}

impl SoharClient {
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        Self {
            token_url: Url::parse("https://api.soharhealth.com/oauth/token").expect("a valid URL"),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
        }
    }

    pub fn request(&self) -> Request {
        let mut request = Request::new(Method::POST, self.token_url.clone());
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let body = serde_json::to_vec(&SoharBody {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        })
        .expect("strings serialize");
        *request.body_mut() = Some(body.into());
        request
    }
}

#[derive(Serialize)]
struct PasswordGrant<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    username: &'a str,
    password: &'a str,
    grant_type: &'a str,
}

/// A MyZeePay client: the chosen server's token URL parsed once, when it is made.
pub struct MyZeePayClient {
    token_url: Url,
    client_id: String,
    client_secret: String,
    username: String,
    password: String,
}

impl MyZeePayClient {
    pub fn new(
        server: &str,
        client_id: &str,
        client_secret: &str,
        username: &str,
        password: &str,
    ) -> Self {
        Self {
            token_url: Url::parse(server)
                .and_then(|server| server.join("/oauth/token"))
                .expect("a valid URL"),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
        }
    }

    pub fn request(&self) -> Request {
        let mut request = Request::new(Method::POST, self.token_url.clone());
        request.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let body = serde_urlencoded::to_string(PasswordGrant {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            username: &self.username,
            password: &self.password,
            grant_type: "password",
        })
        .expect("strings serialize");
        *request.body_mut() = Some(body.into());
        request
    }
}

#[derive(Serialize)]
struct ClientCredentials<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    grant_type: &'a str,
}

/// A client-credentials request to `url`, for the round-trip benchmark.
pub fn client_credentials_request(url: &Url, client_id: &str, client_secret: &str) -> Request {
    let mut request = Request::new(Method::POST, url.clone());
    request.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    let body = serde_urlencoded::to_string(ClientCredentials {
        client_id,
        client_secret,
        grant_type: "client_credentials",
    })
    .expect("strings serialize");
    *request.body_mut() = Some(body.into());
    request
}
