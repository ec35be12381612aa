//! A constant parameter and a field cannot share a name; drop one.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", param(grant_type = "password"))]
struct Acme {
    grant_type: String,
}

fn main() {}
