//! The compile-fail suite: what misuse of `#[derive(TokenEndpoint)]` looks like
//! and what the compiler says, one case per file, by category. The `pass`
//! cases compile every documented attribute combination; what the generated
//! code does is specified by the behaviour suites of `oauth-tests`.
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p oauth-ui-tests`,
//! then read the diff: the `.stderr` files are documentation.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for category in [
        "item",
        "required",
        "keys",
        "values",
        "url",
        "encoding",
        "roles",
        "auth",
        "response",
        "refresh",
        "types",
        "secrets",
        "nested",
        "assertion",
        "dpop",
    ] {
        cases.compile_fail(format!("{category}/*.rs"));
    }
    cases.pass("pass/*.rs");
}
