//! `qantar audit` and sealed list imports through the real binary on
//! SQLite: every permission change, reading and erasure shows up in the
//! trail with its actor and time and without any content; a confidential
//! list is imported sealed, re-imported without duplicates, left out of
//! linkage, and afterwards no byte of any file of the archive (database,
//! WAL, shared memory, keys) holds a marker planted in its cells.
//!
//! Handlers use key files (cheap); only the key backup takes Argon2id runs.

mod util;

use std::path::PathBuf;
use std::process::Output;
use util::{ok, refused, run};

use serde_json::{Value, json};

/// Planted in the sealed records and the confidential list's cells.
const MARKER: &str = "qzauditmarker";
const MARKER_CYR: &str = "Қзаудитмаркер";
const BACKUP: &str = "escrow passphrase, kept elsewhere";

struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let archive = s.archive();
        ok(&run(
            &["init", archive.to_str().unwrap(), "--name", "audittest"],
            None,
            "",
        ));
        s
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_string()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn q(&self, args: &[&str], stdin: &str) -> Output {
        let out = run(args, Some(&self.archive()), stdin);
        for m in [MARKER, MARKER_CYR] {
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains(m)
                    || args.first() == Some(&"seal") && args.get(1) == Some(&"show"),
                "`qantar {}` printed a marker:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        out
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

    fn verified_size(&self) -> u64 {
        let v = self.q_json(&["verify", "--full"], "");
        assert_eq!(v["ok"], json!(true), "verify --full failed: {v:#}");
        assert_eq!(v["projection_digest"], v["replayed_digest"], "{v:#}");
        v["entries"].as_u64().unwrap()
    }

    /// Every file under the archive directory that holds `needle`,
    /// whatever its kind: database, `-wal`, `-shm`, keys, configuration.
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
        assert!(files >= 4, "expected database and keys, saw {files} files");
        hits
    }

    fn trail(&self, filters: &[&str]) -> Vec<Value> {
        let mut args = vec!["audit"];
        args.extend_from_slice(filters);
        self.q_json(&args, "").as_array().unwrap().clone()
    }
}

fn kinds(trail: &[Value]) -> Vec<&str> {
    trail.iter().map(|e| e["kind"].as_str().unwrap()).collect()
}

fn is_utc_millis(t: &Value) -> bool {
    t.as_str()
        .is_some_and(|t| t.len() == 24 && t.ends_with('Z') && t.as_bytes()[10] == b'T')
}

#[test]
fn permission_changes_reads_and_erasures_are_in_the_audit_trail() {
    let s = Scratch::new();
    assert_eq!(s.trail(&[]), Vec::<Value>::new());
    let (a_key, d_key) = (s.path("aigerim.key"), s.path("dana.key"));
    let by_aigerim = [
        "--compartment",
        "witnesses",
        "--handler",
        "aigerim",
        "--key-file",
        &a_key,
    ];
    ok(&s.q(
        &[
            "seal",
            "init",
            "--compartment",
            "witnesses",
            "--handler",
            "aigerim",
            "--key-file-out",
            &a_key,
        ],
        "",
    ));
    let mut grant = vec![
        "seal",
        "grant",
        "--to",
        "dana",
        "--new-key-file-out",
        &d_key,
    ];
    grant.extend_from_slice(&by_aigerim);
    let granted = s.q_json(&grant, "");
    let records = s.write(
        "records.json",
        &json!([
            {"kind": "source", "ref": "s-report", "source_kind": "media_report",
             "title": {"en": "A report"}, "confidentiality": "public"},
            {"kind": "person", "confidentiality": "confidential",
             "names": [{"value": format!("{MARKER} {MARKER_CYR}")}],
             "notes": format!("{MARKER} lives near the market"), "sources": ["s-report"]}
        ])
        .to_string(),
    );
    let mut add = vec!["seal", "add", "--file", &records];
    add.extend_from_slice(&by_aigerim);
    let added = s.q_json(&add, "");
    let id = added["recorded"][1]["id"].as_str().unwrap().to_string();
    let shown = s.q_json(
        &[
            "seal",
            "show",
            &id,
            "--handler",
            "dana",
            "--key-file",
            &d_key,
        ],
        "",
    );
    assert!(shown["data"].to_string().contains(MARKER));
    ok(&s.q(
        &[
            "seal",
            "revoke",
            "--compartment",
            "witnesses",
            "--handler",
            "dana",
        ],
        "",
    ));
    let mut rotate = vec!["seal", "rotate"];
    rotate.extend_from_slice(&by_aigerim);
    let rotated = s.q_json(&rotate, "");
    let backup = s.path("witnesses.keys");
    let mut args = vec!["seal", "backup", "--out", &backup];
    args.extend_from_slice(&by_aigerim);
    ok(&s.q(&args, &format!("{BACKUP}\n")));
    let e_key = s.path("erlan.key");
    ok(&s.q(
        &[
            "seal",
            "restore",
            &backup,
            "--handler",
            "erlan",
            "--new-key-file-out",
            &e_key,
        ],
        &format!("{BACKUP}\n"),
    ));
    ok(&s.q(
        &[
            "seal",
            "erase",
            &id,
            "--reason",
            "consent-withdrawn",
            "--yes",
        ],
        "",
    ));
    ok(&s.q(
        &[
            "retract",
            "s-report",
            "--reason",
            "duplicate of another report",
        ],
        "",
    ));
    let size = s.verified_size();

    // Everything, in ledger order, each with its author and time.
    let trail = s.trail(&[]);
    assert_eq!(
        kinds(&trail),
        [
            "audit.compartment_created",
            "audit.granted",
            "audit.unsealed",
            "audit.revoked",
            "audit.rotated",
            "audit.keys_restored",
            "audit.granted",
            "record.erased",
            "record.retracted",
        ]
    );
    for e in &trail {
        assert_eq!(e["author"], "tester", "{e:#}");
        assert!(is_utc_millis(&e["time"]), "{e:#}");
        assert!(e["seq"].as_u64().unwrap() < size);
        if e["kind"].as_str().unwrap().starts_with("audit.") && e["kind"] != "audit.unsealed" {
            assert_eq!(e["payload"]["actor"], "tester", "{e:#}");
        }
    }
    assert_eq!(trail[1]["seq"], granted["audit_entry"]);
    assert_eq!(trail[1]["payload"]["handler"], "dana");
    assert_eq!(trail[1]["payload"]["granted_by"], "aigerim");
    assert_eq!(trail[2]["record"], json!(id));
    assert_eq!(
        trail[2]["payload"],
        json!({"handler": "dana", "reader": "tester"})
    );
    assert_eq!(trail[3]["payload"]["handler"], "dana");
    assert_eq!(trail[4]["seq"], rotated["audit_entry"]);
    assert_eq!(trail[4]["payload"]["dropped"], json!([]));
    assert_eq!(trail[4]["payload"]["fingerprint"], rotated["fingerprint"]);
    assert_eq!(trail[6]["payload"]["granted_by"], "key-backup");
    assert_eq!(trail[6]["payload"]["handler"], "erlan");
    assert_eq!(trail[7]["payload"]["reason"], "consent_withdrawn");

    // Filters: by kind (full, prefix or short), by record, from a seq on.
    assert_eq!(s.trail(&["--kind", "granted"]).len(), 2);
    assert_eq!(s.trail(&["--kind", "audit.granted"]).len(), 2);
    assert_eq!(s.trail(&["--kind", "audit."]).len(), 7);
    assert_eq!(s.trail(&["--kind", "record."]).len(), 2);
    assert_eq!(
        kinds(&s.trail(&["--record", &id])),
        ["audit.unsealed", "record.erased"]
    );
    let since = trail[4]["seq"].to_string();
    assert_eq!(s.trail(&["--since", &since]).len(), 5);
    refused(&s.q(&["audit", "--record", "nosuch"], ""), "--record");
    refused(&s.q(&["audit", "--since", "100000"], ""), "--since");

    // The table for people says the same, without content.
    let text = s.q(&["audit"], "");
    ok(&text);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("granted to dana by aigerim"), "{text}");
    assert!(text.contains("grant of dana revoked"), "{text}");
    assert!(
        text.contains("crypto-erased, reason consent_withdrawn"),
        "{text}"
    );
    assert!(text.contains("9 audit entries"), "{text}");

    assert_eq!(s.verified_size(), size, "reading the trail wrote something");
    for m in [MARKER, MARKER_CYR] {
        assert_eq!(s.files_holding(m), Vec::<PathBuf>::new());
    }
}

/// A list with the markers in every cell that can hold text; row 3 is
/// repeated, so the list holds it twice.
fn marked_list() -> String {
    let mut csv = String::from("Имя,Фамилия,Возраст,Город\n");
    for (i, given) in ["Айгерим", "Бауыржан", "Динара", "Динара", "Ерлан"]
        .iter()
        .enumerate()
    {
        let row = if i == 3 { 2 } else { i };
        csv.push_str(&format!(
            "{given} {MARKER},{MARKER_CYR}ова{row},{},{MARKER} Qala\n",
            20 + row
        ));
    }
    csv
}

fn clear_list() -> String {
    let mut csv = String::from("Имя,Фамилия,Возраст\n");
    for (given, surname, age) in [
        ("Асель", "Нурланова", 31),
        ("Марат", "Серикбаев", 45),
        ("Жанар", "Омарова", 27),
        ("Нурлан", "Касымов", 52),
        ("Асель", "Нурланова", 31),
        ("Гульмира", "Ахметова", 38),
    ] {
        csv.push_str(&format!("{given},{surname},{age}\n"));
    }
    csv
}

#[test]
fn a_sealed_list_import_is_idempotent_unlinked_and_leaves_no_marker() {
    let s = Scratch::new();
    let sources = s.write(
        "sources.json",
        &json!([
            {"kind": "source", "ref": "s-secret-list", "source_kind": "list",
             "title": {"en": "A list given in confidence"}},
            {"kind": "source", "ref": "s-ngo-list", "source_kind": "list",
             "title": {"en": "NGO list"}}
        ])
        .to_string(),
    );
    ok(&s.q(&["add", "--file", &sources], ""));
    let key = s.path("aigerim.key");
    ok(&s.q(
        &[
            "seal",
            "init",
            "--compartment",
            "lists",
            "--handler",
            "aigerim",
            "--key-file-out",
            &key,
        ],
        "",
    ));
    let list = s.write("secret.csv", &marked_list());
    let map = "given=Имя,surname=Фамилия,age=Возраст,place=Город";
    let import = [
        "import",
        &list,
        "--source",
        "s-secret-list",
        "--map",
        map,
        "--act-type",
        "detention",
    ];
    let seal = [
        "--compartment",
        "lists",
        "--handler",
        "aigerim",
        "--key-file",
        &key,
    ];
    let size = s.verified_size();

    // Confidential rows without a compartment: refused, naming the way out.
    let mut bare = import.to_vec();
    bare.extend_from_slice(&["--confidentiality", "confidential"]);
    refused(&s.q(&bare, ""), "--compartment");
    // A compartment for rows that are not confidential: refused too.
    let mut mixed = import.to_vec();
    mixed.extend_from_slice(&["--confidentiality", "restricted"]);
    mixed.extend_from_slice(&seal);
    refused(&s.q(&mixed, ""), "--confidentiality confidential");
    assert_eq!(s.verified_size(), size);

    // Sealed (confidential by default with --compartment): nothing to compare yet.
    let mut sealed = import.to_vec();
    sealed.extend_from_slice(&seal);
    let first = s.q_json(&sealed, "");
    assert_eq!(first["imported"], json!(5), "{first:#}");
    assert_eq!(first["sealed"], json!(5));
    assert_eq!(first["sealed_compared"], json!(0));
    assert_eq!(first["compartment"], "lists");
    // The unrecognised place is counted, not named.
    assert!(
        first["unrecognised"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["field"] == "place" && u["value"] == "[sealed]" && u["rows"] == 5),
        "{first:#}"
    );
    let after_first = s.verified_size();
    // One entry per row, and no audit entry: there was nothing to open.
    assert_eq!(after_first, size + 5, "{first:#}");

    // Again: every row is found among the sealed ones, nothing is added,
    // and the comparison is one audit entry.
    let again = s.q_json(&sealed, "");
    assert_eq!(again["imported"], json!(0), "{again:#}");
    assert_eq!(again["already_present"], json!(5));
    assert_eq!(again["sealed_compared"], json!(5));
    let trail = s.trail(&["--kind", "unsealed"]);
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0]["record"], Value::Null);
    assert_eq!(trail[0]["payload"]["records"], json!(5));
    assert_eq!(trail[0]["payload"]["kind"], "list_entry");
    assert_eq!(trail[0]["payload"]["compartment"], "lists");
    assert_eq!(s.verified_size(), after_first + 1);

    // A list in clear beside it, then linkage: the sealed rows are left out.
    let ngo = s.write("ngo.csv", &clear_list());
    ok(&s.q(
        &[
            "import",
            &ngo,
            "--source",
            "s-ngo-list",
            "--map",
            "given=Имя,surname=Фамилия,age=Возраст",
        ],
        "",
    ));
    let linked = s.q_json(&["link"], "");
    assert_eq!(linked["sealed_skipped"], json!(5), "{linked:#}");
    assert_eq!(linked["records"], json!(6), "{linked:#}");
    assert_eq!(linked["lists"].as_array().unwrap().len(), 1, "{linked:#}");
    let text = s.q(&["link"], "");
    ok(&text);
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("5 sealed list entries and persons were not linked"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
    let register = s.q_json(&["register"], "");
    assert_eq!(register["unlinked_records"], json!(0), "{register:#}");

    s.verified_size();
    for m in [MARKER, MARKER_CYR, "ова2"] {
        assert_eq!(s.files_holding(m), Vec::<PathBuf>::new(), "{m}");
    }
    // The scan finds what is there: the clear list's names.
    assert!(!s.files_holding("Серикбаев").is_empty());
}
