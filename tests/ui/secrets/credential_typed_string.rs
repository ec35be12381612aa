//! A field named like a credential has a secret type, so it stays out of Debug and logs: client_secret: Secret.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    client_secret: String,
}

fn main() {}
