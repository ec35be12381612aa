//! Headers and the bearer token go with every refresh already; `send` lists body fields.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", refresh(path = "/refresh", send = ["api_key"]))]
struct Acme {
    #[token(bearer, secret)]
    api_key: Secret,
}

fn main() {}
