//! The token cache against loopback servers, on Tokio's paused clock: time
//! moves only when the test says so, and nothing really sleeps.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth_core::{
    Clock, CustomUrl, Error, HttpClient, RefreshPolicy, Token, TokenCache, TokenCacheBuilder,
    TokenEndpoint, TokenSource,
};
use oauth_providers::{MyZeePay, OnDayZero, Sohar};
use oauth_tests::sandbox::Sandbox;
use oauth_tests::sandbox::credentials::{
    API_TOKEN, CLIENT_ID, CLIENT_SECRET, PASSWORD, USER_EMAIL, USERNAME,
};
use oauth_tests::wire::{self, Recording};
use tokio::time;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The paused clock jumps ahead while the runtime waits on loopback I/O, which would fire any timeout.
fn client() -> HttpClient {
    HttpClient::builder()
        .without_timeouts()
        .build()
        .expect("the client builds")
}

/// A cache that reads Tokio's paused clock.
fn builder<P: TokenEndpoint + 'static>(provider: P) -> TokenCacheBuilder<P> {
    TokenCache::builder(provider, client()).clock(Clock::Tokio)
}

/// Renew 5 minutes ahead, no jitter and a 10 s expiry margin: instants a test can name.
fn exact_policy() -> RefreshPolicy {
    RefreshPolicy::default().jitter(Duration::ZERO)
}

/// Moves the paused clock, then lets the timers that fired run (a held token's freshness timer).
async fn advance(duration: Duration) {
    time::advance(duration).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

/// A cache in front of Sohar, served by `server`.
fn sohar_cache_at(server: &MockServer) -> TokenCache<CustomUrl<Sohar>> {
    let provider = Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(&server.uri())
        .unwrap();
    builder(provider).build()
}

/// `count` tasks asking `cache` for a token at the same moment.
fn ask_at_once<P: TokenEndpoint + 'static>(
    cache: &TokenCache<P>,
    count: usize,
) -> Vec<tokio::task::JoinHandle<Result<Arc<Token>, Error>>> {
    (0..count)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.token().await })
        })
        .collect()
}

async fn requests(server: &impl Recording) -> Vec<Request> {
    server.received().await
}

#[tokio::test(start_paused = true)]
async fn ten_thousand_callers_cause_one_request_and_share_its_token() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET)).unwrap();
    let cache = builder(provider).build();

    let callers = ask_at_once(&cache, 10_000);
    let mut tokens = Vec::with_capacity(callers.len());
    for caller in callers {
        tokens.push(caller.await.unwrap().unwrap());
    }

    assert_eq!(requests(&sandbox.sohar).await.len(), 1);
    assert!(tokens.iter().all(|token| Arc::ptr_eq(token, &tokens[0])));
}

#[tokio::test(start_paused = true)]
async fn renews_ahead_of_expiry_while_callers_keep_the_current_token() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET)).unwrap();
    let cache = builder(provider).refresh_policy(exact_policy()).build();
    let first = cache.token().await.unwrap();

    // 3600 s lifetime, usable until 3590 s, renewal due at 3290 s.
    advance(Duration::from_secs(3280)).await;
    assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    cache.idle().await;
    assert_eq!(
        requests(&sandbox.sohar).await.len(),
        1,
        "nothing is due yet"
    );

    advance(Duration::from_secs(20)).await;
    for _ in 0..100 {
        let served = cache.token().await.unwrap();
        assert!(
            Arc::ptr_eq(&served, &first),
            "callers are served at once, not after the renewal"
        );
    }
    cache.idle().await;
    assert_eq!(
        requests(&sandbox.sohar).await.len(),
        2,
        "one renewal, not one per caller"
    );
    let renewed = cache.token().await.unwrap();
    assert!(!Arc::ptr_eq(&renewed, &first));
    assert_ne!(
        renewed.access_token().expose_secret(),
        first.access_token().expose_secret()
    );
}

/// A token server that can be switched between up, failing (500) and gone (connection refused).
struct Switchable {
    port: u16,
    mode: Arc<AtomicU8>,
    server: Option<MockServer>,
}

const UP: u8 = 0;
const FAILING: u8 = 1;

impl Switchable {
    async fn start(port: u16, mode: Arc<AtomicU8>, served: &Arc<AtomicUsize>) -> Self {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = MockServer::builder().listener(listener).start().await;
        let (responder_mode, responder_served) = (Arc::clone(&mode), Arc::clone(served));
        Mock::given(any())
            .respond_with(move |_: &Request| {
                responder_served.fetch_add(1, Ordering::SeqCst);
                if responder_mode.load(Ordering::SeqCst) == UP {
                    ResponseTemplate::new(200).set_body_json(serde_json::json!({
                        "access_token": wire::opaque_token("switchable"),
                        "token_type": "Bearer",
                        "expires_in": 3600,
                    }))
                } else {
                    ResponseTemplate::new(500)
                }
            })
            .mount(&server)
            .await;
        Self {
            port,
            mode,
            server: Some(server),
        }
    }

    fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

#[tokio::test(start_paused = true)]
async fn a_provider_outage_is_invisible_while_the_token_is_valid_and_recovers_after() {
    let served = Arc::new(AtomicUsize::new(0));
    let mut provider_server = Switchable::start(0, Arc::new(AtomicU8::new(UP)), &served).await;
    let provider = Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(&provider_server.uri())
        .unwrap();
    let policy = exact_policy().retry_backoff(Duration::from_secs(1), Duration::from_secs(30));
    let cache = builder(provider).refresh_policy(policy).build();
    let first = cache.token().await.unwrap();

    // The provider fails with 500 from the moment a renewal is due: callers keep the token.
    provider_server.mode.store(FAILING, Ordering::SeqCst);
    advance(Duration::from_secs(3300)).await;
    assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    cache.idle().await;
    assert_eq!(served.load(Ordering::SeqCst), 2, "one failed renewal");

    // The first retry goes at once (a transient error costs nothing), then backoff.
    assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    cache.idle().await;
    assert_eq!(served.load(Ordering::SeqCst), 3, "one immediate retry");
    for _ in 0..50 {
        assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    }
    cache.idle().await;
    assert_eq!(
        served.load(Ordering::SeqCst),
        3,
        "no retry before the backoff elapses"
    );
    // The second failure waits 1 s, stretched by up to half at random.
    advance(Duration::from_millis(1600)).await;
    cache.token().await.unwrap();
    cache.idle().await;
    assert_eq!(
        served.load(Ordering::SeqCst),
        4,
        "retried once the backoff elapsed"
    );

    // Then the provider is gone altogether: connections are refused.
    provider_server.server.take();
    advance(Duration::from_secs(60)).await;
    assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    cache.idle().await;

    // Past the token's usable life, callers get the error.
    advance(Duration::from_secs(300)).await;
    let error = cache.token().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    // The provider returns: until the backoff ends callers get the last error
    // at once; then the next call recovers.
    let returned =
        Switchable::start(provider_server.port, Arc::new(AtomicU8::new(UP)), &served).await;
    let before = served.load(Ordering::SeqCst);
    assert!(matches!(cache.token().await, Err(Error::Transport(_))));
    assert_eq!(
        served.load(Ordering::SeqCst),
        before,
        "no request while backing off"
    );
    advance(Duration::from_secs(45)).await;
    let recovered = cache.token().await.unwrap();
    assert!(!Arc::ptr_eq(&recovered, &first));
    drop(returned);
}

#[tokio::test(start_paused = true)]
async fn waiters_on_a_failing_fetch_share_one_error_and_the_next_call_tries_again() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let cache = sohar_cache_at(&server);

    let callers = ask_at_once(&cache, 100);
    for caller in callers {
        let error = caller.await.unwrap().unwrap_err();
        assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    }
    assert_eq!(
        requests(&server).await.len(),
        1,
        "one request for a hundred waiters"
    );

    cache.token().await.unwrap_err();
    assert_eq!(
        requests(&server).await.len(),
        2,
        "a failure is not cached: the next call asks again"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let cache = sohar_cache_at(&server);

    let error = cache.token().await.unwrap_err();
    assert_eq!(
        error.provider_error().unwrap().retry_after,
        Some(Duration::from_secs(30))
    );
    cache.token().await.unwrap_err();
    assert_eq!(
        requests(&server).await.len(),
        1,
        "no request while the provider asked to wait"
    );
    advance(Duration::from_secs(31)).await;
    cache.token().await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 2);
}

fn grant_types(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|request| {
            wire::form_fields(request)
                .unwrap_or_default()
                .remove("grant_type")
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn refresh_grant_rotation_and_fallback_to_a_full_fetch() {
    let sandbox = Sandbox::start().await;
    let provider = MyZeePay::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
        .with_server(sandbox.myzeepay_server());
    let cache = builder(provider).build();

    let first = cache.token().await.unwrap();
    cache.invalidate();
    let second = cache.token().await.unwrap();
    let refresh = &requests(&sandbox.myzeepay).await[1];
    assert_eq!(
        wire::form_fields(refresh),
        Some(wire::fields([
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                first.refresh_token().unwrap().expose_secret()
            ),
        ]))
    );
    assert_ne!(
        second.refresh_token().unwrap().expose_secret(),
        first.refresh_token().unwrap().expose_secret(),
        "the rotated refresh token replaces the old one"
    );

    // The rotated token is the one used next (the old one was redeemed and would be refused).
    cache.invalidate();
    cache.token().await.unwrap();
    assert_eq!(
        wire::form_fields(&requests(&sandbox.myzeepay).await[2]).unwrap()["refresh_token"],
        second.refresh_token().unwrap().expose_secret()
    );

    // A refused refresh falls back to the password grant.
    sandbox.myzeepay_refresh_tokens.revoke_all();
    cache.invalidate();
    let after_revocation = cache.token().await.unwrap();
    assert!(
        after_revocation
            .access_token()
            .expose_secret()
            .starts_with("myzeepay-access-")
    );
    assert_eq!(
        grant_types(&requests(&sandbox.myzeepay).await),
        [
            "password",
            "refresh_token",
            "refresh_token",
            "refresh_token",
            "password"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn ondayzero_renews_on_its_own_refresh_endpoint() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox
        .ondayzero(OnDayZero::new(API_TOKEN, USER_EMAIL))
        .unwrap();
    let cache = builder(provider).refresh_policy(exact_policy()).build();
    cache.token().await.unwrap();
    advance(Duration::from_secs(3300)).await;
    cache.token().await.unwrap();
    cache.idle().await;

    let requests = requests(&sandbox.ondayzero).await;
    let refresh = &requests[1];
    assert_eq!(refresh.url.path(), "/api/v1/oauth2/refresh");
    assert_eq!(
        wire::header(refresh, "authorization"),
        Some(format!("Bearer {API_TOKEN}").as_str())
    );
    assert_eq!(
        wire::header(refresh, "content-type"),
        Some("application/json")
    );
    assert_eq!(refresh.body, b"{}");
}

#[tokio::test(start_paused = true)]
async fn a_token_without_a_lifetime_is_kept_until_invalidated() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|_: &Request| {
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": wire::opaque_token("forever")}))
        })
        .mount(&server)
        .await;
    let cache = sohar_cache_at(&server);
    let first = cache.token().await.unwrap();
    advance(Duration::from_secs(30 * 24 * 3600)).await;
    assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    assert_eq!(requests(&server).await.len(), 1);

    cache.invalidate();
    assert!(!Arc::ptr_eq(&cache.token().await.unwrap(), &first));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn every_new_token_reaches_the_callback() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET)).unwrap();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let recorder = Arc::clone(&seen);
    let cache = builder(provider)
        .on_token(move |token: &Token| {
            recorder
                .lock()
                .unwrap()
                .push(token.access_token().expose_secret().to_owned());
        })
        .build();
    let first = cache.token().await.unwrap();
    cache.token().await.unwrap();
    cache.invalidate();
    let second = cache.token().await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            first.access_token().expose_secret(),
            second.access_token().expose_secret()
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_persisted_token_is_served_without_a_request() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET)).unwrap();
    let persisted = Token::new("persisted")
        .with_expires_at(std::time::SystemTime::now() + Duration::from_secs(3600));
    let cache = builder(provider).build_with(persisted);
    assert_eq!(
        cache.token().await.unwrap().access_token().expose_secret(),
        "persisted"
    );
    assert!(requests(&sandbox.sohar).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn send_authorized_renews_once_on_401() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET)).unwrap();
    let cache = builder(provider).build();

    // The API refuses the first token it sees, as after a revocation.
    let api = MockServer::start().await;
    let refused = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refused);
    Mock::given(any())
        .respond_with(move |_: &Request| {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                ResponseTemplate::new(401)
            } else {
                ResponseTemplate::new(200).set_body_string("ok")
            }
        })
        .mount(&api)
        .await;

    let http = oauth_core::reqwest::Client::new();
    let response = cache
        .send_authorized(http.get(format!("{}/v1/things", api.uri())))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let api_requests = requests(&api).await;
    let bearers: Vec<_> = api_requests
        .iter()
        .map(|request| wire::header(request, "authorization").unwrap())
        .collect();
    assert_eq!(bearers.len(), 2);
    assert_ne!(bearers[0], bearers[1], "the retry carries a new token");
    assert_eq!(requests(&sandbox.sohar).await.len(), 2);
}

#[tokio::test]
async fn a_provider_is_a_token_source_that_fetches_every_time() {
    let sandbox = Sandbox::start().await;
    let source: Box<dyn TokenSource> =
        Box::new(sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET)).unwrap());
    let first = source.token().await.unwrap();
    let second = source.token().await.unwrap();
    assert_ne!(
        first.access_token().expose_secret(),
        second.access_token().expose_secret()
    );
    assert_eq!(requests(&sandbox.sohar).await.len(), 2);
    assert_eq!(source.source_name(), "sohar");
}
