//! `base_url` must be an absolute https:// URL, not a path.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "/oauth", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
