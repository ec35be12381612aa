//! The transport seam: how a token request travels, over the `http` crate's types.
//!
//! The core prepares the request (checking that its URL is `https://`, or
//! `http://` on loopback) and reads the response (rejecting a body over the
//! cap, whatever the transport did); a transport only moves bytes. Two
//! transports are bundled: [`HttpClient`](crate::HttpClient) on reqwest
//! (feature `reqwest`, default) and
//! [`blocking::HttpClient`](crate::blocking) on ureq (feature
//! `blocking`). Each follows no redirects and bounds connect and total time.
//!
//! Bringing your own? Implement [`Transport`] (or [`BlockingTransport`]) and
//! keep those defaults: follow no redirects (a redirected token request
//! replays the credentials to another address), set a connect timeout and an
//! overall timeout, and stop reading a body once it passes the limit you are
//! given.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::TransportErrorKind;

#[cfg(feature = "reqwest")]
pub(crate) mod reqwest;
#[cfg(feature = "blocking")]
pub(crate) mod ureq;

/// A token request as it goes on the wire.
pub type HttpRequest = http::Request<Vec<u8>>;

/// A response as it came off the wire, its body possibly cut short past the limit.
pub type HttpResponse = http::Response<Vec<u8>>;

/// The request's URL as the core parsed it, carried in an [`HttpRequest`]'s
/// extensions so the reqwest transport need not parse the URI again. Private:
/// only the core attaches it, and the transport checks it still names the URI.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug)]
pub(crate) struct ParsedUrl(pub(crate) url::Url);

/// The largest response body read unless a transport says otherwise: 1 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1 << 20;

/// Sends token requests asynchronously. Object safe: `&dyn Transport` is what
/// [`TokenEndpoint::fetch_token`](crate::TokenEndpoint::fetch_token) takes.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the response, whatever its status.
    ///
    /// Reads at most `body_limit + 1` bytes of the body and may stop before
    /// reading when `Content-Length` already says more: the core rejects
    /// either as too large. Follows no redirects.
    async fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure>;

    /// The largest response body accepted; the core enforces it.
    fn max_response_bytes(&self) -> usize {
        DEFAULT_MAX_RESPONSE_BYTES
    }
}

/// Sends token requests on the calling thread, with no async runtime.
pub trait BlockingTransport: Send + Sync {
    /// Sends `request` and returns the response, whatever its status; the
    /// contract of [`Transport::send`] holds.
    fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure>;

    /// The largest response body accepted; the core enforces it.
    fn max_response_bytes(&self) -> usize {
        DEFAULT_MAX_RESPONSE_BYTES
    }
}

/// Why a transport could not complete an exchange; the core turns it into a
/// [`TransportError`](crate::TransportError) naming the provider and request.
///
/// Its source must not quote the request URL, headers or body.
#[derive(Debug)]
pub struct TransportFailure {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

impl TransportFailure {
    /// A failure of `kind`, caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    pub(crate) fn into_source(self) -> Arc<dyn StdError + Send + Sync> {
        Arc::from(self.source)
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.source)
    }
}

impl StdError for TransportFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

#[async_trait]
impl<T: Transport + ?Sized> Transport for Arc<T> {
    async fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure> {
        (**self).send(request, body_limit).await
    }

    fn max_response_bytes(&self) -> usize {
        (**self).max_response_bytes()
    }
}

#[async_trait]
impl<T: Transport + ?Sized> Transport for Box<T> {
    async fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure> {
        (**self).send(request, body_limit).await
    }

    fn max_response_bytes(&self) -> usize {
        (**self).max_response_bytes()
    }
}

impl<T: BlockingTransport + ?Sized> BlockingTransport for Arc<T> {
    fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure> {
        (**self).send(request, body_limit)
    }

    fn max_response_bytes(&self) -> usize {
        (**self).max_response_bytes()
    }
}

impl<T: BlockingTransport + ?Sized> BlockingTransport for Box<T> {
    fn send(
        &self,
        request: HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportFailure> {
        (**self).send(request, body_limit)
    }

    fn max_response_bytes(&self) -> usize {
        (**self).max_response_bytes()
    }
}
