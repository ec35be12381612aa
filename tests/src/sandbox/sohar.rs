use serde_json::json;
use wiremock::{Request, Respond, ResponseTemplate};

use super::credentials::{CLIENT_ID, CLIENT_SECRET};
use crate::wire::{self, text};

/// Sohar: JSON with `client_id` and `client_secret`; 400 for a malformed request,
/// 401 for wrong credentials, both `{"error": "invalid_request_error"}`.
pub struct SoharEmulator;

impl Respond for SoharEmulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body = wire::json_object(request)
            .filter(|_| wire::media_type(request).as_deref() == Some("application/json"));
        let Some(body) = body.filter(|body| {
            text(body, "client_id").is_some() && text(body, "client_secret").is_some()
        }) else {
            return rejection(400);
        };
        if text(&body, "client_id") != Some(CLIENT_ID)
            || text(&body, "client_secret") != Some(CLIENT_SECRET)
        {
            return rejection(401);
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": wire::jwt(CLIENT_ID, std::time::Duration::from_secs(3600)),
            "token_type": "Bearer",
            "expires_in": 3600,
        }))
    }
}

fn rejection(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": "invalid_request_error"}))
}
