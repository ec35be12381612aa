//! A declared `base_url` is https://; point tests at http://127.0.0.1 with `with_base_url`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "http://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
