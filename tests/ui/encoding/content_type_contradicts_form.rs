//! A form body cannot be labelled as JSON; use body = "json".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = "form", content_type = "application/json")]
struct Acme {
    client_id: String,
}

fn main() {}
