//! Values are string literals: name = "acme", not name = acme.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", name = acme)]
struct Acme {
    client_id: String,
}

fn main() {}
