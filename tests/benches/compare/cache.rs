//! The cache's hot path beside its reference: `ArcSwap::load_full()` of the
//! same `Arc<Token>`, the least a lock-free cache can do.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use divan::{Bencher, black_box};
use oauth_core::{HttpClient, Token, TokenCache, blocking};
use oauth_providers::Sohar;

use crate::ratios::{Ratios, Target};

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

fn blocking_cache() -> blocking::TokenCache<Sohar> {
    blocking::TokenCache::builder(Sohar::new("id", "secret"), blocking::HttpClient::new())
        .build_with(token())
}

/// Interleaved ratios: each hit path against `load_full()` on one thread; the bare clone for scale.
pub fn ratios(ratios: &mut Ratios) {
    let held = ArcSwap::from_pointee(token());
    let load_full = || {
        black_box(held.load_full());
        true
    };
    let cache = async_cache();
    ratios.compare(
        "cache/try_token vs load_full",
        Target::AtMost(2.0),
        || black_box(cache.try_token()).is_some(),
        load_full,
    );
    ratios.compare(
        "cache/token().await vs load_full",
        Target::AtMost(2.0),
        || black_box(ready(cache.token())).is_ok(),
        load_full,
    );
    let cache = blocking_cache();
    ratios.compare(
        "cache/blocking vs load_full",
        Target::AtMost(2.0),
        || black_box(cache.token()).is_ok(),
        load_full,
    );
    let bare = Arc::new(token());
    ratios.compare(
        "cache/Arc::clone vs load_full",
        Target::None,
        || {
            black_box(Arc::clone(&bare));
            true
        },
        load_full,
    );
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
    let cache = blocking_cache();
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
