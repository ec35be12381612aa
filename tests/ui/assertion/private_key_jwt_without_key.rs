//! `client_auth = "private_key_jwt"` signs with a private key: mark the key field `#[token(private_key)]`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "private_key_jwt")]
struct Acme {
    client_id: String,
}

fn main() {}
