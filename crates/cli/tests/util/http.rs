//! A running `qantar serve` and plain HTTP/1.1 exchanges with it, for tests
//! that need the real server process (its logs, its temporary files, a lock
//! from another process).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server, stopped when the test ends however it ends.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `qantar serve` on a free port of 127.0.0.1, its error output passed
/// through.
pub fn serve(archive: &Path) -> Server {
    serve_with(archive, &[], None)
}

/// `qantar serve` with extra environment variables; with `log`, its
/// standard output and error go to `log.out` and `log.err` in that
/// directory (for tests that search the logs).
pub fn serve_with(archive: &Path, env: &[(&str, &Path)], log: Option<&Path>) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    let mut c = Command::new(super::bin());
    c.args(["--archive", archive.to_str().expect("path"), "serve"])
        .args(["--listen", &addr.to_string()])
        .env_remove("QANTAR_ARCHIVE");
    for (k, v) in env {
        c.env(k, v);
    }
    match log {
        Some(dir) => {
            let out = std::fs::File::create(dir.join("log.out")).expect("log file");
            let err = std::fs::File::create(dir.join("log.err")).expect("log file");
            c.stdout(out).stderr(err);
        }
        None => {
            c.stdout(Stdio::null()).stderr(Stdio::inherit());
        }
    }
    let child = c.spawn().expect("start qantar serve");
    let server = Server { child, addr };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "qantar serve did not start listening on {addr}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// One HTTP/1.1 exchange on its own connection.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    /// The `name=value` of a cookie the reply sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("set-cookie").then(|| v.trim())
            })
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }

    pub fn location(&self) -> String {
        self.head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("location")
                    .then(|| v.trim().to_string())
            })
            .unwrap_or_default()
    }
}

pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}
