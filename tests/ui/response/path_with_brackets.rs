//! A response path indexes an array with a dot: "errors.0.code", not "errors[0].code".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", error(code = "errors[0].code"))]
struct Acme {
    client_id: String,
}

fn main() {}
