//! HTTP Basic client authentication, static headers, a declared response format and an absolute expiry.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "basic")]
#[token(header(accept = "application/json", user_agent = "acme-sync/1.0"))]
#[token(param(grant_type = "client_credentials"), response(format = "json", expires_at = "expires_on"))]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    scope: Option<String>,
}

fn main() {}
