//! A dotted rename in a JSON body would send one key with dots in it; `at` nests the field.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/token", body = "json")]
struct Acme {
    #[token(rename = "auth.user.name")]
    user: String,
}

fn main() {}
