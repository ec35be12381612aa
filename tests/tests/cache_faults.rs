//! The async cache under faults, in real time with short-lived tokens (the
//! paused-clock suite is `suite/cache.rs`). The token server runs on plain
//! threads, so blocking, starving or shutting down a runtime never touches it.
//! A binary of its own: 2 s tokens are checked to within a few hundred
//! milliseconds, which another suite's load could push past.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use oauth_core::{CustomUrl, Error, HttpClient, RefreshPolicy, TokenCache, TokenEndpoint};
use oauth_providers::{MyZeePay, Sohar};
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use oauth_tests::thread_server::{Reply, ThreadServer};
use oauth_tests::wire;
use tokio::runtime::{Builder, Runtime};

fn token_reply(lifetime: u64) -> Reply {
    Reply::json(&serde_json::json!({
        "access_token": wire::opaque_token("faults"),
        "token_type": "Bearer",
        "expires_in": lifetime,
        "refresh_token": wire::opaque_token("faults-refresh"),
    }))
}

fn cache_at(server: &ThreadServer) -> TokenCache<CustomUrl<Sohar>> {
    let provider = Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(&server.uri())
        .unwrap();
    TokenCache::builder(provider, HttpClient::new().unwrap())
        .refresh_policy(RefreshPolicy::default().jitter(Duration::ZERO))
        .build()
}

fn runtimes() -> [(&'static str, Runtime); 2] {
    [
        (
            "current-thread",
            Builder::new_current_thread().enable_all().build().unwrap(),
        ),
        (
            "multi-thread",
            Builder::new_multi_thread().enable_all().build().unwrap(),
        ),
    ]
}

#[test]
fn an_expired_token_is_never_served_on_any_runtime_flavour_even_one_that_never_idles() {
    for (flavour, runtime) in runtimes() {
        let server = ThreadServer::start(|_| token_reply(2));
        let cache = cache_at(&server);
        runtime.block_on(async {
            // A 2 s token is usable for 1.5 s. The runtime is kept busy throughout.
            let first = cache.token().await.unwrap();
            thread::sleep(Duration::from_millis(2100));
            for _ in 0..5 {
                let served = cache.token().await.unwrap();
                assert!(
                    !Arc::ptr_eq(&served, &first),
                    "{flavour}: served the expired token"
                );
                assert!(!served.is_expired(), "{flavour}");
            }
            assert_eq!(server.requests(), 2, "{flavour}");

            // A renewal spawned on a runtime that then never idles: at expiry callers wait for it.
            let second = cache.token().await.unwrap();
            thread::sleep(Duration::from_millis(900));
            assert!(
                Arc::ptr_eq(&cache.token().await.unwrap(), &second),
                "{flavour}"
            );
            thread::sleep(Duration::from_millis(1200));
            let third = cache.token().await.unwrap();
            assert!(
                !Arc::ptr_eq(&third, &second),
                "{flavour}: served the expired token"
            );
            assert_eq!(
                server.requests(),
                3,
                "{flavour}: the spawned renewal, not another"
            );
        });
    }
}

#[test]
fn a_panicking_hook_is_logged_and_never_wedges_the_cache() {
    let server = ThreadServer::start(|_| token_reply(2));
    let provider = Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(&server.uri())
        .unwrap();
    let cache = TokenCache::builder(provider, HttpClient::new().unwrap())
        .refresh_policy(RefreshPolicy::default().jitter(Duration::ZERO))
        .on_token(|_| panic!("the hook fails"))
        .build();
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let first = cache.token().await.unwrap();
        for round in 1..=2 {
            tokio::time::sleep(Duration::from_millis(900)).await;
            cache.token().await.unwrap();
            tokio::time::timeout(Duration::from_secs(5), cache.idle())
                .await
                .expect("idle returns");
            assert_eq!(
                server.requests(),
                round + 1,
                "background renewal {round} ran"
            );
        }
        assert!(!Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    });
}

#[test]
fn a_runtime_shut_down_mid_renewal_leaves_the_cache_usable_from_another() {
    let answered = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&answered);
    // The second request (the background renewal) hangs past the runtime's end.
    let server = ThreadServer::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        1 => token_reply(2).delay(Duration::from_secs(3)),
        _ => token_reply(2),
    });
    let cache = cache_at(&server);

    let first_runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let first = first_runtime.block_on(async {
        let first = cache.token().await.unwrap();
        tokio::time::sleep(Duration::from_millis(900)).await;
        cache.token().await.unwrap();
        // Lets the spawned renewal send its request.
        tokio::time::sleep(Duration::from_millis(200)).await;
        first
    });
    assert_eq!(server.requests(), 2, "the renewal was in flight");
    drop(first_runtime);

    let second_runtime = Builder::new_current_thread().enable_all().build().unwrap();
    second_runtime.block_on(async {
        tokio::time::timeout(Duration::from_millis(500), cache.idle())
            .await
            .expect("no renewal is left running");
        tokio::time::sleep(Duration::from_millis(500)).await;
        let renewed = cache.token().await.unwrap();
        assert!(!Arc::ptr_eq(&renewed, &first));
        assert_eq!(server.requests(), 3);
    });
}

#[test]
fn eight_callers_against_a_provider_answering_500_send_about_ten_requests_a_second_at_most() {
    let server = ThreadServer::start(|_| Reply::status(500));
    let cache = cache_at(&server);
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let errors = runtime.block_on(async {
        let until = Instant::now() + Duration::from_secs(1);
        let callers: Vec<_> = (0..8)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move {
                    let mut errors = 0;
                    while Instant::now() < until {
                        if cache.token().await.is_err() {
                            errors += 1;
                        }
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    errors
                })
            })
            .collect();
        let mut errors = 0;
        for caller in callers {
            errors += caller.await.unwrap();
        }
        errors
    });
    let requests = server.requests();
    assert!(
        (2..=10).contains(&requests),
        "{requests} requests in one second"
    );
    assert!(
        errors > 100,
        "callers got the shared error at once ({errors})"
    );
}

/// MyZeePay at `server`: the password grant, renewed with the refresh grant.
fn myzeepay_cache(server: &ThreadServer, policy: RefreshPolicy) -> TokenCache<MyZeePay> {
    let provider =
        MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD).with_server(server.uri());
    TokenCache::builder(provider, HttpClient::new().unwrap())
        .refresh_policy(policy)
        .build()
}

#[test]
fn a_retry_after_on_a_refresh_is_honoured_without_a_full_request() {
    let server = ThreadServer::start(|request| {
        if request.text().contains("grant_type=refresh_token") {
            Reply::status(503).header("retry-after", "2")
        } else {
            token_reply(3600)
        }
    });
    let cache = myzeepay_cache(&server, RefreshPolicy::default());
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        cache.token().await.unwrap();
        cache.invalidate();
        let error = cache.token().await.unwrap_err();
        assert_eq!(
            error.provider_error().unwrap().retry_after,
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server.requests(),
            2,
            "the refresh, and no password grant after it"
        );

        cache.token().await.unwrap_err();
        assert_eq!(
            server.requests(),
            2,
            "nothing sent while the provider asked to wait"
        );
        tokio::time::sleep(Duration::from_millis(2100)).await;
        cache.token().await.unwrap_err();
        assert_eq!(
            server.requests(),
            3,
            "the refresh is retried after the wait"
        );
    });
}

#[test]
fn a_retry_after_of_a_day_is_capped_and_lifted_by_invalidate() {
    let answered = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&answered);
    let server = ThreadServer::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 | 1 => Reply::status(503).header("retry-after", "86400"),
        _ => token_reply(3600),
    });
    let policy = RefreshPolicy::default().max_retry_after(Duration::from_secs(1));
    let cache = myzeepay_cache(&server, policy);
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let error = cache.token().await.unwrap_err();
        assert!(matches!(error, Error::Rejected(_)));
        cache.token().await.unwrap_err();
        assert_eq!(server.requests(), 1, "waiting, not asking");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        cache.token().await.unwrap_err();
        assert_eq!(server.requests(), 2, "a day's wait is cut to the cap");

        // The provider has recovered, and the caller knows better than the wait.
        cache.invalidate();
        cache.token().await.unwrap();
        assert_eq!(server.requests(), 3);
    });
}
