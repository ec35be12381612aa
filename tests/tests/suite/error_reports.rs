//! Errors as a reporter prints them: the error, then each `source()` under it.
//! Every layer states its own part only, so the chain reads once, top to bottom.

use oauth_core::{Error, HttpClient, TokenEndpoint};
use oauth_providers::{MyZeePay, Sohar};
use oauth_tests::wire;

/// What `anyhow`'s `{:?}`, `eyre` or a hand-written reporter prints: one line per layer.
fn layers(error: &dyn std::error::Error) -> Vec<String> {
    let mut layers = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        layers.push(cause.to_string());
        source = cause.source();
    }
    layers
}

fn report(error: &Error) -> String {
    layers(error).join("\ncaused by: ")
}

/// No layer repeats what a layer below it says.
fn assert_said_once(error: &Error) {
    let layers = layers(error);
    for (at, layer) in layers.iter().enumerate() {
        for below in layers.iter().skip(at + 1) {
            assert!(!layer.contains(below.as_str()), "{}", report(error));
        }
    }
}

#[test]
fn a_configuration_error_and_its_cause() {
    let error = Sohar::new("id", "secret")
        .with_base_url("auth.example.com/oauth")
        .unwrap_err();
    assert_eq!(
        report(&error),
        "the base URL is not a valid URL\ncaused by: relative URL without a base"
    );
    let error = Sohar::new("id", "secret")
        .with_base_url("http://auth.example.com")
        .unwrap_err();
    assert_eq!(
        report(&error),
        "the base URL must use https:// (http:// is accepted only for loopback hosts), not http://"
    );
}

#[test]
fn a_provider_error_code_that_repeats_the_status_is_said_once() {
    let myzeepay = MyZeePay::new("id", "secret", "user", "password");
    let body = r#"{"error": 400, "message": "Invalid credentials."}"#;
    let error = wire::parse(&myzeepay, 400, Some("application/json"), body).unwrap_err();
    assert_eq!(
        report(&error),
        "myzeepay rejected the token request with HTTP 400 Bad Request: Invalid credentials."
    );
    assert_eq!(error.provider_error().unwrap().code.as_deref(), Some("400"));

    let body = r#"{"error": 4001, "message": "Invalid credentials."}"#;
    let error = wire::parse(&myzeepay, 400, Some("application/json"), body).unwrap_err();
    assert_eq!(
        report(&error),
        "myzeepay rejected the token request with HTTP 400 Bad Request: 4001: Invalid credentials."
    );
}

#[test]
fn a_malformed_response_is_one_line() {
    let error = wire::parse(
        &Sohar::new("id", "secret"),
        200,
        Some("application/json"),
        r#"{"token_type": "Bearer"}"#,
    )
    .unwrap_err();
    assert_eq!(
        report(&error),
        "sohar sent a malformed token response (HTTP 200 OK, application/json): the field `access_token` is missing"
    );
}

#[tokio::test]
async fn a_transport_error_then_what_the_http_stack_says() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let error = Sohar::new("id", "secret")
        .with_base_url(&format!("http://{closed}"))
        .unwrap()
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    let layers = layers(&error);
    assert_eq!(
        layers.first().map(String::as_str),
        Some("the token request to sohar failed: could not connect")
    );
    assert!(layers.len() >= 2, "the cause is kept: {layers:?}");
    assert_said_once(&error);
}
