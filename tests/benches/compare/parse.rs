//! Parsing each seed's documented success body.

use std::time::SystemTime;

use divan::{Bencher, black_box};
use oauth_core::reqwest::StatusCode;
use oauth_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use oauth_core::{Token, TokenEndpoint, TokenResponse};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};

use crate::hand_written::{self, EzzyDocToken, StandardToken};
use crate::ratios::{Ratios, Target};
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

/// What the hand-written reader returns: its own struct per response shape.
enum ByHand {
    Standard(StandardToken),
    EzzyDoc(EzzyDocToken),
}

fn hand_written(seed: Seed, body: &[u8]) -> Result<ByHand, String> {
    match seed {
        Seed::EzzyDoc => hand_written::parse_ezzydoc(200, body).map(ByHand::EzzyDoc),
        _ => hand_written::parse_standard(200, body).map(ByHand::Standard),
    }
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

/// Both sides read the same information out of the body.
fn assert_same(derived: &Token, by_hand: &ByHand) {
    let close = |a: Option<SystemTime>, b: Option<SystemTime>| match (a, b) {
        (Some(a), Some(b)) => {
            a.max(b)
                .duration_since(a.min(b))
                .unwrap_or_default()
                .as_secs()
                < 5
        }
        (a, b) => a.is_none() && b.is_none(),
    };
    match by_hand {
        ByHand::Standard(token) => {
            assert_eq!(derived.access_token().expose_secret(), token.access_token);
            assert_eq!(
                derived.token_type(),
                token.token_type.as_deref().unwrap_or("Bearer")
            );
            assert!(close(derived.expires_at(), token.expires_at));
            assert_eq!(
                derived.refresh_token().map(|t| t.expose_secret()),
                token.refresh_token.as_deref()
            );
            assert_eq!(derived.scope(), token.scope.as_deref());
            assert!(derived.extras().is_empty());
        }
        ByHand::EzzyDoc(token) => {
            assert_eq!(derived.access_token().expose_secret(), token.token);
            assert!(close(derived.expires_at(), token.expires_at));
            let status = derived.extras().get("service_status").expect("kept");
            assert_eq!(status["status"], token.service_status.status);
            assert_eq!(status["invoice_id"], token.service_status.invoice_id);
            assert_eq!(status["message"], token.service_status.message.as_str());
            assert_eq!(derived.extras().len(), 1);
        }
    }
}

/// Interleaved ratios: each seed against its hand-written reader, Sohar against `oauth2`.
pub fn ratios(ratios: &mut Ratios) {
    let headers = json_headers();
    for seed in Seed::ALL {
        let provider = provider(seed);
        let body = seed.body().as_bytes();
        assert_same(
            &provider
                .parse_response(&TokenResponse::new(StatusCode::OK, &headers, body))
                .expect("derived parses"),
            &hand_written(seed, body).expect("hand-written parses"),
        );
        let derived = || {
            provider
                .parse_response(&TokenResponse::new(
                    StatusCode::OK,
                    &headers,
                    black_box(body),
                ))
                .map(black_box)
                .is_ok()
        };
        let by_hand = || hand_written(seed, black_box(body)).map(black_box).is_ok();
        ratios.compare(
            &format!("parse/{seed}"),
            Target::AtMost(1.10),
            derived,
            by_hand,
        );
    }
    let provider = provider(Seed::Sohar);
    let body = Seed::Sohar.body().as_bytes();
    ratios.compare(
        "parse/Sohar vs oauth2",
        Target::None,
        || {
            provider
                .parse_response(&TokenResponse::new(
                    StatusCode::OK,
                    &headers,
                    black_box(body),
                ))
                .map(black_box)
                .is_ok()
        },
        || {
            serde_json::from_slice::<oauth2::basic::BasicTokenResponse>(black_box(body))
                .map(black_box)
                .is_ok()
        },
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
