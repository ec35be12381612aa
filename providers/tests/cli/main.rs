//! The `oauth-token` binary, spawned for real against the loopback sandbox:
//! output, exit statuses, secrets from the environment and standard input,
//! refusals, `list`, `--version`, errors as JSON, and `oauth-token sandbox`.
//! `--cache` through a real Redis is the [`cache`] module, in this binary to
//! save a link (`cargo test -p oauth-providers --all-features --test cli cache::`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test assertions"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use oauth_sandbox::Sandbox;
use oauth_sandbox::credentials::{
    API_TOKEN, BUSINESS_ID, CLIENT_ID, CLIENT_SECRET, PASSWORD, USER_EMAIL, USERNAME,
};
use serde_json::Value;

mod cache;

const BINARY: &str = env!("CARGO_BIN_EXE_oauth-token");

/// Runs the binary with `arguments`, environment `env` and `stdin`.
fn run(arguments: &[String], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(BINARY);
    command
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(stdin) = stdin {
        input.write_all(stdin.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|argument| (*argument).to_owned()).collect()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard error as the one JSON object `--json` promises, and nothing on standard output.
fn json_error(output: &Output) -> Value {
    let text = stderr(output);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    assert!(output.stdout.is_empty(), "{}", stdout(output));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

/// Arguments, and the environment that carries the secrets.
type Invocation = (Vec<String>, Vec<(&'static str, &'static str)>);

/// The command line for each bundled provider against the sandbox, secrets in the environment.
fn invocations(sandbox: &Sandbox) -> Vec<Invocation> {
    vec![
        (
            args(&[
                "ezzydoc",
                "--client-id",
                CLIENT_ID,
                "--base-url",
                &sandbox.ezzydoc_base_url(),
            ]),
            vec![("EZZYDOC_CLIENT_SECRET", CLIENT_SECRET)],
        ),
        (
            args(&[
                "myzeepay",
                "--client-id",
                CLIENT_ID,
                "--username",
                USERNAME,
                "--server",
                &sandbox.myzeepay.uri(),
            ]),
            vec![
                ("MYZEEPAY_CLIENT_SECRET", CLIENT_SECRET),
                ("MYZEEPAY_PASSWORD", PASSWORD),
            ],
        ),
        (
            args(&[
                "ondayzero",
                "--user-email",
                USER_EMAIL,
                "--business-id",
                BUSINESS_ID,
                "--base-url",
                &sandbox.ondayzero.uri(),
            ]),
            vec![("ONDAYZERO_API_TOKEN", API_TOKEN)],
        ),
        (
            args(&[
                "daftra",
                "--subdomain",
                &sandbox.daftra.uri(),
                "--client-id",
                CLIENT_ID,
                "--username",
                USERNAME,
            ]),
            vec![
                ("DAFTRA_CLIENT_SECRET", CLIENT_SECRET),
                ("DAFTRA_PASSWORD", PASSWORD),
            ],
        ),
        (
            args(&[
                "sohar",
                "--client-id",
                CLIENT_ID,
                "--base-url",
                &sandbox.sohar.uri(),
            ]),
            vec![("SOHAR_CLIENT_SECRET", CLIENT_SECRET)],
        ),
    ]
}

fn sandbox() -> Sandbox {
    Sandbox::start().expect("the sandbox listens on loopback")
}

#[test]
fn every_bundled_provider_prints_its_token() {
    let sandbox = sandbox();
    for (arguments, env) in invocations(&sandbox) {
        let output = run(&arguments, &env, None);
        assert!(
            output.status.success(),
            "{arguments:?}: {}",
            stderr(&output)
        );
        let printed = stdout(&output);
        let token = printed.trim_end();
        assert!(
            !token.is_empty() && !token.contains(char::is_whitespace),
            "{arguments:?}: {printed:?}"
        );
        assert_eq!(
            printed.lines().count(),
            1,
            "the token alone, for TOKEN=$(oauth-token ...)"
        );
    }
}

#[test]
fn json_output_for_every_bundled_provider() {
    let sandbox = sandbox();
    for (mut arguments, env) in invocations(&sandbox) {
        arguments.push(String::from("--json"));
        let output = run(&arguments, &env, None);
        assert!(
            output.status.success(),
            "{arguments:?}: {}",
            stderr(&output)
        );
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(
            json["access_token"]
                .as_str()
                .is_some_and(|token| !token.is_empty())
        );
        assert_eq!(json["token_type"], "Bearer");
        let expires_in = json["expires_in"].as_u64().unwrap();
        assert!(expires_in > 3000, "{json}");
        let expires_at = json["expires_at"].as_str().unwrap();
        assert!(
            expires_at.ends_with('Z') && expires_at.contains('T'),
            "RFC 3339: {expires_at}"
        );
        for key in ["refresh_token", "scope"] {
            assert!(
                json.get(key).is_some(),
                "{key} is always present, null when absent"
            );
        }
    }
}

#[test]
fn exit_statuses() {
    let sandbox = sandbox();
    let sohar = |extra: &[&str]| {
        let mut arguments = args(&["sohar", "--client-id", CLIENT_ID]);
        arguments.extend(args(extra));
        arguments
    };

    let rejected = run(
        &sohar(&["--base-url", &sandbox.sohar.uri()]),
        &[("SOHAR_CLIENT_SECRET", "wrong")],
        None,
    );
    assert_eq!(rejected.status.code(), Some(1));
    assert_eq!(stderr(&rejected).lines().count(), 1);
    assert!(
        stderr(&rejected).contains("HTTP 401"),
        "{}",
        stderr(&rejected)
    );
    assert!(!stderr(&rejected).contains("wrong"));

    let missing = run(&sohar(&["--base-url", &sandbox.sohar.uri()]), &[], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("SOHAR_CLIENT_SECRET"),
        "{}",
        stderr(&missing)
    );

    let unknown = run(&args(&["nonesuch"]), &[], None);
    assert_eq!(unknown.status.code(), Some(2));

    let unreachable = run(
        &sohar(&["--base-url", &closed_port()]),
        &[("SOHAR_CLIENT_SECRET", CLIENT_SECRET)],
        None,
    );
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        stderr(&unreachable)
    );
}

/// A loopback URL nothing listens on.
fn closed_port() -> String {
    format!(
        "http://{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
    )
}

#[test]
fn under_json_every_error_is_one_json_object_with_the_usual_exit_status() {
    let sandbox = sandbox();
    let sohar_at = |base_url: &str| {
        args(&[
            "sohar",
            "--json",
            "--client-id",
            CLIENT_ID,
            "--base-url",
            base_url,
        ])
    };

    let rejected = run(
        &sohar_at(&sandbox.sohar.uri()),
        &[("SOHAR_CLIENT_SECRET", "canary-wrong-secret")],
        None,
    );
    assert_eq!(rejected.status.code(), Some(1));
    let error = json_error(&rejected);
    assert_eq!(error["kind"], "rejected");
    assert_eq!(error["status"], 401);
    assert_eq!(error["code"], "invalid_request_error");
    assert!(
        error["message"].as_str().unwrap().contains("sohar"),
        "{error}"
    );
    assert!(!stderr(&rejected).contains("canary"));

    let reported = run(
        &args(&[
            "ezzydoc",
            "--json",
            "--client-id",
            CLIENT_ID,
            "--base-url",
            &sandbox.ezzydoc_base_url(),
        ]),
        &[("EZZYDOC_CLIENT_SECRET", "wrong")],
        None,
    );
    assert_eq!(reported.status.code(), Some(1));
    let error = json_error(&reported);
    assert_eq!(error["kind"], "reported_failure");
    assert_eq!(error["status"], 200);
    assert_eq!(error["code"], "FAILED");

    let missing = run(&sohar_at(&sandbox.sohar.uri()), &[], None);
    assert_eq!(missing.status.code(), Some(2));
    let error = json_error(&missing);
    assert_eq!(error["kind"], "config");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("SOHAR_CLIENT_SECRET"),
        "{error}"
    );
    assert_eq!(error["status"], Value::Null);
    assert_eq!(error["code"], Value::Null);

    let unreachable = run(
        &sohar_at(&closed_port()),
        &[("SOHAR_CLIENT_SECRET", CLIENT_SECRET)],
        None,
    );
    assert_eq!(unreachable.status.code(), Some(3));
    assert_eq!(json_error(&unreachable)["kind"], "transport");

    let misspelled = run(&args(&["sohar", "--json", "--client-idd", "x"]), &[], None);
    assert_eq!(misspelled.status.code(), Some(2));
    let error = json_error(&misspelled);
    assert_eq!(error["kind"], "usage");
    assert!(
        error["message"].as_str().unwrap().contains("--client-idd"),
        "{error}"
    );

    let secret_flag = run(
        &args(&["sohar", "--json", "--client-secret", "canary-on-the-line"]),
        &[],
        None,
    );
    assert_eq!(secret_flag.status.code(), Some(2));
    assert_eq!(json_error(&secret_flag)["kind"], "usage");
    assert!(!stderr(&secret_flag).contains("canary"));
}

#[test]
fn secrets_from_standard_input_and_files() {
    let sandbox = sandbox();
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--base-url",
        &sandbox.sohar.uri(),
        "--client-secret-file",
        "-",
    ]);
    let output = run(&arguments, &[], Some(&format!("{CLIENT_SECRET}\n")));
    assert!(output.status.success(), "{}", stderr(&output));

    let file = std::env::temp_dir().join(format!("oauth-token-secret-{}", std::process::id()));
    std::fs::write(&file, CLIENT_SECRET).unwrap();
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--base-url",
        &sandbox.sohar.uri(),
        "--client-secret-file",
        file.to_str().unwrap(),
    ]);
    let output = run(&arguments, &[], None);
    std::fs::remove_file(&file).unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_secret_given_as_a_flag_is_refused() {
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        "s3cret-on-the-command-line",
    ]);
    let output = run(&arguments, &[], None);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("--client-secret-file") && message.contains("SOHAR_CLIENT_SECRET"),
        "{message}"
    );
    assert!(!message.contains("s3cret-on-the-command-line"));
}

#[test]
fn plain_http_to_another_host_is_refused() {
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--base-url",
        "http://api.soharhealth.com",
    ]);
    let output = run(&arguments, &[("SOHAR_CLIENT_SECRET", CLIENT_SECRET)], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("https://"), "{}", stderr(&output));
}

#[test]
fn the_base_url_comes_from_the_environment_too() {
    let sandbox = sandbox();
    let output = run(
        &args(&["sohar", "--client-id", CLIENT_ID]),
        &[
            ("SOHAR_CLIENT_SECRET", CLIENT_SECRET),
            ("SOHAR_BASE_URL", &sandbox.sohar.uri()),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn version_names_the_tool_and_its_version() {
    let output = run(&args(&["--version"]), &[], None);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("oauth-token {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The row of `list` for a flag, split into its columns.
fn list_row(listing: &str, provider: &str, flag: &str) -> Vec<String> {
    let section: Vec<&str> = listing
        .lines()
        .skip_while(|line| *line != provider)
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .collect();
    let row = section
        .iter()
        .find(|line| line.trim_start().starts_with(&format!("{flag} ")))
        .unwrap_or_else(|| panic!("{flag} under {provider} in\n{listing}"));
    row.split("  ")
        .map(str::trim)
        .filter(|column| !column.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn list_shows_each_setting_with_its_variable_and_kind() {
    let output = run(&args(&["list"]), &[], None);
    assert!(output.status.success());
    let listing = stdout(&output);
    for name in ["daftra", "ezzydoc", "myzeepay", "ondayzero", "sohar"] {
        assert!(
            listing.lines().any(|line| line == name),
            "{name} in {listing}"
        );
    }
    assert_eq!(
        list_row(&listing, "sohar", "--client-id")[..3],
        ["--client-id VALUE", "SOHAR_CLIENT_ID", "required"]
    );
    assert_eq!(
        list_row(&listing, "sohar", "--client-secret-file")[..3],
        [
            "--client-secret-file PATH",
            "SOHAR_CLIENT_SECRET",
            "required, secret"
        ]
    );
    assert_eq!(
        list_row(&listing, "ondayzero", "--business-id")[..3],
        ["--business-id VALUE", "ONDAYZERO_BUSINESS_ID", "optional"]
    );
    let grant_type = list_row(&listing, "ezzydoc", "--grant-type");
    assert_eq!(
        grant_type[..3],
        ["--grant-type VALUE", "EZZYDOC_GRANT_TYPE", "defaulted"]
    );
    assert!(
        grant_type[3].ends_with("[default: client_credentials]"),
        "{grant_type:?}"
    );
    assert_eq!(
        list_row(&listing, "daftra", "--base-url")[..3],
        ["--base-url URL", "DAFTRA_BASE_URL", "optional"]
    );
    assert!(
        listing.contains("variable holds the value itself"),
        "{listing}"
    );
}

#[test]
fn list_as_json() {
    let output = run(&args(&["list", "--json"]), &[], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let providers: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = providers
        .iter()
        .map(|provider| provider["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["daftra", "ezzydoc", "myzeepay", "ondayzero", "sohar"]
    );
    let ezzydoc = &providers[1];
    assert_eq!(ezzydoc["base_url"]["env"], "EZZYDOC_BASE_URL");
    assert_eq!(ezzydoc["base_url"]["flag"], "--base-url");
    let settings = ezzydoc["settings"].as_array().unwrap();
    assert_eq!(
        settings[1],
        serde_json::json!({
            "name": "client_secret",
            "flag": "--client-secret-file",
            "env": "EZZYDOC_CLIENT_SECRET",
            "secret": true,
            "required": true,
            "defaulted": false,
            "default": null,
            "doc": "The client secret EzzyBills issued.",
        })
    );
    assert_eq!(settings[2]["name"], "grant_type");
    assert_eq!(settings[2]["required"], false);
    assert_eq!(settings[2]["defaulted"], true);
    assert_eq!(settings[2]["default"], "client_credentials");
}

#[test]
fn help_for_a_secret_file_says_the_variable_holds_the_value() {
    let output = run(&args(&["sohar", "--help"]), &[], None);
    assert!(output.status.success());
    // Whether clap wraps lines depends on its features: compare the words.
    let help = stdout(&output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains(
            "--client-secret-file <PATH> Your application's client secret. Secret: read from \
             the file PATH ('-' for standard input), or from the variable SOHAR_CLIENT_SECRET, \
             which holds the value itself"
        ),
        "{help}"
    );
    assert!(!help.contains("[env: SOHAR_CLIENT_SECRET]"), "{help}");
    assert!(help.contains("[env: SOHAR_CLIENT_ID]"), "{help}");
}

/// `oauth-token sandbox` running in the background; killed when dropped.
struct Background(Child);

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `oauth-token sandbox` with `extra` arguments and reads the lines it prints.
fn start_sandbox(extra: &[&str]) -> (Background, Vec<String>) {
    let mut child = Background(
        Command::new(BINARY)
            .arg("sandbox")
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary runs"),
    );
    let mut reader = BufReader::new(child.0.stdout.take().unwrap());
    let mut lines = Vec::new();
    while lines
        .iter()
        .filter(|line: &&String| !line.starts_with('#'))
        .count()
        < 5
    {
        let mut line = String::new();
        assert_ne!(
            reader.read_line(&mut line).unwrap(),
            0,
            "the sandbox stopped after printing {lines:?}"
        );
        lines.push(line.trim_end().to_owned());
    }
    (child, lines)
}

/// Runs a printed line through the shell, as a user pasting it would, with the binary on `PATH`.
fn paste(line: &str) -> Output {
    let directory = Path::new(BINARY).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(directory.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .env("PATH", path)
        .output()
        .unwrap()
}

#[test]
fn sandbox_prints_a_working_command_line_for_each_provider() {
    let (_sandbox, lines) = start_sandbox(&[]);
    let commands: Vec<&String> = lines.iter().filter(|line| !line.starts_with('#')).collect();
    let providers: Vec<&str> = commands
        .iter()
        .map(|line| {
            let mut words = line.split(' ').skip_while(|word| word.contains('='));
            assert_eq!(words.next(), Some("oauth-token"), "{line}");
            words.next().unwrap()
        })
        .collect();
    assert_eq!(
        providers,
        ["ezzydoc", "myzeepay", "ondayzero", "daftra", "sohar"]
    );
    for line in commands {
        assert!(line.contains("http://127.0.0.1:"), "loopback only: {line}");
        let output = paste(line);
        assert!(output.status.success(), "{line}: {}", stderr(&output));
        assert_eq!(stdout(&output).lines().count(), 1, "{line}: a token");
        let json = paste(&format!("{line} --json"));
        let token: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(token["token_type"], "Bearer", "{line}");
    }
}

#[test]
fn sandbox_listens_on_five_ports_from_the_one_given() {
    // Another process may take a free port before the sandbox does: try a few.
    for _ in 0..10 {
        let first = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if first > u16::MAX - 4 {
            continue;
        }
        let port = first.to_string();
        let mut child = Command::new(BINARY)
            .args(["sandbox", "--port", &port])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut first_line = String::new();
        if reader.read_line(&mut first_line).unwrap() == 0 {
            // A port was taken: the sandbox said so and stopped.
            let status = child.wait().unwrap();
            assert_eq!(status.code(), Some(2));
            continue;
        }
        let _sandbox = Background(child);
        let printed: String = reader
            .lines()
            .take(6)
            .map(|line| line.unwrap() + "\n")
            .collect();
        let words: Vec<&str> = printed.split_whitespace().collect();
        for (offset, path) in ["/EzzyService.svc/Rest", "", "", "", ""].iter().enumerate() {
            let url = format!("http://127.0.0.1:{}{path}", first + offset as u16);
            assert!(words.contains(&url.as_str()), "{url} in {printed}");
        }
        return;
    }
    panic!("no five free consecutive ports in ten tries");
}

#[test]
fn sandbox_on_ports_that_cannot_be_used_is_a_usage_error() {
    let beyond = run(&args(&["sandbox", "--port", "65533"]), &[], None);
    assert_eq!(beyond.status.code(), Some(2));
    assert!(stderr(&beyond).contains("65535"), "{}", stderr(&beyond));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = run(&args(&["sandbox", "--json", "--port", &port]), &[], None);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        json_error(&output)["kind"],
        "usage",
        "sandbox takes no --json"
    );
    let output = run(&args(&["sandbox", "--port", &port]), &[], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("could not start the sandbox"),
        "{}",
        stderr(&output)
    );
}
