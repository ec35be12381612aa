//! The HTTP client's safe defaults, each against a real loopback server.

use std::time::{Duration, Instant};

use oauth_core::{ConfigError, Error, HttpClient, Problem, TokenEndpoint, TransportErrorKind};
use oauth_providers::Sohar;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client() -> HttpClient {
    HttpClient::new().expect("the default client builds")
}

fn token_body() -> serde_json::Value {
    serde_json::json!({"access_token": "t", "token_type": "Bearer", "expires_in": 60})
}

/// The error a body over the default cap gives.
fn assert_too_large(error: &Error) {
    let Error::MalformedResponse(malformed) = error else {
        panic!("{error:?}")
    };
    assert_eq!(
        malformed.problem,
        Problem::TooLarge {
            limit: HttpClient::DEFAULT_MAX_RESPONSE_BYTES
        }
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    for status in [302, 307] {
        let target = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(token_body()))
            .mount(&target)
            .await;
        let redirector = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", format!("{}/oauth/token", target.uri())),
            )
            .mount(&redirector)
            .await;

        let provider = Sohar::new("id", "secret")
            .with_base_url(&redirector.uri())
            .unwrap();
        let error = provider.fetch_token(&client()).await.unwrap_err();
        assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
        assert!(error.to_string().contains("redirect"), "{error}");
        assert!(
            target
                .received_requests()
                .await
                .unwrap_or_default()
                .is_empty(),
            "the redirect target was contacted"
        );
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_bound() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    // Accept and read, never answer.
    let silent = tokio::spawn(async move {
        let mut connections = Vec::new();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                break;
            };
            let mut buffer = [0; 1024];
            let _ = socket.read(&mut buffer).await;
            connections.push(socket);
        }
    });
    let client = HttpClient::builder()
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let provider = Sohar::new("id", "secret")
        .with_base_url(&format!("http://{address}"))
        .unwrap();
    let started = Instant::now();
    let error = provider.fetch_token(&client).await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    silent.abort();
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let address = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let provider = Sohar::new("id", "secret")
        .with_base_url(&format!("http://{address}"))
        .unwrap();
    let error = provider.fetch_token(&client()).await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect);
    assert_eq!(
        error.to_string(),
        "the token request to sohar failed: could not connect"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let server = MockServer::start().await;
    let huge = format!(
        r#"{{"access_token": "t", "padding": "{}"}}"#,
        "x".repeat(2 << 20)
    );
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    let provider = Sohar::new("id", "secret")
        .with_base_url(&server.uri())
        .unwrap();
    assert_too_large(&provider.fetch_token(&client()).await.unwrap_err());
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    for refused in [
        "http://api.soharhealth.com",
        "http://10.0.0.8:8080",
        "ftp://127.0.0.1",
    ] {
        let error = Sohar::new("id", "secret")
            .with_base_url(refused)
            .unwrap_err();
        assert!(
            matches!(error, Error::Config(ConfigError::InsecureUrl { .. })),
            "{refused}: {error:?}"
        );
    }
    for accepted in [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9",
    ] {
        assert!(
            Sohar::new("id", "secret").with_base_url(accepted).is_ok(),
            "{accepted}"
        );
    }
}

/// A hand-written provider whose URL skipped the constructors' checks.
struct HandWritten(String);

impl TokenEndpoint for HandWritten {
    fn provider_name(&self) -> &'static str {
        "hand-written"
    }

    fn base_url(&self) -> Result<oauth_core::reqwest::Url, Error> {
        Ok(oauth_core::reqwest::Url::parse(&self.0).unwrap())
    }

    fn token_path(&self) -> &str {
        "/token"
    }

    fn build_request_to(
        &self,
        token_url: oauth_core::reqwest::Url,
    ) -> Result<oauth_core::TokenRequest, Error> {
        Sohar::new("id", "secret").build_request_to(token_url)
    }

    fn parse_response(
        &self,
        response: &oauth_core::TokenResponse<'_>,
    ) -> Result<oauth_core::Token, Error> {
        Sohar::new("id", "secret").parse_response(response)
    }
}

#[tokio::test]
async fn your_own_reqwest_client_still_gets_the_https_rule_and_the_cap() {
    let client = HttpClient::from_reqwest(oauth_core::reqwest::Client::new());
    // No network here: a connection attempt would be a transport error, not a configuration error.
    let error = HandWritten(String::from("http://token.example.com"))
        .fetch_token(&client)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(ConfigError::InsecureUrl { .. })),
        "{error:?}"
    );

    let server = MockServer::start().await;
    let huge = "x".repeat(HttpClient::DEFAULT_MAX_RESPONSE_BYTES + 1);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    let error = HandWritten(server.uri())
        .fetch_token(&client)
        .await
        .unwrap_err();
    assert_too_large(&error);
}

/// Accepts one connection, answers with a chunked JSON body of `total` bytes, and reports how much it could write.
async fn stream_body(listener: TcpListener, total: usize) -> usize {
    use tokio::io::AsyncWriteExt;

    let Ok((mut socket, _)) = listener.accept().await else {
        return 0;
    };
    let mut request = [0; 4096];
    let _ = socket.read(&mut request).await;
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return 0;
    }
    let chunk = vec![b' '; 64 * 1024];
    let mut written = 0;
    while written < total {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if socket.write_all(&framed).await.is_err() {
            break;
        }
        written += chunk.len();
    }
    written
}

#[tokio::test]
async fn a_ten_mebibyte_body_is_an_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(stream_body(listener, 10 << 20));
    let provider = Sohar::new("id", "secret")
        .with_base_url(&format!("http://{address}"))
        .unwrap();
    assert_too_large(&provider.fetch_token(&client()).await.unwrap_err());
    server.abort();
}

#[tokio::test]
async fn reading_stops_at_the_cap_instead_of_draining_the_body() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let endless = 256 << 20;
    let server = tokio::spawn(stream_body(listener, endless));
    let provider = Sohar::new("id", "secret")
        .with_base_url(&format!("http://{address}"))
        .unwrap();
    provider.fetch_token(&client()).await.unwrap_err();
    // The client hung up after 1 MiB; what the server still got out is socket buffering.
    let written = server.await.unwrap();
    assert!(written < 64 << 20, "the client drained {written} bytes");
}
