use std::borrow::Cow;

use crate::Secret;

/// A value a provider field sends: in the body, a header, the query or the URL.
///
/// Implemented for `String`, `&str`, [`Secret`], `bool`, the integer types and
/// `Option` of any of them (`None` leaves the parameter out). Implement it for
/// your own type to use that type as a field of a `#[derive(TokenEndpoint)]` struct.
///
/// ```
/// use oauth_core::{Param, ParamValue, Secret};
///
/// /// A key the provider issues; a credential, so it is sent as one.
/// struct ApiKey(Secret);
///
/// impl Param for ApiKey {
///     const SECRET: bool = true;
///
///     fn to_param(&self) -> Option<ParamValue<'_>> {
///         Some(ParamValue::Secret(&self.0))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a token request parameter",
    label = "this field's type is not a token request parameter",
    note = "use `String`, `oauth_core::Secret`, an integer, `bool`, or an `Option` of one; \
            for another type, implement `oauth_core::Param` for a type of your crate \
            (a wrapper around `{Self}` when `{Self}` is not yours)"
)]
pub trait Param {
    /// Whether values of this type are credentials: `true` for [`Secret`] and
    /// types holding one. The derive requires it of fields declared `secret`,
    /// named like credentials or sent as the bearer token, refuses it in URL
    /// template parts, and marks such settings secret in `FromSettings`.
    const SECRET: bool = false;

    /// The value to send, or `None` to leave the parameter out.
    fn to_param(&self) -> Option<ParamValue<'_>>;
}

/// How a [`Param`] is written on the wire.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ParamValue<'a> {
    /// Text, sent as a JSON string or as is.
    Text(Cow<'a, str>),
    /// A credential: sent like text, marked sensitive in headers, never shown.
    Secret(&'a Secret),
    /// A number, sent as a JSON number or in decimal.
    Number(serde_json::Number),
    /// A boolean, sent as a JSON boolean or as `true`/`false`.
    Bool(bool),
}

impl ParamValue<'_> {
    /// The value as text, the way form bodies, headers and URLs carry it.
    pub(crate) fn as_text(&self) -> Cow<'_, str> {
        match self {
            Self::Text(text) => Cow::Borrowed(text),
            Self::Secret(secret) => Cow::Borrowed(secret.expose_secret()),
            Self::Number(number) => Cow::Owned(number.to_string()),
            Self::Bool(flag) => Cow::Borrowed(if *flag { "true" } else { "false" }),
        }
    }

    pub(crate) fn is_secret(&self) -> bool {
        matches!(self, Self::Secret(_))
    }
}

impl Param for String {
    fn to_param(&self) -> Option<ParamValue<'_>> {
        Some(ParamValue::Text(Cow::Borrowed(self)))
    }
}

impl Param for str {
    fn to_param(&self) -> Option<ParamValue<'_>> {
        Some(ParamValue::Text(Cow::Borrowed(self)))
    }
}

impl Param for Secret {
    const SECRET: bool = true;

    fn to_param(&self) -> Option<ParamValue<'_>> {
        Some(ParamValue::Secret(self))
    }
}

impl Param for bool {
    fn to_param(&self) -> Option<ParamValue<'_>> {
        Some(ParamValue::Bool(*self))
    }
}

impl<T: Param + ?Sized> Param for &T {
    const SECRET: bool = T::SECRET;

    fn to_param(&self) -> Option<ParamValue<'_>> {
        T::to_param(self)
    }
}

impl<T: Param> Param for Option<T> {
    const SECRET: bool = T::SECRET;

    fn to_param(&self) -> Option<ParamValue<'_>> {
        self.as_ref().and_then(T::to_param)
    }
}

macro_rules! integer_params {
    ($($int:ty)*) => {$(
        impl Param for $int {
            fn to_param(&self) -> Option<ParamValue<'_>> {
                Some(ParamValue::Number(serde_json::Number::from(*self)))
            }
        }
    )*};
}

integer_params!(u8 u16 u32 u64 usize i8 i16 i32 i64 isize);
