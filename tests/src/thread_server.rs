//! A loopback HTTP/1.1 server on plain threads, for tests that run no async
//! runtime at all: one thread accepts, one thread serves each connection, one
//! request per connection (`Connection: close`). It can speak TLS through any
//! stream a wrapper gives it.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The request target: path and query.
    pub target: String,
    /// Header names (lowercased) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The leaf certificate (DER) the client presented over TLS, if any.
    pub peer_certificate: Option<Vec<u8>>,
}

impl Received {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    /// A reply with this status and an empty body.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A 200 with this JSON body.
    pub fn json(body: &serde_json::Value) -> Self {
        Self::status(200)
            .header("content-type", "application/json")
            .body(body.to_string().into_bytes())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;
type Wrap = dyn Fn(TcpStream) -> io::Result<Wrapped> + Send + Sync;

/// A byte stream the server can read a request from and write a reply to.
pub trait Stream: Read + Write + Send {}

impl<T: Read + Write + Send> Stream for T {}

/// A connection a wrapper made ready: its stream, and the client's certificate if TLS asked for one.
pub struct Wrapped {
    /// What the request is read from and the reply written to.
    pub stream: Box<dyn Stream>,
    /// The leaf certificate (DER) the client presented.
    pub peer_certificate: Option<Vec<u8>>,
}

impl Wrapped {
    /// A stream with no client certificate.
    pub fn plain(stream: impl Stream + 'static) -> Self {
        Self {
            stream: Box::new(stream),
            peer_certificate: None,
        }
    }
}

/// The server; it stops accepting when dropped.
pub struct ThreadServer {
    address: SocketAddr,
    served: Arc<AtomicUsize>,
    stopped: Arc<AtomicBool>,
}

impl ThreadServer {
    /// Serves plain HTTP with `handler`.
    pub fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_wrapped(|stream| Ok(Wrapped::plain(stream)), handler)
    }

    /// Serves every connection through `wrap` (a TLS acceptor, say).
    pub fn start_wrapped(
        wrap: impl Fn(TcpStream) -> io::Result<Wrapped> + Send + Sync + 'static,
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let address = listener.local_addr().expect("the bound address");
        let served = Arc::new(AtomicUsize::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let wrap: Arc<Wrap> = Arc::new(wrap);
        let (counter, stop) = (Arc::clone(&served), Arc::clone(&stopped));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (handler, wrap, counter) = (
                    Arc::clone(&handler),
                    Arc::clone(&wrap),
                    Arc::clone(&counter),
                );
                thread::spawn(move || {
                    let _ = serve(stream, &*wrap, &*handler, &counter);
                });
            }
        });
        Self {
            address,
            served,
            stopped,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// How many requests were read so far.
    pub fn requests(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for ThreadServer {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so it sees the flag.
        let _ = TcpStream::connect(self.address);
    }
}

fn serve(
    stream: TcpStream,
    wrap: &Wrap,
    handler: &Handler,
    served: &AtomicUsize,
) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let wrapped = wrap(stream)?;
    let mut stream = BufReader::new(wrapped.stream);
    let Some(mut received) = read_request(&mut stream)? else {
        return Ok(());
    };
    received.peer_certificate = wrapped.peer_certificate;
    served.fetch_add(1, Ordering::SeqCst);
    let reply = handler(&received);
    thread::sleep(reply.delay);
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let stream = stream.get_mut();
    stream.write_all(head.as_bytes())?;
    stream.write_all(&reply.body)?;
    stream.flush()
}

fn read_request(stream: &mut BufReader<Box<dyn Stream>>) -> io::Result<Option<Received>> {
    let mut line = String::new();
    if stream.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let target = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        stream.read_line(&mut line)?;
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(Some(Received {
        target,
        headers,
        body,
        peer_certificate: None,
    }))
}
