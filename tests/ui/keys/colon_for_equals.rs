//! A key and its value are joined by `=`: path = "/token", not path: "/token".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path: "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
