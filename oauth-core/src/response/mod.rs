//! The response layer. Dependencies point one way, down this list:
//!
//! - [`body`]: content types, decoding, object keys;
//! - [`path`]: dotted paths into a body;
//! - [`spec`]: the mapping generated code declares;
//! - [`field`], [`kept`], [`locate`]: a mapped field's typed value, the text of the
//!   unmapped ones, and the success field found in that text;
//! - [`expiry`], [`jwt`], [`excerpt`], [`success`]: reading lifetimes, JWT
//!   claims, safe quotes and 2xx bodies;
//! - [`rejection`]: every provider error, scrubbed;
//! - [`mapping`]: a response to a token or an error.

mod body;
mod excerpt;
mod expiry;
mod field;
mod jwt;
mod kept;
mod locate;
mod mapping;
mod path;
mod rejection;
mod spec;
mod success;

use std::time::SystemTime;

use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderMap};

pub use body::BodyFormat;
pub(crate) use mapping::parse_token;
pub use path::FieldPath;
pub(crate) use path::lookup;
pub use spec::{
    ErrorShape, Expected, ResponseSpec, Route, Routes, Slot, SuccessCondition, ZeroLifetime,
};

use crate::error::{MalformedResponse, Problem};
use crate::{Error, Scrubber};

// Headers may carry the token itself (`X-Subject-Token`), so only their names are shown.
impl std::fmt::Debug for TokenResponse<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_bytes", &self.body.len())
            .field("received_at", &self.received_at)
            .finish_non_exhaustive()
    }
}

/// A token endpoint's response, as data: what the parser needs and nothing else.
///
/// Build one from any HTTP stack (or by hand in a test) and pass it to
/// [`TokenEndpoint::parse_response`](crate::TokenEndpoint::parse_response).
/// Attach the request's [`Scrubber`] so that no error quotes a secret the
/// provider echoes back.
#[derive(Clone, Copy)]
pub struct TokenResponse<'a> {
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
    received_at: SystemTime,
    scrubber: &'a Scrubber,
}

impl<'a> TokenResponse<'a> {
    /// A response received now.
    pub fn new(status: StatusCode, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        Self {
            status,
            headers,
            body,
            received_at: SystemTime::now(),
            scrubber: Scrubber::none(),
        }
    }

    /// Sets when the response arrived; token lifetimes count from this instant.
    #[must_use]
    pub fn with_received_at(mut self, received_at: SystemTime) -> Self {
        self.received_at = received_at;
        self
    }

    /// Strikes the secrets of the request this response answers from every error built from it.
    #[must_use]
    pub fn with_scrubber(mut self, scrubber: &'a Scrubber) -> Self {
        self.scrubber = scrubber;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// When the response arrived.
    pub fn received_at(&self) -> SystemTime {
        self.received_at
    }

    /// The body bytes.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The declared `Content-Type`, if it is readable text.
    pub fn content_type(&self) -> Option<&'a str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The scrubber errors built from this response pass their provider text through.
    pub fn scrubber(&self) -> &'a Scrubber {
        self.scrubber
    }

    /// The value of the header `name`, if it is readable text.
    pub(crate) fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.get(name)?.to_str().ok()
    }

    pub(crate) fn malformed(&self, provider: &'static str, problem: Problem) -> Error {
        Error::MalformedResponse(MalformedResponse {
            provider,
            status: self.status,
            content_type: self
                .content_type()
                .map(|content_type| self.scrubber.scrub(content_type).into_owned()),
            problem,
        })
    }
}
