//! A token server for fleet tests: MyZeePay's wire format with short token
//! lifetimes, rotating refresh tokens, and counters of what it was asked. It
//! can stall requests (to kill a client mid-request) and refuse everything.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use oauth_providers::MyZeePay;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use crate::wire::{self, RefreshTokens};

/// How long a stalled request is held: longer than any test waits.
const STALL: Duration = Duration::from_secs(120);

/// What the server saw and how it behaves.
#[derive(Debug, Default)]
pub struct Counters {
    /// Token requests with the password grant that were answered with a token.
    pub tokens: AtomicU32,
    /// Refresh requests answered with a token.
    pub refreshes: AtomicU32,
    /// Refresh requests refused because the refresh token was not live (`invalid_grant`).
    pub invalid_grants: AtomicU32,
    /// Requests refused for wrong credentials.
    pub refusals: AtomicU32,
    /// Requests received, answered or not.
    pub received: AtomicU32,
    /// How many of the next requests to hold without answering.
    pub stall_next: AtomicU32,
    /// Requests held so far.
    pub stalled: AtomicU32,
    /// Refuse every request, as a provider that revoked the client does.
    pub refuse_all: AtomicBool,
    /// Every access and refresh token issued, to look for in places they must not be.
    pub issued_values: Mutex<Vec<String>>,
}

impl Counters {
    /// Tokens issued, by either grant.
    pub fn issued(&self) -> u32 {
        self.tokens.load(Ordering::SeqCst) + self.refreshes.load(Ordering::SeqCst)
    }

    /// Every access and refresh token issued so far.
    pub fn issued_values(&self) -> Vec<String> {
        self.issued_values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A running fleet token server.
pub struct FleetServer {
    /// The loopback server.
    pub server: MockServer,
    /// What it saw.
    pub counters: Arc<Counters>,
    lifetime_seconds: u64,
}

impl FleetServer {
    /// Starts a server issuing tokens that live `lifetime_seconds`.
    pub async fn start(lifetime_seconds: u64) -> Self {
        let server = MockServer::start().await;
        let counters = Arc::new(Counters::default());
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(Issuer {
                counters: Arc::clone(&counters),
                refresh_tokens: Arc::default(),
                lifetime_seconds,
            })
            .mount(&server)
            .await;
        Self {
            server,
            counters,
            lifetime_seconds,
        }
    }

    /// The token lifetime.
    pub fn lifetime(&self) -> Duration {
        Duration::from_secs(self.lifetime_seconds)
    }

    /// The provider, with the credentials the server accepts, pointed at it.
    pub fn provider(&self) -> MyZeePay {
        self.provider_with_secret(CLIENT_SECRET)
    }

    /// The provider with another client secret (a second credential, or a wrong one).
    pub fn provider_with_secret(&self, client_secret: &str) -> MyZeePay {
        MyZeePay::new(CLIENT_ID, client_secret, USERNAME, PASSWORD).with_server(self.server.uri())
    }
}

struct Issuer {
    counters: Arc<Counters>,
    refresh_tokens: Arc<RefreshTokens>,
    lifetime_seconds: u64,
}

impl Respond for Issuer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let counters = &self.counters;
        counters.received.fetch_add(1, Ordering::SeqCst);
        let stall = counters
            .stall_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_ok();
        if stall {
            counters.stalled.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(503).set_delay(STALL);
        }
        let form = wire::form_fields(request).unwrap_or_default();
        let field = |name: &str| form.get(name).map(String::as_str);
        let client_ok =
            field("client_id") == Some(CLIENT_ID) && field("client_secret").is_some_and(accepted);
        if !client_ok || counters.refuse_all.load(Ordering::SeqCst) {
            counters.refusals.fetch_add(1, Ordering::SeqCst);
            return refusal("invalid_client", "Invalid credentials.");
        }
        if field("grant_type") == Some("refresh_token") {
            if !field("refresh_token").is_some_and(|token| self.refresh_tokens.redeem(token)) {
                counters.invalid_grants.fetch_add(1, Ordering::SeqCst);
                return refusal("invalid_grant", "Invalid refresh token.");
            }
            counters.refreshes.fetch_add(1, Ordering::SeqCst);
            return self.issue();
        }
        if field("username") != Some(USERNAME) || field("password") != Some(PASSWORD) {
            counters.refusals.fetch_add(1, Ordering::SeqCst);
            return refusal("invalid_grant", "Invalid credentials.");
        }
        counters.tokens.fetch_add(1, Ordering::SeqCst);
        self.issue()
    }
}

/// Every secret that starts with the sandbox's accepted secret is a valid
/// credential, so tests can run two credentials against one server.
fn accepted(secret: &str) -> bool {
    secret.starts_with(CLIENT_SECRET)
}

impl Issuer {
    fn issue(&self) -> ResponseTemplate {
        let access_token = wire::opaque_token("fleet-access");
        let refresh_token = self.refresh_tokens.issue("fleet-refresh");
        self.counters
            .issued_values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend([access_token.clone(), refresh_token.clone()]);
        ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": self.lifetime_seconds,
            "access_token": access_token,
            "refresh_token": refresh_token,
        }))
    }
}

fn refusal(code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": code, "message": message}))
}
