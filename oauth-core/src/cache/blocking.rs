use std::fmt;
use std::sync::{Arc, Condvar};

use crate::cache::clock::Clock;
use crate::cache::core::{Core, Setup};
use crate::cache::hook::TokenCallback;
use crate::dpop::Nonces;
use crate::exchange::Exchange;
use crate::lifecycle::{Decision, Event, FlightId, RefreshPolicy, Renewal, Step};
use crate::store::{BlockingTokenStore, MemoryStore};
use crate::transport::BlockingTransport;
use crate::{Error, Token, TokenEndpoint};

/// The [`TokenCache`](crate::TokenCache) for code with no async runtime: the
/// same decisions (the [`lifecycle`](crate::lifecycle)'s), run on the calling
/// thread, with background renewals on a short-lived thread of their own.
///
/// ```no_run
/// use oauth_core::blocking::{HttpClient, TokenCache};
/// # use oauth_core::{Secret, TokenEndpoint};
/// # #[derive(TokenEndpoint)]
/// # #[token(base_url = "https://auth.example.com", path = "/token")]
/// # struct Acme { client_id: String, #[token(secret)] client_secret: Secret }
///
/// # fn run() -> Result<(), oauth_core::Error> {
/// let cache = TokenCache::new(Acme::new("id", "secret"), HttpClient::new());
/// let token = cache.token()?; // fetched on this thread
/// let again = cache.token()?; // served from the cache
/// # Ok(())
/// # }
/// ```
pub struct TokenCache<P> {
    shared: Arc<Shared<P>>,
}

struct Shared<P> {
    provider: P,
    transport: Arc<dyn BlockingTransport>,
    store: Arc<dyn BlockingTokenStore>,
    core: Core,
    /// The latest DPoP nonces the provider's servers gave.
    nonces: Nonces,
    /// Signalled whenever a renewal ends, for the callers and `idle()` waiting on it.
    ended: Condvar,
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

/// Configures a blocking [`TokenCache`].
#[must_use]
pub struct TokenCacheBuilder<P> {
    provider: P,
    transport: Arc<dyn BlockingTransport>,
    policy: RefreshPolicy,
    on_token: Option<TokenCallback>,
    store: Option<Arc<dyn BlockingTokenStore>>,
}

impl<P: TokenEndpoint + 'static> TokenCacheBuilder<P> {
    /// Sets when tokens are renewed and how failures are waited out.
    pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Calls `on_token` with every token this cache obtains, before it is
    /// handed out. A panic in it is logged and contained.
    pub fn on_token(mut self, on_token: impl Fn(&Token) + Send + Sync + 'static) -> Self {
        self.on_token = Some(Box::new(on_token));
        self
    }

    /// Keeps the token in `store`, shared with other caches (see [`crate::store`]).
    pub fn store(mut self, store: Arc<dyn BlockingTokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Starts with a token obtained earlier.
    pub fn build_with(self, token: Token) -> TokenCache<P> {
        self.build_from(Some(Arc::new(token)))
    }

    /// The cache, empty: the first call fetches (or adopts what the store holds).
    pub fn build(self) -> TokenCache<P> {
        self.build_from(None)
    }

    fn build_from(self, token: Option<Arc<Token>>) -> TokenCache<P> {
        let (store, initial): (Arc<dyn BlockingTokenStore>, _) = match (self.store, token) {
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
            clock: Clock::Coarse,
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
                ended: Condvar::new(),
            }),
        }
    }
}

impl<P: TokenEndpoint + 'static> TokenCache<P> {
    /// A cache with the default [`RefreshPolicy`], sending with `client` (a
    /// [`blocking::HttpClient`](crate::blocking), say).
    pub fn new(provider: P, client: impl BlockingTransport + 'static) -> Self {
        Self::builder(provider, client).build()
    }

    /// Starts configuring a cache.
    pub fn builder(provider: P, client: impl BlockingTransport + 'static) -> TokenCacheBuilder<P> {
        TokenCacheBuilder {
            provider,
            transport: Arc::new(client),
            policy: RefreshPolicy::default(),
            on_token: None,
            store: None,
        }
    }

    /// A currently valid token: the held one, or a new one obtained on this
    /// thread (or by the thread already obtaining one) if it is missing,
    /// expired or invalidated.
    pub fn token(&self) -> Result<Arc<Token>, Error> {
        match self.shared.core.hit() {
            Some(token) => Ok(token),
            None => Arc::clone(&self.shared).obtain(),
        }
    }

    /// The held token if it is valid, without waiting; starts a background
    /// renewal if one is due. `None` when a caller would have to wait for a request.
    pub fn try_token(&self) -> Option<Arc<Token>> {
        if let Some(token) = self.shared.core.hit() {
            return Some(token);
        }
        match self.shared.core.decide_held()? {
            Decision::Serve(token) => Some(token),
            Decision::ServeAndRenew(token, id) => {
                Arc::clone(&self.shared).spawn(id);
                Some(token)
            }
            _ => None,
        }
    }

    /// Forgets the held token, so the next call obtains a new one, and lifts
    /// any backoff or `Retry-After`.
    pub fn invalidate(&self) {
        self.shared.core.invalidate(None);
    }

    /// Forgets `token` if it is still the one held (and then lifts any backoff or `Retry-After`).
    pub fn invalidate_token(&self, token: &Arc<Token>) {
        self.shared.core.invalidate(Some(token));
    }

    /// Blocks until no renewal is running; returns at once when none is.
    pub fn idle(&self) {
        let mut lifecycle = self.shared.core.lock();
        while lifecycle.in_flight() {
            lifecycle = self
                .shared
                .ended
                .wait(lifecycle)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
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
    fn obtain(self: Arc<Self>) -> Result<Arc<Token>, Error> {
        let mut joined = None;
        let mut lifecycle = self.core.lock();
        loop {
            match self.core.decide_locked(&mut lifecycle, joined) {
                Decision::Serve(token) => return Ok(token),
                Decision::ServeAndRenew(token, id) => {
                    drop(lifecycle);
                    self.spawn(id);
                    return Ok(token);
                }
                Decision::Start(id) => {
                    drop(lifecycle);
                    self.renew(id);
                    joined = Some(id);
                    lifecycle = self.core.lock();
                }
                Decision::Join(id) => {
                    joined = Some(id);
                    lifecycle = self
                        .ended
                        .wait(lifecycle)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                Decision::Fail(error) => return Err(error),
            }
        }
    }

    /// Runs renewal `id` on a thread of its own; abandons it if no thread can be had.
    fn spawn(self: Arc<Self>, id: FlightId) {
        let task = RenewalTask::new(self, id);
        // A thread that cannot start drops the task, which reports it abandoned.
        let _ = std::thread::Builder::new()
            .name(String::from("oauth-token-renewal"))
            .spawn(move || task.run());
    }

    /// Performs renewal `id` on this thread.
    fn renew(self: &Arc<Self>, id: FlightId) {
        RenewalTask::new(Arc::clone(self), id).run();
    }

    /// Performs one step's I/O and reports what happened.
    fn perform(&self, step: Step) -> Option<Event> {
        Some(match step {
            Step::AcquireLease(ttl) => Event::LeaseAcquired(self.store.acquire_lease(ttl)),
            Step::ReleaseLease(lease) => Event::LeaseReleased(self.store.release_lease(lease)),
            Step::Wait(duration) => {
                if !self.store.wait_for_change(duration) {
                    std::thread::sleep(duration);
                }
                Event::Waited
            }
            Step::Load => Event::Loaded(self.store.load()),
            Step::Send(Renewal::Refresh(token)) => Event::Sent(self.refresh(&token)),
            Step::Send(_) => Event::Sent(self.fetch().map(Some)),
            Step::Save { expected, token } => {
                self.core.on_token(&token);
                Event::Saved(self.store.compare_and_set(expected, token))
            }
            Step::Done => return None,
        })
    }

    fn fetch(&self) -> Result<Token, Error> {
        Exchange::token(&self.provider, &self.nonces)?.send_blocking(&*self.transport)
    }

    /// Renews `token` with its refresh token, proving the key it is bound to.
    fn refresh(&self, token: &Token) -> Result<Option<Token>, Error> {
        let Some(refresh_token) = token.refresh_token() else {
            return self.fetch().map(Some);
        };
        Exchange::refresh(&self.provider, refresh_token, Some(token), &self.nonces)?
            .map(|exchange| exchange.send_blocking(&*self.transport))
            .transpose()
    }

    fn notify(&self) {
        // Taking the lock orders this wake-up after any waiter's last look at the state.
        drop(self.core.lock());
        self.ended.notify_all();
    }
}

/// One renewal, run to its end; if it is dropped first (its thread unwound,
/// or never started) it reports itself abandoned.
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

    fn run(mut self) {
        let Some(id) = self.id else { return };
        let mut event = Event::Begin;
        while let Some(next) = self.shared.perform(self.shared.core.step(id, event)) {
            event = next;
        }
        self.id = None;
        self.shared.notify();
    }
}

impl<P> Drop for RenewalTask<P> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.shared.core.abandon(id);
            drop(self.shared.core.lock());
            self.shared.ended.notify_all();
        }
    }
}
