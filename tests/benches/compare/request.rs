//! Building a ready-to-send `reqwest::Request`: a JSON provider and a form provider,
//! each against a hand-written client that parsed its token URL once.

use divan::{Bencher, black_box};
use oauth_core::TokenEndpoint;
use oauth_core::reqwest::Request;
use oauth_providers::{MyZeePay, Sohar};

use crate::hand_written::{MyZeePayClient, SoharClient};
use crate::ratios::{Ratios, Target};

const CLIENT_ID: &str = "client-id-0123456789";
const CLIENT_SECRET: &str = "client-secret-0123456789abcdef";
const USERNAME: &str = "me@example.com";
const PASSWORD: &str = "pass word&more";

fn same(derived: &Request, by_hand: &Request) {
    assert_eq!(derived.method(), by_hand.method());
    assert_eq!(derived.url(), by_hand.url());
    assert_eq!(derived.headers(), by_hand.headers());
    let body = |request: &Request| {
        request
            .body()
            .and_then(|body| body.as_bytes())
            .map(<[u8]>::to_vec)
    };
    assert_eq!(body(derived), body(by_hand));
}

fn sohar() -> (Sohar, SoharClient) {
    let pair = (
        Sohar::new(CLIENT_ID, CLIENT_SECRET),
        SoharClient::new(CLIENT_ID, CLIENT_SECRET),
    );
    same(&derived_request(&pair.0), &pair.1.request());
    pair
}

fn myzeepay() -> (MyZeePay, MyZeePayClient) {
    let pair = (
        MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD),
        MyZeePayClient::new(
            MyZeePay::PRODUCTION,
            CLIENT_ID,
            CLIENT_SECRET,
            USERNAME,
            PASSWORD,
        ),
    );
    same(&derived_request(&pair.0), &pair.1.request());
    pair
}

fn derived_request(provider: &impl TokenEndpoint) -> Request {
    provider.build_request().expect("builds").into_reqwest()
}

/// Interleaved ratios for both encodings.
pub fn ratios(ratios: &mut Ratios) {
    let (derived, by_hand) = sohar();
    ratios.compare(
        "build/json Sohar",
        Target::AtMost(1.10),
        || {
            black_box(&derived)
                .build_request()
                .map(|r| black_box(r.into_reqwest()))
                .is_ok()
        },
        || {
            black_box(black_box(&by_hand).request());
            true
        },
    );
    let (derived, by_hand) = myzeepay();
    ratios.compare(
        "build/form MyZeePay",
        Target::AtMost(1.10),
        || {
            black_box(&derived)
                .build_request()
                .map(|r| black_box(r.into_reqwest()))
                .is_ok()
        },
        || {
            black_box(black_box(&by_hand).request());
            true
        },
    );
}

#[divan::bench]
fn json_derived(bencher: Bencher<'_, '_>) {
    let (provider, _) = sohar();
    bencher.bench_local(|| black_box(derived_request(black_box(&provider))));
}

#[divan::bench]
fn json_hand_written(bencher: Bencher<'_, '_>) {
    let (_, client) = sohar();
    bencher.bench_local(|| black_box(black_box(&client).request()));
}

#[divan::bench]
fn form_derived(bencher: Bencher<'_, '_>) {
    let (provider, _) = myzeepay();
    bencher.bench_local(|| black_box(derived_request(black_box(&provider))));
}

#[divan::bench]
fn form_hand_written(bencher: Bencher<'_, '_>) {
    let (_, client) = myzeepay();
    bencher.bench_local(|| black_box(black_box(&client).request()));
}
