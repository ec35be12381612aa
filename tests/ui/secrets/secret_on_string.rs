//! A #[token(secret)] field is typed `Secret` so it is redacted everywhere.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(secret)]
    client_secret: String,
}

fn main() {}
