//! End-to-end tests of the `qantar` binary: records of every kind go in
//! through the CLI, into the ledger and projection, and come back out of
//! `show --json` unchanged; bad input writes nothing; corrections and
//! retractions keep history; proofs verify without the archive.

mod util;

use serde_json::{Value, json};
use util::*;

fn size(archive: &std::path::Path) -> u64 {
    ok_json(&["verify"], archive)["entries"].as_u64().unwrap()
}

#[test]
fn every_kind_round_trips_from_file_to_show() {
    let s = Scratch::new();
    let a = s.init();
    let input = every_kind();
    let file = s.write("records.json", &input.to_string());
    let added = ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    let ids = added["recorded"].as_array().unwrap();
    assert_eq!(ids.len(), input.as_array().unwrap().len());

    for (i, original) in input.as_array().unwrap().iter().enumerate() {
        let r = original["ref"].as_str().unwrap();
        let shown = ok_json(&["show", r], &a);
        assert_eq!(shown["id"], ids[i], "{r}: show returns the id add printed");
        assert_eq!(shown["kind"], original["kind"]);
        let data = &shown["data"];
        // Every field given comes back; references come back as UUIDs of the records named.
        for (k, v) in original.as_object().unwrap() {
            let got = &data[k];
            match k.as_str() {
                "parent" | "place" | "victim" | "event" | "residence" | "from" | "to" => {
                    let target = ok_json(&["show", v.as_str().unwrap()], &a);
                    assert_eq!(got, &target["id"], "{r}.{k}");
                }
                "sources" | "persons" | "acts" => {
                    assert_eq!(
                        got.as_array().unwrap().len(),
                        v.as_array().unwrap().len(),
                        "{r}.{k}"
                    )
                }
                _ => assert_eq!(got, v, "{r}.{k}"),
            }
        }
        let conf = original
            .get("confidentiality")
            .and_then(Value::as_str)
            .unwrap_or("restricted");
        assert_eq!(
            shown["confidentiality"], conf,
            "{r}: default confidentiality"
        );
    }
    let report = ok_json(&["verify", "--full"], &a);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["projection_digest"], report["replayed_digest"]);
}

#[test]
fn records_added_with_flags_round_trip() {
    let s = Scratch::new();
    let a = s.init();
    ok_json(
        &[
            "add",
            "source",
            "--ref",
            "s1",
            "--type",
            "media_report",
            "--title",
            "A report",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "place",
            "--ref",
            "taraz",
            "--type",
            "city",
            "--name",
            "Taraz",
            "--set",
            "lat=42.9",
            "--set",
            "lon=71.37",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "person",
            "--ref",
            "p1",
            "--name",
            "Nuradin Rakay",
            "--source",
            "s1",
            "--set",
            "roles=[\"journalist\"]",
            "--confidentiality",
            "public",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "act",
            "--ref",
            "a1",
            "--type",
            "arbitrary_arrest",
            "--victim",
            "p1",
            "--date",
            "2022-01-09",
            "--place",
            "taraz",
            "--source",
            "s1",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "claim",
            "--type",
            "count",
            "--metric",
            "killed",
            "--value",
            "more than 4,500",
            "--source",
            "s1",
            "--ref",
            "c1",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "proceeding",
            "--type",
            "complaint",
            "--status",
            "filed",
            "--date",
            "2022-02",
            "--source",
            "s1",
            "--ref",
            "pr1",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "event",
            "--title",
            "Protest in Taraz",
            "--date",
            "2022-01-04",
            "--place",
            "taraz",
            "--source",
            "s1",
            "--ref",
            "e1",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "person",
            "--ref",
            "p2",
            "--name",
            "Aizhan Auelbekova",
            "--source",
            "s1",
        ],
        &a,
    );
    ok_json(
        &[
            "add",
            "relationship",
            "--type",
            "colleague",
            "--from",
            "p2",
            "--to",
            "p1",
            "--source",
            "s1",
            "--ref",
            "r1",
        ],
        &a,
    );
    assert_eq!(
        ok_json(&["show", "r1"], &a)["data"]["to"],
        ok_json(&["show", "p1"], &a)["id"]
    );

    let p = ok_json(&["show", "p1"], &a);
    assert_eq!(p["data"]["names"][0]["value"], "Nuradin Rakay");
    assert_eq!(p["data"]["roles"], json!(["journalist"]));
    assert_eq!(p["confidentiality"], "public");
    let act = ok_json(&["show", "a1"], &a);
    assert_eq!(act["data"]["victim"], p["id"]);
    assert_eq!(act["data"]["date"], "2022-01-09");
    assert_eq!(
        ok_json(&["show", "c1"], &a)["data"]["value"],
        "more than 4,500"
    );
    assert_eq!(
        ok_json(&["show", "pr1"], &a)["data"]["status_history"],
        json!([{"status": "filed", "date": "2022-02"}])
    );
    assert_eq!(ok_json(&["show", "taraz"], &a)["data"]["lat"], 42.9);

    let acts = ok_json(&["list", "act", "--place", "taraz"], &a);
    assert_eq!(acts.as_array().unwrap().len(), 1);
    let stats = ok_json(&["stats"], &a);
    assert_eq!(stats["by_kind"]["person"], 2);
    assert_eq!(stats["acts_by_type"]["arbitrary_arrest"], 1);
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_written() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    let before = size(&a);
    let digest = ok_json(&["verify", "--full"], &a)["projection_digest"].clone();

    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"kind": "act", "act_type": "shootin", "victim": "p-one", "sources": ["src-a"]}),
            "act_type",
        ),
        (
            json!({"kind": "act", "act_type": "injury", "victim": "p-one", "date": "2022-13-40", "sources": ["src-a"]}),
            "date",
        ),
        (
            json!({"kind": "act", "act_type": "injury", "victim": "p-one"}),
            "sources",
        ),
        (
            json!({"kind": "act", "act_type": "injury", "victim": "nobody", "sources": ["src-a"]}),
            "victim",
        ),
        (
            json!({"kind": "act", "act_type": "injury", "victim": "almaty", "sources": ["src-a"]}),
            "victim",
        ),
        (
            json!({"kind": "claim", "claim_type": "count", "metric": "killed", "value": "lots", "sources": ["src-a"]}),
            "value",
        ),
        (
            json!({"kind": "person", "names": [{"value": "X"}], "sources": ["src-a"], "shoe_size": 9}),
            "shoe_size",
        ),
        (
            json!({"kind": "person", "names": [{"value": "X"}], "sources": ["p-one"]}),
            "sources",
        ),
        (
            json!({"kind": "place", "ref": "kz", "place_type": "country", "name": {"en": "Again"}}),
            "ref",
        ),
        (json!({"kind": "unicorn"}), "kind"),
    ];
    for (i, (record, field)) in cases.iter().enumerate() {
        // Each bad record travels with a good one: the good one must not be written either.
        let batch = json!([
            {"kind": "person", "names": [{"value": "Innocent bystander"}], "sources": ["src-a"]},
            record
        ]);
        let f = s.write(&format!("bad{i}.json"), &batch.to_string());
        let out = qantar(&["add", "--file", f.to_str().unwrap(), "--json"], Some(&a));
        assert_eq!(
            out.status.code(),
            Some(2),
            "case {i}: {record}\n{}",
            stderr(&out)
        );
        let body = json(&out);
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("case {i}: {body}"));
        assert!(
            errors
                .iter()
                .any(|e| e["field"].as_str().unwrap_or("").contains(field)),
            "case {i}: expected an error on {field}, got {body}"
        );
        assert!(stderr(&out).contains("nothing was written"));
    }
    // A malformed file and an unknown id are input errors too.
    let f = s.write("broken.json", "[{\"kind\": ");
    assert_eq!(
        qantar(&["add", "--file", f.to_str().unwrap()], Some(&a))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        qantar(&["show", "no-such-record"], Some(&a)).status.code(),
        Some(2)
    );
    assert_eq!(
        qantar(&["retract", "no-such-record", "--reason", "x"], Some(&a))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        qantar(&["list", "act", "--from", "2022-02-30"], Some(&a))
            .status
            .code(),
        Some(2)
    );

    assert_eq!(size(&a), before, "bad input must write nothing");
    assert_eq!(
        ok_json(&["verify", "--full"], &a)["projection_digest"],
        digest
    );
}

#[test]
fn amend_and_retract_keep_the_history() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);

    let out = ok_json(
        &[
            "amend",
            "p-one",
            "--set",
            "age=38",
            "--reason",
            "birth certificate seen",
        ],
        &a,
    );
    assert_eq!(out["action"], "amended");
    let shown = ok_json(&["show", "p-one"], &a);
    assert_eq!(shown["data"]["age"], 38);
    assert_eq!(shown["version"], 2);

    // A bad amendment is refused and changes nothing.
    let bad = qantar(
        &["amend", "p-one", "--set", "status=resurrected", "--json"],
        Some(&a),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(ok_json(&["show", "p-one"], &a)["version"], 2);

    // A place cannot become its own ancestor.
    let cyc = qantar(&["amend", "kz", "--parent", "square"], Some(&a));
    assert_eq!(cyc.status.code(), Some(2), "{}", stderr(&cyc));

    ok_json(
        &[
            "retract",
            "claim-detained",
            "--reason",
            "the figure was misquoted",
        ],
        &a,
    );
    let claim = ok_json(&["show", "claim-detained"], &a);
    assert_eq!(claim["retracted"], true);
    assert_eq!(claim["retract_reason"], "the figure was misquoted");
    let claims = ok_json(&["list", "claim"], &a);
    assert!(
        claims
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ref"] != "claim-detained")
    );
    let all = ok_json(&["list", "claim", "--retracted"], &a);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|c| c["ref"] == "claim-detained")
    );

    let history = ok_json(&["history", "p-one"], &a);
    let h = history.as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["kind"], "person.recorded");
    assert_eq!(h[1]["kind"], "person.amended");
    assert_eq!(h[1]["changed"], json!(["age"]));
    assert_eq!(h[1]["reason"], "birth certificate seen");
    assert_eq!(h[1]["author"], "tester");
    let rh = ok_json(&["history", "claim-detained"], &a);
    assert_eq!(
        rh.as_array().unwrap().last().unwrap()["kind"],
        "record.retracted"
    );

    let report = ok_json(&["verify", "--full"], &a);
    assert_eq!(report["ok"], true, "{report}");
}

#[test]
fn list_filters_by_place_date_type_status_and_confidentiality() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    let refs = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["ref"].as_str().unwrap().to_string())
            .collect()
    };
    // The square is inside Almaty: both acts are "in Almaty".
    assert_eq!(
        refs(ok_json(&["list", "act", "--place", "almaty"], &a)),
        ["act-one", "act-two"]
    );
    assert_eq!(
        refs(ok_json(&["list", "act", "--place", "square"], &a)),
        ["act-one"]
    );
    assert_eq!(
        refs(ok_json(&["list", "act", "--act-type", "torture"], &a)),
        ["act-two"]
    );
    assert_eq!(
        refs(ok_json(&["list", "act", "--from", "2022-01-06"], &a)),
        ["act-two"]
    );
    assert_eq!(
        refs(ok_json(&["list", "act", "--to", "2022-01-05"], &a)),
        ["act-one"]
    );
    assert_eq!(
        refs(ok_json(
            &["list", "proceeding", "--status", "not_pursued"],
            &a
        )),
        ["proc-one"]
    );
    assert_eq!(
        refs(ok_json(
            &["list", "person", "--confidentiality", "public"],
            &a
        )),
        ["p-one"]
    );
    assert_eq!(
        refs(ok_json(&["list", "claim", "--type", "killed"], &a)),
        ["claim-toll"]
    );
}

#[test]
fn proofs_verify_without_the_archive_and_tampered_proofs_fail() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    let cp_before = ok_json(&["checkpoint"], &a);
    let old_size = cp_before["tree_size"].as_u64().unwrap();
    ok_json(&["amend", "p-one", "--set", "age=40"], &a);
    let cp = ok_json(&["checkpoint"], &a);
    assert_eq!(cp["tree_size"].as_u64().unwrap(), old_size + 1);
    let note = cp["checkpoint"].as_str().unwrap();
    assert!(note.contains(&format!("\n{}\n", old_size + 1)), "{note}");
    assert!(note.contains("\n\u{2014} qantar-test "), "{note}");

    let key = a.join("keys/checkpoint.pub");
    let key = key.to_str().unwrap();
    let proof = s.path("incl.json");
    assert_ok(&qantar(
        &["prove", "inclusion", "3", "-o", proof.to_str().unwrap()],
        Some(&a),
    ));
    // verify-proof needs no archive.
    let v = ok_json_no_archive(&["verify-proof", proof.to_str().unwrap(), "--key", key]);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["entry"]["seq"], 3);

    let cons = s.path("cons.json");
    assert_ok(&qantar(
        &[
            "prove",
            "consistency",
            &old_size.to_string(),
            "-o",
            cons.to_str().unwrap(),
        ],
        Some(&a),
    ));
    let v = ok_json_no_archive(&["verify-proof", cons.to_str().unwrap(), "--key", key]);
    assert_eq!(v["ok"], true, "{v}");

    // Change one hex digit of the proof: it must fail.
    let mut bundle: Value =
        serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    let h = bundle["proof"][0].as_str().unwrap().to_string();
    let flipped = format!("{}{}", if h.starts_with('0') { "1" } else { "0" }, &h[1..]);
    bundle["proof"][0] = json!(flipped);
    std::fs::write(&proof, bundle.to_string()).unwrap();
    let out = qantar(
        &[
            "verify-proof",
            proof.to_str().unwrap(),
            "--key",
            key,
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["ok"], false);

    // From size 0 there is nothing to prove: a clear input error.
    assert_eq!(
        qantar(&["prove", "consistency", "0"], Some(&a))
            .status
            .code(),
        Some(2)
    );
}

fn ok_json_no_archive(args: &[&str]) -> Value {
    let mut a: Vec<&str> = args.to_vec();
    a.push("--json");
    let out = qantar(&a, None);
    assert_ok(&out);
    json(&out)
}

#[test]
fn rebuild_reproduces_the_projection_exactly() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    ok_json(
        &["amend", "act-one", "--set", "outcomes=[\"blindness\"]"],
        &a,
    );
    ok_json(&["retract", "rel-one", "--reason", "duplicate"], &a);
    let before = ok_json(&["verify", "--full"], &a);
    let rebuilt = ok_json(&["rebuild"], &a);
    assert_eq!(rebuilt["projection_digest"], before["projection_digest"]);
    let after = ok_json(&["verify", "--full"], &a);
    assert_eq!(after["ok"], true);
    assert_eq!(after["projection_digest"], before["projection_digest"]);
}

#[test]
fn the_demo_archive_verifies_and_rebuilds_to_the_same_digest() {
    let s = Scratch::new();
    let dir = s.path("demo");
    let out = qantar(&["demo", "--archive", dir.to_str().unwrap()], None);
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(dir.to_str().unwrap()),
        "the demo says where it is: {text}"
    );
    let report = ok_json(&["verify", "--full"], &dir);
    assert_eq!(report["ok"], true, "{report}");
    let rebuilt = ok_json(&["rebuild"], &dir);
    assert_eq!(rebuilt["projection_digest"], report["projection_digest"]);

    let persons = ok_json(&["list", "person"], &dir);
    assert!(persons.as_array().unwrap().len() >= 16);
    // The two conflicting Zhambyl tolls stand side by side.
    let tolls = ok_json(&["list", "claim", "--type", "killed"], &dir);
    let values: Vec<&str> = tolls
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["data"]["value"].as_str())
        .collect();
    assert!(
        values.contains(&"15") && values.contains(&"18"),
        "{values:?}"
    );
    // S4, the secret document, is confidential.
    let s4 = ok_json(&["show", "s4"], &dir);
    assert_eq!(s4["confidentiality"], "confidential");
    // Running the demo again reuses the archive.
    assert_ok(&qantar(&["demo", "--archive", dir.to_str().unwrap()], None));
}

#[test]
fn a_kept_checkpoint_proves_later_logs_extend_it() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write("ok.json", &every_kind().to_string());
    ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    // A partner keeps today's checkpoint...
    let kept = ok_json(&["checkpoint"], &a)["checkpoint"]
        .as_str()
        .unwrap()
        .to_string();
    let kept_file = s.write("kept.note", &kept);
    // ...the archive grows...
    ok_json(&["amend", "p-one", "--set", "age=41"], &a);
    let report = ok_json(&["verify", "--against", kept_file.to_str().unwrap()], &a);
    assert_eq!(report["ok"], true, "{report}");

    // ...and a checkpoint from another archive is refused as bad input.
    let other = Scratch::new();
    let b = other.init();
    let foreign = ok_json(&["checkpoint"], &b)["checkpoint"]
        .as_str()
        .unwrap()
        .to_string();
    let foreign_file = s.write("foreign.note", &foreign);
    let out = qantar(
        &["verify", "--against", foreign_file.to_str().unwrap()],
        Some(&a),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // If the kept entries are rewritten, even with the database re-signed by
    // someone holding the key, the kept checkpoint exposes it.
    let c = rusqlite::Connection::open(a.join("archive.sqlite")).unwrap();
    c.execute("DELETE FROM ledger_entries WHERE seq > 2", [])
        .unwrap();
    c.execute(
        "DELETE FROM merkle_nodes WHERE (idx + 1) * (1 << level) > 3",
        [],
    )
    .unwrap();
    c.execute("DELETE FROM checkpoints WHERE tree_size > 3", [])
        .unwrap();
    drop(c);
    let out = qantar(
        &["verify", "--against", kept_file.to_str().unwrap(), "--json"],
        Some(&a),
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert!(
        report["problems"][0]["what"]
            .as_str()
            .unwrap()
            .contains("removed"),
        "{report}"
    );
}

#[test]
fn vocabularies_list_their_terms_in_three_languages() {
    let names = ok_json_no_archive(&["vocab"]);
    assert!(names.as_array().unwrap().iter().any(|n| n == "act_types"));
    let acts = ok_json_no_archive(&["vocab", "act_types"]);
    let torture = acts["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "torture")
        .unwrap();
    for lang in ["en", "ru", "kk"] {
        assert!(!torture[lang].as_str().unwrap().is_empty());
    }
    assert_eq!(qantar(&["vocab", "weather"], None).status.code(), Some(2));
}

#[test]
fn toml_files_of_records_are_accepted() {
    let s = Scratch::new();
    let a = s.init();
    let file = s.write(
        "records.toml",
        r#"
[[records]]
kind = "source"
ref = "s-notes"
source_kind = "testimony"
title = "Interview notes"
published = 2022-03-01

[[records]]
kind = "person"
ref = "p-askar"
sources = ["s-notes"]
names = [{ value = "Аскар Жумабаев", lang = "kk", script = "Cyrl" }]

[[records]]
kind = "act"
act_type = "arbitrary_arrest"
victim = "p-askar"
date = "about 2022-01-07"
sources = ["s-notes"]
"#,
    );
    let added = ok_json(&["add", "--file", file.to_str().unwrap()], &a);
    assert_eq!(added["recorded"].as_array().unwrap().len(), 3);
    let src = ok_json(&["show", "s-notes"], &a);
    // An unquoted TOML date stays the date string the documenter wrote.
    assert_eq!(src["data"]["published"], "2022-03-01");
    // Testimonies are confidential unless said otherwise.
    assert_eq!(src["confidentiality"], "confidential");
    let acts = ok_json(&["list", "act"], &a);
    assert_eq!(acts[0]["data"]["date"], "about 2022-01-07");
}

#[test]
fn estimate_reads_list_overlaps_and_reports_models_with_intervals() {
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kosovo_1999.json");
    let out = qantar(
        &["estimate", "--input", input, "--no-lcmcr", "--json"],
        None,
    );
    assert_ok(&out);
    let report = json(&out);
    let text = report.to_string();
    // Ball et al. (2002) and Rcapture: model [123,14,34] gives 10,356.5.
    assert!(text.contains("[123,14,34]"), "{text}");
    let human = qantar(&["estimate", "--input", input, "--no-lcmcr"], None);
    assert_ok(&human);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("10,357"), "{human}");
    assert!(human.contains("8,994 to 12,110"), "{human}");
    // Bad input is refused with exit 2.
    let s = Scratch::new();
    let bad = s.write("bad.json", "{\"lists\": [\"A\"], \"patterns\": 7}");
    assert_eq!(
        qantar(&["estimate", "--input", bad.to_str().unwrap()], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn accounts_and_tokens_are_created_from_the_command_line() {
    use std::io::Write;
    let s = Scratch::new();
    let a = s.init();
    let add = |name: &str, role: &str, password: &str| {
        let mut child = std::process::Command::new(bin())
            .args(["user", "add", name, "--role", role, "--json", "--archive"])
            .arg(&a)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A refused role ends the process before it reads: ignore the closed pipe.
        let _ = writeln!(child.stdin.take().unwrap(), "{password}");
        child.wait_with_output().unwrap()
    };
    let ok = add("alice", "editor", "a long enough passphrase");
    assert_ok(&ok);
    assert_eq!(json(&ok)["role"], "editor");
    assert_eq!(add("bob", "editor", "short").status.code(), Some(2));
    assert_eq!(
        add("carol", "emperor", "a long enough passphrase")
            .status
            .code(),
        Some(2)
    );
    let token = ok_json(&["token", "add", "alice", "--label", "import script"], &a);
    assert!(
        token["token"].as_str().unwrap().starts_with("qtk_"),
        "{token}"
    );
    assert_eq!(
        qantar(&["token", "add", "nobody"], Some(&a)).status.code(),
        Some(2)
    );
    // The account database never holds the password or the token in clear.
    let bytes = std::fs::read(a.join("web.sqlite")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("a long enough passphrase"));
    assert!(!text.contains(token["token"].as_str().unwrap()));
}
