//! What the tool tells the user without stopping: a line for people, or under
//! `--json` one JSON object shaped like an error's, so standard error stays parseable.

/// Something the user should know about a run that still succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Warning {
    /// `--cache` named a Redis that did not answer; the provider was asked directly.
    CacheUnavailable,
}

impl Warning {
    /// A stable name for scripts.
    fn code(self) -> &'static str {
        match self {
            Self::CacheUnavailable => "cache_unavailable",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Self::CacheUnavailable => {
                "the token cache (Redis) did not answer; asked the provider directly"
            }
        }
    }

    /// Tells the user on standard error: `{"kind": "warning", "code", "message", "status": null}`
    /// under `--json`, the keys of an error object.
    pub(crate) fn report(self, json: bool) {
        if json {
            let object = serde_json::json!({
                "kind": "warning",
                "code": self.code(),
                "message": self.message(),
                "status": null,
            });
            eprintln!("{object}");
        } else {
            eprintln!("oauth-token: warning: {}", self.message());
        }
    }
}
