//! `oauth-token sandbox`: the five emulated providers on loopback, and a command
//! line for each that fetches a token from it, so the tool can be tried with no
//! credentials.

use std::borrow::Cow;

use clap::ArgMatches;
use oauth_providers::BUNDLED;
use oauth_sandbox::Sandbox;
use oauth_sandbox::credentials::{
    API_TOKEN, BUSINESS_ID, CLIENT_ID, CLIENT_SECRET, PASSWORD, USER_EMAIL, USERNAME,
};

use crate::command::{self, PORT};
use crate::failure::Failure;

pub(crate) fn run(arguments: &ArgMatches) -> Result<(), Failure> {
    let first_port = arguments.get_one::<u16>(PORT).copied().unwrap_or(0);
    let sandbox = Sandbox::start_on(first_port)
        .map_err(|error| Failure::io(format!("could not start the sandbox: {error}")))?;
    let mut script = String::from(
        "# Five emulated providers on loopback, with the sandbox's credentials, until interrupted.\n\
         # Each line fetches a token from one of them (add --json for the whole token):\n",
    );
    for trial in trials(&sandbox) {
        script.push_str(&command_line(&trial));
        script.push('\n');
    }
    crate::print(&script)?;
    // The servers run on their own thread; this one only keeps the process alive.
    loop {
        std::thread::park();
    }
}

/// A provider's settings against the sandbox: field values, and a base URL when
/// the declared one is not a field.
struct Trial {
    provider: &'static str,
    settings: Vec<(&'static str, String)>,
    base_url: Option<String>,
}

fn trials(sandbox: &Sandbox) -> [Trial; 5] {
    let client = || {
        vec![
            ("client_id", CLIENT_ID.to_owned()),
            ("client_secret", CLIENT_SECRET.to_owned()),
        ]
    };
    let owner = || {
        vec![
            ("username", USERNAME.to_owned()),
            ("password", PASSWORD.to_owned()),
        ]
    };
    [
        Trial {
            provider: "ezzydoc",
            settings: client(),
            base_url: Some(sandbox.ezzydoc_base_url()),
        },
        Trial {
            provider: "myzeepay",
            settings: [client(), owner(), vec![("server", sandbox.myzeepay.uri())]].concat(),
            base_url: None,
        },
        Trial {
            provider: "ondayzero",
            settings: vec![
                ("api_token", API_TOKEN.to_owned()),
                ("user_email", USER_EMAIL.to_owned()),
                ("business_id", BUSINESS_ID.to_owned()),
            ],
            base_url: Some(sandbox.ondayzero.uri()),
        },
        Trial {
            provider: "daftra",
            settings: [vec![("subdomain", sandbox.daftra.uri())], client(), owner()].concat(),
            base_url: None,
        },
        Trial {
            provider: "sohar",
            settings: client(),
            base_url: Some(sandbox.sohar.uri()),
        },
    ]
}

/// The shell command line for a trial: secrets in the environment, the rest as flags,
/// in the provider's declaration order.
fn command_line(trial: &Trial) -> String {
    let mut environment = Vec::new();
    let mut words = vec![String::from("oauth-token"), trial.provider.to_owned()];
    let fields = BUNDLED
        .iter()
        .filter(|bundled| bundled.metadata.name == trial.provider)
        .flat_map(|bundled| {
            bundled
                .metadata
                .fields
                .iter()
                .map(|field| (bundled.metadata, field))
        });
    for (metadata, field) in fields {
        let Some((_, value)) = trial.settings.iter().find(|(name, _)| *name == field.name) else {
            continue;
        };
        if field.secret {
            environment.push(format!("{}={}", metadata.env_var(field), shell_word(value)));
        } else {
            words.push(format!("--{} {}", command::flag(field), shell_word(value)));
        }
    }
    if let Some(base_url) = &trial.base_url {
        words.push(format!("--{} {}", command::BASE_URL, shell_word(base_url)));
    }
    environment.extend(words);
    environment.join(" ")
}

/// A word the shell reads back unchanged: as it is when that is safe, single-quoted otherwise.
fn shell_word(text: &str) -> Cow<'_, str> {
    let safe =
        |character: char| character.is_ascii_alphanumeric() || "@%+=:,./_-".contains(character);
    if !text.is_empty() && text.chars().all(safe) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("'{}'", text.replace('\'', r"'\''")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_survive_the_shell() {
        assert_eq!(shell_word("owner@sandbox.test"), "owner@sandbox.test");
        assert_eq!(
            shell_word("http://127.0.0.1:8400/a"),
            "http://127.0.0.1:8400/a"
        );
        assert_eq!(shell_word("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(shell_word(""), "''");
    }
}
