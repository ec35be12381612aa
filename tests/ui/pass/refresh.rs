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

fn main() {}
