//! DPoP: what a proof costs per resource request (the JWT around one
//! signature), and what a key costs once per token lineage.

use divan::{Bencher, black_box};
use oauth_core::http::Method;
use oauth_core::reqwest::Url;
use oauth_core::{Algorithm, DpopKey, RequestContext, Token};

/// A proof for one resource request with a DPoP-bound token: `htm`, `htu`, `iat`, `jti`, `nonce` and `ath`.
#[divan::bench(args = [Algorithm::Es256, Algorithm::Es384, Algorithm::EdDsa])]
fn resource_proof(bencher: Bencher<'_, '_>, algorithm: Algorithm) {
    let key = DpopKey::generate(algorithm).expect("a generated key");
    let token = Token::new("an-access-token-of-a-typical-length-0123456789abcdef")
        .with_token_type("DPoP")
        .with_dpop_key(key);
    let url: Url = "https://api.example.com/v1/accounts?page=2"
        .parse()
        .expect("a URL");
    let proof = |token: &Token| {
        let context = RequestContext::system();
        token.dpop_proof(&Method::GET, &url, Some("a-server-nonce"), &context)
    };
    assert!(matches!(proof(&token), Ok(Some(_))));
    bencher.bench_local(|| proof(black_box(&token)).is_ok());
}

/// A new key, made once for each new token.
#[divan::bench(args = [Algorithm::Es256, Algorithm::Es384, Algorithm::EdDsa])]
fn key_generation(bencher: Bencher<'_, '_>, algorithm: Algorithm) {
    bencher.bench_local(|| DpopKey::generate(black_box(algorithm)).is_ok());
}
