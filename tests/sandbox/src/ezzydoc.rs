//! EzzyDoc: JSON in; a 200 whose `service_status` says whether it worked.
//!
//! Wrong credentials give status 1 (FAILED), a grant type other than
//! `client_credentials` status 3 (NOT_PERMITTED); a body that is not JSON,
//! or JSON sent under another content type, a bare 400.

use std::time::Duration;

use serde_json::json;

use crate::credentials::{CLIENT_ID, CLIENT_SECRET};
use crate::reply::Reply;
use crate::request::text;
use crate::server::{Endpoint, Routes};
use crate::{EZZYDOC_PREFIX, ReceivedRequest, tokens};

/// EzzyDoc's tokens live about a year.
const LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

pub(crate) fn routes() -> Routes {
    vec![(
        format!("{EZZYDOC_PREFIX}/oauth/token"),
        Box::new(TokenEndpoint),
    )]
}

struct TokenEndpoint;

impl Endpoint for TokenEndpoint {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        let accepted = request.media_type().is_some_and(|media| {
            media == "application/json"
                || media == "text/json"
                || (media.starts_with("application/") && media.ends_with("+json"))
        });
        let Some(body) = request.json_object().filter(|_| accepted) else {
            return Reply::status(400);
        };
        let (status, message) = if text(&body, "client_id") != Some(CLIENT_ID)
            || text(&body, "client_secret") != Some(CLIENT_SECRET)
        {
            (1, "Invalid client credentials.")
        } else if text(&body, "grant_type") != Some("client_credentials") {
            (3, "This grant type is not permitted.")
        } else {
            (0, "Success")
        };
        let token = if status == 0 {
            tokens::jwt(CLIENT_ID, LIFETIME)
        } else {
            String::new()
        };
        let response = json!({
            "service_status": {"invoice_id": 0, "message": message, "status": status},
            "token": token,
        });
        Reply::raw(200, response.to_string(), "application/json; charset=utf-8")
    }
}
