//! `qantar lock` against a running `qantar serve`: the sessions and API
//! tokens that worked before the lock are refused right after it, without
//! restarting the server, and people can log in again.

mod util;

use std::net::SocketAddr;
use std::process::Command;

use util::http::{http, serve};
use util::{Scratch, bin, json, qantar};

const PASSWORD: &str = "a long test password";

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
    // The lock is in the ledger with who pressed it (QANTAR_AUTHOR).
    let log = qantar_store::Archive::open(&archive).expect("archive");
    let last = log
        .store
        .entry(log.store.size().expect("size") - 1)
        .expect("entry");
    assert_eq!(last.kind, "audit.account_changed");
    assert_eq!(last.author, "tester");
    assert_eq!(last.payload["change"], "locked");
    drop(log);

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
