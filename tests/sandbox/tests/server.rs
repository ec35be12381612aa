//! The sandbox's servers over real loopback sockets, spoken to in raw HTTP/1.1:
//! routing, the request journal, the body cap, ports, and stopping.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test assertions"
)]

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use oauth_sandbox::credentials::{CLIENT_ID, CLIENT_SECRET};
use oauth_sandbox::{Sandbox, Server};

/// Sends `head` and `body` on a fresh connection and returns the whole response.
fn exchange(server: &Server, head: &str, body: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.address()).unwrap();
    write!(
        stream,
        "{head}\r\nhost: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        server.address(),
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn status_line(response: &str) -> &str {
    response.lines().next().unwrap_or_default()
}

#[test]
fn a_token_endpoint_answers_post_on_its_path_and_nothing_else() {
    let sandbox = Sandbox::start().unwrap();
    let body = format!(r#"{{"client_id":"{CLIENT_ID}","client_secret":"{CLIENT_SECRET}"}}"#);
    let post = |path: &str| {
        exchange(
            &sandbox.sohar,
            &format!("POST {path} HTTP/1.1\r\ncontent-type: application/json"),
            body.as_bytes(),
        )
    };

    let token = post("/oauth/token");
    assert_eq!(status_line(&token), "HTTP/1.1 200 OK");
    assert!(
        token
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{token}"
    );
    assert!(token.contains(r#""token_type":"Bearer""#), "{token}");

    assert_eq!(status_line(&post("/oauth/other")), "HTTP/1.1 404 Not Found");
    let get = exchange(&sandbox.sohar, "GET /oauth/token HTTP/1.1", b"");
    assert_eq!(status_line(&get), "HTTP/1.1 404 Not Found");
}

#[test]
fn every_request_is_counted_and_kept_as_received() {
    let sandbox = Sandbox::start().unwrap();
    assert_eq!(sandbox.myzeepay.request_count(), 0);
    exchange(
        &sandbox.myzeepay,
        "POST /oauth/token?probe=1 HTTP/1.1\r\ncontent-type: application/x-www-form-urlencoded",
        b"grant_type=password&username=a%40b",
    );
    exchange(&sandbox.myzeepay, "GET /elsewhere HTTP/1.1", b"");

    assert_eq!(sandbox.myzeepay.request_count(), 2);
    let received = sandbox.myzeepay.received_requests();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].method, "POST");
    assert_eq!(received[0].uri, "/oauth/token?probe=1");
    assert_eq!(
        received[0].media_type().as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let form = received[0].form_fields().unwrap();
    assert_eq!(form["username"], "a@b");
    assert_eq!(received[1].uri.path(), "/elsewhere");
    assert_eq!(
        sandbox.sohar.request_count(),
        0,
        "each server keeps its own"
    );
}

#[test]
fn a_body_over_a_mebibyte_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let body = vec![b'a'; 1024 * 1024 + 1];
    let response = exchange(
        &sandbox.sohar,
        "POST /oauth/token HTTP/1.1\r\ncontent-type: application/json",
        &body,
    );
    assert_eq!(status_line(&response), "HTTP/1.1 413 Payload Too Large");
}

#[test]
fn five_consecutive_ports_from_the_first_one_given() {
    // Another process may take a free port before the sandbox does: try a few.
    for _ in 0..10 {
        let first = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let Ok(sandbox) = Sandbox::start_on(first) else {
            continue;
        };
        let ports: Vec<u16> = [
            &sandbox.ezzydoc,
            &sandbox.myzeepay,
            &sandbox.ondayzero,
            &sandbox.daftra,
            &sandbox.sohar,
        ]
        .iter()
        .map(|server| server.address().port())
        .collect();
        assert_eq!(ports, (first..first + 5).collect::<Vec<_>>());
        assert!(sandbox.sohar.address().ip().is_loopback());
        assert_eq!(
            sandbox.ezzydoc_base_url(),
            format!("http://127.0.0.1:{first}/EzzyService.svc/Rest")
        );
        return;
    }
    panic!("no five free consecutive ports in ten tries");
}

#[test]
fn ports_beyond_the_last_one_are_an_error() {
    let error = Sandbox::start_on(65533).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("65535"), "{error}");
}

#[test]
fn a_port_in_use_is_an_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let error = Sandbox::start_on(taken.local_addr().unwrap().port()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AddrInUse);
}

#[test]
fn dropping_the_sandbox_closes_its_connections() {
    let sandbox = Sandbox::start().unwrap();
    let mut stream = TcpStream::connect(sandbox.sohar.address()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    drop(sandbox);
    let mut buffer = [0; 1];
    match stream.read(&mut buffer) {
        Ok(read) => assert_eq!(read, 0, "the connection ends"),
        Err(error) => assert!(
            !matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "the connection stays open: {error}"
        ),
    }
}
