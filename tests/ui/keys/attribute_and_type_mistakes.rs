//! An attribute typo and a secret typed String, both reported in one build.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", pth = "/token")]
struct Acme {
    client_id: String,
    client_secret: String,
}

fn main() {}
