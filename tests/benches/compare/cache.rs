//! The cache's hot path beside its reference: `ArcSwap::load_full()` of the
//! same `Arc<Token>`, the least a lock-free cache can do.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use divan::Bencher;
use oauth_core::{HttpClient, Token, TokenCache, blocking};
use oauth_providers::Sohar;

fn token() -> Token {
    Token::new("cached-access-token").with_expires_at(SystemTime::now() + Duration::from_secs(3600))
}

/// Polls a future once: the cached path must complete without waiting.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the cached path waited"),
    }
}

fn async_cache() -> TokenCache<Sohar> {
    let client = HttpClient::new().expect("client");
    TokenCache::builder(Sohar::new("id", "secret"), client).build_with(token())
}

// Every side returns its `Arc`: divan drops outputs outside the timed region.
#[divan::bench(threads = [1, 2])]
fn token_cache_hit(bencher: Bencher<'_, '_>) {
    let cache = async_cache();
    ready(cache.token()).expect("held");
    bencher.bench(|| ready(cache.token()));
}

#[divan::bench(threads = [1, 2])]
fn token_cache_try_token(bencher: Bencher<'_, '_>) {
    let cache = async_cache();
    cache.try_token().expect("held");
    bencher.bench(|| cache.try_token());
}

#[divan::bench(threads = [1, 2])]
fn blocking_cache_hit(bencher: Bencher<'_, '_>) {
    let cache =
        blocking::TokenCache::builder(Sohar::new("id", "secret"), blocking::HttpClient::new())
            .build_with(token());
    cache.token().expect("held");
    bencher.bench(|| cache.token());
}

#[divan::bench(threads = [1, 2])]
fn arc_swap_load_full(bencher: Bencher<'_, '_>) {
    let held = ArcSwap::from_pointee(token());
    held.load_full();
    bencher.bench(|| held.load_full());
}

#[divan::bench(threads = [1, 2])]
fn arc_clone(bencher: Bencher<'_, '_>) {
    let held = Arc::new(token());
    bencher.bench(|| Arc::clone(&held));
}
