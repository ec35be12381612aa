//! `crate` takes the runtime's path as a string, with `_`: crate = "my_sdk::oauth_core".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(crate = my-sdk::oauth_core, base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
