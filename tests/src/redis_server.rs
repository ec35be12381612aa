//! A real `redis-server` for one test: its own free loopback port, its own
//! directory, no persistence; stopped and cleaned up on drop.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// How long a server may take to answer its first `PING`.
const STARTUP: Duration = Duration::from_secs(10);

/// A `redis-server` process on `127.0.0.1`.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts a server on a free loopback port; panics if `redis-server` is missing or never answers.
    pub fn start() -> Self {
        static STARTED: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "oauth-tests-redis-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a directory for redis-server");
        let mut server = Self {
            child: None,
            port: 0,
            dir,
        };
        // Another process may take the free port before the server binds it: try a few.
        for _ in 0..5 {
            server.port = free_port();
            if server.launch() {
                return server;
            }
        }
        panic!("redis-server did not start; is it installed (apt-get install redis-server)?");
    }

    /// The URL to give a store: `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server at once (SIGKILL), as a crash would; its data is gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + STARTUP;
        while !self.launch() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not restart on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A blocking connection, for a test to look inside.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(2)))
            .expect("a connection to the test's redis-server")
    }

    /// Every key, found with `SCAN`, and the bytes of its value: a string's
    /// content, a hash's fields and values one after the other, anything
    /// else's `DUMP` (which may compress, so it is not enough for strings).
    pub fn everything(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut connection = self.connection();
        let keys: Vec<Vec<u8>> = redis::cmd("SCAN")
            .cursor_arg(0)
            .clone()
            .iter(&mut connection)
            .expect("SCAN")
            .collect::<Result<_, _>>()
            .expect("SCAN replies");
        keys.into_iter()
            .map(|key| {
                let kind: String = redis::cmd("TYPE")
                    .arg(&key)
                    .query(&mut connection)
                    .expect("TYPE");
                let command = |name: &str| {
                    let mut command = redis::cmd(name);
                    command.arg(&key);
                    command
                };
                let value: Vec<u8> = match kind.as_str() {
                    "string" => command("GET").query(&mut connection).expect("GET"),
                    "hash" => command("HGETALL")
                        .query::<Vec<Vec<u8>>>(&mut connection)
                        .expect("HGETALL")
                        .concat(),
                    _ => command("DUMP").query(&mut connection).expect("DUMP"),
                };
                (key, value)
            })
            .collect()
    }

    /// The keys that are not leases: one per shared entry.
    pub fn entry_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .everything()
            .into_iter()
            .map(|(key, _)| String::from_utf8_lossy(&key).into_owned())
            .filter(|key| !key.ends_with(":lease"))
            .collect();
        keys.sort();
        keys
    }

    /// Starts the process and waits for it to answer; `false` if it exits or stays silent.
    fn launch(&mut self) -> bool {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let Ok(child) = child else {
            return false;
        };
        self.child = Some(child);
        let deadline = Instant::now() + STARTUP;
        while Instant::now() < deadline {
            if let Some(child) = &mut self.child
                && let Ok(Some(_)) = child.try_wait()
            {
                self.child = None;
                return false;
            }
            if self.answers() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.kill();
        false
    }

    fn answers(&self) -> bool {
        let Ok(client) = redis::Client::open(self.url()) else {
            return false;
        };
        client
            .get_connection_with_timeout(Duration::from_millis(200))
            .and_then(|mut connection| redis::cmd("PING").query::<String>(&mut connection))
            .is_ok()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
