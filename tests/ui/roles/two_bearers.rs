//! A request carries one bearer token.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(bearer, secret)]
    api_key: Secret,
    #[token(bearer, secret)]
    session: Secret,
}

fn main() {}
