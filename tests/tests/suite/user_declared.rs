//! A provider declared outside this workspace's crates, the way a user declares
//! one: the derive works from any crate, with private fields and its own docs.

use std::time::Duration;

use oauth_core::{Error, HttpClient, Secret, TokenEndpoint};
use oauth_tests::wire;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A multi-tenant identity service: tenant in the host, a region segment in the
/// path, the account in the query, an API version header, a constant audience.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://{tenant}.id.example.com/{region}",
    path = "/oauth2/token"
)]
#[token(param(
    grant_type = "client_credentials",
    audience = "https://api.example.com"
))]
#[token(response(
    access_token = "data.token",
    expires_in = "data.ttl",
    scope = "data.scopes"
))]
#[token(error(code = "error.code", description = "error.message"))]
struct Tenanted {
    #[token(url)]
    tenant: String,
    #[token(url)]
    region: String,
    #[token(rename = "clientId")]
    client_id: String,
    #[token(secret, rename = "clientSecret")]
    client_secret: Secret,
    #[token(query)]
    account: u64,
    #[token(header = "X-Api-Version")]
    api_version: Option<String>,
    scope: Option<String>,
}

fn tenanted() -> Tenanted {
    Tenanted::new("acme", "eu-west-1", "my-client", "my-secret", 42_u64).with_api_version("2024-01")
}

#[test]
fn builds_the_request_from_attributes_alone() {
    let request = tenanted().build_request().unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://acme.id.example.com/eu-west-1/oauth2/token?account=42"
    );
    assert_eq!(request.headers()["x-api-version"], "2024-01");
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body: std::collections::BTreeMap<String, String> =
        serde_urlencoded::from_bytes(request.body().unwrap()).unwrap();
    assert_eq!(
        body,
        wire::fields([
            ("clientId", "my-client"),
            ("clientSecret", "my-secret"),
            ("grant_type", "client_credentials"),
            ("audience", "https://api.example.com"),
        ]),
        "an unset optional field is left out"
    );
}

#[test]
fn template_values_cannot_move_the_request_elsewhere() {
    for tenant in [
        "evil.com/",
        "evil.com#",
        "a@b",
        "..",
        "acme.id.example.com?",
        "",
    ] {
        let error = Tenanted::new(tenant, "eu", "c", "s", 1_u64)
            .build_request()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{tenant:?}: {error:?}");
    }
}

#[tokio::test]
async fn fetches_and_maps_a_nested_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/eu-west-1/oauth2/token"))
        .and(query_param("account", "42"))
        .and(header("x-api-version", "2024-01"))
        .and(body_string_contains("clientSecret=my-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": {"token": "nested-token", "ttl": "900", "scopes": ["read", "write"]},
            "instance_url": "https://acme.example.com",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let provider = tenanted()
        .with_base_url(&format!("{}/eu-west-1", server.uri()))
        .unwrap();
    let token = provider
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();

    assert_eq!(token.access_token().expose_secret(), "nested-token");
    assert_eq!(token.scope(), Some("read write"));
    let remaining = token.expires_in().unwrap();
    assert!(remaining > Duration::from_secs(890) && remaining <= Duration::from_secs(900));
    assert_eq!(
        token.extra::<String>("instance_url").unwrap().as_deref(),
        Some("https://acme.example.com")
    );
}

#[tokio::test]
async fn reads_the_declared_error_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "error": {"code": "tenant_suspended", "message": "The tenant is suspended."}
        })))
        .mount(&server)
        .await;
    let provider = tenanted().with_base_url(&server.uri()).unwrap();
    let error = provider
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.code.as_deref(), Some("tenant_suspended"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("The tenant is suspended.")
    );
}

#[test]
fn debug_of_the_provider_redacts_its_secret() {
    let debug = format!("{:?}", tenanted());
    assert!(!debug.contains("my-secret"), "{debug}");
    assert!(debug.contains("my-client"), "{debug}");
}

#[tokio::test]
async fn any_provider_fits_in_a_box() {
    let providers: Vec<Box<dyn TokenEndpoint>> = vec![
        Box::new(tenanted()),
        Box::new(oauth_providers::Sohar::new("id", "secret")),
    ];
    let names: Vec<_> = providers
        .iter()
        .map(|provider| provider.provider_name())
        .collect();
    assert_eq!(names, ["tenanted", "sohar"]);
}
