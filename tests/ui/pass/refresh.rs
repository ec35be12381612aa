//! Both refresh styles: the RFC 6749 grant on the token endpoint, and a separate endpoint.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(grant, send = ["client_id"]))]
struct Standard {
    client_id: String,
    #[token(secret)]
    password: Secret,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://api.example.com", path = "/token", refresh(path = "/refresh", body = "json"))]
struct Separate {
    #[token(bearer, secret)]
    api_key: Secret,
    email: String,
}

fn main() {
    let refresh_token = Secret::new("rt");
    let request = Standard::new("id", "pw").build_refresh_request(&refresh_token).unwrap().unwrap();
    assert_eq!(request.url().as_str(), "https://auth.example.com/token");
    assert_eq!(request.body(), Some(&b"client_id=id&grant_type=refresh_token&refresh_token=rt"[..]));

    let request = Separate::new("key", "me@example.com").build_refresh_request(&refresh_token).unwrap().unwrap();
    assert_eq!(request.url().as_str(), "https://api.example.com/refresh");
    assert_eq!(request.body(), Some(&b"{}"[..]));
    assert_eq!(request.headers()["authorization"], "Bearer key");
}
