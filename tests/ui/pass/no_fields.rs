//! A provider with no fields of its own, only constants: `struct Name {}`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/anonymous", body = "json", param(kind = "guest"))]
struct Guest {}

fn main() {}
