//! A Redis outage seen through the logs: one warning, however many renewals
//! meet it. A binary of its own: the log is captured with a thread-scoped
//! subscriber, which another test reaching the same log sites at the same time
//! could leave unregistered.

use std::sync::Arc;
use std::time::Duration;

use oauth_core::RedisStore;
use oauth_tests::captured_logs::CapturedLogs;
use oauth_tests::redis_server::RedisServer;

#[tokio::test]
async fn an_outage_is_warned_about_once_while_the_cache_renews_on_its_own() {
    let captured = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(captured.clone())
        .without_time()
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let mut redis = RedisServer::start();
    let server = oauth_tests::fleet::FleetServer::start(60).await;
    let provider = server.provider();
    let store = RedisStore::builder(&redis.url()).build(&provider).unwrap();
    let cache = oauth_core::TokenCache::builder(provider, oauth_core::HttpClient::new().unwrap())
        .store(Arc::new(store))
        .build();
    redis.kill();

    let mut tokens = Vec::new();
    for _ in 0..6 {
        let token = cache.token().await.expect("a token while Redis is down");
        tokens.push(token.access_token().expose_secret().to_owned());
        cache.invalidate();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokens.dedup();
    assert_eq!(
        tokens.len(),
        6,
        "every renewal went to the provider: {tokens:?}"
    );

    let log = captured.text();
    let warnings: Vec<&str> = log.lines().filter(|line| line.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(warnings[0].contains("Redis"), "{log}");
}
