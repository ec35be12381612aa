//! A token's remaining lifetime, in the form people read.

use std::fmt;
use std::time::Duration;

/// How long a token stays valid, in whole seconds; displays as `59m 58s`, `364d 23h`.
///
/// ```
/// use std::time::Duration;
/// use oauth_core::Lifetime;
///
/// assert_eq!(Lifetime::from(Duration::from_millis(3_598_900)).to_string(), "59m 58s");
/// assert_eq!(Lifetime::from(Duration::from_secs(90_000)).to_string(), "1d 1h");
/// assert_eq!(Lifetime::from(Duration::ZERO).to_string(), "0s");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lifetime {
    seconds: u64,
}

impl Lifetime {
    /// The lifetime as a `Duration` of whole seconds.
    pub fn as_duration(self) -> Duration {
        Duration::from_secs(self.seconds)
    }

    /// The lifetime in whole seconds.
    pub fn as_secs(self) -> u64 {
        self.seconds
    }
}

impl From<Duration> for Lifetime {
    /// Drops the fraction of a second: a token is never shown as living longer than it does.
    fn from(duration: Duration) -> Self {
        Self {
            seconds: duration.as_secs(),
        }
    }
}

impl From<Lifetime> for Duration {
    fn from(lifetime: Lifetime) -> Self {
        lifetime.as_duration()
    }
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0s");
        }
        let units = [
            (self.seconds / 86_400, "d"),
            (self.seconds / 3600 % 24, "h"),
            (self.seconds / 60 % 60, "m"),
            (self.seconds % 60, "s"),
        ];
        let mut separator = "";
        for (count, unit) in units.into_iter().filter(|(count, _)| *count > 0) {
            write!(f, "{separator}{count}{unit}")?;
            separator = " ";
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(seconds: u64) -> String {
        Lifetime::from(Duration::from_secs(seconds)).to_string()
    }

    #[test]
    fn zero_parts_are_left_out() {
        assert_eq!(shown(59), "59s");
        assert_eq!(shown(60), "1m");
        assert_eq!(shown(3600), "1h");
        assert_eq!(shown(3661), "1h 1m 1s");
        assert_eq!(shown(86_400 + 1), "1d 1s");
        assert_eq!(shown(365 * 86_400), "365d");
        assert_eq!(shown(365 * 86_400 - 1), "364d 23h 59m 59s");
    }

    #[test]
    fn fractions_of_a_second_are_dropped() {
        let lifetime = Lifetime::from(Duration::from_millis(3_599_999));
        assert_eq!(lifetime.to_string(), "59m 59s");
        assert_eq!(lifetime.as_duration(), Duration::from_secs(3599));
    }

    #[test]
    fn the_longest_duration_displays() {
        assert_eq!(
            Lifetime::from(Duration::MAX).to_string(),
            "213503982334601d 7h 15s"
        );
    }
}
