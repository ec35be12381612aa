//! Secrets never go in URLs, which end up in logs; send it in the body or a header.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://{key}.example.com", path = "/token")]
struct Acme {
    #[token(url, secret)]
    key: Secret,
}

fn main() {}
