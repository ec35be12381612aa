//! Client authentication is "body" (the default) or "basic".
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "digest")]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {}
