//! What a careful engineer writes without the derive: serde structs for the
//! same mapping, reqwest requests built by hand. Same outputs as the derived code.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oauth_core::Token;
use oauth_core::reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use oauth_core::reqwest::{Method, Request, Url};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// RFC 6749 section 5.1, with the leniencies the providers need, and the extras kept.
#[derive(Deserialize)]
struct StandardResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<f64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(flatten)]
    extras: Map<String, Value>,
}

pub fn parse_standard(status: u16, body: &[u8]) -> Result<Token, String> {
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let response: StandardResponse =
        serde_json::from_slice(body).map_err(|error| error.to_string())?;
    if response.access_token.is_empty() {
        return Err(String::from("empty access_token"));
    }
    let mut token = Token::new(response.access_token)
        .with_token_type(
            response
                .token_type
                .unwrap_or_else(|| String::from("Bearer")),
        )
        .with_extras(response.extras);
    if let Some(seconds) = response.expires_in {
        let lifetime = Duration::try_from_secs_f64(seconds).map_err(|error| error.to_string())?;
        token = token.with_expires_at(SystemTime::now() + lifetime);
    }
    if let Some(refresh_token) = response.refresh_token.filter(|token| !token.is_empty()) {
        token = token.with_refresh_token(refresh_token);
    }
    if let Some(scope) = response.scope {
        token = token.with_scope(scope);
    }
    Ok(token)
}

#[derive(Deserialize)]
struct EzzyDocResponse {
    service_status: Value,
    token: String,
    #[serde(flatten)]
    extras: Map<String, Value>,
}

#[derive(Deserialize)]
struct Claims {
    exp: f64,
}

pub fn parse_ezzydoc(status: u16, body: &[u8]) -> Result<Token, String> {
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let response: EzzyDocResponse =
        serde_json::from_slice(body).map_err(|error| error.to_string())?;
    let code = response
        .service_status
        .get("status")
        .and_then(Value::as_i64);
    if code != Some(0) {
        return Err(format!("service status {code:?}"));
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
        .and_then(|claims| Duration::try_from_secs_f64(claims.exp).ok())
        .map(|since_epoch| SystemTime::UNIX_EPOCH + since_epoch);
    let mut extras = response.extras;
    extras.insert(String::from("service_status"), response.service_status);
    let mut token = Token::new(response.token).with_extras(extras);
    if let Some(expires_at) = expires_at {
        token = token.with_expires_at(expires_at);
    }
    Ok(token)
}

#[derive(Serialize)]
struct SoharBody<'a> {
    client_id: &'a str,
    client_secret: &'a str,
}

pub fn sohar_request(client_id: &str, client_secret: &str) -> Request {
    let url = Url::parse("https://api.soharhealth.com/oauth/token").expect("a valid URL");
    let mut request = Request::new(Method::POST, url);
    request
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&SoharBody {
        client_id,
        client_secret,
    })
    .expect("strings serialize");
    *request.body_mut() = Some(body.into());
    request
}

#[derive(Serialize)]
struct PasswordGrant<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    username: &'a str,
    password: &'a str,
    grant_type: &'a str,
}

pub fn myzeepay_request(
    client_id: &str,
    client_secret: &str,
    username: &str,
    password: &str,
) -> Request {
    let url = Url::parse("https://shop.digitaltermination.com/oauth/token").expect("a valid URL");
    let mut request = Request::new(Method::POST, url);
    request.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    let body = serde_urlencoded::to_string(PasswordGrant {
        client_id,
        client_secret,
        username,
        password,
        grant_type: "password",
    })
    .expect("strings serialize");
    *request.body_mut() = Some(body.into());
    request
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
