//! Content negotiation in front of an emulator, as a server offering several
//! representations does when `text/plain` comes first in its list (EzzyDoc's
//! published description lists it).

use crate::ReceivedRequest;
use crate::reply::Reply;
use crate::server::Endpoint;

/// An endpoint that answers a request not asking for JSON with the framework's
/// `text/plain` rendering of its response object, which is no token response at all.
pub(crate) struct Negotiated(pub(crate) Box<dyn Endpoint>);

impl Endpoint for Negotiated {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        if asks_for_json(request) {
            self.0.answer(request)
        } else {
            Reply::raw(
                200,
                String::from("Sandbox.Models.TokenResponse"),
                "text/plain; charset=utf-8",
            )
        }
    }
}

fn asks_for_json(request: &ReceivedRequest) -> bool {
    request.header("accept").is_some_and(|accept| {
        accept.split(',').any(|range| {
            let media = range.split(';').next().unwrap_or_default().trim();
            media.eq_ignore_ascii_case("application/json")
        })
    })
}
