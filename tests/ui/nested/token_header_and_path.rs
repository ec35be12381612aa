//! The access token is read from one place: a body path or a header.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token")]
#[token(response(access_token = "token", access_token = header("X-Subject-Token")))]
struct Acme {
    user: String,
}

fn main() {}
