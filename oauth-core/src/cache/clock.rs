use std::time::Duration;

use crate::lifecycle::Moment;

/// The monotonic clock a token cache reads, on every hit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Clock {
    /// The system's coarse monotonic clock (`CLOCK_MONOTONIC_COARSE` on
    /// Linux): read in a few nanoseconds, where a precise read costs about as
    /// much as the rest of a cache hit. Its resolution (a few milliseconds;
    /// 20 ms is assumed) is taken off every token's usable life.
    #[default]
    Coarse,
    /// Tokio's clock, which follows a paused or advanced test clock
    /// (`tokio::time::pause`); precise, and dearer to read.
    #[cfg(feature = "tokio")]
    Tokio,
}

/// How far [`Clock::Coarse`] may trail real time: a tick is 1 to 16 ms on the systems it runs on.
const COARSE_LAG: Duration = Duration::from_millis(20);

/// A clock and its origin, giving [`Moment`]s.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClockSource {
    clock: Clock,
    #[cfg(feature = "tokio")]
    origin: tokio::time::Instant,
}

impl ClockSource {
    pub(crate) fn new(clock: Clock) -> Self {
        Self {
            clock,
            #[cfg(feature = "tokio")]
            origin: tokio::time::Instant::now(),
        }
    }

    /// The current moment.
    #[inline]
    pub(crate) fn now(&self) -> Moment {
        match self.clock {
            Clock::Coarse => {
                let ticks = coarsetime::Instant::now_without_cache_update();
                Moment::from_nanos(coarsetime::Duration::from_u64(ticks.as_u64()).as_nanos())
            }
            #[cfg(feature = "tokio")]
            Clock::Tokio => Moment::from_nanos(
                u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX),
            ),
        }
    }

    /// How far this clock may trail real time.
    pub(crate) fn lag(&self) -> Duration {
        match self.clock {
            Clock::Coarse => COARSE_LAG,
            #[cfg(feature = "tokio")]
            Clock::Tokio => Duration::ZERO,
        }
    }
}
