//! A JSON body cannot be labelled as form data.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    body = "json",
    content_type = "application/x-www-form-urlencoded"
)]
struct Acme {
    client_id: String,
}

fn main() {}
