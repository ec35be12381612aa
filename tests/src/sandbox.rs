//! The embedded sandbox: the five bundled providers' token endpoints, emulated
//! on loopback from their published descriptions.
//!
//! Right credentials get a token; wrong ones get the error that provider
//! documents, in the shape it documents. Every provider accepts the same
//! [`credentials`].

mod daftra;
mod ezzydoc;
mod myzeepay;
mod ondayzero;
mod sohar;

use std::sync::Arc;

use oauth_core::{CustomUrl, Error, TokenEndpoint};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::wire::RefreshTokens;

pub use daftra::DaftraEmulator;
pub use ezzydoc::EzzyDocEmulator;
pub use myzeepay::MyZeePayEmulator;
pub use ondayzero::{OnDayZeroEmulator, OnDayZeroRefreshEmulator};
pub use sohar::SoharEmulator;

/// The credentials the sandbox accepts, for every provider.
pub mod credentials {
    /// The client id.
    pub const CLIENT_ID: &str = "sandbox-client";
    /// The client secret.
    pub const CLIENT_SECRET: &str = "sandbox-client-secret";
    /// The resource owner's user name (MyZeePay, Daftra).
    pub const USERNAME: &str = "owner@sandbox.test";
    /// The resource owner's password (MyZeePay, Daftra).
    pub const PASSWORD: &str = "sandbox-password";
    /// OnDayZero's user email.
    pub const USER_EMAIL: &str = "user@sandbox.test";
    /// OnDayZero's API token.
    pub const API_TOKEN: &str = "dz_sandbox_api_token";
    /// OnDayZero's business id.
    pub const BUSINESS_ID: &str = "6f1c2b9e-8a4d-4f0e-9a57-3c2d1e0f4b6a";
}

/// The path prefix of EzzyDoc's server URL.
pub const EZZYDOC_PREFIX: &str = "/EzzyService.svc/Rest";

/// Five loopback servers, one per bundled provider, each running its emulator.
pub struct Sandbox {
    /// EzzyDoc's server.
    pub ezzydoc: MockServer,
    /// MyZeePay's server.
    pub myzeepay: MockServer,
    /// OnDayZero's server.
    pub ondayzero: MockServer,
    /// Daftra's server (a tenant's origin).
    pub daftra: MockServer,
    /// Sohar's server.
    pub sohar: MockServer,
    /// MyZeePay's live refresh tokens.
    pub myzeepay_refresh_tokens: Arc<RefreshTokens>,
    /// Daftra's live refresh tokens.
    pub daftra_refresh_tokens: Arc<RefreshTokens>,
}

impl Sandbox {
    /// Starts the five servers on loopback ports.
    pub async fn start() -> Self {
        Self::serving(false).await
    }

    /// Starts the five servers, each answering `text/plain` unless the request
    /// asks for JSON, as a server offering several representations does when
    /// text/plain comes first in its list (EzzyDoc's published description).
    pub async fn start_negotiating() -> Self {
        Self::serving(true).await
    }

    async fn serving(negotiating: bool) -> Self {
        let negotiated = |emulator: Box<dyn Respond>| Negotiated {
            emulator,
            negotiating,
        };
        let sandbox = Self {
            ezzydoc: MockServer::start().await,
            myzeepay: MockServer::start().await,
            ondayzero: MockServer::start().await,
            daftra: MockServer::start().await,
            sohar: MockServer::start().await,
            myzeepay_refresh_tokens: Arc::default(),
            daftra_refresh_tokens: Arc::default(),
        };
        Mock::given(method("POST"))
            .and(path(format!("{EZZYDOC_PREFIX}/oauth/token")))
            .respond_with(negotiated(Box::new(EzzyDocEmulator)))
            .mount(&sandbox.ezzydoc)
            .await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(negotiated(Box::new(MyZeePayEmulator {
                refresh_tokens: Arc::clone(&sandbox.myzeepay_refresh_tokens),
            })))
            .mount(&sandbox.myzeepay)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/v1/oauth2/token"))
            .respond_with(negotiated(Box::new(OnDayZeroEmulator)))
            .mount(&sandbox.ondayzero)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/v1/oauth2/refresh"))
            .respond_with(negotiated(Box::new(OnDayZeroRefreshEmulator)))
            .mount(&sandbox.ondayzero)
            .await;
        Mock::given(method("POST"))
            .and(path("/api2/api2/oauth/token"))
            .respond_with(negotiated(Box::new(DaftraEmulator {
                refresh_tokens: Arc::clone(&sandbox.daftra_refresh_tokens),
            })))
            .mount(&sandbox.daftra)
            .await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(negotiated(Box::new(SoharEmulator)))
            .mount(&sandbox.sohar)
            .await;
        sandbox
    }

    /// An EzzyDoc provider pointed at the sandbox.
    pub fn ezzydoc(&self, provider: EzzyDoc) -> Result<CustomUrl<EzzyDoc>, Error> {
        provider.with_base_url(&format!("{}{EZZYDOC_PREFIX}", self.ezzydoc.uri()))
    }

    /// The server to give [`MyZeePay::with_server`].
    pub fn myzeepay_server(&self) -> String {
        self.myzeepay.uri()
    }

    /// An OnDayZero provider pointed at the sandbox.
    pub fn ondayzero(&self, provider: OnDayZero) -> Result<CustomUrl<OnDayZero>, Error> {
        provider.with_base_url(&self.ondayzero.uri())
    }

    /// The tenant origin to give [`Daftra::new`].
    pub fn daftra_subdomain(&self) -> String {
        self.daftra.uri()
    }

    /// A Sohar provider pointed at the sandbox.
    pub fn sohar(&self, provider: Sohar) -> Result<CustomUrl<Sohar>, Error> {
        provider.with_base_url(&self.sohar.uri())
    }

    /// Every bundled provider, with the sandbox's credentials, pointed at the sandbox.
    pub fn providers(&self) -> Result<Vec<Box<dyn TokenEndpoint>>, Error> {
        use credentials::*;
        Ok(vec![
            Box::new(self.ezzydoc(EzzyDoc::new(CLIENT_ID, CLIENT_SECRET))?),
            Box::new(
                MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
                    .with_server(self.myzeepay_server()),
            ),
            Box::new(
                self.ondayzero(
                    OnDayZero::new(API_TOKEN, USER_EMAIL).with_business_id(BUSINESS_ID),
                )?,
            ),
            Box::new(Daftra::new(
                self.daftra_subdomain(),
                CLIENT_ID,
                CLIENT_SECRET,
                USERNAME,
                PASSWORD,
            )),
            Box::new(self.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET))?),
        ])
    }
}

/// An emulator behind content negotiation: with `negotiating`, a request that
/// does not ask for JSON gets the framework's text/plain rendering of the
/// token response object, which is no token response at all.
struct Negotiated {
    emulator: Box<dyn Respond>,
    negotiating: bool,
}

impl Respond for Negotiated {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let asks_for_json = crate::wire::header(request, "accept").is_some_and(|accept| {
            accept.split(',').any(|range| {
                let media = range.split(';').next().unwrap_or_default().trim();
                media.eq_ignore_ascii_case("application/json")
            })
        });
        if self.negotiating && !asks_for_json {
            return ResponseTemplate::new(200)
                .set_body_raw("Sandbox.Models.TokenResponse", "text/plain; charset=utf-8");
        }
        self.emulator.respond(request)
    }
}
