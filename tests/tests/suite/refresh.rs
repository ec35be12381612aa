//! `refresh(...)`: how a provider renews a token, specified by the refresh
//! requests built. What the cache does with them is in `cache.rs`.

use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(grant, send = ["client_id"]))]
#[token(header(user_agent = "acme/1.0"))]
struct Standard {
    client_id: String,
    password: Secret,
    #[token(query)]
    tenant: String,
}

#[test]
fn the_grant_sends_the_refresh_token_and_the_named_fields_to_the_token_endpoint() {
    let refresh_token = Secret::new("rt");
    let request = Standard::new("id", "pw", "acme")
        .build_refresh_request(&refresh_token)
        .unwrap()
        .expect("a refresh request");
    assert_eq!(
        request.url().as_str(),
        "https://auth.example.com/token?tenant=acme"
    );
    assert_eq!(request.headers()["user-agent"], "acme/1.0");
    assert_eq!(
        request.body(),
        Some(&b"client_id=id&grant_type=refresh_token&refresh_token=rt"[..])
    );
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://api.example.com",
    path = "/token",
    refresh(path = "/refresh", body = "json")
)]
struct Separate {
    #[token(bearer)]
    api_key: Secret,
    email: String,
}

#[test]
fn a_separate_endpoint_gets_its_own_encoding_and_the_bearer_goes_along() {
    let request = Separate::new("key", "me@example.com")
        .build_refresh_request(&Secret::new("unused"))
        .unwrap()
        .expect("a refresh request");
    assert_eq!(request.url().as_str(), "https://api.example.com/refresh");
    assert_eq!(request.headers()["authorization"], "Bearer key");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.body(), Some(&b"{}"[..]));
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    body = "json",
    content_type = "text/plain"
)]
#[token(refresh(grant))]
struct Relabelled {
    client_id: String,
}

#[test]
fn a_declared_content_type_carries_over_when_the_encoding_does() {
    let request = Relabelled::new("id")
        .build_refresh_request(&Secret::new("rt"))
        .unwrap()
        .expect("a refresh request");
    assert_eq!(request.headers()["content-type"], "text/plain");
    assert_eq!(
        request.body(),
        Some(&br#"{"grant_type":"refresh_token","refresh_token":"rt"}"#[..])
    );
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct NoRefresh {
    client_id: String,
}

#[test]
fn without_refresh_there_is_no_refresh_request() {
    let request = NoRefresh::new("id")
        .build_refresh_request(&Secret::new("rt"))
        .unwrap();
    assert!(request.is_none());
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://{tenant}.example.com/api/",
    path = "/token",
    refresh(grant, path = "/refresh")
)]
struct Templated {
    #[token(url)]
    tenant: String,
    client_id: String,
}

#[test]
fn a_refresh_path_follows_the_filled_base_url_or_the_one_given_instead() {
    for tenant in ["acme", "globex", "acme"] {
        let request = Templated::new(tenant, "id")
            .build_refresh_request(&Secret::new("rt"))
            .unwrap()
            .expect("a refresh request");
        assert_eq!(
            request.url().as_str(),
            format!("https://{tenant}.example.com/api/refresh")
        );
    }
    let moved = Templated::new("acme", "id")
        .with_base_url("http://127.0.0.1:8080/staging")
        .unwrap();
    assert_eq!(
        moved.refresh_url().unwrap().as_str(),
        "http://127.0.0.1:8080/staging/refresh"
    );
}
