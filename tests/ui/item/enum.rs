//! An enum cannot be a provider; declare one struct per provider.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
enum Providers {
    Acme { client_id: String },
}

fn main() {}
