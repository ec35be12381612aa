//! `content_type` is a media type, type/subtype: content_type = "application/json", not "json".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = "json", content_type = "json")]
struct Acme {
    client_id: String,
}

fn main() {}
