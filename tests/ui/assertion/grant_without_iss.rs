//! The JWT bearer grant needs an issuer: declare a field `#[token(claim = "iss")]` or `claims(iss = "...")`.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", assertion(grant))]
struct Robot {
    #[token(claim)]
    scope: String,
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
