//! The HTTP Basic password is a credential, so its type is a secret.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://api.example.com", path = "/login")]
#[token(basic(user = "username", password = "pin", encoding = "plain"))]
struct Acme {
    username: String,
    pin: String,
}

fn main() {}
