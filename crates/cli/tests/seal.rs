//! `qantar seal …` through the real binary on SQLite: a sealed record from
//! creation to crypto-erasure, with the marker scan of every file of the
//! archive; grants, key files, wrong and damaged secrets; key backups and
//! rotation; and bad input that must write nothing.
//!
//! Passphrases cost a real Argon2id run each (the CLI always uses the
//! default cost; it offers no way to weaken it), so most handlers here use
//! key files and the passphrase paths are each taken a few times only.

mod util;

use std::path::{Path, PathBuf};
use std::process::Output;
use util::{line, ok, refused, run};

use serde_json::{Value, json};

/// Planted in every text field of the confidential records; must never be
/// in any file of the archive.
const MARKER: &str = "qzsealmarker";

const AIGERIM: &str = "aigerim's long passphrase";
const BACKUP: &str = "escrow passphrase, kept elsewhere";

struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// A scratch directory with an empty archive in `archive/`.
    fn new() -> Scratch {
        let s = Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let archive = s.archive();
        ok(&run(
            &["init", archive.to_str().unwrap(), "--name", "sealtest"],
            None,
            "",
        ));
        s
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn path_str(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_string()
    }

    /// `qantar ARGS --archive DIR` with `stdin` as standard input.
    fn q(&self, args: &[&str], stdin: &str) -> Output {
        run(args, Some(&self.archive()), stdin)
    }

    fn q_json(&self, args: &[&str], stdin: &str) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.q(&all, stdin);
        ok(&out);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    fn write_records(&self, name: &str, records: &Value) -> String {
        let p = self.path(name);
        std::fs::write(&p, serde_json::to_string_pretty(records).unwrap()).unwrap();
        p.to_str().unwrap().to_string()
    }

    /// Number of ledger entries, as `verify --full` counts them, after
    /// checking that verification passes.
    fn verified_size(&self) -> u64 {
        let v = self.q_json(&["verify", "--full"], "");
        assert_eq!(v["ok"], json!(true), "verify --full failed: {v:#}");
        assert_eq!(
            v["projection_digest"], v["replayed_digest"],
            "projection differs from replay: {v:#}"
        );
        v["entries"].as_u64().unwrap()
    }

    /// Files under the archive directory that hold `needle`.
    fn files_holding(&self, needle: &str) -> Vec<PathBuf> {
        let mut hits = Vec::new();
        let mut todo = vec![self.archive()];
        let mut files = 0;
        while let Some(dir) = todo.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else {
                    files += 1;
                    let bytes = std::fs::read(&p).unwrap();
                    if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                        hits.push(p);
                    }
                }
            }
        }
        assert!(
            files >= 3,
            "expected the database and keys, saw {files} files"
        );
        hits
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(unix)]
fn assert_private(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{} has mode {mode:o}", p.display());
}

#[cfg(not(unix))]
fn assert_private(_: &Path) {}

/// A public source and a confidential person carrying the marker.
fn records() -> Value {
    json!([
        {"kind": "source", "ref": "s-report", "source_kind": "media_report",
         "title": {"en": "A report"}, "confidentiality": "public"},
        {"kind": "person", "confidentiality": "confidential",
         "names": [{"value": format!("{MARKER} Aigerim")}],
         "notes": format!("{MARKER} lives near the market"), "sources": ["s-report"]}
    ])
}

/// `seal add` the records; returns the id of the sealed one.
fn add_sealed(s: &Scratch, by: &[&str], stdin: &str) -> String {
    let file = s.write_records("records.json", &records());
    let mut args = vec!["seal", "add", "--file", &file];
    args.extend_from_slice(by);
    let v = s.q_json(&args, stdin);
    assert_eq!(v["sealed"], json!(1), "{v:#}");
    let sealed: Vec<&Value> = v["recorded"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["sealed"] == json!(true))
        .collect();
    assert_eq!(sealed.len(), 1, "{v:#}");
    sealed[0]["id"].as_str().unwrap().to_string()
}

fn damage(key_file: &Path, to: &Path) {
    let text = std::fs::read_to_string(key_file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Change one character of the key line (base64) to another.
    let key = &mut lines[1];
    let c = key.as_bytes()[3];
    let other = if c == b'Q' { "R" } else { "Q" };
    key.replace_range(3..4, other);
    std::fs::write(to, lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_sealed_record_from_creation_to_erasure() {
    let s = Scratch::new();
    let w = ["--compartment", "witnesses"];

    // Set up: the warning is shown, the compartment listed.
    let out = s.q(
        &["seal", "init", w[0], w[1], "--handler", "aigerim"],
        &line(AIGERIM),
    );
    ok(&out);
    assert!(stdout(&out).contains("lost for good"), "{}", stdout(&out));
    let list = s.q_json(&["seal", "list"], "");
    assert_eq!(list["compartments"][0]["name"], "witnesses");
    assert_eq!(list["compartments"][0]["handlers"][0]["name"], "aigerim");
    assert_eq!(
        list["compartments"][0]["handlers"][0]["opens_with"]["kind"],
        "passphrase"
    );

    let by_aigerim = ["--compartment", "witnesses", "--handler", "aigerim"];
    let id = add_sealed(&s, &by_aigerim, &line(AIGERIM));
    let list = s.q_json(&["seal", "list"], "");
    assert_eq!(list["compartments"][0]["records"], json!(1));
    let mut size = s.verified_size();

    // Without a key: sealed label, no marker.
    let plain = s.q(&["show", &id], "");
    ok(&plain);
    assert!(stdout(&plain).contains("[sealed]"), "{}", stdout(&plain));
    assert!(!stdout(&plain).contains(MARKER));
    let listed = s.q(&["list", "--json"], "");
    ok(&listed);
    assert!(stdout(&listed).contains("[sealed]"));
    assert!(!stdout(&listed).contains(MARKER));

    // With the passphrase: the record in clear, and an audit entry first.
    let shown = s.q_json(
        &["seal", "show", &id, "--handler", "aigerim"],
        &line(AIGERIM),
    );
    assert!(shown["data"].to_string().contains(MARKER), "{shown:#}");
    assert_eq!(shown["audit_entry"], json!(size));
    size += 1;
    assert_eq!(s.verified_size(), size);
    let history = s.q_json(&["history", &id], "");
    let audits: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "audit.unsealed")
        .collect();
    assert_eq!(audits.len(), 1, "{history:#}");
    assert_eq!(audits[0]["author"], "tester");
    let text = s.q(
        &["seal", "show", &id, "--handler", "aigerim"],
        &line(AIGERIM),
    );
    ok(&text);
    assert!(stdout(&text).contains(MARKER));
    assert!(
        stdout(&text).contains(&format!("recorded in ledger entry {size}")),
        "{}",
        stdout(&text)
    );
    size += 1;

    // A wrong passphrase changes nothing.
    let wrong = s.q(
        &["seal", "show", &id, "--handler", "aigerim"],
        &line("not aigerim's passphrase"),
    );
    refused(
        &wrong,
        "wrong passphrase for handler aigerim in compartment witnesses; nothing was changed",
    );
    assert!(!stdout(&wrong).contains(MARKER));
    assert_eq!(s.verified_size(), size);

    // A second handler, with a key file.
    let dana_key = s.path_str("dana.key");
    let grant = [
        "seal",
        "grant",
        "--compartment",
        "witnesses",
        "--handler",
        "aigerim",
        "--to",
        "dana",
        "--new-key-file-out",
        &dana_key,
    ];
    ok(&s.q(&grant, &line(AIGERIM)));
    size += 1; // its audit.granted entry
    assert_private(Path::new(&dana_key));
    let key_text = std::fs::read(&dana_key).unwrap();
    // Refused before any passphrase is asked for: no stdin given.
    refused(&s.q(&grant, ""), "already exists");
    assert_eq!(std::fs::read(&dana_key).unwrap(), key_text);
    let as_dana = [
        "seal",
        "show",
        &id,
        "--handler",
        "dana",
        "--key-file",
        &dana_key,
    ];
    assert!(s.q_json(&as_dana, "")["data"].to_string().contains(MARKER));
    size += 1;

    // Someone without a grant, whatever their role, gets nothing; a
    // damaged key file is named as damaged.
    let admin = s.q(&["seal", "show", &id, "--handler", "admin"], &line(AIGERIM));
    refused(&admin, "holds no grant");
    assert!(!stdout(&admin).contains(MARKER));
    let bad_key = s.path("bad.key");
    damage(Path::new(&dana_key), &bad_key);
    let damaged = s.q(
        &[
            "seal",
            "show",
            &id,
            "--handler",
            "dana",
            "--key-file",
            bad_key.to_str().unwrap(),
        ],
        "",
    );
    refused(&damaged, "damaged");
    assert_eq!(s.verified_size(), size);

    // Key backup and restore to a third handler.
    let backup = s.path_str("witnesses.keys");
    let by_dana = [
        "--compartment",
        "witnesses",
        "--handler",
        "dana",
        "--key-file",
        &dana_key,
    ];
    let mut args = vec!["seal", "backup", "--out", &backup];
    args.extend_from_slice(&by_dana);
    ok(&s.q(&args, &line(BACKUP)));
    assert_private(Path::new(&backup));
    let backup_bytes = std::fs::read(&backup).unwrap();
    assert!(!backup_bytes.windows(9).any(|w| w == b"witnesses"));
    refused(&s.q(&args, &line(BACKUP)), "already exists");
    assert_eq!(std::fs::read(&backup).unwrap(), backup_bytes);
    let erlan_key = s.path_str("erlan.key");
    let restored = s.q_json(
        &[
            "seal",
            "restore",
            &backup,
            "--handler",
            "erlan",
            "--new-key-file-out",
            &erlan_key,
        ],
        &line(BACKUP),
    );
    assert_eq!(restored["granted"], json!(["witnesses"]));
    let as_erlan = [
        "seal",
        "show",
        &id,
        "--handler",
        "erlan",
        "--key-file",
        &erlan_key,
    ];
    assert!(s.q_json(&as_erlan, "")["data"].to_string().contains(MARKER));
    // Opening the backup, granting to erlan and erlan's reading: three entries.
    size += 3;
    assert_eq!(s.verified_size(), size);

    // Erasure: refused without --yes, then for good.
    let erase = ["seal", "erase", &id, "--reason", "consent-withdrawn"];
    refused(&s.q(&erase, ""), "cannot be undone");
    assert_eq!(s.verified_size(), size);
    let mut confirmed = erase.to_vec();
    confirmed.push("--yes");
    let erased = s.q_json(&confirmed, "");
    assert_eq!(erased["tombstone_entry"], json!(size));
    assert_eq!(erased["reason"], "consent_withdrawn");
    size += 1;
    refused(&s.q(&as_dana, ""), "erased");
    refused(&s.q(&as_erlan, ""), "erased");
    refused(&s.q(&confirmed, ""), "erased");
    assert_eq!(s.verified_size(), size);
    let list = s.q_json(&["seal", "list"], "");
    assert_eq!(list["compartments"][0]["records"], json!(0));

    // The marker is nowhere in the archive's files.
    assert_eq!(s.files_holding(MARKER), Vec::<PathBuf>::new());
    // The scan can find what is there: the public source's title.
    assert!(!s.files_holding("A report").is_empty());
}

#[test]
fn rotation_keeps_the_rotating_handler_and_retires_other_grants_and_backups() {
    let s = Scratch::new();
    let aigerim_key = s.path_str("aigerim.key");
    ok(&s.q(
        &[
            "seal",
            "init",
            "--compartment",
            "sources",
            "--handler",
            "aigerim",
            "--key-file-out",
            &aigerim_key,
        ],
        "",
    ));
    assert_private(Path::new(&aigerim_key));
    let by_aigerim = [
        "--compartment",
        "sources",
        "--handler",
        "aigerim",
        "--key-file",
        &aigerim_key,
    ];
    let dana_key = s.path_str("dana.key");
    let mut grant = vec![
        "seal",
        "grant",
        "--to",
        "dana",
        "--new-key-file-out",
        &dana_key,
    ];
    grant.extend_from_slice(&by_aigerim);
    ok(&s.q(&grant, ""));
    let id = add_sealed(&s, &by_aigerim, "");
    let backup = s.path_str("sources.keys");
    let mut args = vec!["seal", "backup", "--out", &backup];
    args.extend_from_slice(&by_aigerim);
    ok(&s.q(&args, &line(BACKUP)));
    let before = s.q_json(&["seal", "list"], "");

    let mut rotate = vec!["seal", "rotate"];
    rotate.extend_from_slice(&by_aigerim);
    let rotated = s.q_json(&rotate, "");
    assert_eq!(rotated["handlers_to_regrant"], json!(["dana"]));
    assert_eq!(rotated["records_rewrapped"], json!(1));
    assert_eq!(
        rotated["old_fingerprint"],
        before["compartments"][0]["fingerprint"]
    );
    assert_ne!(rotated["fingerprint"], rotated["old_fingerprint"]);
    let after = s.q_json(&["seal", "list"], "");
    assert_eq!(
        after["compartments"][0]["handlers"],
        json!([{"name": "aigerim", "opens_with": before["compartments"][0]["handlers"][0]["opens_with"]}])
    );

    // The rotating handler still reads it with the same key file; the
    // other handler and the old backup open nothing.
    let mut show = vec!["seal", "show", id.as_str(), "--handler", "aigerim"];
    show.extend_from_slice(&["--key-file", &aigerim_key]);
    assert!(s.q_json(&show, "")["data"].to_string().contains(MARKER));
    refused(
        &s.q(
            &[
                "seal",
                "show",
                &id,
                "--handler",
                "dana",
                "--key-file",
                &dana_key,
            ],
            "",
        ),
        "holds no grant",
    );
    let size = s.verified_size();
    refused(
        &s.q(
            &["seal", "restore", &backup, "--handler", "erlan"],
            &(line(BACKUP) + &line("erlan's new passphrase")),
        ),
        "rotated since",
    );
    assert_eq!(s.verified_size(), size);
    // A damaged backup is named as damaged.
    let text = std::fs::read_to_string(&backup).unwrap();
    let at = text.find("data ").unwrap() + 10;
    let mut damaged = text.clone();
    let other = if &text[at..at + 1] == "A" { "B" } else { "A" };
    damaged.replace_range(at..at + 1, other);
    let damaged_path = s.path_str("damaged.keys");
    std::fs::write(&damaged_path, damaged).unwrap();
    refused(
        &s.q(
            &["seal", "restore", &damaged_path, "--handler", "erlan"],
            &(line(BACKUP) + &line("erlan's new passphrase")),
        ),
        "damaged",
    );
    let list = s.q_json(&["seal", "list"], "");
    assert_eq!(
        list["compartments"][0]["handlers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A revoked handler goes; the last one cannot.
    let mut regrant = vec!["seal", "grant", "--to", "dana", "--new-key-file-out"];
    let dana2 = s.path_str("dana2.key");
    regrant.push(&dana2);
    regrant.extend_from_slice(&by_aigerim);
    ok(&s.q(&regrant, ""));
    let revoke = |h: &str| {
        s.q(
            &["seal", "revoke", "--compartment", "sources", "--handler", h],
            "",
        )
    };
    ok(&revoke("dana"));
    // The new grant and the revocation are one audit entry each; the
    // refused revocation adds none.
    assert_eq!(s.verified_size(), size + 2);
    refused(&revoke("aigerim"), "last handler");
    assert_eq!(s.verified_size(), size + 2);
    assert_eq!(s.files_holding(MARKER), Vec::<PathBuf>::new());
}

#[test]
fn bad_input_writes_nothing() {
    let s = Scratch::new();
    let init = |extra: &[&str], stdin: &str| {
        let mut args = vec!["seal", "init", "--compartment", "c1", "--handler", "h1"];
        args.extend_from_slice(extra);
        s.q(&args, stdin)
    };
    let no_compartments = || {
        let v = s.q_json(&["seal", "list"], "");
        assert_eq!(v["compartments"], json!([]), "{v:#}");
        assert_eq!(v["sealing"], json!(false));
    };
    refused(&init(&[], &line("eleven char")), "at least 12");
    refused(&init(&[], "\n"), "empty");
    refused(&init(&[], ""), "end of input");
    let taken = s.path("taken.key");
    std::fs::write(&taken, "not mine").unwrap();
    refused(
        &init(&["--key-file-out", taken.to_str().unwrap()], ""),
        "already exists",
    );
    assert_eq!(std::fs::read(&taken).unwrap(), b"not mine");
    // An invalid handler name leaves no key file behind.
    let orphan = s.path("orphan.key");
    let out = s.q(
        &[
            "seal",
            "init",
            "--compartment",
            "c1",
            "--handler",
            "",
            "--key-file-out",
            orphan.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!orphan.exists());
    no_compartments();
    let size = s.verified_size();

    // Set up with a key file (cheap), then refuse bad records and reasons.
    let key = s.path_str("h1.key");
    ok(&init(&["--key-file-out", &key], ""));
    // The key tables live outside the ledger; the ledger records the change.
    assert_eq!(s.verified_size(), size + 1);
    let size = size + 1;
    let bad = s.write_records(
        "bad.json",
        &json!([{"kind": "person", "confidentiality": "confidential",
                 "names": [{"value": MARKER}]}]),
    );
    let by = ["--compartment", "c1", "--handler", "h1", "--key-file", &key];
    let mut add = vec!["seal", "add", "--file", &bad];
    add.extend_from_slice(&by);
    refused(&s.q(&add, ""), "source");
    assert_eq!(s.verified_size(), size);
    // Plain `add` of a confidential record is refused once sealing is on.
    let good = s.write_records("good.json", &records());
    refused(&s.q(&["add", "--file", &good], ""), "compartment");
    assert_eq!(s.verified_size(), size);
    refused(
        &s.q(
            &[
                "seal",
                "erase",
                "0190c0de-0000-7000-8000-000000000001",
                "--reason",
                "bored",
                "--yes",
            ],
            "",
        ),
        "consent-withdrawn",
    );
    refused(
        &s.q(
            &[
                "seal",
                "show",
                "x",
                "--compartment",
                "c1",
                "--handler",
                "h1",
            ],
            "",
        ),
        "no record",
    );
    let id = add_sealed(&s, &by, "");
    let size_after_add = s.verified_size();
    assert_eq!(size_after_add, size + 2);
    // A handler with a key file who gives none is told so; nothing is tried.
    refused(
        &s.q(&["seal", "show", &id, "--handler", "h1"], &line(AIGERIM)),
        "--key-file",
    );
    assert_eq!(s.verified_size(), size_after_add);
    assert_eq!(s.files_holding(MARKER), Vec::<PathBuf>::new());
}
