//! `client_auth = "client_secret_jwt"` signs with the client secret: declare a `client_secret` field.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "client_secret_jwt")]
struct Acme {
    client_id: String,
}

fn main() {}
