//! A header name is a token: no spaces or colons.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(header = "X Account:")]
    account: String,
}

fn main() {}
