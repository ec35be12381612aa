//! Sohar: JSON with `client_id` and `client_secret`; 400 for a malformed request,
//! 401 for wrong credentials, both `{"error": "invalid_request_error"}`.

use std::time::Duration;

use serde_json::json;

use crate::ReceivedRequest;
use crate::credentials::{CLIENT_ID, CLIENT_SECRET};
use crate::reply::Reply;
use crate::request::text;
use crate::server::{Endpoint, Routes};
use crate::tokens;

pub(crate) fn routes() -> Routes {
    vec![("/oauth/token".into(), Box::new(TokenEndpoint))]
}

struct TokenEndpoint;

impl Endpoint for TokenEndpoint {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        let body = request
            .json_object()
            .filter(|_| request.media_type().as_deref() == Some("application/json"));
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
        Reply::json(
            200,
            &json!({
                "access_token": tokens::jwt(CLIENT_ID, Duration::from_secs(3600)),
                "token_type": "Bearer",
                "expires_in": 3600,
            }),
        )
    }
}

fn rejection(status: u16) -> Reply {
    Reply::json(status, &json!({"error": "invalid_request_error"}))
}
