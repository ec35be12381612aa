//! Template parts go in base_url, not in path.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/realms/{realm}/token")]
struct Acme {
    #[token(url)]
    realm: String,
}

fn main() {}
