//! A claim belongs to a signed assertion: declare `assertion(grant)` or a JWT `client_auth`, or send the field as a parameter.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    #[token(claim)]
    scope: String,
}

fn main() {}
