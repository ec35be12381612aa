//! Daftra against its seed (003_c4df81ff3b793b17.txt): the tenant's origin in the
//! URL, raw JSON sent as `text/plain`, password grant, 401 for bad credentials.

use oauth_core::{ConfigError, Error, HttpClient, TokenEndpoint};
use oauth_providers::Daftra;
use oauth_tests::sandbox::Sandbox;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use oauth_tests::wire;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client() -> HttpClient {
    HttpClient::new().expect("the default client builds")
}

fn daftra(subdomain: &str, client_secret: &str) -> Daftra {
    Daftra::new(subdomain, CLIENT_ID, client_secret, USERNAME, PASSWORD)
}

#[tokio::test]
async fn sends_raw_json_as_text_plain_to_the_tenants_origin() {
    let sandbox = Sandbox::start().await;
    daftra(&sandbox.daftra_subdomain(), CLIENT_SECRET)
        .fetch_token(&client())
        .await
        .unwrap();

    let request = wire::single_request(&sandbox.daftra).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api2/api2/oauth/token");
    assert_eq!(wire::header(&request, "content-type"), Some("text/plain"));
    assert_eq!(
        wire::json_fields(&request),
        Some(wire::fields([
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "password"),
            ("username", USERNAME),
            ("password", PASSWORD),
        ]))
    );
}

#[test]
fn the_default_url_is_the_published_example_under_the_tenant() {
    let request = daftra("https://acme.daftra.com", "secret")
        .build_request()
        .unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://acme.daftra.com/api2/api2/oauth/token"
    );
}

#[test]
fn a_subdomain_that_is_not_a_bare_https_origin_is_refused() {
    for subdomain in [
        "acme.daftra.com",
        "http://acme.daftra.com",
        "https://acme.daftra.com/other/path",
        "https://evil.example?https://acme.daftra.com",
        "https://user@acme.daftra.com",
    ] {
        let error = daftra(subdomain, "secret").build_request().unwrap_err();
        assert!(
            matches!(
                error,
                Error::Config(ConfigError::InvalidTemplateValue {
                    field: "subdomain",
                    ..
                })
            ),
            "{subdomain}: {error:?}"
        );
    }
}

#[tokio::test]
async fn right_credentials_get_every_documented_field() {
    let sandbox = Sandbox::start().await;
    let token = daftra(&sandbox.daftra_subdomain(), CLIENT_SECRET)
        .fetch_token(&client())
        .await
        .unwrap();
    assert_eq!(token.token_type(), "Bearer");
    assert!(token.expires_in().unwrap().as_secs() > 3590);
    assert!(
        token
            .refresh_token()
            .unwrap()
            .expose_secret()
            .starts_with("def50200")
    );
}

#[test]
fn the_published_example_response_parses() {
    let body = r#"{
        "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImp0aSI6IjExMTExMWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MTIzNDU2Nzg5MCIsImV4cCI6MTY3OTE0MTQ1MCwiaWF0IjoxNjc4MTAyNjUwfQ",
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": "def50200abc1234567890"
    }"#;
    let token = wire::parse(
        &daftra("https://acme.daftra.com", "s"),
        200,
        Some("application/json"),
        body,
    )
    .unwrap();
    assert_eq!(
        token.refresh_token().unwrap().expose_secret(),
        "def50200abc1234567890"
    );
    assert!(token.expires_in().unwrap().as_secs() > 3590);
}

#[tokio::test]
async fn invalid_credentials_are_a_401_rejection() {
    let sandbox = Sandbox::start().await;
    let error = daftra(&sandbox.daftra_subdomain(), "wrong")
        .fetch_token(&client())
        .await
        .unwrap_err();
    let Error::Rejected(rejection) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(rejection.status.as_u16(), 401);
    assert_eq!(
        error.to_string(),
        "daftra rejected the token request with HTTP 401 Unauthorized"
    );
}

#[tokio::test]
async fn a_tenant_on_another_route_is_reached_with_its_token_url() {
    let tenant = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "t", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "r"
        })))
        .mount(&tenant)
        .await;
    let provider = daftra("https://acme.daftra.com", CLIENT_SECRET)
        .with_token_url(&format!("{}/v2/oauth/token", tenant.uri()))
        .unwrap();
    let token = provider.fetch_token(&client()).await.unwrap();
    assert_eq!(token.access_token().expose_secret(), "t");
    assert_eq!(
        wire::single_request(&tenant).await.url.path(),
        "/v2/oauth/token"
    );
}
