//! The bundled providers: one `#[derive(TokenEndpoint)]` struct per published
//! token endpoint. Each is built with `new(...)` from its required fields and
//! fetches a token like any other provider:
//!
//! ```no_run
//! use oauth_core::{HttpClient, TokenEndpoint};
//! use oauth_providers::Sohar;
//!
//! # async fn run() -> Result<(), oauth_core::Error> {
//! let client = HttpClient::new()?;
//! let token = Sohar::new("client-id", "client-secret").fetch_token(&client).await?;
//! if let Some(lifetime) = token.lifetime() {
//!     println!("{} token, valid for {lifetime}", token.token_type()); // 59m 59s
//! }
//! # Ok(())
//! # }
//! ```

mod daftra;
mod ezzydoc;
mod myzeepay;
mod ondayzero;
mod sohar;

use oauth_core::{Error, FromSettings, ProviderMetadata, SettingSource, TokenEndpoint};

pub use daftra::Daftra;
pub use ezzydoc::EzzyDoc;
pub use myzeepay::MyZeePay;
pub use ondayzero::OnDayZero;
pub use sohar::Sohar;

/// A bundled provider as tools see it: its metadata, and how to build it from settings.
#[derive(Clone, Copy, Debug)]
pub struct Bundled {
    /// Its name and settings.
    pub metadata: ProviderMetadata,
    /// Builds it from settings (environment variables, flags).
    pub build: BuildFromSettings,
}

/// Builds a bundled provider from settings.
pub type BuildFromSettings = fn(&mut dyn SettingSource) -> Result<Box<dyn TokenEndpoint>, Error>;

/// Every bundled provider, in alphabetical order.
pub const BUNDLED: [Bundled; 5] = [
    bundled::<Daftra>(),
    bundled::<EzzyDoc>(),
    bundled::<MyZeePay>(),
    bundled::<OnDayZero>(),
    bundled::<Sohar>(),
];

const fn bundled<P: FromSettings + TokenEndpoint + 'static>() -> Bundled {
    Bundled {
        metadata: P::METADATA,
        build: |source| Ok(Box::new(P::from_settings(source)?)),
    }
}
