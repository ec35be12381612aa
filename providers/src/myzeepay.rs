use oauth_core::{Secret, TokenEndpoint};

/// MyZeePay (Zeepay): `POST {server}/oauth/token`, resource owner password grant.
///
/// - Request: a form body with `client_id`, `client_secret`, `username`,
///   `password` and `grant_type=password`, all required.
/// - Success: `token_type`, `expires_in` (seconds), `access_token`, `refresh_token`.
/// - Failure: 400 with `{"error": <int>, "message": "..."}`, read into the
///   error's code and description.
/// - Refresh: the standard refresh grant on the same endpoint (`grant_type=refresh_token`,
///   with `client_id` and `client_secret`); the lifetime and refresh behaviour are
///   not documented beyond the response fields.
///
/// The server defaults to [production](Self::PRODUCTION); the documented
/// [test](Self::TEST) and [sandbox](Self::SANDBOX) servers are a setter away.
///
/// ```
/// use oauth_providers::MyZeePay;
///
/// let myzeepay = MyZeePay::new("client-id", "client-secret", "me@example.com", "password")
///     .with_server(MyZeePay::SANDBOX);
/// ```
#[derive(Clone, Debug, TokenEndpoint)]
#[token(
    name = "myzeepay",
    base_url = "{server}",
    path = "/oauth/token",
    body = "form",
    param(grant_type = "password"),
    error(code = "error", description = "message"),
    refresh(grant, send = ["client_id", "client_secret"])
)]
pub struct MyZeePay {
    /// The client ID provided after onboarding.
    client_id: String,
    /// The client secret provided after onboarding.
    #[token(secret)]
    client_secret: Secret,
    /// The email used to create the account.
    username: String,
    /// The password for authentication.
    #[token(secret)]
    password: Secret,
    /// The server: production, test or business sandbox.
    #[token(url, default = "https://shop.digitaltermination.com")]
    server: String,
}

impl MyZeePay {
    /// The production server.
    pub const PRODUCTION: &'static str = "https://shop.digitaltermination.com";
    /// The test server.
    pub const TEST: &'static str = "https://test.digitaltermination.com";
    /// The business sandbox server.
    pub const SANDBOX: &'static str = "https://business-sandbox.instntmny.com";
}
