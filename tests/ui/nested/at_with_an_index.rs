//! A body path names object keys; an array is written whole as a constant.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token", body = "json")]
struct Acme {
    #[token(at = "auth.methods.0")]
    method: String,
}

fn main() {}
