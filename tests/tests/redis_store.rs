//! `RedisStore` on its own, against a real `redis-server`: the four store
//! operations, the change notification, expiry, unreadable entries, and an
//! unreachable server. The fleet behaviour is in `fleet.rs`. A binary of its
//! own: a 300 ms lease must still be held a few commands later, and a stalled
//! Redis given up on within 2 s, which another suite's load could push past.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use oauth_core::store::{BlockingTokenStore, Lease, StoredToken, Swap, TokenStore};
use oauth_core::{PrivateKey, RedisStore, Token, TokenEndpoint};
use oauth_providers::MyZeePay;
use oauth_tests::keys;
use oauth_tests::redis_server::RedisServer;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};

fn provider(secret: &str) -> MyZeePay {
    MyZeePay::new(CLIENT_ID, secret, USERNAME, PASSWORD).with_server("http://127.0.0.1:9")
}

fn store(redis: &RedisServer) -> RedisStore {
    RedisStore::builder(&redis.url())
        .build(&provider(CLIENT_SECRET))
        .unwrap()
}

fn token(name: &str, lifetime: Duration) -> Arc<Token> {
    Arc::new(
        Token::new(name)
            .with_refresh_token(format!("{name}-refresh"))
            .with_expires_at(SystemTime::now() + lifetime),
    )
}

fn access(stored: &StoredToken) -> &str {
    stored.token().access_token().expose_secret()
}

#[tokio::test]
async fn compare_and_set_stores_once_and_the_stored_token_wins_a_conflict() {
    let redis = RedisServer::start();
    let store = store(&redis);
    assert!(TokenStore::load(&store).await.unwrap().is_none());

    let first = token("first", Duration::from_secs(60));
    let Swap::Stored { version } = TokenStore::compare_and_set(&store, None, first)
        .await
        .unwrap()
    else {
        panic!("an empty store takes the token");
    };
    let loaded = TokenStore::load(&store).await.unwrap().unwrap();
    assert_eq!((loaded.version(), access(&loaded)), (version, "first"));
    assert_eq!(
        loaded.token().refresh_token().unwrap().expose_secret(),
        "first-refresh"
    );

    // A writer that started before `first` was stored loses, and learns what is stored.
    let late = token("late", Duration::from_secs(60));
    match TokenStore::compare_and_set(&store, None, late)
        .await
        .unwrap()
    {
        Swap::Conflict(stored) => assert_eq!(access(&stored), "first"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let next = token("next", Duration::from_secs(60));
    let Swap::Stored { version: newer } = TokenStore::compare_and_set(&store, Some(version), next)
        .await
        .unwrap()
    else {
        panic!("the expected version is replaced");
    };
    assert!(newer > version);
}

#[test]
fn the_blocking_store_reads_what_the_async_one_wrote() {
    let redis = RedisServer::start();
    let store = store(&redis);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let written = token("shared", Duration::from_secs(60));
    runtime
        .block_on(TokenStore::compare_and_set(&store, None, written))
        .unwrap();
    drop(runtime);

    let other_process = self::store(&redis);
    let loaded = BlockingTokenStore::load(&other_process).unwrap().unwrap();
    assert_eq!(access(&loaded), "shared");
    let replaced = token("replaced", Duration::from_secs(60));
    let swap =
        BlockingTokenStore::compare_and_set(&other_process, Some(loaded.version()), replaced)
            .unwrap();
    assert!(matches!(swap, Swap::Stored { .. }), "{swap:?}");
}

#[tokio::test]
async fn the_lease_is_exclusive_released_only_by_its_holder_and_expires() {
    let redis = RedisServer::start();
    let (one, two) = (store(&redis), store(&redis));
    let ttl = Duration::from_millis(300);
    let lease = TokenStore::acquire_lease(&one, ttl).await.unwrap().unwrap();
    assert!(
        TokenStore::acquire_lease(&two, ttl)
            .await
            .unwrap()
            .is_none()
    );

    // Someone else's lease value releases nothing.
    TokenStore::release_lease(&two, Lease::new(lease.id().wrapping_add(1)))
        .await
        .unwrap();
    assert!(
        TokenStore::acquire_lease(&two, ttl)
            .await
            .unwrap()
            .is_none()
    );

    TokenStore::release_lease(&one, lease).await.unwrap();
    let taken = TokenStore::acquire_lease(&two, ttl).await.unwrap();
    assert!(taken.is_some(), "a released lease is free");

    // A holder that never releases (it crashed) blocks nobody past the lease.
    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    assert!(
        TokenStore::acquire_lease(&one, ttl)
            .await
            .unwrap()
            .is_some()
    );
}

#[test]
fn the_entry_expires_with_its_token() {
    let redis = RedisServer::start();
    let store = store(&redis);
    let lifetime = Duration::from_secs(90);
    BlockingTokenStore::compare_and_set(&store, None, token("t", lifetime)).unwrap();
    let mut connection = redis.connection();
    let pttl: i64 = redis::cmd("PTTL")
        .arg(store.entry_key())
        .query(&mut connection)
        .unwrap();
    assert!((80_000..=90_000).contains(&pttl), "{pttl}");

    let forever = Arc::new(Token::new("no expiry"));
    let stored = BlockingTokenStore::load(&store).unwrap().unwrap();
    BlockingTokenStore::compare_and_set(&store, Some(stored.version()), forever).unwrap();
    let pttl: i64 = redis::cmd("PTTL")
        .arg(store.entry_key())
        .query(&mut connection)
        .unwrap();
    assert_eq!(pttl, -1, "a token with no expiry stays until replaced");
}

#[test]
fn an_entry_that_does_not_open_counts_as_absent_and_is_replaced() {
    let redis = RedisServer::start();
    let store = store(&redis);
    let mut connection = redis.connection();
    let () = redis::cmd("HSET")
        .arg(store.entry_key())
        .arg("v")
        .arg("17")
        .arg("t")
        .arg(b"\x01 not sealed by this key".as_slice())
        .query(&mut connection)
        .unwrap();
    assert!(BlockingTokenStore::load(&store).unwrap().is_none());

    let swap =
        BlockingTokenStore::compare_and_set(&store, None, token("fresh", Duration::from_secs(60)))
            .unwrap();
    assert!(matches!(swap, Swap::Stored { .. }), "{swap:?}");
    let loaded = BlockingTokenStore::load(&store).unwrap().unwrap();
    assert_eq!(access(&loaded), "fresh");
}

#[test]
fn another_encryption_key_neither_reads_nor_shares_the_entry() {
    let redis = RedisServer::start();
    let derived = store(&redis);
    let explicit = RedisStore::builder(&redis.url())
        .encryption_key("an explicit key of at least 32 random bytes")
        .build(&provider(CLIENT_SECRET))
        .unwrap();
    assert_ne!(derived.entry_key(), explicit.entry_key());
    BlockingTokenStore::compare_and_set(&derived, None, token("t", Duration::from_secs(60)))
        .unwrap();
    assert!(BlockingTokenStore::load(&explicit).unwrap().is_none());
}

#[test]
fn keys_name_the_provider_and_differ_by_credential_without_showing_one() {
    let redis = RedisServer::start();
    let one = store(&redis);
    let two = RedisStore::builder(&redis.url())
        .build(&provider("another-client-secret"))
        .unwrap();
    assert!(
        one.entry_key().starts_with("oauth-token:myzeepay:"),
        "{}",
        one.entry_key()
    );
    assert_ne!(one.entry_key(), two.entry_key());
    for key in [one.entry_key(), two.entry_key()] {
        for secret in [CLIENT_SECRET, PASSWORD, "another-client-secret"] {
            assert!(!key.contains(secret), "{key}");
        }
    }
}

/// A client that signs a `private_key_jwt` assertion for every request.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "private_key_jwt"
)]
#[token(param(grant_type = "client_credentials"))]
struct Signer {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

/// The store of a signing provider with `key`, read from `text` and given the JWK files' `kid`.
fn signing_store(redis: &RedisServer, text: &str, kid: &str) -> RedisStore {
    let key = text.parse::<PrivateKey>().unwrap().with_key_id(kid);
    RedisStore::builder(&redis.url())
        .build(&Signer::new(CLIENT_ID, key))
        .unwrap()
}

#[test]
fn every_form_of_one_signing_key_names_one_entry_and_another_key_another() {
    let redis = RedisServer::start();
    let forms: [(&str, &[&str]); 5] = [
        (
            "test-rsa",
            &[keys::RSA_PKCS8, keys::RSA_PKCS1, keys::RSA_JWK],
        ),
        (
            "test-other-rsa",
            &[keys::OTHER_RSA_PKCS8, keys::OTHER_RSA_JWK],
        ),
        (
            "test-p256",
            &[keys::P256_SEC1, keys::P256_PKCS8, keys::P256_JWK],
        ),
        (
            "test-p384",
            &[keys::P384_SEC1, keys::P384_PKCS8, keys::P384_JWK],
        ),
        ("test-ed25519", &[keys::ED25519_PKCS8, keys::ED25519_JWK]),
    ];
    let mut entries = Vec::new();
    for (kid, texts) in forms {
        let stores: Vec<RedisStore> = texts
            .iter()
            .map(|text| signing_store(&redis, text, kid))
            .collect();
        for store in &stores {
            assert_eq!(store.entry_key(), stores[0].entry_key(), "{kid}");
        }
        entries.push(stores[0].entry_key().to_owned());

        // What one form stores, every other form opens: the sealing key is the same too.
        let written = token(kid, Duration::from_secs(60));
        BlockingTokenStore::compare_and_set(&stores[0], None, written).unwrap();
        for store in &stores[1..] {
            let loaded = BlockingTokenStore::load(store).unwrap();
            assert_eq!(loaded.as_ref().map(access), Some(kid), "{kid}");
        }
    }
    entries.sort();
    entries.dedup();
    assert_eq!(entries.len(), forms.len(), "each key its own entry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_wakes_when_the_holder_publishes() {
    let redis = RedisServer::start();
    let (waiter, holder) = (store(&redis), store(&redis));
    let started = Instant::now();
    let waiting =
        tokio::spawn(
            async move { TokenStore::wait_for_change(&waiter, Duration::from_secs(20)).await },
        );
    tokio::time::sleep(Duration::from_millis(300)).await;
    TokenStore::compare_and_set(&holder, None, token("new", Duration::from_secs(60)))
        .await
        .unwrap();
    assert!(waiting.await.unwrap(), "the store could subscribe");
    let woke = started.elapsed();
    assert!(
        woke >= Duration::from_millis(300),
        "not before the write: {woke:?}"
    );
    assert!(
        woke < Duration::from_secs(20),
        "woken by the write, not the timeout"
    );
}

#[test]
fn a_blocking_waiter_wakes_when_the_lease_is_released() {
    let redis = RedisServer::start();
    let (waiter, holder) = (store(&redis), store(&redis));
    let lease = BlockingTokenStore::acquire_lease(&holder, Duration::from_secs(30))
        .unwrap()
        .unwrap();
    let started = Instant::now();
    let waiting = std::thread::spawn(move || {
        BlockingTokenStore::wait_for_change(&waiter, Duration::from_secs(20))
    });
    std::thread::sleep(Duration::from_millis(300));
    BlockingTokenStore::release_lease(&holder, lease).unwrap();
    assert!(waiting.join().unwrap(), "the store could subscribe");
    let woke = started.elapsed();
    assert!(
        woke >= Duration::from_millis(300),
        "not before the release: {woke:?}"
    );
    assert!(
        woke < Duration::from_secs(20),
        "woken by the release, not the timeout"
    );
}

#[test]
fn an_unreachable_redis_fails_the_operation_not_the_caller_and_is_left_alone_for_a_while() {
    let mut redis = RedisServer::start();
    let store = store(&redis);
    redis.kill();
    let error = BlockingTokenStore::load(&store).unwrap_err().to_string();
    assert!(error.contains("Redis"), "{error}");
    // Until the pause ends, the store does not even try: no connection, no timeout.
    let error = BlockingTokenStore::acquire_lease(&store, Duration::from_secs(1))
        .unwrap_err()
        .to_string();
    assert!(error.contains("not asked"), "{error}");
    assert!(!BlockingTokenStore::wait_for_change(
        &store,
        Duration::from_secs(1)
    ));

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    while BlockingTokenStore::load(&store).is_err() {
        assert!(Instant::now() < deadline, "the store came back");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_url_that_is_not_redis_is_a_configuration_error_that_quotes_no_password() {
    let error = RedisStore::builder("http://:hunter2@127.0.0.1/")
        .build(&provider(CLIENT_SECRET))
        .unwrap_err();
    assert!(matches!(error, oauth_core::Error::Config(_)), "{error:?}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[tokio::test]
async fn the_hit_path_never_touches_redis() {
    let redis = RedisServer::start();
    let server = oauth_tests::fleet::FleetServer::start(3600).await;
    let provider = server.provider();
    let store = RedisStore::builder(&redis.url()).build(&provider).unwrap();
    let cache = oauth_core::TokenCache::builder(provider, oauth_core::HttpClient::new().unwrap())
        .store(Arc::new(store))
        .build();
    let first = cache.token().await.unwrap();
    assert_eq!(
        redis.entry_keys().len(),
        1,
        "the renewal went through Redis"
    );

    let mut connection = redis.connection();
    let () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut connection)
        .unwrap();
    for _ in 0..10_000 {
        let token = cache.token().await.unwrap();
        assert!(Arc::ptr_eq(&token, &first));
    }
    let info: String = redis::cmd("INFO")
        .arg("stats")
        .query(&mut connection)
        .unwrap();
    let processed: u64 = info
        .lines()
        .find_map(|line| line.strip_prefix("total_commands_processed:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap();
    // Only the test's own CONFIG RESETSTAT (and INFO itself, depending on the version) reached Redis.
    assert!(processed <= 2, "{processed} commands for 10,000 hits");
}

/// Pauses every client of `redis` for `pause`, as a Redis stalled by a slow command would.
fn stall(redis: &RedisServer, pause: Duration) {
    let () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(u64::try_from(pause.as_millis()).unwrap())
        .arg("ALL")
        .query(&mut redis.connection())
        .unwrap();
}

#[test]
fn a_stalled_redis_is_given_up_on_after_the_command_timeout() {
    let redis = RedisServer::start();
    let store = store(&redis);
    assert!(BlockingTokenStore::load(&store).unwrap().is_none());
    stall(&redis, Duration::from_secs(3));
    let started = Instant::now();
    let error = BlockingTokenStore::load(&store).unwrap_err().to_string();
    assert!(error.contains("in time"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it did not wait for Redis"
    );
}

#[tokio::test]
async fn a_stalled_redis_is_given_up_on_after_the_command_timeout_from_async_code_too() {
    let redis = RedisServer::start();
    let store = store(&redis);
    assert!(TokenStore::load(&store).await.unwrap().is_none());
    stall(&redis, Duration::from_secs(3));
    let started = Instant::now();
    let error = TokenStore::load(&store).await.unwrap_err().to_string();
    assert!(error.contains("in time"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it did not wait for Redis"
    );
}
