//! A nested body path needs a JSON body: body = "json".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token")]
struct Acme {
    #[token(at = "auth.user.name")]
    user: String,
}

fn main() {}
