use async_trait::async_trait;
use url::Url;

use crate::dpop::Nonces;
use crate::endpoint_url::{join, parse_endpoint_url};
use crate::exchange::Exchange;
use crate::transport::{BlockingTransport, Transport};
#[cfg(feature = "jwt")]
use crate::{Algorithm, RequestContext};
use crate::{Error, Secret, Token, TokenRequest, TokenResponse};

/// A provider's token endpoint: how to ask it for a token and how to read its answer.
///
/// Usually derived: `#[derive(TokenEndpoint)]` writes every required method
/// from the struct's attributes. Building the request and parsing the response
/// are pure, so they can be tested without a network; [`fetch_token`](Self::fetch_token)
/// does the I/O. The trait is object safe: `Box<dyn TokenEndpoint>` holds any provider.
#[async_trait]
pub trait TokenEndpoint: Send + Sync {
    /// A short, stable name for the provider, used in errors and logs (`sohar`).
    fn provider_name(&self) -> &'static str;

    /// The provider's base URL, with any template parts filled from this value.
    fn base_url(&self) -> Result<Url, Error>;

    /// The token endpoint's path under the base URL (`/oauth/token`).
    fn token_path(&self) -> &str;

    /// Builds the token request, sent to `token_url`.
    fn build_request_to(&self, token_url: Url) -> Result<TokenRequest, Error>;

    /// Turns the provider's response into a token or a typed error.
    fn parse_response(&self, response: &TokenResponse<'_>) -> Result<Token, Error>;

    /// Builds the token request at the time, and with the unique ids, that
    /// `context` gives: the pure form of [`build_request_to`](Self::build_request_to),
    /// which a provider that signs assertions builds at the system's time.
    #[cfg(feature = "jwt")]
    fn build_request_in(
        &self,
        token_url: Url,
        context: &RequestContext<'_>,
    ) -> Result<TokenRequest, Error> {
        let _ = context;
        self.build_request_to(token_url)
    }

    /// Builds the refresh request in `context`, as [`build_request_in`](Self::build_request_in) does the token request.
    #[cfg(feature = "jwt")]
    fn build_refresh_request_in(
        &self,
        refresh_url: Url,
        refresh_token: &Secret,
        context: &RequestContext<'_>,
    ) -> Result<Option<TokenRequest>, Error> {
        let _ = context;
        self.build_refresh_request_to(refresh_url, refresh_token)
    }

    /// The path of the endpoint that renews tokens; the token path unless the provider declares another.
    fn refresh_path(&self) -> &str {
        self.token_path()
    }

    /// Builds the request that renews a token with `refresh_token`, sent to
    /// `refresh_url`; `Ok(None)` when the provider declares no way to refresh.
    fn build_refresh_request_to(
        &self,
        refresh_url: Url,
        refresh_token: &Secret,
    ) -> Result<Option<TokenRequest>, Error> {
        let _ = (refresh_url, refresh_token);
        Ok(None)
    }

    /// The full refresh endpoint URL: the base URL followed by the refresh path.
    fn refresh_url(&self) -> Result<Url, Error> {
        join(&self.base_url()?, self.refresh_path())
    }

    /// Builds the refresh request to this provider's refresh URL, if it has one.
    fn build_refresh_request(&self, refresh_token: &Secret) -> Result<Option<TokenRequest>, Error> {
        self.build_refresh_request_to(self.refresh_url()?, refresh_token)
    }

    /// The full token endpoint URL: the base URL followed by the token path.
    fn token_url(&self) -> Result<Url, Error> {
        join(&self.base_url()?, self.token_path())
    }

    /// Builds the token request to this provider's token URL.
    fn build_request(&self) -> Result<TokenRequest, Error> {
        self.build_request_to(self.token_url()?)
    }

    /// The algorithm of the DPoP proofs (RFC 9449) this provider sends with
    /// its token requests, declared with `#[token(dpop)]`; `None` when it sends none.
    #[cfg(feature = "jwt")]
    fn dpop(&self) -> Option<Algorithm> {
        None
    }

    /// Requests a token with `client` (an [`HttpClient`](crate::HttpClient),
    /// say) and parses the answer.
    async fn fetch_token(&self, client: &dyn Transport) -> Result<Token, Error> {
        let nonces = Nonces::new();
        Exchange::token(self, &nonces)?.send(client).await
    }

    /// Renews a token with its refresh token; `Ok(None)` when the provider declares no refresh.
    ///
    /// A provider that uses DPoP proves a new key here; [`renew_token`](Self::renew_token)
    /// proves the one the token is bound to.
    async fn refresh_token(
        &self,
        client: &dyn Transport,
        refresh_token: &Secret,
    ) -> Result<Option<Token>, Error> {
        let nonces = Nonces::new();
        match Exchange::refresh(self, refresh_token, None, &nonces)? {
            Some(exchange) => exchange.send(client).await.map(Some),
            None => Ok(None),
        }
    }

    /// Renews `token` with its refresh token, proving the DPoP key it is bound
    /// to, if any; `Ok(None)` when it has no refresh token or the provider declares no refresh.
    async fn renew_token(
        &self,
        client: &dyn Transport,
        token: &Token,
    ) -> Result<Option<Token>, Error> {
        let Some(refresh_token) = token.refresh_token() else {
            return Ok(None);
        };
        let nonces = Nonces::new();
        match Exchange::refresh(self, refresh_token, Some(token), &nonces)? {
            Some(exchange) => exchange.send(client).await.map(Some),
            None => Ok(None),
        }
    }

    /// Requests a token on this thread, with no async runtime
    /// (with a [`blocking::HttpClient`](crate::blocking), say).
    fn fetch_token_blocking(&self, client: &dyn BlockingTransport) -> Result<Token, Error> {
        Exchange::token(self, &Nonces::new())?.send_blocking(client)
    }

    /// Renews a token on this thread; `Ok(None)` when the provider declares no refresh.
    fn refresh_token_blocking(
        &self,
        client: &dyn BlockingTransport,
        refresh_token: &Secret,
    ) -> Result<Option<Token>, Error> {
        Exchange::refresh(self, refresh_token, None, &Nonces::new())?
            .map(|exchange| exchange.send_blocking(client))
            .transpose()
    }

    /// Renews `token` on this thread, as [`renew_token`](Self::renew_token) does.
    fn renew_token_blocking(
        &self,
        client: &dyn BlockingTransport,
        token: &Token,
    ) -> Result<Option<Token>, Error> {
        let Some(refresh_token) = token.refresh_token() else {
            return Ok(None);
        };
        Exchange::refresh(self, refresh_token, Some(token), &Nonces::new())?
            .map(|exchange| exchange.send_blocking(client))
            .transpose()
    }

    /// The same provider served from another base URL (a staging server, a
    /// sandbox, a test server); the token path stays the declared one.
    ///
    /// `http://` is accepted only for loopback hosts.
    fn with_base_url(self, base_url: &str) -> Result<CustomUrl<Self>, Error>
    where
        Self: Sized,
    {
        let base_url = parse_endpoint_url(base_url, "base URL")?;
        let token_url = join(&base_url, self.token_path())?;
        let refresh_url = join(&base_url, self.refresh_path())?;
        Ok(CustomUrl {
            provider: self,
            target: Target::BaseUrl {
                base_url,
                token_url,
                refresh_url,
            },
        })
    }

    /// The same provider with its whole token URL replaced, for a tenant whose
    /// route differs from the declared one.
    fn with_token_url(self, token_url: &str) -> Result<CustomUrl<Self>, Error>
    where
        Self: Sized,
    {
        Ok(CustomUrl {
            provider: self,
            target: Target::TokenUrl(parse_endpoint_url(token_url, "token URL")?),
        })
    }
}

/// A provider sent somewhere other than its declared URL (see
/// [`TokenEndpoint::with_base_url`] and [`TokenEndpoint::with_token_url`]),
/// or left at it with [`CustomUrl::declared`].
#[derive(Clone, Debug)]
pub struct CustomUrl<P> {
    provider: P,
    target: Target,
}

/// The replacement URLs, joined once when the provider is pointed elsewhere.
#[derive(Clone, Debug)]
enum Target {
    /// The declared URL, unchanged.
    Declared,
    BaseUrl {
        base_url: Url,
        token_url: Url,
        refresh_url: Url,
    },
    TokenUrl(Url),
}

impl<P> CustomUrl<P> {
    /// The provider at its declared URL, for code that may or may not have been given another one.
    pub fn declared(provider: P) -> Self {
        Self {
            provider,
            target: Target::Declared,
        }
    }

    /// The provider itself.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    /// The provider, without the custom URL.
    pub fn into_provider(self) -> P {
        self.provider
    }
}

impl<P: TokenEndpoint> TokenEndpoint for CustomUrl<P> {
    fn provider_name(&self) -> &'static str {
        self.provider.provider_name()
    }

    fn base_url(&self) -> Result<Url, Error> {
        match &self.target {
            Target::BaseUrl { base_url, .. } => Ok(base_url.clone()),
            Target::Declared | Target::TokenUrl(_) => self.provider.base_url(),
        }
    }

    fn token_path(&self) -> &str {
        self.provider.token_path()
    }

    fn token_url(&self) -> Result<Url, Error> {
        match &self.target {
            Target::BaseUrl { token_url, .. } | Target::TokenUrl(token_url) => {
                Ok(token_url.clone())
            }
            Target::Declared => self.provider.token_url(),
        }
    }

    fn build_request_to(&self, token_url: Url) -> Result<TokenRequest, Error> {
        self.provider.build_request_to(token_url)
    }

    #[cfg(feature = "jwt")]
    fn build_request_in(
        &self,
        token_url: Url,
        context: &RequestContext<'_>,
    ) -> Result<TokenRequest, Error> {
        self.provider.build_request_in(token_url, context)
    }

    #[cfg(feature = "jwt")]
    fn build_refresh_request_in(
        &self,
        refresh_url: Url,
        refresh_token: &Secret,
        context: &RequestContext<'_>,
    ) -> Result<Option<TokenRequest>, Error> {
        self.provider
            .build_refresh_request_in(refresh_url, refresh_token, context)
    }

    fn refresh_path(&self) -> &str {
        self.provider.refresh_path()
    }

    #[cfg(feature = "jwt")]
    fn dpop(&self) -> Option<Algorithm> {
        self.provider.dpop()
    }

    fn refresh_url(&self) -> Result<Url, Error> {
        match &self.target {
            Target::BaseUrl { refresh_url, .. } => Ok(refresh_url.clone()),
            // A replaced token URL serves refreshes too, unless they have a path of their own.
            Target::TokenUrl(token_url) if self.refresh_path() == self.token_path() => {
                Ok(token_url.clone())
            }
            Target::Declared | Target::TokenUrl(_) => self.provider.refresh_url(),
        }
    }

    fn build_refresh_request_to(
        &self,
        refresh_url: Url,
        refresh_token: &Secret,
    ) -> Result<Option<TokenRequest>, Error> {
        self.provider
            .build_refresh_request_to(refresh_url, refresh_token)
    }

    fn parse_response(&self, response: &TokenResponse<'_>) -> Result<Token, Error> {
        self.provider.parse_response(response)
    }
}

/// A boxed provider is a provider, so `Box<dyn TokenEndpoint>` can be pointed elsewhere too.
#[async_trait]
impl<P: TokenEndpoint + ?Sized> TokenEndpoint for Box<P> {
    fn provider_name(&self) -> &'static str {
        (**self).provider_name()
    }

    fn base_url(&self) -> Result<Url, Error> {
        (**self).base_url()
    }

    fn token_path(&self) -> &str {
        (**self).token_path()
    }

    fn build_request_to(&self, token_url: Url) -> Result<TokenRequest, Error> {
        (**self).build_request_to(token_url)
    }

    #[cfg(feature = "jwt")]
    fn build_request_in(
        &self,
        token_url: Url,
        context: &RequestContext<'_>,
    ) -> Result<TokenRequest, Error> {
        (**self).build_request_in(token_url, context)
    }

    #[cfg(feature = "jwt")]
    fn build_refresh_request_in(
        &self,
        refresh_url: Url,
        refresh_token: &Secret,
        context: &RequestContext<'_>,
    ) -> Result<Option<TokenRequest>, Error> {
        (**self).build_refresh_request_in(refresh_url, refresh_token, context)
    }

    fn parse_response(&self, response: &TokenResponse<'_>) -> Result<Token, Error> {
        (**self).parse_response(response)
    }

    fn refresh_path(&self) -> &str {
        (**self).refresh_path()
    }

    #[cfg(feature = "jwt")]
    fn dpop(&self) -> Option<Algorithm> {
        (**self).dpop()
    }

    fn build_refresh_request_to(
        &self,
        refresh_url: Url,
        refresh_token: &Secret,
    ) -> Result<Option<TokenRequest>, Error> {
        (**self).build_refresh_request_to(refresh_url, refresh_token)
    }

    fn refresh_url(&self) -> Result<Url, Error> {
        (**self).refresh_url()
    }

    fn token_url(&self) -> Result<Url, Error> {
        (**self).token_url()
    }
}
