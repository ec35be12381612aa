//! `secret` is a flag: write #[token(secret)], not secret = true.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(secret = true)]
    client_secret: Secret,
}

fn main() {}
