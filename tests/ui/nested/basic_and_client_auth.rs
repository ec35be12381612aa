//! basic(...) and client_auth = "basic" both set Authorization; keep basic(...).
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://api.example.com", path = "/login", client_auth = "basic")]
#[token(basic(user = "client_id", password = "client_secret", encoding = "form"))]
struct Acme {
    client_id: String,
    client_secret: Secret,
}

fn main() {}
