//! A template part's default is one host label or path segment: no '/'.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com/{realm}", path = "/token")]
struct Acme {
    #[token(url, default = "master/extra")]
    realm: String,
    client_id: String,
}

fn main() {}
