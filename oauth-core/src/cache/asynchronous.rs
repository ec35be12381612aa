use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use tokio::sync::Notify;

use crate::cache::clock::Clock;
use crate::cache::core::{Core, Setup};
use crate::cache::hook::TokenCallback;
use crate::dpop::Nonces;
use crate::exchange::Exchange;
use crate::lifecycle::{Decision, Event, FlightId, RefreshPolicy, Renewal, Step};
use crate::store::{MemoryStore, TokenStore};
use crate::transport::Transport;
use crate::{Error, Token, TokenEndpoint, TokenSource};

/// A token cache in front of any provider: one upstream request per token
/// lifetime, however many tasks ask.
///
/// - A held token is served without a lock and without allocating: one atomic
///   load, one clock read and the clone of an `Arc`. [`try_token`](Self::try_token)
///   does it without `.await`; [`token`](Self::token) returns it in a ready future.
/// - No token is served at or past its expiry less the
///   [margin](RefreshPolicy::expiry_margin): the hot path reads the clock, so
///   this holds on any runtime, busy or not.
/// - When the [refresh margin](RefreshPolicy::refresh_ahead) is reached, one
///   background task renews the token while callers keep receiving it.
/// - With no usable token, concurrent callers share a single request and its
///   outcome, success or error; the next call after a failure asks again.
/// - After failures, requests back off (the first retry at once, then from
///   100 ms, doubling, with jitter) whether or not a token is held; callers
///   meanwhile get the last error at once, or the still-valid token. A
///   `Retry-After` is honoured for every request, up to
///   [a cap](RefreshPolicy::max_retry_after). [`invalidate`](Self::invalidate)
///   lifts both.
/// - A token with a refresh token is renewed with it when the provider declares
///   how (`#[token(refresh(...))]`); a rotated refresh token replaces the old
///   one; a refused refresh falls back to a full token request, an unavailable
///   provider (429, 5xx) is waited out.
/// - A token with no known lifetime is kept until [`invalidate`](Self::invalidate)d.
/// - A panicking [`on_token`](TokenCacheBuilder::on_token) hook is logged and
///   contained; a renewal whose runtime shuts down is abandoned, and the cache
///   carries on from any other runtime.
///
/// The decisions are the [`lifecycle`](crate::lifecycle)'s, shared with the
/// [`blocking::TokenCache`](crate::blocking::TokenCache); the token lives in a
/// [`TokenStore`], this process's memory unless [`store`](TokenCacheBuilder::store) says otherwise.
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
/// let again = cache.try_token(); // served from the cache, no `.await`
/// # Ok(())
/// # }
/// ```
pub struct TokenCache<P> {
    shared: Arc<Shared<P>>,
}

struct Shared<P> {
    provider: P,
    transport: Arc<dyn Transport>,
    store: Arc<dyn TokenStore>,
    core: Core,
    /// The latest DPoP nonces the provider's servers gave.
    nonces: Nonces,
    /// Woken whenever a renewal ends, for the callers and `idle()` waiting on it.
    ended: Notify,
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
            .field("holds_token", &self.shared.core.holds_token())
            .finish_non_exhaustive()
    }
}

/// Configures a [`TokenCache`].
#[must_use]
pub struct TokenCacheBuilder<P> {
    provider: P,
    transport: Arc<dyn Transport>,
    policy: RefreshPolicy,
    on_token: Option<TokenCallback>,
    store: Option<Arc<dyn TokenStore>>,
    clock: Clock,
}

impl<P: TokenEndpoint + 'static> TokenCacheBuilder<P> {
    /// Sets when tokens are renewed and how failures are waited out.
    pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Calls `on_token` with every token this cache obtains, before it is
    /// handed out (to persist it, say). A panic in it is logged and contained.
    pub fn on_token(mut self, on_token: impl Fn(&Token) + Send + Sync + 'static) -> Self {
        self.on_token = Some(Box::new(on_token));
        self
    }

    /// Keeps the token in `store`, shared with other caches (see [`crate::store`]).
    pub fn store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Reads `clock`; [`Clock::Tokio`] for tests on a paused Tokio clock.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Starts with a token obtained earlier (one persisted by `on_token`, say).
    pub fn build_with(self, token: Token) -> TokenCache<P> {
        self.build_from(Some(Arc::new(token)))
    }

    /// The cache, empty: the first call fetches (or adopts what the store holds).
    pub fn build(self) -> TokenCache<P> {
        self.build_from(None)
    }

    fn build_from(self, token: Option<Arc<Token>>) -> TokenCache<P> {
        let (store, initial): (Arc<dyn TokenStore>, _) = match (self.store, token) {
            (Some(store), token) => (store, token.map(|token| (token, None))),
            (None, Some(token)) => (
                Arc::new(MemoryStore::with_token(Arc::clone(&token))),
                Some((token, Some(1))),
            ),
            (None, None) => (Arc::new(MemoryStore::new()), None),
        };
        let core = Core::new(Setup {
            provider: self.provider.provider_name(),
            policy: self.policy,
            clock: self.clock,
            hook: self.on_token,
            initial,
        });
        TokenCache {
            shared: Arc::new(Shared {
                provider: self.provider,
                transport: self.transport,
                store,
                core,
                nonces: Nonces::new(),
                ended: Notify::new(),
            }),
        }
    }
}

impl<P: TokenEndpoint + 'static> TokenCache<P> {
    /// A cache with the default [`RefreshPolicy`], sending with `client` (an [`HttpClient`](crate::HttpClient), say).
    pub fn new(provider: P, client: impl Transport + 'static) -> Self {
        Self::builder(provider, client).build()
    }

    /// Starts configuring a cache.
    pub fn builder(provider: P, client: impl Transport + 'static) -> TokenCacheBuilder<P> {
        TokenCacheBuilder {
            provider,
            transport: Arc::new(client),
            policy: RefreshPolicy::default(),
            on_token: None,
            store: None,
            clock: Clock::default(),
        }
    }

    /// A currently valid token: the held one, or a new one if it is missing,
    /// expired or invalidated. A held token comes in a ready future.
    #[inline]
    pub fn token(&self) -> TokenFuture<'_> {
        match self.shared.core.hit() {
            Some(token) => TokenFuture::ready(token),
            None => TokenFuture::waiting(Box::pin(Arc::clone(&self.shared).obtain())),
        }
    }

    /// The held token if it is valid, without waiting; starts a background
    /// renewal if one is due (on the current Tokio runtime, if there is one).
    /// `None` when a caller would have to wait for a request.
    #[inline]
    pub fn try_token(&self) -> Option<Arc<Token>> {
        if let Some(token) = self.shared.core.hit() {
            return Some(token);
        }
        match self.shared.core.decide_held()? {
            Decision::Serve(token) => Some(token),
            Decision::ServeAndRenew(token, id) => {
                if let Err(id) = Arc::clone(&self.shared).spawn(id) {
                    self.shared.core.abandon(id);
                }
                Some(token)
            }
            _ => None,
        }
    }

    /// Forgets the held token, so the next call obtains a new one (with the
    /// refresh token, if any), and lifts any backoff or `Retry-After`.
    pub fn invalidate(&self) {
        self.shared.core.invalidate(None);
    }

    /// Forgets `token` if it is still the one held (and then lifts any backoff or `Retry-After`).
    pub fn invalidate_token(&self, token: &Arc<Token>) {
        self.shared.core.invalidate(Some(token));
    }

    /// Waits until no renewal is running (a background refresh, say); returns
    /// at once when none is. Useful before shutting down, and in tests.
    pub async fn idle(&self) {
        loop {
            let ended = self.shared.ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            if !self.shared.core.in_flight() {
                return;
            }
            ended.await;
        }
    }

    /// The held token, valid or not, without fetching.
    pub fn peek(&self) -> Option<Arc<Token>> {
        self.shared.core.peek()
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &P {
        &self.shared.provider
    }
}

impl<P: TokenEndpoint + 'static> Shared<P> {
    /// The slow path: decide, and wait for a renewal when there is no usable token.
    async fn obtain(self: Arc<Self>) -> Result<Arc<Token>, Error> {
        let mut joined = None;
        loop {
            let ended = self.ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            let decision = {
                let mut lifecycle = self.core.lock();
                self.core.decide_locked(&mut lifecycle, joined)
            };
            match decision {
                Decision::Serve(token) => return Ok(token),
                Decision::ServeAndRenew(token, id) => {
                    // With no Tokio runtime to run it on, this caller renews before it returns.
                    if let Err(id) = Arc::clone(&self).spawn(id) {
                        self.renew(id).await;
                    }
                    return Ok(token);
                }
                Decision::Start(id) => {
                    self.renew(id).await;
                    joined = Some(id);
                }
                Decision::Join(id) => {
                    joined = Some(id);
                    ended.await;
                }
                Decision::Fail(error) => return Err(error),
            }
        }
    }

    /// Runs renewal `id` on the current Tokio runtime; gives it back if there is none.
    fn spawn(self: Arc<Self>, id: FlightId) -> Result<(), FlightId> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| id)?;
        // The task owns its guard from the start: dropped unpolled, it still reports.
        runtime.spawn(RenewalTask::new(self, id).run());
        Ok(())
    }

    /// Performs renewal `id` on this task.
    async fn renew(self: &Arc<Self>, id: FlightId) {
        RenewalTask::new(Arc::clone(self), id).run().await;
    }

    /// Performs one step's I/O and reports what happened.
    async fn perform(&self, step: Step) -> Option<Event> {
        Some(match step {
            Step::AcquireLease(ttl) => Event::LeaseAcquired(self.store.acquire_lease(ttl).await),
            Step::ReleaseLease(lease) => {
                Event::LeaseReleased(self.store.release_lease(lease).await)
            }
            Step::Wait(duration) => {
                if !self.store.wait_for_change(duration).await {
                    tokio::time::sleep(duration).await;
                }
                Event::Waited
            }
            Step::Load => Event::Loaded(self.store.load().await),
            Step::Send(Renewal::Refresh(token)) => Event::Sent(self.refresh(&token).await),
            Step::Send(_) => Event::Sent(self.fetch().await.map(Some)),
            Step::Save { expected, token } => {
                self.core.on_token(&token);
                Event::Saved(self.store.compare_and_set(expected, token).await)
            }
            Step::Done => return None,
        })
    }
}

impl<P: TokenEndpoint + 'static> Shared<P> {
    async fn fetch(&self) -> Result<Token, Error> {
        Exchange::token(&self.provider, &self.nonces)?
            .send(&*self.transport)
            .await
    }

    /// Renews `token` with its refresh token, proving the key it is bound to.
    async fn refresh(&self, token: &Token) -> Result<Option<Token>, Error> {
        let Some(refresh_token) = token.refresh_token() else {
            return self.fetch().await.map(Some);
        };
        match Exchange::refresh(&self.provider, refresh_token, Some(token), &self.nonces)? {
            Some(exchange) => exchange.send(&*self.transport).await.map(Some),
            None => Ok(None),
        }
    }
}

/// One renewal, run to its end; if it is dropped first (a cancelled caller, a
/// runtime shut down, even before it was first polled) it reports itself
/// abandoned, so the cache never waits for it.
struct RenewalTask<P> {
    shared: Arc<Shared<P>>,
    id: Option<FlightId>,
}

impl<P: TokenEndpoint + 'static> RenewalTask<P> {
    fn new(shared: Arc<Shared<P>>, id: FlightId) -> Self {
        Self {
            shared,
            id: Some(id),
        }
    }

    async fn run(mut self) {
        let Some(id) = self.id else { return };
        let mut event = Event::Begin;
        loop {
            let step = self.shared.core.step(id, event);
            match self.shared.perform(step).await {
                Some(next) => event = next,
                None => break,
            }
        }
        self.id = None;
        self.shared.ended.notify_waiters();
    }
}

impl<P> Drop for RenewalTask<P> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.shared.core.abandon(id);
            self.shared.ended.notify_waiters();
        }
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

    fn dpop_nonces(&self) -> Option<&Nonces> {
        Some(&self.shared.nonces)
    }
}

/// The future [`TokenCache::token`] returns: ready at once when a token is held.
///
/// It holds only the token on a hit (the slow path is boxed), so awaiting it
/// costs little more than [`TokenCache::try_token`]. Polled again after it
/// completed, it stays pending.
#[must_use = "futures do nothing unless awaited"]
pub struct TokenFuture<'a> {
    inner: Inner<'a>,
}

type Waiting<'a> = Pin<Box<dyn Future<Output = Result<Arc<Token>, Error>> + Send + 'a>>;

enum Inner<'a> {
    Ready(Option<Arc<Token>>),
    Waiting(Waiting<'a>),
}

impl<'a> TokenFuture<'a> {
    fn ready(token: Arc<Token>) -> Self {
        Self {
            inner: Inner::Ready(Some(token)),
        }
    }

    fn waiting(future: Waiting<'a>) -> Self {
        Self {
            inner: Inner::Waiting(future),
        }
    }
}

impl Future for TokenFuture<'_> {
    type Output = Result<Arc<Token>, Error>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().inner {
            Inner::Ready(token) => token
                .take()
                .map_or(Poll::Pending, |token| Poll::Ready(Ok(token))),
            Inner::Waiting(future) => future.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for TokenFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.inner {
            Inner::Ready(_) => "ready",
            Inner::Waiting(_) => "waiting",
        };
        f.debug_tuple("TokenFuture").field(&state).finish()
    }
}
