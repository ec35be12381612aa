//! Every provider needs `path`, the token endpoint under the base URL.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com")]
struct Acme {
    client_id: String,
}

fn main() {}
