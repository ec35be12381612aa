//! `send` takes a list, even of one field: send = ["client_id"].
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(grant, send = "client_id"))]
struct Acme {
    client_id: String,
}

fn main() {}
