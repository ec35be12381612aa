//! An unknown key on the struct; the message lists the accepted ones.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", retries = 3)]
struct Acme {
    client_id: String,
}

fn main() {}
