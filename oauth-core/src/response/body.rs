//! A response body as bytes: what its content type says it is, and how it decodes.
//!
//! [`MediaType::parse`] is the one reading of a `Content-Type` in this crate.
//! The rule, which the derive mirrors to validate a declared `content_type`
//! (it cannot depend on this crate): the media type is the text before the
//! first `;`, trimmed, compared ignoring ASCII case; `application/json`,
//! `text/json` and any type with the `+json` suffix (RFC 6839) are JSON;
//! `application/x-www-form-urlencoded` is form data; `text/plain` is whichever
//! of the two its body holds; anything else is neither.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::Problem;

/// What a `Content-Type` says a body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaType {
    Json,
    Form,
    PlainText,
    Other,
}

impl MediaType {
    /// Reads a `Content-Type` value by the rule in this module's documentation.
    pub(crate) fn parse(content_type: &str) -> Self {
        // Nearly every token response says exactly this; spare it the general reading below.
        if content_type == "application/json" || content_type == "application/json; charset=utf-8" {
            return Self::Json;
        }
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        let is = |name: &str| essence.eq_ignore_ascii_case(name);
        let json_suffix = essence
            .get(essence.len().saturating_sub("+json".len())..)
            .is_some_and(|suffix| suffix.eq_ignore_ascii_case("+json"));
        if is("application/json") || is("text/json") || json_suffix {
            Self::Json
        } else if is("application/x-www-form-urlencoded") {
            Self::Form
        } else if is("text/plain") {
            Self::PlainText
        } else {
            Self::Other
        }
    }
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
        match MediaType::parse(content_type) {
            MediaType::Json => Some(Self::Json),
            MediaType::Form => Some(Self::Form),
            // Providers label both JSON and form bodies text/plain.
            MediaType::PlainText => {
                let first = strip_bom(body)
                    .iter()
                    .find(|byte| !byte.is_ascii_whitespace());
                Some(if first == Some(&b'{') || first == Some(&b'[') {
                    Self::Json
                } else {
                    Self::Form
                })
            }
            MediaType::Other => None,
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
            Err(error) => Err(json_syntax(&error)),
        },
        BodyFormat::Form => {
            check_form(body)?;
            Ok(url::form_urlencoded::parse(body)
                .map(|(name, value)| (name.into_owned(), Value::String(value.into_owned())))
                .collect())
        }
    }
}

/// Refuses form data that is not UTF-8 or holds nothing.
pub(crate) fn check_form(body: &[u8]) -> Result<(), Problem> {
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
    Ok(())
}

/// A JSON syntax error by kind and position only: serde_json's messages can quote content.
pub(crate) fn json_syntax(error: &serde_json::Error) -> Problem {
    syntax_at(category(error), error.line(), error.column())
}

/// What kind of JSON error this is, in words that quote nothing.
pub(crate) fn category(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Eof => "it ends early",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data | serde_json::error::Category::Io => "invalid data",
    }
}

/// A JSON syntax error of `kind` at a position in the body.
pub(crate) fn syntax_at(kind: &str, line: usize, column: usize) -> Problem {
    Problem::Syntax {
        format: "JSON",
        detail: format!("{kind} at line {line} column {column}"),
    }
}

/// The body without a UTF-8 byte order mark, which some servers prepend to JSON.
pub(crate) fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// An object key, borrowed from the body when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string key")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_by_the_shared_rule() {
        for json in [
            "application/json",
            "Application/JSON; charset=UTF-8",
            " text/json ",
            "application/problem+json",
            "application/vnd.github+JSON",
        ] {
            assert_eq!(MediaType::parse(json), MediaType::Json, "{json}");
        }
        assert_eq!(
            MediaType::parse("application/x-www-form-urlencoded;charset=utf-8"),
            MediaType::Form
        );
        assert_eq!(MediaType::parse("TEXT/PLAIN"), MediaType::PlainText);
        for other in ["text/html", "json", "", "é+jsoné", "application/jsonp"] {
            assert_eq!(MediaType::parse(other), MediaType::Other, "{other}");
        }
    }

    #[test]
    fn plain_text_is_read_as_what_it_holds() {
        let detect = |body: &[u8]| BodyFormat::detect(Some("text/plain"), body);
        assert_eq!(detect(b" \n{\"a\": 1}"), Some(BodyFormat::Json));
        assert_eq!(detect(b"\xEF\xBB\xBF[1]"), Some(BodyFormat::Json));
        assert_eq!(detect(b"access_token=a"), Some(BodyFormat::Form));
        assert_eq!(BodyFormat::detect(None, b"x"), Some(BodyFormat::Json));
        assert_eq!(BodyFormat::detect(Some("image/png"), b"{}"), None);
    }
}
