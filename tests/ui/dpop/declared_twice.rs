//! `dpop` is declared once: keep one of `dpop` and `dpop = "EdDSA"`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop)]
#[token(dpop = "EdDSA")]
struct Acme {
    client_id: String,
}

fn main() {}
