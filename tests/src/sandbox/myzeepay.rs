use serde_json::json;
use wiremock::{Request, Respond, ResponseTemplate};

use super::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use crate::wire;

/// MyZeePay: a form with five required fields; every failure is a 400 `{error, message}`.
pub struct MyZeePayEmulator;

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
        ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": LIFETIME_SECONDS,
            "access_token": wire::opaque_token("myzeepay-access"),
            "refresh_token": wire::opaque_token("myzeepay-refresh"),
        }))
    }
}

fn rejection(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": 400, "message": message}))
}
