//! What the lifecycle reports: `tracing` events and, with the `metrics`
//! feature, metrics. Fields and labels name the provider, the request kind and
//! the outcome; never a token, a credential or a body.

use std::time::Duration;

use crate::lifecycle::moment::Moment;
use crate::lifecycle::state::{Decision, Lifecycle};
use crate::store::StoreError;
use crate::{Error, RequestKind, Token};

fn kind_label(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Refresh => "refresh",
        _ => "token",
    }
}

/// The metrics a cache counts on every call, registered once: the hot path
/// only increments. Without the `metrics` feature they are nothing.
#[derive(Debug)]
pub(crate) struct CallCounters {
    #[cfg(feature = "metrics")]
    hits: metrics::Counter,
    #[cfg(feature = "metrics")]
    misses: metrics::Counter,
    #[cfg(feature = "metrics")]
    stale_serves: metrics::Counter,
}

impl CallCounters {
    pub(crate) fn new(provider: &'static str) -> Self {
        #[cfg(not(feature = "metrics"))]
        let _ = provider;
        Self {
            #[cfg(feature = "metrics")]
            hits: metrics::counter!("oauth_token_cache_hits_total", "provider" => provider),
            #[cfg(feature = "metrics")]
            misses: metrics::counter!("oauth_token_cache_misses_total", "provider" => provider),
            #[cfg(feature = "metrics")]
            stale_serves: metrics::counter!("oauth_token_stale_serves_total", "provider" => provider),
        }
    }

    /// A caller took the held token without asking; `stale` if its renewal is failing.
    #[inline]
    pub(crate) fn hit(&self, stale: bool) {
        #[cfg(feature = "metrics")]
        {
            self.hits.increment(1);
            if stale {
                self.stale_serves.increment(1);
            }
        }
        #[cfg(not(feature = "metrics"))]
        let _ = stale;
    }

    /// What a caller's first decision was: served (a hit) or made to wait for a renewal (a miss).
    pub(crate) fn decided(&self, decision: &Decision) {
        #[cfg(feature = "metrics")]
        match decision {
            Decision::Serve(_) | Decision::ServeAndRenew(..) => self.hits.increment(1),
            Decision::Start(_) | Decision::Join(_) => self.misses.increment(1),
            Decision::Fail(_) => {}
        }
        #[cfg(not(feature = "metrics"))]
        let _ = decision;
    }
}

pub(crate) fn renewal_started(provider: &'static str, background: bool) {
    tracing::debug!(provider, background, "token renewal started");
}

/// The token the cache now holds: when it expires is a gauge a dashboard subtracts the time from.
pub(crate) fn holding(provider: &'static str, token: &Token) {
    #[cfg(feature = "metrics")]
    if let Some(expires_at) = token.expires_at() {
        let seconds = expires_at
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        metrics::gauge!("oauth_token_expiry_timestamp_seconds", "provider" => provider)
            .set(seconds);
    }
    #[cfg(not(feature = "metrics"))]
    let _ = (provider, token);
}

pub(crate) fn request_succeeded(
    provider: &'static str,
    kind: RequestKind,
    token: &Token,
    took: Duration,
) {
    let expires_in = token.expires_in();
    tracing::debug!(
        provider,
        request = kind_label(kind),
        expires_in_secs = expires_in.map(|lifetime| lifetime.as_secs()),
        took_ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        "token renewal succeeded"
    );
    #[cfg(feature = "metrics")]
    {
        request_done(provider, kind, "success", took);
        metrics::counter!("oauth_token_renewals_total", "provider" => provider).increment(1);
    }
}

pub(crate) fn request_failed(
    provider: &'static str,
    kind: RequestKind,
    error: &Error,
    took: Duration,
    wait: Duration,
    by_retry_after: bool,
) {
    tracing::warn!(
        provider,
        request = kind_label(kind),
        error = %error,
        retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        retry_after = by_retry_after,
        "token renewal failed"
    );
    #[cfg(feature = "metrics")]
    request_done(provider, kind, "failure", took);
    #[cfg(not(feature = "metrics"))]
    let _ = took;
}

pub(crate) fn refresh_refused(provider: &'static str, error: &Error, took: Duration) {
    tracing::info!(provider, error = %error, "refresh token refused; requesting a new token");
    #[cfg(feature = "metrics")]
    request_done(provider, RequestKind::Refresh, "refused", took);
    #[cfg(not(feature = "metrics"))]
    let _ = took;
}

/// One request to the provider, counted and timed by kind and outcome.
#[cfg(feature = "metrics")]
fn request_done(provider: &'static str, kind: RequestKind, outcome: &'static str, took: Duration) {
    let kind = kind_label(kind);
    metrics::counter!("oauth_token_requests_total", "provider" => provider, "kind" => kind, "outcome" => outcome).increment(1);
    metrics::histogram!("oauth_token_request_duration_seconds", "provider" => provider, "kind" => kind, "outcome" => outcome).record(took.as_secs_f64());
}

pub(crate) fn refused_while_waiting(lifecycle: &Lifecycle, now: Moment) {
    let wait_ms = lifecycle
        .backoff
        .not_before
        .map(|until| until.saturating_duration_since(now).as_millis());
    let cause = if lifecycle.backoff.by_retry_after {
        tracing::debug!(
            provider = lifecycle.provider,
            wait_ms,
            "blocked by the provider's Retry-After"
        );
        "retry_after"
    } else {
        tracing::debug!(
            provider = lifecycle.provider,
            wait_ms,
            "backing off after failures"
        );
        "backoff"
    };
    #[cfg(feature = "metrics")]
    metrics::counter!("oauth_token_backoff_refusals_total", "provider" => lifecycle.provider, "cause" => cause).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = cause;
}

/// A caller was handed the held token past its renewal time, renewals failing;
/// one that took it without asking is counted by [`CallCounters::hit`].
pub(crate) fn stale_serve(provider: &'static str) {
    tracing::warn!(
        provider,
        "serving a still-valid token while its renewal fails"
    );
    #[cfg(feature = "metrics")]
    metrics::counter!("oauth_token_stale_serves_total", "provider" => provider).increment(1);
}

pub(crate) fn adopted(provider: &'static str) {
    tracing::debug!(provider, "adopted a token renewed elsewhere");
}

pub(crate) fn abandoned(provider: &'static str) {
    tracing::warn!(provider, "token renewal abandoned (its task was dropped)");
}

pub(crate) fn store_failed(provider: &'static str, operation: &'static str, error: &StoreError) {
    if error.is_reported() {
        tracing::debug!(provider, operation, error = %error, "token store failed; carrying on without it");
    } else {
        tracing::warn!(provider, operation, error = %error, "token store failed; carrying on without it");
    }
}
