//! A unit struct has no fields; write `struct Acme {}` for a provider without any.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme;

fn main() {}
