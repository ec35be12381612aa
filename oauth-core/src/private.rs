//! Items only generated code uses; not part of the public API.

pub use reqwest::{Method, Url};

pub use crate::endpoint_url::UrlTemplate;
pub use crate::request::{BodyEncoding, RequestBuilder};
pub use crate::response::{
    BodyFormat, ErrorShape, Expected, FieldPath, ResponseSpec, SuccessCondition,
};
use crate::{Error, SecretParam, Token, TokenResponse};

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
    CannotParseSetting, ParseSetting, Setting, SettingProblem, field_metadata, provider_metadata,
    read, required,
};

/// Compiles only when `T` can hold a secret.
pub const fn assert_secret<T: SecretParam + ?Sized>() {}

/// The field types a `#[token(default = "...")]` string can initialise.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be initialised from a `default = \"...\"` string",
    label = "this field is not text, so a string default cannot fill it",
    note = "`default` fills `String`, `&'static str` and `Secret` fields; set other types in your own constructor"
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
