//! An optional credential is an Option of a secret: api_key: Option<Secret>.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(header = "x-api-key")]
    api_key: Option<String>,
}

fn main() {}
