//! The smallest provider: a base URL, a path, form-encoded fields (the RFC 6749 default).
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/oauth/token")]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {}
