//! `blocking::HttpClient`: a transport that needs no async runtime, on ureq with rustls.

use std::io::Read as _;
use std::time::Duration;

use crate::transport::{
    BlockingTransport, DEFAULT_MAX_RESPONSE_BYTES, HttpRequest, HttpResponse, TransportFailure,
};
use crate::{Error, Secret, Token, TokenEndpoint, TransportErrorKind};

/// Sends token requests on the calling thread, with the same safe defaults as
/// [`crate::HttpClient`]: no redirects, a connect and an overall timeout, and
/// at most 1 MiB of response read. No async runtime is involved.
///
/// ```no_run
/// use oauth_core::TokenEndpoint;
/// use oauth_core::blocking::HttpClient;
/// # use oauth_core::Secret;
/// # #[derive(TokenEndpoint)]
/// # #[token(base_url = "https://auth.example.com", path = "/token")]
/// # struct Acme { client_id: String, #[token(secret)] client_secret: Secret }
///
/// # fn run() -> Result<(), oauth_core::Error> {
/// let token = Acme::new("id", "secret").fetch_token_blocking(&HttpClient::new())?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct HttpClient {
    agent: ureq::Agent,
    max_response_bytes: usize,
}

impl HttpClient {
    /// How long connecting may take by default.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long a whole exchange may take by default.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The largest response body read by default: 1 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = DEFAULT_MAX_RESPONSE_BYTES;

    /// A client with the safe defaults.
    pub fn new() -> Self {
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

    /// Requests a token from `provider` and parses the answer.
    pub fn fetch<P: TokenEndpoint + ?Sized>(&self, provider: &P) -> Result<Token, Error> {
        provider.fetch_token_blocking(self)
    }

    /// Renews a token with its refresh token; `Ok(None)` when the provider declares no refresh.
    pub fn refresh<P: TokenEndpoint + ?Sized>(
        &self,
        provider: &P,
        refresh_token: &Secret,
    ) -> Result<Option<Token>, Error> {
        provider.refresh_token_blocking(self, refresh_token)
    }
}

impl Default for HttpClient {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockingTransport for HttpClient {
    fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure> {
        let response = self.agent.run(request).map_err(failure)?;
        let (parts, mut body) = response.into_parts();
        let mut bytes = Vec::new();
        // A declared length over the cap is refused unread; the core reports it.
        let declared_too_large = body
            .content_length()
            .is_some_and(|length| length > body_limit as u64);
        if !declared_too_large {
            body.as_reader()
                .take(body_limit as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|error| TransportFailure::new(TransportErrorKind::Other, error))?;
        }
        Ok(http::Response::from_parts(parts, bytes))
    }

    fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

/// A ureq error as a transport failure; variants that quote the URL are summarised instead.
fn failure(error: ureq::Error) -> TransportFailure {
    use ureq::Error as E;
    let kind = match &error {
        E::Timeout(_) => TransportErrorKind::Timeout,
        E::HostNotFound | E::ConnectionFailed | E::Tls(_) | E::Rustls(_) => {
            TransportErrorKind::Connect
        }
        E::ConnectProxyFailed(_) => TransportErrorKind::Connect,
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportErrorKind::Connect
        }
        E::TooManyRedirects | E::RedirectFailed => TransportErrorKind::Redirect,
        _ => TransportErrorKind::Other,
    };
    match error {
        E::BadUri(_) => TransportFailure::new(kind, "the URL was refused"),
        E::RequireHttpsOnly(_) => TransportFailure::new(kind, "the URL is not https"),
        E::ConnectProxyFailed(_) => TransportFailure::new(kind, "the proxy refused to connect"),
        other => TransportFailure::new(kind, other),
    }
}

/// Adjusts the defaults of a blocking [`HttpClient`]; it follows no redirects whatever is adjusted.
#[derive(Clone, Debug)]
#[must_use]
pub struct HttpClientBuilder {
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl HttpClientBuilder {
    /// How long connecting (TCP and TLS) may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long the whole exchange, body included, may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body to read.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Builds the client.
    pub fn build(self) -> HttpClient {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(self.connect_timeout)
            .timeout_global(self.timeout)
            .build();
        HttpClient {
            agent: config.into(),
            max_response_bytes: self.max_response_bytes,
        }
    }
}
