//! `oauth-token`: fetch a token from any bundled provider, from the shell.
//!
//! ```text
//! oauth-token list [--json]
//! oauth-token sandbox [--port N]
//! oauth-token <provider> [--base-url URL] [--json] [--cache redis://HOST:PORT[/DB]]
//!                        [--<field> VALUE ...] [--<secret>-file PATH]
//! ```
//!
//! Secrets never come from plain flags (other users see them in process
//! listings): they come from `<PROVIDER>_<FIELD>`, which holds the value, or
//! from `--<field>-file PATH`, where `-` is standard input. With `--cache` (or
//! `OAUTH_TOKEN_CACHE`) every run shares one token through Redis, so a fleet
//! of scripts asks the provider once per token lifetime; with Redis
//! unreachable the tool asks the provider itself and warns. Exit status: 0
//! success; 1 the provider refused or answered wrongly; 2 usage or
//! configuration; 3 transport. Under `--json`, an error is one JSON object on
//! standard error, and so is a warning (`"kind": "warning"`).

mod command;
mod failure;
mod fetch;
mod list;
mod sandbox;
mod warning;

use std::io::Write as _;
use std::process::ExitCode;

use clap::ArgMatches;

use crate::failure::Failure;

fn main() -> ExitCode {
    let json = command::wants_json(std::env::args_os());
    let matches = match command::root().try_get_matches() {
        Ok(matches) => matches,
        Err(error) if json && error.use_stderr() => {
            return Failure::from(error).report(json);
        }
        Err(error) => {
            // Help and version go to standard output; usage errors keep clap's own layout.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(failure::USAGE));
        }
    };
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(json),
    }
}

fn run(matches: &ArgMatches) -> Result<(), Failure> {
    match matches.subcommand() {
        Some((command::LIST, arguments)) => list::run(arguments),
        Some((command::SANDBOX, arguments)) => sandbox::run(arguments),
        Some((name, arguments)) => fetch::run(command::bundled(name)?, arguments),
        None => Err(Failure::usage(String::from(
            "name a provider, `list` or `sandbox`",
        ))),
    }
}

/// Writes to standard output; a reader that went away (`| head`) is not an error worth a panic.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::io(format!(
            "could not write to standard output: {error}"
        ))),
        _ => Ok(()),
    }
}
