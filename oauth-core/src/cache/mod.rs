//! Token caches: thin drivers joining the [`lifecycle`](crate::lifecycle),
//! a [`Transport`](crate::Transport) and a [`TokenStore`](crate::store::TokenStore).
//! The async one runs renewals on Tokio; the blocking one on threads.

#[cfg(feature = "tokio")]
mod asynchronous;
pub(crate) mod blocking;
mod clock;
mod core;
mod hook;
mod hot;

#[cfg(feature = "tokio")]
pub use asynchronous::{TokenCache, TokenCacheBuilder, TokenFuture};
pub use clock::Clock;
