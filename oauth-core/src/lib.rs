//! Runtime for `#[derive(TokenEndpoint)]`: OAuth token requests and responses as
//! typed data, with redacted secrets, typed errors and safe HTTP defaults.
//!
//! A provider is a struct whose attributes say how its token endpoint bends the
//! standard; the derive writes the request building and response parsing. Its
//! page, [`TokenEndpoint`](derive@TokenEndpoint), is the attribute reference.
//!
//! ```
//! use oauth_core::{Secret, TokenEndpoint, TokenResponse};
//! use oauth_core::http::{StatusCode, header::HeaderMap};
//!
//! /// Acme's token endpoint: JSON in, the token under `token`.
//! #[derive(TokenEndpoint)]
//! #[token(base_url = "https://auth.acme.example", path = "/oauth/token", body = "json")]
//! #[token(param(grant_type = "client_credentials"), response(access_token = "token"))]
//! struct Acme {
//!     client_id: String,
//!     #[token(secret)]
//!     client_secret: Secret,
//! }
//!
//! # fn main() -> Result<(), oauth_core::Error> {
//! let acme = Acme::new("my-client", "my-secret");
//!
//! // The request is data: nothing has been sent.
//! let request = acme.build_request()?;
//! assert_eq!(request.url().as_str(), "https://auth.acme.example/oauth/token");
//! assert_eq!(
//!     request.body(),
//!     Some(&br#"{"client_id":"my-client","client_secret":"my-secret","grant_type":"client_credentials"}"#[..])
//! );
//!
//! // So is the response.
//! let body = br#"{"token": "abc", "expires_in": 3600, "account": 42}"#;
//! let token = acme.parse_response(&TokenResponse::new(StatusCode::OK, &HeaderMap::new(), body))?;
//! assert_eq!(token.access_token().expose_secret(), "abc");
//! assert_eq!(format!("{:?}", token.access_token()), "[redacted]");
//! assert_eq!(token.extra::<u32>("account").ok().flatten(), Some(42));
//! # Ok(())
//! # }
//! ```
//!
//! To send it, `acme.fetch_token(&HttpClient::new()?).await` (or, with no
//! async runtime, `acme.fetch_token_blocking(&blocking::HttpClient::new())`);
//! see [`HttpClient`] for the defaults, [`transport`] to bring your own HTTP
//! stack, and [`TokenEndpoint::with_base_url`] to point a provider at a test
//! server. In a service, put it behind a [`TokenCache`] (or a
//! [`blocking::TokenCache`]): one request per token lifetime, renewed ahead of
//! expiry, backing off from a failing provider, however many tasks ask; its
//! decisions are the pure [`lifecycle`] and its token lives in a
//! [`store`]. Every derived provider also reads its settings from the
//! environment ([`FromSettings::from_env`]).
//!
//! # Features
//!
//! - `reqwest` (default): [`HttpClient`], the async transport on reqwest with
//!   rustls, [`TokenSource::send_authorized`], and `tokio`.
//! - `tokio` (with `reqwest`): the async [`TokenCache`], for any [`Transport`].
//! - `blocking`: `blocking::HttpClient`, a transport on ureq that needs no
//!   async runtime. [`blocking::TokenCache`] needs no feature.
//! - `metrics`: cache and request metrics through the `metrics` facade.
//! - `jwt` (default): keys instead of shared secrets: `client_auth =
//!   "private_key_jwt"`, the JWT bearer grant (`assertion(grant)`), a
//!   [`PrivateKey`] read from PEM or a JWK, a [`ServiceAccountKey`] file. Each
//!   request signs a new assertion, built purely in a [`RequestContext`]
//!   ([`TokenEndpoint::build_request_in`]). And tokens bound to a key the
//!   client holds: [`dpop`] (`#[token(dpop)]`, RFC 9449).
//!
//! With `default-features = false` the crate depends on neither reqwest nor
//! Tokio.

#[cfg(feature = "jwt")]
mod assertion;
#[cfg(feature = "reqwest")]
mod authorized;
mod cache;
#[cfg(feature = "jwt")]
mod context;
pub mod dpop;
mod endpoint;
mod endpoint_url;
mod error;
mod exchange;
mod extras;
mod inline_text;
#[cfg(feature = "jwt")]
mod key;
pub mod lifecycle;
mod lifetime;
mod param;
mod request;
mod response;
mod scrub;
mod secret;
#[cfg(feature = "jwt")]
mod service_account;
mod settings;
mod source;
pub mod store;
mod token;
pub mod transport;

/// Items only generated code uses, named with this version so that a derive of
/// another version fails to build instead of misbehaving (see `private.rs`).
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private_0_1_0;

#[cfg(feature = "jwt")]
pub use assertion::{
    CLIENT_ASSERTION_TYPE, DEFAULT_LIFETIME, HS256_MIN_SECRET_BYTES, JWT_BEARER_GRANT,
};
pub use cache::Clock;
#[cfg(feature = "tokio")]
pub use cache::{TokenCache, TokenCacheBuilder, TokenFuture};
#[cfg(feature = "jwt")]
pub use context::{IdSource, RandomIds, RequestContext};
#[cfg(feature = "jwt")]
pub use dpop::DpopKey;
pub use endpoint::{CustomUrl, TokenEndpoint};
pub use endpoint_url::is_loopback;
pub use error::{
    ConfigError, Error, MalformedResponse, Problem, ProviderError, RequestKind, TransportError,
    TransportErrorKind,
};
#[cfg(feature = "jwt")]
pub use key::{Algorithm, KeyError, PrivateKey};
pub use lifecycle::RefreshPolicy;
pub use lifetime::Lifetime;
pub use oauth_derive::TokenEndpoint;
pub use param::{Param, ParamValue};
pub use request::TokenRequest;
pub use response::TokenResponse;
pub use scrub::Scrubber;
pub use secret::Secret;
#[cfg(feature = "jwt")]
pub use service_account::ServiceAccountKey;
pub use settings::{
    Environment, FieldMetadata, FromSettings, ProviderMetadata, SettingError, SettingSource,
};
pub use source::TokenSource;
#[cfg(feature = "redis")]
pub use store::{RedisStore, RedisStoreBuilder};
pub use token::Token;
#[cfg(feature = "reqwest")]
pub use transport::reqwest::{HttpClient, HttpClientBuilder};
pub use transport::{BlockingTransport, Transport, TransportFailure};

/// The `http` crate this crate's requests and responses are made of, re-exported so versions always match.
pub use http;
/// The HTTP client library [`HttpClient`] runs on, re-exported so versions always match.
#[cfg(feature = "reqwest")]
pub use reqwest;

/// Use without an async runtime: a token cache renewing on threads, and (with
/// the `blocking` feature) a transport on ureq.
pub mod blocking {
    pub use crate::cache::blocking::{TokenCache, TokenCacheBuilder};
    #[cfg(feature = "blocking")]
    pub use crate::transport::ureq::{HttpClient, HttpClientBuilder};
}
