//! The compile-fail suite: what misuse of `#[derive(TokenEndpoint)]` looks like
//! and what the compiler says, one case per file under `tests/ui/`. The `pass`
//! cases compile and run every documented attribute combination.
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p oauth-tests --test ui`,
//! then read the diff: the `.stderr` files are documentation.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for category in [
        "item", "required", "url", "keys", "encoding", "roles", "auth", "response", "refresh",
        "types",
    ] {
        cases.compile_fail(format!("ui/{category}/*.rs"));
    }
    cases.pass("ui/pass/*.rs");
}
