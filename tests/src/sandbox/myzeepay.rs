use std::sync::Arc;

use serde_json::json;
use wiremock::{Request, Respond, ResponseTemplate};

use super::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use crate::wire::{self, RefreshTokens};

/// MyZeePay: a form with five required fields; every failure is a 400 `{error, message}`.
///
/// The refresh grant takes `client_id`, `client_secret` and a live refresh token,
/// and rotates it.
pub struct MyZeePayEmulator {
    /// The refresh tokens issued and not yet redeemed.
    pub refresh_tokens: Arc<RefreshTokens>,
}

/// One year, the lifetime the published example gives.
const LIFETIME_SECONDS: u64 = 31_536_000;

impl Respond for MyZeePayEmulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form = wire::form_fields(request).filter(|_| {
            wire::media_type(request).as_deref() == Some("application/x-www-form-urlencoded")
        });
        let Some(form) = form else {
            return rejection("The request body must be application/x-www-form-urlencoded.");
        };
        let field = |name: &str| form.get(name).map(String::as_str);
        if field("grant_type") == Some("refresh_token") {
            let client_ok = field("client_id") == Some(CLIENT_ID)
                && field("client_secret") == Some(CLIENT_SECRET);
            if !client_ok
                || !field("refresh_token").is_some_and(|token| self.refresh_tokens.redeem(token))
            {
                return rejection("Invalid refresh token.");
            }
            return self.issue();
        }
        for required in [
            "client_id",
            "client_secret",
            "username",
            "password",
            "grant_type",
        ] {
            if field(required).is_none_or(str::is_empty) {
                return rejection(&format!("The {required} field is required."));
            }
        }
        if field("grant_type") != Some("password") {
            return rejection("The grant type is not supported.");
        }
        if field("client_id") != Some(CLIENT_ID)
            || field("client_secret") != Some(CLIENT_SECRET)
            || field("username") != Some(USERNAME)
            || field("password") != Some(PASSWORD)
        {
            return rejection("Invalid credentials.");
        }
        self.issue()
    }
}

impl MyZeePayEmulator {
    fn issue(&self) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": LIFETIME_SECONDS,
            "access_token": wire::opaque_token("myzeepay-access"),
            "refresh_token": self.refresh_tokens.issue("myzeepay-refresh"),
        }))
    }
}

fn rejection(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": 400, "message": message}))
}
