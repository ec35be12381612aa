use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde_json::{Map, Value};

use crate::error::{MalformedResponse, Problem};
use crate::{Error, ProviderError, Token, jwt, rejection};

/// A token endpoint's response, as data: what the parser needs and nothing else.
///
/// Build one from any HTTP stack (or by hand in a test) and pass it to
/// [`TokenEndpoint::parse_response`](crate::TokenEndpoint::parse_response).
#[derive(Clone, Copy, Debug)]
pub struct TokenResponse<'a> {
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
    received_at: SystemTime,
}

impl<'a> TokenResponse<'a> {
    /// A response received now.
    pub fn new(status: StatusCode, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        Self {
            status,
            headers,
            body,
            received_at: SystemTime::now(),
        }
    }

    /// Sets when the response arrived; token lifetimes count from this instant.
    #[must_use]
    pub fn with_received_at(mut self, received_at: SystemTime) -> Self {
        self.received_at = received_at;
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

    pub(crate) fn malformed(&self, provider: &'static str, problem: Problem) -> Error {
        Error::MalformedResponse(MalformedResponse {
            provider,
            status: self.status,
            content_type: self.content_type().map(str::to_owned),
            problem,
        })
    }
}

/// A dotted path into a response body, split at compile time: `["service_status", "status"]`.
#[doc(hidden)]
pub type FieldPath = &'static [&'static str];

/// How a provider's responses map onto a [`Token`]; generated code declares one per provider.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct ResponseSpec {
    pub access_token: FieldPath,
    pub token_type: FieldPath,
    pub expires_in: FieldPath,
    pub refresh_token: FieldPath,
    pub scope: FieldPath,
    /// An absolute expiry (seconds or milliseconds since the epoch), used when there is no lifetime.
    pub expires_at: FieldPath,
    pub expiry_from_jwt: bool,
    /// The body format when the provider's content type cannot be trusted.
    pub format: Option<BodyFormat>,
    pub success: Option<SuccessCondition>,
    pub error: ErrorShape,
}

impl ResponseSpec {
    /// The field names RFC 6749 sections 5.1 and 5.2 give.
    pub const RFC6749: Self = Self {
        access_token: &["access_token"],
        token_type: &["token_type"],
        expires_in: &["expires_in"],
        refresh_token: &["refresh_token"],
        scope: &["scope"],
        expires_at: &[],
        expiry_from_jwt: false,
        format: None,
        success: None,
        error: ErrorShape::RFC6749,
    };
}

/// A body field whose value says whether a 2xx response really succeeded.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct SuccessCondition {
    pub field: FieldPath,
    pub equals: Expected,
    pub message: Option<FieldPath>,
    /// Names of integer codes, indexed by code (OpenAPI's `x-enumNames`).
    pub code_names: &'static [&'static str],
}

/// The value a [`SuccessCondition`] field holds on success.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Expected {
    Integer(i64),
    Text(&'static str),
    Bool(bool),
}

impl Expected {
    fn matches(self, value: &Value) -> bool {
        match (self, value) {
            (Self::Integer(expected), Value::Number(number)) => number.as_i64() == Some(expected),
            (Self::Integer(expected), Value::String(text)) => text.trim().parse() == Ok(expected),
            (Self::Text(expected), Value::String(text)) => text == expected,
            (Self::Bool(expected), Value::Bool(flag)) => *flag == expected,
            _ => false,
        }
    }
}

/// Where a provider's error body keeps its code and its explanation.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct ErrorShape {
    pub code: FieldPath,
    pub description: FieldPath,
}

impl ErrorShape {
    /// RFC 6749 section 5.2: `error` and `error_description`.
    pub const RFC6749: Self = Self {
        code: &["error"],
        description: &["error_description"],
    };
}

/// Turns a response into a token or a typed error, following `spec`.
pub(crate) fn parse_token(
    spec: &ResponseSpec,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> Result<Token, Error> {
    if !response.status.is_success() {
        return Err(Error::Rejected(rejection::provider_error(
            &spec.error,
            spec.format,
            provider,
            response,
        )));
    }
    let mut body = SuccessBody::read(spec, response)
        .map_err(|problem| response.malformed(provider, problem))?;
    let malformed = |problem| response.malformed(provider, problem);

    if let Some(condition) = &spec.success {
        check_success(condition, provider, response.status, &body.rest, &malformed)?;
    }
    let access_token = match body.take(Slot::AccessToken, spec.access_token) {
        Some(Value::String(token)) if token.is_empty() => {
            return Err(malformed(Problem::EmptyField(dotted(spec.access_token))));
        }
        Some(Value::String(token)) => token,
        Some(_) => {
            return Err(malformed(Problem::WrongType {
                field: dotted(spec.access_token),
                expected: "a string",
            }));
        }
        None => {
            // A 200 carrying an error body is a refusal, not a malformed token.
            if let Some(failure) =
                rejection::reported_failure(&spec.error, provider, response.status, &body.rest)
            {
                return Err(Error::ReportedFailure(failure));
            }
            return Err(malformed(Problem::MissingField(dotted(spec.access_token))));
        }
    };
    let token_type = match body.take(Slot::TokenType, spec.token_type) {
        Some(Value::String(token_type)) if !token_type.is_empty() => token_type,
        None | Some(Value::String(_)) => String::from(Token::DEFAULT_TYPE),
        Some(_) => return Err(malformed(wrong_type(spec.token_type, "a string"))),
    };
    // A declared absolute expiry is preferred; then the lifetime; then the JWT's exp.
    let lifetime = body.take(Slot::ExpiresIn, spec.expires_in);
    let absolute = match spec.expires_at {
        [] => None,
        path => body.take(Slot::ExpiresAt, path),
    };
    let mut expires_at = match (absolute, lifetime) {
        (Some(timestamp), _) => Some(
            timestamp_from(&timestamp)
                .ok_or_else(|| malformed(Problem::InvalidLifetime(dotted(spec.expires_at))))?,
        ),
        (None, Some(lifetime)) => Some(
            lifetime_from(&lifetime)
                .and_then(|lifetime| response.received_at.checked_add(lifetime))
                .ok_or_else(|| malformed(Problem::InvalidLifetime(dotted(spec.expires_in))))?,
        ),
        (None, None) => None,
    };
    if expires_at.is_none() && spec.expiry_from_jwt {
        expires_at = jwt::expiry(&access_token);
    }
    let refresh_token = match body.take(Slot::RefreshToken, spec.refresh_token) {
        Some(Value::String(refresh)) if !refresh.is_empty() => Some(refresh),
        None | Some(Value::String(_)) => None,
        Some(_) => return Err(malformed(wrong_type(spec.refresh_token, "a string"))),
    };
    let scope =
        match body.take(Slot::Scope, spec.scope) {
            Some(Value::String(scope)) => Some(scope),
            Some(Value::Array(scopes)) => Some(join_scopes(&scopes).ok_or_else(|| {
                malformed(wrong_type(spec.scope, "a string or an array of strings"))
            })?),
            None => None,
            Some(_) => {
                return Err(malformed(wrong_type(
                    spec.scope,
                    "a string or an array of strings",
                )));
            }
        };

    let mut token = Token::new(access_token)
        .with_token_type(token_type)
        .with_extras(body.rest);
    if let Some(expires_at) = expires_at {
        token = token.with_expires_at(expires_at);
    }
    if let Some(refresh_token) = refresh_token {
        token = token.with_refresh_token(refresh_token);
    }
    if let Some(scope) = scope {
        token = token.with_scope(scope);
    }
    Ok(token)
}

fn check_success(
    condition: &SuccessCondition,
    provider: &'static str,
    status: StatusCode,
    body: &Map<String, Value>,
    malformed: &impl Fn(Problem) -> Error,
) -> Result<(), Error> {
    let Some(value) = lookup(body, condition.field) else {
        return Err(malformed(Problem::MissingField(dotted(condition.field))));
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
        .and_then(rejection::describe);
    Err(Error::ReportedFailure(ProviderError {
        provider,
        status,
        code,
        description,
        excerpt: None,
        retry_after: None,
    }))
}

/// The formats a token response body comes in.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Form,
}

impl BodyFormat {
    /// Chooses the format from the declared content type, and for `text/plain` from the body.
    pub(crate) fn detect(content_type: Option<&str>, body: &[u8]) -> Option<Self> {
        let Some(content_type) = content_type else {
            return Some(Self::Json);
        };
        // Nearly every token response says exactly this; spare it the general parse below.
        if content_type == "application/json" || content_type == "application/json; charset=utf-8" {
            return Some(Self::Json);
        }
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        let is = |name: &str| essence.eq_ignore_ascii_case(name);
        if is("application/json")
            || is("text/json")
            || essence.to_ascii_lowercase().ends_with("+json")
        {
            Some(Self::Json)
        } else if is("application/x-www-form-urlencoded") {
            Some(Self::Form)
        } else if is("text/plain") {
            // Providers label both JSON and form bodies text/plain.
            let first = strip_bom(body)
                .iter()
                .find(|byte| !byte.is_ascii_whitespace());
            Some(if first == Some(&b'{') || first == Some(&b'[') {
                Self::Json
            } else {
                Self::Form
            })
        } else {
            None
        }
    }
}

/// Decodes a body into a JSON object; form fields become strings.
pub(crate) fn decode(format: BodyFormat, body: &[u8]) -> Result<Map<String, Value>, Problem> {
    let body = strip_bom(body);
    match format {
        BodyFormat::Json => match serde_json::from_slice(body) {
            Ok(Value::Object(object)) => Ok(object),
            Ok(_) => Err(Problem::NotAnObject),
            Err(error) => Err(Problem::Syntax {
                format: "JSON",
                detail: json_error_position(&error),
            }),
        },
        BodyFormat::Form => {
            if std::str::from_utf8(body).is_err() {
                return Err(Problem::Syntax {
                    format: "form data",
                    detail: String::from("it is not UTF-8"),
                });
            }
            if body.iter().all(u8::is_ascii_whitespace) {
                return Err(Problem::Syntax {
                    format: "form data",
                    detail: String::from("the body is empty"),
                });
            }
            Ok(url::form_urlencoded::parse(body)
                .map(|(name, value)| (name.into_owned(), Value::String(value.into_owned())))
                .collect())
        }
    }
}

/// Describes a JSON error by kind and position only: serde_json's messages can quote content.
fn json_error_position(error: &serde_json::Error) -> String {
    let kind = match error.classify() {
        serde_json::error::Category::Eof => "it ends early",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data | serde_json::error::Category::Io => "invalid data",
    };
    format!("{kind} at line {} column {}", error.line(), error.column())
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Finds the value at `path`; JSON `null` counts as absent.
pub(crate) fn lookup(body: &Map<String, Value>, path: FieldPath) -> Option<&Value> {
    let (first, rest) = path.split_first()?;
    let mut value = body.get(*first)?;
    for segment in rest {
        value = value.as_object()?.get(*segment)?;
    }
    (!value.is_null()).then_some(value)
}

/// Accepts 3600, 3600.0 and "3600"; rejects negative, non-finite and absurd lifetimes.
fn lifetime_from(value: &Value) -> Option<Duration> {
    let seconds = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// Seconds since the epoch, or milliseconds when the number is too large to be
/// seconds (past the year 5000); a number or a numeric string.
fn timestamp_from(value: &Value) -> Option<SystemTime> {
    const MILLISECONDS_FROM: f64 = 1e11;
    let number = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    let seconds = if number >= MILLISECONDS_FROM {
        number / 1000.0
    } else {
        number
    };
    SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
}

fn join_scopes(scopes: &[Value]) -> Option<String> {
    let names: Option<Vec<&str>> = scopes.iter().map(Value::as_str).collect();
    Some(names?.join(" "))
}

pub(crate) fn dotted(path: FieldPath) -> String {
    path.join(".")
}

fn wrong_type(path: FieldPath, expected: &'static str) -> Problem {
    Problem::WrongType {
        field: dotted(path),
        expected,
    }
}

/// The token fields a provider maps at the top level of its body, read straight into slots.
#[derive(Clone, Copy)]
enum Slot {
    AccessToken,
    TokenType,
    ExpiresIn,
    RefreshToken,
    Scope,
    ExpiresAt,
}

/// A success body read in one pass: the mapped top-level token fields in
/// slots, everything else (nested parents included) in `rest`, which becomes
/// the token's extras.
struct SuccessBody {
    slots: [Option<Value>; 6],
    rest: Map<String, Value>,
}

impl SuccessBody {
    fn read(spec: &ResponseSpec, response: &TokenResponse<'_>) -> Result<Self, Problem> {
        let format = spec
            .format
            .or_else(|| BodyFormat::detect(response.content_type(), response.body))
            .ok_or(Problem::UnexpectedContentType)?;
        let names = [
            spec.access_token,
            spec.token_type,
            spec.expires_in,
            spec.refresh_token,
            spec.scope,
            spec.expires_at,
        ]
        .map(|path| match path {
            [name] => *name,
            _ => "",
        });
        match format {
            BodyFormat::Json => {
                let mut deserializer =
                    serde_json::Deserializer::from_slice(strip_bom(response.body));
                let body =
                    serde::de::DeserializeSeed::deserialize(SlotSeed { names }, &mut deserializer)
                        .and_then(|body| deserializer.end().map(|()| body))
                        .map_err(|error| match error.classify() {
                            serde_json::error::Category::Data => Problem::NotAnObject,
                            _ => Problem::Syntax {
                                format: "JSON",
                                detail: json_error_position(&error),
                            },
                        })?;
                Ok(body)
            }
            BodyFormat::Form => {
                let mut rest = decode(BodyFormat::Form, response.body)?;
                let slots =
                    names.map(|name| (!name.is_empty()).then(|| rest.remove(name)).flatten());
                Ok(Self { slots, rest })
            }
        }
    }

    /// Takes a mapped field: from its slot when it is top-level, by value; nested ones are cloned.
    fn take(&mut self, slot: Slot, path: FieldPath) -> Option<Value> {
        let value = match path {
            [_] => self.slots.get_mut(slot as usize)?.take()?,
            _ => lookup(&self.rest, path)?.clone(),
        };
        (!value.is_null()).then_some(value)
    }
}

/// Deserializes a JSON object into a [`SuccessBody`] without allocating the mapped keys.
struct SlotSeed {
    names: [&'static str; 6],
}

impl<'de> serde::de::DeserializeSeed<'de> for SlotSeed {
    type Value = SuccessBody;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<SuccessBody, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SlotSeed {
    type Value = SuccessBody;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SuccessBody, A::Error> {
        let mut body = SuccessBody {
            slots: Default::default(),
            rest: Map::new(),
        };
        while let Some(Key(key)) = map.next_key()? {
            let slot = self
                .names
                .iter()
                .position(|name| !name.is_empty() && *name == key);
            match slot.and_then(|index| body.slots.get_mut(index)) {
                Some(slot) => *slot = Some(map.next_value()?),
                None => {
                    body.rest.insert(key.into_owned(), map.next_value()?);
                }
            }
        }
        Ok(body)
    }
}

/// An object key, borrowed from the body when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string key")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key.to_owned())))
            }

            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}
