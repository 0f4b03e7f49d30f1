//! Consent, redaction and the public export through the real binary, with
//! the real web server: a person and a testimony whose consents allow only
//! anonymised publication are redacted into derived public records, which
//! the site, the anonymous API and the export show while the originals'
//! identifying values (markers) appear nowhere; withdrawing consent takes
//! them out of every public output; `--erase` destroys a sealed
//! testimony's key and leaves a tombstone; bad input writes nothing.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use util::*;

/// Planted in every identifying field of the originals.
const MARKER: &str = "zqmarker";

/// `qantar serve` on a port the system picks, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    // Kept open so the server's later lines never meet a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(archive: &Path) -> Server {
    let mut child = Command::new(bin())
        .args([
            "--archive",
            archive.to_str().unwrap(),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start qantar serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.trim().trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server {
        child,
        addr,
        _stdout: stdout,
    }
}

/// A GET over plain HTTP/1.1: status and body.
fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn size(archive: &Path) -> u64 {
    ok_json(&["stats"], archive)["entries"]
        .as_u64()
        .expect("entries")
}

fn run_in(archive: &Path, args: &[&str]) -> std::process::Output {
    qantar(args, Some(archive))
}

fn ok_out(archive: &Path, args: &[&str]) -> Value {
    ok_json(args, archive)
}

fn export_jsonl(s: &Scratch, archive: &Path, name: &str) -> String {
    let out = s.path(name);
    let v = ok_out(
        archive,
        &["export", "--public", "--out", out.to_str().unwrap()],
    );
    assert_eq!(v["ok"], true);
    std::fs::read_to_string(&out).expect("export file")
}

/// Every public output: the export, the public pages that list these
/// kinds, the anonymous API's lists, and each given record's page and API
/// answer. Returns everything concatenated, for marker checks.
fn public_text(server: &Server, ids: &[&str]) -> String {
    let mut all = String::new();
    for path in [
        "/export/public.jsonl",
        "/en/people",
        "/en/sources",
        "/ru/people",
        "/api/v1/records?limit=1000",
        "/api/v1/persons?limit=1000",
    ] {
        let (status, body) = http_get(server.addr, path);
        assert_eq!(status, 200, "{path}");
        all.push_str(&body);
    }
    for id in ids {
        for path in [format!("/api/v1/records/{id}"), format!("/en/people/{id}")] {
            let (_, body) = http_get(server.addr, &path);
            all.push_str(&body);
        }
    }
    all
}

/// Wait for the server's snapshot to catch up with the ledger (it is
/// re-checked at most every 250 ms), by polling the export route.
fn wait_for(server: &Server, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = http_get(server.addr, "/export/public.jsonl");
        if pred(&body) || Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(Duration::from_millis(150));
    }
}

fn records() -> Value {
    json!([
        {"kind": "source", "ref": "s-report", "source_kind": "media_report",
         "title": {"en": "A public report"}, "confidentiality": "public"},
        {"kind": "source", "ref": "s-testimony", "source_kind": "testimony",
         "title": format!("Testimony of {MARKER}-witness"), "author": format!("{MARKER}-author"),
         "url": format!("file:{MARKER}.mp4"), "received": "2022-02-03",
         "language": "ru", "confidentiality": "public",
         "notes": format!("{MARKER}-note")},
        {"kind": "person", "ref": "p-victim", "confidentiality": "public",
         "names": [{"value": format!("{MARKER} Surname"), "given": format!("{MARKER}given")}],
         "birth_date": "1987-04-05", "occupation": format!("{MARKER}-job"),
         "portrait": format!("{MARKER}-portrait"), "sex": "male", "roles": ["victim"],
         "status": "detained", "sources": ["s-report", "s-testimony"],
         "notes": format!("{MARKER}-note")}
    ])
}

fn id_of(archive: &Path, target: &str) -> String {
    ok_out(archive, &["show", target])["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[test]
fn redaction_publishes_a_derived_record_and_withdrawal_removes_it_everywhere() {
    let s = Scratch::new();
    let archive = s.init();
    let file = s.write("records.json", &records().to_string());
    assert_ok(&run_in(
        &archive,
        &["add", "--file", file.to_str().unwrap()],
    ));
    let person = id_of(&archive, "p-victim");
    let testimony = id_of(&archive, "s-testimony");

    // Before any consent the records are public, as their level says;
    // `consent list --missing` names both.
    let missing = ok_out(&archive, &["consent", "list", "--missing"]);
    let ids: Vec<&str> = missing["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(
        ids.contains(&person.as_str()) && ids.contains(&testimony.as_str()),
        "{missing}"
    );

    for subject in ["p-victim", "s-testimony"] {
        let v = ok_out(
            &archive,
            &[
                "consent",
                "add",
                subject,
                "--audience",
                "public",
                "--identity",
                "anonymised",
                "--given-on",
                "2024-05-01",
                "--method",
                "recorded",
            ],
        );
        assert_eq!(v["verdict"], "publish_derived_only");
        assert_eq!(v["governs"], true);
    }
    assert_eq!(
        ok_out(&archive, &["consent", "list", "--missing"])["missing"],
        json!([])
    );
    // Consent alone already takes the originals out of the export.
    let text = export_jsonl(&s, &archive, "before.jsonl");
    assert!(!text.contains(MARKER), "{text}");
    assert!(!text.contains(&person) && !text.contains(&testimony));
    assert!(text.contains("A public report"));

    let derived_person = ok_out(&archive, &["redact", "p-victim", "--set", "ref=p-anon-1"]);
    let derived_person = derived_person["derived"].as_str().unwrap().to_string();
    let derived_source = ok_out(
        &archive,
        &["redact", "s-testimony", "--set", "ref=s-anon-1"],
    );
    let derived_source = derived_source["derived"].as_str().unwrap().to_string();
    // The originals are unchanged.
    let original = ok_out(&archive, &["show", "p-victim"]);
    assert!(
        original["data"]
            .to_string()
            .contains(&format!("{MARKER}given"))
    );

    let text = export_jsonl(&s, &archive, "after.jsonl");
    assert!(
        text.contains(&derived_person) && text.contains(&derived_source),
        "{text}"
    );
    assert!(text.contains("Name withheld") && text.contains("\"detained\""));
    assert!(
        !text.contains(MARKER) && !text.contains("1987-04-05"),
        "{text}"
    );
    // `derived_from` names the hidden original: cut from public output.
    assert!(
        !text.contains("derived_from") && !text.contains(&person),
        "{text}"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(s.path("after.jsonl.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["counts"], json!({"person": 1, "source": 2}));
    assert!(
        manifest["checkpoint"]
            .as_str()
            .unwrap()
            .contains('\u{2014}')
    );

    let server = serve(&archive);
    // The route serves the very bytes the CLI wrote for the same ledger:
    // the export above appended its audit entry, which changes no record.
    let (status, served) = http_get(server.addr, "/export/public.jsonl");
    assert_eq!(status, 200);
    assert_eq!(served, text);
    let everything = public_text(&server, &[&derived_person, &derived_source]);
    assert!(
        everything.contains(&derived_person),
        "the derived person is public"
    );
    assert!(everything.contains("Name withheld"));
    assert!(
        !everything.contains(MARKER),
        "a marker reached a public output"
    );
    assert!(!everything.contains(&person) && !everything.contains(&testimony));
    let (status, _) = http_get(server.addr, &format!("/en/people/{derived_person}"));
    assert_eq!(status, 200);

    // Withdrawal (no erase: these are not sealed) removes the derived
    // records from every public output at once.
    let before = size(&archive);
    let w = ok_out(
        &archive,
        &[
            "consent",
            "withdraw",
            "p-victim",
            "--on",
            "2025-01-10",
            "--reason",
            "asked by phone",
        ],
    );
    assert_eq!(w["verdict"], "withhold");
    assert_eq!(size(&archive), before + 1, "one amendment of the consent");
    ok_out(
        &archive,
        &["consent", "withdraw", "s-testimony", "--on", "2025-01-10"],
    );
    let served = wait_for(&server, |b| {
        !b.contains(&derived_person) && !b.contains(&derived_source)
    });
    assert!(
        !served.contains(&derived_person) && !served.contains(&derived_source),
        "{served}"
    );
    // Lists and the export only: a 404 page may echo the id it was asked for.
    let everything = public_text(&server, &[]);
    assert!(
        !everything.contains(&derived_person),
        "withdrawn person still public"
    );
    assert!(
        !everything.contains(&derived_source),
        "withdrawn testimony still public"
    );
    assert!(!everything.contains(MARKER));
    for path in [
        format!("/api/v1/records/{derived_person}"),
        format!("/api/v1/records/{derived_source}"),
        format!("/en/people/{derived_person}"),
        "/api/v1/records/p-anon-1".to_string(),
    ] {
        assert_eq!(http_get(server.addr, &path).0, 404, "{path}");
    }
    let text = export_jsonl(&s, &archive, "withdrawn.jsonl");
    assert!(
        !text.contains(&derived_person) && !text.contains(&derived_source),
        "{text}"
    );
    assert!(text.contains("A public report"));
    // The consent's history is kept: withdrawal is an amendment.
    let list = ok_out(&archive, &["consent", "list"]);
    let withdrawn: Vec<&Value> = list["consents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["withdrawn_on"] == "2025-01-10")
        .collect();
    assert_eq!(withdrawn.len(), 2, "{list}");
    // A redaction now is refused, naming the consent.
    let out = run_in(&archive, &["redact", "p-victim"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("withdrawn on 2025-01-10"),
        "{}",
        stderr(&out)
    );
    let report = ok_out(&archive, &["verify", "--full"]);
    assert_eq!(report["ok"], true, "{report}");
}

fn seal_testimony(s: &Scratch, archive: &Path) -> (String, String) {
    let key = s.path("aigerim.key");
    assert_ok(&run_in(
        archive,
        &[
            "seal",
            "init",
            "--compartment",
            "witnesses",
            "--handler",
            "aigerim",
            "--key-file-out",
            key.to_str().unwrap(),
        ],
    ));
    let file = s.write(
        "sealed.json",
        &json!([{"kind": "source", "source_kind": "testimony",
            "title": format!("Sealed testimony of {MARKER}"), "author": format!("{MARKER}-sealed"),
            "confidentiality": "confidential"}])
        .to_string(),
    );
    let v = ok_out(
        archive,
        &[
            "seal",
            "add",
            "--compartment",
            "witnesses",
            "--handler",
            "aigerim",
            "--key-file",
            key.to_str().unwrap(),
            "--file",
            file.to_str().unwrap(),
        ],
    );
    let id = v["recorded"][0]["id"].as_str().expect("id").to_string();
    (id, key.to_str().unwrap().to_string())
}

#[test]
fn erasing_a_sealed_testimony_on_withdrawal_leaves_a_tombstone() {
    let s = Scratch::new();
    let archive = s.init();
    let (testimony, key) = seal_testimony(&s, &archive);
    ok_out(
        &archive,
        &[
            "consent",
            "add",
            &testimony,
            "--audience",
            "public",
            "--identity",
            "anonymised",
            "--given-on",
            "2024-05-01",
        ],
    );
    // Redacting a sealed original needs its handler, and is audited.
    let out = run_in(&archive, &["redact", &testimony]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--compartment"), "{}", stderr(&out));
    let before = size(&archive);
    let derived = ok_out(
        &archive,
        &[
            "redact",
            &testimony,
            "--compartment",
            "witnesses",
            "--handler",
            "aigerim",
            "--key-file",
            &key,
        ],
    );
    assert_eq!(
        size(&archive),
        before + 2,
        "an audit.unsealed entry and the derived record"
    );
    let derived = derived["derived"].as_str().unwrap().to_string();
    let text = export_jsonl(&s, &archive, "sealed.jsonl");
    assert!(text.contains(&derived) && !text.contains(MARKER), "{text}");

    let w = ok_out(
        &archive,
        &[
            "consent",
            "withdraw",
            &testimony,
            "--on",
            "2025-02-01",
            "--erase",
        ],
    );
    assert_eq!(w["retracted"], json!([derived]));
    let tombstone = w["tombstone_entry"].as_u64().expect("tombstone entry");
    let history = ok_out(&archive, &["history", &testimony]);
    let kinds: Vec<&str> = history
        .as_array()
        .or_else(|| history["entries"].as_array())
        .expect("history items")
        .iter()
        .filter_map(|h| h["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"record.erased"), "{history}");
    let out = run_in(
        &archive,
        &[
            "seal",
            "show",
            &testimony,
            "--handler",
            "aigerim",
            "--key-file",
            &key,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "erased content cannot be unsealed"
    );
    assert!(stderr(&out).contains("crypto-erased"), "{}", stderr(&out));
    assert!(tombstone > 0);
    let text = export_jsonl(&s, &archive, "erased.jsonl");
    assert!(!text.contains(&derived), "{text}");
    let report = ok_out(&archive, &["verify", "--full"]);
    assert_eq!(report["ok"], true, "{report}");
}

#[test]
fn bad_consent_input_writes_nothing() {
    let s = Scratch::new();
    let archive = s.init();
    let file = s.write("records.json", &records().to_string());
    assert_ok(&run_in(
        &archive,
        &["add", "--file", file.to_str().unwrap()],
    ));
    let public_consent = s.write(
        "public-consent.json",
        &json!([{"kind": "consent", "subject": "p-victim", "audience": "public",
            "identity": "named", "given_on": "2024-01-01", "confidentiality": "public"}])
        .to_string(),
    );
    let before = size(&archive);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "consent",
                "add",
                "p-nobody",
                "--audience",
                "public",
                "--identity",
                "named",
                "--given-on",
                "2024-01-01",
            ],
            "p-nobody",
        ),
        (
            vec![
                "consent",
                "add",
                "p-victim",
                "--audience",
                "world",
                "--identity",
                "named",
                "--given-on",
                "2024-01-01",
            ],
            "audience",
        ),
        (
            vec![
                "consent",
                "add",
                "s-report",
                "--audience",
                "public",
                "--identity",
                "named",
                "--given-on",
                "1 May",
            ],
            "given_on",
        ),
        (
            vec!["add", "--file", public_consent.to_str().unwrap()],
            "confidentiality",
        ),
        (
            vec!["consent", "withdraw", "p-victim", "--on", "2024-02-01"],
            "no consent",
        ),
        (vec!["redact", "p-victim", "--keep", "sex"], "--keep"),
        (vec!["export", "--out", "x.jsonl"], "--public"),
    ];
    for (args, needle) in &cases {
        let out = run_in(&archive, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    // A consent for an act is refused: only persons and sources have one.
    let act = s.write(
        "act.json",
        &json!([{"kind": "act", "ref": "act-1", "act_type": "injury", "victim": "p-victim", "sources": ["s-report"]}])
            .to_string(),
    );
    assert_ok(&run_in(&archive, &["add", "--file", act.to_str().unwrap()]));
    let before_act = size(&archive);
    let out = run_in(
        &archive,
        &[
            "consent",
            "add",
            "act-1",
            "--audience",
            "public",
            "--identity",
            "named",
            "--given-on",
            "2024-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("person or source"),
        "{}",
        stderr(&out)
    );
    assert_eq!(size(&archive), before_act);
    assert_eq!(before_act, before + 1, "only the act was written");

    // --erase on a record that is not sealed: refused before anything is
    // written, and the message says to retract instead.
    ok_out(
        &archive,
        &[
            "consent",
            "add",
            "p-victim",
            "--audience",
            "public",
            "--identity",
            "named",
            "--given-on",
            "2024-01-01",
        ],
    );
    let before = size(&archive);
    let out = run_in(
        &archive,
        &[
            "consent",
            "withdraw",
            "p-victim",
            "--on",
            "2024-06-01",
            "--erase",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not sealed") && stderr(&out).contains("retract"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        &archive,
        &["consent", "withdraw", "p-victim", "--on", "2023-12-31"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("before the consent was given"));
    assert_eq!(size(&archive), before, "nothing was written");
    // A CSV export into an existing directory is refused before writing.
    std::fs::create_dir(s.path("taken")).unwrap();
    let out = run_in(
        &archive,
        &[
            "export",
            "--public",
            "--format",
            "csv",
            "--out",
            s.path("taken").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(size(&archive), before);
}

#[test]
fn a_csv_export_has_one_file_per_kind_and_a_manifest_of_digests() {
    let s = Scratch::new();
    let archive = s.init();
    let file = s.write("records.json", &records().to_string());
    assert_ok(&run_in(
        &archive,
        &["add", "--file", file.to_str().unwrap()],
    ));
    let before = size(&archive);
    let out = s.path("csv");
    let v = ok_out(
        &archive,
        &[
            "export",
            "--public",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(size(&archive), before + 1, "one audit.exported entry");
    assert_eq!(v["audit_entry"], before);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["ledger_size"], before);
    for f in manifest["files"].as_array().unwrap() {
        let bytes = std::fs::read(out.join(f["name"].as_str().unwrap())).unwrap();
        assert_eq!(f["bytes"], bytes.len());
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    }
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "person.csv, source.csv, manifest.json: {names:?}"
    );
    let persons = std::fs::read_to_string(out.join("person.csv")).unwrap();
    assert!(
        persons.starts_with("kind,id,ref,confidentiality,names,"),
        "{persons}"
    );
    // No consent here: the public person is exported as recorded, but
    // never its notes.
    assert!(persons.contains(&format!("{MARKER} Surname")));
    assert!(!persons.contains("-note"));
    // The audit entry names no record and carries no content.
    let entry = ok_out(&archive, &["history", "p-victim"]);
    assert!(!entry.to_string().contains("audit.exported"));
    // No temporary files are left behind.
    let leftovers: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Consent withholds a person's records, not the free text of others: a
/// public event naming the person (here in Cyrillic, the person in Latin)
/// is reported when the consent stops the name from being published, so
/// the documenter can amend or redact it; a named public consent reports
/// nothing, and neither does a whole name that no text holds.
#[test]
fn a_consent_that_hides_a_name_lists_the_public_texts_still_naming_the_person() {
    let s = Scratch::new();
    let archive = s.init();
    let f = s.write(
        "mention.json",
        &json!([
            {"kind": "source", "ref": "s-report", "source_kind": "media_report",
             "title": {"en": "A public report"}, "confidentiality": "public"},
            {"kind": "person", "ref": "p-aizhan", "confidentiality": "public",
             "names": [{"value": "Aizhan Auelbekova"}], "sources": ["s-report"]},
            {"kind": "person", "ref": "p-other", "confidentiality": "public",
             "names": [{"value": "Dana Openova"}], "sources": ["s-report"]},
            {"kind": "event", "ref": "ev-taraz", "confidentiality": "public",
             "title": {"en": "Detentions in Taraz"}, "date": "2022-01-04",
             "description": {"ru": "Журналистка Айжан Ауелбекова была увезена в отдел полиции."},
             "sources": ["s-report"]}
        ])
        .to_string(),
    );
    ok_out(&archive, &["add", "--file", f.to_str().unwrap()]);
    let event = id_of(&archive, "ev-taraz");
    let named = ok_out(
        &archive,
        &[
            "consent",
            "add",
            "p-aizhan",
            "--audience",
            "public",
            "--identity",
            "named",
            "--given-on",
            "2024-01-01",
        ],
    );
    assert_eq!(named["mentioned_in"], json!([]), "{named:#}");
    let hidden = ok_out(
        &archive,
        &[
            "consent",
            "add",
            "p-aizhan",
            "--audience",
            "public",
            "--identity",
            "anonymised",
            "--given-on",
            "2024-05-01",
        ],
    );
    let ids: Vec<&str> = hidden["mentioned_in"]
        .as_array()
        .expect("mentioned_in")
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [event.as_str()], "{hidden:#}");
    let other = ok_out(
        &archive,
        &[
            "consent",
            "add",
            "p-other",
            "--audience",
            "internal",
            "--identity",
            "named",
            "--given-on",
            "2024-05-01",
        ],
    );
    assert_eq!(other["mentioned_in"], json!([]), "{other:#}");
}
