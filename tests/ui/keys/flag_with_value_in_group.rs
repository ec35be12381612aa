//! `grant` is a flag inside refresh(...): refresh(grant), not grant = true.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(grant = true))]
struct Acme {
    client_id: String,
}

fn main() {}
