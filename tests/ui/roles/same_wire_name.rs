//! Two fields cannot send the same parameter name.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(rename = "client_id")]
    legacy_id: String,
}

fn main() {}
