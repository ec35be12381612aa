//! Without #[token(...)] there is no endpoint: both `base_url` and `path` are missing.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
struct Acme {
    client_id: String,
}

fn main() {}
