//! Every container and field attribute in one provider, with what each does.
use oauth_core::{Secret, TokenEndpoint};

/// Every documented attribute at once.
#[derive(TokenEndpoint)]
#[token(
    name = "everything",
    base_url = "https://{tenant}.auth.example.com",
    path = "/oauth/token",
    method = "POST",
    body = "json",
    content_type = "text/plain",
    param(grant_type = "password", version = 2, trusted = true),
    response(
        access_token = "data.token",
        token_type = "data.kind",
        expires_in = "data.ttl",
        refresh_token = "data.refresh",
        scope = "data.scope",
        expiry_from_jwt
    ),
    success(field = "status", equals = 0, message = "detail", codes = ["OK", "FAILED"]),
    error(code = "status", description = "detail")
)]
pub struct Everything {
    #[token(url)]
    tenant: String,
    #[token(rename = "clientId")]
    client_id: String,
    #[token(secret, rename = "clientSecret")]
    client_secret: Secret,
    #[token(bearer, secret)]
    api_key: Secret,
    #[token(header = "X-Request-Source")]
    source: Option<String>,
    #[token(query)]
    account: u32,
    #[token(default = "en")]
    locale: String,
    scope: Option<String>,
}

fn main() {}
