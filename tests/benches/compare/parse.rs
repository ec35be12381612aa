//! Parsing each seed's documented success body.

use divan::{Bencher, black_box};
use oauth_core::reqwest::StatusCode;
use oauth_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use oauth_core::{Token, TokenEndpoint, TokenResponse};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};

use crate::hand_written;
use crate::seeds::Seed;

fn provider(seed: Seed) -> Box<dyn TokenEndpoint> {
    match seed {
        Seed::EzzyDoc => Box::new(EzzyDoc::new("id", "secret")),
        Seed::MyZeePay => Box::new(MyZeePay::new("id", "secret", "user", "password")),
        Seed::OnDayZero => Box::new(OnDayZero::new("dz_token", "me@example.com")),
        Seed::Daftra => Box::new(Daftra::new(
            "https://acme.daftra.com",
            "id",
            "secret",
            "user",
            "password",
        )),
        Seed::Sohar => Box::new(Sohar::new("id", "secret")),
    }
}

fn hand_written(seed: Seed, body: &[u8]) -> Result<Token, String> {
    match seed {
        Seed::EzzyDoc => hand_written::parse_ezzydoc(200, body),
        _ => hand_written::parse_standard(200, body),
    }
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

/// Both sides read the same token out of the body.
fn assert_same(derived: &Token, by_hand: &Token) {
    assert_eq!(
        derived.access_token().expose_secret(),
        by_hand.access_token().expose_secret()
    );
    assert_eq!(derived.token_type(), by_hand.token_type());
    assert_eq!(
        derived
            .refresh_token()
            .map(|t| t.expose_secret().to_owned()),
        by_hand
            .refresh_token()
            .map(|t| t.expose_secret().to_owned())
    );
    assert_eq!(derived.scope(), by_hand.scope());
    assert_eq!(
        derived.expires_at().is_some(),
        by_hand.expires_at().is_some()
    );
    assert_eq!(
        derived.extras().keys().collect::<Vec<_>>(),
        by_hand.extras().keys().collect::<Vec<_>>()
    );
}

#[divan::bench(args = Seed::ALL)]
fn derived(bencher: Bencher<'_, '_>, seed: Seed) {
    let provider = provider(seed);
    let headers = json_headers();
    let body = seed.body().as_bytes();
    let parse = || provider.parse_response(&TokenResponse::new(StatusCode::OK, &headers, body));
    assert_same(
        &parse().expect("derived parses"),
        &hand_written(seed, body).expect("hand-written parses"),
    );
    bencher.bench_local(|| parse().map(black_box).is_ok());
}

#[divan::bench(args = Seed::ALL)]
fn hand_written_serde(bencher: Bencher<'_, '_>, seed: Seed) {
    let body = seed.body().as_bytes();
    bencher.bench_local(|| hand_written(seed, black_box(body)).map(black_box).is_ok());
}

#[divan::bench(args = Seed::STANDARD)]
fn oauth2_crate(bencher: Bencher<'_, '_>, seed: Seed) {
    let body = seed.body().as_bytes();
    let parse = || serde_json::from_slice::<oauth2::basic::BasicTokenResponse>(black_box(body));
    parse().expect("oauth2 reads the standard shape");
    bencher.bench_local(|| parse().map(black_box).is_ok());
}
