//! Three mistakes, three messages, one build: errors are collected, not stopped at the first.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", pth = "/token", body = "jsn")]
struct Acme {
    #[token(rename = "")]
    client_id: String,
}

fn main() {}
