use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwapOption;
use async_trait::async_trait;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::{Error, HttpClient, Secret, Token, TokenEndpoint, TokenSource};

/// A token cache in front of any provider: one upstream request per token
/// lifetime, however many tasks ask.
///
/// - A held token is served without a lock and without allocating: one atomic
///   load and the clone of an `Arc`.
/// - When less than the [refresh margin](RefreshPolicy::refresh_ahead) of its
///   lifetime remains, one background task renews it while callers keep
///   receiving the current token.
/// - With no usable token, concurrent callers share a single request and its
///   outcome, success or error.
/// - If renewing fails while the token is still valid, callers keep receiving
///   it and the renewal is retried with backoff; once it expires they receive
///   the error, and the next call tries again. A `Retry-After` is honoured.
/// - A token with a refresh token is renewed with it when the provider declares
///   how (`#[token(refresh(...))]`); a rotated refresh token replaces the old
///   one; a refused refresh falls back to a full token request.
/// - A token with no known lifetime is kept until [`invalidate`](Self::invalidate)d.
///
/// ```no_run
/// use oauth_core::{HttpClient, TokenCache};
/// # use oauth_core::{Secret, TokenEndpoint};
/// # #[derive(TokenEndpoint)]
/// # #[token(base_url = "https://auth.example.com", path = "/token")]
/// # struct Acme { client_id: String, #[token(secret)] client_secret: Secret }
///
/// # async fn run() -> Result<(), oauth_core::Error> {
/// let cache = TokenCache::new(Acme::new("id", "secret"), HttpClient::new()?);
/// let token = cache.token().await?; // fetched
/// let again = cache.token().await?; // served from the cache
/// # Ok(())
/// # }
/// ```
pub struct TokenCache<P> {
    shared: Arc<Shared<P>>,
}

impl<P> Clone for TokenCache<P> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for TokenCache<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("provider", &self.shared.provider)
            .field("policy", &self.shared.policy)
            .field("holds_token", &self.shared.current.load().is_some())
            .finish_non_exhaustive()
    }
}

/// When a [`TokenCache`] renews its token, and how it retries.
#[derive(Clone, Debug)]
#[must_use]
pub struct RefreshPolicy {
    refresh_ahead: Duration,
    jitter: Duration,
    expiry_margin: Duration,
    min_retry: Duration,
    max_retry: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            refresh_ahead: Duration::from_secs(5 * 60),
            jitter: Duration::from_secs(60),
            expiry_margin: Duration::from_secs(10),
            min_retry: Duration::from_secs(1),
            max_retry: Duration::from_secs(60),
        }
    }
}

impl RefreshPolicy {
    /// Renew when this much of the lifetime remains (at most half the lifetime); default 5 minutes.
    pub fn refresh_ahead(mut self, margin: Duration) -> Self {
        self.refresh_ahead = margin;
        self
    }

    /// Renew up to this much earlier still, at random, so a fleet does not renew in step
    /// (at most a tenth of the lifetime); default 1 minute.
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Stop handing out a token this long before it expires, so it does not expire
    /// on its way to the server (at most a quarter of the lifetime); default 10 seconds.
    pub fn expiry_margin(mut self, margin: Duration) -> Self {
        self.expiry_margin = margin;
        self
    }

    /// The first and the longest wait between failed renewals; doubling in between.
    /// Defaults 1 second and 1 minute.
    pub fn retry_backoff(mut self, first: Duration, longest: Duration) -> Self {
        self.min_retry = first;
        self.max_retry = longest.max(first);
        self
    }

    fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(16);
        self.min_retry
            .saturating_mul(1 << doublings)
            .min(self.max_retry)
    }
}

/// Configures a [`TokenCache`].
#[must_use]
pub struct TokenCacheBuilder<P> {
    provider: P,
    client: HttpClient,
    policy: RefreshPolicy,
    on_token: Option<TokenCallback>,
}

type TokenCallback = Box<dyn Fn(&Token) + Send + Sync>;

impl<P: TokenEndpoint + 'static> TokenCacheBuilder<P> {
    /// Sets when tokens are renewed.
    pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Calls `on_token` with every new token before it is handed out, to persist it, say.
    pub fn on_token(mut self, on_token: impl Fn(&Token) + Send + Sync + 'static) -> Self {
        self.on_token = Some(Box::new(on_token));
        self
    }

    /// Starts with a token obtained earlier (one persisted by `on_token`, say).
    pub fn build_with(self, token: Token) -> TokenCache<P> {
        let cache = self.build();
        cache.shared.store(token);
        cache
    }

    /// The cache, empty: the first call fetches.
    pub fn build(self) -> TokenCache<P> {
        TokenCache {
            shared: Arc::new(Shared {
                provider: self.provider,
                client: self.client,
                policy: self.policy,
                on_token: self.on_token,
                current: ArcSwapOption::empty(),
                flight: Mutex::new(Flight::default()),
                completed: AtomicU64::new(0),
                refreshing: AtomicBool::new(false),
                origin: Instant::now(),
                retry_not_before: AtomicU64::new(0),
            }),
        }
    }
}

impl<P: TokenEndpoint + 'static> TokenCache<P> {
    /// A cache with the default [`RefreshPolicy`].
    pub fn new(provider: P, client: HttpClient) -> Self {
        Self::builder(provider, client).build()
    }

    /// Starts configuring a cache.
    pub fn builder(provider: P, client: HttpClient) -> TokenCacheBuilder<P> {
        TokenCacheBuilder {
            provider,
            client,
            policy: RefreshPolicy::default(),
            on_token: None,
        }
    }

    /// A currently valid token: the held one, or a new one if it is missing or expired.
    pub async fn token(&self) -> Result<Arc<Token>, Error> {
        match self.shared.cached() {
            Some(token) => Ok(token),
            None => self.shared.fetch_shared().await,
        }
    }

    /// Forgets the held token, so the next call obtains a new one (with the refresh token, if any).
    pub fn invalidate(&self) {
        if let Some(entry) = &*self.shared.current.load() {
            entry.invalidate();
        }
    }

    /// Forgets `token` if it is still the one held.
    pub fn invalidate_token(&self, token: &Arc<Token>) {
        if let Some(entry) = &*self.shared.current.load()
            && Arc::ptr_eq(&entry.token, token)
        {
            entry.invalidate();
        }
    }

    /// Waits until no renewal is running (a background refresh, say); returns
    /// at once when none is. Useful before shutting down, and in tests.
    pub async fn idle(&self) {
        loop {
            drop(self.shared.flight.lock().await);
            if !self.shared.refreshing.load(Ordering::Acquire) {
                return;
            }
            tokio::task::yield_now().await;
        }
    }

    /// The held token, valid or not, without fetching.
    pub fn peek(&self) -> Option<Arc<Token>> {
        self.shared
            .current
            .load()
            .as_ref()
            .map(|entry| Arc::clone(&entry.token))
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &P {
        &self.shared.provider
    }
}

#[async_trait]
impl<P: TokenEndpoint + 'static> TokenSource for TokenCache<P> {
    fn source_name(&self) -> &'static str {
        self.shared.provider.provider_name()
    }

    async fn token(&self) -> Result<Arc<Token>, Error> {
        TokenCache::token(self).await
    }

    fn invalidate(&self) {
        TokenCache::invalidate(self);
    }

    fn invalidate_token(&self, token: &Arc<Token>) {
        TokenCache::invalidate_token(self, token);
    }
}

struct Shared<P> {
    provider: P,
    client: HttpClient,
    policy: RefreshPolicy,
    on_token: Option<TokenCallback>,
    current: ArcSwapOption<Entry>,
    /// Held by whoever renews the token; waiters queue here.
    flight: Mutex<Flight>,
    /// How many renewals have finished; a waiter that sees it move shares that outcome.
    completed: AtomicU64,
    refreshing: AtomicBool,
    origin: Instant,
    /// Nanoseconds after `origin` before which a background renewal is not retried.
    retry_not_before: AtomicU64,
}

#[derive(Default)]
struct Flight {
    last_error: Option<Error>,
    failures: u32,
    /// Until when the provider asked not to be called (`Retry-After`).
    blocked_until: Option<Instant>,
}

/// A held token and the instants that govern it, fixed when it arrived.
struct Entry {
    token: Arc<Token>,
    usable_until: Option<Instant>,
    refresh_at: Option<Instant>,
    invalidated: AtomicBool,
    /// Set while nothing is due: a timer clears it at `refresh_at`, so the hot
    /// path reads this flag instead of the clock.
    fresh: AtomicBool,
    timer: Option<tokio::task::AbortHandle>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            timer.abort();
        }
    }
}

/// Clears an entry's `fresh` flag when dropped: when its timer fires, and
/// also when the runtime shuts down and drops the timer, so a dead timer
/// can only make the cache read the clock again, never trust a stale flag.
struct ClearFreshOnDrop(Weak<Entry>);

impl Drop for ClearFreshOnDrop {
    fn drop(&mut self) {
        if let Some(entry) = self.0.upgrade() {
            entry.fresh.store(false, Ordering::Release);
        }
    }
}

impl Entry {
    fn new(token: Arc<Token>, policy: &RefreshPolicy, now: Instant) -> Self {
        let remaining = token.expires_at().map(|expires_at| {
            expires_at
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        });
        let (usable_until, refresh_at) = match remaining {
            None => (None, None),
            Some(remaining) => {
                let usable_for = remaining.saturating_sub(policy.expiry_margin.min(remaining / 4));
                let ahead = policy.refresh_ahead.min(usable_for / 2);
                let jitter_span = policy.jitter.min(usable_for / 10);
                let jitter = Duration::from_nanos(fastrand::u64(0..=duration_nanos(jitter_span)));
                let refresh_in = usable_for.saturating_sub(ahead).saturating_sub(jitter);
                (Some(now + usable_for), Some(now + refresh_in))
            }
        };
        Self {
            token,
            usable_until,
            refresh_at,
            invalidated: AtomicBool::new(false),
            fresh: AtomicBool::new(false),
            timer: None,
        }
    }

    /// Holds `token`, with a timer that ends its fresh period when a runtime is there to run one.
    fn held(token: Arc<Token>, policy: &RefreshPolicy, now: Instant) -> Arc<Self> {
        let entry = Self::new(token, policy, now);
        let Some(refresh_at) = entry.refresh_at else {
            // No known lifetime: nothing is ever due, until invalidated.
            entry.fresh.store(true, Ordering::Release);
            return Arc::new(entry);
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Arc::new(entry);
        };
        Arc::new_cyclic(|weak| {
            let clear = ClearFreshOnDrop(Weak::clone(weak));
            let timer = runtime.spawn(async move {
                tokio::time::sleep_until(refresh_at).await;
                drop(clear);
            });
            let mut entry = entry;
            entry.fresh = AtomicBool::new(true);
            entry.timer = Some(timer.abort_handle());
            entry
        })
    }

    /// Marks the token unusable, for a caller that was refused with it.
    fn invalidate(&self) {
        self.invalidated.store(true, Ordering::Release);
        self.fresh.store(false, Ordering::Release);
    }

    fn is_usable(&self, now: Instant) -> bool {
        !self.invalidated.load(Ordering::Acquire)
            && self.usable_until.is_none_or(|until| now < until)
    }

    fn is_due(&self, now: Instant) -> bool {
        self.refresh_at.is_some_and(|at| now >= at)
    }
}

impl<P: TokenEndpoint + 'static> Shared<P> {
    /// The hot path: no lock, no allocation, and while the token is fresh not even a clock read.
    fn cached(self: &Arc<Self>) -> Option<Arc<Token>> {
        let current = self.current.load();
        let entry = current.as_ref()?;
        if entry.fresh.load(Ordering::Acquire) {
            return Some(Arc::clone(&entry.token));
        }
        let now = Instant::now();
        if !entry.is_usable(now) {
            return None;
        }
        if entry.is_due(now) {
            self.refresh_in_background(now);
        }
        Some(Arc::clone(&entry.token))
    }

    fn usable(&self, now: Instant) -> Option<Arc<Token>> {
        let current = self.current.load();
        current
            .as_ref()
            .filter(|entry| entry.is_usable(now))
            .map(|entry| Arc::clone(&entry.token))
    }

    fn refresh_in_background(self: &Arc<Self>, now: Instant) {
        let since_origin = duration_nanos(now.saturating_duration_since(self.origin));
        if since_origin < self.retry_not_before.load(Ordering::Acquire) {
            return;
        }
        // Without a Tokio runtime there is no background: the token is renewed when it expires.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let shared = Arc::clone(self);
        runtime.spawn(async move {
            shared.refresh_ahead().await;
            shared.refreshing.store(false, Ordering::Release);
        });
    }

    async fn refresh_ahead(&self) {
        let mut flight = self.flight.lock().await;
        let now = Instant::now();
        let due = self
            .current
            .load()
            .as_ref()
            .is_some_and(|entry| entry.is_due(now));
        if due {
            let outcome = self.renew().await;
            self.record(&mut flight, outcome.as_ref().err());
        }
    }

    /// The slow path: one renewal at a time, its outcome shared with everyone who waited for it.
    async fn fetch_shared(&self) -> Result<Arc<Token>, Error> {
        let seen = self.completed.load(Ordering::Acquire);
        let mut flight = self.flight.lock().await;
        let now = Instant::now();
        if let Some(token) = self.usable(now) {
            return Ok(token);
        }
        let finished_while_waiting = self.completed.load(Ordering::Acquire) != seen;
        let asked_to_wait = flight.blocked_until.is_some_and(|until| now < until);
        if (finished_while_waiting || asked_to_wait)
            && let Some(error) = &flight.last_error
        {
            return Err(error.clone());
        }
        let outcome = self.renew().await;
        self.record(&mut flight, outcome.as_ref().err());
        outcome
    }

    /// Obtains a new token, with the refresh token when there is one, and holds it.
    async fn renew(&self) -> Result<Arc<Token>, Error> {
        let held = self.current.load_full();
        if let Some(refresh_token) = held.as_ref().and_then(|entry| entry.token.refresh_token()) {
            match self.client.refresh(&self.provider, refresh_token).await {
                Ok(Some(renewed)) => {
                    return Ok(self.store(keep_refresh_token(renewed, refresh_token)));
                }
                // The provider no longer honours the refresh token: start over.
                Ok(None) | Err(Error::Rejected(_) | Error::ReportedFailure(_)) => {}
                Err(error) => return Err(error),
            }
        }
        let token = self.client.fetch(&self.provider).await?;
        Ok(self.store(token))
    }

    fn store(&self, token: Token) -> Arc<Token> {
        if let Some(on_token) = &self.on_token {
            on_token(&token);
        }
        let token = Arc::new(token);
        let entry = Entry::held(Arc::clone(&token), &self.policy, Instant::now());
        self.current.store(Some(entry));
        token
    }

    fn record(&self, flight: &mut Flight, error: Option<&Error>) {
        let now = Instant::now();
        match error {
            None => {
                *flight = Flight::default();
                self.retry_not_before.store(0, Ordering::Release);
            }
            Some(error) => {
                flight.failures = flight.failures.saturating_add(1);
                let retry_after = error.provider_error().and_then(|error| error.retry_after);
                flight.blocked_until = retry_after.map(|delay| now + delay);
                flight.last_error = Some(error.clone());
                let wait = retry_after
                    .unwrap_or_default()
                    .max(self.policy.backoff(flight.failures));
                let not_before = now.saturating_duration_since(self.origin) + wait;
                self.retry_not_before
                    .store(duration_nanos(not_before), Ordering::Release);
            }
        }
        self.completed.fetch_add(1, Ordering::AcqRel);
    }
}

/// RFC 6749 section 6: a refresh response may omit the refresh token, which then stays valid.
fn keep_refresh_token(renewed: Token, previous: &Secret) -> Token {
    if renewed.refresh_token().is_some() {
        renewed
    } else {
        renewed.with_refresh_token(previous.clone())
    }
}

fn duration_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
