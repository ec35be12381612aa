//! Canary values for every secret and every issued token, run through success,
//! rejection, malformed-response and transport-failure paths: none may appear in
//! the Debug of a public type, the Display or Debug of an error, or the log.
//! A binary of its own: the log is captured with thread-scoped subscribers,
//! which another suite reaching the same log sites at the same time could
//! leave unregistered, and the test asserts that fetches are logged.

use oauth_core::{HttpClient, PrivateKey, Secret, TokenCache, TokenEndpoint};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};
use oauth_tests::captured_logs::CapturedLogs;
use oauth_tests::keys::{self, pem_body_lines};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every canary shares this marker, so one search finds any of them.
const MARK: &str = "CANARY";
const CLIENT_SECRET: &str = "CANARY-client-secret";
const PASSWORD: &str = "CANARY-password";
const API_TOKEN: &str = "dz_CANARY-api-token";
/// Long enough for HS256, which refuses a secret shorter than 32 bytes.
const HS256_SECRET: &str = "CANARY-client-secret-long-enough-for-hs256";

/// A user-declared provider with a secret in a named header and HTTP Basic credentials.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "basic"
)]
struct HeaderKeyed {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    #[token(header = "x-api-key", secret)]
    api_key: Secret,
}

/// Every provider under test, with canary credentials, and the Debug of each as built.
fn providers(base_url: &str) -> Vec<(String, Box<dyn TokenEndpoint>)> {
    let at = |provider: Box<dyn TokenEndpoint>, debug: String| (debug, provider);
    macro_rules! pointed {
        ($provider:expr) => {{
            let provider = $provider.with_base_url(base_url).unwrap();
            let debug = format!("{provider:?}");
            at(Box::new(provider), debug)
        }};
    }
    vec![
        pointed!(EzzyDoc::new("id", CLIENT_SECRET)),
        pointed!(MyZeePay::new("id", CLIENT_SECRET, "user", PASSWORD)),
        pointed!(
            OnDayZero::new(API_TOKEN, "me@example.com")
                .with_business_id("6f1c2b9e-8a4d-4f0e-9a57-3c2d1e0f4b6a")
        ),
        pointed!(Daftra::new(
            "https://acme.daftra.com",
            "id",
            CLIENT_SECRET,
            "user",
            PASSWORD
        )),
        pointed!(Sohar::new("id", CLIENT_SECRET)),
        pointed!(HeaderKeyed::new("id", CLIENT_SECRET, "CANARY-api-key")),
    ]
}

/// One body every provider reads as a success (EzzyDoc's `token`, everyone else's `access_token`).
const SUCCESS: &str = r#"{"service_status": {"invoice_id": 0, "message": "", "status": 0},
    "token": "CANARY-access-token", "access_token": "CANARY-access-token", "token_type": "Bearer",
    "expires_in": 3600, "refresh_token": "CANARY-refresh-token", "id_token": "CANARY-id-token"}"#;

async fn server(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn assert_clean(place: &str, text: &str) {
    assert!(!text.contains(MARK), "a canary reached {place}: {text}");
}

#[tokio::test]
async fn no_canary_reaches_debug_display_errors_or_logs() {
    let captured = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let client = HttpClient::new().unwrap();

    // Success: the provider, its request, the token and a cache holding it.
    let ok = server(200, SUCCESS).await;
    for (debug, provider) in providers(&ok.uri()) {
        let name = provider.provider_name();
        assert_clean(&format!("Debug of {name}"), &debug);
        assert_clean(
            &format!("Debug of {name}'s request"),
            &format!("{:?}", provider.build_request().unwrap()),
        );
        let token = provider.fetch_token(&client).await.unwrap();
        assert!(
            token.access_token().expose_secret().contains(MARK),
            "the canary token was issued"
        );
        assert_clean("Debug of a token", &format!("{token:?}"));
        assert_clean(
            "Display of a token's secrets",
            &format!("{} {:?}", token.access_token(), token.refresh_token()),
        );
    }
    let cache = TokenCache::new(
        Sohar::new("id", CLIENT_SECRET)
            .with_base_url(&ok.uri())
            .unwrap(),
        client.clone(),
    );
    cache.token().await.unwrap();
    assert_clean("Debug of a cache", &format!("{cache:?}"));

    // Rejection, with a body that itself carries credentials.
    let rejected = server(
        401,
        r#"{"message": "no", "access_token": "CANARY-leaked", "client_secret": "CANARY-echo"}"#,
    )
    .await;
    // A malformed success that still carries a live refresh token.
    let malformed = server(
        200,
        r#"{"access_token": 5, "refresh_token": "CANARY-refresh-token"}"#,
    )
    .await;
    // A failure inside a 200.
    let reported = server(
        200,
        r#"{"error": "invalid_grant", "refresh_token": "CANARY-refresh-token"}"#,
    )
    .await;
    let refused = format!(
        "http://{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
    );
    for base_url in [rejected.uri(), malformed.uri(), reported.uri(), refused] {
        for (_, provider) in providers(&base_url) {
            let error = provider.fetch_token(&client).await.unwrap_err();
            assert_clean("an error's Display", &error.to_string());
            assert_clean("an error's Debug", &format!("{error:?}"));
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                assert_clean("an error's source", &format!("{cause} {cause:?}"));
                source = cause.source();
            }
        }
    }

    let log = captured.text();
    assert!(
        log.contains("oauth_token_request"),
        "fetches are traced: {log}"
    );
    assert!(log.contains("token request failed"), "failures are traced");
    assert_clean("the TRACE log", &log);
}

/// A client authenticated with a private key.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "private_key_jwt"
)]
struct KeyClient {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

/// The JWT bearer grant.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    assertion(grant)
)]
struct Robot {
    #[token(claim = "iss")]
    email: String,
    #[token(private_key)]
    key: PrivateKey,
}

/// An HS256 client assertion over a canary secret.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "client_secret_jwt"
)]
struct SecretJwtClient {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

/// Every piece of private key material the key providers hold: PEM lines and JWK members.
fn key_material() -> Vec<String> {
    let jwk: serde_json::Value = serde_json::from_str(keys::P256_JWK).unwrap();
    let mut material: Vec<String> = pem_body_lines(keys::RSA_PKCS8)
        .into_iter()
        .chain(pem_body_lines(keys::P384_SEC1))
        .map(str::to_owned)
        .collect();
    material.push(jwk["d"].as_str().unwrap().to_owned());
    material.push(MARK.to_owned());
    material
}

fn assert_no_key(place: &str, text: &str) {
    for secret in key_material() {
        assert!(
            !text.contains(&secret),
            "key material reached {place}: {text}"
        );
    }
}

fn key_providers(base_url: &str) -> Vec<(String, Box<dyn TokenEndpoint>)> {
    let boxed = |provider: Box<dyn TokenEndpoint>, debug: String| (debug, provider);
    macro_rules! pointed {
        ($provider:expr) => {{
            let provider = $provider.with_base_url(base_url).unwrap();
            let debug = format!("{provider:?}");
            boxed(Box::new(provider), debug)
        }};
    }
    vec![
        pointed!(KeyClient::new(
            "id",
            keys::RSA_PKCS8.parse::<PrivateKey>().unwrap()
        )),
        pointed!(KeyClient::new(
            "id",
            keys::P384_SEC1.parse::<PrivateKey>().unwrap()
        )),
        pointed!(Robot::new(
            "robot@example.com",
            PrivateKey::from_jwk(keys::P256_JWK).unwrap()
        )),
        pointed!(SecretJwtClient::new("id", HS256_SECRET)),
    ]
}

#[tokio::test]
async fn no_private_key_reaches_debug_display_errors_or_logs() {
    let captured = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let client = HttpClient::new().unwrap();

    let key = PrivateKey::from_pem(keys::RSA_PKCS8).unwrap();
    assert_no_key("a key's Debug and Display", &format!("{key:?} {key}"));
    let broken = [
        keys::RSA_PKCS8.replace("-----END PRIVATE KEY-----", ""),
        keys::RSA_PKCS8.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
        keys::P256_JWK.replace("\"x\"", "\"z\""),
        keys::SERVICE_ACCOUNT.replace("client_email", "email"),
    ];
    for text in &broken {
        let key = text
            .parse::<PrivateKey>()
            .map_err(|error| format!("{error} {error:?}"));
        let account = oauth_core::ServiceAccountKey::from_json(text)
            .map_err(|error| format!("{error} {error:?}"));
        assert!(key.is_err() || account.is_err(), "{text}");
        assert_no_key("a key error", &format!("{key:?} {account:?}"));
    }

    let ok = server(200, SUCCESS).await;
    for (debug, provider) in key_providers(&ok.uri()) {
        assert_no_key("a key provider's Debug", &debug);
        let request = provider.build_request().unwrap();
        assert_no_key("a signed request's Debug", &format!("{request:?}"));
        provider.fetch_token(&client).await.unwrap();
    }
    let cache = TokenCache::new(
        KeyClient::new("id", key).with_base_url(&ok.uri()).unwrap(),
        client.clone(),
    );
    cache.token().await.unwrap();
    assert_no_key("Debug of a cache", &format!("{cache:?}"));

    let rejected = server(401, r#"{"error": "invalid_client"}"#).await;
    let malformed = server(200, r#"{"access_token": 5}"#).await;
    for base_url in [rejected.uri(), malformed.uri()] {
        for (_, provider) in key_providers(&base_url) {
            let error = provider.fetch_token(&client).await.unwrap_err();
            assert_no_key("an error", &format!("{error} {error:?}"));
        }
    }
    let log = captured.text();
    assert!(log.contains("token request failed"), "failures are traced");
    assert_no_key("the TRACE log", &log);
}
