use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use crate::Token;
use crate::cache::clock::{Clock, ClockSource};
use crate::cache::hook::{self, TokenCallback};
use crate::cache::hot::Hot;
use crate::lifecycle::observe::CallCounters;
use crate::lifecycle::{Decision, Event, FlightId, Lifecycle, Moment, RefreshPolicy, Step};

/// What both drivers share: the lifecycle behind a lock, the published hot
/// entry, the clock and the hook. Every method is one short critical section.
pub(crate) struct Core {
    provider: &'static str,
    lifecycle: Mutex<Lifecycle>,
    hot: Hot,
    clock: ClockSource,
    hook: Option<TokenCallback>,
    counters: CallCounters,
}

/// How a driver configures its core.
pub(crate) struct Setup {
    pub(crate) provider: &'static str,
    pub(crate) policy: RefreshPolicy,
    pub(crate) clock: Clock,
    pub(crate) hook: Option<TokenCallback>,
    /// A token to start with, and its version in the store.
    pub(crate) initial: Option<(Arc<Token>, Option<u64>)>,
}

impl Core {
    pub(crate) fn new(setup: Setup) -> Self {
        let clock = ClockSource::new(setup.clock);
        let mut lifecycle =
            Lifecycle::new(setup.provider, setup.policy, clock.lag(), fastrand::u64(..));
        let now = clock.now();
        if let Some((token, version)) = setup.initial {
            lifecycle.hold(token, version, now, SystemTime::now());
        }
        let hot = Hot::default();
        hot.publish(&lifecycle, now);
        Self {
            provider: setup.provider,
            lifecycle: Mutex::new(lifecycle),
            hot,
            clock,
            hook: setup.hook,
            counters: CallCounters::new(setup.provider),
        }
    }

    /// The held token if a caller may take it without asking: the hot path.
    #[inline]
    pub(crate) fn hit(&self) -> Option<Arc<Token>> {
        let (token, stale) = self.hot.get(|| self.clock.now())?;
        self.counters.hit(stale);
        Some(token)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Lifecycle> {
        // The lock guards no invariant a panic could break halfway: hooks run outside it.
        self.lifecycle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// What a caller does, decided with the lifecycle already locked.
    pub(crate) fn decide_locked(
        &self,
        lifecycle: &mut Lifecycle,
        joined: Option<FlightId>,
    ) -> Decision {
        let now = self.clock.now();
        let decision = lifecycle.decide(now, joined);
        // A caller deciding again after the renewal it waited for was already counted a miss.
        if joined.is_none() {
            self.counters.decided(&decision);
        }
        self.after_decision(lifecycle, &decision, now);
        decision
    }

    /// What a caller that cannot wait does: `None` when no usable token is held.
    pub(crate) fn decide_held(&self) -> Option<Decision> {
        let mut lifecycle = self.lock();
        let now = self.clock.now();
        let decision = lifecycle.decide_held(now)?;
        self.counters.decided(&decision);
        self.after_decision(&lifecycle, &decision, now);
        Some(decision)
    }

    fn after_decision(&self, lifecycle: &Lifecycle, decision: &Decision, now: Moment) {
        // A renewal that started changes until when the held token may be taken without asking.
        if matches!(decision, Decision::Start(_) | Decision::ServeAndRenew(..)) {
            self.hot.publish(lifecycle, now);
        }
    }

    /// Advances renewal `id`; publishes the held token when it ends.
    pub(crate) fn step(&self, id: FlightId, event: Event) -> Step {
        let mut lifecycle = self.lock();
        let now = self.clock.now();
        let step = lifecycle.step(id, event, now, SystemTime::now());
        if matches!(step, Step::Done) {
            self.hot.publish(&lifecycle, now);
        }
        step
    }

    /// Ends renewal `id` whose driver went away.
    pub(crate) fn abandon(&self, id: FlightId) {
        let mut lifecycle = self.lock();
        lifecycle.abandon(id);
        self.hot.publish(&lifecycle, self.clock.now());
    }

    /// Forgets the held token (only if it is `token`, when given) and lifts every wait.
    pub(crate) fn invalidate(&self, token: Option<&Arc<Token>>) {
        let mut lifecycle = self.lock();
        lifecycle.invalidate(token);
        self.hot.publish(&lifecycle, self.clock.now());
    }

    #[cfg(feature = "tokio")]
    pub(crate) fn in_flight(&self) -> bool {
        self.lock().in_flight()
    }

    pub(crate) fn peek(&self) -> Option<Arc<Token>> {
        self.lock().held().cloned()
    }

    pub(crate) fn holds_token(&self) -> bool {
        self.lock().held().is_some()
    }

    /// Calls the `on_token` hook with a new token, containing any panic.
    pub(crate) fn on_token(&self, token: &Token) {
        hook::call(self.hook.as_ref(), self.provider, token);
    }
}
