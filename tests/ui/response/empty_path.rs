//! A response path names a field, or nested fields joined by dots; it cannot be empty.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", response(access_token = ""))]
struct Acme {
    client_id: String,
}

fn main() {}
