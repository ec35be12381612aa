//! Sohar against its seed (004_dcfd938f05eb931e.txt): JSON with no grant type,
//! `expires_in` as a JSON number, 400/401 `{error}` and 500.

use oauth_core::{Error, HttpClient, TokenEndpoint};
use oauth_providers::Sohar;
use oauth_tests::sandbox::Sandbox;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET};
use oauth_tests::wire;

fn client() -> HttpClient {
    HttpClient::new().expect("the default client builds")
}

#[tokio::test]
async fn sends_the_documented_json_request_without_grant_type() {
    let sandbox = Sandbox::start().await;
    sandbox
        .sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET))
        .unwrap()
        .fetch_token(&client())
        .await
        .unwrap();

    let request = wire::single_request(&sandbox.sohar).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/oauth/token");
    assert_eq!(
        wire::header(&request, "content-type"),
        Some("application/json")
    );
    assert_eq!(
        wire::json_fields(&request),
        Some(wire::fields([
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET)
        ]))
    );
}

#[test]
fn the_default_url_is_the_published_server() {
    let request = Sohar::new("id", "secret").build_request().unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://api.soharhealth.com/oauth/token"
    );
}

#[tokio::test]
async fn right_credentials_get_a_bearer_token_for_an_hour() {
    let sandbox = Sandbox::start().await;
    let token = sandbox
        .sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET))
        .unwrap()
        .fetch_token(&client())
        .await
        .unwrap();
    assert!(token.is_bearer());
    let remaining = token.expires_in().unwrap().as_secs();
    assert!((3590..=3600).contains(&remaining), "{remaining}");
    assert!(token.refresh_token().is_none());
}

#[test]
fn expires_in_is_a_json_number_integer_or_not() {
    let provider = Sohar::new("id", "secret");
    for lifetime in ["3600", "3600.0", "3599.5"] {
        let body =
            format!(r#"{{"access_token": "a", "token_type": "Bearer", "expires_in": {lifetime}}}"#);
        let token = wire::parse(&provider, 200, Some("application/json"), &body).unwrap();
        let remaining = token.expires_in().unwrap().as_secs_f64();
        assert!(
            (3598.0..=3600.0).contains(&remaining),
            "{lifetime}: {remaining}"
        );
    }
}

#[tokio::test]
async fn wrong_credentials_are_the_documented_401() {
    let sandbox = Sandbox::start().await;
    let error = sandbox
        .sohar(Sohar::new(CLIENT_ID, "wrong"))
        .unwrap()
        .fetch_token(&client())
        .await
        .unwrap_err();
    let Error::Rejected(rejection) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(rejection.status.as_u16(), 401);
    assert_eq!(rejection.code.as_deref(), Some("invalid_request_error"));
}

#[test]
fn the_documented_400_and_500_are_rejections() {
    let provider = Sohar::new("id", "secret");
    let error = wire::parse(
        &provider,
        400,
        Some("application/json"),
        r#"{"error": "invalid_request_error"}"#,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "sohar rejected the token request with HTTP 400 Bad Request: invalid_request_error"
    );
    let error = wire::parse(
        &provider,
        500,
        Some("text/html"),
        "<h1>Internal Server Error</h1>",
    )
    .unwrap_err();
    let Error::Rejected(rejection) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(rejection.status.as_u16(), 500);
    assert_eq!(
        rejection.excerpt.as_deref(),
        Some("<h1>Internal Server Error</h1>")
    );
}
