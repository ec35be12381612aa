//! A field filling a `{part}` is marked #[token(url)], so it is not also sent in the body.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://{tenant}.example.com", path = "/token")]
struct Acme {
    tenant: String,
}

fn main() {}
