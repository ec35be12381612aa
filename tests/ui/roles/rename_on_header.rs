//! A header's name is given by `header = "..."`, not by rename.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(header = "x-account", rename = "account")]
    account: String,
}

fn main() {}
