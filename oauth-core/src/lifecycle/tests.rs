//! The lifecycle driven by hand with a fake clock: every decision checked
//! without a network, a runtime or a real clock.

// In a test an unwrap or a panic is the assertion, as in the tests crate.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::StatusCode;
use proptest::prelude::*;

use super::*;
use crate::store::{Lease, StoredToken, Swap};
use crate::{Error, ProviderError, Token};

const SECOND: Duration = Duration::from_secs(1);

/// A fake clock: the monotonic moment and the wall clock move together.
#[derive(Clone, Copy)]
struct Clock {
    now: Moment,
    origin: SystemTime,
}

impl Clock {
    fn new() -> Self {
        Self {
            now: Moment::ZERO,
            origin: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        }
    }

    fn wall(&self) -> SystemTime {
        self.origin + Duration::from_nanos(self.now.as_nanos())
    }

    fn advance(&mut self, by: Duration) {
        self.now = self.now + by;
    }
}

fn policy() -> RefreshPolicy {
    RefreshPolicy::default().jitter(Duration::ZERO)
}

fn lifecycle() -> Lifecycle {
    Lifecycle::new("test", policy(), Duration::ZERO, 7)
}

fn token(clock: &Clock, name: &str, lifetime: Duration) -> Token {
    Token::new(name).with_expires_at(clock.wall() + lifetime)
}

fn rejected(status: u16, code: Option<&str>, retry_after: Option<Duration>) -> Error {
    Error::Rejected(ProviderError {
        provider: "test",
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        code: code.map(str::to_owned),
        description: None,
        excerpt: None,
        retry_after,
    })
}

fn name(token: &Arc<Token>) -> &str {
    token.access_token().expose_secret()
}

/// Runs renewal `id` to its end: a store that grants the lease and holds
/// nothing newer, and a provider answering each request with `answer`.
/// Returns the requests sent.
fn run(
    lifecycle: &mut Lifecycle,
    id: FlightId,
    clock: &Clock,
    mut answer: impl FnMut(&Renewal) -> Result<Option<Token>, Error>,
) -> Vec<Renewal> {
    let mut sent = Vec::new();
    let mut event = Event::Begin;
    let mut versions = 0;
    loop {
        event = match lifecycle.step(id, event, clock.now, clock.wall()) {
            Step::AcquireLease(_) => Event::LeaseAcquired(Ok(Some(Lease::new(1)))),
            Step::ReleaseLease(_) => Event::LeaseReleased(Ok(())),
            Step::Wait(_) => Event::Waited,
            Step::Load => Event::Loaded(Ok(None)),
            Step::Send(renewal) => {
                let outcome = answer(&renewal);
                sent.push(renewal);
                Event::Sent(outcome)
            }
            Step::Save { .. } => {
                versions += 10;
                Event::Saved(Ok(Swap::Stored { version: versions }))
            }
            Step::Done => return sent,
        };
    }
}

/// Asks once; runs any renewal the answer starts with `answer`.
fn ask(
    lifecycle: &mut Lifecycle,
    clock: &Clock,
    answer: impl FnMut(&Renewal) -> Result<Option<Token>, Error>,
) -> Result<Arc<Token>, Error> {
    match lifecycle.decide(clock.now, None) {
        Decision::Serve(token) => Ok(token),
        Decision::ServeAndRenew(token, id) => {
            run(lifecycle, id, clock, answer);
            Ok(token)
        }
        Decision::Start(id) => {
            run(lifecycle, id, clock, answer);
            match lifecycle.decide(clock.now, Some(id)) {
                Decision::Serve(token) => Ok(token),
                Decision::Fail(error) => Err(error),
                other => panic!("a finished renewal decides {other:?}"),
            }
        }
        Decision::Fail(error) => Err(error),
        Decision::Join(_) => panic!("nothing runs, nothing to join"),
    }
}

#[test]
fn serves_until_the_margin_and_renews_ahead_in_the_background() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    let first = ask(&mut lifecycle, &clock, |_| {
        Ok(Some(token(&clock, "a", 3600 * SECOND)))
    });
    assert_eq!(name(&first.unwrap()), "a");

    // Usable until 3590 s, renewal due at 3290 s.
    clock.advance(3289 * SECOND);
    assert!(matches!(
        lifecycle.decide(clock.now, None),
        Decision::Serve(_)
    ));
    clock.advance(SECOND);
    let Decision::ServeAndRenew(served, id) = lifecycle.decide(clock.now, None) else {
        panic!("renewal is due");
    };
    assert_eq!(name(&served), "a");
    // While it runs, callers keep the current token; nobody starts another.
    assert!(matches!(
        lifecycle.decide(clock.now, None),
        Decision::Serve(_)
    ));
    run(&mut lifecycle, id, &clock, |_| {
        Ok(Some(token(&clock, "b", 3600 * SECOND)))
    });
    assert_eq!(
        name(&ask(&mut lifecycle, &clock, |_| unreachable!()).unwrap()),
        "b"
    );
}

#[test]
fn never_serves_at_or_past_the_margin() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(token(&clock, "a", 100 * SECOND)))
    })
    .unwrap();
    // 100 s lifetime: the 10 s margin is capped at a quarter, so usable for 90 s.
    clock.advance(90 * SECOND);
    assert!(matches!(
        lifecycle.decide(clock.now, None),
        Decision::Start(_)
    ));
}

#[test]
fn the_clock_lag_comes_off_the_usable_life() {
    let mut clock = Clock::new();
    let mut lifecycle = Lifecycle::new("test", policy(), Duration::from_millis(20), 7);
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(token(&clock, "a", 100 * SECOND)))
    })
    .unwrap();
    clock.advance(90 * SECOND - Duration::from_millis(20));
    assert!(matches!(
        lifecycle.decide(clock.now, None),
        Decision::Start(_)
    ));
}

#[test]
fn waiters_share_the_outcome_of_the_renewal_they_joined() {
    let clock = Clock::new();
    let mut lifecycle = lifecycle();
    let Decision::Start(id) = lifecycle.decide(clock.now, None) else {
        panic!("nothing held");
    };
    assert!(matches!(lifecycle.decide(clock.now, None), Decision::Join(joined) if joined == id));
    run(&mut lifecycle, id, &clock, |_| {
        Err(rejected(500, None, None))
    });
    let shared = lifecycle.decide(clock.now, Some(id));
    assert!(
        matches!(shared, Decision::Fail(error) if error.status() == Some(StatusCode::INTERNAL_SERVER_ERROR))
    );
    // The next caller, who joined nothing, asks again at once.
    assert!(matches!(
        lifecycle.decide(clock.now, None),
        Decision::Start(_)
    ));
}

#[test]
fn the_first_retry_goes_at_once_then_requests_back_off() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    let requests = std::cell::Cell::new(0);
    let failing = |_: &Renewal| {
        requests.set(requests.get() + 1);
        Err(rejected(500, None, None))
    };
    ask(&mut lifecycle, &clock, failing).unwrap_err();
    ask(&mut lifecycle, &clock, failing).unwrap_err();
    // Two failures: the next request waits 100 to 150 ms; callers get the error at once.
    for _ in 0..100 {
        ask(&mut lifecycle, &clock, failing).unwrap_err();
    }
    assert_eq!(requests.get(), 2);
    clock.advance(Duration::from_millis(151));
    ask(&mut lifecycle, &clock, failing).unwrap_err();
    assert_eq!(requests.get(), 3);
}

#[test]
fn a_failing_renewal_keeps_serving_the_valid_token_and_backs_off() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(token(&clock, "a", 3600 * SECOND)))
    })
    .unwrap();
    clock.advance(3300 * SECOND);
    let mut requests = 0;
    for _ in 0..1000 {
        let served = ask(&mut lifecycle, &clock, |_| {
            requests += 1;
            Err(rejected(503, None, None))
        });
        assert_eq!(name(&served.unwrap()), "a");
        clock.advance(Duration::from_millis(1));
    }
    // One second of callers: the immediate retry, then 100, 200, 400 ms waits (+ up to half).
    assert!((3..=5).contains(&requests), "{requests} requests");
}

#[test]
fn retry_after_is_honoured_for_refreshes_up_to_the_cap_and_lifted_by_invalidate() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    let with_refresh = |clock: &Clock, name: &str| {
        Ok(Some(
            token(clock, name, 3600 * SECOND).with_refresh_token("r"),
        ))
    };
    ask(&mut lifecycle, &clock, |_| with_refresh(&clock, "a")).unwrap();
    lifecycle.invalidate(None);
    // A day's Retry-After on the refresh: no full request follows, and the wait is capped at 5 minutes.
    let mut sent = Vec::new();
    let error = ask(&mut lifecycle, &clock, |renewal| {
        sent.push(matches!(renewal, Renewal::Refresh(_)));
        Err(rejected(503, None, Some(86_400 * SECOND)))
    });
    assert!(error.is_err());
    assert_eq!(sent, [true], "a refresh, and no fallback to a full request");
    let (_, until) = lifecycle.waiting().unwrap();
    assert_eq!(until.saturating_duration_since(clock.now), 300 * SECOND);
    clock.advance(299 * SECOND);
    assert!(ask(&mut lifecycle, &clock, |_| unreachable!()).is_err());

    lifecycle.invalidate(None);
    assert_eq!(
        name(&ask(&mut lifecycle, &clock, |_| with_refresh(&clock, "b")).unwrap()),
        "b"
    );
}

#[test]
fn a_refused_refresh_falls_back_to_a_full_request() {
    let clock = Clock::new();
    let mut lifecycle = lifecycle();
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(
            token(&clock, "a", 3600 * SECOND).with_refresh_token("r1"),
        ))
    })
    .unwrap();
    lifecycle.invalidate(None);
    let Decision::Start(id) = lifecycle.decide(clock.now, None) else {
        panic!("invalidated");
    };
    let sent = run(&mut lifecycle, id, &clock, |renewal| match renewal {
        Renewal::Refresh(_) => Err(rejected(400, Some("invalid_grant"), None)),
        Renewal::Fetch => Ok(Some(token(&clock, "b", 3600 * SECOND))),
    });
    assert!(
        matches!(sent.as_slice(), [Renewal::Refresh(r), Renewal::Fetch] if refresh_of(r) == "r1")
    );
    assert_eq!(name(lifecycle.held().unwrap()), "b");
}

/// The refresh token a refresh renewal sends.
fn refresh_of(token: &Token) -> &str {
    token
        .refresh_token()
        .map_or("", |refresh| refresh.expose_secret())
}

#[test]
fn a_refresh_keeps_the_refresh_token_unless_rotated() {
    let clock = Clock::new();
    let mut lifecycle = lifecycle();
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(
            token(&clock, "a", 3600 * SECOND).with_refresh_token("r1"),
        ))
    })
    .unwrap();
    lifecycle.invalidate(None);
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(token(&clock, "b", 3600 * SECOND)))
    })
    .unwrap();
    let kept = lifecycle
        .held()
        .and_then(|held| held.refresh_token())
        .unwrap();
    assert_eq!(kept.expose_secret(), "r1");

    lifecycle.invalidate(None);
    ask(&mut lifecycle, &clock, |renewal| {
        assert!(matches!(renewal, Renewal::Refresh(r) if refresh_of(r) == "r1"));
        Ok(Some(
            token(&clock, "c", 3600 * SECOND).with_refresh_token("r2"),
        ))
    })
    .unwrap();
    lifecycle.invalidate(None);
    ask(&mut lifecycle, &clock, |renewal| {
        assert!(matches!(renewal, Renewal::Refresh(r) if refresh_of(r) == "r2"));
        Ok(Some(token(&clock, "d", 3600 * SECOND)))
    })
    .unwrap();
}

#[test]
fn an_abandoned_renewal_lets_the_next_caller_start_and_frees_its_lease() {
    let clock = Clock::new();
    let mut lifecycle = lifecycle();
    let Decision::Start(id) = lifecycle.decide(clock.now, None) else {
        panic!("nothing held");
    };
    let step = lifecycle.step(id, Event::Begin, clock.now, clock.wall());
    assert!(matches!(step, Step::AcquireLease(_)));
    let step = lifecycle.step(
        id,
        Event::LeaseAcquired(Ok(Some(Lease::new(42)))),
        clock.now,
        clock.wall(),
    );
    assert!(matches!(step, Step::Load));
    lifecycle.abandon(id);
    assert!(!lifecycle.in_flight());
    let Decision::Start(next) = lifecycle.decide(clock.now, Some(id)) else {
        panic!("an abandoned renewal has no outcome to share");
    };
    let step = lifecycle.step(next, Event::Begin, clock.now, clock.wall());
    assert!(matches!(step, Step::ReleaseLease(lease) if lease.id() == 42));
}

#[test]
fn a_token_renewed_elsewhere_is_adopted_without_a_request() {
    let clock = Clock::new();
    let mut lifecycle = lifecycle();
    let Decision::Start(id) = lifecycle.decide(clock.now, None) else {
        panic!("nothing held");
    };
    let elsewhere = Arc::new(token(&clock, "elsewhere", 3600 * SECOND));
    let mut event = Event::Begin;
    loop {
        event = match lifecycle.step(id, event, clock.now, clock.wall()) {
            Step::AcquireLease(_) => Event::LeaseAcquired(Ok(Some(Lease::new(1)))),
            Step::Load => Event::Loaded(Ok(Some(StoredToken::new(3, Arc::clone(&elsewhere))))),
            Step::ReleaseLease(_) => Event::LeaseReleased(Ok(())),
            Step::Done => break,
            other => panic!("no request expected, got {other:?}"),
        };
    }
    assert!(Arc::ptr_eq(lifecycle.held().unwrap(), &elsewhere));
}

#[test]
fn a_busy_lease_defers_a_background_renewal_and_makes_a_foreground_one_wait() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    ask(&mut lifecycle, &clock, |_| {
        Ok(Some(token(&clock, "a", 3600 * SECOND)))
    })
    .unwrap();
    clock.advance(3300 * SECOND);
    let Decision::ServeAndRenew(_, id) = lifecycle.decide(clock.now, None) else {
        panic!("due");
    };
    assert!(matches!(
        lifecycle.step(id, Event::Begin, clock.now, clock.wall()),
        Step::AcquireLease(_)
    ));
    assert!(matches!(
        lifecycle.step(id, Event::LeaseAcquired(Ok(None)), clock.now, clock.wall()),
        Step::Done
    ));
    // Looks again after a short wait, not on every call.
    assert!(matches!(
        lifecycle.decide(clock.now, None),
        Decision::Serve(_)
    ));

    lifecycle.invalidate(None);
    let Decision::Start(id) = lifecycle.decide(clock.now, None) else {
        panic!("invalidated");
    };
    assert!(matches!(
        lifecycle.step(id, Event::Begin, clock.now, clock.wall()),
        Step::AcquireLease(_)
    ));
    assert!(matches!(
        lifecycle.step(id, Event::LeaseAcquired(Ok(None)), clock.now, clock.wall()),
        Step::Wait(_)
    ));
}

#[test]
fn a_waiter_outlasts_a_dead_holders_lease_and_goes_alone_only_after_two() {
    let mut clock = Clock::new();
    let mut lifecycle = lifecycle();
    let lease = policy().lease;
    let Decision::Start(id) = lifecycle.decide(clock.now, None) else {
        panic!("nothing held");
    };
    let mut step = lifecycle.step(id, Event::Begin, clock.now, clock.wall());
    let started = clock.now;
    // The holder died: its lease stays taken until it runs out, then another
    // process takes it; this cache keeps waiting through both.
    loop {
        step = match step {
            Step::AcquireLease(_) => {
                lifecycle.step(id, Event::LeaseAcquired(Ok(None)), clock.now, clock.wall())
            }
            Step::Wait(pause) => {
                clock.advance(pause);
                lifecycle.step(id, Event::Waited, clock.now, clock.wall())
            }
            Step::Load => lifecycle.step(id, Event::Loaded(Ok(None)), clock.now, clock.wall()),
            Step::Send(_) => break,
            other => panic!("unexpected {other:?}"),
        };
    }
    let waited = clock.now.saturating_duration_since(started);
    assert!(waited >= lease * 2, "went alone after {waited:?}");
    assert!(waited < lease * 2 + SECOND, "waited {waited:?}");
}

/// What a property test does next.
#[derive(Clone, Debug)]
enum Op {
    Advance(u64),
    Call,
    Succeed(u64),
    Fail {
        status: u16,
        retry_after: Option<u64>,
    },
    Invalidate,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..5_000).prop_map(Op::Advance),
        Just(Op::Call),
        Just(Op::Call),
        (1u64..200).prop_map(Op::Succeed),
        (
            prop_oneof![Just(400u16), Just(429), Just(500), Just(503)],
            proptest::option::of(0u64..100)
        )
            .prop_map(|(status, retry_after)| Op::Fail {
                status,
                retry_after
            }),
        Just(Op::Invalidate),
    ]
}

proptest! {
    /// Whatever callers, clock and provider do: no token is served at or past
    /// its expiry less the margin, at most one renewal runs, and requests
    /// after two failures wait at least the first backoff.
    #[test]
    fn invariants_hold_under_any_schedule(ops in proptest::collection::vec(op(), 1..200), seed in any::<u64>()) {
        let mut clock = Clock::new();
        let margin = Duration::from_secs(10);
        let mut lifecycle = Lifecycle::new("test", RefreshPolicy::default(), Duration::ZERO, seed);
        // The renewal waiting for the provider's answer, if any.
        let mut sending: Option<FlightId> = None;
        let mut last_failure: Option<Moment> = None;
        let mut failures = 0u32;
        for op in ops {
            match op {
                Op::Advance(ms) => clock.advance(Duration::from_millis(ms)),
                Op::Invalidate => {
                    lifecycle.invalidate(None);
                    last_failure = None;
                    failures = 0;
                }
                Op::Call => {
                    let started = match lifecycle.decide(clock.now, None) {
                        Decision::Serve(token) => { check_fresh(&token, &clock, margin)?; None }
                        Decision::ServeAndRenew(token, id) => { check_fresh(&token, &clock, margin)?; Some(id) }
                        Decision::Start(id) => Some(id),
                        Decision::Join(id) => { prop_assert_eq!(Some(id), sending); None }
                        Decision::Fail(_) => None,
                    };
                    if let Some(id) = started {
                        prop_assert!(sending.is_none(), "a second renewal started");
                        if failures >= 2 && let Some(failed) = last_failure {
                            prop_assert!(clock.now.saturating_duration_since(failed) >= Duration::from_millis(100));
                        }
                        let mut event = Event::Begin;
                        loop {
                            event = match lifecycle.step(id, event, clock.now, clock.wall()) {
                                Step::AcquireLease(_) => Event::LeaseAcquired(Ok(Some(Lease::new(1)))),
                                Step::Load => Event::Loaded(Ok(None)),
                                Step::Send(_) => { sending = Some(id); break; }
                                other => { prop_assert!(false, "unexpected {:?}", other); break; }
                            };
                        }
                    }
                }
                Op::Succeed(lifetime) => if let Some(id) = sending.take() {
                    let token = Token::new(format!("{lifetime}-{}", clock.now.as_nanos())).with_expires_at(clock.wall() + Duration::from_secs(lifetime));
                    let mut step = lifecycle.step(id, Event::Sent(Ok(Some(token))), clock.now, clock.wall());
                    while !matches!(step, Step::Done) {
                        let event = match step {
                            Step::Save { .. } => Event::Saved(Ok(Swap::Stored { version: clock.now.as_nanos() + 1 })),
                            _ => Event::LeaseReleased(Ok(())),
                        };
                        step = lifecycle.step(id, event, clock.now, clock.wall());
                    }
                    failures = 0;
                    last_failure = None;
                    // After recovery, the next caller is served.
                    prop_assert!(matches!(lifecycle.decide(clock.now, Some(id)), Decision::Serve(_)));
                },
                Op::Fail { status, retry_after } => if let Some(id) = sending.take() {
                    let error = rejected(status, None, retry_after.map(Duration::from_secs));
                    let mut step = lifecycle.step(id, Event::Sent(Err(error)), clock.now, clock.wall());
                    while !matches!(step, Step::Done) {
                        step = lifecycle.step(id, Event::LeaseReleased(Ok(())), clock.now, clock.wall());
                    }
                    failures += 1;
                    last_failure = Some(clock.now);
                },
            }
        }
    }
}

/// A served token's expiry lies further ahead than the margin (at most a
/// quarter of its lifetime, which its name begins with, in seconds).
fn check_fresh(token: &Token, clock: &Clock, margin: Duration) -> Result<(), TestCaseError> {
    let Some(expires_at) = token.expires_at() else {
        return Ok(());
    };
    let lifetime: u64 = token
        .access_token()
        .expose_secret()
        .split('-')
        .next()
        .and_then(|secs| secs.parse().ok())
        .unwrap_or_default();
    let remaining = expires_at.duration_since(clock.wall()).unwrap_or_default();
    let required = margin.min(Duration::from_secs(lifetime) / 4);
    prop_assert!(
        remaining > required,
        "served with {:?} left, inside the margin",
        remaining
    );
    Ok(())
}
