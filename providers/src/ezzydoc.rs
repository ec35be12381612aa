use oauth_core::{Secret, TokenEndpoint};

/// EzzyDoc (EzzyBills "EzzyRest"): `POST https://app.ezzydoc.com/EzzyService.svc/Rest/oauth/token`.
///
/// - Request: a JSON body with `client_id`, `client_secret` and `grant_type`
///   (`client_credentials` unless set with [`with_grant_type`](Self::with_grant_type)).
/// - Success: `{"service_status": {...}, "token": "<JWT>"}`, served as
///   `application/json`, `text/json` or `text/plain`. The token is under `token`,
///   and its lifetime is the JWT's `exp` claim (the body gives none). There is no refresh.
/// - Failure: a 200 whose `service_status.status` is not 0 is a
///   [`ReportedFailure`](oauth_core::Error::ReportedFailure) whose code is the status
///   name (`FAILED`, `NO_MORE_INVOICES`, `NOT_PERMITTED`) and whose description is
///   `service_status.message`; 400 and 500 come without a documented body.
///
/// ```
/// use oauth_providers::EzzyDoc;
///
/// let ezzydoc = EzzyDoc::new("my-client-id", "my-client-secret");
/// ```
#[derive(Clone, Debug, TokenEndpoint)]
#[token(
    name = "ezzydoc",
    base_url = "https://app.ezzydoc.com/EzzyService.svc/Rest",
    path = "/oauth/token",
    body = "json",
    response(access_token = "token", expiry_from_jwt),
    success(
        field = "service_status.status",
        equals = 0,
        message = "service_status.message",
        codes = ["OK", "FAILED", "NO_MORE_INVOICES", "NOT_PERMITTED"],
    )
)]
pub struct EzzyDoc {
    /// The client id EzzyBills issued.
    client_id: String,
    /// The client secret EzzyBills issued.
    #[token(secret)]
    client_secret: Secret,
    /// The grant type; EzzyDoc expects client_credentials.
    #[token(default = "client_credentials")]
    grant_type: String,
}
