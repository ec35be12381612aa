use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::Token;

/// Called with every token a cache obtains, before it is handed out.
pub(crate) type TokenCallback = Box<dyn Fn(&Token) + Send + Sync>;

/// Calls the hook; a panic in it is logged, never spread into the cache.
pub(crate) fn call(hook: Option<&TokenCallback>, provider: &'static str, token: &Token) {
    let Some(hook) = hook else { return };
    if catch_unwind(AssertUnwindSafe(|| hook(token))).is_err() {
        tracing::error!(
            provider,
            "the on_token callback panicked; the token is used anyway"
        );
    }
}
