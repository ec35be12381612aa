//! Building a request that carries a signed assertion, per algorithm, against
//! the bare signature from ring: what the JWT around it costs.

use divan::{Bencher, black_box};
use oauth_core::{Algorithm, PrivateKey, Secret, TokenEndpoint};
use oauth_tests::keys;

/// Client credentials with `private_key_jwt`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "private_key_jwt"
)]
#[token(param(grant_type = "client_credentials"))]
struct KeyClient {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

/// Client credentials with `client_secret_jwt`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "client_secret_jwt"
)]
#[token(param(grant_type = "client_credentials"))]
struct SecretClient {
    client_id: String,
    client_secret: Secret,
}

fn key(text: &str) -> PrivateKey {
    text.parse().expect("a test key")
}

#[divan::bench(args = [Algorithm::Rs256, Algorithm::Ps256, Algorithm::Es256, Algorithm::Es384, Algorithm::EdDsa])]
fn private_key_jwt(bencher: Bencher<'_, '_>, algorithm: Algorithm) {
    let key = match algorithm {
        Algorithm::Es256 => key(keys::P256_PKCS8),
        Algorithm::Es384 => key(keys::P384_PKCS8),
        Algorithm::EdDsa => key(keys::ED25519_PKCS8),
        rsa => key(keys::RSA_PKCS8)
            .with_algorithm(rsa)
            .expect("an RSA algorithm"),
    };
    let provider = KeyClient::new("client-id-0123456789", key);
    assert!(provider.build_request().is_ok());
    bencher.bench_local(|| provider.build_request().map(black_box).is_ok());
}

#[divan::bench]
fn client_secret_jwt(bencher: Bencher<'_, '_>) {
    let provider = SecretClient::new(
        "client-id-0123456789",
        "client-secret-0123456789abcdef-hs256",
    );
    assert!(provider.build_request().is_ok());
    bencher.bench_local(|| provider.build_request().map(black_box).is_ok());
}

/// The floor under `private_key_jwt(RS256)`: one RS256 signature over a message of an assertion's size.
#[divan::bench]
fn ring_rs256_signature_alone(bencher: Bencher<'_, '_>) {
    use base64::Engine as _;
    use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
    let der = base64::engine::general_purpose::STANDARD
        .decode(keys::pem_body_lines(keys::RSA_PKCS8).concat())
        .expect("base64");
    let pair = RsaKeyPair::from_pkcs8(&der).expect("a PKCS#8 RSA key");
    let random = ring::rand::SystemRandom::new();
    let message = [b'a'; 330];
    let mut signature = vec![0; pair.public().modulus_len()];
    bencher.bench_local(|| {
        pair.sign(
            &RSA_PKCS1_SHA256,
            &random,
            black_box(&message),
            &mut signature,
        )
        .is_ok()
    });
}
