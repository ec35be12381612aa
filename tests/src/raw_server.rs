//! A loopback HTTP server that keeps each request exactly as it arrived on the
//! socket, for checks no HTTP library may tidy up first (which headers were
//! sent, how many times, with what spelling).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request: its head as text (request line and headers) and its body bytes.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// Everything before the blank line, CRLFs included.
    pub head: String,
    /// The body, as long as `Content-Length` said.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The request line: `POST /oauth/token HTTP/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    /// Every value of a header, in the order sent; names compare case-insensitively.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.head
            .split("\r\n")
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .filter(|(header, _)| header.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .collect()
    }
}

/// The server: answers every request with one canned response, then closes the connection.
pub struct RawServer {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    /// Starts on a free loopback port, answering `status` with `body` as `content_type`.
    pub async fn start(status: u16, content_type: &str, body: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("a bound address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let response = format!(
            "HTTP/1.1 {status} Canned\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let seen = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let seen = Arc::clone(&seen);
                let response = response.clone();
                tokio::spawn(async move { serve(socket, &seen, &response).await });
            }
        });
        Self { address, requests }
    }

    /// The base URL: `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The one request received; fails the test if there were none or several.
    pub fn single_request(&self) -> RawRequest {
        let mut requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.remove(0)
    }
}

async fn serve(mut socket: TcpStream, seen: &Mutex<Vec<RawRequest>>, response: &str) {
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    let head_end = loop {
        if let Some(end) = find(&received, b"\r\n\r\n") {
            break end;
        }
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => received.extend_from_slice(buffer.get(..read).unwrap_or_default()),
        }
    };
    let head = String::from_utf8_lossy(received.get(..head_end).unwrap_or_default()).into_owned();
    let mut request = RawRequest {
        head,
        body: received.get(head_end + 4..).unwrap_or_default().to_vec(),
    };
    let length = request
        .header_values("content-length")
        .first()
        .and_then(|length| length.parse::<usize>().ok())
        .unwrap_or(0);
    while request.body.len() < length {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => request
                .body
                .extend_from_slice(buffer.get(..read).unwrap_or_default()),
        }
    }
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request);
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
