//! The token cache over a `RedisStore` beside the same cache over its default
//! in-memory store, against a real `redis-server` and a loopback token server:
//! the hit path (the local copy serves, so they should match), one renewal, and
//! a fleet of processes over one token lifetime (one upstream request, with the
//! store; one per process without).

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use divan::Bencher;
use oauth_core::{HttpClient, RedisStore, TokenCache};
use oauth_providers::MyZeePay;
use oauth_tests::fleet::FleetServer;
use oauth_tests::redis_server::RedisServer;

/// A token server and a Redis, kept alive for one benchmark.
struct Setting {
    runtime: tokio::runtime::Runtime,
    server: FleetServer,
    redis: RedisServer,
}

impl Setting {
    fn new(lifetime_seconds: u64) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime.block_on(FleetServer::start(lifetime_seconds));
        Self {
            runtime,
            server,
            redis: RedisServer::start(),
        }
    }

    /// A cache over Redis (`shared`) or over its own memory.
    fn cache(&self, shared: bool) -> TokenCache<MyZeePay> {
        let provider = self.server.provider();
        let client = HttpClient::new().expect("client");
        let mut builder = TokenCache::builder(provider.clone(), client);
        if shared {
            let store = RedisStore::builder(&self.redis.url())
                .build(&provider)
                .expect("store");
            builder = builder.store(Arc::new(store));
        }
        let cache = builder.build();
        self.runtime.block_on(cache.token()).expect("a first token");
        cache
    }
}

#[divan::bench(args = ["memory", "redis"])]
fn cache_hit(bencher: Bencher<'_, '_>, store: &str) {
    let setting = Setting::new(3600);
    let cache = setting.cache(store == "redis");
    bencher.bench(|| cache.try_token().expect("held"));
}

// One renewal each: forget the token, obtain a new one. Through Redis that is
// a lease, a load, the request, a compare-and-set and a release.
#[divan::bench(args = ["memory", "redis"], sample_count = 200)]
fn renewal(bencher: Bencher<'_, '_>, store: &str) {
    let setting = Setting::new(3600);
    let cache = setting.cache(store == "redis");
    bencher.bench(|| {
        cache.invalidate();
        setting.runtime.block_on(cache.token()).expect("renewed")
    });
}

/// Starts `processes` fleet members at once, each asking for a token through its
/// own cache for a second, and returns how many requests reached the provider.
fn fleet(setting: &Setting, processes: usize, shared: bool) -> u32 {
    let counters = &setting.server.counters;
    counters.received.store(0, Ordering::SeqCst);
    let mut flush = setting.redis.connection();
    let () = redis::cmd("FLUSHALL").query(&mut flush).expect("FLUSHALL");
    let members: Vec<_> = (0..processes)
        .map(|_| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_fleet-member"));
            command
                .args(["--server", &setting.server.server.uri()])
                .args(["--for-ms", "1000", "--every-ms", "50"])
                .stdout(Stdio::null());
            match shared {
                true => command.args(["--redis", &setting.redis.url()]),
                false => command.arg("--alone"),
            };
            command.spawn().expect("fleet-member")
        })
        .collect();
    for mut member in members {
        assert!(member.wait().expect("exit").success());
    }
    counters.received.load(Ordering::SeqCst)
}

// A fleet asking for 1 s, within one 10 s token lifetime (renewal starts after
// 3 s at the earliest): the time is for
// all of it; the request count is what matters, and is checked.
#[divan::bench(args = [1, 8, 40], sample_count = 3, sample_size = 1)]
fn fleet_over_one_lifetime_with_redis(bencher: Bencher<'_, '_>, processes: usize) {
    let setting = Setting::new(10);
    bencher.bench_local(|| {
        let requests = fleet(&setting, processes, true);
        assert_eq!(requests, 1, "one request for the whole fleet");
    });
}

#[divan::bench(args = [1, 8, 40], sample_count = 3, sample_size = 1)]
fn fleet_over_one_lifetime_alone(bencher: Bencher<'_, '_>, processes: usize) {
    let setting = Setting::new(10);
    bencher.bench_local(|| {
        let requests = fleet(&setting, processes, false);
        assert_eq!(requests as usize, processes, "one request per process");
    });
}
