//! The `oauth-token` binary against the loopback sandbox: output, exit
//! statuses, secrets from the environment and standard input, refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test assertions"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use oauth_tests::sandbox::credentials::{
    API_TOKEN, BUSINESS_ID, CLIENT_ID, CLIENT_SECRET, PASSWORD, USER_EMAIL, USERNAME,
};
use oauth_tests::sandbox::{EZZYDOC_PREFIX, Sandbox};

/// Runs the binary with `arguments`, environment `env` and `stdin`, off the runtime's threads.
async fn run(arguments: &[String], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oauth-token"));
    command
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let stdin = stdin.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("the binary runs");
        let mut input = child.stdin.take().unwrap();
        if let Some(stdin) = stdin {
            input.write_all(stdin.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
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
                &format!("{}{EZZYDOC_PREFIX}", sandbox.ezzydoc.uri()),
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
                &sandbox.myzeepay_server(),
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
                &sandbox.daftra_subdomain(),
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

#[tokio::test(flavor = "multi_thread")]
async fn every_bundled_provider_prints_its_token() {
    let sandbox = Sandbox::start().await;
    for (arguments, env) in invocations(&sandbox) {
        let output = run(&arguments, &env, None).await;
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

#[tokio::test(flavor = "multi_thread")]
async fn json_output_for_every_bundled_provider() {
    let sandbox = Sandbox::start().await;
    for (mut arguments, env) in invocations(&sandbox) {
        arguments.push(String::from("--json"));
        let output = run(&arguments, &env, None).await;
        assert!(
            output.status.success(),
            "{arguments:?}: {}",
            stderr(&output)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
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

#[tokio::test(flavor = "multi_thread")]
async fn exit_statuses() {
    let sandbox = Sandbox::start().await;
    let sohar = |extra: &[&str]| {
        let mut arguments = args(&["sohar", "--client-id", CLIENT_ID]);
        arguments.extend(args(extra));
        arguments
    };

    let rejected = run(
        &sohar(&["--base-url", &sandbox.sohar.uri()]),
        &[("SOHAR_CLIENT_SECRET", "wrong")],
        None,
    )
    .await;
    assert_eq!(rejected.status.code(), Some(1));
    assert_eq!(stderr(&rejected).lines().count(), 1);
    assert!(
        stderr(&rejected).contains("HTTP 401"),
        "{}",
        stderr(&rejected)
    );
    assert!(!stderr(&rejected).contains("wrong"));

    let missing = run(&sohar(&["--base-url", &sandbox.sohar.uri()]), &[], None).await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("SOHAR_CLIENT_SECRET"),
        "{}",
        stderr(&missing)
    );

    let unknown = run(&args(&["nonesuch"]), &[], None).await;
    assert_eq!(unknown.status.code(), Some(2));

    let closed = format!(
        "http://{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
    );
    let unreachable = run(
        &sohar(&["--base-url", &closed]),
        &[("SOHAR_CLIENT_SECRET", CLIENT_SECRET)],
        None,
    )
    .await;
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        stderr(&unreachable)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_from_standard_input_and_files() {
    let sandbox = Sandbox::start().await;
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--base-url",
        &sandbox.sohar.uri(),
        "--client-secret-file",
        "-",
    ]);
    let output = run(&arguments, &[], Some(&format!("{CLIENT_SECRET}\n"))).await;
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
    let output = run(&arguments, &[], None).await;
    std::fs::remove_file(&file).unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_given_as_a_flag_is_refused() {
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        "s3cret-on-the-command-line",
    ]);
    let output = run(&arguments, &[], None).await;
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("--client-secret-file") && message.contains("SOHAR_CLIENT_SECRET"),
        "{message}"
    );
    assert!(!message.contains("s3cret-on-the-command-line"));
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_another_host_is_refused() {
    let arguments = args(&[
        "sohar",
        "--client-id",
        CLIENT_ID,
        "--base-url",
        "http://api.soharhealth.com",
    ]);
    let output = run(&arguments, &[("SOHAR_CLIENT_SECRET", CLIENT_SECRET)], None).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("https://"), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn list_shows_every_provider_and_marks_secrets() {
    let output = run(&args(&["list"]), &[], None).await;
    assert!(output.status.success());
    let listing = stdout(&output);
    for name in ["daftra", "ezzydoc", "myzeepay", "ondayzero", "sohar"] {
        assert!(
            listing.lines().any(|line| line == name),
            "{name} in {listing}"
        );
    }
    assert!(
        listing
            .lines()
            .any(|line| line.contains("--client-secret") && line.contains("required, secret")),
        "{listing}"
    );
    assert!(
        listing
            .lines()
            .any(|line| line.contains("--business-id") && line.contains("optional")),
        "{listing}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_base_url_comes_from_the_environment_too() {
    let sandbox = Sandbox::start().await;
    let output = run(
        &args(&["sohar", "--client-id", CLIENT_ID]),
        &[
            ("SOHAR_CLIENT_SECRET", CLIENT_SECRET),
            ("SOHAR_BASE_URL", &sandbox.sohar.uri()),
        ],
        None,
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
}
