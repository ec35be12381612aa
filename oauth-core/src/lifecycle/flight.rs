use std::sync::Arc;
use std::time::SystemTime;

use crate::lifecycle::held::Held;
use crate::lifecycle::moment::Moment;
use crate::lifecycle::observe;
use crate::lifecycle::state::{FlightId, Lifecycle};
use crate::store::{Lease, StoreError, StoredToken, Swap};
use crate::{Error, RequestKind, Token};

/// The I/O a driver performs next for a renewal, then reports as an [`Event`].
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum Step {
    /// Take the store's renewal lease for this long; report [`Event::LeaseAcquired`].
    AcquireLease(std::time::Duration),
    /// Give a lease back; report [`Event::LeaseReleased`].
    ReleaseLease(Lease),
    /// Sleep this long (another holder is renewing); report [`Event::Waited`].
    Wait(std::time::Duration),
    /// Read the store; report [`Event::Loaded`].
    Load,
    /// Send this request to the provider; report [`Event::Sent`].
    Send(Renewal),
    /// Call the `on_token` hook with the new token, then compare-and-set it in
    /// the store; report [`Event::Saved`].
    Save {
        /// The version the renewal started from.
        expected: Option<u64>,
        /// The new token.
        token: Arc<Token>,
    },
    /// The renewal is over: wake its waiters and publish the held token.
    Done,
}

/// Which request renews the token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Renewal {
    /// The provider's token request.
    Fetch,
    /// The provider's refresh request, renewing this token: with its refresh
    /// token, proving the DPoP key it is bound to, if any.
    Refresh(Arc<Token>),
}

/// What happened when the driver performed a [`Step`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The renewal starts (after [`Decision::Start`](crate::lifecycle::Decision::Start)
    /// or [`Decision::ServeAndRenew`](crate::lifecycle::Decision::ServeAndRenew)).
    Begin,
    /// The lease, `Ok(None)` if another holder has it.
    LeaseAcquired(Result<Option<Lease>, StoreError>),
    /// The lease was given back.
    LeaseReleased(Result<(), StoreError>),
    /// The wait is over.
    Waited,
    /// What the store holds.
    Loaded(Result<Option<StoredToken>, StoreError>),
    /// The provider's answer; `Ok(None)` when it declares no refresh request.
    Sent(Result<Option<Token>, Error>),
    /// What the compare-and-set did.
    Saved(Result<Swap, StoreError>),
}

/// A renewal in progress.
#[derive(Debug)]
pub(crate) struct Flight {
    pub(crate) id: FlightId,
    background: bool,
    lease: Option<Lease>,
    /// When the lease was first found taken, while this renewal waits for its holder.
    busy_since: Option<Moment>,
    expected: Option<u64>,
    /// The token to renew with its refresh token; `None` for a full token request.
    renewing: Option<Arc<Token>>,
    sending: Option<RequestKind>,
    /// When the request in flight was sent.
    sent_at: Moment,
    finishing: bool,
    outcome: Option<Result<Arc<Token>, Error>>,
}

impl Flight {
    pub(crate) fn new(id: FlightId, background: bool) -> Self {
        Self {
            id,
            background,
            lease: None,
            busy_since: None,
            expected: None,
            renewing: None,
            sending: None,
            sent_at: Moment::ZERO,
            finishing: false,
            outcome: None,
        }
    }
}

impl Lifecycle {
    /// Advances renewal `id` with what the driver saw; returns what to do next.
    /// An id that is not the running renewal (one abandoned) gets [`Step::Done`].
    pub fn step(&mut self, id: FlightId, event: Event, now: Moment, wall: SystemTime) -> Step {
        let Some(mut flight) = self.flight.take_if(|flight| flight.id == id) else {
            return Step::Done;
        };
        let step = self.advance(&mut flight, event, now, wall);
        match step {
            Step::Done => {
                if let Some(outcome) = flight.outcome {
                    self.last_outcome = Some((flight.id, outcome));
                }
            }
            _ => self.flight = Some(flight),
        }
        step
    }

    /// Ends renewal `id` without an outcome, because its driver went away (a
    /// dropped future, a runtime shut down); the next caller starts another.
    pub fn abandon(&mut self, id: FlightId) {
        if let Some(flight) = self.flight.take_if(|flight| flight.id == id) {
            observe::abandoned(self.provider);
            self.orphan_lease = flight.lease;
        }
    }

    fn advance(
        &mut self,
        flight: &mut Flight,
        event: Event,
        now: Moment,
        wall: SystemTime,
    ) -> Step {
        match event {
            Event::Begin => {
                observe::renewal_started(self.provider, flight.background);
                match self.orphan_lease.take() {
                    Some(orphan) => Step::ReleaseLease(orphan),
                    None => Step::AcquireLease(self.policy.lease),
                }
            }
            Event::LeaseReleased(result) => {
                if let Err(error) = result {
                    observe::store_failed(self.provider, "release the lease", &error);
                }
                match flight.finishing {
                    true => Step::Done,
                    false => Step::AcquireLease(self.policy.lease),
                }
            }
            Event::LeaseAcquired(result) => self.lease_acquired(flight, result, now),
            Event::Waited => Step::Load,
            Event::Loaded(result) => self.loaded(flight, result, now, wall),
            Event::Sent(result) => self.sent(flight, result, now),
            Event::Saved(result) => self.saved(flight, result, now, wall),
        }
    }

    fn lease_acquired(
        &mut self,
        flight: &mut Flight,
        result: Result<Option<Lease>, StoreError>,
        now: Moment,
    ) -> Step {
        match result {
            Ok(Some(lease)) => flight.lease = Some(lease),
            Err(error) => observe::store_failed(self.provider, "take the lease", &error),
            Ok(None) if flight.background => {
                // Another holder renews; this token stays valid, so look again later.
                self.quiet_until = Some(now + self.policy.lease_poll);
                return Step::Done;
            }
            Ok(None) => {
                let since = *flight.busy_since.get_or_insert(now);
                if now.saturating_duration_since(since) < self.policy.lease_patience() {
                    return Step::Wait(self.policy.lease_poll);
                }
            }
        }
        Step::Load
    }

    fn loaded(
        &mut self,
        flight: &mut Flight,
        result: Result<Option<StoredToken>, StoreError>,
        now: Moment,
        wall: SystemTime,
    ) -> Step {
        let stored = result.unwrap_or_else(|error| {
            observe::store_failed(self.provider, "load the token", &error);
            None
        });
        if let Some(stored) = &stored
            && self.adopt(stored, now, wall)
        {
            observe::adopted(self.provider);
            flight.outcome = self.held.as_ref().map(|held| Ok(Arc::clone(&held.token)));
            return self.finish(flight);
        }
        let still_waiting = flight.busy_since.is_some_and(|since| {
            now.saturating_duration_since(since) < self.policy.lease_patience()
        });
        if flight.lease.is_none() && still_waiting {
            return Step::AcquireLease(self.policy.lease);
        }
        let held = self.held.as_ref();
        let held_version = held.and_then(|held| held.version);
        // The freshest token known carries the refresh token that has not been rotated away.
        let freshest = match &stored {
            Some(stored) if held_version.is_none_or(|version| stored.version() >= version) => {
                Some(stored.token())
            }
            _ => held.map(|held| &held.token),
        };
        flight.expected = stored.as_ref().map(StoredToken::version).or(held_version);
        flight.renewing = freshest
            .filter(|token| token.refresh_token().is_some())
            .cloned();
        self.send(flight, now)
    }

    fn send(&mut self, flight: &mut Flight, now: Moment) -> Step {
        flight.sent_at = now;
        let renewal = match &flight.renewing {
            Some(token) => Renewal::Refresh(Arc::clone(token)),
            None => Renewal::Fetch,
        };
        flight.sending = Some(match renewal {
            Renewal::Refresh(_) => RequestKind::Refresh,
            Renewal::Fetch => RequestKind::Token,
        });
        Step::Send(renewal)
    }

    fn sent(
        &mut self,
        flight: &mut Flight,
        result: Result<Option<Token>, Error>,
        now: Moment,
    ) -> Step {
        let kind = flight.sending.unwrap_or(RequestKind::Token);
        let took = now.saturating_duration_since(flight.sent_at);
        match result {
            Ok(Some(token)) => {
                observe::request_succeeded(self.provider, kind, &token, took);
                self.backoff.reset();
                let previous = flight.renewing.take();
                let previous = previous.as_ref().and_then(|token| token.refresh_token());
                let token = match (token.refresh_token(), previous) {
                    // RFC 6749 section 6: a refresh response may omit the refresh token, which stays valid.
                    (None, Some(previous)) if kind == RequestKind::Refresh => {
                        token.with_refresh_token(previous.clone())
                    }
                    _ => token,
                };
                let token = Arc::new(token);
                flight.outcome = Some(Ok(Arc::clone(&token)));
                Step::Save {
                    expected: flight.expected,
                    token,
                }
            }
            Ok(None) => {
                flight.renewing = None;
                self.send(flight, now)
            }
            Err(error) if kind == RequestKind::Refresh && refused(&error) => {
                observe::refresh_refused(self.provider, &error, took);
                flight.renewing = None;
                self.send(flight, now)
            }
            Err(error) => {
                let wait = self
                    .backoff
                    .fail(error.clone(), &self.policy, now, &mut self.rng);
                observe::request_failed(
                    self.provider,
                    kind,
                    &error,
                    took,
                    wait,
                    self.backoff.by_retry_after,
                );
                flight.outcome = Some(Err(error));
                self.finish(flight)
            }
        }
    }

    fn saved(
        &mut self,
        flight: &mut Flight,
        result: Result<Swap, StoreError>,
        now: Moment,
        wall: SystemTime,
    ) -> Step {
        let Some(Ok(token)) = flight.outcome.take() else {
            return self.finish(flight);
        };
        let version = match result {
            Ok(Swap::Stored { version }) => Some(version),
            Ok(Swap::Conflict(stored)) => {
                if self.adopt(&stored, now, wall) {
                    flight.outcome = self.held.as_ref().map(|held| Ok(Arc::clone(&held.token)));
                    return self.finish(flight);
                }
                None
            }
            Err(error) => {
                observe::store_failed(self.provider, "store the token", &error);
                None
            }
        };
        self.hold(Arc::clone(&token), version, now, wall);
        flight.outcome = Some(Ok(token));
        self.finish(flight)
    }

    /// Holds `stored` if it is usable and newer than the held token; says whether it did.
    fn adopt(&mut self, stored: &StoredToken, now: Moment, wall: SystemTime) -> bool {
        let newer = self.held.as_ref().is_none_or(|held| {
            held.version
                .is_none_or(|version| stored.version() > version)
                && held.token.access_token().expose_secret()
                    != stored.token().access_token().expose_secret()
        });
        if !newer {
            return false;
        }
        let arrival = self.arrival(now, wall);
        let candidate = Held::new(
            Arc::clone(stored.token()),
            Some(stored.version()),
            &self.policy,
            arrival,
            &mut self.rng,
        );
        let usable = candidate.usable(now);
        if usable {
            observe::holding(self.provider, &candidate.token);
            self.held = Some(candidate);
        }
        usable
    }

    fn finish(&mut self, flight: &mut Flight) -> Step {
        flight.finishing = true;
        match flight.lease.take() {
            Some(lease) => Step::ReleaseLease(lease),
            None => Step::Done,
        }
    }
}

/// Whether the provider refused the refresh token itself (so a full request
/// may succeed), rather than being unavailable (so waiting is the answer).
fn refused(error: &Error) -> bool {
    error.provider_error().is_some_and(|error| {
        let unavailable = error.retry_after.is_some()
            || error.status == http::StatusCode::TOO_MANY_REQUESTS
            || error.status.is_server_error();
        error.code.as_deref() == Some("invalid_grant") || !unavailable
    })
}
