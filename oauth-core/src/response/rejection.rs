//! Reading a provider's refusal: its error body, a safe excerpt, and `Retry-After`.
//!
//! Every [`ProviderError`] is built by [`provider_error`] here, which scrubs
//! the request's secrets from each string the provider supplied.

use std::time::Duration;

use http::header::RETRY_AFTER;
use serde_json::{Map, Value};

use super::TokenResponse;
use super::body::{BodyFormat, MediaType, decode};
use super::excerpt::{excerpt, mask_jwts};
use super::path::{dotted, lookup};
use super::spec::{ErrorShape, SuccessCondition};
use crate::error::Problem;
use crate::{Error, ProviderError};

/// The error for a non-2xx response, from whatever the body holds.
pub(crate) fn rejected(
    shape: &ErrorShape,
    declared: Option<BodyFormat>,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> Error {
    // Error bodies are often mislabelled, so JSON is tried unless the body is declared a form.
    let labelled_form = response
        .content_type()
        .is_some_and(|content_type| MediaType::parse(content_type) == MediaType::Form);
    let format = declared.unwrap_or(if labelled_form {
        BodyFormat::Form
    } else {
        BodyFormat::Json
    });
    let body = decode(format, response.body()).ok();
    let (code, description) = body
        .as_ref()
        .map(|body| read_shape(shape, body))
        .unwrap_or_default();
    let excerpt = (code.is_none() && description.is_none())
        .then(|| excerpt(response.body(), body.as_ref(), response.scrubber()))
        .flatten();
    Error::Rejected(provider_error(
        provider,
        response,
        code,
        description,
        excerpt,
    ))
}

/// The error a 2xx body carries instead of a token, if it names one in the error shape's code field.
pub(crate) fn reported_failure(
    shape: &ErrorShape,
    provider: &'static str,
    response: &TokenResponse<'_>,
    body: &Map<String, Value>,
) -> Option<Error> {
    let (code, description) = read_shape(shape, body);
    code.as_ref()?;
    Some(reported(provider, response, code, description))
}

/// Checks a 2xx body against the provider's success condition: a failure unless the field holds the expected value.
pub(crate) fn check_success(
    condition: &SuccessCondition,
    provider: &'static str,
    response: &TokenResponse<'_>,
    body: &Map<String, Value>,
) -> Result<(), Error> {
    let Some(value) = lookup(body, condition.field) else {
        return Err(response.malformed(provider, Problem::MissingField(dotted(condition.field))));
    };
    if condition.equals.matches(value) {
        return Ok(());
    }
    // A status code or word is the error's code; a flag like `ok: false` says nothing more than "failed".
    let code = match value {
        Value::Number(number) => Some(
            number
                .as_u64()
                .and_then(|index| condition.code_names.get(usize::try_from(index).ok()?))
                .map_or_else(|| number.to_string(), |name| (*name).to_owned()),
        ),
        Value::String(text) => Some(text.clone()),
        _ => None,
    };
    let description = condition
        .message
        .and_then(|path| lookup(body, path))
        .and_then(describe);
    Err(reported(provider, response, code, description))
}

/// Every failure reported in a 2xx body is built here, however it was recognised.
fn reported(
    provider: &'static str,
    response: &TokenResponse<'_>,
    code: Option<String>,
    description: Option<String>,
) -> Error {
    Error::ReportedFailure(provider_error(provider, response, code, description, None))
}

/// The one constructor of [`ProviderError`]: what the provider wrote, with the request's secrets struck out.
fn provider_error(
    provider: &'static str,
    response: &TokenResponse<'_>,
    code: Option<String>,
    description: Option<String>,
    excerpt: Option<String>,
) -> ProviderError {
    let clean = |text: String| mask_jwts(&response.scrubber().scrub(&text)).into_owned();
    ProviderError {
        provider,
        status: response.status(),
        code: code.map(clean),
        description: description.map(clean),
        excerpt,
        retry_after: retry_after(response),
    }
}

fn read_shape(shape: &ErrorShape, body: &Map<String, Value>) -> (Option<String>, Option<String>) {
    let code = lookup(body, shape.code).and_then(|code| match code {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    });
    let description = lookup(body, shape.description).and_then(describe);
    (code, description)
}

/// Renders an error description: a string, an error object, or a list of them,
/// such as FastAPI's `[{"loc": [...], "msg": ...}]` or `[{"code": ..., "detail": ...}]`.
pub(crate) fn describe(value: &Value) -> Option<String> {
    /// The keys an error object keeps its message under, in order of preference.
    const MESSAGE_KEYS: [&str; 5] = ["msg", "message", "detail", "description", "title"];
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(describe).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Object(object) => {
            let message = MESSAGE_KEYS
                .iter()
                .find_map(|key| object.get(*key).and_then(describe))?;
            let location = object.get("loc").and_then(Value::as_array).map(|loc| {
                loc.iter()
                    .map(|part| match part {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(".")
            });
            Some(match location {
                Some(location) if !location.is_empty() => format!("{location}: {message}"),
                _ => message,
            })
        }
        _ => None,
    }
}

/// `Retry-After` as delay-seconds or as an HTTP date (RFC 9110 section 10.2.3); a date in the past means now.
fn retry_after(response: &TokenResponse<'_>) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(response.received_at())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastapi_validation_errors_read_as_location_and_message() {
        let detail = serde_json::json!([
            {"loc": ["body", "user_email"], "msg": "Field required", "type": "missing", "input": null},
            {"loc": ["header", 0], "msg": "bad"}
        ]);
        assert_eq!(
            describe(&detail).as_deref(),
            Some("body.user_email: Field required; header.0: bad")
        );
    }

    #[test]
    fn lists_of_error_objects_read_through_detail() {
        let errors = serde_json::json!([
            {"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED", "detail": "Not Authorized"},
            {"status": "422", "title": "Invalid Attribute", "detail": "First name is too short."},
            {"title": "Only a title"},
            {"code": "NO_MESSAGE"}
        ]);
        assert_eq!(
            describe(&errors).as_deref(),
            Some("Not Authorized; First name is too short.; Only a title")
        );
    }
}
