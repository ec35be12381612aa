use std::time::Duration;

use crate::Error;
use crate::lifecycle::moment::Moment;
use crate::lifecycle::policy::RefreshPolicy;

/// Consecutive failures and the moment before which no request may start.
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    pub(crate) failures: u32,
    pub(crate) not_before: Option<Moment>,
    /// Whether `not_before` is the provider's `Retry-After` rather than our own backoff.
    pub(crate) by_retry_after: bool,
    pub(crate) last_error: Option<Error>,
}

impl Backoff {
    /// Whether a request may start at `now`.
    pub(crate) fn open(&self, now: Moment) -> bool {
        self.not_before.is_none_or(|not_before| not_before <= now)
    }

    /// Records a failed request at `now`; returns how long until the next may start.
    pub(crate) fn fail(
        &mut self,
        error: Error,
        policy: &RefreshPolicy,
        now: Moment,
        rng: &mut fastrand::Rng,
    ) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let backoff = policy.backoff(self.failures, rng);
        let retry_after = error
            .provider_error()
            .and_then(|error| error.retry_after)
            .map(|delay| delay.min(policy.max_retry_after));
        let wait = retry_after.unwrap_or_default().max(backoff);
        self.by_retry_after = retry_after.is_some_and(|delay| delay > backoff);
        self.not_before = (!wait.is_zero()).then(|| now + wait);
        self.last_error = Some(error);
        wait
    }

    /// Forgets every failure: after a success, or when the caller says so.
    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }
}
