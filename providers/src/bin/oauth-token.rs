//! `oauth-token`: fetch a token from any bundled provider, from the shell.
//!
//! ```text
//! oauth-token list
//! oauth-token <provider> [--base-url URL] [--json] [--cache redis://HOST:PORT[/DB]]
//!                        [--<field> VALUE ...] [--<secret>-file PATH]
//! ```
//!
//! Secrets never come from plain flags (other users see them in process
//! listings): they come from `<PROVIDER>_<FIELD>` or from `--<field>-file PATH`,
//! where `-` is standard input. With `--cache` (or `OAUTH_TOKEN_CACHE`) every
//! run shares one token through Redis, so a fleet of scripts asks the provider
//! once per token lifetime; with Redis unreachable the tool asks the provider
//! itself and warns. Exit status: 0 a token was printed; 1 the
//! provider refused or answered wrongly; 2 usage or configuration; 3 transport.
#![allow(
    clippy::print_stdout,
    reason = "a command-line tool reports on standard output"
)]

use std::collections::HashMap;
use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Arg, ArgAction, ArgMatches, Command};
use oauth_core::{
    Error, FieldMetadata, HttpClient, ProviderMetadata, RedisStore, RefreshPolicy, SettingSource,
    Token, TokenCache, TokenEndpoint,
};
use oauth_providers::{BUNDLED, Bundled};

const PROVIDER_FAILURE: u8 = 1;
const USAGE: u8 = 2;
const TRANSPORT: u8 = 3;
/// The environment variable that names the shared cache when `--cache` is not given.
const CACHE_ENV: &str = "OAUTH_TOKEN_CACHE";

fn main() -> ExitCode {
    let matches = command().get_matches();
    let result = match matches.subcommand() {
        Some(("list", _)) => {
            list();
            Ok(())
        }
        Some((name, arguments)) => {
            match BUNDLED.iter().find(|bundled| bundled.metadata.name == name) {
                Some(bundled) => fetch(bundled, arguments),
                None => Err(Failure::usage(format!("unknown provider {name}"))),
            }
        }
        None => Err(Failure::usage(String::from("name a provider, or `list`"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("oauth-token: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}

/// One line for standard error and the exit status that goes with it.
struct Failure {
    message: String,
    status: u8,
}

impl Failure {
    fn usage(message: String) -> Self {
        Self {
            message,
            status: USAGE,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let status = match &error {
            Error::Config(_) => USAGE,
            Error::Transport(_) => TRANSPORT,
            _ => PROVIDER_FAILURE,
        };
        Self {
            message: report(&error),
            status,
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

fn flag(field: &FieldMetadata) -> String {
    field.name.replace('_', "-")
}

fn command() -> Command {
    let mut command = Command::new("oauth-token")
        .about("Fetch an OAuth access token from a bundled provider")
        .subcommand_required(true)
        .subcommand(Command::new("list").about("List the providers and their settings"));
    for bundled in BUNDLED {
        command = command.subcommand(provider_command(&bundled.metadata));
    }
    command
}

fn provider_command(metadata: &ProviderMetadata) -> Command {
    let mut command = Command::new(metadata.name)
        .about(format!("Fetch a token from {}", metadata.name))
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .value_name("URL")
                .help(format!(
                    "Replace the provider's base URL (http:// only for loopback) [env: {}_BASE_URL]",
                    metadata.env_prefix()
                )),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("Print the whole token as one JSON object"),
        )
        .arg(
            Arg::new("cache")
                .long("cache")
                .value_name("URL")
                .help(format!(
                    "Share one token with every run through Redis (redis://host:port[/db]) [env: {CACHE_ENV}]"
                )),
        );
    for field in metadata.fields {
        let flag = flag(field);
        let env = metadata.env_var(field);
        if field.secret {
            command = command
                .arg(
                    Arg::new(format!("{flag}-file"))
                        .long(format!("{flag}-file"))
                        .value_name("PATH")
                        .help(format!(
                            "{} (secret: read from PATH, '-' for standard input) [env: {env}]",
                            field.doc
                        )),
                )
                // Declared only to refuse it with a helpful message.
                .arg(Arg::new(flag.clone()).long(flag).hide(true).num_args(0..=1));
        } else {
            let required = if field.required { " (required)" } else { "" };
            command = command.arg(
                Arg::new(flag.clone())
                    .long(flag)
                    .value_name("VALUE")
                    .help(format!("{}{required} [env: {env}]", field.doc)),
            );
        }
    }
    command
}

fn list() {
    for bundled in BUNDLED {
        let metadata = bundled.metadata;
        println!("{}", metadata.name);
        for field in metadata.fields {
            let marks = match (field.required, field.secret) {
                (true, true) => "required, secret",
                (true, false) => "required",
                (false, true) => "optional, secret",
                (false, false) => "optional",
            };
            println!("  --{:<16} {:<18} {}", flag(field), marks, field.doc);
        }
    }
}

fn fetch(bundled: &Bundled, arguments: &ArgMatches) -> Result<(), Failure> {
    let metadata = bundled.metadata;
    let secrets = read_secret_files(&metadata, arguments)?;
    let mut settings = CommandLine {
        metadata,
        arguments,
        secrets,
    };
    let mut provider = (bundled.build)(&mut settings)?;
    let base_url = arguments
        .get_one::<String>("base-url")
        .cloned()
        .or_else(|| std::env::var(format!("{}_BASE_URL", metadata.env_prefix())).ok());
    if let Some(base_url) = base_url {
        provider = Box::new(oauth_core::TokenEndpoint::with_base_url(
            provider, &base_url,
        )?);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::usage(format!("could not start the runtime: {error}")))?;
    let client = HttpClient::new()?;
    let cache = arguments
        .get_one::<String>("cache")
        .cloned()
        .or_else(|| std::env::var(CACHE_ENV).ok())
        .filter(|url| !url.is_empty());
    let token = match cache {
        None => runtime.block_on(provider.fetch_token(&client))?,
        Some(url) => runtime.block_on(fetch_shared(provider, client, &url))?,
    };
    if arguments.get_flag("json") {
        println!("{}", token_json(&token));
    } else {
        println!("{}", token.access_token().expose_secret());
    }
    Ok(())
}

/// Obtains the token through the Redis cache at `url`: the shared token while
/// it is valid, else one renewal for every run that asks meanwhile. A refusal is never shared.
async fn fetch_shared(
    provider: Box<dyn TokenEndpoint>,
    client: HttpClient,
    url: &str,
) -> Result<Token, Error> {
    let store = RedisStore::builder(url).build(&provider)?;
    // A holder's request ends within the client's timeout, so its lease never lapses mid-request.
    let policy = RefreshPolicy::default().lease(HttpClient::DEFAULT_TIMEOUT);
    let cache = TokenCache::builder(provider, client)
        .refresh_policy(policy)
        .store(Arc::new(store.clone()))
        .build();
    let token = cache.token().await?;
    if !store.answered() {
        eprintln!(
            "oauth-token: warning: the token cache (Redis) did not answer; asked the provider directly"
        );
    }
    Ok(Token::clone(&token))
}

/// Reads every `--<secret>-file`, and refuses secrets given as plain flags.
fn read_secret_files(
    metadata: &ProviderMetadata,
    arguments: &ArgMatches,
) -> Result<HashMap<&'static str, String>, Failure> {
    let mut secrets = HashMap::new();
    for field in metadata.fields.iter().filter(|field| field.secret) {
        let flag = flag(field);
        if arguments.contains_id(&flag) {
            return Err(Failure::usage(format!(
                "--{flag} is refused: a secret on the command line shows in process listings; \
                 set {} or use --{flag}-file PATH ('-' for standard input)",
                metadata.env_var(field)
            )));
        }
        let Some(path) = arguments.get_one::<String>(&format!("{flag}-file")) else {
            continue;
        };
        let mut text = String::new();
        let read = if path == "-" {
            std::io::stdin().read_to_string(&mut text)
        } else {
            std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text))
        };
        read.map_err(|error| {
            Failure::usage(format!("could not read --{flag}-file {path}: {error}"))
        })?;
        secrets.insert(field.name, text.trim_end_matches(['\r', '\n']).to_owned());
    }
    Ok(secrets)
}

/// Settings from flags and secret files first, then the environment.
struct CommandLine<'a> {
    metadata: ProviderMetadata,
    arguments: &'a ArgMatches,
    secrets: HashMap<&'static str, String>,
}

impl SettingSource for CommandLine<'_> {
    fn get(&mut self, field: &FieldMetadata) -> Result<Option<String>, Error> {
        let given = if field.secret {
            self.secrets.remove(field.name)
        } else {
            self.arguments.get_one::<String>(&flag(field)).cloned()
        };
        Ok(given.or_else(|| std::env::var(self.metadata.env_var(field)).ok()))
    }

    fn describe(&self, field: &FieldMetadata) -> String {
        let flag = flag(field);
        let env = self.metadata.env_var(field);
        if field.secret {
            format!("{env} (or --{flag}-file)")
        } else {
            format!("--{flag} (or {env})")
        }
    }
}

fn token_json(token: &Token) -> serde_json::Value {
    serde_json::json!({
        "access_token": token.access_token().expose_secret(),
        "token_type": token.token_type(),
        "expires_in": token.expires_in().map(|lifetime| lifetime.as_secs()),
        "expires_at": token.expires_at().map(|at| humantime::format_rfc3339_seconds(at).to_string()),
        "refresh_token": token.refresh_token().map(|refresh| refresh.expose_secret()),
        "scope": token.scope(),
    })
}
