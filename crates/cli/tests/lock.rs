//! `qantar lock` against a running `qantar serve`: the sessions and API
//! tokens that worked before the lock are refused right after it, without
//! restarting the server, and people can log in again.

mod util;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use util::{Scratch, bin, json, qantar};

const PASSWORD: &str = "a long test password";

/// The server, stopped when the test ends however it ends.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(archive: &Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    let child = Command::new(bin())
        .args(["--archive", archive.to_str().expect("path"), "serve"])
        .args(["--listen", &addr.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start qantar serve");
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
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    /// The `name=value` of a cookie the reply sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("set-cookie").then(|| v.trim())
            })
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }

    fn location(&self) -> String {
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

fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
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

fn enc(s: &str) -> String {
    qantar_web::html::url_part(s)
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Log in through the form; the session cookie.
fn log_in(addr: SocketAddr, name: &str) -> String {
    let page = http(addr, "GET", "/workspace/login", &[], "");
    let pre = page.cookie("qantar_login").expect("login cookie");
    let form = format!(
        "csrf={}&name={}&password={}",
        enc(&csrf_of(&page.body)),
        enc(name),
        enc(PASSWORD)
    );
    let origin = format!("http://{addr}");
    let got = http(
        addr,
        "POST",
        "/workspace/login",
        &[
            ("Cookie", &pre),
            ("Origin", &origin),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &form,
    );
    assert_eq!(got.location(), "/workspace/", "{} {}", got.status, got.body);
    got.cookie("qantar_session").expect("session cookie")
}

#[test]
fn qantar_lock_ends_sessions_and_tokens_of_a_running_server() {
    let scratch = Scratch::new();
    let archive = scratch.init();
    qantar_web::add_user(&archive, "amina", qantar_web::Role::Editor, PASSWORD)
        .expect("add account");
    let token = qantar_web::create_token(&archive, "amina", "script").expect("token");
    let bearer = format!("Bearer {token}");
    let server = serve(&archive);
    let addr = server.addr;

    let session = log_in(addr, "amina");
    let home = http(addr, "GET", "/workspace/", &[("Cookie", &session)], "");
    assert_eq!(home.status, 200, "{}", home.body);
    // A known token reaches the record lookup (404: no such record); an
    // unknown one is 401.
    let api = |auth: &str| {
        http(
            addr,
            "GET",
            "/api/v1/records/no-such-record",
            &[("Authorization", auth)],
            "",
        )
        .status
    };
    assert_eq!(api(&bearer), 404);
    assert_eq!(api("Bearer qtk_unknown"), 401);

    let out = qantar(&["lock", "--json"], Some(&archive));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["sessions_ended"], 1, "{report}");
    assert_eq!(report["tokens_revoked"], 1, "{report}");
    assert_eq!(report["lock_generation"], 1, "{report}");

    // The same server, not restarted: the session and the token are gone.
    let after = http(addr, "GET", "/workspace/", &[("Cookie", &session)], "");
    assert_eq!(after.status, 303);
    assert_eq!(after.location(), "/workspace/login");
    assert_eq!(api(&bearer), 401);

    // Logging in again works, and a second lock counts on.
    let again = log_in(addr, "amina");
    assert_eq!(
        http(addr, "GET", "/workspace/", &[("Cookie", &again)], "").status,
        200
    );
    let out = qantar(&["lock"], Some(&archive));
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 sessions ended, 0 API tokens revoked"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        http(addr, "GET", "/workspace/", &[("Cookie", &again)], "").status,
        303
    );
}

#[test]
fn qantar_lock_needs_an_archive() {
    let scratch = Scratch::new();
    let out = qantar(&["lock"], Some(&scratch.path("not-an-archive")));
    assert!(!out.status.success());
    let out = Command::new(bin())
        .arg("lock")
        .env_remove("QANTAR_ARCHIVE")
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--archive"));
}
