//! Items only generated code uses; not part of the public API. The module's
//! name carries the crate's version, which the derive (pinned with `=`) names too.

pub use http::{HeaderValue, Method};
pub use url::Url;

pub use crate::endpoint_url::{ResolvedUrls, UrlTemplate};
pub use crate::request::{BodyEncoding, RequestBuilder};
pub use crate::response::{
    BodyFormat, ErrorShape, Expected, FieldPath, ResponseSpec, Route, Routes, Slot,
    SuccessCondition, ZeroLifetime,
};
use crate::{Error, Token, TokenResponse};

/// Parses a fixed endpoint URL once per process; later calls clone it.
pub fn fixed_url(
    cell: &'static std::sync::OnceLock<Result<Url, Error>>,
    url: &'static str,
    what: &'static str,
) -> Result<Url, Error> {
    cell.get_or_init(|| crate::endpoint_url::parse_endpoint_url(url, what))
        .clone()
}

/// Parses a response with a provider's declared mapping.
pub fn parse_response(
    spec: &ResponseSpec,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> Result<Token, Error> {
    crate::response::parse_token(spec, provider, response)
}

pub use crate::settings::{
    CannotParseSetting, ExplainParseSetting, ParseSetting, Setting, SettingProblem, field_metadata,
    provider_metadata, read, required,
};

#[cfg(feature = "jwt")]
pub use crate::assertion::{Claims, Signer};

/// The type of a `#[token(private_key)]` field.
#[cfg(feature = "jwt")]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sign assertions",
    label = "declared `#[token(private_key)]` but its type is not a private key",
    note = "declare the field as `oauth_core::PrivateKey`, read with `PrivateKey::from_pem` or `PrivateKey::from_jwk`"
)]
pub trait PrivateKeyField {
    /// The key itself.
    fn private_key(&self) -> &crate::PrivateKey;
}

#[cfg(feature = "jwt")]
impl PrivateKeyField for crate::PrivateKey {
    fn private_key(&self) -> &crate::PrivateKey {
        self
    }
}

/// The field types a `#[token(default = "...")]` string can initialise.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be initialised from a `default = \"...\"` string",
    label = "this field is not text, so a string default cannot fill it",
    note = "a string `default` fills `String`, `&'static str` and `Secret` fields; \
            numbers and booleans are written without quotes (`default = 10`); \
            for other types, write your own constructor with `#[token(constructor = false)]`"
)]
pub trait DefaultText {
    /// The field's value from the declared default.
    fn from_default(text: &'static str) -> Self;
}

impl DefaultText for String {
    fn from_default(text: &'static str) -> Self {
        Self::from(text)
    }
}

impl DefaultText for &'static str {
    fn from_default(text: &'static str) -> Self {
        text
    }
}

impl DefaultText for crate::Secret {
    fn from_default(text: &'static str) -> Self {
        Self::new(text)
    }
}

/// The field types a number or boolean `#[token(default = ...)]` can initialise.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be initialised from a number or boolean `default`",
    label = "a number or boolean default cannot fill this field",
    note = "text and `Secret` fields take a string (`default = \"3600\"`); \
            for other types, write your own constructor with `#[token(constructor = false)]`"
)]
pub trait DefaultLiteral: Sized {
    /// The type the literal is read as, so an out-of-range literal is a compile error.
    type Literal;

    /// The field's value from the declared default.
    fn from_default(literal: Self::Literal) -> Self;
}

macro_rules! literal_defaults {
    ($($ty:ty)*) => {$(
        impl DefaultLiteral for $ty {
            type Literal = Self;

            fn from_default(literal: Self) -> Self {
                literal
            }
        }
    )*};
}

literal_defaults!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize bool);

#[cfg(test)]
mod tests {
    #[test]
    fn the_module_is_named_with_the_crate_version() {
        let module = format!(
            "::__private_{}::",
            env!("CARGO_PKG_VERSION").replace(['.', '-', '+'], "_")
        );
        assert!(module_path!().contains(&module), "{}", module_path!());
    }
}
