//! Reading a provider's refusal: its error body, a safe excerpt, and `Retry-After`.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use serde_json::{Map, Value};

use crate::ProviderError;
use crate::response::{BodyFormat, ErrorShape, TokenResponse, decode, lookup};

/// How many characters of an unrecognised body an error may quote.
const EXCERPT_CHARS: usize = 120;

/// Builds the error for a non-2xx response from whatever the body holds.
pub(crate) fn provider_error(
    shape: &ErrorShape,
    declared: Option<BodyFormat>,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> ProviderError {
    // Error bodies are often mislabelled, so JSON is tried unless the body is declared a form.
    let declared_form = response.content_type().is_some_and(|content_type| {
        content_type
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    let format = if let Some(format) = declared {
        format
    } else if declared_form {
        BodyFormat::Form
    } else {
        BodyFormat::Json
    };
    let body = decode(format, response.body()).ok();
    let (code, description) = body
        .as_ref()
        .map(|body| read_shape(shape, body))
        .unwrap_or_default();
    let excerpt = (code.is_none() && description.is_none())
        .then(|| excerpt(response.body(), body.as_ref()))
        .flatten();
    ProviderError {
        provider,
        status: response.status(),
        code,
        description,
        excerpt,
        retry_after: retry_after(response),
    }
}

/// The error a 2xx body carries instead of a token, if it names one.
pub(crate) fn reported_failure(
    shape: &ErrorShape,
    provider: &'static str,
    status: StatusCode,
    body: &Map<String, Value>,
) -> Option<ProviderError> {
    let (code, description) = read_shape(shape, body);
    code.as_ref()?;
    Some(ProviderError {
        provider,
        status,
        code,
        description,
        excerpt: None,
        retry_after: None,
    })
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

/// Renders an error description: a string, a `{msg}` object, or a list of
/// validation errors such as FastAPI's `[{"loc": [...], "msg": ...}]`.
pub(crate) fn describe(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(describe).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Object(object) => {
            let message = ["msg", "message", "description"]
                .iter()
                .find_map(|key| object.get(*key).and_then(Value::as_str))?;
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
                _ => message.to_owned(),
            })
        }
        _ => None,
    }
}

/// A short, single-line excerpt of a body, with every credential-like value masked.
pub(crate) fn excerpt(raw: &[u8], decoded: Option<&Map<String, Value>>) -> Option<String> {
    let text = match decoded {
        Some(body) => Value::Object(mask_credentials(body)).to_string(),
        None => {
            let text = String::from_utf8_lossy(raw);
            // An undecodable body may still be a token in some other shape: show only what is plainly text.
            if looks_like_credential(&text) {
                return Some(String::from("[redacted]"));
            }
            text.into_owned()
        }
    };
    let single_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = single_line.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut excerpt: String = trimmed.chars().take(EXCERPT_CHARS).collect();
    if trimmed.chars().nth(EXCERPT_CHARS).is_some() {
        excerpt.push_str("...");
    }
    Some(excerpt)
}

/// Whether a JSON key may hold a credential.
pub(crate) fn is_credential_key(key: &str) -> bool {
    const MARKERS: [&str; 9] = [
        "token",
        "secret",
        "password",
        "passwd",
        "key",
        "assertion",
        "credential",
        "authorization",
        "cookie",
    ];
    let key = key.to_ascii_lowercase();
    MARKERS.iter().any(|marker| key.contains(marker)) || key == "code"
}

fn mask_credentials(object: &Map<String, Value>) -> Map<String, Value> {
    object
        .iter()
        .map(|(key, value)| {
            let value = if is_credential_key(key) {
                Value::String(String::from("[redacted]"))
            } else {
                mask_value(value)
            };
            (key.clone(), value)
        })
        .collect()
}

fn mask_value(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(mask_credentials(object)),
        Value::Array(items) => Value::Array(items.iter().map(mask_value).collect()),
        other => other.clone(),
    }
}

/// A body that is neither JSON nor form data but mentions a credential is not quoted at all.
fn looks_like_credential(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["token", "secret", "password", "eyj"]
        .iter()
        .any(|marker| lower.contains(marker))
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
    fn excerpts_mask_credentials_at_any_depth_and_are_capped() {
        let body = serde_json::json!({"data": {"access_token": "canary"}, "note": "x".repeat(500)});
        let Value::Object(body) = body else {
            unreachable!()
        };
        let excerpt = excerpt(b"", Some(&body)).unwrap_or_default();
        assert!(!excerpt.contains("canary"), "{excerpt}");
        assert!(excerpt.ends_with("..."));
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 3);
    }

    #[test]
    fn a_plain_body_mentioning_a_token_is_not_quoted() {
        assert_eq!(
            excerpt(b"token=abc&x=1;", None).as_deref(),
            Some("[redacted]")
        );
        assert_eq!(
            excerpt(b"<html>Bad gateway</html>", None).as_deref(),
            Some("<html>Bad gateway</html>")
        );
    }
}
