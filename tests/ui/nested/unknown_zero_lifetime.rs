//! zero_lifetime is "expired" (the default) or "never".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token")]
#[token(response(zero_lifetime = "forever"))]
struct Acme {
    user: String,
}

fn main() {}
