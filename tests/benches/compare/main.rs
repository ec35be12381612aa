//! The derive against the code a careful engineer writes by hand, and against
//! the `oauth2` crate, side by side in one run: `cargo bench -p oauth-tests`.
//!
//! Every benchmark checks, before it is timed, that both sides produce the same
//! result. Allocation counts come from divan's counting allocator.

mod cache;
mod fetch;
mod hand_written;
mod parse;
mod request;
mod seeds;
mod shared_store;

#[global_allocator]
static ALLOCATOR: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}
