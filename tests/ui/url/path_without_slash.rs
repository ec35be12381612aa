//! `path` starts with '/'.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "oauth/token")]
struct Acme {
    client_id: String,
}

fn main() {}
