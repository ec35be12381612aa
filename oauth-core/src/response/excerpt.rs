//! A short quote of an error body no shape matched, with credentials masked by meaning.
//!
//! Values under credential keys (`access_token`, `client_secret`, `password`,
//! `apiKey`...) and JWT-shaped values are masked wherever they sit; error codes
//! and messages stay readable, so the quote still says what went wrong.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::Scrubber;

/// How many characters of an unrecognised body an error may quote.
pub(crate) const EXCERPT_CHARS: usize = 120;

const MASK: &str = "[redacted]";

/// A short, single-line excerpt of a body, scrubbed and masked before it is cut,
/// so no part of a credential survives at the cut.
pub(crate) fn excerpt(
    raw: &[u8],
    decoded: Option<&Map<String, Value>>,
    scrubber: &Scrubber,
) -> Option<String> {
    let text = match decoded {
        Some(body) => Value::Object(mask_object(body, scrubber)).to_string(),
        // Scrubbed first: a mask that ends inside a secret would leave the rest of it unrecognisable.
        None => mask_assignments(&scrubber.scrub(&String::from_utf8_lossy(raw))),
    };
    let text = mask_jwts(&text).into_owned();
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

/// Key fragments that name a credential wherever they appear in a key.
const CREDENTIAL_MARKERS: [&str; 12] = [
    "token",
    "secret",
    "passw",
    "passphrase",
    "assertion",
    "credential",
    "authorization",
    "cookie",
    "jwt",
    "apikey",
    "api_key",
    "private_key",
];

/// Whole words of a key that name a credential: `key` in `x-api-key` or `privateKey`, not in `monkey`.
const CREDENTIAL_WORDS: [&str; 6] = ["key", "pwd", "bearer", "signature", "otp", "pin"];

/// Whether a key names a credential; `code`, `error`, `message` and the like do not.
pub(crate) fn is_credential_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    CREDENTIAL_MARKERS
        .iter()
        .any(|marker| lower.contains(marker))
        || CREDENTIAL_WORDS
            .iter()
            .any(|word| has_word(key, &lower, word))
}

/// Whether `word` stands alone in `key`: between separators, or as a camelCase word.
fn has_word(key: &str, lower: &str, word: &str) -> bool {
    let bytes = key.as_bytes();
    let separator = |at: usize| {
        bytes
            .get(at)
            .is_none_or(|byte| !byte.is_ascii_alphanumeric())
    };
    let upper = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_uppercase);
    lower.match_indices(word).any(|(at, _)| {
        let end = at + word.len();
        let opens = at == 0
            || separator(at - 1)
            || (upper(at) && bytes.get(at - 1).is_some_and(u8::is_ascii_lowercase));
        let closes = end == bytes.len() || separator(end) || upper(end);
        opens && closes
    })
}

/// Masks credential values and scrubs every string, keys included, before the
/// object is written out again: re-encoding would escape an echoed secret into a form no scrubber knows.
fn mask_object(object: &Map<String, Value>, scrubber: &Scrubber) -> Map<String, Value> {
    object
        .iter()
        .map(|(key, value)| {
            let value = if is_credential_key(key) && !value.is_null() {
                Value::String(String::from(MASK))
            } else {
                mask_value(value, scrubber)
            };
            (scrubber.scrub(key).into_owned(), value)
        })
        .collect()
}

fn mask_value(value: &Value, scrubber: &Scrubber) -> Value {
    match value {
        Value::Object(object) => Value::Object(mask_object(object, scrubber)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| mask_value(item, scrubber))
                .collect(),
        ),
        Value::String(text) => Value::String(scrubber.scrub(text).into_owned()),
        other => other.clone(),
    }
}

/// Masks every JWT-shaped run (`eyJ...`, two or more dots between base64url parts).
pub(crate) fn mask_jwts(text: &str) -> Cow<'_, str> {
    let mut masked = String::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text.get(search..).and_then(|rest| rest.find("eyJ")) {
        let start = search + found;
        let run = jwt_length(text.get(start..).unwrap_or_default());
        if run == 0 {
            search = start + 3;
            continue;
        }
        masked.push_str(text.get(copied..start).unwrap_or_default());
        masked.push_str(MASK);
        copied = start + run;
        search = copied;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    masked.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(masked)
}

/// The length of the JWT that opens `text`, or 0: base64url parts joined by at least two dots.
fn jwt_length(text: &str) -> usize {
    let run = text
        .bytes()
        .take_while(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(byte))
        .count();
    let parts: Vec<&str> = text.get(..run).unwrap_or_default().split('.').collect();
    // The signature may be empty (an unsigned JWT); the header and payload never are.
    let header_and_payload = parts.iter().take(2).all(|part| part.len() >= 2);
    if parts.len() >= 3 && header_and_payload {
        run
    } else {
        0
    }
}

/// In text that is neither JSON nor form data, masks the value of every
/// credential assignment: `access_token=...`, `"password": "..."`, `Token: ...`.
fn mask_assignments(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut masked = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(marker_end) = next_marker_end(&lower, at) {
        at = marker_end;
        let Some((value_start, value_end)) = assigned_value(&lower, marker_end) else {
            continue;
        };
        masked.push_str(text.get(copied..value_start).unwrap_or_default());
        masked.push_str(MASK);
        copied = value_end;
        at = value_end;
    }
    masked.push_str(text.get(copied..).unwrap_or_default());
    masked
}

/// Where the next credential marker at or after `from` ends.
fn next_marker_end(lower: &str, from: usize) -> Option<usize> {
    let rest = lower.get(from..)?;
    CREDENTIAL_MARKERS
        .iter()
        .filter_map(|marker| rest.find(marker).map(|found| (found, found + marker.len())))
        .min()
        .map(|(_, end)| from + end)
}

/// The value assigned after a key that ends at `key_end`, if an `=` or `:` follows the key.
fn assigned_value(lower: &str, key_end: usize) -> Option<(usize, usize)> {
    let bytes = lower.as_bytes();
    let mut at = key_end;
    let skip = |at: &mut usize, what: &dyn Fn(u8) -> bool| {
        while bytes.get(*at).copied().is_some_and(what) {
            *at += 1;
        }
    };
    skip(&mut at, &|byte| {
        byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
    });
    skip(&mut at, &|byte| {
        byte == b'"' || byte == b'\'' || byte == b' '
    });
    if !matches!(bytes.get(at), Some(b'=' | b':')) {
        return None;
    }
    at += 1;
    skip(&mut at, &|byte| {
        byte == b'"' || byte == b'\'' || byte == b' '
    });
    let start = at;
    skip(&mut at, &|byte| {
        !byte.is_ascii_whitespace() && !b"&,;\"'<>}".contains(&byte)
    });
    (at > start).then_some((start, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(object) => object,
            _ => Map::new(),
        }
    }

    #[test]
    fn credential_keys_by_meaning() {
        for key in [
            "access_token",
            "refresh_token",
            "id_token",
            "accessToken",
            "client_secret",
            "clientSecret",
            "password",
            "Passwd",
            "assertion",
            "client_assertion",
            "api_key",
            "apiKey",
            "x-api-key",
            "private_key",
            "privateKey",
            "key",
            "Authorization",
            "set-cookie",
            "pwd",
            "credentials",
        ] {
            assert!(is_credential_key(key), "{key}");
        }
        for key in [
            "code",
            "error_code",
            "errorCode",
            "error",
            "message",
            "detail",
            "status",
            "monkey",
            "keyword",
            "keys_checked",
            "errors",
            "request_id",
        ] {
            assert!(!is_credential_key(key), "{key}");
        }
    }

    #[test]
    fn error_codes_and_messages_stay_readable() {
        let body = object(serde_json::json!({
            "code": "E0000011",
            "errors": [{"code": "UNAUTHORIZED", "detail": "Not Authorized"}],
        }));
        let excerpt = excerpt(b"", Some(&body), Scrubber::none()).unwrap_or_default();
        assert_eq!(
            excerpt,
            r#"{"code":"E0000011","errors":[{"code":"UNAUTHORIZED","detail":"Not Authorized"}]}"#
        );
    }

    #[test]
    fn credential_values_and_jwts_are_masked() {
        let body = object(serde_json::json!({
            "access_token": "canary-1",
            "data": {"clientSecret": "canary-2", "note": "see eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln now"},
        }));
        let excerpt = excerpt(b"", Some(&body), Scrubber::none()).unwrap_or_default();
        assert_eq!(
            excerpt,
            r#"{"access_token":"[redacted]","data":{"clientSecret":"[redacted]","note":"see [redacted] now"}}"#
        );
    }

    #[test]
    fn excerpts_mask_at_any_depth_and_are_capped() {
        let body = object(
            serde_json::json!({"data": {"access_token": "canary"}, "note": "x".repeat(500)}),
        );
        let excerpt = excerpt(b"", Some(&body), Scrubber::none()).unwrap_or_default();
        assert!(!excerpt.contains("canary"), "{excerpt}");
        assert!(excerpt.ends_with("..."));
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 3);
    }

    #[test]
    fn a_secret_near_the_cut_is_scrubbed_before_cutting() {
        let secret = crate::Secret::new("sec-0123456789abcdef");
        let scrubber = Scrubber::new([&secret]);
        let raw = format!("{} {}", "x".repeat(110), secret.expose_secret());
        let excerpt = excerpt(raw.as_bytes(), None, &scrubber).unwrap_or_default();
        assert!(!excerpt.contains("sec-0"), "{excerpt}");
    }

    #[test]
    fn plain_text_keeps_its_words_and_loses_assigned_credentials() {
        let quote = |raw: &str| excerpt(raw.as_bytes(), None, Scrubber::none());
        assert_eq!(
            quote("token=abc&x=1;").as_deref(),
            Some("token=[redacted]&x=1;")
        );
        assert_eq!(
            quote("Invalid token, password: hunter2 or 'api_key'='k1'").as_deref(),
            Some("Invalid token, password: [redacted] or 'api_key'='[redacted]'")
        );
        assert_eq!(
            quote("<html>Bad gateway</html>").as_deref(),
            Some("<html>Bad gateway</html>")
        );
        assert_eq!(
            quote("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. rejected").as_deref(),
            Some("Bearer [redacted] rejected")
        );
    }

    #[test]
    fn jwt_shapes() {
        assert_eq!(mask_jwts("eyJa.eyJb.sig"), "[redacted]");
        assert_eq!(mask_jwts("a eyJab.eyJcd. b"), "a [redacted] b");
        assert_eq!(mask_jwts("eyJ alone"), "eyJ alone");
        assert_eq!(mask_jwts("eyJab.only-one-dot"), "eyJab.only-one-dot");
        assert_eq!(mask_jwts("x.eyJ"), "x.eyJ");
    }
}
