//! A GET has no body; use body = "none" and parameters travel in the query.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", method = "GET", body = "json")]
struct Acme {
    client_id: String,
}

fn main() {}
