//! An unknown key on a field; the message lists the accepted ones.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(hidden)]
    client_id: String,
}

fn main() {}
