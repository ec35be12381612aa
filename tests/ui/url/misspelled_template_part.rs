//! A misspelled `{part}` is one error, naming the field it most likely means.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://{tenat}.auth.example.com", path = "/token")]
struct Acme {
    #[token(url)]
    tenant: String,
}

fn main() {}
