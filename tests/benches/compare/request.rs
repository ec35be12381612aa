//! Building a ready-to-send `reqwest::Request`: a JSON provider and a form provider.

use divan::{Bencher, black_box};
use oauth_core::TokenEndpoint;
use oauth_providers::{MyZeePay, Sohar};

use crate::hand_written;

fn same(derived: &oauth_core::reqwest::Request, by_hand: &oauth_core::reqwest::Request) {
    assert_eq!(derived.url(), by_hand.url());
    assert_eq!(derived.headers(), by_hand.headers());
    let body = |request: &oauth_core::reqwest::Request| {
        request
            .body()
            .and_then(|body| body.as_bytes())
            .map(<[u8]>::to_vec)
    };
    assert_eq!(body(derived), body(by_hand));
}

#[divan::bench]
fn json_derived(bencher: Bencher<'_, '_>) {
    let provider = Sohar::new("client-id-0123456789", "client-secret-0123456789abcdef");
    let build = || {
        provider
            .build_request()
            .map(|request| request.into_reqwest())
    };
    same(
        &build().expect("builds"),
        &hand_written::sohar_request("client-id-0123456789", "client-secret-0123456789abcdef"),
    );
    bencher.bench_local(|| build().map(black_box).is_ok());
}

#[divan::bench]
fn json_hand_written(bencher: Bencher<'_, '_>) {
    bencher.bench_local(|| {
        black_box(hand_written::sohar_request(
            black_box("client-id-0123456789"),
            black_box("client-secret-0123456789abcdef"),
        ))
    });
}

#[divan::bench]
fn form_derived(bencher: Bencher<'_, '_>) {
    let provider = MyZeePay::new(
        "client-id",
        "client-secret",
        "me@example.com",
        "pass word&more",
    );
    let build = || {
        provider
            .build_request()
            .map(|request| request.into_reqwest())
    };
    same(
        &build().expect("builds"),
        &hand_written::myzeepay_request(
            "client-id",
            "client-secret",
            "me@example.com",
            "pass word&more",
        ),
    );
    bencher.bench_local(|| build().map(black_box).is_ok());
}

#[divan::bench]
fn form_hand_written(bencher: Bencher<'_, '_>) {
    bencher.bench_local(|| {
        black_box(hand_written::myzeepay_request(
            black_box("client-id"),
            black_box("client-secret"),
            black_box("me@example.com"),
            black_box("pass word&more"),
        ))
    });
}
