//! success(...) needs the value that means success.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", success(field = "status"))]
struct Acme {
    client_id: String,
}

fn main() {}
