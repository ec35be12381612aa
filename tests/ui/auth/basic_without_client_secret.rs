//! `client_auth = "basic"` sends `client_id` and `client_secret`; declare both as body fields.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "basic")]
struct Acme {
    client_id: String,
    secret: String,
}

fn main() {}
