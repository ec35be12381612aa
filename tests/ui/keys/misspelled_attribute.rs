//! The attribute is #[token(...)]; rustc suggests it, and the derive adds nothing.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[tokens(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
