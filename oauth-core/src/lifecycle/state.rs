use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::lifecycle::backoff::Backoff;
use crate::lifecycle::flight::Flight;
use crate::lifecycle::held::{Arrival, Held};
use crate::lifecycle::moment::Moment;
use crate::lifecycle::observe;
use crate::lifecycle::policy::RefreshPolicy;
use crate::store::Lease;
use crate::{Error, Token};

/// Names one renewal, so its waiters can ask for its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlightId(pub(crate) u64);

/// What a caller asking for a token does.
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum Decision {
    /// Hand out this token.
    Serve(Arc<Token>),
    /// Hand out this token and run this renewal in the background.
    ServeAndRenew(Arc<Token>, FlightId),
    /// No usable token: run this renewal and wait for it.
    Start(FlightId),
    /// No usable token and a renewal is running: wait for it, then decide again
    /// passing its id.
    Join(FlightId),
    /// No usable token and no request may start yet (backing off, or the
    /// provider's `Retry-After`): the last failure, shared.
    Fail(Error),
}

/// The token lifecycle of one cache: every decision, no I/O and no clock.
///
/// Drivers feed it the current [`Moment`] (and the wall clock where a token's
/// absolute expiry is converted) and run what it decides: see the
/// [module docs](crate::lifecycle).
#[derive(Debug)]
pub struct Lifecycle {
    pub(crate) provider: &'static str,
    pub(crate) policy: RefreshPolicy,
    pub(crate) clock_lag: Duration,
    pub(crate) rng: fastrand::Rng,
    pub(crate) held: Option<Held>,
    pub(crate) flight: Option<Flight>,
    pub(crate) next_flight: u64,
    pub(crate) backoff: Backoff,
    /// The last renewal that ended with a token or an error, for its waiters.
    pub(crate) last_outcome: Option<(FlightId, Result<Arc<Token>, Error>)>,
    /// Until when a background renewal waits for another holder of the store's lease.
    pub(crate) quiet_until: Option<Moment>,
    /// A lease a dropped renewal never gave back; the next renewal releases it first.
    pub(crate) orphan_lease: Option<Lease>,
}

impl Lifecycle {
    /// A lifecycle with no token, for `provider` (a name for logs and metrics).
    ///
    /// `clock_lag` is how far the driver's clock may trail real time (the
    /// resolution of a coarse clock); it is taken off every token's usable
    /// life. `seed` seeds the jitter, so a test can replay it.
    pub fn new(
        provider: &'static str,
        policy: RefreshPolicy,
        clock_lag: Duration,
        seed: u64,
    ) -> Self {
        Self {
            provider,
            policy,
            clock_lag,
            rng: fastrand::Rng::with_seed(seed),
            held: None,
            flight: None,
            next_flight: 0,
            backoff: Backoff::default(),
            last_outcome: None,
            quiet_until: None,
            orphan_lease: None,
        }
    }

    /// Holds `token` (obtained earlier, or read from a store at `version`) as if it arrived now.
    pub fn hold(&mut self, token: Arc<Token>, version: Option<u64>, now: Moment, wall: SystemTime) {
        observe::holding(self.provider, &token);
        self.held = Some(Held::new(
            token,
            version,
            &self.policy,
            self.arrival(now, wall),
            &mut self.rng,
        ));
    }

    pub(crate) fn arrival(&self, now: Moment, wall: SystemTime) -> Arrival {
        Arrival {
            now,
            wall,
            clock_lag: self.clock_lag,
        }
    }

    /// What a caller asking at `now` does; `joined` is the renewal it waited for, if any.
    pub fn decide(&mut self, now: Moment, joined: Option<FlightId>) -> Decision {
        if let Some(joined) = joined
            && let Some((finished, outcome)) = &self.last_outcome
            && *finished >= joined
        {
            return match outcome {
                Ok(token) => Decision::Serve(Arc::clone(token)),
                Err(error) => Decision::Fail(error.clone()),
            };
        }
        if let Some(decision) = self.decide_held(now) {
            return decision;
        }
        if let Some(flight) = &self.flight {
            return Decision::Join(flight.id);
        }
        if !self.backoff.open(now)
            && let Some(error) = &self.backoff.last_error
        {
            observe::refused_while_waiting(self, now);
            return Decision::Fail(error.clone());
        }
        Decision::Start(self.start(false))
    }

    /// The decision when a usable token is held: serve it, renewing in the
    /// background when due; `None` when no usable token is held. Never starts
    /// a renewal that callers would wait for, so a caller that cannot wait may call it.
    pub fn decide_held(&mut self, now: Moment) -> Option<Decision> {
        let held = self.held.as_ref().filter(|held| held.usable(now))?;
        let token = Arc::clone(&held.token);
        if !held.due(now) {
            return Some(Decision::Serve(token));
        }
        if self.backoff.failures > 0 {
            observe::stale_serve(self.provider);
        }
        let quiet = self.quiet_until.is_some_and(|until| now < until);
        if self.flight.is_some() || quiet || !self.backoff.open(now) {
            return Some(Decision::Serve(token));
        }
        Some(Decision::ServeAndRenew(token, self.start(true)))
    }

    fn start(&mut self, background: bool) -> FlightId {
        self.next_flight += 1;
        let id = FlightId(self.next_flight);
        self.flight = Some(Flight::new(id, background));
        id
    }

    /// Forgets the held token (only if it is `token`, when given), so the
    /// next caller renews, and lifts any backoff and `Retry-After`.
    pub fn invalidate(&mut self, token: Option<&Arc<Token>>) {
        let Some(held) = &mut self.held else {
            if token.is_none() {
                self.lift_waits();
            }
            return;
        };
        if token.is_none_or(|token| Arc::ptr_eq(token, &held.token)) {
            held.invalidated = true;
            self.lift_waits();
        }
    }

    fn lift_waits(&mut self) {
        self.backoff.reset();
        self.quiet_until = None;
    }

    /// The held token and the moment until which a caller may take it without
    /// asking (before renewal is due or a wait ends); `None` when no usable token is held.
    pub fn hot(&self, now: Moment) -> Option<(Arc<Token>, Moment)> {
        let held = self.held.as_ref().filter(|held| held.usable(now))?;
        let mut until = held.usable_until.unwrap_or(Moment::NEVER);
        if self.flight.is_none()
            && let Some(refresh_at) = held.refresh_at
        {
            let waits = [self.backoff.not_before, self.quiet_until];
            let act_at = waits.into_iter().flatten().fold(refresh_at, Moment::max);
            until = until.min(act_at);
        }
        Some((Arc::clone(&held.token), until))
    }

    /// Whether the held token, still usable, is handed out past its renewal
    /// time because renewals have been failing.
    pub fn serves_stale(&self, now: Moment) -> bool {
        self.backoff.failures > 0
            && self
                .held
                .as_ref()
                .is_some_and(|held| held.usable(now) && held.due(now))
    }

    /// The held token, usable or not.
    pub fn held(&self) -> Option<&Arc<Token>> {
        self.held.as_ref().map(|held| &held.token)
    }

    /// Whether a renewal is running.
    pub fn in_flight(&self) -> bool {
        self.flight.is_some()
    }

    /// The failure that requests wait out, and until when, if any.
    pub fn waiting(&self) -> Option<(&Error, Moment)> {
        Some((self.backoff.last_error.as_ref()?, self.backoff.not_before?))
    }
}
