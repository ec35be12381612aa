//! The derive against the code a careful engineer writes by hand, and against
//! the `oauth2` crate, side by side in one run: `cargo bench -p oauth-tests`
//! for divan's tables, `-- --ratios [filter]` for interleaved ratios (see `ratios`).
//!
//! Every benchmark checks, before it is timed, that both sides produce the same
//! result. Allocation counts come from divan's counting allocator.

mod assertion;
mod cache;
mod dpop;
mod fetch;
mod hand_written;
mod parse;
mod ratios;
mod request;
mod seeds;
mod shared_store;

#[global_allocator]
static ALLOCATOR: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    if args.next().as_deref() == Some("--ratios") {
        let mut ratios = ratios::Ratios::start(args.next());
        parse::ratios(&mut ratios);
        request::ratios(&mut ratios);
        cache::ratios(&mut ratios);
        fetch::ratios(&mut ratios);
    } else {
        divan::main();
    }
}
