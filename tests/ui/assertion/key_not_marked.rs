//! A `PrivateKey` field signs, it is not sent: mark it `#[token(private_key)]`.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "private_key_jwt")]
struct Acme {
    client_id: String,
    key: PrivateKey,
}

fn main() {}
