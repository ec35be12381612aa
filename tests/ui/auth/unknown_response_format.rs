//! A declared response format is "json" or "form".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", response(format = "xml"))]
struct Acme {
    client_id: String,
}

fn main() {}
