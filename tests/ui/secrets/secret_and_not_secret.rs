//! A field is secret or not_secret, not both.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(secret, not_secret)]
    client_secret: Secret,
}

fn main() {}
