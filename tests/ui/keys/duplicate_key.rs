//! A key may be set once, even across several #[token(...)] attributes.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(path = "/oauth/token")]
struct Acme {
    client_id: String,
}

fn main() {}
