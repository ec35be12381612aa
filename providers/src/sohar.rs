use oauth_core::{Secret, TokenEndpoint};

/// Sohar Health: `POST https://api.soharhealth.com/oauth/token`.
///
/// - Request: a JSON body with `client_id` and `client_secret`, and no grant type.
///   Sandbox or production is decided by the credentials, not the URL.
/// - Success: `access_token`, `token_type` (`Bearer`), `expires_in` as a JSON
///   number (`3600` or `3600.0`). There is no refresh token.
/// - Failure: 400 and 401 with `{"error": "invalid_request_error"}`, and 500.
///
/// ```
/// use oauth_providers::Sohar;
///
/// let sohar = Sohar::new("client-id", "client-secret");
/// ```
#[derive(Clone, Debug, TokenEndpoint)]
#[token(
    name = "sohar",
    base_url = "https://api.soharhealth.com",
    path = "/oauth/token",
    body = "json"
)]
pub struct Sohar {
    /// Your application's client ID.
    client_id: String,
    /// Your application's client secret.
    #[token(secret)]
    client_secret: Secret,
}
