//! The body encoding already sets Content-Type; declare `content_type` instead.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(header = "Content-Type")]
    media: String,
}

fn main() {}
