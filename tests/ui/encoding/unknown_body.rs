//! `body` is "json", "form" or "none".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = "xml")]
struct Acme {
    client_id: String,
}

fn main() {}
