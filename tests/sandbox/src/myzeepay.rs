//! MyZeePay: a form with five required fields; every failure is a 400 `{error, message}`.
//!
//! The refresh grant takes `client_id`, `client_secret` and a live refresh token,
//! and rotates it.

use std::sync::Arc;

use serde_json::json;

use crate::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use crate::reply::Reply;
use crate::server::{Endpoint, Routes};
use crate::{ReceivedRequest, RefreshTokens, tokens};

/// One year, the lifetime the published example gives.
const LIFETIME_SECONDS: u64 = 31_536_000;

pub(crate) fn routes(refresh_tokens: Arc<RefreshTokens>) -> Routes {
    vec![(
        "/oauth/token".into(),
        Box::new(TokenEndpoint { refresh_tokens }),
    )]
}

struct TokenEndpoint {
    refresh_tokens: Arc<RefreshTokens>,
}

impl Endpoint for TokenEndpoint {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        let form = request.form_fields().filter(|_| {
            request.media_type().as_deref() == Some("application/x-www-form-urlencoded")
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

impl TokenEndpoint {
    fn issue(&self) -> Reply {
        Reply::json(
            200,
            &json!({
                "token_type": "Bearer",
                "expires_in": LIFETIME_SECONDS,
                "access_token": tokens::opaque_token("myzeepay-access"),
                "refresh_token": self.refresh_tokens.issue("myzeepay-refresh"),
            }),
        )
    }
}

fn rejection(message: &str) -> Reply {
    Reply::json(400, &json!({"error": 400, "message": message}))
}
