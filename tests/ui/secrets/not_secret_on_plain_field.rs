//! `not_secret` waives the check for a field named like a credential; on any other field, remove it.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(not_secret)]
    client_id: String,
}

fn main() {}
