//! The private key field's type is `oauth_core::PrivateKey`, read from PEM or a JWK.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "private_key_jwt")]
struct Acme {
    client_id: String,
    #[token(private_key)]
    key: String,
}

fn main() {}
