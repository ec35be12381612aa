use std::sync::Arc;

use async_trait::async_trait;

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

    /// Sends `request` with `Authorization: Bearer <token>`; on a 401 it
    /// invalidates the token and sends once more with a new one (when the
    /// request can be cloned, which a streaming body cannot).
    ///
    /// It retries once only: if the new token is refused too, that second 401
    /// is returned as the response, for the caller to read.
    #[cfg(feature = "reqwest")]
    async fn send_authorized(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        let name = self.source_name();
        let retry = request.try_clone();
        let token = self.token().await?;
        let response = send_with(request, &token, name).await?;
        let Some(retry) = retry.filter(|_| response.status() == http::StatusCode::UNAUTHORIZED)
        else {
            return Ok(response);
        };
        self.invalidate_token(&token);
        let token = self.token().await?;
        send_with(retry, &token, name).await
    }
}

#[cfg(feature = "reqwest")]
async fn send_with(
    request: reqwest::RequestBuilder,
    token: &Token,
    name: &'static str,
) -> Result<reqwest::Response, Error> {
    use crate::error::{RequestKind, TransportError};

    request
        .bearer_auth(token.access_token().expose_secret())
        .send()
        .await
        .map_err(|source| {
            let failure = crate::transport::reqwest::failure(source);
            Error::Transport(TransportError::new(name, RequestKind::Authorized, failure))
        })
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
