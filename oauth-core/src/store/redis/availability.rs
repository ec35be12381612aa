//! Whether Redis is worth asking: after a failure it is left alone for a while,
//! so an outage costs callers one timeout per probe, not one per call, and the
//! warning is given at most once per interval. Pure: the time is an input.

use std::time::{Duration, Instant};

/// The first pause after a failure, doubled on every failed probe up to [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(250);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);

/// Redis as the store last found it.
#[derive(Debug, Default)]
pub(crate) struct Availability {
    /// Consecutive failures; zero while Redis answers.
    failures: u32,
    /// Until when Redis is not asked.
    paused_until: Option<Instant>,
    /// When the last warning was given.
    warned_at: Option<Instant>,
}

/// What the caller should say after a failure.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Report {
    /// Warn: the first failure, or the first since the interval passed.
    Warn,
    /// Stay quiet: a warning was given less than an interval ago.
    Quiet,
}

impl Availability {
    /// Whether to ask Redis now: always while it answers, once per pause while it does not.
    pub(crate) fn should_try(&self, now: Instant) -> bool {
        self.paused_until.is_none_or(|until| now >= until)
    }

    /// Whether the last exchange succeeded (or none has been tried).
    pub(crate) fn is_up(&self) -> bool {
        self.failures == 0
    }

    /// Records a failed command or connection, pausing before the next try.
    pub(crate) fn failed(&mut self, now: Instant, warn_interval: Duration) -> Report {
        self.failures = self.failures.saturating_add(1);
        let doublings = self.failures.saturating_sub(1).min(8);
        let pause = FIRST_PAUSE
            .saturating_mul(1 << doublings)
            .min(LONGEST_PAUSE);
        self.paused_until = Some(now + pause);
        let due = self
            .warned_at
            .is_none_or(|at| now.saturating_duration_since(at) >= warn_interval);
        if due {
            self.warned_at = Some(now);
            Report::Warn
        } else {
            Report::Quiet
        }
    }

    /// Records an answer; `true` when it ends an outage (worth one line in the log).
    pub(crate) fn answered(&mut self) -> bool {
        let recovered = self.failures > 0;
        self.failures = 0;
        self.paused_until = None;
        recovered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_pauses_the_store_and_backs_off() {
        let start = Instant::now();
        let mut availability = Availability::default();
        assert!(availability.should_try(start));
        availability.failed(start, Duration::from_secs(60));
        assert!(!availability.should_try(start + Duration::from_millis(249)));
        assert!(availability.should_try(start + FIRST_PAUSE));
        let later = start + FIRST_PAUSE;
        availability.failed(later, Duration::from_secs(60));
        assert!(!availability.should_try(later + FIRST_PAUSE));
        assert!(availability.should_try(later + FIRST_PAUSE * 2));
        for _ in 0..20 {
            availability.failed(later, Duration::from_secs(60));
        }
        assert!(availability.should_try(later + LONGEST_PAUSE));
    }

    #[test]
    fn warns_once_per_interval() {
        let start = Instant::now();
        let interval = Duration::from_secs(60);
        let mut availability = Availability::default();
        assert_eq!(availability.failed(start, interval), Report::Warn);
        assert_eq!(
            availability.failed(start + Duration::from_secs(59), interval),
            Report::Quiet
        );
        assert_eq!(
            availability.failed(start + interval, interval),
            Report::Warn
        );
    }

    #[test]
    fn an_answer_ends_the_outage_once() {
        let start = Instant::now();
        let mut availability = Availability::default();
        assert!(!availability.answered());
        availability.failed(start, Duration::from_secs(60));
        assert!(availability.answered());
        assert!(availability.should_try(start));
        assert!(!availability.answered());
    }
}
