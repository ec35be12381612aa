//! A field goes to one place: a header or the query, not both.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(header = "x-account", query)]
    account: String,
}

fn main() {}
