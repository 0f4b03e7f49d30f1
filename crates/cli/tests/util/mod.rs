//! Helpers for driving the real `qantar` binary in a scratch directory.

#![allow(dead_code)]

pub mod http;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A fresh empty archive.
    pub fn init(&self) -> PathBuf {
        let out = qantar(
            &["init", self.archive().to_str().unwrap(), "--name", "test"],
            None,
        );
        assert_ok(&out);
        self.archive()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_qantar")
}

/// Run qantar with these arguments against `archive`.
pub fn qantar(args: &[&str], archive: Option<&Path>) -> Output {
    let mut c = Command::new(bin());
    c.args(args)
        .env_remove("QANTAR_ARCHIVE")
        .env("QANTAR_AUTHOR", "tester");
    if let Some(a) = archive {
        c.arg("--archive").arg(a);
    }
    c.output().expect("run qantar")
}

pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "qantar failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run with --json, assert success, return the JSON.
pub fn ok_json(args: &[&str], archive: &Path) -> Value {
    let mut a: Vec<&str> = args.to_vec();
    a.push("--json");
    let out = qantar(&a, Some(archive));
    assert_ok(&out);
    json(&out)
}

/// A small, valid set of records of every kind, referencing each other by ref.
pub fn every_kind() -> Value {
    serde_json::json!([
        {"kind": "source", "ref": "src-a", "source_kind": "media_report", "title": {"en": "A report"}, "published": "2023-01", "confidentiality": "public"},
        {"kind": "place", "ref": "kz", "place_type": "country", "name": {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}},
        {"kind": "place", "ref": "almaty", "place_type": "city", "parent": "kz", "name": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "lat": 43.238, "lon": 76.946},
        {"kind": "place", "ref": "square", "place_type": "site", "parent": "almaty", "name": {"en": "Republic Square"}},
        {"kind": "event", "ref": "ev-jan", "title": {"en": "The January events"}, "date": "2022-01-02/2022-01-19", "place": "kz", "sources": ["src-a"]},
        {"kind": "event", "ref": "ev-square", "title": {"en": "Shooting on the square"}, "date": "2022-01-05", "place": "square", "parent": "ev-jan", "sources": ["src-a"]},
        {"kind": "person", "ref": "p-one", "names": [{"value": "Ермек Абдрешев", "lang": "kk", "script": "Cyrl"}, {"value": "Ermek Abdreshev", "lang": "en", "script": "Latn"}], "age": 37, "age_as_of": "2022-01", "occupation": {"en": "mechanic"}, "residence": "almaty", "roles": ["victim"], "sources": ["src-a"], "confidentiality": "public"},
        {"kind": "person", "ref": "p-two", "names": [{"value": "Sister One"}], "roles": ["relative"], "sources": ["src-a"]},
        {"kind": "act", "ref": "act-one", "act_type": "injury", "victim": "p-one", "date": "2022-01-05", "place": "square", "event": "ev-square", "means": ["rubber_bullet"], "outcomes": ["coma", "blindness"], "perpetrators": [{"unit": "police"}], "sources": [{"source": "src-a", "locator": "portrait 1"}]},
        {"kind": "act", "ref": "act-two", "act_type": "torture", "victim": "p-one", "date": "2022-01-08/2022-01-19", "place": "almaty", "perpetrators": [{"description": {"en": "security officers"}}], "sources": ["src-a"]},
        {"kind": "claim", "ref": "claim-toll", "claim_type": "count", "metric": "killed", "value": "238", "place": "kz", "period": "2022-01", "sources": ["src-a"]},
        {"kind": "claim", "ref": "claim-detained", "claim_type": "count", "metric": "detained", "value": "about 10,000", "place": "kz", "sources": ["src-a"]},
        {"kind": "proceeding", "ref": "proc-one", "proceeding_kind": "complaint", "persons": [{"person": "p-one", "role": "complainant"}], "acts": ["act-two"], "status_history": [{"status": "filed", "date": "2022-03"}, {"status": "not_pursued", "date": "2022-06"}], "sources": ["src-a"]},
        {"kind": "relationship", "ref": "rel-one", "relation": "sister", "from": "p-two", "to": "p-one", "sources": ["src-a"]}
    ])
}

/// Run qantar with `stdin` as its standard input (passphrases), capturing
/// both outputs.
pub fn run(args: &[&str], archive: Option<&Path>, stdin: &str) -> Output {
    let mut c = Command::new(bin());
    c.args(args)
        .env_remove("QANTAR_ARCHIVE")
        .env("QANTAR_AUTHOR", "tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(a) = archive {
        c.arg("--archive").arg(a);
    }
    let mut child = c.spawn().expect("run qantar");
    let mut pipe = child.stdin.take().expect("stdin");
    // A command may exit before reading everything (bad input); ignore EPIPE.
    let _ = pipe.write_all(stdin.as_bytes());
    drop(pipe);
    child.wait_with_output().expect("wait for qantar")
}

/// Exit 0, or fail the test with both outputs.
pub fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "qantar failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Exit code 2 (bad input) with `needle` in standard error.
pub fn refused(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2\nstdout:\n{}\nstderr:\n{err}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
}

/// A line of standard input.
pub fn line(s: &str) -> String {
    format!("{s}\n")
}

/// Every file under `root`, recursively (for marker scans).
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.expect("directory entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Whether `needle` occurs in `bytes`.
pub fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}
