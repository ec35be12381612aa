//! Providers users declare themselves, modelled on public token endpoints as
//! their documentation describes them. Each is a short declaration and needs no
//! hand-written request or parse code; each is tested against a loopback
//! server replaying its documented exchange, success and failure.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use oauth_core::{Error, HttpClient, Secret, Token, TokenEndpoint};
use oauth_tests::wire;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with one documented response.
async fn replay(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    let template = ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type);
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// Fetches from `server` (under `prefix`, for base URLs with a path) and returns the outcome and the request sent.
async fn fetch<P: TokenEndpoint>(
    provider: P,
    server: &MockServer,
    prefix: &str,
) -> (Result<Token, Error>, Request) {
    let provider = provider
        .with_base_url(&format!("{}{prefix}", server.uri()))
        .expect("a loopback base URL");
    let outcome = provider
        .fetch_token(&HttpClient::new().expect("client"))
        .await;
    (outcome, wire::single_request(server).await)
}

fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

// GitHub OAuth apps: the code exchange answers form-encoded unless asked for JSON,
// and reports a bad code with HTTP 200 and an `error` field.
#[derive(TokenEndpoint)]
#[token(base_url = "https://github.com", path = "/login/oauth/access_token")]
struct GitHub {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    code: String,
}

#[tokio::test]
async fn github_form_encoded_response_and_failure_in_a_200() {
    let server = replay(
        200,
        FORM,
        "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer",
    )
    .await;
    let (token, request) = fetch(
        GitHub::new("Iv1.8a61f9b3a7aba766", "secret", "e72e16c7e42f292c6912"),
        &server,
        "",
    )
    .await;
    let token = token.unwrap();
    assert_eq!(
        token.access_token().expose_secret(),
        "gho_16C7e42F292c6912E7710c838347Ae178B4a"
    );
    assert!(token.is_bearer(), "token types compare case-insensitively");
    assert_eq!(token.scope(), Some("repo,gist"));
    assert_eq!(request.url.path(), "/login/oauth/access_token");
    assert_eq!(
        wire::form_fields(&request).unwrap()["code"],
        "e72e16c7e42f292c6912"
    );

    let server = replay(200, FORM, "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com").await;
    let (error, _) = fetch(GitHub::new("id", "secret", "old"), &server, "").await;
    let Err(Error::ReportedFailure(failure)) = error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.code.as_deref(), Some("bad_verification_code"));
    assert_eq!(
        failure.description.as_deref(),
        Some("The code passed is incorrect or expired.")
    );
}

// Slack `oauth.v2.access`: client credentials in HTTP Basic, `ok: false` with HTTP 200
// on failure, a `bot` token type, the workspace under `team`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://slack.com",
    path = "/api/oauth.v2.access",
    client_auth = "basic"
)]
#[token(success(field = "ok", equals = true, message = "error"))]
struct Slack {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    code: String,
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct SlackTeam {
    id: String,
    name: String,
}

#[tokio::test]
async fn slack_basic_authentication_and_ok_false() {
    let body = r#"{"ok": true, "access_token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", "token_type": "bot",
        "scope": "commands,incoming-webhook", "bot_user_id": "U0KRQLJ9H", "app_id": "A0KRD7HC3",
        "team": {"name": "Slack Softball Team", "id": "T9TK3CUKW"}}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(
        Slack::new("4b39e9-752c4", "33fea0113f5b1", "ccdaa72ad"),
        &server,
        "",
    )
    .await;
    let token = token.unwrap();
    assert_eq!(token.token_type(), "bot");
    assert_eq!(
        token.extra::<SlackTeam>("team").unwrap(),
        Some(SlackTeam {
            id: "T9TK3CUKW".into(),
            name: "Slack Softball Team".into()
        })
    );
    assert_eq!(
        wire::header(&request, "authorization"),
        Some(basic("4b39e9-752c4", "33fea0113f5b1").as_str())
    );
    assert_eq!(
        wire::form_fields(&request),
        Some(wire::fields([("code", "ccdaa72ad")]))
    );

    let server = replay(200, JSON, r#"{"ok": false, "error": "invalid_code"}"#).await;
    let (error, _) = fetch(Slack::new("id", "secret", "stale"), &server, "").await;
    assert_eq!(
        error.unwrap_err().to_string(),
        "slack reported a failure in its token response: invalid_code"
    );
}

// Salesforce: no `expires_in` (the session lives until revoked), and the
// `instance_url` every later API call needs.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://login.salesforce.com",
    path = "/services/oauth2/token"
)]
#[token(param(grant_type = "client_credentials"))]
struct Salesforce {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

#[tokio::test]
async fn salesforce_extras_and_no_lifetime() {
    let body = r#"{"access_token": "00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nt1u44zU31IbYNNJguseu",
        "instance_url": "https://MyDomainName.my.salesforce.com", "id": "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS",
        "token_type": "Bearer", "issued_at": "1278448101416", "signature": "miHQW9Mnbu9XCf6u0AxzTj8JjuQIUOPXtOi0Fi8vBLw="}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(Salesforce::new("3MVG9lKcPoNINVB", "secret"), &server, "").await;
    let token = token.unwrap();
    assert_eq!(token.expires_at(), None, "kept until invalidated");
    assert_eq!(
        token.extra::<String>("instance_url").unwrap().as_deref(),
        Some("https://MyDomainName.my.salesforce.com")
    );
    assert_eq!(
        wire::form_fields(&request).unwrap()["grant_type"],
        "client_credentials"
    );

    let server = replay(
        400,
        JSON,
        r#"{"error": "invalid_client", "error_description": "invalid client credentials"}"#,
    )
    .await;
    let (error, _) = fetch(Salesforce::new("id", "wrong"), &server, "").await;
    let Err(Error::Rejected(rejection)) = error else {
        panic!("{error:?}")
    };
    assert_eq!(rejection.code.as_deref(), Some("invalid_client"));
}

// Auth0: the tenant and its region in the host, a JSON body, the API audience as a constant.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://{tenant}.{region}.auth0.com",
    path = "/oauth/token",
    body = "json"
)]
#[token(param(
    grant_type = "client_credentials",
    audience = "https://api.example.com/"
))]
struct Auth0 {
    #[token(url)]
    tenant: String,
    #[token(url)]
    region: String,
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

#[tokio::test]
async fn auth0_tenant_host_json_and_audience() {
    let provider = Auth0::new("dev-abc123", "us", "YOUR_CLIENT_ID", "YOUR_CLIENT_SECRET");
    assert_eq!(
        provider.build_request().unwrap().url().as_str(),
        "https://dev-abc123.us.auth0.com/oauth/token"
    );
    assert!(
        Auth0::new("evil.com/x", "us", "id", "secret")
            .build_request()
            .is_err()
    );

    let server = replay(
        200,
        JSON,
        r#"{"access_token": "eyJz93a...k4laUWw", "token_type": "Bearer", "expires_in": 86400}"#,
    )
    .await;
    let (token, request) = fetch(provider, &server, "").await;
    assert!(token.unwrap().expires_in().unwrap() > Duration::from_secs(86_000));
    let body = wire::json_fields(&request).unwrap();
    assert_eq!(body["audience"], "https://api.example.com/");
    assert_eq!(body["grant_type"], "client_credentials");
    assert_eq!(wire::header(&request, "content-type"), Some(JSON));

    let server = replay(
        401,
        JSON,
        r#"{"error": "access_denied", "error_description": "Unauthorized"}"#,
    )
    .await;
    let (error, _) = fetch(Auth0::new("dev-abc123", "us", "id", "wrong"), &server, "").await;
    assert_eq!(
        error
            .unwrap_err()
            .provider_error()
            .unwrap()
            .description
            .as_deref(),
        Some("Unauthorized")
    );
}

// Keycloak: a self-hosted origin and the realm in the path; the refresh token's
// own lifetime comes as `refresh_expires_in`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "{origin}/realms/{realm}",
    path = "/protocol/openid-connect/token"
)]
#[token(param(grant_type = "client_credentials"))]
struct Keycloak {
    #[token(url)]
    origin: String,
    #[token(url)]
    realm: String,
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

#[tokio::test]
async fn keycloak_origin_and_realm() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token": "eyJhbGciOiJSUzI1NiJ9.e30.sig", "expires_in": 300, "refresh_expires_in": 1800,
                "refresh_token": "eyJhbGciOiJIUzI1NiJ9.e30.sig", "token_type": "Bearer", "not-before-policy": 0,
                "session_state": "6c9a5de4", "scope": "profile email"}"#,
            JSON,
        ))
        .mount(&server)
        .await;
    let provider = Keycloak::new(server.uri(), "acme", "backend", "secret");
    let token = provider
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert_eq!(
        token.extra::<u64>("refresh_expires_in").unwrap(),
        Some(1800)
    );
    assert_eq!(token.scopes().collect::<Vec<_>>(), ["profile", "email"]);
    let request = wire::single_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/realms/acme/protocol/openid-connect/token"
    );

    for realm in ["acme/../master", "acme?x", ""] {
        assert!(
            Keycloak::new(server.uri(), realm, "id", "s")
                .build_request()
                .is_err(),
            "{realm:?}"
        );
    }

    let server = replay(401, JSON, r#"{"error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials"}"#).await;
    let error = Keycloak::new(server.uri(), "acme", "backend", "wrong")
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        error.provider_error().unwrap().code.as_deref(),
        Some("unauthorized_client")
    );
}

// Microsoft identity platform v1.0: the tenant in the path, a `resource` to ask
// for, and every number sent as a string (`"expires_in": "3599"`).
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://login.microsoftonline.com/{tenant}",
    path = "/oauth2/token"
)]
#[token(param(
    grant_type = "client_credentials",
    resource = "https://graph.microsoft.com"
))]
struct AzureAdV1 {
    #[token(url)]
    tenant: String,
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

#[tokio::test]
async fn azure_ad_v1_numeric_strings() {
    let body = r#"{"token_type": "Bearer", "expires_in": "3599", "ext_expires_in": "3599", "expires_on": "1700003599",
        "not_before": "1700000000", "resource": "https://graph.microsoft.com", "access_token": "eyJ0eXAiOiJKV1Qi.e30.sig"}"#;
    let server = replay(200, JSON, body).await;
    let provider = AzureAdV1::new(
        "contoso.onmicrosoft.com",
        "6731de76-14a6-49ae-97bc-6eba6914391e",
        "secret",
    );
    let (token, request) = fetch(provider, &server, "/contoso.onmicrosoft.com").await;
    let remaining = token.unwrap().expires_in().unwrap();
    assert!(remaining > Duration::from_secs(3590) && remaining <= Duration::from_secs(3599));
    assert_eq!(request.url.path(), "/contoso.onmicrosoft.com/oauth2/token");
    assert_eq!(
        wire::form_fields(&request).unwrap()["resource"],
        "https://graph.microsoft.com"
    );

    let body = r#"{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215]}"#;
    let server = replay(401, JSON, body).await;
    let (error, _) = fetch(AzureAdV1::new("contoso", "id", "wrong"), &server, "").await;
    assert!(
        error
            .unwrap_err()
            .to_string()
            .ends_with("invalid_client: AADSTS7000215: Invalid client secret provided.")
    );
}

// Zoom Server-to-Server OAuth: HTTP Basic, no body, the grant type and the
// account in the query string, a lowercase `bearer`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://zoom.us",
    path = "/oauth/token",
    body = "none",
    client_auth = "basic"
)]
#[token(
    param(grant_type = "account_credentials"),
    error(description = "reason")
)]
struct Zoom {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    #[token(query)]
    account_id: String,
}

#[tokio::test]
async fn zoom_query_parameters_and_basic_authentication() {
    let body = r#"{"access_token": "eyJzdiI6IjAwMDAwMSJ9", "token_type": "bearer", "expires_in": 3599,
        "scope": "user:read:admin", "api_url": "https://api.zoom.us"}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(Zoom::new("Ag7Z4x", "v4NM8s", "K1LOa2xQ"), &server, "").await;
    assert!(token.unwrap().is_bearer());
    let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        wire::fields([
            ("account_id", "K1LOa2xQ"),
            ("grant_type", "account_credentials")
        ])
    );
    assert!(request.body.is_empty());
    assert_eq!(
        wire::header(&request, "authorization"),
        Some(basic("Ag7Z4x", "v4NM8s").as_str())
    );

    let server = replay(
        400,
        JSON,
        r#"{"reason": "Invalid client_id or client_secret", "error": "invalid_client"}"#,
    )
    .await;
    let (error, _) = fetch(Zoom::new("id", "wrong", "acct"), &server, "").await;
    let rejection = error.unwrap_err();
    let rejection = rejection.provider_error().unwrap();
    assert_eq!(
        (rejection.code.as_deref(), rejection.description.as_deref()),
        (
            Some("invalid_client"),
            Some("Invalid client_id or client_secret")
        )
    );
}

// PayPal: HTTP Basic, and the `Accept` headers its documentation sends.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://api-m.paypal.com",
    path = "/v1/oauth2/token",
    client_auth = "basic"
)]
#[token(
    header(accept = "application/json", accept_language = "en_US"),
    param(grant_type = "client_credentials")
)]
struct PayPal {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

#[tokio::test]
async fn paypal_static_headers() {
    let body = r#"{"scope": "https://uri.paypal.com/services/invoicing openid", "access_token": "A21AAFEpH4PsADK7qSS7pSRsgzfENtu",
        "token_type": "Bearer", "app_id": "APP-80W284485P519543T", "expires_in": 31668, "nonce": "2020-04-03T15:35:36ZaYZlGvEkV4yVSz8g6bAKFoGSEzuy3CQcz3ljhibkOHg"}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(PayPal::new("client id", "secret:with:colons"), &server, "").await;
    assert_eq!(
        token.unwrap().extra::<String>("app_id").unwrap().as_deref(),
        Some("APP-80W284485P519543T")
    );
    assert_eq!(wire::header(&request, "accept"), Some("application/json"));
    assert_eq!(wire::header(&request, "accept-language"), Some("en_US"));
    // RFC 6749 section 2.3.1: form-urlencoded before base64.
    assert_eq!(
        wire::header(&request, "authorization"),
        Some(basic("client+id", "secret%3Awith%3Acolons").as_str())
    );

    let server = replay(
        401,
        JSON,
        r#"{"error": "invalid_client", "error_description": "Client Authentication failed"}"#,
    )
    .await;
    let (error, _) = fetch(PayPal::new("id", "wrong"), &server, "").await;
    assert_eq!(
        error.unwrap_err().status().map(|status| status.as_u16()),
        Some(401)
    );
}

// Twitch: the authorization code exchange returns `scope` as an array, and
// errors as `{status, message}`.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://id.twitch.tv",
    path = "/oauth2/token",
    param(grant_type = "authorization_code")
)]
#[token(error(code = "status", description = "message"))]
struct Twitch {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    code: String,
    redirect_uri: String,
}

#[tokio::test]
async fn twitch_scope_array() {
    let body = r#"{"access_token": "rfx2uswqe8l4g1mkagrvg5tv0ks3", "expires_in": 14124, "refresh_token": "5b93chm6hdve3mycz05zfzatkfdenfspp1h1ar2xxdalen01",
        "scope": ["channel:moderate", "chat:edit", "chat:read"], "token_type": "bearer"}"#;
    let server = replay(200, JSON, body).await;
    let (token, _) = fetch(
        Twitch::new(
            "hof5gwx0su6owfn",
            "secret",
            "gulfwdmys5lsm6q",
            "http://localhost:3000",
        ),
        &server,
        "",
    )
    .await;
    assert_eq!(
        token.unwrap().scope(),
        Some("channel:moderate chat:edit chat:read")
    );

    let server = replay(
        403,
        JSON,
        r#"{"status": 403, "message": "invalid client secret"}"#,
    )
    .await;
    let (error, _) = fetch(
        Twitch::new("id", "wrong", "code", "http://localhost:3000"),
        &server,
        "",
    )
    .await;
    assert_eq!(
        error.unwrap_err().to_string(),
        "twitch rejected the token request with HTTP 403 Forbidden: invalid client secret"
    );
}

// Facebook Graph API: a GET with every parameter in the query, the API version in
// the path, and a nested error object.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://graph.facebook.com/{version}",
    path = "/oauth/access_token",
    method = "GET"
)]
#[token(error(code = "error.type", description = "error.message"))]
struct Facebook {
    #[token(url, default = "v19.0")]
    version: String,
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    redirect_uri: String,
    code: String,
}

#[tokio::test]
async fn facebook_get_and_nested_error() {
    let provider = Facebook::new("1234", "secret", "https://example.com/cb", "AQD...");
    assert!(
        provider
            .build_request()
            .unwrap()
            .url()
            .as_str()
            .starts_with("https://graph.facebook.com/v19.0/oauth/access_token?client_id=1234&")
    );
    let server = replay(
        200,
        JSON,
        r#"{"access_token": "EAAGm0PX4ZCpsBA", "token_type": "bearer", "expires_in": 5183944}"#,
    )
    .await;
    let (token, request) = fetch(provider, &server, "/v19.0").await;
    token.unwrap();
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v19.0/oauth/access_token");
    let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
    assert_eq!(query["redirect_uri"], "https://example.com/cb");

    let body = r#"{"error": {"message": "Error validating verification code.", "type": "OAuthException", "code": 100, "fbtrace_id": "A1b2"}}"#;
    let server = replay(400, JSON, body).await;
    let (error, _) = fetch(
        Facebook::new("1234", "secret", "https://example.com/cb", "bad"),
        &server,
        "",
    )
    .await;
    let error = error.unwrap_err();
    let rejection = error.provider_error().unwrap();
    assert_eq!(rejection.code.as_deref(), Some("OAuthException"));
    assert_eq!(
        rejection.description.as_deref(),
        Some("Error validating verification code.")
    );
}

// Strava: both a lifetime and an absolute `expires_at` (seconds since the epoch);
// the absolute one is declared as the truth.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://www.strava.com",
    path = "/oauth/token",
    param(grant_type = "authorization_code")
)]
#[token(response(expires_at = "expires_at"), error(description = "message"))]
struct Strava {
    client_id: u32,
    #[token(secret)]
    client_secret: Secret,
    code: String,
}

#[tokio::test]
async fn strava_absolute_expiry() {
    let body = r#"{"token_type": "Bearer", "expires_at": 4102444800, "expires_in": 21600, "refresh_token": "e5n567567",
        "access_token": "a4b945687g", "athlete": {"id": 134815, "username": "marianne_t"}}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(Strava::new(50_u32, "secret", "abc"), &server, "").await;
    let token = token.unwrap();
    assert_eq!(
        token.expires_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800))
    );
    assert_eq!(token.extras()["athlete"]["id"], 134_815);
    assert_eq!(wire::form_fields(&request).unwrap()["client_id"], "50");

    let body = r#"{"message": "Bad Request", "errors": [{"resource": "Application", "field": "client_id", "code": "invalid"}]}"#;
    let server = replay(400, JSON, body).await;
    let (error, _) = fetch(Strava::new(50_u32, "wrong", "abc"), &server, "").await;
    assert_eq!(
        error
            .unwrap_err()
            .provider_error()
            .unwrap()
            .description
            .as_deref(),
        Some("Bad Request")
    );
}

#[test]
fn absolute_expiry_in_milliseconds_and_strings() {
    #[derive(TokenEndpoint)]
    #[token(
        base_url = "https://auth.example.com",
        path = "/token",
        response(expires_at = "expiry")
    )]
    struct Millis {
        client_id: String,
    }
    let expected = Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800));
    for expiry in [
        "4102444800000",
        "\"4102444800000\"",
        "\"4102444800\"",
        "4102444800.0",
    ] {
        let body = format!(r#"{{"access_token": "t", "expiry": {expiry}}}"#);
        let token = wire::parse(&Millis::new("id"), 200, Some(JSON), &body).unwrap();
        assert_eq!(token.expires_at(), expected, "{expiry}");
    }
    let error = wire::parse(
        &Millis::new("id"),
        200,
        Some(JSON),
        r#"{"access_token": "t", "expiry": "soon"}"#,
    )
    .unwrap_err();
    assert!(matches!(error, Error::MalformedResponse(_)), "{error:?}");
}

#[test]
fn a_declared_format_overrides_a_wrong_content_type() {
    #[derive(TokenEndpoint)]
    #[token(
        base_url = "https://auth.example.com",
        path = "/token",
        response(format = "form")
    )]
    struct Mislabelled {
        client_id: String,
    }
    let token = wire::parse(
        &Mislabelled::new("id"),
        200,
        Some("text/html"),
        "access_token=abc&expires_in=60",
    )
    .unwrap();
    assert_eq!(token.access_token().expose_secret(), "abc");
}

// GitHub App installation tokens: a POST with no body behind the app's JWT as a
// bearer token, GitHub's own media type in `Accept`, the token under `token`,
// and an RFC 3339 `expires_at`.
#[derive(TokenEndpoint)]
#[token(
    name = "github-app",
    base_url = "https://api.github.com/app/installations/{installation_id}",
    path = "/access_tokens",
    body = "none"
)]
#[token(header(
    accept = "application/vnd.github+json",
    x_github_api_version = "2022-11-28"
))]
#[token(
    response(access_token = "token", expires_at = "expires_at"),
    error(code = "status", description = "message")
)]
struct GitHubAppInstallation {
    #[token(url)]
    installation_id: String,
    #[token(bearer, secret)]
    app_jwt: Secret,
}

#[tokio::test]
async fn github_app_installation_token_rfc3339_expiry_and_a_bodiless_post() {
    use oauth_tests::raw_server::RawServer;

    let app_jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSJ9.c2ln";
    let body = r#"{"token": "ghs_16C7e42F292c6912E7710c838347Ae178B4a", "expires_at": "2036-07-11T22:14:10Z",
        "permissions": {"issues": "write", "contents": "read"}, "repository_selection": "selected"}"#;
    let server = RawServer::start(201, "application/json; charset=utf-8", body).await;
    let provider = GitHubAppInstallation::new("42", app_jwt)
        .with_base_url(&format!("{}/app/installations/42", server.uri()))
        .unwrap();
    let token = provider
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert_eq!(
        token.access_token().expose_secret(),
        "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
    );
    assert_eq!(
        token.expires_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_099_427_250))
    );
    assert_eq!(token.extras()["permissions"]["issues"], "write");
    let request = server.single_request();
    assert_eq!(
        request.request_line(),
        "POST /app/installations/42/access_tokens HTTP/1.1"
    );
    assert_eq!(request.header_values("content-length"), ["0"]);
    assert_eq!(
        request.header_values("accept"),
        ["application/vnd.github+json"]
    );
    assert_eq!(
        request.header_values("authorization"),
        [format!("Bearer {app_jwt}").as_str()]
    );

    let body = r#"{"message": "A JSON web token could not be decoded", "documentation_url": "https://docs.github.com/rest", "status": "401"}"#;
    let server = RawServer::start(401, "application/json; charset=utf-8", body).await;
    let error = GitHubAppInstallation::new("42", "not-a-jwt")
        .with_base_url(&server.uri())
        .unwrap()
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "github-app rejected the token request with HTTP 401 Unauthorized: A JSON web token could not be decoded"
    );
    assert_eq!(error.provider_error().unwrap().code.as_deref(), Some("401"));
}

// Square OAuth `ObtainToken`: JSON in, an RFC 3339 `expires_at` out, and errors
// as Square's list of error objects, each with a category, a code and a detail.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://connect.squareup.com",
    path = "/oauth2/token",
    body = "json"
)]
#[token(
    param(grant_type = "authorization_code"),
    header(square_version = "2024-07-17")
)]
#[token(
    response(expires_at = "expires_at"),
    error(code = "errors.0.code", description = "errors")
)]
struct Square {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    #[token(secret)]
    code: Secret,
}

#[tokio::test]
async fn square_rfc3339_expiry_and_an_array_of_errors() {
    let body = r#"{"access_token": "EAAAEOuLQObrVwJvCvoio3d7", "token_type": "bearer", "expires_at": "2031-01-02T15:04:05Z",
        "merchant_id": "MLQW2ZW6J9HQ3", "refresh_token": "EQAAEDPWjAXXnGSCvIRBuWSi4yu", "short_lived": false}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(
        Square::new(
            "sq0idp-wGVapF8sNt9PLrdj5znuKA",
            "sq0csp-secret",
            "sq0cgp-code",
        ),
        &server,
        "",
    )
    .await;
    let token = token.unwrap();
    assert_eq!(
        token.expires_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_925_132_645))
    );
    assert_eq!(
        token.refresh_token().unwrap().expose_secret(),
        "EQAAEDPWjAXXnGSCvIRBuWSi4yu"
    );
    assert_eq!(
        token.extra::<String>("merchant_id").unwrap().as_deref(),
        Some("MLQW2ZW6J9HQ3")
    );
    assert_eq!(
        wire::json_fields(&request).unwrap(),
        wire::fields([
            ("client_id", "sq0idp-wGVapF8sNt9PLrdj5znuKA"),
            ("client_secret", "sq0csp-secret"),
            ("code", "sq0cgp-code"),
            ("grant_type", "authorization_code"),
        ])
    );
    assert_eq!(wire::header(&request, "square-version"), Some("2024-07-17"));

    let body = r#"{"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED", "detail": "Not Authorized"}]}"#;
    let server = replay(401, JSON, body).await;
    let (error, _) = fetch(Square::new("id", "wrong", "code"), &server, "").await;
    assert_eq!(
        error.unwrap_err().to_string(),
        "square rejected the token request with HTTP 401 Unauthorized: UNAUTHORIZED: Not Authorized"
    );
}

// Stripe Connect: the platform's secret key and the authorization code in a
// form; a bad code is refused with an error that quotes the code back.
#[derive(TokenEndpoint)]
#[token(base_url = "https://connect.stripe.com", path = "/oauth/token")]
#[token(param(grant_type = "authorization_code"))]
struct StripeConnect {
    #[token(secret)]
    client_secret: Secret,
    #[token(secret)]
    code: Secret,
}

#[tokio::test]
async fn stripe_connect_error_that_echoes_the_credentials() {
    let body = r#"{"access_token": "sk_test_connected_0123456789", "livemode": false, "refresh_token": "rt_0123456789",
        "token_type": "bearer", "stripe_publishable_key": "pk_test_0123456789", "stripe_user_id": "acct_1032D82eZvKYlo2C",
        "scope": "read_write"}"#;
    let server = replay(200, JSON, body).await;
    let (token, request) = fetch(
        StripeConnect::new("sk_test_platform_key", "ac_123456789"),
        &server,
        "",
    )
    .await;
    let token = token.unwrap();
    assert_eq!(token.scope(), Some("read_write"));
    assert_eq!(
        token.extra::<String>("stripe_user_id").unwrap().as_deref(),
        Some("acct_1032D82eZvKYlo2C")
    );
    assert_eq!(
        wire::form_fields(&request).unwrap(),
        wire::fields([
            ("client_secret", "sk_test_platform_key"),
            ("code", "ac_123456789"),
            ("grant_type", "authorization_code"),
        ])
    );

    let body = r#"{"error": "invalid_grant", "error_description": "Authorization code does not exist: ac_123456789"}"#;
    let server = replay(400, JSON, body).await;
    let (error, _) = fetch(
        StripeConnect::new("sk_test_platform_key", "ac_123456789"),
        &server,
        "",
    )
    .await;
    let error = error.unwrap_err();
    assert_eq!(
        error.to_string(),
        "stripe-connect rejected the token request with HTTP 400 Bad Request: invalid_grant: Authorization code does not exist: [redacted]"
    );

    let body = r#"{"error": "invalid_request", "error_description": "Invalid API Key provided: sk_test_platform_key"}"#;
    let server = replay(401, JSON, body).await;
    let (error, _) = fetch(
        StripeConnect::new("sk_test_platform_key", "ac_123456789"),
        &server,
        "",
    )
    .await;
    let shown = format!("{:?}", error.unwrap_err());
    assert!(
        shown.contains("Invalid API Key provided: [redacted]"),
        "{shown}"
    );
    assert!(!shown.contains("sk_test_platform_key"), "{shown}");
}
