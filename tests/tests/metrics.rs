//! The `metrics` feature: a recorder of the test's own receives what a user
//! would graph from a real cache in front of a loopback server (hits and
//! misses, requests by outcome and their duration, renewals, the token's
//! expiry, stale serves, callers turned away while backing off) and no label
//! or metric name carries a secret, even when the provider echoes one back.
//! A binary of its own: the recorder is the process's, and would record every
//! other suite's caches too.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrics::{
    Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};
use oauth_core::{Clock, Error, HttpClient, RefreshPolicy, Secret, TokenCache, TokenEndpoint};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// One metric's values, whichever kind it is.
#[derive(Debug, Default)]
struct Values {
    count: AtomicU64,
    gauge: AtomicU64,
    samples: Mutex<Vec<f64>>,
}

impl CounterFn for Values {
    fn increment(&self, value: u64) {
        self.count.fetch_add(value, Ordering::SeqCst);
    }

    fn absolute(&self, value: u64) {
        self.count.fetch_max(value, Ordering::SeqCst);
    }
}

impl GaugeFn for Values {
    fn increment(&self, value: f64) {
        self.set(self.value() + value);
    }

    fn decrement(&self, value: f64) {
        self.set(self.value() - value);
    }

    fn set(&self, value: f64) {
        self.gauge.store(value.to_bits(), Ordering::SeqCst);
    }
}

impl HistogramFn for Values {
    fn record(&self, value: f64) {
        self.samples.lock().unwrap().push(value);
    }
}

impl Values {
    fn value(&self) -> f64 {
        f64::from_bits(self.gauge.load(Ordering::SeqCst))
    }
}

/// Every metric registered, by name and sorted labels: `name{label=value,...}`.
#[derive(Debug, Default)]
struct Recorded {
    metrics: Mutex<BTreeMap<String, Arc<Values>>>,
}

impl Recorded {
    fn values(&self, key: &Key) -> Arc<Values> {
        let mut labels: Vec<String> = key
            .labels()
            .map(|label| format!("{}={}", label.key(), label.value()))
            .collect();
        labels.sort();
        let name = format!("{}{{{}}}", key.name(), labels.join(","));
        Arc::clone(self.metrics.lock().unwrap().entry(name).or_default())
    }

    fn get(&self, name: &str) -> Option<Arc<Values>> {
        self.metrics.lock().unwrap().get(name).cloned()
    }

    fn count(&self, name: &str) -> u64 {
        self.get(name)
            .map_or(0, |values| values.count.load(Ordering::SeqCst))
    }

    fn names(&self) -> Vec<String> {
        self.metrics.lock().unwrap().keys().cloned().collect()
    }
}

impl Recorder for Recorded {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.values(key))
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(self.values(key))
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.values(key))
    }
}

/// The process's recorder, installed once; each test has a provider of its own to read its metrics by.
fn recorded() -> Arc<Recorded> {
    static RECORDED: OnceLock<Arc<Recorded>> = OnceLock::new();
    Arc::clone(RECORDED.get_or_init(|| {
        let recorded = Arc::new(Recorded::default());
        metrics::set_global_recorder(Arc::clone(&recorded)).unwrap();
        recorded
    }))
}

const SECRET: &str = "canary-client-secret";

/// Client credentials in front of a healthy server.
#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(param(grant_type = "client_credentials"))]
struct Steady {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

/// Client credentials in front of a server that fails on demand.
#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(param(grant_type = "client_credentials"))]
struct Flaky {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

const UP: u8 = 0;
/// A 500 whose body echoes the secret and the last token, as a careless provider might.
const FAILING: u8 = 1;
/// A 503 asking for two minutes' rest.
const RESTING: u8 = 2;

/// A token server switched by `mode`; its tokens are `access-1`, `access-2`...
async fn token_server(mode: Arc<AtomicU8>) -> MockServer {
    let server = MockServer::start().await;
    let issued = AtomicU64::new(0);
    Mock::given(any())
        .respond_with(move |_: &Request| match mode.load(Ordering::SeqCst) {
            UP => {
                let number = issued.fetch_add(1, Ordering::SeqCst) + 1;
                ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "access_token": format!("access-{number}"),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                }))
            }
            FAILING => ResponseTemplate::new(500).set_body_json(serde_json::json!({
                "error": "server_error",
                "error_description": format!("{SECRET} rejected; last token access-1"),
            })),
            _ => ResponseTemplate::new(503)
                .insert_header("retry-after", "120")
                .set_body_json(serde_json::json!({"error": "temporarily_unavailable"})),
        })
        .mount(&server)
        .await;
    server
}

/// A cache on Tokio's paused clock: renew 5 minutes ahead, no jitter, backoff from 1 s.
fn cache<P: TokenEndpoint + 'static>(provider: P) -> TokenCache<P> {
    let client = HttpClient::builder().without_timeouts().build().unwrap();
    let policy = RefreshPolicy::default()
        .jitter(Duration::ZERO)
        .retry_backoff(Duration::from_secs(1), Duration::from_secs(30));
    TokenCache::builder(provider, client)
        .clock(Clock::Tokio)
        .refresh_policy(policy)
        .build()
}

async fn advance(duration: Duration) {
    tokio::time::advance(duration).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[tokio::test(start_paused = true)]
async fn a_healthy_cache_counts_one_miss_then_hits_and_one_request_per_renewal() {
    let recorded = recorded();
    let server = token_server(Arc::new(AtomicU8::new(UP))).await;
    let provider = Steady::new("client", SECRET)
        .with_base_url(&server.uri())
        .unwrap();
    let cache = cache(provider);
    let success = "oauth_token_requests_total{kind=token,outcome=success,provider=steady}";

    cache.token().await.unwrap();
    assert_eq!(
        recorded.count("oauth_token_cache_misses_total{provider=steady}"),
        1
    );
    assert_eq!(
        recorded.count("oauth_token_cache_hits_total{provider=steady}"),
        0,
        "the first caller waited"
    );
    assert_eq!(recorded.count(success), 1);
    assert_eq!(
        recorded.count("oauth_token_renewals_total{provider=steady}"),
        1
    );
    let expiry = recorded
        .get("oauth_token_expiry_timestamp_seconds{provider=steady}")
        .unwrap()
        .value();
    assert!((expiry - (unix_now() + 3600.0)).abs() < 60.0, "{expiry}");
    let durations = recorded
        .get("oauth_token_request_duration_seconds{kind=token,outcome=success,provider=steady}")
        .unwrap();
    assert_eq!(durations.samples.lock().unwrap().len(), 1);

    for _ in 0..10 {
        cache.token().await.unwrap();
    }
    assert_eq!(
        recorded.count("oauth_token_cache_hits_total{provider=steady}"),
        10
    );
    assert_eq!(
        recorded.count("oauth_token_cache_misses_total{provider=steady}"),
        1
    );
    assert_eq!(recorded.count(success), 1);

    // Due for renewal: the caller is served at once and one request renews in the background.
    advance(Duration::from_secs(3300)).await;
    cache.token().await.unwrap();
    cache.idle().await;
    assert_eq!(
        recorded.count("oauth_token_cache_hits_total{provider=steady}"),
        11
    );
    assert_eq!(recorded.count(success), 2);
    assert_eq!(
        recorded.count("oauth_token_renewals_total{provider=steady}"),
        2
    );
    assert_eq!(durations.samples.lock().unwrap().len(), 2);
    assert_no_secret(&recorded);
}

#[tokio::test(start_paused = true)]
async fn an_outage_counts_failures_stale_serves_and_callers_turned_away_by_cause() {
    let recorded = recorded();
    let mode = Arc::new(AtomicU8::new(UP));
    let server = token_server(Arc::clone(&mode)).await;
    let provider = Flaky::new("client", SECRET)
        .with_base_url(&server.uri())
        .unwrap();
    let cache = cache(provider);
    let failure = "oauth_token_requests_total{kind=token,outcome=failure,provider=flaky}";
    let stale = "oauth_token_stale_serves_total{provider=flaky}";
    let refused = |cause: &str| {
        recorded.count(&format!(
            "oauth_token_backoff_refusals_total{{cause={cause},provider=flaky}}"
        ))
    };
    cache.token().await.unwrap();

    // Renewal fails while the token is still valid: callers keep it, served stale.
    mode.store(FAILING, Ordering::SeqCst);
    advance(Duration::from_secs(3300)).await;
    cache.token().await.unwrap();
    cache.idle().await;
    assert_eq!(recorded.count(failure), 1);
    assert_eq!(
        recorded.count(stale),
        0,
        "no failure yet when it was served"
    );
    cache.token().await.unwrap();
    cache.idle().await;
    assert_eq!(recorded.count(failure), 2, "the first retry goes at once");
    assert_eq!(recorded.count(stale), 1);
    for _ in 0..5 {
        cache.token().await.unwrap();
    }
    assert_eq!(recorded.count(stale), 6);
    assert_eq!(recorded.count(failure), 2, "backing off");
    assert_eq!(refused("backoff"), 0, "a valid token was served");

    // Past the token's life, a caller waits for a request that fails, the next one is turned away.
    advance(Duration::from_secs(300)).await;
    assert!(matches!(cache.token().await, Err(Error::Rejected(_))));
    assert_eq!(recorded.count(failure), 3);
    assert!(cache.token().await.is_err());
    assert_eq!(recorded.count(failure), 3, "no request while backing off");
    assert_eq!(refused("backoff"), 1);

    // The provider asks for two minutes' rest: callers are turned away by its Retry-After.
    mode.store(RESTING, Ordering::SeqCst);
    advance(Duration::from_secs(60)).await;
    assert!(cache.token().await.is_err());
    assert_eq!(recorded.count(failure), 4);
    assert!(cache.token().await.is_err());
    assert_eq!(refused("retry_after"), 1);

    let durations = recorded
        .get("oauth_token_request_duration_seconds{kind=token,outcome=failure,provider=flaky}")
        .unwrap();
    assert_eq!(durations.samples.lock().unwrap().len(), 4);
    assert_no_secret(&recorded);
}

/// No metric name or label holds a credential or a token, and every label is one of a few fixed words.
fn assert_no_secret(recorded: &Recorded) {
    let names = recorded.names();
    assert!(!names.is_empty());
    for name in names {
        for secret in [SECRET, "access-", "client"] {
            assert!(!name.contains(secret), "{name}");
        }
        let labels = name
            .split_once('{')
            .map(|(_, labels)| labels.trim_end_matches('}'))
            .unwrap_or_default();
        for label in labels.split(',').filter(|label| !label.is_empty()) {
            let (key, value) = label.split_once('=').unwrap();
            let allowed: &[&str] = match key {
                "provider" => &["steady", "flaky"],
                "kind" => &["token", "refresh"],
                "outcome" => &["success", "failure", "refused"],
                "cause" => &["backoff", "retry_after"],
                other => panic!("unexpected label {other} in {name}"),
            };
            assert!(allowed.contains(&value), "{name}");
        }
    }
}
