//! `oauth-token <provider>`: build the provider from flags, files and the
//! environment, fetch one token (through the shared Redis cache with `--cache`),
//! print it.

use std::collections::HashMap;
use std::io::Read as _;
use std::sync::Arc;

use clap::ArgMatches;
use oauth_core::{
    Error, FieldMetadata, HttpClient, ProviderMetadata, RedisStore, RefreshPolicy, SettingSource,
    Token, TokenCache, TokenEndpoint,
};
use oauth_providers::Bundled;

use crate::command::{self, BASE_URL, CACHE, CACHE_ENV, JSON};
use crate::failure::Failure;
use crate::warning::Warning;

pub(crate) fn run(bundled: &Bundled, arguments: &ArgMatches) -> Result<(), Failure> {
    let provider = configure(bundled, arguments)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::io(format!("could not start the runtime: {error}")))?;
    let client = HttpClient::new()?;
    let cache = arguments
        .get_one::<String>(CACHE)
        .cloned()
        .or_else(|| std::env::var(CACHE_ENV).ok())
        .filter(|url| !url.is_empty());
    let json = arguments.get_flag(JSON);
    let token = match cache {
        None => runtime.block_on(provider.fetch_token(&client))?,
        Some(url) => {
            let (token, warning) = runtime.block_on(fetch_shared(provider, client, &url))?;
            if let Some(warning) = warning {
                warning.report(json);
            }
            token
        }
    };
    if json {
        crate::print(&format!("{}\n", token_json(&token)))
    } else {
        crate::print(&format!("{}\n", token.access_token().expose_secret()))
    }
}

/// Obtains the token through the Redis cache at `url`: the shared token while
/// it is valid, else one renewal for every run that asks meanwhile. A refusal
/// is never shared. Warns when Redis did not answer.
async fn fetch_shared(
    provider: Box<dyn TokenEndpoint>,
    client: HttpClient,
    url: &str,
) -> Result<(Token, Option<Warning>), Error> {
    let store = RedisStore::builder(url).build(&provider)?;
    // A holder's request ends within the client's timeout, so its lease never lapses mid-request.
    let policy = RefreshPolicy::default().lease(HttpClient::DEFAULT_TIMEOUT);
    let cache = TokenCache::builder(provider, client)
        .refresh_policy(policy)
        .store(Arc::new(store.clone()))
        .build();
    let token = cache.token().await?;
    let warning = (!store.answered()).then_some(Warning::CacheUnavailable);
    Ok((Token::clone(&token), warning))
}

/// The provider from its settings, with the base URL replaced when asked.
fn configure(bundled: &Bundled, arguments: &ArgMatches) -> Result<Box<dyn TokenEndpoint>, Failure> {
    let metadata = bundled.metadata;
    let mut settings = CommandLine {
        metadata,
        arguments,
        secrets: read_secret_files(&metadata, arguments)?,
    };
    let provider = (bundled.build)(&mut settings)?;
    let base_url = arguments
        .get_one::<String>(BASE_URL)
        .cloned()
        .or_else(|| std::env::var(command::base_url_env(&metadata)).ok());
    Ok(match base_url {
        Some(base_url) => Box::new(provider.with_base_url(&base_url)?),
        None => provider,
    })
}

/// Reads every `--<secret>-file`, and refuses secrets given as plain flags.
fn read_secret_files(
    metadata: &ProviderMetadata,
    arguments: &ArgMatches,
) -> Result<HashMap<&'static str, String>, Failure> {
    let mut secrets = HashMap::new();
    for field in metadata.fields.iter().filter(|field| field.secret) {
        let flag = command::flag(field);
        let file_flag = command::file_flag(field);
        if arguments.contains_id(&flag) {
            return Err(Failure::usage(format!(
                "--{flag} is refused: a secret on the command line shows in process listings; \
                 set {} to the value or use --{file_flag} PATH ('-' for standard input)",
                metadata.env_var(field)
            )));
        }
        let Some(path) = arguments.get_one::<String>(&file_flag) else {
            continue;
        };
        let mut text = String::new();
        let read = if path == "-" {
            std::io::stdin().read_to_string(&mut text)
        } else {
            std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text))
        };
        read.map_err(|error| Failure::io(format!("could not read --{file_flag} {path}: {error}")))?;
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
            self.arguments
                .get_one::<String>(&command::flag(field))
                .cloned()
        };
        Ok(given.or_else(|| std::env::var(self.metadata.env_var(field)).ok()))
    }

    fn describe(&self, field: &FieldMetadata) -> String {
        let env = self.metadata.env_var(field);
        if field.secret {
            format!("{env} (or --{})", command::file_flag(field))
        } else {
            format!("--{} (or {env})", command::flag(field))
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
