use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

/// Everything that can go wrong when obtaining a token.
///
/// Messages are one sentence, name the provider, and never contain a secret:
/// response bodies are only quoted through a short excerpt with credential
/// values masked, and the request's own secret values are struck from
/// everything the provider wrote (see [`Scrubber`](crate::Scrubber)). Each
/// layer of a [`source`](std::error::Error::source) chain states only its own
/// part, so a reporter that prints the chain repeats nothing. Errors are
/// `Clone`, so one failed fetch can be reported to every caller that waited on it.
///
/// ```
/// use oauth_core::{ConfigError, Error, Secret, TokenEndpoint};
///
/// #[derive(Debug, TokenEndpoint)]
/// #[token(base_url = "https://auth.acme.example", path = "/oauth/token")]
/// struct Acme {
///     client_id: String,
///     #[token(secret)]
///     client_secret: Secret,
/// }
///
/// // Plain http:// to a host other than loopback is refused before anything is sent.
/// let error = Acme::new("my-client", "my-secret")
///     .with_base_url("http://auth.acme.example")
///     .unwrap_err();
/// assert!(matches!(error, Error::Config(ConfigError::InsecureUrl { .. })));
/// assert_eq!(error.status(), None, "no response: nothing was sent");
/// assert!(!error.to_string().contains("my-secret"));
///
/// // What callers usually tell apart.
/// fn advice(error: &Error) -> &'static str {
///     match error {
///         Error::Config(_) => "fix the configuration",
///         Error::Transport(_) => "try again later",
///         Error::Rejected(_) | Error::ReportedFailure(_) => "check the credentials",
///         _ => "the provider answered something that is not a token",
///     }
/// }
/// assert_eq!(advice(&error), "fix the configuration");
/// ```
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The provider value or client is configured wrongly; no request was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The request did not complete: connection, TLS, timeout or protocol failure.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The provider answered with an error status.
    #[error(transparent)]
    Rejected(ProviderError),
    /// The provider answered with a success status but reported a failure in the body.
    #[error(transparent)]
    ReportedFailure(ProviderError),
    /// The provider answered, but not with a token response this provider can return.
    #[error(transparent)]
    MalformedResponse(#[from] MalformedResponse),
}

impl Error {
    /// The provider's error details, for [`Rejected`](Error::Rejected) and
    /// [`ReportedFailure`](Error::ReportedFailure).
    pub fn provider_error(&self) -> Option<&ProviderError> {
        match self {
            Self::Rejected(error) | Self::ReportedFailure(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Rejected(error) | Self::ReportedFailure(error) => Some(error.status),
            Self::MalformedResponse(error) => Some(error.status),
            Self::Config(_) | Self::Transport(_) => None,
        }
    }
}

/// A configuration mistake, caught before any connection is made.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A URL did not parse.
    #[error("the {what} is not a valid URL")]
    InvalidUrl {
        /// Which URL: "base URL", "token URL".
        what: &'static str,
        /// Why it did not parse.
        source: url::ParseError,
    },
    /// A URL is not an absolute `https://` (or loopback `http://`) URL.
    #[error(
        "the {what} must use https:// (http:// is accepted only for loopback hosts), not {scheme}://"
    )]
    InsecureUrl {
        /// Which URL.
        what: &'static str,
        /// The scheme it used.
        scheme: String,
    },
    /// A URL carries something a token endpoint URL may not: user info, a query or a fragment.
    #[error("the {what} must not contain {part}")]
    UnsupportedUrlPart {
        /// Which URL.
        what: &'static str,
        /// The part it may not have: "user info", "a query", "a fragment".
        part: &'static str,
    },
    /// A field filled into the URL template would change the URL's meaning.
    #[error("the value of `{field}` cannot be used in the URL: {reason}")]
    InvalidTemplateValue {
        /// The field named in the template.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value cannot be carried by an HTTP header.
    #[error("the value for the `{header}` header contains characters HTTP headers cannot carry")]
    InvalidHeaderValue {
        /// The header's name.
        header: String,
    },
    /// A declared response path is malformed; the derive refuses these, so the spec was built by hand.
    #[error("the response path `{path}` is malformed: {reason}")]
    InvalidResponsePath {
        /// The path, dotted.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A required setting (an environment variable, a flag) was not given.
    #[error("{name} is not set")]
    MissingSetting {
        /// How the user names it: `SOHAR_CLIENT_ID`, `--client-id`.
        name: String,
    },
    /// A setting's value could not be read as the field's type; the value is not quoted.
    #[error("the value of {name} is not valid")]
    InvalidSetting {
        /// How the user names it.
        name: String,
        /// Why, when the type's parse error is a [`SettingError`](crate::SettingError),
        /// which never quotes the value (a private key's says which problem it has).
        #[source]
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// A setting names a field whose type cannot be read from text.
    #[error("{name} cannot be given as text: its field's type has no `FromStr`")]
    NotSettable {
        /// How the user names it.
        name: String,
    },
    /// A private key cannot be read or cannot sign; the message never quotes the key.
    #[cfg(feature = "jwt")]
    #[error(transparent)]
    Key(#[from] crate::KeyError),
    /// A token of type `DPoP` carries no key to prove possession with: one
    /// built or restored without [`Token::with_dpop_key`](crate::Token::with_dpop_key).
    #[error("the token is DPoP-bound but carries no DPoP key to make its proofs with")]
    DpopKeyMissing,
    /// The shared token store's URL is not a Redis URL; it is not quoted, as it may hold a password.
    #[error("the token store URL is not a valid Redis URL (redis://host:port/db)")]
    InvalidStoreUrl,
    /// The HTTP client could not be built (a malformed certificate, key or proxy URL, say).
    #[error("the HTTP client could not be built: {reason}")]
    HttpClient {
        /// What was wrong, without quoting any key material.
        reason: &'static str,
        /// The HTTP library's error, if it gave one.
        #[source]
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// A URL that parsed cannot be carried in an HTTP request line (too long, say).
    #[error("the token URL cannot be sent in an HTTP request")]
    UnsendableUrl,
}

#[cfg(feature = "jwt")]
impl From<crate::KeyError> for Error {
    fn from(error: crate::KeyError) -> Self {
        Self::Config(ConfigError::Key(error))
    }
}

/// The request did not complete.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the {request} to {provider} failed: {kind}")]
pub struct TransportError {
    provider: &'static str,
    request: RequestKind,
    kind: TransportErrorKind,
    #[source]
    source: Arc<dyn std::error::Error + Send + Sync>,
}

/// Which request a [`TransportError`] was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestKind {
    /// A token request.
    Token,
    /// A refresh request.
    Refresh,
    /// A request to the provider's API, authorized with a cached token.
    Authorized,
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Token => "token request",
            Self::Refresh => "refresh request",
            Self::Authorized => "authorized request",
        })
    }
}

impl TransportError {
    pub(crate) fn new(
        provider: &'static str,
        request: RequestKind,
        failure: crate::TransportFailure,
    ) -> Self {
        Self {
            provider,
            request,
            kind: failure.kind(),
            source: failure.into_source(),
        }
    }

    /// The provider the request was for.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// Which request failed.
    pub fn request(&self) -> RequestKind {
        self.request
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

/// The kinds of [`TransportError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, DNS, TLS handshake).
    Connect,
    /// The connect or overall timeout elapsed.
    Timeout,
    /// The server redirected; token requests never follow redirects.
    Redirect,
    /// Any other failure while sending the request or reading the response.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect",
            Self::Timeout => "timed out",
            Self::Redirect => "the server redirected",
            Self::Other => "the exchange did not complete",
        })
    }
}

/// What a provider said when it refused to issue a token.
///
/// `code` and `description` come from the provider's error body: RFC 6749's
/// `error` and `error_description` unless the provider declares its own shape.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProviderError {
    /// The provider's name.
    pub provider: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The provider's error code (`invalid_client`, `FAILED`, `400`...), if it sent one.
    pub code: Option<String>,
    /// The provider's explanation, if it sent one.
    pub description: Option<String>,
    /// A short excerpt of a body that had neither, with credential values masked.
    pub excerpt: Option<String>,
    /// How long the provider asked the client to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.status.is_success() {
            write!(
                f,
                "{} reported a failure in its token response",
                self.provider
            )?;
        } else if self.status.is_redirection() {
            write!(
                f,
                "{} answered the token request with a redirect (HTTP {}), which token requests never follow",
                self.provider, self.status
            )?;
        } else {
            write!(
                f,
                "{} rejected the token request with HTTP {}",
                self.provider, self.status
            )?;
        }
        // A code that only repeats the HTTP status (`{"error": 400}`) is said once, by the status.
        let code = self
            .code
            .as_deref()
            .filter(|code| *code != self.status.as_str());
        match (code, self.description.as_deref(), self.excerpt.as_deref()) {
            (Some(code), Some(description), _) => write!(f, ": {code}: {description}"),
            (Some(text), None, _) | (None, Some(text), _) => write!(f, ": {text}"),
            (None, None, Some(excerpt)) => write!(f, "; the body began {excerpt:?}"),
            (None, None, None) => Ok(()),
        }
    }
}

impl std::error::Error for ProviderError {}

/// A response that is not a token response this provider can return.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{provider} sent a malformed token response (HTTP {status}, {}): {problem}", .content_type.as_deref().unwrap_or("no content type"))]
#[non_exhaustive]
pub struct MalformedResponse {
    /// The provider's name.
    pub provider: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The `Content-Type` the response declared.
    pub content_type: Option<String>,
    /// What was wrong.
    pub problem: Problem,
}

/// What was wrong with a [`MalformedResponse`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The content type is not one a token response comes in.
    #[error("a token response must be JSON or form-encoded")]
    UnexpectedContentType,
    /// The body is not valid JSON (or form data); says where, never what.
    #[error("the body is not valid {format}: {detail}")]
    Syntax {
        /// "JSON" or "form data".
        format: &'static str,
        /// The parser's position and reason, which quote no content.
        detail: String,
    },
    /// The body is JSON, but not an object.
    #[error("the body is not a JSON object")]
    NotAnObject,
    /// A required field is absent or null.
    #[error("the field `{0}` is missing")]
    MissingField(String),
    /// The header that should carry the token is absent or empty.
    #[error("the header `{0}` is missing")]
    MissingHeader(String),
    /// A field has the wrong type.
    #[error("the field `{field}` should be {expected}")]
    WrongType {
        /// The field's path.
        field: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A field that must hold a value is empty.
    #[error("the field `{0}` is empty")]
    EmptyField(String),
    /// A lifetime or expiry that cannot describe a real instant.
    #[error("the field `{0}` is not a usable lifetime")]
    InvalidLifetime(String),
    /// The body is larger than the client accepts.
    #[error("the body is larger than {limit} bytes")]
    TooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
}
