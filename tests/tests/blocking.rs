//! The blocking transport and cache with no async runtime anywhere in the
//! test: the loopback server runs on plain threads too. A binary of its own:
//! its tests check 2 s tokens to within a few hundred milliseconds, and one of
//! them starts ten thousand threads, which would load any suite beside it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use oauth_core::blocking::{HttpClient, TokenCache};
use oauth_core::store::{BlockingTokenStore, MemoryStore};
use oauth_core::{ConfigError, CustomUrl, Error, Problem, RefreshPolicy, Token, TokenEndpoint};
use oauth_providers::Sohar;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET};
use oauth_tests::thread_server::{Reply, ThreadServer};
use oauth_tests::wire;

/// A token server answering every request with a new token of `lifetime` seconds.
fn token_server(lifetime: u64, delay: Duration) -> ThreadServer {
    ThreadServer::start(move |_| {
        Reply::json(&serde_json::json!({
            "access_token": wire::opaque_token("blocking"),
            "token_type": "Bearer",
            "expires_in": lifetime,
        }))
        .delay(delay)
    })
}

fn sohar_at(server: &ThreadServer) -> CustomUrl<Sohar> {
    Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(&server.uri())
        .unwrap()
}

#[test]
fn a_provider_fetches_a_token_on_this_thread() {
    let server = token_server(3600, Duration::ZERO);
    let token = sohar_at(&server)
        .fetch_token_blocking(&HttpClient::new())
        .unwrap();
    assert!(
        token
            .access_token()
            .expose_secret()
            .starts_with("blocking-")
    );
    assert_eq!(token.token_type(), "Bearer");
    assert_eq!(server.requests(), 1);
}

#[test]
fn the_body_cap_and_the_https_rule_hold_for_the_blocking_transport() {
    let huge = ThreadServer::start(|_| {
        Reply::status(200)
            .header("content-type", "application/json")
            .body(vec![b' '; HttpClient::DEFAULT_MAX_RESPONSE_BYTES + 1])
    });
    let error = sohar_at(&huge)
        .fetch_token_blocking(&HttpClient::new())
        .unwrap_err();
    assert!(
        matches!(&error, Error::MalformedResponse(malformed) if malformed.problem == Problem::TooLarge { limit: HttpClient::DEFAULT_MAX_RESPONSE_BYTES }),
        "{error:?}"
    );

    let error = Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url("http://auth.example.com")
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Config(ConfigError::InsecureUrl { .. })
    ));
}

#[test]
fn the_blocking_transport_follows_no_redirect() {
    let target = token_server(3600, Duration::ZERO);
    let location = format!("{}/oauth/token", target.uri());
    let redirecting =
        ThreadServer::start(move |_| Reply::status(307).header("location", &location));
    let error = sohar_at(&redirecting)
        .fetch_token_blocking(&HttpClient::new())
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(307));
    assert_eq!(target.requests(), 0, "the credentials went nowhere else");
}

#[test]
fn ten_thousand_threads_cause_one_request_and_share_its_token() {
    let server = token_server(3600, Duration::from_millis(300));
    let cache = TokenCache::new(sohar_at(&server), HttpClient::new());
    let start = Arc::new(Barrier::new(10_000));
    let tokens: Vec<Arc<Token>> = thread::scope(|scope| {
        let callers: Vec<_> = (0..10_000)
            .map(|_| {
                let (cache, start) = (&cache, Arc::clone(&start));
                thread::Builder::new()
                    .stack_size(512 * 1024)
                    .spawn_scoped(scope, move || {
                        start.wait();
                        cache.token()
                    })
                    .unwrap()
            })
            .collect();
        callers
            .into_iter()
            .map(|caller| caller.join().unwrap().unwrap())
            .collect()
    });
    assert_eq!(server.requests(), 1);
    assert!(tokens.iter().all(|token| Arc::ptr_eq(token, &tokens[0])));
}

#[test]
fn renews_ahead_in_the_background_and_never_serves_an_expired_token() {
    // A 2 s token: usable for 1.5 s (a quarter is the margin), renewed after 0.75 s.
    let server = token_server(2, Duration::ZERO);
    let cache = TokenCache::builder(sohar_at(&server), HttpClient::new())
        .refresh_policy(RefreshPolicy::default().jitter(Duration::ZERO))
        .build();
    let first = cache.token().unwrap();
    thread::sleep(Duration::from_millis(900));
    assert!(
        Arc::ptr_eq(&cache.token().unwrap(), &first),
        "served while renewing"
    );
    cache.idle();
    assert_eq!(server.requests(), 2, "one background renewal");
    let renewed = cache.token().unwrap();
    assert!(!Arc::ptr_eq(&renewed, &first));

    // Nobody asks while the token expires: the next caller gets a new one, not the old.
    thread::sleep(Duration::from_millis(2100));
    let after = cache.token().unwrap();
    assert!(!Arc::ptr_eq(&after, &renewed));
    assert!(!after.is_expired());
}

#[test]
fn eight_threads_against_a_failing_provider_send_about_ten_requests_a_second_at_most() {
    let server = ThreadServer::start(|_| Reply::status(500));
    let cache = TokenCache::new(sohar_at(&server), HttpClient::new());
    let errors = AtomicUsize::new(0);
    let until = Instant::now() + Duration::from_secs(1);
    thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                while Instant::now() < until {
                    if cache.token().is_err() {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    thread::sleep(Duration::from_millis(1));
                }
            });
        }
    });
    let requests = server.requests();
    assert!(
        (2..=10).contains(&requests),
        "{requests} requests in one second"
    );
    assert!(
        errors.load(Ordering::Relaxed) > 100,
        "callers got the error at once"
    );
}

#[test]
fn a_panicking_hook_is_contained() {
    let server = token_server(2, Duration::ZERO);
    let cache = TokenCache::builder(sohar_at(&server), HttpClient::new())
        .refresh_policy(RefreshPolicy::default().jitter(Duration::ZERO))
        .on_token(|_| panic!("the hook fails"))
        .build();
    let first = cache.token().unwrap();
    thread::sleep(Duration::from_millis(900));
    cache.token().unwrap();
    cache.idle();
    let second = cache.token().unwrap();
    assert!(
        !Arc::ptr_eq(&first, &second),
        "the background renewal completed"
    );
    cache.invalidate();
    cache.token().unwrap();
    assert_eq!(server.requests(), 3);
}

#[test]
fn caches_sharing_a_store_make_one_request_between_them() {
    let server = token_server(3600, Duration::ZERO);
    let store = Arc::new(MemoryStore::new());
    let cache = |store: &Arc<MemoryStore>| {
        TokenCache::builder(sohar_at(&server), HttpClient::new())
            .store(Arc::clone(store) as Arc<dyn BlockingTokenStore>)
            .build()
    };
    let (first, second) = (cache(&store), cache(&store));
    let from_first = first.token().unwrap();
    let from_second = second.token().unwrap();
    assert_eq!(secret(&from_first), secret(&from_second));
    assert_eq!(
        server.requests(),
        1,
        "the second cache adopted the first one's token"
    );

    // The token is refused: one cache renews, the other adopts the renewal.
    second.invalidate();
    let renewed = second.token().unwrap();
    first.invalidate_token(&from_first);
    assert_eq!(secret(&first.token().unwrap()), secret(&renewed));
    assert_eq!(server.requests(), 2);
}

fn secret(token: &Token) -> &str {
    token.access_token().expose_secret()
}
