//! A #[token(url)] field must appear as `{field}` in base_url.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(url)]
    tenant: String,
}

fn main() {}
