//! A misspelled key gets the nearest valid one as a suggestion.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body_encodng = "json")]
struct Acme {
    client_id: String,
}

fn main() {}
