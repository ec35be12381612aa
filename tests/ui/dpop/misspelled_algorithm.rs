//! A misspelled DPoP algorithm is named with the closest one: `dpop = "ES384"`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop = "ES348")]
struct Acme {
    client_id: String,
}

fn main() {}
