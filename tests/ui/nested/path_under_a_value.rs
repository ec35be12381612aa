//! A body path cannot go inside another field's value: "auth.user" holds text, not an object.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/v3/auth/tokens", body = "json")]
struct Acme {
    #[token(at = "auth.user")]
    user: String,
    #[token(at = "auth.user.password")]
    password: Secret,
}

fn main() {}
