//! The behaviour suites, one module each, in one test binary: each binary
//! links reqwest, hyper, rustls and wiremock, so one link instead of one per
//! suite. Run one suite with `cargo test -p oauth-tests --test suite sohar::`.
//!
//! A suite that needs a process of its own stays a file of `tests/`, its own
//! binary, and says why at its top: a process-wide recorder (`metrics`), logs
//! captured from call sites any thread may reach (`canaries`, `dpop`,
//! `redis_outage_log`), or real-time windows under a second that another
//! suite's load could close (`blocking`, `cache_faults`, `redis_store`,
//! `fleet`).

mod accept;
mod assertions;
mod cache;
mod client_authentication;
mod constructor;
mod daftra;
mod declared_providers;
mod error_mapping;
mod error_reports;
mod ezzydoc;
mod hostile;
mod http_client;
mod key_providers;
mod keys;
mod myzeepay;
mod ondayzero;
mod properties;
mod real_providers;
mod refresh;
mod request_encoding;
mod response_mapping;
mod settings;
mod sohar;
mod transport;
mod user_declared;
