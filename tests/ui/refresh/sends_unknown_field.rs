//! `send` names fields of the struct; check the spelling.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(grant, send = ["client_id", "secret"]))]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {}
