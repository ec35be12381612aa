//! The derive's request attributes, specified by the requests they build:
//! `base_url` templates, `path`, `method`, `body`, `content_type`, `param`,
//! `header`, and the field roles `rename`, `query`, `header`, `url`, `default`.

use std::collections::BTreeMap;

use oauth_core::{ConfigError, Error, Secret, TokenEndpoint, TokenRequest};
use serde_json::json;

fn form(request: &TokenRequest) -> BTreeMap<String, String> {
    serde_urlencoded::from_bytes(request.body().expect("a body")).expect("a form body")
}

fn json(request: &TokenRequest) -> serde_json::Value {
    serde_json::from_slice(request.body().expect("a body")).expect("a JSON body")
}

fn header<'r>(request: &'r TokenRequest, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("a text header"))
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/oauth/token")]
struct Minimal {
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
}

#[test]
fn a_form_post_of_every_field_by_default() {
    let request = Minimal::new("id", "s3:cret&").build_request().unwrap();
    assert_eq!(request.method().as_str(), "POST");
    assert_eq!(
        request.url().as_str(),
        "https://auth.example.com/oauth/token"
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body(),
        Some(&b"client_id=id&client_secret=s3%3Acret%26"[..])
    );
}

#[test]
fn an_optional_field_is_sent_only_when_set() {
    let unset = Minimal::new("id", "secret").build_request().unwrap();
    assert!(!form(&unset).contains_key("scope"));
    let set = Minimal::new("id", "secret")
        .with_scope("read write")
        .build_request()
        .unwrap();
    assert_eq!(form(&set)["scope"], "read write");
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = "json")]
#[token(param(grant_type = "password", version = 2, trusted = true))]
struct Typed {
    #[token(rename = "clientId")]
    client_id: String,
    password: Secret,
    attempts: u8,
    remember: bool,
    r#type: String,
}

#[test]
fn json_keeps_each_value_s_type_and_renames_apply() {
    let request = Typed::new("id", "pw", 3_u8, true, "user")
        .build_request()
        .unwrap();
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        json(&request),
        json!({
            "clientId": "id", "password": "pw", "attempts": 3, "remember": true, "type": "user",
            "grant_type": "password", "version": 2, "trusted": true
        })
    );
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    body = "json",
    content_type = "text/plain"
)]
struct LabelledText {
    client_id: String,
}

#[test]
fn content_type_relabels_the_body_without_changing_it() {
    let request = LabelledText::new("id").build_request().unwrap();
    assert_eq!(header(&request, "content-type"), Some("text/plain"));
    assert_eq!(json(&request), json!({"client_id": "id"}));
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", method = "GET")]
#[token(param(grant_type = "client_credentials"))]
struct Legacy {
    client_id: String,
    client_secret: Secret,
}

#[test]
fn a_get_sends_every_parameter_in_the_query_and_no_body() {
    let request = Legacy::new("id", "secret").build_request().unwrap();
    assert_eq!(request.method().as_str(), "GET");
    assert_eq!(request.body(), None);
    assert!(header(&request, "content-type").is_none());
    assert_eq!(
        request.url().query(),
        Some("client_id=id&client_secret=secret&grant_type=client_credentials")
    );
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = "none")]
struct Bodiless {
    #[token(query)]
    account_id: String,
}

#[test]
fn a_post_without_a_body_has_no_content_type() {
    let request = Bodiless::new("acct").build_request().unwrap();
    assert_eq!(request.method().as_str(), "POST");
    assert_eq!(request.body(), None);
    assert!(header(&request, "content-type").is_none());
    assert_eq!(request.url().query(), Some("account_id=acct"));
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(header(user_agent = "acme-sync/1.0", x_api_version = "2"))]
struct Headed {
    #[token(header = "X-Request-Source")]
    source: Option<String>,
    #[token(query)]
    account: u32,
    client_id: String,
}

#[test]
fn headers_and_query_fields_leave_the_body() {
    let request = Headed::new(7_u32, "id")
        .with_source("ci")
        .build_request()
        .unwrap();
    assert_eq!(header(&request, "user-agent"), Some("acme-sync/1.0"));
    assert_eq!(header(&request, "x-api-version"), Some("2"));
    assert_eq!(header(&request, "x-request-source"), Some("ci"));
    assert_eq!(request.url().query(), Some("account=7"));
    assert_eq!(
        form(&request),
        BTreeMap::from([("client_id".into(), "id".into())])
    );
    let unset = Headed::new(7_u32, "id").build_request().unwrap();
    assert!(header(&unset, "x-request-source").is_none());
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://{tenant}.auth.example.com/{region}",
    path = "/oauth2/token"
)]
struct Tenanted {
    #[token(url)]
    tenant: String,
    #[token(url, default = "eu")]
    region: String,
}

#[test]
fn template_parts_fill_the_host_and_path_and_are_checked() {
    let request = Tenanted::new("acme").build_request().unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://acme.auth.example.com/eu/oauth2/token"
    );
    assert!(form(&request).is_empty());
    let moved = Tenanted::new("acme")
        .with_region("us-east-1")
        .build_request()
        .unwrap();
    assert_eq!(
        moved.url().as_str(),
        "https://acme.auth.example.com/us-east-1/oauth2/token"
    );
    let error = Tenanted::new("evil.com/x").build_request().unwrap_err();
    assert!(
        matches!(&error, Error::Config(ConfigError::InvalidTemplateValue { field, .. }) if *field == "tenant"),
        "{error:?}"
    );
}

#[test]
fn each_filling_of_a_template_builds_its_own_url_however_many_tenants_take_turns() {
    let tenants: Vec<String> = (0..20).map(|tenant| format!("tenant-{tenant}")).collect();
    for _ in 0..3 {
        for tenant in &tenants {
            let provider = Tenanted::new(tenant.as_str());
            let expected = format!("https://{tenant}.auth.example.com/eu/oauth2/token");
            assert_eq!(provider.build_request().unwrap().url().as_str(), expected);
            assert_eq!(provider.token_url().unwrap().as_str(), expected);
            assert_eq!(
                provider.base_url().unwrap().as_str(),
                format!("https://{tenant}.auth.example.com/eu")
            );
        }
    }
}

#[derive(TokenEndpoint)]
#[token(base_url = "{origin}/api2", path = "/oauth/token")]
struct SelfHosted {
    #[token(url)]
    origin: String,
}

#[test]
fn an_origin_part_holds_a_whole_https_origin() {
    let request = SelfHosted::new("https://erp.example.com")
        .build_request()
        .unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://erp.example.com/api2/oauth/token"
    );
    assert!(
        SelfHosted::new("https://erp.example.com/evil")
            .build_request()
            .is_err()
    );
    assert!(
        SelfHosted::new("http://erp.example.com")
            .build_request()
            .is_err()
    );
    assert!(
        SelfHosted::new("http://127.0.0.1:8080")
            .build_request()
            .is_ok()
    );
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Defaults {
    #[token(default = "client_credentials")]
    grant_type: String,
    #[token(default = 3600)]
    lifetime: u32,
    #[token(default = false)]
    offline: bool,
    #[token(default = "s3cret")]
    client_secret: Secret,
}

#[test]
fn defaults_are_sent_until_a_setter_replaces_them() {
    let request = Defaults::new().build_request().unwrap();
    assert_eq!(
        request.body(),
        Some(
            &b"grant_type=client_credentials&lifetime=3600&offline=false&client_secret=s3cret"[..]
        )
    );
    let changed = Defaults::new()
        .with_lifetime(60_u32)
        .with_offline(true)
        .with_grant_type("password")
        .build_request()
        .unwrap();
    assert_eq!(
        changed.body(),
        Some(&b"grant_type=password&lifetime=60&offline=true&client_secret=s3cret"[..])
    );
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    body = "json",
    param(kind = "guest")
)]
struct Guest {}

#[test]
fn a_provider_may_send_only_constants() {
    assert_eq!(
        json(&Guest::new().build_request().unwrap()),
        json!({"kind": "guest"})
    );
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Borrowed<'a> {
    client_id: &'a str,
    audience: Option<&'a str>,
}

#[test]
fn a_provider_may_borrow_its_values() {
    let id = String::from("borrowed-id");
    let request = Borrowed::new(id.as_str())
        .with_audience("api")
        .build_request()
        .unwrap();
    assert_eq!(
        request.body(),
        Some(&b"client_id=borrowed-id&audience=api"[..])
    );
}
