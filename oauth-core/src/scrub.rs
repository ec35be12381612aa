//! Striking a request's own secret values from what a provider says back.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use crate::Secret;
use crate::inline_text::InlineText;

/// What a struck secret reads as.
const REDACTED: &str = "[redacted]";

/// The secret values one token request carried, to strike from whatever the provider sends back.
///
/// Providers sometimes quote what they received: `"client_secret sec-... is not
/// valid"`. Every provider-supplied string that reaches an [`Error`](crate::Error)
/// (code, description, excerpt, content type) passes through the scrubber of the
/// request it answers, which replaces each secret value with `[redacted]` in its
/// raw, form-encoded, JSON-escaped and base64 forms.
///
/// [`HttpClient`](crate::HttpClient) attaches it by itself. With another HTTP
/// stack, attach it to the response with [`TokenResponse::with_scrubber`](crate::TokenResponse::with_scrubber):
///
/// ```
/// use oauth_core::{Secret, TokenEndpoint, TokenResponse};
/// use oauth_core::http::{StatusCode, header::HeaderMap};
///
/// #[derive(TokenEndpoint)]
/// #[token(base_url = "https://auth.acme.example", path = "/oauth/token")]
/// struct Acme {
///     client_id: String,
///     #[token(secret)]
///     client_secret: Secret,
/// }
///
/// let acme = Acme::new("my-client", "sec-7f3a");
/// let request = acme.build_request().unwrap();
/// let scrubber = request.scrubber().clone();
/// // ... send the request with any HTTP stack; the provider echoes the secret:
/// let body = br#"{"error": "invalid_client", "error_description": "client_secret sec-7f3a is not valid"}"#;
/// let headers = HeaderMap::new();
/// let response = TokenResponse::new(StatusCode::UNAUTHORIZED, &headers, body)
///     .with_scrubber(&scrubber);
/// let error = acme.parse_response(&response).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "acme rejected the token request with HTTP 401 Unauthorized: invalid_client: client_secret [redacted] is not valid"
/// );
/// ```
#[derive(Clone, Default)]
pub struct Scrubber {
    /// The values, joined by NUL. Not zeroed on drop, as the request's body and
    /// headers, which hold the same values, are not either.
    values: SecretValues,
    /// Every form of every value, longest first; computed on first use, which is on an error path.
    needles: OnceLock<Vec<Secret>>,
}

/// Separates the values in [`Scrubber::joined`]; a value holding one is struck piece by piece.
const SEPARATOR: &str = "\0";

impl Scrubber {
    /// The scrubber with nothing to strike, for responses whose request is unknown.
    pub(crate) fn none() -> &'static Self {
        static NONE: Scrubber = Scrubber {
            values: SecretValues::EMPTY,
            needles: OnceLock::new(),
        };
        &NONE
    }

    /// A scrubber for these secret values.
    pub fn new<'s>(secrets: impl IntoIterator<Item = &'s Secret>) -> Self {
        let mut values = SecretValues::default();
        for secret in secrets {
            values.push(secret.expose_secret());
        }
        values.into_scrubber()
    }

    /// Adds a secret value the request carries.
    pub(crate) fn remember(&mut self, value: &str) {
        self.values.push(value);
        // A scrubber used before this value arrived forgets what it derived without it.
        if self.needles.get().is_some() {
            self.needles = OnceLock::new();
        }
    }

    /// Whether there is nothing to strike.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every form of every secret value replaced by `[redacted]`.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.is_empty() {
            return Cow::Borrowed(text);
        }
        let needles = self
            .needles
            .get_or_init(|| needles(self.values.joined().split(SEPARATOR)));
        replace_all(text, needles)
    }
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrubber")
            .field("secrets", &self.values.count())
            .finish()
    }
}

/// The secret values a request builder has sent so far, joined by NUL; `Debug` shows only how many.
///
/// Kept in place up to [`SecretValues::INLINE`] bytes, so a request carrying
/// the usual one or two credentials allocates nothing for its scrubber.
#[derive(Clone, Default)]
pub(crate) struct SecretValues(InlineText<{ SecretValues::INLINE }>);

impl SecretValues {
    /// Room for a client secret and a password, say.
    const INLINE: usize = 62;

    /// No values.
    pub(crate) const EMPTY: Self = Self(InlineText::EMPTY);

    pub(crate) fn push(&mut self, value: &str) {
        if value.is_empty() {
            return;
        }
        if !self.0.is_empty() {
            self.0.push_str(SEPARATOR);
        }
        self.0.push_str(value);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn joined(&self) -> Cow<'_, str> {
        self.0.as_str()
    }

    fn count(&self) -> usize {
        self.joined()
            .split(SEPARATOR)
            .filter(|value| !value.is_empty())
            .count()
    }

    pub(crate) fn into_scrubber(self) -> Scrubber {
        Scrubber {
            values: self,
            needles: OnceLock::new(),
        }
    }
}

impl fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} redacted]", self.count())
    }
}

/// Every form a provider may quote a value in, longest first so a longer form wins over its own prefix.
fn needles<'v>(values: impl Iterator<Item = &'v str>) -> Vec<Secret> {
    let mut forms: Vec<String> = Vec::new();
    for value in values {
        if value.is_empty() {
            continue;
        }
        let form_encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let percent_encoded = form_encoded.replace('+', "%20");
        let json = serde_json::to_string(value).unwrap_or_default();
        let json = json
            .strip_prefix('"')
            .and_then(|json| json.strip_suffix('"'))
            .unwrap_or_default()
            .to_owned();
        forms.extend([
            value.to_owned(),
            lowercase_hex(&form_encoded),
            lowercase_hex(&percent_encoded),
            form_encoded,
            percent_encoded,
            json_ascii(value),
            json,
            STANDARD_NO_PAD.encode(value),
            URL_SAFE_NO_PAD.encode(value),
        ]);
    }
    forms.retain(|form| !form.is_empty());
    forms.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    forms.into_iter().map(Secret::new).collect()
}

/// The percent-escapes of `encoded` with lowercase hex digits, as some servers re-encode.
fn lowercase_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for character in encoded.chars() {
        if hex_left > 0 {
            out.push(character.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            hex_left = if character == '%' { 2 } else { 0 };
            out.push(character);
        }
    }
    out
}

/// JSON as encoders that escape `/` and everything outside ASCII write it (PHP's default).
fn json_ascii(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(character),
            other => {
                let mut units = [0; 2];
                for unit in other.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// One pass, leftmost match first: a replacement is never searched again.
fn replace_all<'t>(text: &'t str, needles: &[Secret]) -> Cow<'t, str> {
    let mut scrubbed = String::new();
    let mut copied = 0;
    for (at, _) in text.char_indices() {
        if at < copied {
            continue;
        }
        let rest = text.get(at..).unwrap_or_default();
        let Some(needle) = needles
            .iter()
            .map(Secret::expose_secret)
            .find(|needle| rest.starts_with(needle))
        else {
            continue;
        };
        scrubbed.push_str(text.get(copied..at).unwrap_or_default());
        scrubbed.push_str(REDACTED);
        copied = at + needle.len();
    }
    if copied == 0 && scrubbed.is_empty() {
        return Cow::Borrowed(text);
    }
    scrubbed.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(scrubbed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber(values: &[&str]) -> Scrubber {
        let mut collected = SecretValues::default();
        for value in values {
            collected.push(value);
        }
        collected.into_scrubber()
    }

    #[test]
    fn strikes_every_form_of_every_value() {
        let secret = "s3c/r+t é\"&=x";
        let scrubber = scrubber(&[secret, "other-secret"]);
        let forms = [
            secret.to_owned(),
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            "s3c%2Fr%2Bt%20%C3%A9%22%26%3Dx".to_owned(),
            "s3c%2fr%2bt+%c3%a9%22%26%3dx".to_owned(),
            r#"s3c/r+t é\"&=x"#.to_owned(),
            r#"s3c\/r+t \u00e9\"&=x"#.to_owned(),
            STANDARD_NO_PAD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
        ];
        for form in forms {
            let text = format!("before {form} after, other-secret.");
            assert_eq!(
                scrubber.scrub(&text),
                "before [redacted] after, [redacted].",
                "{form}"
            );
        }
    }

    #[test]
    fn leaves_other_text_borrowed() {
        let scrubber = scrubber(&["sec-7f3a"]);
        assert!(matches!(
            scrubber.scrub("invalid_client"),
            Cow::Borrowed("invalid_client")
        ));
        assert!(matches!(
            Scrubber::default().scrub("sec-7f3a"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_replacement_is_not_searched_again() {
        let scrubber = scrubber(&["red", "d]x"]);
        assert_eq!(scrubber.scrub("a red]x"), "a [redacted]]x");
    }

    #[test]
    fn empty_values_strike_nothing_and_debug_shows_no_value() {
        assert!(scrubber(&[""]).is_empty());
        let debug = format!("{:?}", scrubber(&["sec-7f3a", "", "other"]));
        assert_eq!(debug, "Scrubber { secrets: 2 }");
    }
}
