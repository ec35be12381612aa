//! A response path has no empty segment: "data.token", not "data..token".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", response(access_token = "data..token"))]
struct Acme {
    client_id: String,
}

fn main() {}
