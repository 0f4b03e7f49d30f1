//! Sealed records in the workspace, through real requests: the compartment
//! authorisation matrix cell by cell (roles grant nothing; grants to the
//! account of the same name, flagged as a handler, decide), refusals that
//! look exactly like missing records, one `audit.unsealed` entry per
//! opening, re-authentication before unsealing, and a plaintext written
//! through a form that reaches no file and no public page.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::http::{Method, StatusCode};
use qantar_web::auth::{Accounts, RECENT_AUTH_SECONDS, Role};
use serde_json::json;
use tempfile::TempDir;

use common::lists::{Backend, archive};
use common::sealed::{audit_count, compartments, passphrase, seal_record, unsealed_by};
use common::session::{Agent, PASSWORD, csrf_of, login_with, post_as, send};
use common::{Got, crawl};

/// A moment at the start of a TOTP step.
const T0: i64 = 1_767_000_000;

const MARK_A: &str = "SEALED-MARKER-in-compartment-A";
const MARK_B: &str = "SEALED-MARKER-in-compartment-B";
/// A record id that does not exist (a well-formed UUID).
const MISSING: &str = "01900000-0000-7000-8000-000000000000";

struct World {
    dir: TempDir,
    app: Router,
    clock: Arc<AtomicI64>,
    /// The sealed record in compartment A and the one in B.
    rec_a: String,
    rec_b: String,
    _backend: Backend,
}

/// Store calls block (the PostgreSQL client runs its own runtime): keep
/// them off the test's async threads.
fn sync<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

fn audits(w: &World) -> usize {
    sync(|| audit_count(w.dir.path()))
}

fn readers(w: &World, id: &str) -> Vec<String> {
    sync(|| unsealed_by(w.dir.path(), id))
}

impl World {
    fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn advance(&self, seconds: i64) {
        self.clock.fetch_add(seconds, Ordering::SeqCst);
    }

    fn size(&self) -> u64 {
        sync(|| {
            qantar_store::Archive::open(self.dir.path())
                .expect("open")
                .store
                .size()
                .expect("size")
        })
    }

    async fn login(&self, name: &str) -> Agent {
        login_with(&self.app, name, PASSWORD, None, self.now())
            .await
            .unwrap_or_else(|got| panic!("{name} logs in: {} {}", got.status, got.body))
    }
}

/// The accounts: one per role without any grant, two handlers (editors)
/// of A and of B, and an administrator who also handles A.
const PLAIN: [(&str, Role); 4] = [
    ("viewer", Role::Viewer),
    ("analyst", Role::Analyst),
    ("editor", Role::Editor),
    ("admin", Role::Admin),
];
const HANDLERS: [(&str, Role); 3] = [
    ("hand-a", Role::Editor),
    ("hand-b", Role::Editor),
    ("boss", Role::Admin),
];

fn world(backend: Backend) -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let records = [
        json!({"kind": "source", "ref": "s-pub", "source_kind": "media_report",
        "title": "Public report", "confidentiality": "public"}),
    ];
    drop(archive(dir.path(), &backend, &records));
    compartments(
        dir.path(),
        &[("a", &["hand-a", "boss"]), ("b", &["hand-b"])],
    );
    let rec_a = seal_record(
        dir.path(),
        "a",
        "hand-a",
        json!({"kind": "source", "source_kind": "testimony", "title": MARK_A, "confidentiality": "confidential"}),
    );
    let rec_b = seal_record(
        dir.path(),
        "b",
        "hand-b",
        json!({"kind": "source", "source_kind": "testimony", "title": MARK_B, "confidentiality": "confidential"}),
    );
    let accounts = Accounts::open(dir.path()).expect("accounts");
    for (name, role) in PLAIN.iter().chain(&HANDLERS) {
        accounts.add(name, *role, PASSWORD).expect("add account");
    }
    for (name, _) in HANDLERS {
        accounts.set_handler(name, true).expect("flag handler");
    }
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let state = qantar_web::AppState::open(dir.path())
        .expect("open")
        .with_clock(Arc::new(move || c.load(Ordering::SeqCst)));
    World {
        app: qantar_web::router(state),
        dir,
        clock,
        rec_a,
        rec_b,
        _backend: backend,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    Allow,
    Deny,
}
use Cell::{Allow as Y, Deny as N};

#[derive(Clone, Copy, Debug)]
enum Action {
    /// `/workspace/sealed` lists the record of A.
    ListA,
    ListB,
    /// The form that asks for the passphrase of the record of A.
    FormA,
    FormB,
    /// Unseal the record of A with the principal's own passphrase for A
    /// (or, lacking one, its passphrase for B: what a curious handler of B
    /// would try).
    OpenA,
    OpenB,
    OpenMissing,
    /// Record a confidential source sealed into A through the JSON form.
    WriteA,
    WriteB,
}

const ACTIONS: [Action; 9] = [
    Action::ListA,
    Action::ListB,
    Action::FormA,
    Action::FormB,
    Action::OpenA,
    Action::OpenB,
    Action::OpenMissing,
    Action::WriteA,
    Action::WriteB,
];

/// Principal (None = anonymous) × the actions above, in order.
const MATRIX: [(Option<&str>, [Cell; 9]); 8] = [
    (None, [N, N, N, N, N, N, N, N, N]),
    (Some("viewer"), [N, N, N, N, N, N, N, N, N]),
    (Some("analyst"), [N, N, N, N, N, N, N, N, N]),
    (Some("editor"), [N, N, N, N, N, N, N, N, N]),
    (Some("admin"), [N, N, N, N, N, N, N, N, N]),
    (Some("hand-a"), [Y, N, Y, N, Y, N, N, Y, N]),
    (Some("hand-b"), [N, Y, N, Y, N, Y, N, N, Y]),
    (Some("boss"), [Y, N, Y, N, Y, N, N, Y, N]),
];

fn anonymous() -> Agent {
    Agent {
        cookie: String::new(),
        csrf: "0".repeat(64),
        totp: None,
    }
}

/// The passphrase a principal types for compartment `c`: its own when it
/// has one there, else its own for the other compartment, else a guess.
fn typed(who: Option<&str>, c: &str) -> String {
    let other = if c == "a" { "b" } else { "a" };
    match who {
        Some("hand-a" | "boss") if c == "a" => passphrase(who.unwrap_or_default(), "a"),
        Some("hand-b") if c == "b" => passphrase("hand-b", "b"),
        Some("hand-a" | "boss") => passphrase(who.unwrap_or_default(), other),
        Some("hand-b") => passphrase("hand-b", other),
        _ => "a guess at the passphrase".into(),
    }
}

async fn open(w: &World, a: &Agent, id: &str, pass: &str) -> Got {
    a.post(
        &w.app,
        &format!("/workspace/sealed/{id}/open"),
        &[("seal.passphrase", pass)],
    )
    .await
}

async fn write(w: &World, a: &Agent, c: &str, pass: &str, title: &str) -> Got {
    let rec = json!({"kind": "source", "source_kind": "testimony", "title": title,
        "confidentiality": "confidential"});
    a.post(
        &w.app,
        "/workspace/new/json",
        &[
            ("json", &rec.to_string()),
            ("seal.compartment", c),
            ("seal.passphrase", pass),
        ],
    )
    .await
}

/// The answer a principal gets for an id that does not exist.
async fn missing(w: &World, a: &Agent) -> Got {
    a.get(&w.app, &format!("/workspace/sealed/{MISSING}")).await
}

fn same(got: &Got, reference: &Got, what: &str) {
    assert_eq!(
        got.status, reference.status,
        "{what}: status differs from not-found"
    );
    assert_eq!(
        got.body, reference.body,
        "{what}: body differs from not-found"
    );
}

/// Run one cell; returns what happened, checking the refusal's shape.
async fn run(w: &World, who: Option<&str>, a: &Agent, action: Action) -> Cell {
    let anon = who.is_none();
    let not_found = missing(w, a).await;
    if !anon {
        assert_eq!(
            not_found.status,
            StatusCode::NOT_FOUND,
            "{who:?}: missing id"
        );
    }
    let (rec, c) = match action {
        Action::ListA | Action::FormA | Action::OpenA | Action::WriteA => (&w.rec_a, "a"),
        _ => (&w.rec_b, "b"),
    };
    let marker = if c == "a" { MARK_A } else { MARK_B };
    match action {
        Action::ListA | Action::ListB => {
            let got = a.get(&w.app, "/workspace/sealed").await;
            if anon {
                assert!(got.status.is_redirection(), "anonymous: {}", got.status);
                return Cell::Deny;
            }
            assert_eq!(got.status, StatusCode::OK);
            assert!(
                !got.body.contains(MARK_A) && !got.body.contains(MARK_B),
                "the list shows no content"
            );
            if got.body.contains(rec.as_str()) {
                Cell::Allow
            } else {
                Cell::Deny
            }
        }
        Action::FormA | Action::FormB => {
            let got = a.get(&w.app, &format!("/workspace/sealed/{rec}")).await;
            if anon {
                assert_eq!(got.header("location"), "/workspace/login");
                return Cell::Deny;
            }
            if got.status == StatusCode::OK {
                assert!(got.body.contains("name=\"seal.passphrase\""));
                assert!(!got.body.contains(marker), "the form shows no content");
                Cell::Allow
            } else {
                same(&got, &not_found, &format!("{who:?} form of {c}"));
                Cell::Deny
            }
        }
        Action::OpenA | Action::OpenB | Action::OpenMissing => {
            let id = match action {
                Action::OpenMissing => MISSING,
                _ => rec.as_str(),
            };
            let before = audits(w);
            let got = open(w, a, id, &typed(who, c)).await;
            let readers = readers(w, id);
            if got.status == StatusCode::OK {
                assert!(
                    got.body.contains(marker),
                    "the record in clear: {}",
                    got.body
                );
                assert_eq!(got.header("cache-control"), "no-store");
                assert_eq!(audits(w), before + 1, "one audit entry");
                assert_eq!(
                    readers.last().map(String::as_str),
                    who,
                    "the entry names the reader"
                );
                Cell::Allow
            } else {
                assert_eq!(audits(w), before, "a refusal writes no audit entry");
                assert!(!got.body.contains(marker));
                if anon {
                    assert_eq!(got.status, StatusCode::FORBIDDEN);
                } else {
                    same(&got, &not_found, &format!("{who:?} opening {id}"));
                }
                Cell::Deny
            }
        }
        Action::WriteA | Action::WriteB => {
            let size = w.size();
            let title = format!("WEB-SEALED-{}-{c}", who.unwrap_or("anon"));
            let got = write(w, a, c, &typed(who, c), &title).await;
            if got.status.is_redirection() {
                let to = got.header("location");
                let id = to
                    .strip_prefix("/workspace/sealed/")
                    .expect("sent to the sealed page");
                let compartment = sync(|| {
                    qantar_store::Archive::open(w.dir.path())
                        .expect("open")
                        .store
                        .sealed_compartment(id)
                        .expect("lookup")
                });
                assert_eq!(compartment.as_deref(), Some(c), "sealed into {c}");
                Cell::Allow
            } else {
                assert_eq!(w.size(), size, "{who:?}: a refused write writes nothing");
                assert!(!got.body.contains(marker));
                if !anon && got.status == StatusCode::UNPROCESSABLE_ENTITY {
                    // Refused exactly as a compartment that does not exist.
                    let nowhere = write(w, a, "no-such-compartment", &typed(who, c), &title).await;
                    assert_eq!(got.status, nowhere.status);
                    assert_eq!(got.body, nowhere.body, "{who:?} writing into {c}");
                } else {
                    assert!(
                        matches!(got.status.as_u16(), 302 | 303 | 403),
                        "{}",
                        got.status
                    );
                }
                Cell::Deny
            }
        }
    }
}

async fn matrix_holds(backend: Backend) {
    let w = sync(|| world(backend));
    let mut cells = 0;
    for (who, row) in MATRIX {
        let agent = match who {
            Some(name) => w.login(name).await,
            None => anonymous(),
        };
        for (action, expected) in ACTIONS.iter().zip(row) {
            let got = run(&w, who, &agent, *action).await;
            assert_eq!(got, expected, "{who:?} × {action:?}");
            cells += 1;
        }
    }
    assert_eq!(cells, 8 * 9);
    // Three allowed openings of A's record (hand-a, boss) and B's (hand-b),
    // and none of the missing one.
    assert_eq!(readers(&w, &w.rec_a), ["hand-a", "boss"]);
    assert_eq!(readers(&w, &w.rec_b), ["hand-b"]);
    sync(|| drop(w));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_compartment_matrix_holds_cell_by_cell() {
    for backend in sync(|| Backend::all("web_sealed_matrix")) {
        eprintln!("matrix on {}", backend.name());
        matrix_holds(backend).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_passphrase_opens_nothing_writes_nothing_and_is_counted() {
    let w = sync(|| world(Backend::Sqlite));
    let a = w.login("hand-a").await;
    let size = w.size();
    let got = open(&w, &a, &w.rec_a, "not the passphrase").await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The session speaks Kazakh, the default without Accept-Language.
    let said = qantar_web::i18n::ta(
        qantar_web::i18n::Lang::Kk,
        "work-unseal-wrong",
        &[("compartment", qantar_web::i18n::Arg::Str("a"))],
    );
    assert!(got.body.contains(&said), "{}", got.body);
    assert!(!got.body.contains(MARK_A));
    assert_eq!(w.size(), size, "no audit entry, nothing written");
    // Four more wrong guesses reach the limit; then even the right
    // passphrase waits.
    for _ in 0..4 {
        open(&w, &a, &w.rec_a, "still wrong").await;
    }
    let limited = open(&w, &a, &w.rec_a, &passphrase("hand-a", "a")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!limited.body.contains(MARK_A));
    assert_eq!(w.size(), size);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsealing_asks_for_the_password_again_after_five_minutes() {
    let w = sync(|| world(Backend::Sqlite));
    let a = w.login("hand-a").await;
    let form = format!("/workspace/sealed/{}", w.rec_a);
    assert_eq!(a.get(&w.app, &form).await.status, StatusCode::OK);
    w.advance(RECENT_AUTH_SECONDS + 1);
    let asked = a.get(&w.app, &form).await;
    assert!(asked.status.is_redirection());
    let to = asked.header("location");
    assert_eq!(to, qantar_web::security::reauth_url(&form));
    let before = audits(&w);
    let stale = open(&w, &a, &w.rec_a, &passphrase("hand-a", "a")).await;
    // Asked again, then sent back to the form; nothing was opened.
    assert!(
        stale.status.is_redirection(),
        "a stale session cannot unseal"
    );
    assert_eq!(stale.header("location"), to);
    assert!(!stale.body.contains(MARK_A));
    assert_eq!(audits(&w), before);
    // Password and code again, then the form and the opening work.
    let page = a.get(&w.app, &to).await;
    let key = a.totp.clone().expect("handlers enrol a second factor");
    let code = qantar_web::totp::code_at(&key, w.now());
    let done = post_as(
        &w.app,
        &a.cookie,
        "/workspace/reauth",
        &[
            ("csrf", &csrf_of(&page.body)),
            ("next", &form),
            ("password", PASSWORD),
            ("code", &code),
        ],
    )
    .await;
    assert_eq!(done.header("location"), form);
    assert_eq!(a.get(&w.app, &form).await.status, StatusCode::OK);
    let opened = open(&w, &a, &w.rec_a, &passphrase("hand-a", "a")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains(MARK_A));
    assert_eq!(audits(&w), before + 1);
}

/// Every byte of every file under `dir` (databases, their WAL and journal
/// files, keys, configuration).
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read file");
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    hits.push(p.display().to_string());
                }
            }
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_testimony_written_through_the_form_is_sealed_everywhere() {
    let w = sync(|| world(Backend::Sqlite));
    let marker = "PLAINTEXT-MARKER-typed-into-the-web-form";
    let a = w.login("hand-a").await;
    let page = a.get(&w.app, "/workspace/new/source").await;
    assert!(
        page.body.contains("name=\"seal.compartment\""),
        "handlers get the sealing fields"
    );
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let got = a
        .post(
            &w.app,
            "/workspace/new/source",
            &[
                ("title", marker),
                ("source_kind", "testimony"),
                ("confidentiality", "confidential"),
                ("notes", marker),
                ("seal.compartment", "a"),
                ("seal.passphrase", &passphrase("hand-a", "a")),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let id = got
        .header("location")
        .strip_prefix("/workspace/sealed/")
        .expect("sent to the sealed page")
        .to_string();
    // The server has let go of everything: WAL included, no file holds it.
    assert_eq!(
        files_containing(w.dir.path(), marker.as_bytes()),
        Vec::<String>::new()
    );
    for (uri, status, body) in crawl(&w.app).await {
        assert!(
            !body.contains(marker),
            "{uri} ({status}) shows the sealed text"
        );
    }
    // The workspace shows the record only as sealed, even to an administrator.
    let admin = w.login("admin").await;
    let seen = admin.get(&w.app, &format!("/workspace/records/{id}")).await;
    assert!(!seen.body.contains(marker));
    // Its handler reads it back.
    let opened = open(&w, &a, &id, &passphrase("hand-a", "a")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains(marker));
    assert_eq!(readers(&w, &id), ["hand-a"]);
    assert_eq!(
        files_containing(w.dir.path(), marker.as_bytes()),
        Vec::<String>::new()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_handler_is_told_why_a_confidential_record_is_refused() {
    let w = sync(|| world(Backend::Sqlite));
    let editor = w.login("editor").await;
    let page = editor.get(&w.app, "/workspace/new/source").await;
    assert!(
        !page.body.contains("seal.compartment"),
        "no sealing fields without a grant"
    );
    let size = w.size();
    let got = editor
        .post(
            &w.app,
            "/workspace/new/source",
            &[
                ("title", "A confidential testimony"),
                ("source_kind", "testimony"),
                ("confidentiality", "confidential"),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.body.contains("only a handler"), "{}", got.body);
    assert!(
        got.body.contains("data-field=\"confidentiality\""),
        "beside the field"
    );
    assert_eq!(w.size(), size);
    // Restricted is written as before.
    let ok = editor
        .post(
            &w.app,
            "/workspace/new/source",
            &[
                ("title", "A restricted report"),
                ("source_kind", "media_report"),
                ("confidentiality", "restricted"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_file_grant_opens_with_the_uploaded_file() {
    let w = sync(|| world(Backend::Sqlite));
    let (kek, text) = qantar_seal::Kek::generate_key_file().expect("key file");
    sync(|| {
        let mut a = qantar_store::Archive::open(w.dir.path()).expect("open");
        let keys = common::sealed::unlock(&a, "a", "hand-a");
        a.grant(&keys, "hand-b", &kek, &common::stamp())
            .expect("grant");
    });
    let b = w.login("hand-b").await;
    let form = b
        .get(&w.app, &format!("/workspace/sealed/{}", w.rec_a))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"seal.key_file\""));
    assert!(!form.body.contains("name=\"seal.passphrase\""));
    let boundary = "sealed-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"seal.key_file\"; filename=\"a.key\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{}\r\n--{boundary}--\r\n",
        b.csrf, *text
    );
    let ct = format!("multipart/form-data; boundary={boundary}");
    let got = send(
        &w.app,
        Method::POST,
        &format!("/workspace/sealed/{}/open", w.rec_a),
        &[
            ("cookie", b.cookie.as_str()),
            ("content-type", ct.as_str()),
            ("sec-fetch-site", "same-origin"),
            ("host", "localhost"),
        ],
        &body,
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert!(got.body.contains(MARK_A));
    assert_eq!(readers(&w, &w.rec_a), ["hand-b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_counts_only_while_the_account_is_flagged_as_a_handler() {
    let w = sync(|| world(Backend::Sqlite));
    sync(|| {
        Accounts::open(w.dir.path())
            .expect("accounts")
            .set_handler("hand-b", false)
            .expect("unflag")
    });
    let b = w.login("hand-b").await;
    let not_found = missing(&w, &b).await;
    let list = b.get(&w.app, "/workspace/sealed").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains(w.rec_b.as_str()));
    let form = b
        .get(&w.app, &format!("/workspace/sealed/{}", w.rec_b))
        .await;
    same(&form, &not_found, "unflagged handler's form");
    let before = audits(&w);
    let opened = open(&w, &b, &w.rec_b, &passphrase("hand-b", "b")).await;
    same(&opened, &not_found, "unflagged handler's opening");
    assert_eq!(audits(&w), before);
    let size = w.size();
    let wrote = write(&w, &b, "b", &passphrase("hand-b", "b"), "unflagged").await;
    assert_eq!(wrote.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.size(), size);
}
