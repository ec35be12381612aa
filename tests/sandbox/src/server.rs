//! One loopback HTTP/1.1 server running an emulated provider, recording what it receives.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Response};
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::ReceivedRequest;
use crate::reply::Reply;

/// An emulated endpoint: answers each request as the provider documents.
pub(crate) trait Endpoint: Send + Sync + 'static {
    /// The answer to `request`.
    fn answer(&self, request: &ReceivedRequest) -> Reply;
}

/// The paths a server answers `POST` on, each with its endpoint; anything else is a 404.
pub(crate) type Routes = Vec<(String, Box<dyn Endpoint>)>;

/// Request bodies above this size are refused with 413, as real servers do.
const MAX_BODY: usize = 1024 * 1024;

/// How many requests a server keeps for [`Server::received_requests`]; it counts them all.
const KEPT_REQUESTS: usize = 4096;

/// One emulated provider on a loopback port.
///
/// The sandbox's servers run on a thread of their own, whatever runtime (or none)
/// the caller has; they stop when the last of them is dropped.
#[derive(Debug)]
pub struct Server {
    address: SocketAddr,
    journal: Arc<Journal>,
    _running: Arc<oneshot::Sender<()>>,
}

impl Server {
    /// The server's origin: `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The loopback address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The requests received so far, oldest first; a server left running keeps the first 4096.
    pub fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.journal.kept().clone()
    }

    /// How many requests the server has received.
    pub fn request_count(&self) -> usize {
        self.journal.count.load(Ordering::SeqCst)
    }
}

/// Servers being set up: each binds its port at once; [`Launch::run`] starts them all.
pub(crate) struct Launch {
    runtime: Runtime,
    listeners: Vec<(TcpListener, Arc<Site>)>,
    running: Arc<oneshot::Sender<()>>,
    stopped: oneshot::Receiver<()>,
}

impl Launch {
    pub(crate) fn new() -> io::Result<Self> {
        let (running, stopped) = oneshot::channel();
        Ok(Self {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
            listeners: Vec::new(),
            running: Arc::new(running),
            stopped,
        })
    }

    /// Listens on `127.0.0.1:port` (`0`: a free port) for `routes`.
    pub(crate) fn serve(&mut self, port: u16, routes: Routes) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let listener = {
            let _runtime = self.runtime.enter();
            TcpListener::from_std(listener)?
        };
        let journal = Arc::new(Journal::default());
        let site = Site {
            routes,
            journal: Arc::clone(&journal),
        };
        self.listeners.push((listener, Arc::new(site)));
        Ok(Server {
            address,
            journal,
            _running: Arc::clone(&self.running),
        })
    }

    /// Serves every listener on a new thread until the last [`Server`] is dropped.
    pub(crate) fn run(self) -> io::Result<()> {
        let Self {
            runtime,
            listeners,
            running,
            stopped,
        } = self;
        drop(running);
        std::thread::Builder::new()
            .name(String::from("oauth-sandbox"))
            .spawn(move || {
                runtime.block_on(async move {
                    for (listener, site) in listeners {
                        tokio::spawn(accept(listener, site));
                    }
                    // Resolves once every server handle, and with it the sender, is gone.
                    let _ = stopped.await;
                });
            })?;
        Ok(())
    }
}

/// What a server has received.
#[derive(Debug, Default)]
struct Journal {
    count: AtomicUsize,
    kept: Mutex<Vec<ReceivedRequest>>,
}

impl Journal {
    fn record(&self, request: &ReceivedRequest) {
        let mut kept = self.kept();
        if kept.len() < KEPT_REQUESTS {
            kept.push(request.clone());
        }
        self.count.fetch_add(1, Ordering::SeqCst);
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Vec<ReceivedRequest>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A server's routes and journal, shared by its connections.
struct Site {
    routes: Routes,
    journal: Arc<Journal>,
}

impl Site {
    async fn answer(&self, request: hyper::Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, MAX_BODY).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(error) if error.is::<LengthLimitError>() => {
                return Reply::status(413).into_response();
            }
            Err(_) => return Reply::status(400).into_response(),
        };
        let request = ReceivedRequest {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        };
        self.journal.record(&request);
        let endpoint = self
            .routes
            .iter()
            .find(|(path, _)| request.method == Method::POST && request.uri.path() == *path);
        match endpoint {
            Some((_, endpoint)) => endpoint.answer(&request),
            None => Reply::status(404),
        }
        .into_response()
    }
}

/// Accepts connections until the runtime shuts down, which ends every connection with it.
async fn accept(listener: TcpListener, site: Arc<Site>) {
    let mut connections = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                connections.spawn(serve(stream, Arc::clone(&site)));
            }
            // Out of file descriptors, say: wait for some to close rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
        while connections.try_join_next().is_some() {}
    }
}

async fn serve(stream: TcpStream, site: Arc<Site>) {
    let service = service_fn(move |request| {
        let site = Arc::clone(&site);
        async move { Ok::<_, Infallible>(site.answer(request).await) }
    });
    // A client that breaks the connection off only ends its own exchange.
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
