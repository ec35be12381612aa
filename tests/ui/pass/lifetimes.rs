//! Lifetime parameters are supported: a provider may borrow its configuration.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Borrowed<'a> {
    client_id: &'a str,
    audience: Option<&'a str>,
}

fn main() {}
