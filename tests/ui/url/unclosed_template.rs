//! A template part is `{field}`; close the brace.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://{tenant.example.com", path = "/token")]
struct Acme {
    #[token(url)]
    tenant: String,
}

fn main() {}
