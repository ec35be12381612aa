//! constant(...) needs both where it goes and what it holds.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token", body = "json")]
#[token(constant(at = "auth.identity.methods"))]
struct Acme {
    user: String,
}

fn main() {}
