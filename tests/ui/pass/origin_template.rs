//! A tenant's whole origin as the first template part (Daftra's `{{subdomain}}`).
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "{origin}/api", path = "/token", body = "json")]
struct SelfHosted {
    #[token(url)]
    origin: String,
    #[token(secret)]
    password: Secret,
}

fn main() {}
