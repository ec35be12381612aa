//! `client_auth = "basic"` sends `client_id` and `client_secret`; declare both as body fields.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "basic")]
struct Acme {
    client_id: String,
    secret: Secret,
}

fn main() {}
