//! A list is not a request parameter; join it into a String, or wrap it in a type of yours implementing `Param`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    scopes: Vec<String>,
}

fn main() {}
