//! Providers declared from their public documentation with attributes alone:
//! a nested JSON body with the token in a header, a lifetime counted from
//! `issued_at`, a zero lifetime that means "never", and plain RFC 7617 Basic.
//! Each is checked on a loopback server for the exact request, the success
//! and the documented failure.

use std::time::{Duration, SystemTime};

use oauth_core::{CustomUrl, Error, HttpClient, Secret, TokenEndpoint};
use oauth_tests::wire;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An identity service that takes nested password credentials and answers
/// `201 Created` with the token in `X-Subject-Token` (OpenStack Keystone v3).
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://identity.example.com",
    path = "/v3/auth/tokens",
    body = "json"
)]
#[token(constant(at = "auth.identity.methods", value = ["password"]))]
#[token(response(access_token = header("X-Subject-Token"), expires_at = "token.expires_at"))]
#[token(error(code = "error.title", description = "error.message"))]
struct Keystone {
    #[token(at = "auth.identity.password.user.name")]
    user: String,
    #[token(at = "auth.identity.password.user.domain.name")]
    domain: String,
    #[token(at = "auth.identity.password.user.password")]
    password: Secret,
    #[token(at = "auth.scope.project.id")]
    project: String,
}

/// A container-registry token service: the token lives `expires_in` seconds from `issued_at`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.registry.example.com",
    path = "/token",
    method = "GET"
)]
#[token(response(access_token = "token", issued_at = "issued_at"))]
#[token(error(code = "errors.0.code", description = "errors.0.message"))]
struct Registry {
    service: String,
    scope: String,
}

/// A social network's business API: long-term tokens answer `expires_in: 0`, and
/// failures come in a 200 with a non-zero `code`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://business-api.example.com",
    path = "/v1.3/oauth2/access_token/"
)]
#[token(
    body = "json",
    success(field = "code", equals = 0, message = "message")
)]
#[token(response(access_token = "data.access_token", expires_in = "data.expires_in"))]
#[token(response(zero_lifetime = "never"))]
struct ServiceTokens {
    app_id: String,
    secret: Secret,
    auth_code: Secret,
}

/// A service that logs in with plain HTTP Basic (RFC 7617), not OAuth's form-encoded flavour.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://api.example.com",
    path = "/v1/auth/token",
    body = "none"
)]
#[token(basic(user = "username", password = "password", encoding = "plain"))]
#[token(response(access_token = "token", expires_in = "expires_in"))]
struct BasicLogin {
    username: String,
    password: Secret,
}

fn client() -> HttpClient {
    HttpClient::new().unwrap()
}

fn keystone(server: &MockServer) -> CustomUrl<Keystone> {
    Keystone::new("admin", "Default", Secret::new("devstacker"), "8ca4…")
        .with_base_url(&server.uri())
        .unwrap()
}

#[tokio::test]
async fn keystone_sends_the_nested_body_and_reads_the_token_from_the_header() {
    let server = MockServer::start().await;
    let body = json!({"token": {
        "expires_at": "2030-01-01T00:00:00.000000Z",
        "methods": ["password"],
        "user": {"name": "admin", "domain": {"name": "Default"}},
    }});
    Mock::given(method("POST"))
        .and(path("/v3/auth/tokens"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-Subject-Token", "gAAAAABkeystone")
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    let token = keystone(&server).fetch_token(&client()).await.unwrap();

    let request = wire::single_request(&server).await;
    let sent = String::from_utf8(request.body.clone()).unwrap();
    assert_eq!(
        sent,
        concat!(
            r#"{"auth":{"identity":{"methods":["password"],"password":{"user":"#,
            r#"{"domain":{"name":"Default"},"name":"admin","password":"devstacker"}}},"#,
            r#""scope":{"project":{"id":"8ca4…"}}}}"#
        ),
        "the nested body, keys in a fixed order"
    );
    assert_eq!(
        wire::media_type(&request).as_deref(),
        Some("application/json")
    );
    assert_eq!(token.access_token().expose_secret(), "gAAAAABkeystone");
    let expires_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000);
    assert_eq!(token.expires_at(), Some(expires_at));
    assert_eq!(
        token
            .extra::<String>("token.user.domain.name")
            .unwrap()
            .as_deref(),
        Some("Default")
    );
    assert_eq!(
        token.extra::<String>("token.expires_at").unwrap(),
        None,
        "mapped fields leave the extras"
    );
    assert!(!format!("{token:?}").contains("gAAAAABkeystone"));
}

#[tokio::test]
async fn keystone_failures_are_typed_and_a_missing_header_is_named() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
            "code": 401,
            "message": "The request you have made requires authentication.",
            "title": "Unauthorized",
        }})))
        .mount(&server)
        .await;
    let error = keystone(&server).fetch_token(&client()).await.unwrap_err();
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.code.as_deref(), Some("Unauthorized"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("The request you have made requires authentication.")
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"token": {}})))
        .mount(&server)
        .await;
    let error = keystone(&server).fetch_token(&client()).await.unwrap_err();
    assert!(matches!(error, Error::MalformedResponse(_)), "{error:?}");
    assert!(error.to_string().contains("x-subject-token"), "{error}");
}

async fn registry_answering(
    status: u16,
    body: serde_json::Value,
) -> (MockServer, CustomUrl<Registry>) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let registry = Registry::new("registry.example.com", "repository:samalba/my-app:pull")
        .with_base_url(&server.uri())
        .unwrap();
    (server, registry)
}

#[tokio::test]
async fn registry_counts_the_lifetime_from_issued_at() {
    let body =
        json!({"token": "reg-token", "expires_in": 300, "issued_at": "2030-01-01T00:00:00Z"});
    let (server, registry) = registry_answering(200, body).await;
    let token = registry.fetch_token(&client()).await.unwrap();
    let request = wire::single_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("service=registry.example.com&scope=repository%3Asamalba%2Fmy-app%3Apull")
    );
    assert_eq!(request.body, b"");
    let expires_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_300);
    assert_eq!(
        token.expires_at(),
        Some(expires_at),
        "issued_at + expires_in, not receipt + expires_in"
    );

    // Issued 100 s before it arrived (a queue, a skewed clock): 200 s are left, not 300.
    let issued = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 100;
    let body = json!({"token": "reg-token", "expires_in": 300, "issued_at": issued});
    let (_server, registry) = registry_answering(200, body).await;
    let left = registry
        .fetch_token(&client())
        .await
        .unwrap()
        .expires_in()
        .unwrap();
    assert!(
        left <= Duration::from_secs(200) && left > Duration::from_secs(190),
        "{left:?}"
    );
}

#[tokio::test]
async fn registry_failures_read_the_first_error_object() {
    let body = json!({"errors": [{
        "code": "UNAUTHORIZED",
        "message": "authentication required",
        "detail": [{"Type": "repository", "Name": "samalba/my-app", "Action": "pull"}],
    }]});
    let (_server, registry) = registry_answering(401, body).await;
    let error = registry.fetch_token(&client()).await.unwrap_err();
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.code.as_deref(), Some("UNAUTHORIZED"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("authentication required")
    );
}

async fn service_tokens_answering(
    body: serde_json::Value,
) -> (MockServer, CustomUrl<ServiceTokens>) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.3/oauth2/access_token/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let provider = ServiceTokens::new("app-1", Secret::new("app-secret"), Secret::new("code-1"))
        .with_base_url(&server.uri())
        .unwrap();
    (server, provider)
}

#[tokio::test]
async fn service_tokens_with_a_zero_lifetime_never_expire() {
    let body = json!({"code": 0, "message": "OK", "data": {
        "access_token": "long-term", "expires_in": 0, "advertiser_ids": ["7001", "7002"],
    }});
    let (server, provider) = service_tokens_answering(body).await;
    let token = provider.fetch_token(&client()).await.unwrap();
    let request = wire::single_request(&server).await;
    assert_eq!(
        wire::json_object(&request),
        json!({"app_id": "app-1", "secret": "app-secret", "auth_code": "code-1"})
            .as_object()
            .cloned()
    );
    assert_eq!(token.access_token().expose_secret(), "long-term");
    assert_eq!(token.expires_at(), None, "zero_lifetime = \"never\"");
    assert!(!token.is_expired());
    let ids = token.extra::<Vec<String>>("data.advertiser_ids").unwrap();
    assert_eq!(ids, Some(vec![String::from("7001"), String::from("7002")]));
    assert_eq!(token.extra::<String>("data.access_token").unwrap(), None);
    assert!(
        !serde_json::to_string(token.extras())
            .unwrap()
            .contains("long-term")
    );
}

#[tokio::test]
async fn service_tokens_failures_in_a_200_are_reported() {
    let body = json!({"code": 40002, "message": "Auth code is expired", "data": {}});
    let (_server, provider) = service_tokens_answering(body).await;
    let error = provider.fetch_token(&client()).await.unwrap_err();
    assert!(matches!(error, Error::ReportedFailure(_)), "{error:?}");
    let failure = error.provider_error().unwrap();
    assert_eq!(failure.code.as_deref(), Some("40002"));
    assert_eq!(failure.description.as_deref(), Some("Auth code is expired"));
}

#[tokio::test]
async fn plain_basic_sends_the_password_as_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/auth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"token": "t-1", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let login = BasicLogin::new("ana@example.com", Secret::new("p@ss+w/rd="))
        .with_base_url(&server.uri())
        .unwrap();
    let token = login.fetch_token(&client()).await.unwrap();
    let request = wire::single_request(&server).await;
    // base64("ana@example.com:p@ss+w/rd="): RFC 7617, no form-encoding of either half.
    assert_eq!(
        wire::header(&request, "authorization"),
        Some("Basic YW5hQGV4YW1wbGUuY29tOnBAc3Mrdy9yZD0=")
    );
    assert_eq!(wire::header(&request, "content-length"), Some("0"));
    assert_eq!(request.url.query(), None, "nothing else is sent");
    assert_eq!(token.access_token().expose_secret(), "t-1");
    let debug = format!("{:?}", login.build_request().unwrap());
    assert!(
        !debug.contains("YW5h") && !debug.contains("p@ss"),
        "{debug}"
    );
}

#[tokio::test]
async fn plain_basic_rejections_are_typed_and_scrubbed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_credentials",
            "error_description": "wrong password p@ss+w/rd= for ana@example.com",
        })))
        .mount(&server)
        .await;
    let login = BasicLogin::new("ana@example.com", Secret::new("p@ss+w/rd="))
        .with_base_url(&server.uri())
        .unwrap();
    let error = login.fetch_token(&client()).await.unwrap_err();
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.code.as_deref(), Some("invalid_credentials"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("wrong password [redacted] for ana@example.com")
    );
}
