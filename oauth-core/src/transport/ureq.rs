//! `blocking::HttpClient`: a transport that needs no async runtime, on ureq with rustls.

use std::fmt;
use std::io::Read as _;
use std::time::Duration;

use ureq::tls::{Certificate, ClientCert, PemItem, RootCerts, TlsConfig};

use crate::transport::{
    BlockingTransport, DEFAULT_MAX_RESPONSE_BYTES, HttpRequest, HttpResponse, TransportFailure,
};
use crate::{ConfigError, Error, Secret, Token, TokenEndpoint, TransportErrorKind};

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
/// # fn run(cert_pem: &[u8], key_pem: &[u8]) -> Result<(), oauth_core::Error> {
/// let token = Acme::new("id", "secret").fetch_token_blocking(&HttpClient::new())?;
///
/// // Mutual TLS: the client certificate (leaf first) and its private key, both PEM.
/// let client = HttpClient::builder().identity(cert_pem, key_pem).build()?;
/// let token = Acme::new("id", "secret").fetch_token_blocking(&client)?;
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
        Self::builder().agent(TlsConfig::default())
    }

    /// Starts a client with the safe defaults, to adjust.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder {
            connect_timeout: Some(Self::DEFAULT_CONNECT_TIMEOUT),
            timeout: Some(Self::DEFAULT_TIMEOUT),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            root_certificates: Vec::new(),
            identity: None,
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
#[derive(Clone)]
#[must_use]
pub struct HttpClientBuilder {
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_bytes: usize,
    root_certificates: Vec<u8>,
    identity: Option<(Vec<u8>, Secret)>,
}

impl fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The identity holds a private key.
        f.debug_struct("HttpClientBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field(
                "only_root_certificates",
                &!self.root_certificates.is_empty(),
            )
            .field("identity", &self.identity.is_some())
            .finish()
    }
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

    /// Trusts only the root certificates in `pem` (one or more PEM
    /// certificates; call again for more), in place of the bundled web roots:
    /// ureq takes one set or the other, so a server whose chain ends at a
    /// public root is then refused unless that root is given too. Read when
    /// the client is built.
    pub fn only_root_certificates(mut self, pem: &[u8]) -> Self {
        self.root_certificates.extend_from_slice(pem);
        self.root_certificates.push(b'\n');
        self
    }

    /// Presents this client certificate for mutual TLS: a PEM certificate
    /// chain (leaf first) and its PEM private key (PKCS#8, PKCS#1 or SEC1).
    /// Read when the client is built; the TLS library checks the key when it
    /// first connects.
    pub fn identity(mut self, certificate_chain_pem: &[u8], private_key_pem: &[u8]) -> Self {
        let key = Secret::new(String::from_utf8_lossy(private_key_pem));
        self.identity = Some((certificate_chain_pem.to_vec(), key));
        self
    }

    /// Builds the client; a certificate or key that is not PEM is a configuration error.
    pub fn build(self) -> Result<HttpClient, Error> {
        let mut tls = TlsConfig::builder();
        if !self.root_certificates.is_empty() {
            let roots = certificates(&self.root_certificates)
                .ok_or_else(|| config("a root certificate is not valid PEM"))?;
            tls = tls.root_certs(RootCerts::new_with_certs(&roots));
        }
        if let Some((chain, key)) = &self.identity {
            let identity = client_certificate(chain, key).ok_or_else(|| {
                config("the client identity is not a PEM certificate chain with its private key")
            })?;
            tls = tls.client_cert(Some(identity));
        }
        Ok(self.agent(tls.build()))
    }

    fn agent(self, tls: TlsConfig) -> HttpClient {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(self.connect_timeout)
            .timeout_global(self.timeout)
            .tls_config(tls)
            .build();
        HttpClient {
            agent: config.into(),
            max_response_bytes: self.max_response_bytes,
        }
    }
}

/// Every certificate in `pem`; `None` when a section is malformed or there is none.
fn certificates(pem: &[u8]) -> Option<Vec<Certificate<'static>>> {
    let mut found = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        if let PemItem::Certificate(certificate) = item.ok()? {
            found.push(certificate);
        }
    }
    (!found.is_empty()).then_some(found)
}

/// The chain and the first private key in `key_pem`; ureq's errors are dropped, as they may quote the PEM.
fn client_certificate(chain_pem: &[u8], key_pem: &Secret) -> Option<ClientCert> {
    let chain = certificates(chain_pem)?;
    let key = ureq::tls::PrivateKey::from_pem(key_pem.expose_secret().as_bytes()).ok()?;
    Some(ClientCert::new_with_certs(&chain, key))
}

fn config(reason: &'static str) -> ConfigError {
    ConfigError::HttpClient {
        reason,
        source: None,
    }
}
