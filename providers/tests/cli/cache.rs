//! `oauth-token --cache`: many runs of the tool share one token through a real
//! Redis, a refusal is never shared, and an unreachable Redis only costs a warning.

use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::Ordering;

use oauth_tests::fleet::FleetServer;
use oauth_tests::redis_server::RedisServer;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};

/// Starts the tool for MyZeePay against `server`, secrets in the environment.
fn spawn(
    server: &FleetServer,
    secret: &str,
    cache: Option<&str>,
    env_cache: Option<&str>,
) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oauth-token"));
    command
        .args(["myzeepay", "--client-id", CLIENT_ID, "--username", USERNAME])
        .args(["--server", &server.server.uri()])
        .env("MYZEEPAY_CLIENT_SECRET", secret)
        .env("MYZEEPAY_PASSWORD", PASSWORD)
        .env_remove("OAUTH_TOKEN_CACHE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = cache {
        command.args(["--cache", url]);
    }
    if let Some(url) = env_cache {
        command.env("OAUTH_TOKEN_CACHE", url);
    }
    command.spawn().expect("oauth-token starts")
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("oauth-token ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_runs_at_once_ask_the_provider_once() {
    let redis = RedisServer::start();
    let server = FleetServer::start(300).await;
    let url = redis.url();
    let runs: Vec<Child> = (0..40)
        .map(|index| {
            // Half name the cache with the flag, half with the environment.
            let (flag, env) = if index % 2 == 0 {
                (Some(url.as_str()), None)
            } else {
                (None, Some(url.as_str()))
            };
            spawn(&server, CLIENT_SECRET, flag, env)
        })
        .collect();
    let outputs: Vec<Output> = runs.into_iter().map(finish).collect();

    let first = text(&outputs[0].stdout);
    for output in &outputs {
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(
            text(&output.stdout),
            first,
            "every run printed the same token"
        );
        assert_eq!(text(&output.stderr), "", "no warning");
    }
    assert_eq!(server.counters.received.load(Ordering::SeqCst), 1);

    // A later run, a cron job say, still asks no one.
    let later = finish(spawn(&server, CLIENT_SECRET, Some(&url), None));
    assert_eq!(text(&later.stdout), first);
    assert_eq!(server.counters.received.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_reported_and_never_shared() {
    let redis = RedisServer::start();
    let server = FleetServer::start(300).await;
    let refused = finish(spawn(&server, "wrong-secret", Some(&redis.url()), None));
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(
        redis.everything().is_empty(),
        "nothing stored, no lease left"
    );

    let accepted = finish(spawn(&server, CLIENT_SECRET, Some(&redis.url()), None));
    assert!(accepted.status.success(), "{}", text(&accepted.stderr));
    assert_eq!(redis.entry_keys().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_unreachable_the_tool_asks_the_provider_and_warns() {
    let mut redis = RedisServer::start();
    let url = redis.url();
    redis.kill();
    let server = FleetServer::start(300).await;
    let output = finish(spawn(&server, CLIENT_SECRET, Some(&url), None));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).starts_with("fleet-access-"),
        "{}",
        text(&output.stdout)
    );
    let warning = text(&output.stderr);
    assert!(
        warning.contains("warning") && warning.contains("Redis"),
        "{warning}"
    );
    assert_eq!(server.counters.issued(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_json_the_unreachable_cache_warning_is_a_json_object_too() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("redis://{closed}");
    let server = FleetServer::start(300).await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_oauth-token"));
    command
        .args([
            "myzeepay",
            "--client-id",
            CLIENT_ID,
            "--username",
            USERNAME,
            "--json",
        ])
        .args(["--server", &server.server.uri(), "--cache", &url])
        .env("MYZEEPAY_CLIENT_SECRET", CLIENT_SECRET)
        .env("MYZEEPAY_PASSWORD", PASSWORD)
        .env_remove("OAUTH_TOKEN_CACHE");
    let output = command.output().expect("oauth-token runs");
    assert!(output.status.success(), "{}", text(&output.stderr));

    let token: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", text(&output.stdout)));
    assert!(
        token["access_token"]
            .as_str()
            .unwrap()
            .starts_with("fleet-access-")
    );
    let stderr = text(&output.stderr);
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}")))
        .collect();
    assert_eq!(
        lines,
        [serde_json::json!({
            "kind": "warning",
            "code": "cache_unavailable",
            "message": "the token cache (Redis) did not answer; asked the provider directly",
            "status": null,
        })]
    );
    assert_eq!(server.counters.issued(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_url_that_is_not_redis_is_a_usage_error_that_quotes_no_password() {
    let server = FleetServer::start(300).await;
    let output = finish(spawn(
        &server,
        CLIENT_SECRET,
        Some("http://:hunter2@127.0.0.1/"),
        None,
    ));
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("Redis URL"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert_eq!(server.counters.received.load(Ordering::SeqCst), 0);
}
