//! How a provider's responses map onto a token: the declarations generated code writes.

use serde_json::Value;

use super::body::BodyFormat;
use super::field::Field;
use super::path::{FieldPath, dotted, malformation};
use crate::ConfigError;

/// How a provider's responses map onto a [`Token`](crate::Token); generated code declares one per provider.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct ResponseSpec {
    pub access_token: FieldPath,
    /// A response header that carries the access token instead of the body.
    pub access_token_header: Option<&'static str>,
    pub token_type: FieldPath,
    pub expires_in: FieldPath,
    pub refresh_token: FieldPath,
    pub scope: FieldPath,
    /// An absolute expiry (seconds or milliseconds since the epoch, or an RFC 3339 date-time), used before the lifetime.
    pub expires_at: FieldPath,
    /// When the token was issued (same forms as `expires_at`): the lifetime counts from it, not from receipt.
    pub issued_at: FieldPath,
    pub zero_lifetime: ZeroLifetime,
    pub expiry_from_jwt: bool,
    /// The body format when the provider's content type cannot be trusted.
    pub format: Option<BodyFormat>,
    pub success: Option<SuccessCondition>,
    pub error: ErrorShape,
    /// The paths above compiled into key matches: what the parser follows on the way through a body.
    pub routes: Routes,
}

impl ResponseSpec {
    /// The field names RFC 6749 sections 5.1 and 5.2 give.
    pub const RFC6749: Self = Self {
        access_token: &["access_token"],
        access_token_header: None,
        token_type: &["token_type"],
        expires_in: &["expires_in"],
        refresh_token: &["refresh_token"],
        scope: &["scope"],
        expires_at: &[],
        issued_at: &[],
        zero_lifetime: ZeroLifetime::Expired,
        expiry_from_jwt: false,
        format: None,
        success: None,
        error: ErrorShape::RFC6749,
        routes: Routes::keys(rfc6749_key),
    };

    /// Refuses a spec with a malformed path, which the derive never writes but a hand-built spec might.
    /// Run when a response fails to map, not on every parse: it costs as much as a small parse step.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        let declared = [
            self.access_token,
            self.token_type,
            self.expires_in,
            self.refresh_token,
            self.scope,
            self.error.code,
            self.error.description,
        ];
        // `expires_at` and `issued_at` are empty when not declared.
        let absolute = [self.expires_at, self.issued_at]
            .into_iter()
            .filter(|path| !path.is_empty());
        let success = self
            .success
            .iter()
            .flat_map(|success| [Some(success.field), success.message])
            .flatten();
        for path in declared.into_iter().chain(absolute).chain(success) {
            if let Some(reason) = malformation(path) {
                return Err(ConfigError::InvalidResponsePath {
                    path: dotted(path),
                    reason,
                });
            }
        }
        Ok(())
    }
}

/// The token part a mapped body field is read into.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    AccessToken,
    TokenType,
    ExpiresIn,
    RefreshToken,
    Scope,
    ExpiresAt,
    IssuedAt,
}

/// Where one key of an object, or one item of an array, in a success body leads.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Unmapped: kept, as written, in the token's extras.
    Keep,
    /// A token part: read into its slot and left out of the extras.
    Take(Slot),
    /// The success condition's field: read, and kept in the extras.
    Check,
    /// An object or array with token parts inside, kept without them; the number
    /// names the node that routes its members.
    Inside(u16),
    /// An object or array holding the success field and no token part: kept whole, and read through.
    Peek(u16),
}

/// A provider's paths compiled into matches, one per object level (node 0 is the body itself).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Routes {
    /// The route of a key of an object at a node.
    pub key: fn(u16, &str) -> Route,
    /// The route of an item of an array at a node.
    pub index: fn(u16, usize) -> Route,
}

impl Routes {
    /// Routes for paths without array indexes.
    pub const fn keys(key: fn(u16, &str) -> Route) -> Self {
        Self {
            key,
            index: keep_items,
        }
    }
}

/// The routes of bodies whose paths index no array: every item is kept.
fn keep_items(_node: u16, _index: usize) -> Route {
    Route::Keep
}

/// The routes of [`ResponseSpec::RFC6749`], as the derive would write them.
fn rfc6749_key(node: u16, key: &str) -> Route {
    match (node, key) {
        (0, "access_token") => Route::Take(Slot::AccessToken),
        (0, "token_type") => Route::Take(Slot::TokenType),
        (0, "expires_in") => Route::Take(Slot::ExpiresIn),
        (0, "refresh_token") => Route::Take(Slot::RefreshToken),
        (0, "scope") => Route::Take(Slot::Scope),
        _ => Route::Keep,
    }
}

/// What a lifetime of zero seconds means.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZeroLifetime {
    /// Expired on arrival, as RFC 6749 reads it.
    Expired,
    /// The token never expires.
    Never,
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
    /// Whether a field read on the way through a body holds this value.
    pub(crate) fn accepts(self, value: &Field<'_>) -> bool {
        match (self, value) {
            (Self::Integer(expected), Field::Number(number)) => number.as_i64() == Some(expected),
            (Self::Integer(expected), Field::Text(text)) => text.trim().parse() == Ok(expected),
            (Self::Text(expected), Field::Text(text)) => text == expected,
            (Self::Bool(expected), Field::Bool(flag)) => *flag == expected,
            _ => false,
        }
    }

    /// Whether a value of a parsed body holds this value.
    pub(crate) fn matches(self, value: &Value) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_spec_is_well_formed() {
        assert!(ResponseSpec::RFC6749.check().is_ok());
    }

    #[test]
    fn a_hand_built_malformed_path_is_a_configuration_error() {
        let spec = ResponseSpec {
            access_token: &["$", "data", "token"],
            ..ResponseSpec::RFC6749
        };
        let error = spec.check().map_err(|error| error.to_string());
        assert_eq!(
            error,
            Err(String::from(
                "the response path `$.data.token` is malformed: it starts with `$`; paths start at the body's top level: \"data.token\""
            ))
        );
        let spec = ResponseSpec {
            error: ErrorShape {
                code: &["errors[0]", "code"],
                description: &["message"],
            },
            ..ResponseSpec::RFC6749
        };
        assert!(spec.check().is_err());
    }
}
