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
//! println!("{} token, expires in {:?}", token.token_type(), token.expires_in());
//! # Ok(())
//! # }
//! ```

mod daftra;
mod ezzydoc;
mod myzeepay;
mod ondayzero;
mod sohar;

pub use daftra::Daftra;
pub use ezzydoc::EzzyDoc;
pub use myzeepay::MyZeePay;
pub use ondayzero::OnDayZero;
pub use sohar::Sohar;
