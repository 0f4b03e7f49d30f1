//! Several writer processes appending to one archive at once, on each
//! backend: every entry lands exactly once, the sequence has no gaps, and
//! the ledger and projection agree afterwards. Also the move between
//! backends with `qantar migrate`, as a user runs it.

mod util;

use std::process::{Command, Stdio};

use qantar_store::db::{ScratchSchema, test_postgres_url};
use serde_json::{Value, json};
use util::*;

const WRITERS: usize = 4;
const EACH: usize = 5_000;

fn run_writers(archive: &std::path::Path, s: &Scratch) {
    ok_json(
        &[
            "add", "source", "--ref", "src", "--type", "list", "--title", "A list",
        ],
        archive,
    );
    let files: Vec<String> = (0..WRITERS)
        .map(|w| {
            let records: Vec<Value> = (0..EACH)
                .map(|i| json!({"kind": "person", "names": [{"value": format!("Writer {w} person {i}")}], "sources": ["src"]}))
                .collect();
            s.write(&format!("w{w}.json"), &Value::Array(records).to_string())
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let children: Vec<_> = files
        .iter()
        .map(|f| {
            Command::new(bin())
                .args(["add", "--file", f, "--batch-size", "250", "--archive"])
                .arg(archive)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let report = ok_json(&["verify", "--full"], archive);
    assert_eq!(report["ok"], true, "{report}");
    // archive.created + the source + every person, each exactly once.
    assert_eq!(report["entries"], 2 + WRITERS * EACH, "{report}");
    let stats = ok_json(&["stats"], archive);
    assert_eq!(stats["by_kind"]["person"], WRITERS * EACH);
    // Each writer's records are all there under distinct names.
    for w in 0..WRITERS {
        for i in [0, EACH / 2, EACH - 1] {
            let found = ok_json(&["list", "person", "--limit", "100000"], archive);
            let name = format!("Writer {w} person {i}");
            assert_eq!(
                found
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["label"] == name.as_str())
                    .count(),
                1,
                "{name}"
            );
        }
    }
}

#[test]
fn concurrent_writers_on_sqlite_interleave_without_loss() {
    let s = Scratch::new();
    let a = s.init();
    run_writers(&a, &s);
}

#[test]
fn concurrent_writers_on_postgres_interleave_without_loss() {
    let url = match test_postgres_url() {
        Ok(u) => u,
        Err(why) => {
            eprintln!("skipping: {why}");
            return;
        }
    };
    let schema = ScratchSchema::new(&url, "writers");
    let s = Scratch::new();
    let out = qantar(
        &[
            "init",
            s.archive().to_str().unwrap(),
            "--name",
            "pg",
            "--database",
            &schema.url,
        ],
        None,
    );
    assert_ok(&out);
    run_writers(&s.archive(), &s);
}

#[test]
fn migrate_moves_an_archive_to_postgres_and_back_with_the_same_root() {
    let url = match test_postgres_url() {
        Ok(u) => u,
        Err(why) => {
            eprintln!("skipping: {why}");
            return;
        }
    };
    let schema = ScratchSchema::new(&url, "migrate");
    let s = Scratch::new();
    let dir = s.path("demo");
    assert_ok(&qantar(&["demo", "--archive", dir.to_str().unwrap()], None));
    let before = ok_json(&["verify", "--full"], &dir);
    let cps_before = ok_json(&["checkpoint"], &dir);

    let moved = ok_json(&["migrate", "--to", &schema.url], &dir);
    assert_eq!(moved["ok"], true, "{moved}");
    assert_eq!(moved["to"], "postgres");
    let text = std::fs::read_to_string(dir.join("qantar.toml")).unwrap();
    assert!(text.contains("database = "), "{text}");
    let on_pg = ok_json(&["verify", "--full"], &dir);
    assert_eq!(on_pg["root"], before["root"]);
    assert_eq!(on_pg["projection_digest"], before["projection_digest"]);
    assert_eq!(
        ok_json(&["checkpoint"], &dir)["checkpoint"],
        cps_before["checkpoint"]
    );
    // Work goes on on PostgreSQL...
    ok_json(&["amend", "p-ermek-abdreshev", "--set", "age=38"], &dir);
    // ...and the archive moves back, into a fresh SQLite file.
    std::fs::rename(dir.join("archive.sqlite"), dir.join("archive.sqlite.old")).unwrap();
    let back = ok_json(&["migrate", "--to", "sqlite"], &dir);
    assert_eq!(back["ok"], true, "{back}");
    let after = ok_json(&["verify", "--full"], &dir);
    assert_eq!(after["entries"], before["entries"].as_u64().unwrap() + 1);
    assert_eq!(
        ok_json(&["show", "p-ermek-abdreshev"], &dir)["data"]["age"],
        38
    );
    // Migrating to where it already is, or into a taken database, is refused.
    assert_eq!(
        qantar(&["migrate", "--to", "sqlite"], Some(&dir))
            .status
            .code(),
        Some(2)
    );
}
