//! Why the tool stops: a message for people or one JSON object, and the exit status.

use std::process::ExitCode;

use oauth_core::Error;

/// The provider refused, or answered with something that is not a token.
pub(crate) const PROVIDER_FAILURE: u8 = 1;
/// The command line or the configuration is wrong.
pub(crate) const USAGE: u8 = 2;
/// The exchange with the provider did not complete.
pub(crate) const TRANSPORT: u8 = 3;

/// A failure as the user sees it.
#[derive(Debug)]
pub(crate) struct Failure {
    /// What kind of failure: `usage`, `io`, or the kind of [`Error`] (`rejected`...).
    kind: &'static str,
    message: String,
    /// The HTTP status of the provider's answer, when there was one.
    status: Option<u16>,
    /// The provider's error code, when it sent one.
    code: Option<String>,
    exit: u8,
}

impl Failure {
    /// The command line is wrong.
    pub(crate) fn usage(message: String) -> Self {
        Self::local("usage", message)
    }

    /// A local file, port or stream could not be used.
    pub(crate) fn io(message: String) -> Self {
        Self::local("io", message)
    }

    fn local(kind: &'static str, message: String) -> Self {
        Self {
            kind,
            message,
            status: None,
            code: None,
            exit: USAGE,
        }
    }

    /// Tells the user on standard error, as one line or one JSON object, and gives the exit status.
    pub(crate) fn report(&self, json: bool) -> ExitCode {
        if json {
            let object = serde_json::json!({
                "kind": self.kind,
                "message": self.message,
                "status": self.status,
                "code": self.code,
            });
            eprintln!("{object}");
        } else {
            eprintln!("oauth-token: {}", self.message);
        }
        ExitCode::from(self.exit)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let (kind, exit) = match &error {
            Error::Config(_) => ("config", USAGE),
            Error::Transport(_) => ("transport", TRANSPORT),
            Error::Rejected(_) => ("rejected", PROVIDER_FAILURE),
            Error::ReportedFailure(_) => ("reported_failure", PROVIDER_FAILURE),
            Error::MalformedResponse(_) => ("malformed_response", PROVIDER_FAILURE),
            _ => ("provider_failure", PROVIDER_FAILURE),
        };
        Self {
            kind,
            message: report(&error),
            status: error.status().map(|status| status.as_u16()),
            code: error
                .provider_error()
                .and_then(|provider| provider.code.clone()),
            exit,
        }
    }
}

/// The error and every cause under it on one line; each layer states only its own part.
fn report(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        message.push_str(": ");
        message.push_str(&error.to_string());
        cause = error.source();
    }
    message
}

impl From<clap::Error> for Failure {
    /// The first line of clap's message, without its `error: ` prefix; the usage that follows is for people.
    fn from(error: clap::Error) -> Self {
        let rendered = error.to_string();
        let first_line = rendered.lines().next().unwrap_or_default();
        let message = first_line.strip_prefix("error: ").unwrap_or(first_line);
        Self {
            exit: u8::try_from(error.exit_code()).unwrap_or(USAGE),
            ..Self::usage(message.to_owned())
        }
    }
}
