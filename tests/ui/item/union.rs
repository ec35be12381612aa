//! A union cannot be a provider; declare a struct with named fields.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
union Credentials {
    id: u32,
}

fn main() {}
