//! A response path starts at the body's top level, without `$.`: "data.token".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", response(access_token = "$.data.token"))]
struct Acme {
    client_id: String,
}

fn main() {}
