//! An Option field already defaults to None.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(default = "openid")]
    scope: Option<String>,
}

fn main() {}
