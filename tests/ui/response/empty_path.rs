//! A response path names a field, or nested fields joined by dots.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", response(access_token = "data..token"))]
struct Acme {
    client_id: String,
}

fn main() {}
