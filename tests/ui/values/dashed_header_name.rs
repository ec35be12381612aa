//! Header names use `_` for `-`: header(x_api_version = "2") sends x-api-version.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", header(x-api-version = "2"))]
struct Acme {
    client_id: String,
}

fn main() {}
