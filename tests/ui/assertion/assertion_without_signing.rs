//! `assertion(...)` configures a signed JWT: add `grant`, or a JWT `client_auth`.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", assertion(lifetime = 30))]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {}
