//! The bearer token is a credential with a secret type: key: Secret.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(bearer)]
    key: String,
}

fn main() {}
