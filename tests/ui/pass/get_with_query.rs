//! A GET token endpoint: no body, every parameter in the query.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", method = "GET", param(grant_type = "client_credentials"))]
struct Legacy {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {}
