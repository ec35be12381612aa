use std::time::{Duration, SystemTime};

use reqwest::header::CONTENT_TYPE;

use crate::endpoint_url::check_endpoint_url;
use crate::error::{MalformedResponse, Problem, TransportError};
use crate::{ConfigError, Error, Token, TokenEndpoint, TokenResponse};

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
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            timeout: Self::DEFAULT_TIMEOUT,
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

    /// Requests a token from `provider` and parses the answer.
    pub async fn fetch<P: TokenEndpoint + ?Sized>(&self, provider: &P) -> Result<Token, Error> {
        let name = provider.provider_name();
        let request = provider.build_request()?;
        check_endpoint_url(request.url(), "token URL")?;
        let mut response = self
            .client
            .execute(request.into_reqwest())
            .await
            .map_err(|source| TransportError::new(name, source))?;
        let status = response.status();
        let content_type = response_content_type(&response);
        let too_large = || {
            Error::MalformedResponse(MalformedResponse {
                provider: name,
                status,
                content_type: content_type.clone(),
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
            .map_err(|source| TransportError::new(name, source))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let received_at = SystemTime::now();
        provider.parse_response(
            &TokenResponse::new(status, response.headers(), &body).received_at(received_at),
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
    connect_timeout: Duration,
    timeout: Duration,
    max_response_bytes: usize,
}

impl HttpClientBuilder {
    /// How long connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long the whole exchange, body included, may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest response body to read.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<HttpClient, Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(HttpClient {
            client,
            max_response_bytes: self.max_response_bytes,
        })
    }
}
