//! HTTP Basic and a bearer field both want the Authorization header; keep one.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "basic")]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    #[token(bearer, secret)]
    api_key: Secret,
}

fn main() {}
