//! The marker scenario of issue 6: a stolen copy of the archive reveals
//! nothing confidential, and nothing restricted reaches a public output.
//!
//! Distinct markers are planted in every confidential field (a sealed
//! testimony, a sealed person, a sealed list imported from a file, a file
//! attached to the testimony, its file name) and in restricted fields (a
//! person, a consent record). Then the whole life of an archive runs
//! through the real binary: import, link, review, register, overlaps,
//! redaction, consent, export (JSON Lines and CSV), `verify --full`,
//! `rebuild`, the audit trail, a running server crawled page by page in
//! every language with public search and the anonymous API, and a lock.
//!
//! Afterwards:
//! - no confidential marker is in any byte of any file under the archive
//!   (database, WAL, vault, web accounts), in the server's temporary
//!   directory, in its logs, in any HTTP answer, in any export, or in the
//!   output of any command other than the handler's own unsealing;
//! - no restricted marker is in any public output (pages, API, search,
//!   exports).
//!
//! On SQLite, and on PostgreSQL when it is there (every column of every
//! row of the archive's schema is scanned then; the test says when it
//! skips).

mod util;

use std::collections::{BTreeSet, VecDeque};
use std::io::Write;
use std::path::PathBuf;
use std::process::Output;

use serde_json::{Value, json};
use util::http::{Reply, http, serve_with};
use util::{files_under, holds, run};

/// In confidential (sealed) content: must be nowhere outside the sealed
/// store, except in what the handler unseals on purpose.
const CONFIDENTIAL: [&str; 6] = [
    "qzconfTESTIMONY",
    "qzconfNAME",
    "qzconfLIST",
    "qzconfFILEBYTES",
    "qzconfFILENAME",
    // Cyrillic, as names on real lists are.
    "Жасырынқызы",
];

/// In restricted content: may sit in the database in clear, never in a
/// public output.
const RESTRICTED: [&str; 2] = ["qzrestrPERSON", "qzrestrCONSENT"];

struct World {
    dir: tempfile::TempDir,
    /// Every byte a command printed, except the handler's unsealing.
    printed: Vec<(String, Vec<u8>)>,
}

impl World {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn archive(&self) -> PathBuf {
        self.path("archive")
    }

    fn key_file(&self) -> String {
        self.path("dilara.key").to_str().unwrap().to_string()
    }

    /// Run `qantar ARGS --archive DIR`; keeps what it printed for the scan.
    fn q(&mut self, args: &[&str]) -> Output {
        let out = run(args, Some(&self.archive()), "");
        let mut all = out.stdout.clone();
        all.extend_from_slice(&out.stderr);
        self.printed.push((args.join(" "), all));
        out
    }

    fn ok(&mut self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.q(&all);
        assert!(
            out.status.success(),
            "qantar {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "qantar {args:?}: stdout is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    fn by_dilara(&self) -> Vec<String> {
        vec![
            "--compartment".into(),
            "witnesses".into(),
            "--handler".into(),
            "dilara".into(),
            "--key-file".into(),
            self.key_file(),
        ]
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        // Inputs live outside the archive, as a documenter's files would;
        // they hold the markers by design and are not scanned.
        let p = self.path("inputs").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    }
}

fn owned(args: &[&str], more: &[String]) -> Vec<String> {
    args.iter()
        .map(|s| s.to_string())
        .chain(more.iter().cloned())
        .collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A small JPEG whose comment segment and EXIF artist carry the marker.
fn jpeg_with_marker(marker: &str) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    // COM segment.
    let com = format!("taken by {marker}");
    j.extend_from_slice(&[0xFF, 0xFE]);
    j.extend_from_slice(&((com.len() + 2) as u16).to_be_bytes());
    j.extend_from_slice(com.as_bytes());
    // A minimal baseline frame: 1×1 greyscale, one Huffman table pair,
    // enough for a parser that walks segments.
    j.extend_from_slice(&[
        0xFF, 0xDB, 0x00, 0x43, 0x00, // DQT
    ]);
    j.extend_from_slice(&[1u8; 64]);
    j.extend_from_slice(&[
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, // SOF0
        0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // DHT (DC)
        0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // DHT (AC)
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, // SOS
        0x00, 0x00, // scan data
        0xFF, 0xD9,
    ]);
    j
}

/// Crawl the public site from each language's home page, following every
/// same-site link (pages and API), up to `limit` pages. Returns every answer.
fn crawl(addr: std::net::SocketAddr, starts: &[String], limit: usize) -> Vec<(String, Reply)> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo: VecDeque<String> = starts.iter().cloned().collect();
    let mut got = Vec::new();
    while let Some(path) = todo.pop_front() {
        if got.len() >= limit || !seen.insert(path.clone()) {
            continue;
        }
        let r = http(addr, "GET", &path, &[], "");
        for link in r.body.split("href=\"").skip(1) {
            let Some(target) = link.split('"').next() else {
                continue;
            };
            let target = target.replace("&amp;", "&");
            let target = target.split('#').next().unwrap_or_default().to_string();
            if target.starts_with('/')
                && !target.starts_with("//")
                && !target.starts_with("/workspace")
                && !seen.contains(&target)
            {
                todo.push_back(target);
            }
        }
        got.push((path, r));
    }
    got
}

#[test]
fn no_marker_leaves_the_sealed_store_in_a_whole_scenario() {
    scenario(None);
}

/// The same on PostgreSQL: the archive directory then holds the keys,
/// `web.sqlite` and the vault, and every column of every row of every
/// table of the archive's schema is scanned too (as text, and bytea as hex).
#[test]
fn no_marker_leaves_the_sealed_store_on_postgres() {
    let base = match qantar_store::db::test_postgres_url() {
        Ok(u) => u,
        Err(why) => {
            eprintln!("skipping: {why}");
            return;
        }
    };
    let schema = qantar_store::db::ScratchSchema::new(&base, "leak");
    scenario(Some(&schema.url));
}

/// Every row of every table of the schema in `url`, as text, one place per
/// table.
fn postgres_tables(url: &str) -> Vec<(String, Vec<u8>)> {
    let (base, schema) = url.rsplit_once("schema=").expect("a schema URL");
    let base = base.trim_end_matches(['?', '&']);
    let mut c = postgres::Client::connect(base, postgres::NoTls).expect("connect");
    c.batch_execute(&format!("SET search_path TO {schema}"))
        .expect("search path");
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(tables.len() >= 8, "expected every table, got {tables:?}");
    tables
        .into_iter()
        .map(|t| {
            let rows = c
                .query(&format!("SELECT t::text FROM {t} t"), &[])
                .expect("rows");
            let mut text = String::new();
            for r in rows {
                text.push_str(&r.get::<_, String>(0));
                text.push('\n');
            }
            (format!("PostgreSQL table {t}"), text.into_bytes())
        })
        .collect()
}

fn scenario(database: Option<&str>) {
    let mut w = World {
        dir: tempfile::tempdir().expect("temp dir"),
        printed: Vec::new(),
    };
    let archive = w.archive();
    let mut init = vec!["init", archive.to_str().unwrap(), "--name", "leaktest"];
    if let Some(url) = database {
        init.extend(["--database", url]);
    }
    let out = run(&init, None, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A compartment opened with a key file (a passphrase would cost a real
    // Argon2id run per command).
    let kf = w.key_file();
    w.ok(&[
        "seal",
        "init",
        "--compartment",
        "witnesses",
        "--handler",
        "dilara",
        "--key-file-out",
        &kf,
    ]);

    // Records in clear: a public list source and a public victim who can be
    // searched for, a restricted person, the testimony's public context.
    let clear = json!([
        {"kind": "source", "ref": "s-list", "source_kind": "list",
         "title": {"en": "Almaty hospital list"}, "confidentiality": "public"},
        {"kind": "source", "ref": "s-report", "source_kind": "media_report",
         "title": {"en": "A report on the January events"}, "confidentiality": "public"},
        {"kind": "person", "ref": "p-ermek", "confidentiality": "public",
         "names": [{"value": "Ермек Абдрешов"}], "status": "killed", "sources": ["s-report"]},
        {"kind": "person", "ref": "p-restricted", "confidentiality": "restricted",
         "names": [{"value": format!("{} Sultanov", RESTRICTED[0])}], "sources": ["s-report"]}
    ]);
    let f = w.write("clear.json", clear.to_string().as_bytes());
    w.ok(&["add", "--file", &f]);

    // Sealed records: a testimony and the witness who gave it.
    let sealed = json!([
        {"kind": "source", "source_kind": "testimony", "confidentiality": "confidential",
         "title": {"en": format!("Testimony {}", CONFIDENTIAL[0])},
         "notes": format!("{} was held at the akimat", CONFIDENTIAL[0])},
        {"kind": "person", "confidentiality": "confidential",
         "names": [{"value": format!("{} {}", CONFIDENTIAL[1], CONFIDENTIAL[5])}],
         "notes": format!("contact through {}", CONFIDENTIAL[1]), "sources": ["s-report"]}
    ]);
    let f = w.write("sealed.json", sealed.to_string().as_bytes());
    let args = owned(&["seal", "add", "--file", &f], &w.by_dilara());
    let v = w.ok(&refs(&args));
    let ids: Vec<String> = v["recorded"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["sealed"] == json!(true))
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{v:#}");
    let (testimony, witness) = (ids[0].clone(), ids[1].clone());

    // A file attached to the sealed testimony: marker in bytes and name.
    let photo = w.write(
        &format!("{}.jpg", CONFIDENTIAL[4]),
        &jpeg_with_marker(CONFIDENTIAL[3]),
    );
    // The handler is told back the name of the file they gave; like their
    // own unsealing, that answer is theirs and is not kept for the scan.
    let mut args = owned(&["evidence", "add", &testimony, &photo], &w.by_dilara());
    args.push("--json".into());
    let added = run(&refs(&args), Some(&archive), "");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        !holds(&added.stdout, CONFIDENTIAL[3]),
        "the file's content is not printed"
    );

    // Consent and redaction: the witness agreed to be published anonymised.
    w.ok(&[
        "consent",
        "add",
        &witness,
        "--audience",
        "public",
        "--identity",
        "anonymised",
        "--given-on",
        "2022-03-01",
    ]);
    w.ok(&[
        "consent",
        "add",
        "p-restricted",
        "--audience",
        "partners",
        "--identity",
        "named",
        "--given-on",
        "2022-02-01",
        "--partners",
        RESTRICTED[1],
    ]);
    let args = owned(&["redact", &witness], &w.by_dilara());
    let derived = w.ok(&refs(&args));
    let derived = derived["derived"].as_str().expect("derived id").to_string();

    // Two lists of victims: one public, one confidential (sealed on import).
    let public_list = "name,birth,died\nЕрмек Абдрешов,1990-02-11,2022-01-06\nAigul Serikova,1985-07-01,2022-01-07\n";
    let f = w.write("public.csv", public_list.as_bytes());
    w.ok(&[
        "import",
        &f,
        "--source",
        "s-list",
        "--map",
        "full_name=name,birth_date=birth,event_date=died",
        "--act-type",
        "killing",
        "--confidentiality",
        "public",
    ]);
    let secret_list = format!(
        "name,birth\n{} {},1990-02-11\nЕрмек Абдрешов,1990-02-11\n",
        CONFIDENTIAL[2], CONFIDENTIAL[5]
    );
    let f = w.write("secret.csv", secret_list.as_bytes());
    let args = owned(
        &[
            "import",
            &f,
            "--source",
            "s-list",
            "--map",
            "full_name=name,birth_date=birth",
            "--act-type",
            "detention",
        ],
        &w.by_dilara(),
    );
    w.ok(&refs(&args));
    // Importing again adds nothing, and still shows nothing sealed.
    let again = w.ok(&refs(&args));
    assert_eq!(again["imported"], json!(0), "{again:#}");

    // The register.
    w.ok(&["link"]);
    w.ok(&["review", "--list"]);
    w.ok(&["register"]);
    w.ok(&["overlaps"]);
    w.ok(&["list"]);
    w.ok(&["stats"]);

    // The handler's own unsealing is the one place the content may show;
    // it is not kept for the scan.
    let args = owned(
        &[
            "seal",
            "show",
            &witness,
            "--handler",
            "dilara",
            "--key-file",
            &kf,
        ],
        &[],
    );
    let shown = run(&refs(&args), Some(&archive), "");
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(
        holds(&shown.stdout, CONFIDENTIAL[1]),
        "the handler sees the record"
    );

    // Exports.
    let export_jsonl = w.path("exports").join("public.jsonl");
    std::fs::create_dir_all(export_jsonl.parent().unwrap()).unwrap();
    w.ok(&[
        "export",
        "--public",
        "--out",
        export_jsonl.to_str().unwrap(),
    ]);
    let export_csv = w.path("exports").join("csv");
    w.ok(&[
        "export",
        "--public",
        "--format",
        "csv",
        "--out",
        export_csv.to_str().unwrap(),
    ]);
    let exported = std::fs::read_to_string(&export_jsonl).unwrap();
    assert!(
        exported.contains(&derived),
        "the derived record is exported"
    );
    assert!(exported.contains("Ермек"), "public records are exported");

    // Integrity and the audit trail, which shows that a handler read the
    // witness and says nothing of what was read.
    let v = w.ok(&["verify", "--full"]);
    assert_eq!(v["ok"], json!(true), "{v:#}");
    w.ok(&["rebuild"]);
    let audit = w.ok(&["audit"]);
    let audit_text = audit.to_string();
    assert!(audit_text.contains("audit.unsealed"), "{audit:#}");
    assert!(
        audit_text.contains("audit.granted") || audit_text.contains("audit.compartment_created"),
        "{audit:#}"
    );
    assert!(audit_text.contains("audit.exported"), "{audit:#}");

    // The server, with its own temporary directory and logs.
    let tmp = w.path("server-tmp");
    let logs = w.path("server-logs");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::create_dir_all(&logs).unwrap();
    let mut answers: Vec<(String, Reply)> = Vec::new();
    {
        let server = serve_with(&archive, &[("TMPDIR", tmp.as_path())], Some(&logs));
        let addr = server.addr;
        let starts: Vec<String> = [
            "/kk/",
            "/ru/",
            "/en/",
            "/api/v1/records?limit=1000",
            "/api/v1/persons?limit=1000",
            "/export/public.jsonl",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        answers.extend(crawl(addr, &starts, 400));
        assert!(answers.len() > 20, "the crawl saw {} pages", answers.len());
        // Search, for public words and for every marker.
        for q in ["Ермек", "Ermek"] {
            let page = http(
                addr,
                "GET",
                &format!("/en/search?q={}", qantar_web::html::url_part(q)),
                &[],
                "",
            );
            assert_eq!(page.status, 200);
            assert!(
                page.body.contains("people/"),
                "search for {q} finds a person: {}",
                page.body
            );
            answers.push((format!("search {q}"), page));
        }
        // Asking for a marker finds nothing. The search box and the API's
        // "no record …" message say back what was asked; that echo is cut
        // before the scan (and any other marker would still be caught).
        for m in CONFIDENTIAL.iter().chain(RESTRICTED.iter()) {
            let q = qantar_web::html::url_part(m);
            let api = http(addr, "GET", &format!("/api/v1/search?q={q}"), &[], "");
            let found: Value = serde_json::from_str(&api.body).expect("search JSON");
            assert_eq!(found["total"], json!(0), "searching {m}: {}", api.body);
            answers.push((format!("API search {m}"), api));
            let page = http(addr, "GET", &format!("/en/search?q={q}"), &[], "");
            assert_eq!(page.status, 200);
            assert!(
                !page.body.contains("class=\"results\""),
                "searching {m}: {}",
                page.body
            );
            for path in [format!("/en/people/{q}"), format!("/api/v1/records/{q}")] {
                let mut r = http(addr, "GET", &path, &[], "");
                assert_eq!(r.status, 404, "{path}: {}", r.body);
                r.body = r.body.replace(m, "");
                answers.push((path, r));
            }
            let mut page = page;
            page.head = page.head.replace(&q, "");
            page.body = page.body.replace(m, "").replace(&q, "");
            answers.push((format!("search page {m}"), page));
        }
        // Sealed and restricted records by id: the same not-found as nothing.
        for id in [&testimony, &witness] {
            for path in [format!("/api/v1/records/{id}"), format!("/en/people/{id}")] {
                let r = http(addr, "GET", &path, &[], "");
                assert_eq!(r.status, 404, "{path}: {}", r.body);
                answers.push((path, r));
            }
        }
        let jsonl = http(addr, "GET", "/export/public.jsonl", &[], "");
        assert_eq!(jsonl.status, 200);
        assert!(jsonl.body.contains(&derived));
        answers.push(("export route".into(), jsonl));
    }
    w.ok(&["lock"]);

    // The scan.
    let mut places: Vec<(String, Vec<u8>)> = Vec::new();
    let archive_files = files_under(&archive);
    assert!(
        archive_files
            .iter()
            .any(|p| p.to_string_lossy().contains("vault")),
        "the attachment is in the vault: {archive_files:?}"
    );
    for p in archive_files
        .iter()
        .chain(files_under(&tmp).iter())
        .chain(files_under(&logs).iter())
        .chain(files_under(&w.path("exports")).iter())
    {
        places.push((p.display().to_string(), std::fs::read(p).unwrap()));
    }
    if let Some(url) = database {
        places.extend(postgres_tables(url));
    }
    for (what, r) in &answers {
        places.push((
            format!("HTTP {what}"),
            format!("{}\r\n\r\n{}", r.head, r.body).into_bytes(),
        ));
    }
    places.extend(
        w.printed
            .iter()
            .map(|(a, b)| (format!("qantar {a}"), b.clone())),
    );
    let mut leaks = Vec::new();
    for (place, bytes) in &places {
        for m in CONFIDENTIAL {
            // bytea columns come out of PostgreSQL as hex.
            if holds(bytes, m) || holds(bytes, &hex::encode(m)) {
                leaks.push(format!("{m} in {place}"));
            }
        }
    }
    // Restricted content is allowed on disk, never in a public output.
    let public: Vec<&(String, Vec<u8>)> = places
        .iter()
        .filter(|(p, _)| p.starts_with("HTTP") || p.contains("exports"))
        .collect();
    for (place, bytes) in public {
        for m in RESTRICTED {
            if holds(bytes, m) {
                leaks.push(format!("{m} in {place}"));
            }
        }
    }
    assert!(leaks.is_empty(), "markers leaked:\n{}", leaks.join("\n"));
    // The scan saw what it claims to: the database and its WAL, the web
    // accounts file, the logs and the exports.
    let names: Vec<String> = places.iter().map(|(p, _)| p.clone()).collect();
    let ledger = if database.is_some() {
        "PostgreSQL table ledger_entries"
    } else {
        "archive.sqlite"
    };
    for expected in [ledger, "web.sqlite", "log.err", "public.jsonl"] {
        assert!(
            names.iter().any(|n| n.contains(expected)),
            "{expected} was not scanned: {names:?}"
        );
    }
    let _ = std::io::stdout().flush();
}
