//! The five bundled providers' token endpoints, emulated on loopback from their
//! published descriptions: right credentials get a token, wrong ones get the
//! error that provider documents, in the shape it documents.
//!
//! ```
//! # fn main() -> std::io::Result<()> {
//! use oauth_sandbox::Sandbox;
//!
//! let sandbox = Sandbox::start()?;
//! // Point a client at `sandbox.sohar.uri()`: its token endpoint is `/oauth/token`.
//! assert!(sandbox.sohar.uri().starts_with("http://127.0.0.1:"));
//! assert_eq!(sandbox.sohar.request_count(), 0);
//! # Ok(())
//! # }
//! ```
//!
//! Every provider accepts the same [`credentials`]. Each [`Server`] records the
//! requests it receives, for tests to inspect. Nothing here knows the client
//! side: the sandbox speaks HTTP, as the real providers do.

mod daftra;
mod ezzydoc;
mod myzeepay;
mod negotiation;
mod ondayzero;
mod reply;
mod request;
mod server;
mod sohar;
mod tokens;

use std::io;
use std::sync::Arc;

use negotiation::Negotiated;
use server::{Launch, Routes};

pub use request::{ReceivedRequest, form_fields, json_object, media_type};
pub use server::Server;
pub use tokens::{RefreshTokens, jwt, opaque_token};

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

/// The path prefix of EzzyDoc's server URL: its base URL is the server's URI followed by it.
pub const EZZYDOC_PREFIX: &str = "/EzzyService.svc/Rest";

/// Five loopback servers, one per bundled provider, each running its emulator.
///
/// They run on a thread of their own, so any runtime, or none, can use them;
/// they stop once the sandbox (every [`Server`] in it) is dropped.
#[derive(Debug)]
pub struct Sandbox {
    /// EzzyDoc's server; its base URL is [`Sandbox::ezzydoc_base_url`].
    pub ezzydoc: Server,
    /// MyZeePay's server, the `server` a client is given.
    pub myzeepay: Server,
    /// OnDayZero's server, token and refresh endpoints.
    pub ondayzero: Server,
    /// Daftra's server: a tenant's origin.
    pub daftra: Server,
    /// Sohar's server.
    pub sohar: Server,
    /// MyZeePay's live refresh tokens.
    pub myzeepay_refresh_tokens: Arc<RefreshTokens>,
    /// Daftra's live refresh tokens.
    pub daftra_refresh_tokens: Arc<RefreshTokens>,
}

impl Sandbox {
    /// Starts the five servers on free loopback ports.
    pub fn start() -> io::Result<Self> {
        Self::launch(0, false)
    }

    /// Starts the five servers on `first_port` and the four ports after it, in the
    /// order EzzyDoc, MyZeePay, OnDayZero, Daftra, Sohar; `0` picks free ports.
    pub fn start_on(first_port: u16) -> io::Result<Self> {
        Self::launch(first_port, false)
    }

    /// Starts the five servers on free ports, each answering `text/plain` unless
    /// the request asks for JSON (`Accept: application/json`), as a server offering
    /// several representations does when text/plain comes first in its list.
    pub fn start_negotiating() -> io::Result<Self> {
        Self::launch(0, true)
    }

    fn launch(first_port: u16, negotiating: bool) -> io::Result<Self> {
        let port = |offset: u16| -> io::Result<u16> {
            if first_port == 0 {
                return Ok(0);
            }
            first_port.checked_add(offset).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("the sandbox needs five ports from {first_port}, beyond 65535"),
                )
            })
        };
        let negotiated = |routes: Routes| -> Routes {
            if !negotiating {
                return routes;
            }
            let negotiated = |(path, endpoint)| (path, Box::new(Negotiated(endpoint)) as _);
            routes.into_iter().map(negotiated).collect()
        };
        let myzeepay_refresh_tokens = Arc::new(RefreshTokens::default());
        let daftra_refresh_tokens = Arc::new(RefreshTokens::default());
        let mut launch = Launch::new()?;
        let mut serve = |offset, routes| launch.serve(port(offset)?, negotiated(routes));
        let sandbox = Self {
            ezzydoc: serve(0, ezzydoc::routes())?,
            myzeepay: serve(1, myzeepay::routes(Arc::clone(&myzeepay_refresh_tokens)))?,
            ondayzero: serve(2, ondayzero::routes())?,
            daftra: serve(3, daftra::routes(Arc::clone(&daftra_refresh_tokens)))?,
            sohar: serve(4, sohar::routes())?,
            myzeepay_refresh_tokens,
            daftra_refresh_tokens,
        };
        launch.run()?;
        Ok(sandbox)
    }

    /// EzzyDoc's base URL in the sandbox: its server's URI and [`EZZYDOC_PREFIX`].
    pub fn ezzydoc_base_url(&self) -> String {
        format!("{}{EZZYDOC_PREFIX}", self.ezzydoc.uri())
    }
}
