//! `dpop` is a flag, or takes the algorithm as a string: `dpop` or `dpop = "ES256"`, not `dpop = true`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop = true)]
struct Acme {
    client_id: String,
}

fn main() {}
