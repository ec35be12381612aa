//! A base URL has no query; declare query parameters with #[token(query)].
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com?tenant=acme", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
