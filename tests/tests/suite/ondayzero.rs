//! OnDayZero against its seed (002_670a49da77d60b66.txt): the token endpoint
//! behind a bearer API token, a form with `user_email`, FastAPI's 422.

use oauth_core::{Error, HttpClient, TokenEndpoint};
use oauth_providers::OnDayZero;
use oauth_tests::sandbox::Sandbox;
use oauth_tests::sandbox::credentials::{API_TOKEN, BUSINESS_ID, USER_EMAIL};
use oauth_tests::wire;

fn client() -> HttpClient {
    HttpClient::new().expect("the default client builds")
}

#[tokio::test]
async fn sends_the_documented_request_with_bearer_and_business_id() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox
        .ondayzero(OnDayZero::new(API_TOKEN, USER_EMAIL).with_business_id(BUSINESS_ID))
        .unwrap();
    provider.fetch_token(&client()).await.unwrap();

    let request = wire::single_request(&sandbox.ondayzero).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/v1/oauth2/token");
    assert_eq!(
        wire::header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        wire::header(&request, "authorization"),
        Some(format!("Bearer {API_TOKEN}").as_str())
    );
    assert_eq!(wire::header(&request, "x-business-id"), Some(BUSINESS_ID));
    assert_eq!(
        wire::form_fields(&request),
        Some(wire::fields([("user_email", USER_EMAIL)]))
    );
}

#[tokio::test]
async fn the_business_id_header_is_left_out_when_unset() {
    let sandbox = Sandbox::start().await;
    sandbox
        .ondayzero(OnDayZero::new(API_TOKEN, USER_EMAIL))
        .unwrap()
        .fetch_token(&client())
        .await
        .unwrap();
    let request = wire::single_request(&sandbox.ondayzero).await;
    assert_eq!(wire::header(&request, "x-business-id"), None);
}

#[test]
fn the_default_url_is_the_published_server_and_the_api_token_is_sensitive() {
    let request = OnDayZero::new("dz_canary", "me@example.com")
        .build_request()
        .unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://api.ondayzero.com/api/v1/oauth2/token"
    );
    assert!(request.headers()["authorization"].is_sensitive());
    assert!(!format!("{request:?}").contains("dz_canary"));
}

#[tokio::test]
async fn right_credentials_get_a_token_with_a_refresh_token_and_null_scope() {
    let sandbox = Sandbox::start().await;
    let token = sandbox
        .ondayzero(OnDayZero::new(API_TOKEN, USER_EMAIL))
        .unwrap()
        .fetch_token(&client())
        .await
        .unwrap();
    assert!(
        token
            .refresh_token()
            .unwrap()
            .expose_secret()
            .starts_with("ondayzero-refresh-")
    );
    assert_eq!(token.scope(), None);
    assert!(token.expires_in().unwrap().as_secs() > 3590);
}

#[test]
fn nullable_and_defaulted_fields_follow_the_schema() {
    let provider = OnDayZero::new("dz_x", "me@example.com");
    let minimal = wire::parse(
        &provider,
        200,
        Some("application/json"),
        r#"{"access_token": "a", "expires_in": 60}"#,
    )
    .unwrap();
    assert_eq!(
        minimal.token_type(),
        "Bearer",
        "token_type defaults to Bearer"
    );
    assert!(minimal.refresh_token().is_none());
    let full = r#"{"access_token": "a", "expires_in": 60, "token_type": "Bearer", "refresh_token": null, "scope": "read write"}"#;
    let token = wire::parse(&provider, 200, Some("application/json"), full).unwrap();
    assert!(token.refresh_token().is_none());
    assert_eq!(token.scopes().collect::<Vec<_>>(), ["read", "write"]);
}

#[tokio::test]
async fn validation_errors_are_read_into_one_description() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox
        .ondayzero(OnDayZero::new(API_TOKEN, "someone@else.test").with_business_id("not-a-uuid"))
        .unwrap();
    let error = provider.fetch_token(&client()).await.unwrap_err();
    let Error::Rejected(rejection) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(rejection.status.as_u16(), 422);
    assert_eq!(
        rejection.description.as_deref(),
        Some(
            "header.x-business-id: Input should be a valid UUID; body.user_email: Value error, no user with this email"
        )
    );
}

#[test]
fn the_documented_422_shape_is_understood() {
    let body = r#"{"detail": [{"loc": ["body", "user_email"], "msg": "Field required", "type": "missing", "input": null, "ctx": {}}]}"#;
    let error = wire::parse(
        &OnDayZero::new("dz_x", "e"),
        422,
        Some("application/json"),
        body,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "ondayzero rejected the token request with HTTP 422 Unprocessable Entity: body.user_email: Field required"
    );
}

#[tokio::test]
async fn a_wrong_api_token_is_refused() {
    let sandbox = Sandbox::start().await;
    let error = sandbox
        .ondayzero(OnDayZero::new("dz_wrong", USER_EMAIL))
        .unwrap()
        .fetch_token(&client())
        .await
        .unwrap_err();
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.status.as_u16(), 401);
    assert_eq!(rejection.description.as_deref(), Some("Invalid API token"));
    assert!(!format!("{error} {error:?}").contains("dz_wrong"));
}
