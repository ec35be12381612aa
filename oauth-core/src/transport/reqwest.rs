//! [`HttpClient`]: the default transport, on reqwest with rustls.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;

use url::Url;

use crate::transport::{
    DEFAULT_MAX_RESPONSE_BYTES, HttpRequest, HttpResponse, ParsedUrl, Transport, TransportFailure,
};
use crate::{ConfigError, Error, Secret, Token, TokenEndpoint, TransportErrorKind};

/// Sends token requests with safe defaults, on reqwest with rustls.
///
/// The default client follows no redirects (a token request must not be
/// replayed, credentials and all, to another address), bounds the connect and
/// overall time, and reads at most [`DEFAULT_MAX_RESPONSE_BYTES`](Self::DEFAULT_MAX_RESPONSE_BYTES)
/// of a response. Whatever the client, a URL must be `https://` unless its host
/// is loopback, and the response size cap applies.
///
/// ```no_run
/// use std::time::Duration;
/// use oauth_core::{HttpClient, TokenEndpoint};
/// # use oauth_core::Secret;
/// # #[derive(TokenEndpoint)]
/// # #[token(base_url = "https://auth.example.com", path = "/token")]
/// # struct Acme { client_id: String, #[token(secret)] client_secret: Secret }
///
/// # async fn run(cert_pem: &[u8], key_pem: &[u8], ca_pem: &[u8]) -> Result<(), oauth_core::Error> {
/// // Mutual TLS through a corporate proxy, with a private CA; every safe default kept.
/// let client = HttpClient::builder()
///     .timeout(Duration::from_secs(10))
///     .proxy("http://proxy.internal:3128")
///     .add_root_certificate(ca_pem)
///     .identity(cert_pem, key_pem)
///     .build()?;
/// let token = Acme::new("id", "secret").fetch_token(&client).await?;
/// # Ok(())
/// # }
/// ```
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
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = DEFAULT_MAX_RESPONSE_BYTES;
    /// How long an unused connection is kept for the next request by default.
    pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

    /// A client with the safe defaults.
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// Starts a client with the safe defaults, to adjust.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder {
            connect_timeout: Some(Self::DEFAULT_CONNECT_TIMEOUT),
            timeout: Some(Self::DEFAULT_TIMEOUT),
            pool_idle_timeout: Some(Self::DEFAULT_POOL_IDLE_TIMEOUT),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            proxy: None,
            root_certificates: Vec::new(),
            identity: None,
        }
    }

    /// Uses your own `reqwest::Client`. Its redirect policy, timeouts, proxy
    /// and TLS settings are then yours: reqwest's own defaults follow up to
    /// ten redirects and never time out, so set `redirect::Policy::none()` and
    /// timeouts yourself. The HTTPS rule and the response size cap still apply.
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
        provider.fetch_token(self).await
    }

    /// Renews a token with its refresh token; `Ok(None)` when the provider declares no refresh.
    pub async fn refresh<P: TokenEndpoint + ?Sized>(
        &self,
        provider: &P,
        refresh_token: &Secret,
    ) -> Result<Option<Token>, Error> {
        provider.refresh_token(self, refresh_token).await
    }
}

#[async_trait]
impl Transport for HttpClient {
    async fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure> {
        let mut response = self
            .client
            .execute(to_reqwest(request)?)
            .await
            .map_err(failure)?;
        let mut body = Vec::new();
        // A declared length over the cap is refused unread; the core reports it.
        let declared_too_large = response
            .content_length()
            .is_some_and(|length| length > body_limit as u64);
        while !declared_too_large && body.len() <= body_limit {
            match response.chunk().await.map_err(failure)? {
                Some(chunk) => body.extend_from_slice(&chunk),
                None => break,
            }
        }
        let mut built = http::Response::new(body);
        *built.status_mut() = response.status();
        *built.version_mut() = response.version();
        *built.headers_mut() = std::mem::take(response.headers_mut());
        Ok(built)
    }

    fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

/// The request as reqwest's, on the URL the core parsed when it still names the
/// request's URI; otherwise (another transport changed the URI, or added
/// extensions reqwest reads) as reqwest converts it, parsing the URI again.
fn to_reqwest(request: HttpRequest) -> Result<reqwest::Request, TransportFailure> {
    let (mut parts, body) = request.into_parts();
    match parts.extensions.remove::<ParsedUrl>() {
        Some(ParsedUrl(url)) if parts.extensions.is_empty() && names(&url, &parts.uri) => {
            let mut request = reqwest::Request::new(parts.method, url);
            *request.headers_mut() = parts.headers;
            *request.version_mut() = parts.version;
            *request.body_mut() = Some(body.into());
            Ok(request)
        }
        _ => reqwest::Request::try_from(http::Request::from_parts(parts, body)).map_err(failure),
    }
}

/// Whether `url` is `uri` written out: the same scheme, authority, path and query.
fn names(url: &Url, uri: &http::Uri) -> bool {
    let (Some(scheme), Some(authority), Some(path_and_query)) =
        (uri.scheme_str(), uri.authority(), uri.path_and_query())
    else {
        return false;
    };
    url.as_str()
        .strip_prefix(scheme)
        .and_then(|rest| rest.strip_prefix("://"))
        .and_then(|rest| rest.strip_prefix(authority.as_str()))
        == Some(path_and_query.as_str())
}

/// A reqwest error as a transport failure; the URL, which may carry a query, is dropped.
pub(crate) fn failure(error: reqwest::Error) -> TransportFailure {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_redirect() {
        TransportErrorKind::Redirect
    } else {
        TransportErrorKind::Other
    };
    TransportFailure::new(kind, error.without_url())
}

/// Adjusts the defaults of an [`HttpClient`]. Whatever is adjusted, the client
/// follows no redirects and keeps the HTTPS rule and the size cap.
#[derive(Clone)]
#[must_use]
pub struct HttpClientBuilder {
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    max_response_bytes: usize,
    proxy: Option<Secret>,
    root_certificates: Vec<Vec<u8>>,
    identity: Option<(Vec<u8>, Secret)>,
}

impl fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A proxy URL may carry a password and the identity holds a private key.
        f.debug_struct("HttpClientBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("proxy", &self.proxy.is_some())
            .field("root_certificates", &self.root_certificates.len())
            .field("identity", &self.identity.is_some())
            .finish()
    }
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

    /// No connect or overall timeout, and no timer closing idle pooled
    /// connections. Only for tests on a paused Tokio clock, which jumps to the
    /// next timer whenever the runtime waits on I/O: a timeout would fire at
    /// once, and the idle timer's ticks would move the test's time by 90 s
    /// during each request. In production a request must not wait forever.
    pub fn without_timeouts(mut self) -> Self {
        self.connect_timeout = None;
        self.timeout = None;
        self.pool_idle_timeout = None;
        self
    }

    /// The largest response body to read.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends every request through this proxy (`http://host:port`, with
    /// `user:password@` if it asks for it); HTTPS goes through it as a tunnel.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(Secret::new(url));
        self
    }

    /// Trusts this PEM certificate as a root, beside the bundled web roots
    /// (a private CA's, say). Checked when the client is built.
    pub fn add_root_certificate(mut self, pem: &[u8]) -> Self {
        self.root_certificates.push(pem.to_vec());
        self
    }

    /// Presents this client certificate for mutual TLS: a PEM certificate
    /// chain (leaf first) and its PEM private key (PKCS#8, PKCS#1 or SEC1).
    /// Checked when the client is built.
    pub fn identity(mut self, certificate_chain_pem: &[u8], private_key_pem: &[u8]) -> Self {
        let key = Secret::new(String::from_utf8_lossy(private_key_pem));
        self.identity = Some((certificate_chain_pem.to_vec(), key));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<HttpClient, Error> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(self.pool_idle_timeout);
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy.expose_secret())
                .map_err(|_| config("the proxy URL is not valid", None))?;
            builder = builder.proxy(proxy);
        }
        for pem in &self.root_certificates {
            let certificate = reqwest::Certificate::from_pem(pem)
                .map_err(|error| config("a root certificate is not valid PEM", Some(error)))?;
            builder = builder.add_root_certificate(certificate);
        }
        if let Some((chain, key)) = &self.identity {
            let mut pem = chain.clone();
            pem.push(b'\n');
            pem.extend_from_slice(key.expose_secret().as_bytes());
            // reqwest's message names no key material, but its source chain is not ours to vouch for.
            let identity = reqwest::Identity::from_pem(&pem).map_err(|_| {
                config(
                    "the client identity is not a PEM certificate chain with its private key",
                    None,
                )
            })?;
            builder = builder.identity(identity);
        }
        let client = builder
            .build()
            .map_err(|error| config("reqwest refused the configuration", Some(error)))?;
        Ok(HttpClient {
            client,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

fn config(reason: &'static str, source: Option<reqwest::Error>) -> ConfigError {
    ConfigError::HttpClient {
        reason,
        source: source.map(|error| Arc::new(error) as Arc<dyn std::error::Error + Send + Sync>),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> HttpRequest {
        let url = Url::parse(url).ok();
        let builder = url.map(|url| {
            let mut builder = crate::request::RequestBuilder::new(
                http::Method::POST,
                url,
                crate::request::BodyEncoding::Form,
                None,
            );
            builder.query_param(
                "tenant",
                Some(crate::ParamValue::Text(std::borrow::Cow::Borrowed("a b"))),
            );
            builder.finish()
        });
        builder
            .and_then(|request| request.into_http().ok())
            .unwrap_or_default()
    }

    #[test]
    fn the_parsed_url_is_taken_while_it_names_the_uri() {
        let sent = to_reqwest(request("https://auth.example.com:8443/oauth/token")).ok();
        assert_eq!(
            sent.as_ref().map(|sent| sent.url().as_str()),
            Some("https://auth.example.com:8443/oauth/token?tenant=a+b")
        );
        assert_eq!(
            sent.as_ref().map(|sent| sent.headers().len()),
            Some(2),
            "content type and accept"
        );
    }

    #[test]
    fn a_uri_changed_after_the_core_built_the_request_is_the_one_sent() {
        let mut changed = request("https://auth.example.com/oauth/token");
        *changed.uri_mut() = http::Uri::from_static("https://proxy.example.com/relay/token");
        let sent = to_reqwest(changed).ok();
        assert_eq!(
            sent.as_ref().map(|sent| sent.url().as_str()),
            Some("https://proxy.example.com/relay/token")
        );
    }

    #[test]
    fn names_compares_every_part_of_the_target() {
        let url = Url::parse("http://127.0.0.1:8080/a/token?x=1").ok();
        let names_uri = |uri: &'static str| {
            url.as_ref()
                .is_some_and(|url| names(url, &http::Uri::from_static(uri)))
        };
        assert!(names_uri("http://127.0.0.1:8080/a/token?x=1"));
        for other in [
            "https://127.0.0.1:8080/a/token?x=1",
            "http://127.0.0.1:8081/a/token?x=1",
            "http://127.0.0.1:8080/a/token?x=2",
            "http://127.0.0.1:8080/a/token",
            "http://127.0.0.1:8080/a/token/?x=1",
        ] {
            assert!(!names_uri(other), "{other}");
        }
    }
}
