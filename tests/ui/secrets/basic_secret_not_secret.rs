//! With client_auth = "basic", `client_secret` is the client's credential: it cannot be not_secret.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "basic")]
struct Acme {
    client_id: String,
    #[token(not_secret)]
    client_secret: String,
}

fn main() {}
