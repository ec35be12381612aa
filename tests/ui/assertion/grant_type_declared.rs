//! `assertion(grant)` sends `grant_type` itself: remove `param(grant_type = ...)`.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(param(grant_type = "client_credentials"), assertion(grant, claims(iss = "robot")))]
struct Robot {
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
