//! `assertion(grant)` signs with a private key: mark the key field `#[token(private_key)]`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", assertion(grant))]
struct Robot {
    #[token(claim = "iss")]
    email: String,
}

fn main() {}
