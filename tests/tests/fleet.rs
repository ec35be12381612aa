//! A fleet of separate OS processes sharing one token through a real Redis:
//! one loopback token server, one `redis-server`, and `fleet-member`
//! processes, each with its own token cache backed by a `RedisStore`.
//! A binary of its own: forty processes at once would load any suite beside
//! them, and the lease test measures waits to a few hundred milliseconds.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use oauth_tests::fleet::FleetServer;
use oauth_tests::redis_server::RedisServer;
use oauth_tests::sandbox::credentials::{CLIENT_SECRET, PASSWORD};

/// What one member printed.
#[derive(Debug, Default)]
struct Report {
    tokens: Vec<String>,
    errors: Vec<String>,
    calls: u32,
    failures: u32,
}

/// A running member.
struct Member {
    child: Child,
}

impl Member {
    fn spawn(redis: &RedisServer, server: &FleetServer, extra: &[&str]) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_fleet-member"))
            .args(["--redis", &redis.url(), "--server", &server.server.uri()])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("fleet-member starts");
        Self { child }
    }

    /// Waits for the member to finish and reads what it printed.
    fn report(mut self) -> Report {
        let stdout = self.child.stdout.take().expect("piped stdout");
        let mut report = Report::default();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("readable output");
            let (kind, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            match kind {
                "token" => report.tokens.push(rest.to_owned()),
                "error" => report.errors.push(rest.to_owned()),
                "calls" => {
                    let numbers: Vec<u32> = rest
                        .split(' ')
                        .filter_map(|word| word.parse().ok())
                        .collect();
                    report.calls = numbers[0];
                    report.failures = numbers[1];
                }
                _ => panic!("unexpected output: {line}"),
            }
        }
        let status = self.child.wait().expect("fleet-member ends");
        assert!(status.success(), "fleet-member failed: {status}");
        report
    }

    /// Kills the member at once, as a crash would.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }
}

/// Waits until `condition` holds, for `limit` at most.
fn eventually(limit: Duration, what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_processes_at_once_make_one_request_and_share_one_token() {
    let redis = RedisServer::start();
    let server = FleetServer::start(60).await;
    let members: Vec<Member> = (0..40)
        .map(|index| {
            // Half the fleet on the async cache, half on the blocking one: they share one entry.
            let flags: &[&str] = if index % 2 == 0 { &[] } else { &["--blocking"] };
            Member::spawn(&redis, &server, flags)
        })
        .collect();
    let reports: Vec<Report> = members.into_iter().map(Member::report).collect();

    let first = &reports[0].tokens;
    assert_eq!(first.len(), 1, "{reports:?}");
    for report in &reports {
        assert_eq!(report.failures, 0, "{report:?}");
        assert_eq!(&report.tokens, first, "every process got the same token");
    }
    assert_eq!(server.counters.received.load(Ordering::SeqCst), 1);
    assert_eq!(server.counters.issued(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_rotate_refresh_tokens_for_twenty_renewals_without_invalid_grant() {
    let redis = RedisServer::start();
    let server = FleetServer::start(2).await;
    let members: Vec<Member> = (0..8)
        .map(|index| {
            let mut flags = vec!["--for-ms", "120000", "--every-ms", "20"];
            if index % 2 == 1 {
                flags.push("--blocking");
            }
            Member::spawn(&redis, &server, &flags)
        })
        .collect();
    let counters = &server.counters;
    eventually(Duration::from_secs(60), "21 tokens", || {
        counters.issued() >= 21
    });
    for member in members {
        member.kill();
    }

    assert_eq!(counters.invalid_grants.load(Ordering::SeqCst), 0);
    assert_eq!(counters.refusals.load(Ordering::SeqCst), 0);
    // One token request, then renewals by refresh only: the fleet always had the latest refresh token.
    assert_eq!(counters.tokens.load(Ordering::SeqCst), 1);
    assert!(counters.refreshes.load(Ordering::SeqCst) >= 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_holder_killed_mid_request_delays_the_others_by_one_lease() {
    let redis = RedisServer::start();
    let server = FleetServer::start(60).await;
    let counters = &server.counters;
    counters.stall_next.store(1, Ordering::SeqCst);
    let holder = Member::spawn(&redis, &server, &["--lease-ms", "1000"]);
    eventually(Duration::from_secs(10), "the holder's request", || {
        counters.stalled.load(Ordering::SeqCst) == 1
    });
    let others_started = Instant::now();
    let others: Vec<Member> = (0..3)
        .map(|_| Member::spawn(&redis, &server, &["--lease-ms", "1000"]))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    holder.kill();
    let reports: Vec<Report> = others.into_iter().map(Member::report).collect();
    let waited = others_started.elapsed();

    // The holder took its lease just before its request stalled: the others
    // waited for the lease to run out, then one of them renewed.
    assert!(waited >= Duration::from_millis(700), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");

    for report in &reports {
        assert_eq!(report.failures, 0, "{report:?}");
        assert_eq!(report.tokens, reports[0].tokens, "one renewal, shared");
    }
    assert_eq!(counters.stalled.load(Ordering::SeqCst), 1);
    assert_eq!(
        counters.issued(),
        1,
        "exactly one process completed the renewal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_keep_getting_tokens_while_redis_is_killed_and_restarted() {
    let mut redis = RedisServer::start();
    let server = FleetServer::start(2).await;
    let members: Vec<Member> = (0..4)
        .map(|index| {
            let mut flags = vec!["--for-ms", "7000", "--every-ms", "20"];
            if index % 2 == 1 {
                flags.push("--blocking");
            }
            Member::spawn(&redis, &server, &flags)
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    redis.kill();
    let issued_before_outage = server.counters.issued();
    std::thread::sleep(Duration::from_secs(2));
    let issued_during_outage = server.counters.issued() - issued_before_outage;
    redis.restart();
    let reports: Vec<Report> = members.into_iter().map(Member::report).collect();

    for report in &reports {
        assert_eq!(report.failures, 0, "{report:?}");
        assert!(report.calls > 100, "{report:?}");
        // Tokens live 2 s: a member that kept being served renewed through the outage.
        assert!(report.tokens.len() >= 4, "{report:?}");
    }
    assert!(issued_during_outage >= 1, "the outage spanned a renewal");
    assert_eq!(
        redis.entry_keys().len(),
        1,
        "Redis is used again once it is back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_or_secret_is_readable_anywhere_in_redis() {
    let redis = RedisServer::start();
    let server = FleetServer::start(2).await;
    let members: Vec<Member> = (0..3)
        .map(|_| Member::spawn(&redis, &server, &["--for-ms", "3000"]))
        .collect();
    let reports: Vec<Report> = members.into_iter().map(Member::report).collect();
    assert!(reports.iter().all(|report| report.failures == 0));

    let everything = redis.everything();
    assert!(!everything.is_empty(), "the entry is there to inspect");
    let mut canaries = server.counters.issued_values();
    assert!(
        canaries.len() >= 4,
        "several tokens were issued: {canaries:?}"
    );
    canaries.extend([CLIENT_SECRET.to_owned(), PASSWORD.to_owned()]);
    for (key, value) in &everything {
        for canary in &canaries {
            let needle = canary.as_bytes();
            let found = |haystack: &[u8]| haystack.windows(needle.len()).any(|part| part == needle);
            assert!(!found(key), "{canary:?} in a key");
            assert!(
                !found(value),
                "{canary:?} in the value of {}",
                String::from_utf8_lossy(key)
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_credentials_keep_two_entries_and_a_refusal_stores_nothing() {
    let redis = RedisServer::start();
    let server = FleetServer::start(60).await;
    let second_secret = format!("{CLIENT_SECRET}-second");
    let first = Member::spawn(&redis, &server, &[]).report();
    let second = Member::spawn(&redis, &server, &["--secret", &second_secret]).report();
    assert_eq!(first.failures + second.failures, 0);
    assert_ne!(first.tokens, second.tokens);
    assert_eq!(redis.entry_keys().len(), 2, "{:?}", redis.entry_keys());

    let refused = Member::spawn(&redis, &server, &["--secret", "wrong-secret"]).report();
    assert_eq!(refused.failures, 1, "{refused:?}");
    assert_eq!(server.counters.refusals.load(Ordering::SeqCst), 1);
    let keys = redis.entry_keys();
    assert_eq!(keys.len(), 2, "the refusal left nothing behind: {keys:?}");
    let leases = redis
        .everything()
        .into_iter()
        .filter(|(key, _)| key.ends_with(b":lease"))
        .count();
    assert_eq!(leases, 0, "every lease was released");
}
