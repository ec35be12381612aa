//! The loopback sandbox ([`oauth_sandbox`]) as the suites use it: started or the
//! test fails, with the bundled providers pointed at it.

use std::ops::Deref;

use oauth_core::{CustomUrl, Error, TokenEndpoint};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};

pub use oauth_sandbox::{EZZYDOC_PREFIX, Server, credentials};

/// The five emulated providers' servers (through `Deref`), and the bundled providers pointed at them.
pub struct Sandbox(oauth_sandbox::Sandbox);

impl Deref for Sandbox {
    type Target = oauth_sandbox::Sandbox;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Sandbox {
    /// Starts the five servers on free loopback ports.
    pub async fn start() -> Self {
        Self(oauth_sandbox::Sandbox::start().expect("the sandbox listens on loopback ports"))
    }

    /// Starts the five servers, each answering `text/plain` unless the request asks for JSON.
    pub async fn start_negotiating() -> Self {
        Self(
            oauth_sandbox::Sandbox::start_negotiating()
                .expect("the sandbox listens on loopback ports"),
        )
    }

    /// An EzzyDoc provider pointed at the sandbox.
    pub fn ezzydoc(&self, provider: EzzyDoc) -> Result<CustomUrl<EzzyDoc>, Error> {
        provider.with_base_url(&self.0.ezzydoc_base_url())
    }

    /// The server to give [`MyZeePay::with_server`].
    pub fn myzeepay_server(&self) -> String {
        self.0.myzeepay.uri()
    }

    /// An OnDayZero provider pointed at the sandbox.
    pub fn ondayzero(&self, provider: OnDayZero) -> Result<CustomUrl<OnDayZero>, Error> {
        provider.with_base_url(&self.0.ondayzero.uri())
    }

    /// The tenant origin to give [`Daftra::new`].
    pub fn daftra_subdomain(&self) -> String {
        self.0.daftra.uri()
    }

    /// A Sohar provider pointed at the sandbox.
    pub fn sohar(&self, provider: Sohar) -> Result<CustomUrl<Sohar>, Error> {
        provider.with_base_url(&self.0.sohar.uri())
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
