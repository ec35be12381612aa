//! Signed JWT assertions, the specification of `client_auth = "private_key_jwt"`,
//! `"client_secret_jwt"`, `"tls_client_auth"`, `assertion(...)`,
//! `#[token(private_key)]` and `#[token(claim)]`: exact claims from a fixed
//! context, signatures verified with each algorithm's public key, a loopback
//! server that accepts only fresh ones, and never one assertion twice.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use oauth_core::{
    Algorithm, ConfigError, Error, HttpClient, IdSource, KeyError, PrivateKey, RequestContext,
    Secret, TokenCache, TokenEndpoint, TokenRequest,
};
use oauth_tests::assertion_server::{
    AssertionServer, CLIENT_ASSERTION_TYPE, Carrier, Expected, JWT_BEARER_GRANT,
};
use oauth_tests::keys::{self, Verifier, verify};
use oauth_tests::wire;
use serde_json::{Value, json};

/// Client credentials authenticated with a private key.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/oauth2/token",
    client_auth = "private_key_jwt"
)]
#[token(param(grant_type = "client_credentials"), refresh(grant))]
struct KeyClient {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
    scope: Option<String>,
}

/// Client credentials authenticated with an HS256 assertion over the secret.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/oauth2/token",
    client_auth = "client_secret_jwt"
)]
#[token(param(grant_type = "client_credentials"), assertion(lifetime = 30))]
struct SecretClient {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

/// The JWT bearer grant with claims from fields and constants.
#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(assertion(
    grant,
    lifetime = 300,
    claims(aud = "https://auth.example.com/", tenant = 7)
))]
struct Robot {
    #[token(claim = "iss")]
    email: String,
    #[token(claim)]
    scope: String,
    #[token(claim = "sub")]
    subject: Option<String>,
    #[token(private_key)]
    key: PrivateKey,
}

/// A client whose TLS certificate authenticates it: only its id goes in the body.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://mtls.auth.example.com",
    path = "/token",
    client_auth = "tls_client_auth"
)]
#[token(param(grant_type = "client_credentials"))]
struct CertificateClient {
    client_id: String,
}

const NOW: u64 = 1_700_000_000;

/// Ids `jti-1`, `jti-2`... so claims can be compared exactly.
fn counter() -> impl Fn() -> String + Send + Sync {
    let next = AtomicU32::new(1);
    move || format!("jti-{}", next.fetch_add(1, Ordering::Relaxed))
}

fn at_now(ids: &impl IdSource) -> RequestContext<'_> {
    RequestContext::new(SystemTime::UNIX_EPOCH + Duration::from_secs(NOW), ids)
}

fn form(request: &TokenRequest) -> BTreeMap<String, String> {
    serde_urlencoded::from_bytes(request.body().unwrap_or_default()).unwrap()
}

fn key(text: &str) -> PrivateKey {
    text.parse().unwrap()
}

/// Every algorithm: the key, the algorithm it signs with, the public key that verifies it, its kid.
fn every_algorithm() -> Vec<(PrivateKey, Algorithm, &'static str, Option<&'static str>)> {
    let rsa = || key(keys::RSA_PKCS8).with_key_id("test-rsa");
    vec![
        (rsa(), Algorithm::Rs256, keys::RSA_PUBLIC, Some("test-rsa")),
        (
            rsa().with_algorithm(Algorithm::Rs384).unwrap(),
            Algorithm::Rs384,
            keys::RSA_PUBLIC,
            Some("test-rsa"),
        ),
        (
            rsa().with_algorithm(Algorithm::Rs512).unwrap(),
            Algorithm::Rs512,
            keys::RSA_PUBLIC,
            Some("test-rsa"),
        ),
        (
            rsa().with_algorithm(Algorithm::Ps256).unwrap(),
            Algorithm::Ps256,
            keys::RSA_PUBLIC,
            Some("test-rsa"),
        ),
        (
            key(keys::P256_SEC1),
            Algorithm::Es256,
            keys::P256_PUBLIC,
            None,
        ),
        (
            key(keys::P384_JWK),
            Algorithm::Es384,
            keys::P384_PUBLIC,
            Some("test-p384"),
        ),
        (
            key(keys::ED25519_JWK),
            Algorithm::EdDsa,
            keys::ED25519_PUBLIC,
            Some("test-ed25519"),
        ),
    ]
}

#[test]
fn a_client_assertion_has_exactly_the_rfc_7523_claims_for_every_algorithm() {
    for (key, algorithm, public, kid) in every_algorithm() {
        let provider = KeyClient::new("client-1", key);
        let ids = counter();
        let request = provider
            .build_request_in(provider.token_url().unwrap(), &at_now(&ids))
            .unwrap();
        let mut body = form(&request);
        let assertion = body.remove("client_assertion").unwrap();
        assert_eq!(
            body,
            wire::fields([
                ("client_id", "client-1"),
                ("grant_type", "client_credentials"),
                ("client_assertion_type", CLIENT_ASSERTION_TYPE),
            ])
        );
        let (header, claims) = verify(&assertion, &Verifier::public(public))
            .unwrap_or_else(|error| panic!("{algorithm}: {error}"));
        let mut expected_header = json!({"alg": algorithm.name(), "typ": "JWT"});
        if let Some(kid) = kid {
            expected_header["kid"] = kid.into();
        }
        assert_eq!(header, expected_header, "{algorithm}");
        assert_eq!(
            claims,
            json!({
                "iss": "client-1", "sub": "client-1",
                "aud": "https://auth.example.com/oauth2/token",
                "iat": NOW, "exp": NOW + 60, "jti": "jti-1",
            }),
            "{algorithm}"
        );
    }
}

#[tokio::test]
async fn a_server_holding_the_public_key_accepts_each_algorithm() {
    let client = HttpClient::new().unwrap();
    for (key, algorithm, public, kid) in every_algorithm() {
        let mut expected = Expected::new(
            Carrier::ClientAssertion,
            Verifier::public(public),
            json!({"iss": "client-1", "sub": "client-1"}),
        );
        expected.kid = kid.map(str::to_owned);
        expected.params = wire::fields([("client_id", "client-1"), ("scope", "read")]);
        let server = AssertionServer::start("/oauth2/token", expected).await;
        let provider = KeyClient::new("client-1", key)
            .with_scope("read")
            .with_base_url(&server.server.uri())
            .unwrap();
        let token = provider
            .fetch_token(&client)
            .await
            .unwrap_or_else(|error| panic!("{algorithm}: {error}"));
        assert!(
            token
                .access_token()
                .expose_secret()
                .starts_with("assertion-token")
        );
        assert_eq!(server.accepted().len(), 1, "{algorithm}");
    }
}

#[tokio::test]
async fn an_assertion_signed_with_the_wrong_key_gets_the_providers_rejection() {
    let mut expected = Expected::new(
        Carrier::ClientAssertion,
        Verifier::public(keys::RSA_PUBLIC),
        json!({"iss": "client-1"}),
    );
    expected.kid = Some("test-rsa".into());
    let server = AssertionServer::start("/oauth2/token", expected).await;
    let wrong = key(keys::OTHER_RSA_PKCS8).with_key_id("test-rsa");
    let provider = KeyClient::new("client-1", wrong)
        .with_base_url(&server.server.uri())
        .unwrap();
    let error = provider
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Rejected(_)), "{error:?}");
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.status.as_u16(), 401);
    assert_eq!(rejection.code.as_deref(), Some("invalid_client"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("the signature does not verify")
    );
}

#[tokio::test]
async fn the_cache_signs_a_new_assertion_for_every_request() {
    let mut expected = Expected::new(
        Carrier::ClientAssertion,
        Verifier::public(keys::P256_PUBLIC),
        json!({"iss": "client-1"}),
    );
    expected.kid = Some("test-p256".into());
    let server = AssertionServer::start("/oauth2/token", expected).await;
    let provider = KeyClient::new("client-1", key(keys::P256_JWK))
        .with_base_url(&server.server.uri())
        .unwrap();
    let cache = TokenCache::new(provider, HttpClient::new().unwrap());
    let first = cache.token().await.unwrap();
    cache.invalidate();
    let second = cache.token().await.unwrap();
    cache.invalidate();
    cache.token().await.unwrap();
    assert_ne!(
        first.access_token().expose_secret(),
        second.access_token().expose_secret()
    );

    let accepted = server.accepted();
    assert_eq!(
        accepted.len(),
        3,
        "the server, which refuses replays, accepted each"
    );
    let jtis: std::collections::HashSet<&Value> =
        accepted.iter().map(|claims| &claims["jti"]).collect();
    assert_eq!(jtis.len(), 3, "three requests, three jtis: {accepted:?}");
}

#[test]
fn each_request_built_at_the_system_time_has_its_own_jti() {
    let provider = KeyClient::new("client-1", key(keys::ED25519_PKCS8));
    let jti = |request: TokenRequest| {
        let assertion = form(&request).remove("client_assertion").unwrap();
        let (_, claims) = verify(&assertion, &Verifier::public(keys::ED25519_PUBLIC)).unwrap();
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let iat = claims["iat"].as_u64().unwrap();
        assert!(iat.abs_diff(now) <= 5, "built at the system time");
        assert_eq!(claims["exp"].as_u64(), Some(iat + 60));
        claims["jti"].as_str().unwrap().to_owned()
    };
    let first = jti(provider.build_request().unwrap());
    let second = jti(provider.build_request().unwrap());
    assert_ne!(first, second);
    assert_eq!(first.len(), 22, "128 random bits, base64url");
}

#[test]
fn a_refresh_carries_a_client_assertion_of_its_own() {
    let provider = KeyClient::new("client-1", key(keys::P256_PKCS8));
    let ids = counter();
    let context = at_now(&ids);
    let refresh_url = provider.refresh_url().unwrap();
    let request = provider
        .build_refresh_request_in(refresh_url, &Secret::new("refresh-1"), &context)
        .unwrap()
        .unwrap();
    let mut body = form(&request);
    let assertion = body.remove("client_assertion").unwrap();
    assert_eq!(
        body,
        wire::fields([
            ("grant_type", "refresh_token"),
            ("refresh_token", "refresh-1"),
            ("client_assertion_type", CLIENT_ASSERTION_TYPE),
        ])
    );
    let (_, claims) = verify(&assertion, &Verifier::public(keys::P256_PUBLIC)).unwrap();
    assert_eq!(claims["jti"], "jti-1");
    assert_eq!(claims["aud"], "https://auth.example.com/oauth2/token");
}

#[tokio::test]
async fn client_secret_jwt_signs_hs256_over_the_secret_and_never_sends_it() {
    let provider = SecretClient::new("client-1", "a-shared-secret-of-32-bytes-long");
    let ids = counter();
    let request = provider
        .build_request_in(provider.token_url().unwrap(), &at_now(&ids))
        .unwrap();
    let mut body = form(&request);
    let assertion = body.remove("client_assertion").unwrap();
    assert_eq!(
        body,
        wire::fields([
            ("client_id", "client-1"),
            ("grant_type", "client_credentials"),
            ("client_assertion_type", CLIENT_ASSERTION_TYPE),
        ]),
        "the secret stays home"
    );
    let verifier = Verifier::Secret("a-shared-secret-of-32-bytes-long".into());
    let (header, claims) = verify(&assertion, &verifier).unwrap();
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
    assert_eq!(
        claims,
        json!({
            "iss": "client-1", "sub": "client-1", "aud": "https://auth.example.com/oauth2/token",
            "iat": NOW, "exp": NOW + 30, "jti": "jti-1",
        })
    );

    let server = AssertionServer::start(
        "/oauth2/token",
        Expected::new(
            Carrier::ClientAssertion,
            verifier,
            json!({"iss": "client-1"}),
        ),
    )
    .await;
    let wrong = SecretClient::new("client-1", "not-the-secret-though-32-bytes-long")
        .with_base_url(&server.server.uri())
        .unwrap();
    let error = wrong
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        error.provider_error().unwrap().code.as_deref(),
        Some("invalid_client")
    );
    let right = provider.with_base_url(&server.server.uri()).unwrap();
    right
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn client_secret_jwt_refuses_a_secret_shorter_than_32_bytes_before_sending_anything() {
    let server = AssertionServer::start(
        "/oauth2/token",
        Expected::new(
            Carrier::ClientAssertion,
            Verifier::Secret("canary-secret-of-31-bytes-short".into()),
            json!({"iss": "client-1"}),
        ),
    )
    .await;
    let short = SecretClient::new("client-1", "canary-secret-of-31-bytes-short")
        .with_base_url(&server.server.uri())
        .unwrap();
    let error = short
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Config(ConfigError::Key(KeyError::SecretTooShort { minimum: 32 }))
        ),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("canary"));
    assert!(server.server.received_requests().await.unwrap().is_empty());
    assert!(short.build_request().is_err(), "building alone refuses it");
}

#[tokio::test]
async fn the_jwt_bearer_grant_sends_only_the_signed_grant() {
    let robot = Robot::new(
        "robot@example.com",
        "read write",
        key(keys::RSA_JWK).with_algorithm(Algorithm::Ps256).unwrap(),
    )
    .with_subject("user@example.com");
    let ids = counter();
    let request = robot
        .build_request_in(robot.token_url().unwrap(), &at_now(&ids))
        .unwrap();
    let mut body = form(&request);
    let assertion = body.remove("assertion").unwrap();
    assert_eq!(body, wire::fields([("grant_type", JWT_BEARER_GRANT)]));
    let (header, claims) = verify(&assertion, &Verifier::public(keys::RSA_PUBLIC)).unwrap();
    assert_eq!(
        header,
        json!({"alg": "PS256", "typ": "JWT", "kid": "test-rsa"})
    );
    assert_eq!(
        claims,
        json!({
            "iss": "robot@example.com", "sub": "user@example.com", "scope": "read write",
            "aud": "https://auth.example.com/", "tenant": 7,
            "iat": NOW, "exp": NOW + 300, "jti": "jti-1",
        }),
        "declared claims, a declared aud, and the lifetime"
    );

    let mut expected = Expected::new(
        Carrier::Grant,
        Verifier::public(keys::RSA_PUBLIC),
        json!({"iss": "robot@example.com", "aud": "https://auth.example.com/", "tenant": 7}),
    );
    expected.kid = Some("test-rsa".into());
    expected.max_lifetime = Duration::from_secs(300);
    let server = AssertionServer::start("/token", expected).await;
    let robot = Robot::new("robot@example.com", "read", key(keys::RSA_JWK))
        .with_base_url(&server.server.uri())
        .unwrap();
    robot
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert!(
        !server.accepted()[0].contains_key("sub"),
        "an unset optional claim is left out"
    );
}

#[test]
fn tls_client_auth_sends_only_the_client_id() {
    let request = CertificateClient::new("client-1").build_request().unwrap();
    assert_eq!(
        form(&request),
        wire::fields([
            ("client_id", "client-1"),
            ("grant_type", "client_credentials")
        ])
    );
    assert!(request.headers().get("authorization").is_none());
}

#[test]
fn the_identity_context_names_a_signing_provider_the_same_way_every_time() {
    // A shared token store derives its entry and key from this request, in every process.
    let provider = KeyClient::new("client-1", key(keys::P256_PKCS8));
    let identity = || {
        let url = provider.token_url().unwrap();
        let request = provider
            .build_request_in(url, &RequestContext::identity())
            .unwrap();
        request.body().unwrap().to_vec()
    };
    assert_eq!(
        identity(),
        identity(),
        "ECDSA's randomness does not leak into the name"
    );
    let other = KeyClient::new("client-1", key(keys::P384_PKCS8));
    let url = other.token_url().unwrap();
    let other = other
        .build_request_in(url, &RequestContext::identity())
        .unwrap();
    assert_ne!(
        other.body().unwrap(),
        &identity()[..],
        "another key, another name"
    );
}
