//! `rename` needs the name to send.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(rename = "")]
    client_id: String,
}

fn main() {}
