//! Every provider needs `base_url`, its default server.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(path = "/oauth/token")]
struct Acme {
    client_id: String,
}

fn main() {}
