use std::time::Duration;

use crate::lifecycle::moment::nanos;

/// When a token cache renews its token, and how it waits after failures.
///
/// Renewal starts [`refresh_ahead`](Self::refresh_ahead) before the token's
/// usable life ends, up to [`jitter`](Self::jitter) earlier at random; the
/// usable life ends [`expiry_margin`](Self::expiry_margin) before the
/// provider's expiry. After a failed request the first retry may go at once;
/// then waits grow from the first [`retry_backoff`](Self::retry_backoff)
/// delay, doubling up to the longest, each stretched by up to half at random.
/// A provider's `Retry-After` is honoured up to [`max_retry_after`](Self::max_retry_after).
#[derive(Clone, Debug)]
#[must_use]
pub struct RefreshPolicy {
    pub(crate) refresh_ahead: Duration,
    pub(crate) jitter: Duration,
    pub(crate) expiry_margin: Duration,
    pub(crate) backoff_first: Duration,
    pub(crate) backoff_longest: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) lease: Duration,
    pub(crate) lease_poll: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            refresh_ahead: Duration::from_secs(5 * 60),
            jitter: Duration::from_secs(60),
            expiry_margin: Duration::from_secs(10),
            backoff_first: Duration::from_millis(100),
            backoff_longest: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(5 * 60),
            lease: Duration::from_secs(60),
            lease_poll: Duration::from_millis(250),
        }
    }
}

impl RefreshPolicy {
    /// Renew when this much of the lifetime remains (at most half the lifetime); default 5 minutes.
    pub fn refresh_ahead(mut self, margin: Duration) -> Self {
        self.refresh_ahead = margin;
        self
    }

    /// Renew up to this much earlier still, at random, so a fleet does not renew in step
    /// (at most a tenth of the lifetime); default 1 minute.
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Stop handing out a token this long before it expires, so it does not expire
    /// on its way to the server (at most a quarter of the lifetime); default 10 seconds.
    pub fn expiry_margin(mut self, margin: Duration) -> Self {
        self.expiry_margin = margin;
        self
    }

    /// The first and the longest wait between failed requests, doubling in
    /// between; defaults 100 ms (so a failing provider sees at most about ten
    /// requests a second) and 30 seconds.
    pub fn retry_backoff(mut self, first: Duration, longest: Duration) -> Self {
        self.backoff_first = first;
        self.backoff_longest = longest.max(first);
        self
    }

    /// The longest `Retry-After` honoured; a provider asking for more is
    /// retried after this long. Default 5 minutes.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// How long a renewal lease in a shared [`TokenStore`](crate::store::TokenStore)
    /// lasts: a holder that went silent delays the others by this long, after
    /// which one of them takes the lease; a cache waits two leases at most
    /// before renewing on its own. Default 1 minute.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long a renewal waits on other holders before renewing on its own:
    /// two leases, so that when a holder dies its lease runs out and the next
    /// holder has a whole lease to finish before the waiters give up on it.
    pub(crate) fn lease_patience(&self) -> Duration {
        self.lease.saturating_mul(2)
    }

    /// The wait before `failures` consecutive failed requests may be followed by another.
    pub(crate) fn backoff(&self, failures: u32, rng: &mut fastrand::Rng) -> Duration {
        // One retry at once: a transient error costs nothing.
        let Some(doublings) = failures.checked_sub(2) else {
            return Duration::ZERO;
        };
        let base = self
            .backoff_first
            .saturating_mul(1 << doublings.min(20))
            .min(self.backoff_longest);
        let stretch = Duration::from_nanos(rng.u64(0..=nanos(base) / 2));
        base + stretch
    }
}
