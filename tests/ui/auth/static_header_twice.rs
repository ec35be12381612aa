//! A static header already set by a field (or another static header) is a conflict.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", header(x_api_version = "2"))]
struct Acme {
    client_id: String,
    #[token(header = "X-Api-Version")]
    version: String,
}

fn main() {}
