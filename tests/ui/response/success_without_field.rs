//! success(...) needs the field it checks.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", success(equals = 0))]
struct Acme {
    client_id: String,
}

fn main() {}
