//! The bearer token cannot also fill a URL part.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://{key}.example.com", path = "/token")]
struct Acme {
    #[token(bearer, url)]
    key: Secret,
}

fn main() {}
