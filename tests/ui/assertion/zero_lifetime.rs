//! An assertion lifetime is a positive number of seconds: `lifetime = 60`.
use oauth_core::{PrivateKey, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(client_auth = "private_key_jwt", assertion(lifetime = 0))]
struct Acme {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
