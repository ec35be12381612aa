//! A provider name is lowercase letters, digits and '-'.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(name = "My Provider", base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
