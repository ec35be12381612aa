//! Success conditions on a string or a boolean field, and a raw identifier as wire name.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://a.example.com", path = "/t", success(field = "result", equals = "ok", message = "reason"))]
struct Textual {
    r#type: String,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://b.example.com", path = "/t", success(field = "ok", equals = true, message = "error"))]
struct Slackish {
    code: String,
}

fn main() {}
