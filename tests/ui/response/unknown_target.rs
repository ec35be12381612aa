//! response(...) maps the token's parts; the message lists them.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", response(id_token = "id"))]
struct Acme {
    client_id: String,
}

fn main() {}
