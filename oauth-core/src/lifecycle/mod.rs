//! The token lifecycle as a pure state machine: every decision a cache makes,
//! with no I/O, no async runtime and no clock.
//!
//! A driver (the async [`TokenCache`](crate::TokenCache), the
//! [`blocking::TokenCache`](crate::blocking::TokenCache)) asks
//! [`Lifecycle::decide`] what a caller does at a given [`Moment`]: serve the
//! held token, serve it and renew in the background, start a renewal and wait
//! for it, join the one running, or fail at once with the last error while
//! requests wait out a backoff or the provider's `Retry-After`. A renewal is a
//! sequence of [`Step`]s (take the store's lease, load, send, save, release)
//! that the driver performs and reports back as [`Event`]s with
//! [`Lifecycle::step`]; a driver that goes away mid-renewal says so with
//! [`Lifecycle::abandon`].
//!
//! What it guarantees, whatever the driver's timing:
//! - no token is served at or past its expiry less the
//!   [margin](RefreshPolicy::expiry_margin) (and the driver's clock lag);
//! - at most one renewal runs at a time;
//! - after a failure the first retry may go at once, then requests back off
//!   (100 ms doubling to 30 s by default, with jitter), and a `Retry-After`
//!   is honoured up to a cap, whether or not a token is held;
//! - a refresh the provider refuses (`invalid_grant`, 400, 401) falls back to
//!   a full token request; a 429 or 5xx backs off instead;
//! - [`invalidate`](Lifecycle::invalidate) lifts any backoff and `Retry-After`.

mod backoff;
mod flight;
mod held;
mod moment;
pub(crate) mod observe;
mod policy;
mod state;

pub use flight::{Event, Renewal, Step};
pub use moment::Moment;
pub use policy::RefreshPolicy;
pub use state::{Decision, FlightId, Lifecycle};

#[cfg(test)]
mod tests;
