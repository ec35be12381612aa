//! `client_auth = "tls_client_auth"` authenticates with the certificate: remove `client_secret`.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "tls_client_auth")]
struct Acme {
    client_id: String,
    client_secret: Secret,
}

fn main() {}
