//! A missing comma between keys is reported once, and the next key is still read (no false "missing path").
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com" path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
