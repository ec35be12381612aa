//! A number's default is written without quotes: default = 3600.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(default = "3600")]
    lifetime: u32,
}

fn main() {}
