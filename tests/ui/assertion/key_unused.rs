//! A private key signs an assertion: declare `client_auth = "private_key_jwt"` or `assertion(grant)`.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
