//! `body` takes a string: body = "json".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = 3)]
struct Acme {
    client_id: String,
}

fn main() {}
