//! A URL part always needs a value: make the field a plain String (or give it a default).
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://{tenant}.example.com", path = "/token")]
struct Acme {
    #[token(url)]
    tenant: Option<String>,
}

fn main() {}
