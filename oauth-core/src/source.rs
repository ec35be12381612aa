use std::sync::Arc;

use async_trait::async_trait;

use crate::dpop::Nonces;
use crate::{Error, Token};
#[cfg(feature = "reqwest")]
use crate::{HttpClient, TokenEndpoint};

/// Hands out a currently valid access token.
///
/// Every provider is one (with the `reqwest` feature), fetching a fresh token
/// on each call with the [shared](crate::HttpClient::shared) client; a
/// [`TokenCache`](crate::TokenCache) is one that fetches once per lifetime.
/// Object safe: `Arc<dyn TokenSource>` lets code ask for tokens without
/// knowing where they come from.
#[async_trait]
pub trait TokenSource: Send + Sync {
    /// The name of the provider behind this source, for errors and logs.
    fn source_name(&self) -> &'static str;

    /// A currently valid token.
    async fn token(&self) -> Result<Arc<Token>, Error>;

    /// Forgets the current token, so the next call obtains a new one; for a
    /// caller whose request was refused with 401.
    fn invalidate(&self) {}

    /// Forgets `token` if it is still the current one, so that many callers
    /// refused with the same token cause one renewal, not one each.
    fn invalidate_token(&self, token: &Arc<Token>) {
        let _ = token;
        self.invalidate();
    }

    /// Where this source remembers the DPoP nonces servers gave, from one
    /// request to the next; `None` when it does not (each call starts afresh).
    fn dpop_nonces(&self) -> Option<&Nonces> {
        None
    }

    /// Sends `request` with the token: `Authorization: Bearer <token>`, or for
    /// a DPoP-bound token `Authorization: DPoP <token>` and a `DPoP` proof of
    /// the request's method and URL and of the token. On a 401 it invalidates
    /// the token and sends once more with a new one (when the request can be
    /// cloned, which a streaming body cannot); on a resource server's DPoP
    /// nonce challenge it first sends once more with the nonce.
    ///
    /// It retries once for each reason only: if the new token is refused too,
    /// that second 401 is returned as the response, for the caller to read.
    #[cfg(feature = "reqwest")]
    async fn send_authorized(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        crate::authorized::send(self, request).await
    }
}

#[cfg(feature = "reqwest")]
#[async_trait]
impl<P: TokenEndpoint> TokenSource for P {
    fn source_name(&self) -> &'static str {
        self.provider_name()
    }

    async fn token(&self) -> Result<Arc<Token>, Error> {
        HttpClient::shared()?.fetch(self).await.map(Arc::new)
    }
}
