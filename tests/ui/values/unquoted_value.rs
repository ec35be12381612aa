//! Values are string literals: body = "json", not body = json.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = json)]
struct Acme {
    client_id: String,
}

fn main() {}
