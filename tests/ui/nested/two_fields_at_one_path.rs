//! Two fields cannot fill one body path; give each its own.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://id.example.com", path = "/v3/auth/tokens", body = "json")]
struct Acme {
    #[token(at = "auth.user.name")]
    user: String,
    #[token(at = "auth.user.name")]
    login: String,
}

fn main() {}
