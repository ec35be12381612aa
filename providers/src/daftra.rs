use oauth_core::{Secret, TokenEndpoint};

/// Daftra (ERP, API v2): `POST {subdomain}/api2/api2/oauth/token`, password grant.
///
/// - `subdomain` is the tenant's own origin, such as `https://acme.daftra.com`;
///   it must be a bare `https://` origin (no path, query or user info).
/// - Request: `Content-Type: text/plain` with a raw JSON body: `client_id`,
///   `client_secret`, `grant_type=password`, `username`, `password`.
/// - Success: `access_token`, `token_type`, `expires_in`, `refresh_token`.
/// - Failure: 401 for invalid credentials (no documented body).
/// - Refresh: `grant_type=refresh_token` on the same endpoint, raw JSON as
///   `text/plain` with `client_id`, `client_secret` and `refresh_token`.
///
/// The route is the published example's (`/api2/api2/oauth/token`), but tenants
/// differ (`/api2/v2/oauth/token`, `/v2/oauth/token`): replace the whole URL with
/// [`with_token_url`](oauth_core::TokenEndpoint::with_token_url) for such a tenant.
///
/// ```
/// use oauth_core::TokenEndpoint;
/// use oauth_providers::Daftra;
///
/// let daftra = Daftra::new("https://acme.daftra.com", "client-id", "client-secret", "me@acme.com", "password");
/// let elsewhere = daftra.clone().with_token_url("https://acme.daftra.com/v2/oauth/token")?;
/// # Ok::<(), oauth_core::Error>(())
/// ```
#[derive(Clone, Debug, TokenEndpoint)]
#[token(
    name = "daftra",
    base_url = "{subdomain}",
    path = "/api2/api2/oauth/token",
    body = "json",
    content_type = "text/plain",
    param(grant_type = "password"),
    refresh(grant, send = ["client_id", "client_secret"])
)]
pub struct Daftra {
    /// The tenant's origin, such as `https://acme.daftra.com`.
    #[token(url)]
    subdomain: String,
    /// The client id of the API application.
    client_id: String,
    /// The client secret of the API application.
    #[token(secret)]
    client_secret: Secret,
    /// The Daftra user's login.
    username: String,
    /// The Daftra user's password.
    #[token(secret)]
    password: Secret,
}
