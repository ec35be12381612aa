//! refresh(...) must say how: `grant` (RFC 6749 section 6), a separate `path`, or both.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(body = "json"))]
struct Acme {
    client_id: String,
}

fn main() {}
