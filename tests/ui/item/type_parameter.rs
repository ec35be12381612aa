//! Type parameters are not supported; declare a concrete struct (lifetimes are fine).
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme<T> {
    client_id: T,
}

fn main() {}
