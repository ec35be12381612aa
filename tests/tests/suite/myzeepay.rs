//! MyZeePay against its seed (001_3eaf3c101e0efb83.txt): form-encoded password
//! grant, three documented servers, 400 `{error, message}`.

use std::time::{Duration, SystemTime};

use oauth_core::{Error, HttpClient, TokenEndpoint};
use oauth_providers::MyZeePay;
use oauth_tests::sandbox::Sandbox;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use oauth_tests::wire;

fn client() -> HttpClient {
    HttpClient::new().expect("the default client builds")
}

#[tokio::test]
async fn sends_the_documented_form_request() {
    let sandbox = Sandbox::start().await;
    let provider = MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
        .with_server(sandbox.myzeepay_server());
    provider.fetch_token(&client()).await.unwrap();

    let request = wire::single_request(&sandbox.myzeepay).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/oauth/token");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        wire::header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        wire::form_fields(&request),
        Some(wire::fields([
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("username", USERNAME),
            ("password", PASSWORD),
            ("grant_type", "password"),
        ]))
    );
}

#[test]
fn the_documented_servers_are_selectable() {
    let provider = MyZeePay::new("id", "secret", "user", "password");
    let url = |provider: &MyZeePay| provider.build_request().unwrap().url().to_string();
    assert_eq!(
        url(&provider),
        "https://shop.digitaltermination.com/oauth/token"
    );
    for (server, expected) in [
        (
            MyZeePay::TEST,
            "https://test.digitaltermination.com/oauth/token",
        ),
        (
            MyZeePay::SANDBOX,
            "https://business-sandbox.instntmny.com/oauth/token",
        ),
        (
            MyZeePay::PRODUCTION,
            "https://shop.digitaltermination.com/oauth/token",
        ),
    ] {
        assert_eq!(url(&provider.clone().with_server(server)), expected);
    }
}

#[test]
fn a_server_that_is_not_an_https_origin_is_refused_before_sending() {
    for server in [
        "http://shop.digitaltermination.com",
        "https://evil.example/oauth?x=",
        "shop.digitaltermination.com",
    ] {
        let error = MyZeePay::new("id", "secret", "user", "password")
            .with_server(server)
            .build_request()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{server}: {error:?}");
    }
}

#[tokio::test]
async fn right_credentials_get_the_documented_token() {
    let sandbox = Sandbox::start().await;
    let before = SystemTime::now();
    let token = MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
        .with_server(sandbox.myzeepay_server())
        .fetch_token(&client())
        .await
        .unwrap();
    let after = SystemTime::now();

    let lifetime = Duration::from_secs(31_536_000);
    let expires_at = token.expires_at().unwrap();
    assert!(expires_at >= before + lifetime && expires_at <= after + lifetime);
    assert!(
        token
            .access_token()
            .expose_secret()
            .starts_with("myzeepay-access-")
    );
    assert!(
        token
            .refresh_token()
            .unwrap()
            .expose_secret()
            .starts_with("myzeepay-refresh-")
    );
    assert_eq!(token.token_type(), "Bearer");
    assert!(token.extras().is_empty());
}

#[tokio::test]
async fn wrong_credentials_get_the_documented_400() {
    let sandbox = Sandbox::start().await;
    let error = MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, "wrong")
        .with_server(sandbox.myzeepay_server())
        .fetch_token(&client())
        .await
        .unwrap_err();
    let Error::Rejected(rejection) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(rejection.status.as_u16(), 400);
    assert_eq!(rejection.code.as_deref(), Some("400"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("Invalid credentials.")
    );
    assert!(!error.to_string().contains("wrong"));
}

#[tokio::test]
async fn an_empty_required_field_is_the_providers_validation_error() {
    let sandbox = Sandbox::start().await;
    let error = MyZeePay::new(CLIENT_ID, CLIENT_SECRET, "", PASSWORD)
        .with_server(sandbox.myzeepay_server())
        .fetch_token(&client())
        .await
        .unwrap_err();
    assert_eq!(
        error.provider_error().unwrap().description.as_deref(),
        Some("The username field is required.")
    );
}
