//! Turning a token response into a [`Token`] or a typed error, following a [`ResponseSpec`].

use std::borrow::Cow;
use std::time::SystemTime;

use super::TokenResponse;
use super::body::{BodyFormat, decode};
use super::field::Field;
use super::path::{FieldPath, dotted};
use super::spec::{ResponseSpec, Slot, SuccessCondition, ZeroLifetime};
use super::success::SuccessBody;
use super::{expiry, jwt, rejection};
use crate::error::Problem;
use crate::{Error, Token};

/// Turns a response into a token or a typed error, following `spec`.
///
/// When the response does not map and the spec has a malformed path, the
/// error says so: that path, not the response, is what to fix.
pub(crate) fn parse_token(
    spec: &ResponseSpec,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> Result<Token, Error> {
    read_token(spec, provider, response).map_err(|error| match spec.check() {
        Ok(()) => error,
        Err(malformed) => malformed.into(),
    })
}

fn read_token(
    spec: &ResponseSpec,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> Result<Token, Error> {
    if !response.status().is_success() {
        return Err(rejection::rejected(
            &spec.error,
            spec.format,
            provider,
            response,
        ));
    }
    let malformed = |problem| response.malformed(provider, problem);
    let format = spec
        .format
        .or_else(|| BodyFormat::detect(response.content_type(), response.body()))
        .ok_or_else(|| malformed(Problem::UnexpectedContentType))?;
    let mut body = SuccessBody::default();
    body.read(spec.routes, format, response.body())
        .map_err(malformed)?;
    if let Some(condition) = &spec.success {
        check_success(condition, format, provider, response, body.checked())?;
    }
    let access_token = access_token(spec, format, provider, response, &mut body)?;
    let token_type = token_type(body.take(Slot::TokenType), spec.token_type).map_err(malformed)?;
    let expires_at = expires_at(spec, response, &body, &access_token).map_err(malformed)?;
    let refresh_token =
        text(body.take(Slot::RefreshToken), spec.refresh_token).map_err(malformed)?;
    let scope = scope(body.take(Slot::Scope), spec.scope).map_err(malformed)?;
    Ok(Token::issued(
        access_token,
        token_type,
        expires_at,
        refresh_token,
        scope,
        body.take_extras(),
    ))
}

/// Passes when the condition's field, read on the way through, holds the expected
/// value; otherwise the whole body is read again, to say what the provider reported.
fn check_success(
    condition: &SuccessCondition,
    format: BodyFormat,
    provider: &'static str,
    response: &TokenResponse<'_>,
    value: Option<&Field<'_>>,
) -> Result<(), Error> {
    if value.is_some_and(|value| condition.equals.accepts(value)) {
        return Ok(());
    }
    let body = decode(format, response.body()).unwrap_or_default();
    rejection::check_success(condition, provider, response, &body)
}

/// The access token, from its header when declared there, else from the body.
fn access_token(
    spec: &ResponseSpec,
    format: BodyFormat,
    provider: &'static str,
    response: &TokenResponse<'_>,
    body: &mut SuccessBody<'_>,
) -> Result<String, Error> {
    let malformed = |problem| response.malformed(provider, problem);
    // A 2xx carrying an error body is a refusal, not a malformed token.
    let refused = |missing| {
        let body = decode(format, response.body()).unwrap_or_default();
        rejection::reported_failure(&spec.error, provider, response, &body)
            .unwrap_or_else(|| malformed(missing))
    };
    if let Some(header) = spec.access_token_header {
        return match response.header(header) {
            Some(token) if !token.trim().is_empty() => Ok(token.trim().to_owned()),
            _ => Err(refused(Problem::MissingHeader(header.to_owned()))),
        };
    }
    match body.take(Slot::AccessToken) {
        None => Err(refused(Problem::MissingField(dotted(spec.access_token)))),
        Some(Field::Text(token)) if token.is_empty() => {
            Err(malformed(Problem::EmptyField(dotted(spec.access_token))))
        }
        Some(Field::Text(token)) => Ok(token.into_owned()),
        Some(_) => Err(malformed(wrong_type(spec.access_token, "a string"))),
    }
}

/// A declared absolute expiry first; then the lifetime, counted from the
/// declared `issued_at` or else from receipt; then, if declared, the JWT's `exp`.
fn expires_at(
    spec: &ResponseSpec,
    response: &TokenResponse<'_>,
    body: &SuccessBody<'_>,
    access_token: &str,
) -> Result<Option<SystemTime>, Problem> {
    if let Some(instant) = body.get(Slot::ExpiresAt) {
        return expiry::instant(instant)
            .map(Some)
            .ok_or_else(|| Problem::InvalidLifetime(dotted(spec.expires_at)));
    }
    let issued_at = match body.get(Slot::IssuedAt) {
        Some(issued_at) => expiry::instant(issued_at)
            .ok_or_else(|| Problem::InvalidLifetime(dotted(spec.issued_at)))?,
        None => response.received_at(),
    };
    if let Some(lifetime) = body.get(Slot::ExpiresIn) {
        let lifetime = expiry::lifetime(lifetime)
            .ok_or_else(|| Problem::InvalidLifetime(dotted(spec.expires_in)))?;
        if lifetime.is_zero() && spec.zero_lifetime == ZeroLifetime::Never {
            return Ok(None);
        }
        return issued_at
            .checked_add(lifetime)
            .map(Some)
            .ok_or_else(|| Problem::InvalidLifetime(dotted(spec.expires_in)));
    }
    Ok(spec
        .expiry_from_jwt
        .then(|| jwt::expiry(access_token))
        .flatten())
}

/// The token type; the usual spellings of `Bearer` are borrowed, not allocated.
fn token_type(
    value: Option<Field<'_>>,
    path: FieldPath,
) -> Result<Option<Cow<'static, str>>, Problem> {
    match value {
        Some(Field::Text(text)) if !text.is_empty() => Ok(Some(match &*text {
            "Bearer" => Cow::Borrowed("Bearer"),
            "bearer" => Cow::Borrowed("bearer"),
            _ => Cow::Owned(text.into_owned()),
        })),
        None | Some(Field::Text(_)) => Ok(None),
        Some(_) => Err(wrong_type(path, "a string")),
    }
}

/// An optional text field; an empty string counts as absent.
fn text(value: Option<Field<'_>>, path: FieldPath) -> Result<Option<String>, Problem> {
    match value {
        Some(Field::Text(text)) if !text.is_empty() => Ok(Some(text.into_owned())),
        None | Some(Field::Text(_)) => Ok(None),
        Some(_) => Err(wrong_type(path, "a string")),
    }
}

/// The granted scope: a space-separated string, or an array of scope strings joined with spaces.
fn scope(value: Option<Field<'_>>, path: FieldPath) -> Result<Option<String>, Problem> {
    match value {
        None => Ok(None),
        Some(Field::Text(scope)) => Ok(Some(scope.into_owned())),
        Some(Field::Words(scopes)) => Ok(Some(scopes)),
        Some(_) => Err(wrong_type(path, "a string or an array of strings")),
    }
}

fn wrong_type(path: FieldPath, expected: &'static str) -> Problem {
    Problem::WrongType {
        field: dotted(path),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use serde_json::Value;

    use super::*;
    use crate::ConfigError;
    use crate::response::{Route, Routes};

    /// The standard top-level names, as the derive routes them when a path leaves them be.
    fn standard(key: &str) -> Route {
        (ResponseSpec::RFC6749.routes.key)(0, key)
    }

    #[test]
    fn a_response_that_does_not_map_under_a_malformed_path_blames_the_path() {
        let spec = ResponseSpec {
            access_token: &["$", "data", "token"],
            ..ResponseSpec::RFC6749
        };
        let headers = HeaderMap::new();
        let body = br#"{"data": {"token": "t"}}"#;
        let response = TokenResponse::new(StatusCode::OK, &headers, body);
        let error = parse_token(&spec, "acme", &response).err();
        assert!(
            matches!(
                error,
                Some(Error::Config(ConfigError::InvalidResponsePath { .. }))
            ),
            "{error:?}"
        );
    }

    #[test]
    fn indexed_paths_map_token_fields() {
        let spec = ResponseSpec {
            access_token: &["tokens", "1", "value"],
            expires_at: &["tokens", "1", "expires"],
            routes: Routes {
                key: |node, key| match (node, key) {
                    (0, "tokens") => Route::Inside(1),
                    (0, "access_token") => Route::Keep,
                    (0, key) => standard(key),
                    (2, "value") => Route::Take(Slot::AccessToken),
                    (2, "expires") => Route::Take(Slot::ExpiresAt),
                    _ => Route::Keep,
                },
                index: |node, index| match (node, index) {
                    (1, 1) => Route::Inside(2),
                    _ => Route::Keep,
                },
            },
            ..ResponseSpec::RFC6749
        };
        let headers = HeaderMap::new();
        let body = br#"{"tokens": [{"value": "first"}, {"value": "second", "expires": "2030-01-01T00:00:00Z", "kept": 1}, 3]}"#;
        let response = TokenResponse::new(StatusCode::OK, &headers, body);
        let token = parse_token(&spec, "acme", &response).ok();
        assert_eq!(
            token
                .as_ref()
                .map(|token| Value::Object(token.extras().clone())),
            Some(serde_json::json!({"tokens": [{"value": "first"}, {"kept": 1}, 3]}))
        );
        assert_eq!(
            token
                .as_ref()
                .map(|token| token.access_token().expose_secret()),
            Some("second")
        );
        assert_eq!(
            token.and_then(|token| token.expires_at()),
            Some(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_893_456_000))
        );
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds)
    }

    #[test]
    fn a_lifetime_counts_from_issued_at_and_zero_can_mean_never() {
        let spec = ResponseSpec {
            access_token: &["token"],
            issued_at: &["issued_at"],
            routes: Routes::keys(|node, key| match (node, key) {
                (0, "token") => Route::Take(Slot::AccessToken),
                (0, "issued_at") => Route::Take(Slot::IssuedAt),
                (0, "access_token") => Route::Keep,
                (0, key) => standard(key),
                _ => Route::Keep,
            }),
            ..ResponseSpec::RFC6749
        };
        let headers = HeaderMap::new();
        let body = br#"{"token": "t", "expires_in": 300, "issued_at": "2030-01-01T00:00:00Z"}"#;
        let response =
            TokenResponse::new(StatusCode::OK, &headers, body).with_received_at(at(1_893_456_100));
        let token = parse_token(&spec, "acme", &response).ok();
        assert_eq!(
            token.as_ref().and_then(Token::expires_at),
            Some(at(1_893_456_300))
        );
        assert!(token.is_some_and(|token| token.extras().is_empty()));

        let never = ResponseSpec {
            zero_lifetime: ZeroLifetime::Never,
            ..ResponseSpec::RFC6749
        };
        let body = br#"{"access_token": "t", "expires_in": 0}"#;
        let response = TokenResponse::new(StatusCode::OK, &headers, body);
        let token = parse_token(&never, "acme", &response).ok();
        assert!(
            token
                .as_ref()
                .is_some_and(|token| token.expires_at().is_none())
        );
        let token = parse_token(&ResponseSpec::RFC6749, "acme", &response).ok();
        assert!(token.is_some_and(|token| token.is_expired()));
    }

    #[test]
    fn a_token_in_a_header_and_mapped_fields_leave_the_extras() {
        let spec = ResponseSpec {
            access_token_header: Some("x-subject-token"),
            expires_at: &["token", "expires_at"],
            refresh_token: &["token", "nested", "refresh"],
            routes: Routes::keys(|node, key| match (node, key) {
                (0, "token") => Route::Inside(1),
                (0, "refresh_token") => Route::Keep,
                (0, key) => standard(key),
                (1, "expires_at") => Route::Take(Slot::ExpiresAt),
                (1, "nested") => Route::Inside(2),
                (2, "refresh") => Route::Take(Slot::RefreshToken),
                _ => Route::Keep,
            }),
            ..ResponseSpec::RFC6749
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-subject-token",
            http::HeaderValue::from_static("from-header"),
        );
        let body = br#"{"token": {"expires_at": "2030-01-01T00:00:00Z", "nested": {"refresh": "r", "kept": 1}}}"#;
        let response = TokenResponse::new(StatusCode::CREATED, &headers, body);
        let token = parse_token(&spec, "acme", &response).ok();
        assert_eq!(
            token
                .as_ref()
                .map(|token| token.access_token().expose_secret()),
            Some("from-header")
        );
        assert_eq!(
            token.as_ref().and_then(Token::expires_at),
            Some(at(1_893_456_000))
        );
        let extras = token.map(|token| Value::Object(token.extras().clone()));
        assert_eq!(
            extras,
            Some(serde_json::json!({"token": {"nested": {"kept": 1}}}))
        );

        let empty = HeaderMap::new();
        let response = TokenResponse::new(StatusCode::CREATED, &empty, body);
        let error = parse_token(&spec, "acme", &response)
            .err()
            .map(|error| error.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|error| error.contains("x-subject-token")),
            "{error:?}"
        );
    }
}
