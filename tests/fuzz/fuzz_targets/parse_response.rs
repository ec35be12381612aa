//! Any response, to any bundled provider's parser: a token or a typed error, never a panic.
//!
//! Input: one byte picks the provider, two the status, one the content type; the rest is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_core::reqwest::StatusCode;
use oauth_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use oauth_core::{TokenEndpoint, TokenResponse};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};

const CONTENT_TYPES: [&str; 6] = [
    "application/json",
    "text/plain",
    "text/json",
    "application/x-www-form-urlencoded",
    "text/html",
    "",
];

fuzz_target!(|data: &[u8]| {
    let [provider, status_high, status_low, content_type, body @ ..] = data else {
        return;
    };
    let provider: Box<dyn TokenEndpoint> = match provider % 5 {
        0 => Box::new(EzzyDoc::new("id", "secret")),
        1 => Box::new(MyZeePay::new("id", "secret", "user", "password")),
        2 => Box::new(OnDayZero::new("dz_token", "me@example.com")),
        3 => Box::new(Daftra::new(
            "https://acme.daftra.com",
            "id",
            "secret",
            "user",
            "password",
        )),
        _ => Box::new(Sohar::new("id", "secret")),
    };
    let status = 100 + u16::from_be_bytes([*status_high, *status_low]) % 500;
    let Ok(status) = StatusCode::from_u16(status) else {
        return;
    };
    let mut headers = HeaderMap::new();
    let content_type = CONTENT_TYPES[usize::from(*content_type) % CONTENT_TYPES.len()];
    if !content_type.is_empty() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if let Err(error) = provider.parse_response(&TokenResponse::new(status, &headers, body)) {
        // Formatting is part of the contract too.
        let _ = format!("{error} {error:?}");
    }
});
