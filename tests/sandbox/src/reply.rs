//! What an emulated endpoint answers.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::Full;
use serde_json::Value;

/// A status and, when there is one, a body with its content type.
#[derive(Debug)]
pub(crate) struct Reply {
    status: StatusCode,
    body: Option<(&'static str, Bytes)>,
}

impl Reply {
    /// A status with an empty body and no content type.
    pub(crate) fn status(status: u16) -> Self {
        Self {
            status: status_code(status),
            body: None,
        }
    }

    /// A JSON body served as `application/json`.
    pub(crate) fn json(status: u16, body: &Value) -> Self {
        Self::raw(status, body.to_string(), "application/json")
    }

    /// A body served under the given content type.
    pub(crate) fn raw(status: u16, body: String, content_type: &'static str) -> Self {
        Self {
            status: status_code(status),
            body: Some((content_type, Bytes::from(body))),
        }
    }

    /// The HTTP response.
    pub(crate) fn into_response(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(Bytes::new()));
        *response.status_mut() = self.status;
        if let Some((content_type, body)) = self.body {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            *response.body_mut() = Full::new(body);
        }
        response
    }
}

/// The emulators only use valid statuses; anything else would be a 500 rather than a panic.
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
