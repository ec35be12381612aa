//! The refresh path starts with '/': path = "/oauth2/refresh".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(path = "oauth2/refresh"))]
struct Acme {
    client_id: String,
}

fn main() {}
