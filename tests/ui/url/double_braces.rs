//! A template part has single braces: "https://{tenant}.example.com", not {{tenant}}.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://{{tenant}}.auth.example.com", path = "/token")]
struct Acme {
    #[token(url)]
    tenant: String,
}

fn main() {}
