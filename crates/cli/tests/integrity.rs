//! The archive's integrity under attack and accident: edits to the SQLite
//! file behind qantar's back must make `verify` fail and say where, and a
//! writer killed with SIGKILL at any moment must lose no committed entry.

mod util;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use serde_json::{Value, json};
use util::*;

fn filled_archive(s: &Scratch) -> PathBuf {
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    ok_json(&["amend", "p-one", "--set", "age=38"], &a);
    let report = ok_json(&["verify", "--full"], &a);
    assert_eq!(report["ok"], true, "{report}");
    a
}

fn db(a: &Path) -> Connection {
    Connection::open(a.join("archive.sqlite")).unwrap()
}

fn verify(a: &Path, full: bool) -> (Option<i32>, Value) {
    let mut args = vec!["verify", "--json"];
    if full {
        args.push("--full");
    }
    let out = qantar(&args, Some(a));
    (out.status.code(), json(&out))
}

fn assert_fails_at(a: &Path, full: bool, seq: Option<u64>, case: &str) {
    let (code, report) = verify(a, full);
    assert_eq!(code, Some(1), "{case}: verify must exit 1: {report}");
    assert_eq!(report["ok"], false, "{case}: {report}");
    let first = &report["problems"][0];
    assert!(
        first["what"].as_str().is_some_and(|w| !w.is_empty()),
        "{case}: {report}"
    );
    if let Some(seq) = seq {
        assert_eq!(
            first["seq"], seq,
            "{case}: the first fault is named: {report}"
        );
    }
}

#[test]
fn editing_an_entry_payload_is_caught() {
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    let bytes: Vec<u8> = c
        .query_row("SELECT bytes FROM ledger_entries WHERE seq = 7", [], |r| {
            r.get(0)
        })
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    // Change the age the documenter recorded, keeping the JSON valid and canonical.
    let forged = text.replacen("\"age\":37", "\"age\":73", 1);
    assert_ne!(forged, text, "entry 7 is the person with age 37");
    c.execute(
        "UPDATE ledger_entries SET bytes = ?1 WHERE seq = 7",
        params![forged.as_bytes()],
    )
    .unwrap();
    drop(c);
    assert_fails_at(&a, false, Some(7), "payload edit");
}

#[test]
fn deleting_or_reordering_entries_is_caught() {
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    c.execute("DELETE FROM ledger_entries WHERE seq = 4", [])
        .unwrap();
    drop(c);
    assert_fails_at(&a, false, Some(4), "deleted row");

    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    let b3: Vec<u8> = c
        .query_row("SELECT bytes FROM ledger_entries WHERE seq = 3", [], |r| {
            r.get(0)
        })
        .unwrap();
    let b5: Vec<u8> = c
        .query_row("SELECT bytes FROM ledger_entries WHERE seq = 5", [], |r| {
            r.get(0)
        })
        .unwrap();
    c.execute(
        "UPDATE ledger_entries SET bytes = ?1 WHERE seq = 3",
        params![b5],
    )
    .unwrap();
    c.execute(
        "UPDATE ledger_entries SET bytes = ?1 WHERE seq = 5",
        params![b3],
    )
    .unwrap();
    drop(c);
    assert_fails_at(&a, false, Some(3), "swapped rows");

    // Dropping the newest entries (a rollback) is caught by the checkpoint that covered them.
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    let n: i64 = c
        .query_row("SELECT MAX(seq) FROM ledger_entries", [], |r| r.get(0))
        .unwrap();
    c.execute("DELETE FROM ledger_entries WHERE seq = ?1", [n])
        .unwrap();
    drop(c);
    assert_fails_at(&a, false, None, "truncated log");
}

#[test]
fn forged_entries_tree_nodes_and_checkpoints_are_caught() {
    // An entry appended by hand is covered by no signed checkpoint.
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    let n: i64 = c
        .query_row("SELECT MAX(seq) FROM ledger_entries", [], |r| r.get(0))
        .unwrap();
    let bytes: Vec<u8> = c
        .query_row(
            "SELECT bytes FROM ledger_entries WHERE seq = ?1",
            [n],
            |r| r.get(0),
        )
        .unwrap();
    let text = String::from_utf8(bytes).unwrap().replacen(
        &format!("\"seq\":{n}"),
        &format!("\"seq\":{}", n + 1),
        1,
    );
    c.execute(
        "INSERT INTO ledger_entries (seq, bytes) VALUES (?1, ?2)",
        params![n + 1, text.as_bytes()],
    )
    .unwrap();
    drop(c);
    assert_fails_at(&a, false, None, "appended by hand");

    // A changed tree node would make every proof through it wrong.
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    c.execute(
        "UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 2",
        [],
    )
    .unwrap();
    drop(c);
    assert_fails_at(&a, false, Some(4), "tree node");

    // A checkpoint whose signature was not made by the archive's key.
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    let note: String = c
        .query_row(
            "SELECT note FROM checkpoints ORDER BY tree_size DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let i = note.rfind(' ').unwrap() + 5;
    let mut forged = note.clone().into_bytes();
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    c.execute(
        "UPDATE checkpoints SET note = ?1 WHERE note = ?2",
        params![String::from_utf8(forged).unwrap(), note],
    )
    .unwrap();
    drop(c);
    assert_fails_at(&a, false, None, "forged signature");
}

#[test]
fn editing_the_projection_is_caught_by_full_verification() {
    let s = Scratch::new();
    let a = filled_archive(&s);
    let c = db(&a);
    c.execute(
        "UPDATE records SET confidentiality = 'public' WHERE ref = 'p-two'",
        [],
    )
    .unwrap();
    drop(c);
    // The ledger itself is intact...
    let (code, report) = verify(&a, false);
    assert_eq!(code, Some(0), "{report}");
    // ...but the projection no longer matches it.
    let (code, report) = verify(&a, true);
    assert_eq!(code, Some(1), "{report}");
    let what = report["problems"][0]["what"].as_str().unwrap();
    assert!(what.contains("records"), "{what}");
    assert_ne!(report["projection_digest"], report["replayed_digest"]);

    // A deleted projection row, and a rebuild that repairs it.
    let c = db(&a);
    c.execute("DELETE FROM records WHERE ref = 'act-two'", [])
        .unwrap();
    drop(c);
    assert_eq!(verify(&a, true).0, Some(1));
    ok_json(&["rebuild"], &a);
    let (code, report) = verify(&a, true);
    assert_eq!(
        code,
        Some(0),
        "rebuild restores the projection from the ledger: {report}"
    );
    assert_eq!(
        ok_json(&["show", "p-two"], &a)["confidentiality"],
        "restricted"
    );
}

/// A tiny deterministic generator, so a failing run can be repeated from its seed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn a_writer_killed_at_any_moment_loses_no_committed_entry() {
    let s = Scratch::new();
    let a = s.init();
    ok_json(
        &[
            "add",
            "source",
            "--ref",
            "src",
            "--type",
            "list",
            "--title",
            "A victims list",
        ],
        &a,
    );
    let records: Vec<Value> = (0..10_000)
        .map(|i| json!({"kind": "person", "names": [{"value": format!("Person {i}")}], "sources": ["src"], "age": i % 90, "age_as_of": "2022-01"}))
        .collect();
    let file = s.write("bulk.json", &Value::Array(records).to_string());
    let file = file.to_str().unwrap().to_string();

    // How long an uninterrupted append of 10,000 takes here, to spread the kills over it.
    let started = Instant::now();
    assert_ok(&qantar(
        &["add", "--file", &file, "--batch-size", "100"],
        Some(&a),
    ));
    let full_run = started.elapsed();

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("crash test seed {seed}, one full append takes {full_run:?}");
    let mut rng = Lcg(seed);
    let mut kills_mid_append = 0;
    for round in 0..50 {
        let mut child = Command::new(bin())
            .args(["add", "--file", &file, "--batch-size", "100", "--archive"])
            .arg(&a)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let reported = Arc::new(Mutex::new(0u64));
        let stderr = child.stderr.take().unwrap();
        let seen = Arc::clone(&reported);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // "committed N of M records (ledger size S)"
                if let Some(size) = line
                    .rsplit("ledger size ")
                    .next()
                    .and_then(|t| t.trim_end_matches(')').parse::<u64>().ok())
                {
                    *seen.lock().unwrap() = size;
                }
            }
        });
        let delay = Duration::from_micros(rng.next() % (full_run.as_micros() as u64 + 1));
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        if !finished {
            kills_mid_append += 1;
        }
        let committed = *reported.lock().unwrap();
        let (code, report) = verify(&a, false);
        assert_eq!(
            code,
            Some(0),
            "round {round} (seed {seed}, kill after {delay:?}): {report}"
        );
        let entries = report["entries"].as_u64().unwrap();
        assert!(
            entries >= committed,
            "round {round} (seed {seed}): {committed} entries were reported committed but only {entries} survived"
        );
        // Every batch is whole: the log holds the first entries plus whole batches of 100.
        assert_eq!(
            report["latest_checkpoint"].as_u64(),
            Some(entries),
            "round {round}: {report}"
        );
    }
    println!("{kills_mid_append} of 50 kills landed during an append");
    assert!(
        kills_mid_append >= 25,
        "most kills must land mid-append to test anything ({kills_mid_append})"
    );
    let (code, report) = verify(&a, true);
    assert_eq!(code, Some(0), "{report}");
}
