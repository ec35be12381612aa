//! What the lifecycle reports: `tracing` events and, with the `metrics`
//! feature, metrics. Fields and labels name the provider, the request kind and
//! the outcome; never a token, a credential or a body.

use std::time::Duration;

use crate::lifecycle::moment::Moment;
use crate::lifecycle::state::Lifecycle;
use crate::store::StoreError;
use crate::{Error, RequestKind, Token};

fn kind_label(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Refresh => "refresh",
        _ => "token",
    }
}

pub(crate) fn renewal_started(provider: &'static str, background: bool) {
    tracing::debug!(provider, background, "token renewal started");
}

pub(crate) fn request_succeeded(provider: &'static str, kind: RequestKind, token: &Token) {
    let expires_in = token.expires_in();
    tracing::debug!(
        provider,
        request = kind_label(kind),
        expires_in_secs = expires_in.map(|lifetime| lifetime.as_secs()),
        "token renewal succeeded"
    );
    #[cfg(feature = "metrics")]
    {
        metrics::counter!("oauth_token_requests_total", "provider" => provider, "kind" => kind_label(kind), "outcome" => "success").increment(1);
        metrics::counter!("oauth_token_renewals_total", "provider" => provider).increment(1);
        if let Some(expires_in) = expires_in {
            metrics::gauge!("oauth_token_seconds_until_expiry", "provider" => provider)
                .set(expires_in.as_secs_f64());
        }
    }
}

pub(crate) fn request_failed(
    provider: &'static str,
    kind: RequestKind,
    error: &Error,
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
    metrics::counter!("oauth_token_requests_total", "provider" => provider, "kind" => kind_label(kind), "outcome" => "failure").increment(1);
}

pub(crate) fn refresh_refused(provider: &'static str, error: &Error) {
    tracing::info!(provider, error = %error, "refresh token refused; requesting a new token");
    #[cfg(feature = "metrics")]
    metrics::counter!("oauth_token_requests_total", "provider" => provider, "kind" => "refresh", "outcome" => "refused").increment(1);
}

pub(crate) fn refused_while_waiting(lifecycle: &Lifecycle, now: Moment) {
    let wait_ms = lifecycle
        .backoff
        .not_before
        .map(|until| until.saturating_duration_since(now).as_millis());
    if lifecycle.backoff.by_retry_after {
        tracing::debug!(
            provider = lifecycle.provider,
            wait_ms,
            "blocked by the provider's Retry-After"
        );
    } else {
        tracing::debug!(
            provider = lifecycle.provider,
            wait_ms,
            "backing off after failures"
        );
    }
}

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
