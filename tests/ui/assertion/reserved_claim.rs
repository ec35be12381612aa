//! `iat`, `exp` and `jti` are set for each request; declare the lifetime with `lifetime = ...` instead.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(assertion(grant, claims(iss = "robot", exp = 1700000000)))]
struct Robot {
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
