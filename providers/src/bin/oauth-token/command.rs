//! The command line: subcommands and flags, generated from the providers' declarations.

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command, value_parser};
use oauth_core::{FieldMetadata, ProviderMetadata};
use oauth_providers::{BUNDLED, Bundled};

use crate::failure::Failure;

/// The subcommand listing the providers and their settings.
pub(crate) const LIST: &str = "list";
/// The subcommand serving the emulated providers.
pub(crate) const SANDBOX: &str = "sandbox";
/// Machine-readable output, and errors, as JSON.
pub(crate) const JSON: &str = "json";
/// Replaces a provider's declared base URL.
pub(crate) const BASE_URL: &str = "base-url";
/// The sandbox's first port.
pub(crate) const PORT: &str = "port";
/// Shares one token between runs through Redis.
pub(crate) const CACHE: &str = "cache";
/// The environment variable that names the shared cache when `--cache` is not given.
pub(crate) const CACHE_ENV: &str = "OAUTH_TOKEN_CACHE";

/// The whole command line.
pub(crate) fn root() -> Command {
    let mut command = Command::new("oauth-token")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Fetch an OAuth access token from a bundled provider")
        .subcommand_required(true)
        .subcommand(
            Command::new(LIST)
                .about("List the providers and their settings: flag, environment variable, kind")
                .arg(json_flag("Print the list as one JSON array")),
        )
        .subcommand(
            Command::new(SANDBOX)
                .about(
                    "Serve the five emulated providers on loopback and print, for each, \
                     a command line that fetches a token from it",
                )
                .arg(
                    Arg::new(PORT)
                        .long(PORT)
                        .value_name("N")
                        .value_parser(value_parser!(u16))
                        .help(
                            "Listen on N and the four ports after it \
                             (EzzyDoc, MyZeePay, OnDayZero, Daftra, Sohar); default: any free ports",
                        ),
                ),
        );
    for bundled in BUNDLED {
        command = command.subcommand(provider(&bundled.metadata));
    }
    command
}

/// A provider's subcommand: one flag per setting, secrets only from files.
fn provider(metadata: &ProviderMetadata) -> Command {
    let mut command = Command::new(metadata.name)
        .about(format!("Fetch a token from {}", metadata.name))
        .arg(
            Arg::new(BASE_URL)
                .long(BASE_URL)
                .value_name("URL")
                .help(format!(
                    "Replace the provider's base URL (http:// only for loopback) [env: {}]",
                    base_url_env(metadata)
                )),
        )
        .arg(json_flag(
            "Print the whole token as one JSON object; errors too, on standard error",
        ))
        .arg(
            Arg::new(CACHE)
                .long(CACHE)
                .value_name("URL")
                .help(format!(
                    "Share one token with every run through Redis (redis://host:port[/db]) [env: {CACHE_ENV}]"
                )),
        );
    for field in metadata.fields {
        let env = metadata.env_var(field);
        if field.secret {
            command = command
                .arg(
                    Arg::new(file_flag(field))
                        .long(file_flag(field))
                        .value_name("PATH")
                        .help(format!(
                            "{} Secret: read from the file PATH ('-' for standard input), \
                             or from the variable {env}, which holds the value itself",
                            field.doc
                        )),
                )
                // Declared only to refuse it with a helpful message.
                .arg(
                    Arg::new(flag(field))
                        .long(flag(field))
                        .hide(true)
                        .num_args(0..=1),
                );
        } else {
            let presence = match (field.required, field.default) {
                (true, _) => String::from(" (required)"),
                (false, Some(default)) => format!(" [default: {default}]"),
                (false, None) => String::new(),
            };
            command = command.arg(
                Arg::new(flag(field))
                    .long(flag(field))
                    .value_name("VALUE")
                    .help(format!("{}{presence} [env: {env}]", field.doc)),
            );
        }
    }
    command
}

fn json_flag(help: &'static str) -> Arg {
    Arg::new(JSON)
        .long(JSON)
        .action(ArgAction::SetTrue)
        .help(help)
}

/// A field's flag: `client_id` is `--client-id`.
pub(crate) fn flag(field: &FieldMetadata) -> String {
    field.name.replace('_', "-")
}

/// The flag naming a file that holds a secret field's value: `--client-secret-file`.
pub(crate) fn file_flag(field: &FieldMetadata) -> String {
    format!("{}-file", flag(field))
}

/// The variable replacing a provider's base URL: `SOHAR_BASE_URL`.
pub(crate) fn base_url_env(metadata: &ProviderMetadata) -> String {
    format!("{}_BASE_URL", metadata.env_prefix())
}

/// The bundled provider a subcommand names.
pub(crate) fn bundled(name: &str) -> Result<&'static Bundled, Failure> {
    BUNDLED
        .iter()
        .find(|bundled| bundled.metadata.name == name)
        .ok_or_else(|| Failure::usage(format!("unknown provider {name}")))
}

/// Whether `--json` was asked for, read before parsing so that usage errors honour it too.
pub(crate) fn wants_json(arguments: impl IntoIterator<Item = OsString>) -> bool {
    arguments
        .into_iter()
        .take_while(|argument| argument != "--")
        .any(|argument| argument == "--json")
}
