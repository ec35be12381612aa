//! A client assertion's `iss` and `sub` are the client id; remove the declared claim.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "private_key_jwt")]
struct Acme {
    client_id: String,
    #[token(claim = "sub")]
    user: String,
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
