//! The method is "POST" or "GET".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", method = "PUT")]
struct Acme {
    client_id: String,
}

fn main() {}
