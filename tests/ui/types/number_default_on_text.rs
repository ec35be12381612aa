//! A text field's default is a string: default = "3600".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(default = 3600)]
    lifetime: String,
}

fn main() {}
