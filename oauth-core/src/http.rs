use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use reqwest::header::CONTENT_TYPE;
use tracing::Instrument as _;

use crate::endpoint_url::check_endpoint_url;
use crate::error::{MalformedResponse, Problem, RequestKind, TransportError};
use crate::{ConfigError, Error, Secret, Token, TokenEndpoint, TokenRequest, TokenResponse};

/// Sends token requests with safe defaults.
///
/// The default client follows no redirects (a token request must not be
/// replayed, credentials and all, to another address), bounds the connect and
/// overall time, and reads at most [`DEFAULT_MAX_RESPONSE_BYTES`](Self::DEFAULT_MAX_RESPONSE_BYTES)
/// of a response. Whatever the client, a URL must be `https://` unless its host
/// is loopback, and the response size cap applies.
#[derive(Clone, Debug)]
pub struct HttpClient {
    client: reqwest::Client,
    max_response_bytes: usize,
}

impl HttpClient {
    /// How long connecting may take by default.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long a whole exchange may take by default.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The largest response body read by default: 1 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1 << 20;

    /// A client with the safe defaults.
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// Starts a client with the safe defaults, to adjust.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder {
            connect_timeout: Some(Self::DEFAULT_CONNECT_TIMEOUT),
            timeout: Some(Self::DEFAULT_TIMEOUT),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Uses your own `reqwest::Client`: its redirect and timeout settings are
    /// then yours; the HTTPS rule and the response size cap still apply.
    pub fn from_reqwest(client: reqwest::Client) -> Self {
        Self {
            client,
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// One client with the safe defaults, shared by everything that was not
    /// given a client of its own (a provider used directly as a [`TokenSource`](crate::TokenSource)).
    pub fn shared() -> Result<Self, Error> {
        static SHARED: OnceLock<Result<HttpClient, Error>> = OnceLock::new();
        SHARED.get_or_init(Self::new).clone()
    }

    /// The underlying `reqwest::Client`, for requests of your own.
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.client
    }

    /// Requests a token from `provider` and parses the answer.
    pub async fn fetch<P: TokenEndpoint + ?Sized>(&self, provider: &P) -> Result<Token, Error> {
        let request = provider.build_request()?;
        self.exchange(provider, RequestKind::Token, request).await
    }

    /// Renews a token with its refresh token; `Ok(None)` when the provider declares no refresh.
    pub async fn refresh<P: TokenEndpoint + ?Sized>(
        &self,
        provider: &P,
        refresh_token: &Secret,
    ) -> Result<Option<Token>, Error> {
        let Some(request) = provider.build_refresh_request(refresh_token)? else {
            return Ok(None);
        };
        self.exchange(provider, RequestKind::Refresh, request)
            .await
            .map(Some)
    }

    async fn exchange<P: TokenEndpoint + ?Sized>(
        &self,
        provider: &P,
        kind: RequestKind,
        request: TokenRequest,
    ) -> Result<Token, Error> {
        let name = provider.provider_name();
        // Fields name the provider and the outcome, never a credential or a body.
        let span = tracing::debug_span!("oauth_token_request", provider = name, request = %kind);
        let outcome = self
            .send(provider, kind, request)
            .instrument(span.clone())
            .await;
        let _entered = span.enter();
        match &outcome {
            Ok(token) => tracing::debug!(
                token_type = token.token_type(),
                expires_in_secs = token.expires_in().map(|lifetime| lifetime.as_secs()),
                refresh_token = token.refresh_token().is_some(),
                "token received"
            ),
            Err(error) => tracing::debug!(error = %error, "token request failed"),
        }
        outcome
    }

    async fn send<P: TokenEndpoint + ?Sized>(
        &self,
        provider: &P,
        kind: RequestKind,
        mut request: TokenRequest,
    ) -> Result<Token, Error> {
        let name = provider.provider_name();
        check_endpoint_url(request.url(), "token URL")?;
        let scrubber = request.take_scrubber();
        let mut response = self
            .client
            .execute(request.into_reqwest())
            .await
            .map_err(|source| TransportError::new(name, kind, source))?;
        let status = response.status();
        let content_type = response_content_type(&response);
        // Provider text, so scrubbed before it reaches a log line or an error; only then, as it costs.
        let scrubbed = || {
            content_type
                .as_deref()
                .map(|content_type| scrubber.scrub(content_type).into_owned())
        };
        if tracing::enabled!(tracing::Level::TRACE) {
            tracing::trace!(
                status = status.as_u16(),
                content_type = scrubbed().as_deref(),
                "response headers"
            );
        }
        let too_large = || {
            Error::MalformedResponse(MalformedResponse {
                provider: name,
                status,
                content_type: scrubbed(),
                problem: Problem::TooLarge {
                    limit: self.max_response_bytes,
                },
            })
        };
        let limit = self.max_response_bytes;
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        // Read chunk by chunk so a huge or endless body is cut off at the cap.
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|source| TransportError::new(name, kind, source))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        tracing::trace!(bytes = body.len(), "response body read");
        let received_at = SystemTime::now();
        provider.parse_response(
            &TokenResponse::new(status, response.headers(), &body)
                .with_received_at(received_at)
                .with_scrubber(&scrubber),
        )
    }
}

fn response_content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// Adjusts the defaults of an [`HttpClient`].
#[derive(Clone, Debug)]
#[must_use]
pub struct HttpClientBuilder {
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl HttpClientBuilder {
    /// How long connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long the whole exchange, body included, may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No connect or overall timeout. Only for tests on a paused Tokio clock,
    /// which jumps ahead whenever the runtime waits on I/O and would fire any
    /// timeout at once; in production a request must not wait forever.
    pub fn without_timeouts(mut self) -> Self {
        self.connect_timeout = None;
        self.timeout = None;
        self
    }

    /// The largest response body to read.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<HttpClient, Error> {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        let client = builder
            .build()
            .map_err(|source| ConfigError::HttpClient(Arc::new(source)))?;
        Ok(HttpClient {
            client,
            max_response_bytes: self.max_response_bytes,
        })
    }
}
