//! DPoP (RFC 9449): tokens bound to a key pair the client holds, so a stolen
//! token is useless without the key.
//!
//! A provider declared with `#[token(dpop)]` (ES256; `dpop = "ES384"` or
//! `"EdDSA"` for another algorithm) generates a [`DpopKey`] for each new
//! token and sends a proof signed with it on every token request, in the
//! `DPoP` header: a JWT with `typ` `dpop+jwt`, the algorithm and the public
//! key (`jwk`) in its header, and `htm` (the method), `htu` (the URL without
//! query or fragment), `iat` and a unique `jti` as claims. The token keeps the
//! key: a refresh proves the same key, so the refreshed token stays bound to
//! it, and a shared store keeps it inside the sealed entry.
//!
//! When the token endpoint answers `400 use_dpop_nonce` with a `DPoP-Nonce`
//! header, the request is built again with the nonce in its proof and sent
//! once more; a second refusal is returned as the provider's error. The
//! latest nonce is kept in [`Nonces`] (a cache keeps one per provider) and
//! replaced whenever a response brings another.
//!
//! A token the server issued as `token_type: DPoP` ([`Token::is_dpop`](crate::Token::is_dpop))
//! is sent by [`TokenSource::send_authorized`](crate::TokenSource::send_authorized)
//! as `Authorization: DPoP <token>` with a fresh proof of the request's method
//! and URL and the token's hash (`ath`), retried once on a resource server's
//! nonce challenge. A server that answers with a Bearer token despite the
//! proof gets it used as a Bearer token. With another HTTP client, make the
//! proof with [`Token::dpop_proof`](crate::Token::dpop_proof) or [`DpopKey::proof`].
//!
//! The private key is never in `Debug` or `Display` output, an error, a log
//! line or a metric, and a shared store holds it only sealed.

mod challenge;
#[cfg(feature = "jwt")]
mod key;
mod nonce;
pub(crate) mod possession;
#[cfg(feature = "jwt")]
mod proof;

#[cfg(feature = "jwt")]
pub use key::DpopKey;
pub(crate) use nonce::token_endpoint_retry;
pub use nonce::{NONCE_HEADER, Nonces, USE_DPOP_NONCE, offered, resource_retry};
pub use possession::PROOF_HEADER;
