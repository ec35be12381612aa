//! One member of a test fleet: a process that obtains tokens through a token
//! cache backed by a `RedisStore`, and prints what it got.
//!
//! ```text
//! fleet-member --redis URL --server URL [--secret SECRET] [--blocking]
//!              [--lease-ms N] [--for-ms N] [--every-ms N]
//! fleet-member --alone --server URL ...
//! ```
//!
//! `--alone` keeps the token in this process only (the default in-memory
//! store), for comparison.
//!
//! Prints `token <access token>` whenever the token changes and
//! `error <message>` for every failed call, then `calls <n> failures <m>`.
//! With `--for-ms` it keeps asking every `--every-ms` for that long; without,
//! it asks once.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth_core::{RedisStore, RefreshPolicy, Token};
use oauth_tests::sandbox::credentials::CLIENT_SECRET;

struct Options {
    /// `None` with `--alone`.
    redis: Option<String>,
    server: String,
    secret: String,
    blocking: bool,
    lease: Duration,
    run_for: Duration,
    every: Duration,
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("fleet-member: {message}");
            return ExitCode::from(2);
        }
    };
    let provider = oauth_providers::MyZeePay::new(
        oauth_tests::sandbox::credentials::CLIENT_ID,
        options.secret.as_str(),
        oauth_tests::sandbox::credentials::USERNAME,
        oauth_tests::sandbox::credentials::PASSWORD,
    )
    .with_server(options.server.clone());
    let store = match options
        .redis
        .as_deref()
        .map(|url| RedisStore::builder(url).build(&provider))
    {
        None => None,
        Some(Ok(store)) => Some(Arc::new(store)),
        Some(Err(error)) => {
            eprintln!("fleet-member: {error}");
            return ExitCode::from(2);
        }
    };
    let policy = RefreshPolicy::default().lease(options.lease);
    let ask: Box<dyn FnMut() -> Result<Arc<Token>, oauth_core::Error>> = if options.blocking {
        let client = oauth_core::blocking::HttpClient::new();
        let mut cache =
            oauth_core::blocking::TokenCache::builder(provider, client).refresh_policy(policy);
        if let Some(store) = store {
            cache = cache.store(store);
        }
        let cache = cache.build();
        Box::new(move || cache.token())
    } else {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(error) => {
                eprintln!("fleet-member: {error}");
                return ExitCode::from(2);
            }
        };
        let client = match oauth_core::HttpClient::new() {
            Ok(client) => client,
            Err(error) => {
                eprintln!("fleet-member: {error}");
                return ExitCode::from(2);
            }
        };
        let mut cache = oauth_core::TokenCache::builder(provider, client).refresh_policy(policy);
        if let Some(store) = store {
            cache = cache.store(store);
        }
        let cache = cache.build();
        Box::new(move || runtime.block_on(cache.token()))
    };
    run(&options, ask);
    ExitCode::SUCCESS
}

fn run(options: &Options, mut ask: Box<dyn FnMut() -> Result<Arc<Token>, oauth_core::Error>>) {
    let started = Instant::now();
    let (mut calls, mut failures) = (0_u32, 0_u32);
    let mut last = String::new();
    loop {
        calls += 1;
        match ask() {
            Ok(token) => {
                let access = token.access_token().expose_secret();
                if access != last {
                    last = access.to_owned();
                    println!("token {access}");
                }
            }
            Err(error) => {
                failures += 1;
                println!("error {error}");
            }
        }
        if started.elapsed() >= options.run_for {
            break;
        }
        std::thread::sleep(options.every);
    }
    println!("calls {calls} failures {failures}");
}

fn options() -> Result<Options, String> {
    let mut given: HashMap<String, String> = HashMap::new();
    let mut arguments = std::env::args().skip(1);
    let (mut blocking, mut alone) = (false, false);
    while let Some(name) = arguments.next() {
        match name.as_str() {
            "--blocking" => blocking = true,
            "--alone" => alone = true,
            _ => {
                let value = arguments
                    .next()
                    .ok_or_else(|| format!("{name} needs a value"))?;
                given.insert(name, value);
            }
        }
    }
    let text = |name: &str| given.get(name).cloned();
    let millis = |name: &str, default: u64| -> Result<Duration, String> {
        text(name)
            .map_or(Ok(default), |value| value.parse())
            .map(Duration::from_millis)
            .map_err(|_| format!("{name} takes milliseconds"))
    };
    Ok(Options {
        redis: match alone {
            true => None,
            false => Some(text("--redis").ok_or("--redis is required, or --alone")?),
        },
        server: text("--server").ok_or("--server is required")?,
        secret: text("--secret").unwrap_or_else(|| CLIENT_SECRET.to_owned()),
        blocking,
        lease: millis("--lease-ms", 5_000)?,
        run_for: millis("--for-ms", 0)?,
        every: millis("--every-ms", 50)?,
    })
}
