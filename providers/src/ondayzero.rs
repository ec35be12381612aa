use oauth_core::{Secret, TokenEndpoint};

/// OnDayZero (DayZero): `POST https://api.ondayzero.com/api/v1/oauth2/token`.
///
/// - Request: the endpoint itself is behind `Authorization: Bearer dz_...`
///   (an API token, living 1 to 365 days); the form body carries `user_email`,
///   and the `x-business-id` header carries the business id when set.
/// - Success: `access_token`, `expires_in` (both required), `token_type`
///   (Bearer when absent), and `refresh_token` and `scope`, which may be null.
/// - Failure: 422 with FastAPI's `{"detail": [{"loc": [...], "msg": ...}]}`,
///   read into a description such as `body.user_email: Field required`.
/// - Refresh: `POST /api/v1/oauth2/refresh` with the same headers and the JSON
///   body `{}`, answered with the same response shape.
///
/// ```
/// use oauth_providers::OnDayZero;
///
/// let ondayzero = OnDayZero::new("dz_api_token", "me@example.com")
///     .with_business_id("6f1c2b9e-8a4d-4f0e-9a57-3c2d1e0f4b6a");
/// ```
#[derive(Clone, Debug, TokenEndpoint)]
#[token(
    name = "ondayzero",
    base_url = "https://api.ondayzero.com",
    path = "/api/v1/oauth2/token",
    body = "form",
    error(description = "detail"),
    refresh(path = "/api/v1/oauth2/refresh", body = "json")
)]
pub struct OnDayZero {
    /// The API token (dz_...) that secures the token endpoint.
    #[token(bearer, secret)]
    api_token: Secret,
    /// The user's email address.
    user_email: String,
    /// The business id (a UUID), sent as x-business-id.
    #[token(header = "x-business-id")]
    business_id: Option<String>,
}
