//! Items only generated code uses; not part of the public API.

pub use reqwest::{Method, Url};

pub use crate::endpoint_url::UrlTemplate;
pub use crate::request::{BodyEncoding, RequestBuilder};
pub use crate::response::{ErrorShape, Expected, FieldPath, ResponseSpec, SuccessCondition};
use crate::{Error, Param, SecretParam, Token, TokenResponse};

/// Parses a response with a provider's declared mapping.
pub fn parse_response(
    spec: &ResponseSpec,
    provider: &'static str,
    response: &TokenResponse<'_>,
) -> Result<Token, Error> {
    crate::response::parse_token(spec, provider, response)
}

/// Compiles only when `T` can be sent; called at the field's span so the error points there.
pub const fn assert_param<T: Param + ?Sized>() {}

/// Compiles only when `T` can hold a secret.
pub const fn assert_secret<T: SecretParam + ?Sized>() {}
