//! A value needs its key: #[token(body = "json")], not #[token("json")].
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token("json")]
struct Acme {
    client_id: String,
}

fn main() {}
