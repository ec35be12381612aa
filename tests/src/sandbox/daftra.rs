use std::sync::Arc;

use serde_json::json;
use wiremock::{Request, Respond, ResponseTemplate};

use super::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use crate::wire::{self, RefreshTokens, text};

/// Daftra: raw JSON labelled `text/plain`; a bare 401 for invalid credentials.
///
/// A body that is not JSON under `text/plain` gives a bare 400 (undocumented).
/// `grant_type=refresh_token` on the same endpoint redeems and rotates a refresh token.
pub struct DaftraEmulator {
    /// The refresh tokens issued and not yet redeemed.
    pub refresh_tokens: Arc<RefreshTokens>,
}

impl Respond for DaftraEmulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(body) = wire::json_object(request)
            .filter(|_| wire::media_type(request).as_deref() == Some("text/plain"))
        else {
            return ResponseTemplate::new(400);
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
            return ResponseTemplate::new(401);
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": wire::jwt(USERNAME, std::time::Duration::from_secs(3600)),
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": self.refresh_tokens.issue("def50200"),
        }))
    }
}
