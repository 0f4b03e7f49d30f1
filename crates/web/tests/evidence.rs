//! Evidence files through the workspace, by real requests: a photo with a
//! GPS position and a camera serial attached to a public record is
//! published stripped while its original stays byte for byte in the
//! workspace; refusals store nothing; a file attached to a sealed record
//! reaches the disk only encrypted, opens only for a handler of its
//! compartment (one `audit.file_opened` entry per opening), and anyone
//! else is answered exactly as for a record that does not exist. On
//! SQLite, and on PostgreSQL when a test server answers.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use qantar_web::auth::{Accounts, RECENT_AUTH_SECONDS, Role};
use serde_json::json;
use tempfile::TempDir;
use tower::ServiceExt;

use common::lists::{Backend, archive};
use common::sealed::{compartments, passphrase, seal_record};
use common::session::{Agent, PASSWORD, login};

/// Written into the EXIF block as the camera's body serial number.
const SERIAL: &[u8] = b"CAMERA-SERIAL-MARKER-7731";
/// GPSLatitude's seconds, 3012/100, as big-endian rationals: a byte run
/// that appears nowhere else in the file.
const GPS_SECONDS: [u8; 8] = [0, 0, 0x0B, 0xC4, 0, 0, 0, 0x64];
/// The content and the name of the file attached to the sealed record.
const SEALED_BYTES: &[u8] = b"SEALED-EVIDENCE-MARKER: the witness saw the vehicle at 04:10";
const SEALED_NAME: &str = "witness-NAME-MARKER-5521.txt";
/// A record id that does not exist (a well-formed UUID).
const MISSING: &str = "01900000-0000-7000-8000-000000000000";
const BOUNDARY: &str = "qantar-evidence-boundary-41c9";

/// Store calls block (the PostgreSQL client runs its own runtime): keep
/// them off the test's async threads.
fn sync<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

// ------------------------------------------------------------ the photo

fn u16be(v: u16) -> [u8; 2] {
    v.to_be_bytes()
}

fn u32be(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

/// One 12-byte IFD entry.
fn entry(tag: u16, kind: u16, count: u32, value: [u8; 4]) -> Vec<u8> {
    let mut e = Vec::new();
    e.extend(u16be(tag));
    e.extend(u16be(kind));
    e.extend(u32be(count));
    e.extend(value);
    e
}

/// A big-endian TIFF block: IFD0 pointing to an Exif IFD (with the body
/// serial number) and to a GPS IFD (latitude reference and latitude).
fn exif_tiff() -> Vec<u8> {
    const ASCII: u16 = 2;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    // Offsets from the start of the TIFF header.
    let ifd0 = 8u32;
    let exif = ifd0 + 2 + 2 * 12 + 4;
    let gps = exif + 2 + 12 + 4;
    let lat = gps + 2 + 2 * 12 + 4;
    let serial = lat + 24;
    let mut serial_z = SERIAL.to_vec();
    serial_z.push(0);

    let mut t = b"MM\0\x2A".to_vec();
    t.extend(u32be(ifd0));
    t.extend(u16be(2));
    t.extend(entry(0x8769, LONG, 1, u32be(exif)));
    t.extend(entry(0x8825, LONG, 1, u32be(gps)));
    t.extend(u32be(0));
    t.extend(u16be(1));
    t.extend(entry(0xA431, ASCII, serial_z.len() as u32, u32be(serial)));
    t.extend(u32be(0));
    t.extend(u16be(2));
    t.extend(entry(0x0001, ASCII, 2, [b'N', 0, 0, 0]));
    t.extend(entry(0x0002, RATIONAL, 3, u32be(lat)));
    t.extend(u32be(0));
    for (num, den) in [(43u32, 1u32), (14, 1)] {
        t.extend(u32be(num));
        t.extend(u32be(den));
    }
    t.extend(GPS_SECONDS);
    assert_eq!(t.len() as u32, serial, "the offsets above add up");
    t.extend(serial_z);
    t
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend(u16be(payload.len() as u16 + 2));
    s.extend_from_slice(payload);
    s
}

/// A baseline JPEG of one grey 8×8 block, with the EXIF block above in
/// APP1. The stripper works on the segment structure, which this has in
/// full: tables, frame, scan, entropy data, end of image.
fn photo() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(exif_tiff());
    j.extend(segment(0xE1, &app1));
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    j.extend(segment(0xDB, &dqt));
    j.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    // DC table: one code of length 1 for category 0; AC table: EOB only.
    let mut dht = vec![0x00, 1];
    dht.extend([0u8; 15]);
    dht.push(0);
    dht.extend([0x10, 1]);
    dht.extend([0u8; 15]);
    dht.push(0);
    j.extend(segment(0xC4, &dht));
    j.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    j.extend([0x00, 0x3F]);
    j.extend([0xFF, 0xD9]);
    j
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

// ------------------------------------------------------------ requests

struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn raw(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Raw {
    // English pages, so refusals can be read by their words.
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("accept-language", "en");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024)
        .await
        .expect("body")
        .to_vec();
    Raw {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, a: &Agent, uri: &str) -> Raw {
    raw(app, Method::GET, uri, &[("cookie", &a.cookie)], Vec::new()).await
}

/// A multipart body: the token, the text fields, then the file.
fn multipart(csrf: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    let mut text = |name: &str, value: &str| {
        b.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("csrf", csrf);
    for (k, v) in fields {
        text(k, v);
    }
    if let Some((name, bytes)) = file {
        b.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend(b"\r\n");
    }
    b.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn upload(
    app: &Router,
    a: &Agent,
    record: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Raw {
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    raw(
        app,
        Method::POST,
        &format!("/workspace/records/{record}/evidence"),
        &[
            ("cookie", &a.cookie),
            ("content-type", &ct),
            ("sec-fetch-site", "same-origin"),
            ("host", "localhost"),
        ],
        multipart(&a.csrf, fields, file),
    )
    .await
}

async fn post_form(app: &Router, a: &Agent, uri: &str, pairs: &[(&str, &str)]) -> Raw {
    let mut all: Vec<(&str, &str)> = vec![("csrf", a.csrf.as_str())];
    all.extend_from_slice(pairs);
    let body = common::session::form(&all);
    raw(app, Method::POST, uri, &a.headers(), body.into_bytes()).await
}

// -------------------------------------------------------------- world

struct World {
    dir: TempDir,
    app: Router,
    /// The sealed record, in compartment `a`.
    sealed: String,
    /// The server's clock for sessions (Unix seconds).
    clock: Arc<AtomicI64>,
    _backend: Backend,
}

impl World {
    fn size(&self) -> u64 {
        sync(|| {
            qantar_store::Archive::open(self.dir.path())
                .expect("open")
                .store
                .size()
                .expect("size")
        })
    }

    /// The readers named by `audit.file_opened` entries, in ledger order.
    fn file_readers(&self) -> Vec<String> {
        sync(|| {
            let a = qantar_store::Archive::open(self.dir.path()).expect("open");
            (0..a.store.size().expect("size"))
                .map(|seq| a.store.entry(seq).expect("entry"))
                .filter(|e| e.kind == "audit.file_opened")
                .map(|e| e.payload["reader"].as_str().unwrap_or_default().to_string())
                .collect()
        })
    }

    fn vault_files(&self) -> usize {
        files_under(&self.dir.path().join("vault")).len()
    }
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn world(backend: Backend) -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let records = [
        json!({"kind": "source", "ref": "s-pub", "source_kind": "media_report",
        "title": "Public report", "confidentiality": "public"}),
        json!({"kind": "person", "ref": "p-pub", "names": [{"value": "Aset Publicov"}],
        "sources": ["s-pub"], "confidentiality": "public"}),
    ];
    drop(archive(dir.path(), &backend, &records));
    compartments(dir.path(), &[("a", &["hand-a"])]);
    let sealed = seal_record(
        dir.path(),
        "a",
        "hand-a",
        json!({"kind": "source", "source_kind": "testimony", "title": "A sealed testimony",
        "confidentiality": "confidential"}),
    );
    let accounts = Accounts::open(dir.path()).expect("accounts");
    for (name, role) in [
        ("viewer", Role::Viewer),
        ("editor", Role::Editor),
        ("admin", Role::Admin),
        ("hand-a", Role::Editor),
    ] {
        accounts.add(name, role, PASSWORD).expect("add account");
    }
    accounts.set_handler("hand-a", true).expect("flag handler");
    // Real time to start with, so that codes typed at login match; tests
    // move it on to make a session's password stale.
    let clock = Arc::new(AtomicI64::new(qantar_web::auth::now()));
    let c = clock.clone();
    let state = qantar_web::AppState::open(dir.path())
        .expect("open")
        .with_clock(Arc::new(move || c.load(Ordering::SeqCst)));
    World {
        app: qantar_web::router(state),
        dir,
        sealed,
        clock,
        _backend: backend,
    }
}

async fn agent(w: &World, name: &str) -> Agent {
    login(&w.app, name, PASSWORD)
        .await
        .unwrap_or_else(|got| panic!("{name} logs in: {} {}", got.status, got.body))
}

/// The value of the first `href="{prefix}…"` on a page, prefix dropped.
fn link_after(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(&format!("href=\"{prefix}"))? + 6 + prefix.len();
    html[start..].split('"').next().map(str::to_string)
}

// --------------------------------------------------------------- tests

async fn public_record_case(w: &World) {
    let editor = agent(w, "editor").await;
    let page = get(&w.app, &editor, "/workspace/records/p-pub").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"files\""), "{html}");
    assert!(html.contains("action=\"/workspace/records/"), "{html}");

    let jpeg = photo();
    assert!(contains(&jpeg, SERIAL) && contains(&jpeg, &GPS_SECONDS));
    let before = w.size();
    let got = upload(
        &w.app,
        &editor,
        "p-pub",
        &[("captured_at", "2022-01-05")],
        Some(("IMG_0412.jpg", &jpeg)),
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    assert_eq!(w.size(), before + 1, "one evidence.attached entry");

    let viewer = agent(w, "viewer").await;
    let html = get(&w.app, &viewer, "/workspace/records/p-pub")
        .await
        .text();
    assert!(html.contains("image/jpeg"), "{html}");
    let sha = link_after(&html, "/files/").expect("a public copy link");
    let copy = raw(
        &w.app,
        Method::GET,
        &format!("/files/{sha}"),
        &[],
        Vec::new(),
    )
    .await;
    assert_eq!(copy.status, StatusCode::OK);
    assert!(copy.body.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(!contains(&copy.body, SERIAL), "the serial is gone");
    assert!(
        !contains(&copy.body, &GPS_SECONDS),
        "the GPS position is gone"
    );
    assert!(!contains(&copy.body, b"Exif\0\0"), "no EXIF block at all");

    let href = html
        .match_indices("href=\"")
        .filter_map(|(i, _)| html[i + 6..].split('"').next())
        .find(|h| h.ends_with("/evidence/1"))
        .expect("a link to the original")
        .to_string();
    let original = get(&w.app, &viewer, &href).await;
    assert_eq!(original.status, StatusCode::OK);
    assert_eq!(original.body, jpeg, "the original is kept byte for byte");
    assert!(
        original
            .header("content-disposition")
            .starts_with("attachment")
    );
    assert_eq!(original.header("cache-control"), "no-store");
    assert_eq!(original.header("content-type"), "image/jpeg");

    // Anonymous readers are sent to log in; nothing leaks.
    let anon = raw(&w.app, Method::GET, &href, &[], Vec::new()).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.header("location"), "/workspace/login");
    // Viewers may read but not attach.
    let denied = upload(&w.app, &viewer, "p-pub", &[], Some(("x.jpg", &jpeg))).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // Refusals name their reason and store nothing.
    let (size, blobs) = (w.size(), w.vault_files());
    let text = upload(
        &w.app,
        &editor,
        "p-pub",
        &[],
        Some(("notes.txt", b"plain text cannot be stripped")),
    )
    .await;
    assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.text().contains("cannot be stripped"),
        "{}",
        text.text()
    );
    let empty = upload(&w.app, &editor, "p-pub", &[], Some(("empty.jpg", b""))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("empty"), "{}", empty.text());
    let none = upload(&w.app, &editor, "p-pub", &[], None).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_date = upload(
        &w.app,
        &editor,
        "p-pub",
        &[("captured_at", "yesterday")],
        Some(("IMG_0413.jpg", &jpeg)),
    )
    .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_date.text().contains("not a date"),
        "{}",
        bad_date.text()
    );
    assert_eq!((w.size(), w.vault_files()), (size, blobs), "nothing stored");
}

async fn sealed_record_case(w: &World) {
    let hand = agent(w, "hand-a").await;
    let record = format!("/workspace/records/{}", w.sealed);
    let page = get(&w.app, &hand, &record).await.text();
    assert!(page.contains("name=\"seal.passphrase\""), "{page}");

    // A wrong passphrase stores nothing.
    let before = w.size();
    let wrong = upload(
        &w.app,
        &hand,
        &w.sealed,
        &[("seal.passphrase", "not my passphrase")],
        Some((SEALED_NAME, SEALED_BYTES)),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((w.size(), w.vault_files()), (before, 0));

    let right = passphrase("hand-a", "a");
    let got = upload(
        &w.app,
        &hand,
        &w.sealed,
        &[("seal.passphrase", &right)],
        Some((SEALED_NAME, SEALED_BYTES)),
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    assert_eq!(w.size(), before + 1);
    assert_eq!(w.vault_files(), 1, "one blob: the ciphertext");
    sync(|| {
        for f in files_under(w.dir.path()) {
            let bytes = std::fs::read(&f).expect("read");
            assert!(
                !contains(&bytes, SEALED_BYTES),
                "{} holds the file",
                f.display()
            );
            assert!(
                !contains(&bytes, SEALED_NAME.as_bytes()),
                "{} holds the file's name",
                f.display()
            );
        }
    });
    let page = get(&w.app, &hand, &record).await.text();
    assert!(page.contains("id=\"sealed-files\""), "{page}");
    assert!(!page.contains(SEALED_NAME));

    // The handler opens it: a form first, then the download and one audit
    // entry naming the reader.
    let uri = format!("{record}/evidence/1");
    let form = get(&w.app, &hand, &uri).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("name=\"seal.passphrase\""));
    assert!(w.file_readers().is_empty());
    let opened = post_form(&w.app, &hand, &uri, &[("seal.passphrase", &right)]).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text());
    assert_eq!(opened.body, SEALED_BYTES);
    assert!(
        opened
            .header("content-disposition")
            .starts_with("attachment")
    );
    assert_eq!(opened.header("cache-control"), "no-store");
    assert_eq!(w.file_readers(), vec!["hand-a".to_string()]);

    // An administrator without a grant: every route answers as for a
    // record that does not exist, byte for byte, and writes nothing.
    let admin = agent(w, "admin").await;
    let size = w.size();
    let missing = format!("/workspace/records/{MISSING}/evidence/1");
    let pairs = [("seal.passphrase", right.as_str())];
    let same_as_missing = |got: &Raw, want: &Raw, what: &str| {
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{what}: {}", got.text());
        assert_eq!(got.status, want.status, "{what}");
        assert_eq!(got.body, want.body, "{what}: the answers differ");
    };
    same_as_missing(
        &get(&w.app, &admin, &uri).await,
        &get(&w.app, &admin, &missing).await,
        "form",
    );
    same_as_missing(
        &post_form(&w.app, &admin, &uri, &pairs).await,
        &post_form(&w.app, &admin, &missing, &pairs).await,
        "open",
    );
    same_as_missing(
        &upload(&w.app, &admin, &w.sealed, &pairs, Some(("x.txt", b"x"))).await,
        &upload(&w.app, &admin, MISSING, &pairs, Some(("x.txt", b"x"))).await,
        "upload",
    );
    assert_eq!(w.size(), size, "nothing written for the administrator");
    assert_eq!(w.file_readers().len(), 1);
}

async fn stale_password_case(w: &World) {
    let hand = agent(w, "hand-a").await;
    let right = passphrase("hand-a", "a");
    w.clock.fetch_add(RECENT_AUTH_SECONDS + 1, Ordering::SeqCst);
    let before = w.size();
    let got = upload(
        &w.app,
        &hand,
        &w.sealed,
        &[("seal.passphrase", &right)],
        Some((SEALED_NAME, SEALED_BYTES)),
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert!(
        got.header("location")
            .starts_with("/workspace/reauth?next="),
        "{}",
        got.header("location")
    );
    assert_eq!((w.size(), w.vault_files()), (before, 0), "nothing stored");
    // Files in clear still attach with an older password.
    let clear = upload(&w.app, &hand, "p-pub", &[], Some(("a.jpg", &photo()))).await;
    assert_eq!(clear.status, StatusCode::SEE_OTHER, "{}", clear.text());
    assert_eq!(w.size(), before + 1);
    // Opening a sealed file asks for the password again too.
    let uri = format!("/workspace/records/{}/evidence/1", w.sealed);
    let form = get(&w.app, &hand, &uri).await;
    assert!(
        form.header("location")
            .starts_with("/workspace/reauth?next="),
        "{} {}",
        form.status,
        form.text()
    );
    // Posting the secret with an old password is sent to give it again,
    // then back to the file's form; nothing is opened.
    let open = post_form(&w.app, &hand, &uri, &[("seal.passphrase", &right)]).await;
    assert_eq!(open.status, StatusCode::SEE_OTHER, "{}", open.text());
    assert_eq!(
        open.header("location"),
        qantar_web::security::reauth_url(&uri)
    );
    assert!(w.file_readers().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_file_needs_a_recent_password() {
    let w = sync(|| world(Backend::Sqlite));
    stale_password_case(&w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_photo_is_published_stripped_and_kept_whole() {
    for backend in sync(|| Backend::all("web_evidence_public")) {
        let name = backend.name();
        let w = sync(|| world(backend));
        eprintln!("backend {name}");
        public_record_case(&w).await;
        // A PostgreSQL scratch schema is dropped with blocking calls.
        sync(|| drop(w));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_file_is_stored_encrypted_and_opened_only_by_its_handlers() {
    for backend in sync(|| Backend::all("web_evidence_sealed")) {
        let name = backend.name();
        let w = sync(|| world(backend));
        eprintln!("backend {name}");
        sealed_record_case(&w).await;
        // A PostgreSQL scratch schema is dropped with blocking calls.
        sync(|| drop(w));
    }
}
