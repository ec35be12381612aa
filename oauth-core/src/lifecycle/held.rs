use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::Token;
use crate::lifecycle::moment::{Moment, nanos};
use crate::lifecycle::policy::RefreshPolicy;

/// The token a cache holds and the moments that govern it, fixed when it arrived.
#[derive(Debug)]
pub(crate) struct Held {
    pub(crate) token: Arc<Token>,
    /// The store's version of it; `None` until stored.
    pub(crate) version: Option<u64>,
    /// The last moment it may be handed out; `None` when it never expires.
    pub(crate) usable_until: Option<Moment>,
    /// When renewal starts; `None` when it never expires.
    pub(crate) refresh_at: Option<Moment>,
    pub(crate) invalidated: bool,
}

/// What a clock-driven cache must subtract besides the policy's margin: how
/// far its clock may lag real time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arrival {
    pub(crate) now: Moment,
    pub(crate) wall: SystemTime,
    pub(crate) clock_lag: Duration,
}

impl Held {
    /// Holds `token`, converting its wall-clock expiry to moments on the driver's clock.
    pub(crate) fn new(
        token: Arc<Token>,
        version: Option<u64>,
        policy: &RefreshPolicy,
        arrival: Arrival,
        rng: &mut fastrand::Rng,
    ) -> Self {
        let remaining = token.expires_at().map(|expires_at| {
            expires_at
                .duration_since(arrival.wall)
                .unwrap_or(Duration::ZERO)
        });
        let (usable_until, refresh_at) = match remaining {
            None => (None, None),
            Some(remaining) => {
                let margin = policy.expiry_margin.min(remaining / 4) + arrival.clock_lag;
                let usable_for = remaining.saturating_sub(margin);
                let ahead = policy.refresh_ahead.min(usable_for / 2);
                let jitter_span = policy.jitter.min(usable_for / 10);
                let jitter = Duration::from_nanos(rng.u64(0..=nanos(jitter_span)));
                let refresh_in = usable_for.saturating_sub(ahead).saturating_sub(jitter);
                (
                    Some(arrival.now + usable_for),
                    Some(arrival.now + refresh_in),
                )
            }
        };
        Self {
            token,
            version,
            usable_until,
            refresh_at,
            invalidated: false,
        }
    }

    /// Whether it may be handed out at `now`.
    pub(crate) fn usable(&self, now: Moment) -> bool {
        !self.invalidated && self.usable_until.is_none_or(|until| now < until)
    }

    /// Whether its renewal is due at `now`.
    pub(crate) fn due(&self, now: Moment) -> bool {
        self.refresh_at.is_some_and(|at| at <= now)
    }
}
