//! A request as an emulator sees it, and how its parts are read.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use serde_json::{Map, Value};

/// A request an emulated provider received: everything on the wire but the version.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    /// The method.
    pub method: Method,
    /// The path and query, as sent.
    pub uri: Uri,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl ReceivedRequest {
    /// A header as text, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The media type of the `Content-Type`, without parameters, lowercased.
    pub fn media_type(&self) -> Option<String> {
        media_type(&self.headers)
    }

    /// The body as form fields, if it is a well-formed form body.
    pub fn form_fields(&self) -> Option<BTreeMap<String, String>> {
        form_fields(&self.body)
    }

    /// The body as a JSON object, if it is one.
    pub fn json_object(&self) -> Option<Map<String, Value>> {
        json_object(&self.body)
    }
}

/// The media type of a `Content-Type` header, without parameters, lowercased.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    let media_type = content_type.split(';').next().unwrap_or_default();
    Some(media_type.trim().to_ascii_lowercase())
}

/// A body as form fields, if it is a well-formed form body.
pub fn form_fields(body: &[u8]) -> Option<BTreeMap<String, String>> {
    serde_urlencoded::from_bytes(body).ok()
}

/// A body as a JSON object, if it is one.
pub fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    }
}

/// A string field of a JSON object.
pub(crate) fn text<'o>(object: &'o Map<String, Value>, name: &str) -> Option<&'o str> {
    object.get(name).and_then(Value::as_str)
}
