use std::sync::Arc;

use arc_swap::ArcSwapOption;

use crate::Token;
use crate::lifecycle::{Lifecycle, Moment};

/// The held token as callers read it without a lock: one atomic load, one
/// clock read and the clone of an `Arc`.
#[derive(Debug, Default)]
pub(crate) struct Hot {
    entry: ArcSwapOption<Entry>,
}

#[derive(Debug)]
struct Entry {
    token: Arc<Token>,
    /// Until when the token may be taken without asking the lifecycle.
    until: Moment,
    /// Whether it is handed out past its renewal time, renewals failing.
    stale: bool,
}

impl Hot {
    /// The held token if it may be taken at `now` without asking, and whether it is stale.
    #[inline]
    pub(crate) fn get(&self, now: impl FnOnce() -> Moment) -> Option<(Arc<Token>, bool)> {
        let entry = self.entry.load();
        let entry = entry.as_ref()?;
        (now() < entry.until).then(|| (Arc::clone(&entry.token), entry.stale))
    }

    /// Publishes what `lifecycle` holds; call it with the lifecycle locked, so
    /// publications happen in the order of the changes they show.
    pub(crate) fn publish(&self, lifecycle: &Lifecycle, now: Moment) {
        let stale = lifecycle.serves_stale(now);
        let entry = lifecycle.hot(now).map(|(token, until)| {
            Arc::new(Entry {
                token,
                until,
                stale,
            })
        });
        self.entry.store(entry);
    }
}
