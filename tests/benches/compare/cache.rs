//! The cache's hot path beside the references it should be close to.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use divan::{Bencher, black_box};
use oauth_core::{HttpClient, Token, TokenCache};
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

#[divan::bench(threads = [1, 2])]
fn token_cache_hit(bencher: Bencher<'_, '_>) {
    // As in a service: the cache lives in a runtime, which runs its freshness timer.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let _context = runtime.enter();
    let client = HttpClient::new().expect("client");
    let cache = TokenCache::builder(Sohar::new("id", "secret"), client).build_with(token());
    ready(cache.token()).expect("held");
    // Every side returns its handle: divan drops outputs outside the timed region.
    bencher.bench(|| ready(cache.token()));
}

#[divan::bench(threads = [1, 2])]
fn arc_swap_load(bencher: Bencher<'_, '_>) {
    let held = ArcSwap::from_pointee(token());
    bencher.bench(|| black_box(held.load().expires_at()));
}

#[divan::bench(threads = [1, 2])]
fn arc_swap_load_full(bencher: Bencher<'_, '_>) {
    let held = ArcSwap::from_pointee(token());
    bencher.bench(|| black_box(held.load_full()));
}

#[divan::bench(threads = [1, 2])]
fn mutex_clone(bencher: Bencher<'_, '_>) {
    let held = Mutex::new(Arc::new(token()));
    bencher.bench(|| held.lock().map(|token| Arc::clone(&token)).ok());
}
