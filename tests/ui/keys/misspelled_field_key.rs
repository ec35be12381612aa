//! A misspelled field key gets the nearest valid one as a suggestion.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    #[token(secrte)]
    client_secret: Secret,
}

fn main() {}
