//! End to end in a real browser: `qantar serve` runs as a child process
//! and headless Chromium, driven through the DevTools protocol, logs in,
//! records a source, a person and an act through the workspace's forms
//! (and one form with mistakes), marks the person and the act public with
//! the confidentiality switch, and then, with JavaScript disabled, reads
//! the person's public profile in Kazakh, Russian and English.
//!
//! The protocol runs over `--remote-debugging-pipe` (NUL-separated JSON on
//! two pipes), so the test needs no WebSocket crate. Form fields are filled
//! and submitted with DevTools' own evaluation (the pages themselves carry
//! no script and forbid scripts by CSP); the public pages are read with
//! script execution disabled, through the DOM domain.
//!
//! Screenshots go to `<target>/browser-screenshots/`; their paths are
//! printed. Without Chromium the test prints "skipping: …" and passes.

mod util;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use util::{Scratch, bin};

const PASSWORD: &str = "a long test password";

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|p| p.join("browser-screenshots"))
        .unwrap_or_else(|| PathBuf::from("browser-screenshots"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

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

fn start(archive: &Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    let child = Command::new(bin())
        .args([
            "--archive",
            archive.to_str().expect("path"),
            "serve",
            "--listen",
            &addr.to_string(),
        ])
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

/// Chromium driven through the DevTools protocol over `--remote-debugging-pipe`:
/// the browser reads commands on file descriptor 3 and writes replies and
/// events on descriptor 4, each a JSON message ended by a NUL byte. A shell
/// `exec` wires those descriptors to this process's pipes, so no WebSocket
/// client is needed.
struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Events that arrived while waiting for a reply.
    pending: Vec<Value>,
    next: u64,
    session: String,
}

const WAIT: Duration = Duration::from_secs(30);

impl Browser {
    fn launch(chromium: &Path, profile: &Path) -> Browser {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>/dev/null")
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--remote-debugging-pipe",
                "--window-size=1200,1600",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let input = child.stdin.take().expect("pipe to chromium");
        let mut output = child.stdout.take().expect("pipe from chromium");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 65536];
            while let Ok(n) = output.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|b| *b == 0) {
                    let msg: Vec<u8> = buf.drain(..=end).collect();
                    if let Ok(v) = serde_json::from_slice::<Value>(&msg[..msg.len() - 1])
                        && tx.send(v).is_err()
                    {
                        return;
                    }
                }
            }
        });
        let mut b = Browser {
            child,
            input,
            messages: rx,
            pending: Vec::new(),
            next: 0,
            session: String::new(),
        };
        let target = b.call_in(None, "Target.createTarget", json!({"url": "about:blank"}));
        let attached = b.call_in(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        b.session = attached["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        b.call("Page.enable", json!({}));
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1200, "height": 1600, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    fn call_in(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = msg.to_string().into_bytes();
        bytes.push(0);
        self.input.write_all(&bytes).expect("write to chromium");
        loop {
            let m = self
                .messages
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("chromium did not answer {method}"));
            if m["id"] == json!(id) {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
            self.pending.push(m);
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.call_in(Some(&s), method, params)
    }

    fn wait_for(&mut self, event: &str) {
        if let Some(i) = self.pending.iter().position(|m| m["method"] == event) {
            self.pending.remove(i);
            return;
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("chromium never sent {event}"));
            if m["method"] == event {
                return;
            }
        }
    }

    fn go(&mut self, url: &str) {
        self.pending.clear();
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for("Page.loadEventFired");
    }

    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Fill the form that posts to `action` and submit it, as a person
    /// would by typing and clicking; waits for the next page.
    fn submit(&mut self, action: &str, fields: Value) {
        self.pending.clear();
        let script = format!(
            "(() => {{ const f = document.querySelector('form[action=\"{action}\"]');
              if (!f) return 'no form';
              const fields = {fields};
              for (const [k, v] of Object.entries(fields)) {{
                const el = f.elements[k];
                if (el.multiple) {{ const vs = [].concat(v); for (const o of el.options) o.selected = vs.includes(o.value); }}
                else el.value = v;
              }}
              f.submit(); return 'sent'; }})()"
        );
        assert_eq!(
            self.eval(&script),
            json!("sent"),
            "no form posts to {action}"
        );
        self.wait_for("Page.loadEventFired");
    }

    fn path(&mut self) -> String {
        self.eval("location.pathname")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The document as the browser holds it (works with scripts off).
    fn dom(&mut self) -> String {
        let doc = self.call("DOM.getDocument", json!({}));
        let html = self.call("DOM.getOuterHTML", json!({"nodeId": doc["root"]["nodeId"]}));
        html["outerHTML"].as_str().unwrap_or_default().to_string()
    }

    fn screenshot(&mut self, name: &str) {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())
            .expect("PNG data");
        assert!(png.len() > 1000, "an empty screenshot of {name}");
        let file = screenshots().join(name);
        std::fs::write(&file, png).expect("write screenshot");
        println!("screenshot: {}", file.display());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .input
            .write_all(b"{\"id\":999999,\"method\":\"Browser.close\"}\0");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn record_id(path: &str) -> String {
    path.strip_prefix("/workspace/records/")
        .unwrap_or_else(|| panic!("expected a record page after saving, got {path}"))
        .to_string()
}

#[test]
fn a_documenter_records_a_person_who_then_appears_on_the_public_site() {
    let Some(chromium) = chromium() else {
        println!("skipping: chromium not found (install the Debian package `chromium`)");
        return;
    };
    let scratch = Scratch::new();
    let archive = scratch.init();
    qantar_web::add_user(&archive, "amina", qantar_web::Role::Editor, PASSWORD)
        .expect("add account");
    let server = start(&archive);
    let base = format!("http://{}", server.addr);
    let profile = scratch.path("chromium-profile");
    std::fs::create_dir_all(&profile).expect("profile dir");
    let mut b = Browser::launch(&chromium, &profile);

    // Log in through the form.
    b.go(&format!("{base}/workspace/login"));
    b.screenshot("01-login.png");
    b.submit(
        "/workspace/login",
        json!({"name": "amina", "password": PASSWORD}),
    );
    assert_eq!(b.path(), "/workspace/", "logged in: {}", b.dom());

    // A form with mistakes: errors beside the fields, nothing stored.
    b.go(&format!("{base}/workspace/new/person"));
    b.submit("/workspace/new/person", json!({"birth_date": "yesterday"}));
    let dom = b.dom();
    assert!(dom.contains("data-field=\"birth_date\""), "{dom}");
    assert!(dom.contains("aria-invalid=\"true\""));
    b.screenshot("02-person-form-errors.png");

    // A source, a person citing it, an act against the person.
    b.go(&format!("{base}/workspace/new/source"));
    b.submit(
        "/workspace/new/source",
        json!({"title": "Report by a rights group", "source_kind": "ngo_report", "confidentiality": "public"}),
    );
    let source = record_id(&b.path());
    b.go(&format!("{base}/workspace/new/person"));
    b.submit(
        "/workspace/new/person",
        json!({"names[0].value": "Browser Testuly", "status": "killed", "sources": [source]}),
    );
    let person = record_id(&b.path());
    b.go(&format!("{base}/workspace/new/act"));
    b.submit(
        "/workspace/new/act",
        json!({"act_type": "killing", "victim": person, "date": "2022-01-06", "sources": [source]}),
    );
    let act = record_id(&b.path());

    // Mark the person and the act public with the confidentiality switch.
    for id in [&person, &act] {
        b.go(&format!("{base}/workspace/records/{id}"));
        b.submit(
            &format!("/workspace/records/{id}/confidentiality"),
            json!({"confidentiality": "public"}),
        );
        assert_eq!(b.path(), format!("/workspace/records/{id}"));
    }
    assert!(b.dom().contains("Browser Testuly") || b.path().contains(&act));
    b.go(&format!("{base}/workspace/records/{person}"));
    b.screenshot("03-workspace-person.png");
    b.go(&format!("{base}/workspace/records/{person}/history"));
    assert!(b.dom().contains("person.amended"));
    b.screenshot("04-workspace-history.png");

    // The public profile in the three languages, with JavaScript disabled.
    b.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    let killing = |lang: &str| {
        qantar_model::vocab::get("act_types")
            .and_then(|v| v.label("killing", lang))
            .expect("act type label")
            .to_string()
    };
    for (i, lang) in ["kk", "ru", "en"].into_iter().enumerate() {
        b.go(&format!("{base}/{lang}/people/{person}"));
        let dom = b.dom();
        assert!(
            dom.contains(&format!("<html lang=\"{lang}\"")),
            "{lang}: {dom}"
        );
        assert!(dom.contains("Browser Testuly"), "{lang}: the name is shown");
        assert!(
            dom.contains(&killing(lang)),
            "{lang}: the act is shown as {:?}",
            killing(lang)
        );
        assert!(
            dom.contains("Report by a rights group"),
            "{lang}: the source is cited"
        );
        assert!(!dom.contains("<script"), "{lang}: the page has no scripts");
        b.screenshot(&format!("{:02}-public-person-{lang}.png", 5 + i));
    }
}

/// Two lists in the archive: one person spelled in Kazakh Cyrillic on the
/// first and in Latin on the second, then a linkage run.
fn seed_lists(archive: &Path) {
    let mut a = qantar_store::Archive::open(archive).expect("open archive");
    let entry = |list: &str, row: u64, given: &str, surname: &str| {
        json!({"kind": "list_entry", "ref": format!("{list}-{row}"), "row": row,
               "values": {"Тегі": surname, "Аты": given, "Туған жылы": "1990"},
               "fields": {"surname": surname, "given": given, "birth_year": "1990"},
               "sources": [{"source": list, "locator": format!("line {row}")}]})
    };
    let records = vec![
        json!({"kind": "source", "ref": "list-a", "source_kind": "list", "title": "Тізім А"}),
        json!({"kind": "source", "ref": "list-b", "source_kind": "list", "title": "List B"}),
        entry("list-a", 2, "Ерлан", "Қасымов"),
        entry("list-a", 3, "Айгүл", "Сейітова"),
        entry("list-a", 4, "Болат", "Жұмабаев"),
        entry("list-b", 2, "Erlan", "Kassymov"),
        entry("list-b", 3, "Timur", "Akhmetov"),
        // Deferred earlier, so the pair is in the queue however little the
        // model learns from five rows.
        json!({"kind": "link_decision", "left": "list-a-2", "right": "list-b-2", "verdict": "unsure"}),
    ];
    let drafts = a
        .store
        .prepare_records(&records, &mut uuid::Uuid::now_v7)
        .expect("valid list records");
    a.append(
        drafts,
        &qantar_store::Stamp {
            author: "tester".into(),
            time: "2026-01-05T10:00:00.000Z".into(),
        },
    )
    .expect("append");
    qantar_register::link_archive(
        &a.store,
        &qantar_register::LinkSettings::default(),
        "2026-01-05T10:01:00.000Z",
        &mut |_| {},
    )
    .expect("link");
}

#[test]
fn a_reviewer_joins_two_spellings_and_previews_a_list() {
    let Some(chromium) = chromium() else {
        println!("skipping: chromium not found (install the Debian package `chromium`)");
        return;
    };
    let scratch = Scratch::new();
    let archive = scratch.init();
    seed_lists(&archive);
    qantar_web::add_user(&archive, "dana", qantar_web::Role::Editor, PASSWORD)
        .expect("add account");
    let server = start(&archive);
    let base = format!("http://{}", server.addr);
    let profile = scratch.path("chromium-profile-review");
    std::fs::create_dir_all(&profile).expect("profile dir");
    let mut b = Browser::launch(&chromium, &profile);
    b.go(&format!("{base}/workspace/login"));
    b.submit(
        "/workspace/login",
        json!({"name": "dana", "password": PASSWORD}),
    );
    assert_eq!(b.path(), "/workspace/", "logged in: {}", b.dom());

    // The pair, side by side, with the model's reasons.
    b.go(&format!("{base}/workspace/review?low=0&high=1"));
    let dom = b.dom();
    assert!(dom.contains("Қасымов") && dom.contains("Kassymov"), "{dom}");
    assert!(dom.contains("class=\"explanation\""));
    b.screenshot("10-review-queue.png");

    // Click "same person" on the pair of the two spellings.
    b.pending.clear();
    let clicked = b.eval(
        "(() => { for (const s of document.querySelectorAll('section.pair')) {
             if (s.textContent.includes('Kassymov') && s.textContent.includes('Қасымов')) {
               s.querySelector('input[name=reason]').value = 'one person, two scripts';
               s.querySelector('button[value=same]').click(); return 'clicked'; } }
           return 'no pair'; })()",
    );
    assert_eq!(clicked, json!("clicked"));
    b.wait_for("Page.loadEventFired");
    let dom = b.dom();
    assert!(
        dom.contains("id=\"recorded\""),
        "the decision is confirmed: {dom}"
    );
    // The decided pair has left the queue.
    let still = b.eval(
        "(() => [...document.querySelectorAll('section.pair')].some(s =>
             s.textContent.includes('Kassymov') && s.textContent.includes('Қасымов')))()",
    );
    assert_eq!(still, json!(false), "the decided pair is still offered");
    b.screenshot("11-review-recorded.png");

    // Run the linkage from the page: the two spellings become one person.
    b.submit("/workspace/link", json!({}));
    assert!(b.dom().contains("id=\"link-summary\""));
    b.go(&format!("{base}/workspace/register"));
    assert!(b.dom().contains("class=\"overlaps\""));
    b.screenshot("12-register.png");

    // Upload a list and see its preview.
    let csv = scratch.write(
        "тізім.csv",
        "Тегі;Аты;Туған жылы\nҚасымов;Ерлан;1990\nОспанова;Динара;1992\n",
    );
    b.go(&format!("{base}/workspace/import"));
    let doc = b.call("DOM.getDocument", json!({}));
    let input = b.call(
        "DOM.querySelector",
        json!({"nodeId": doc["root"]["nodeId"], "selector": "#f-file"}),
    );
    b.call(
        "DOM.setFileInputFiles",
        json!({"nodeId": input["nodeId"], "files": [csv.to_str().expect("path")]}),
    );
    b.pending.clear();
    assert_eq!(
        b.eval(
            "document.querySelector('form[action=\"/workspace/import/preview\"]').submit(), 'sent'"
        ),
        json!("sent")
    );
    b.wait_for("Page.loadEventFired");
    let dom = b.dom();
    assert!(dom.contains("id=\"preview\""), "{dom}");
    assert!(dom.contains("Оспанова") && dom.contains("<dd id=\"delimiter\">;</dd>"));
    b.screenshot("13-import-preview.png");
}
