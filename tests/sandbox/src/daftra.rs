//! Daftra: raw JSON labelled `text/plain`; a bare 401 for invalid credentials.
//!
//! A body that is not JSON under `text/plain` gives a bare 400 (undocumented).
//! `grant_type=refresh_token` on the same endpoint redeems and rotates a refresh token.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use crate::reply::Reply;
use crate::request::text;
use crate::server::{Endpoint, Routes};
use crate::{ReceivedRequest, RefreshTokens, tokens};

pub(crate) fn routes(refresh_tokens: Arc<RefreshTokens>) -> Routes {
    vec![(
        "/api2/api2/oauth/token".into(),
        Box::new(TokenEndpoint { refresh_tokens }),
    )]
}

struct TokenEndpoint {
    refresh_tokens: Arc<RefreshTokens>,
}

impl Endpoint for TokenEndpoint {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        let Some(body) = request
            .json_object()
            .filter(|_| request.media_type().as_deref() == Some("text/plain"))
        else {
            return Reply::status(400);
        };
        let client_ok = text(&body, "client_id") == Some(CLIENT_ID)
            && text(&body, "client_secret") == Some(CLIENT_SECRET);
        let valid = client_ok
            && match text(&body, "grant_type") {
                Some("password") => {
                    text(&body, "username") == Some(USERNAME)
                        && text(&body, "password") == Some(PASSWORD)
                }
                Some("refresh_token") => text(&body, "refresh_token")
                    .is_some_and(|token| self.refresh_tokens.redeem(token)),
                _ => false,
            };
        if !valid {
            return Reply::status(401);
        }
        Reply::json(
            200,
            &json!({
                "access_token": tokens::jwt(USERNAME, Duration::from_secs(3600)),
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": self.refresh_tokens.issue("def50200"),
            }),
        )
    }
}
