//! A constant cannot sit inside a field's value.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token", body = "json")]
#[token(constant(at = "auth.identity.methods", value = ["password"]))]
struct Acme {
    #[token(at = "auth.identity")]
    identity: String,
}

fn main() {}
