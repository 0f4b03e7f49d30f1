//! `qantar link` and `qantar synth` through the real binary: the JSON
//! schema, accuracy against known truth, determinism, deduplication of one
//! list, and errors in `--map`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn qantar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qantar"))
        .args(args)
        .env_remove("QANTAR_ARCHIVE")
        .output()
        .expect("run qantar")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

type Pair = (String, String);

fn norm(a: &str, b: &str) -> Pair {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Precision, recall and F1 of found pairs against true pairs.
fn prf(found: &HashSet<Pair>, truth: &HashSet<Pair>) -> (f64, f64, f64) {
    let tp = found.intersection(truth).count() as f64;
    let p = tp / found.len().max(1) as f64;
    let r = tp / truth.len().max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(1e-12))
}

/// Run `link --json`, check the output's shape, and return it with its
/// pairs.
fn link(args: &[&str]) -> (Vec<u8>, HashSet<Pair>) {
    let mut all = vec!["link", "--json"];
    all.extend_from_slice(args);
    let out = qantar(&all);
    assert!(
        out.status.success(),
        "qantar {all:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("link --json prints JSON");
    let pairs = v["pairs"].as_array().expect("pairs is an array");
    let mut found = HashSet::new();
    for p in pairs {
        let (l, r) = (
            p["left"].as_str().expect("left is an id"),
            p["right"].as_str().expect("right is an id"),
        );
        assert_ne!(l, r);
        let w = p["weight"].as_f64().expect("weight is a number");
        let pr = p["probability"].as_f64().expect("probability is a number");
        assert!((0.0..=1.0).contains(&pr), "probability {pr}");
        // The probability is the weight's (log2 odds) logistic.
        assert!((pr - 1.0 / (1.0 + (-w).exp2())).abs() < 1e-3, "{p}");
        found.insert(norm(l, r));
    }
    // Every pair lies within one cluster, and no record is in two clusters.
    let mut cluster_of = HashMap::new();
    for (n, c) in v["clusters"]
        .as_array()
        .expect("clusters is an array")
        .iter()
        .enumerate()
    {
        let ids = c.as_array().expect("a cluster is an array of ids");
        assert!(ids.len() >= 2, "a cluster has two or more records: {c}");
        for id in ids {
            let id = id.as_str().expect("ids are strings").to_string();
            assert!(cluster_of.insert(id, n).is_none(), "{c} overlaps another");
        }
    }
    for (a, b) in &found {
        assert_eq!(cluster_of.get(a), cluster_of.get(b), "{a} and {b}");
        assert!(cluster_of.contains_key(a));
    }
    (out.stdout, found)
}

/// True pairs across two lists from synth's truth.csv.
fn synth_truth(dir: &Path, lists: [&str; 2]) -> HashSet<Pair> {
    let mut rd = csv::Reader::from_path(dir.join("truth.csv")).expect("truth.csv");
    let mut by_person: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for r in rd.records() {
        let r = r.expect("row");
        by_person
            .entry(r[2].to_string())
            .or_default()
            .push((r[0].to_string(), r[1].to_string()));
    }
    let mut t = HashSet::new();
    for rows in by_person.values() {
        for (i, (a, la)) in rows.iter().enumerate() {
            for (b, lb) in &rows[i + 1..] {
                if la != lb && lists.contains(&la.as_str()) && lists.contains(&lb.as_str()) {
                    t.insert(norm(a, b));
                }
            }
        }
    }
    t
}

const SYNTH_MAP: &str = "full_name=full_name,birth_date=birth_date,age=age,sex=sex,place=city";

#[test]
fn synthetic_lists_link_across_scripts_and_deterministically() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let s = qantar(&[
        "synth",
        "--persons",
        "2000",
        "--lists",
        "3",
        "--seed",
        "11",
        "--out",
        out,
        "--json",
    ]);
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let l1 = dir.path().join("list_1.csv");
    let l2 = dir.path().join("list_2.csv");
    let args = [
        "--input",
        l1.to_str().unwrap(),
        "--input",
        l2.to_str().unwrap(),
        "--id-column",
        "record_id",
        "--map",
        SYNTH_MAP,
    ];
    let (bytes, found) = link(&args);
    // List 1 is Cyrillic, list 2 Latin (passport spelling): no pair agrees
    // on the written name, so this is all keys and EM.
    let truth = synth_truth(dir.path(), ["1", "2"]);
    assert!(truth.len() > 500, "{} true pairs", truth.len());
    let (p, r, f) = prf(&found, &truth);
    eprintln!("synth 2,000 persons, lists 1-2: P {p:.4} R {r:.4} F1 {f:.4}");
    // Floor: about 5% of true pairs cannot be told from a namesake (a common
    // name with the birth date missing or given as an age on one side, while
    // the generator draws names from a few dozen), and qantar scores about
    // 0.97 here; 0.90 leaves room for seed-to-seed variation while failing
    // any real regression (EM that picks the wrong class scores below 0.2).
    assert!(f >= 0.90, "F1 {f:.4} (precision {p:.4}, recall {r:.4})");
    // Only pairs across the lists in link mode.
    assert!(
        found
            .iter()
            .all(|(a, b)| a.starts_with("L1-") != b.starts_with("L1-")),
        "a pair within one list"
    );
    // The same input and seed give byte-identical output.
    let (again, _) = link(&args);
    assert!(bytes == again, "two runs differ");
}

#[test]
fn febrl1_deduplicates_one_list() {
    let f = data("febrl1.csv");
    let (_, found) = link(&[
        "--input",
        f.to_str().unwrap(),
        "--id-column",
        "rec_id",
        "--map",
        "given=given_name,surname=surname,address=street_number+address_1+address_2,\
         place=state>suburb,postcode=postcode,birth_date=date_of_birth,id_number=soc_sec_id",
    ]);
    let mut rd = csv::Reader::from_path(data("febrl1_true_links.csv")).expect("truth");
    let truth: HashSet<Pair> = rd
        .records()
        .map(|r| {
            let r = r.expect("row");
            norm(r[0].trim(), r[1].trim())
        })
        .collect();
    let (p, r, f) = prf(&found, &truth);
    eprintln!("FEBRL1: P {p:.4} R {r:.4} F1 {f:.4}");
    // FEBRL1 is the easiest FEBRL set (one duplicate per original, few
    // errors); Splink and qantar both score about 0.99 on the harder FEBRL3.
    assert!(f >= 0.97, "F1 {f:.4} (precision {p:.4}, recall {r:.4})");
}

#[test]
fn bad_map_is_an_input_error_naming_the_field() {
    let f = data("febrl1.csv");
    let f = f.to_str().unwrap();
    let run = |map: &str| qantar(&["link", "--input", f, "--id-column", "rec_id", "--map", map]);
    let out = run("given=given_name,shoe_size=surname");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("shoe_size"), "{err}");
    assert!(
        err.contains("surname"),
        "the message lists the known fields: {err}"
    );

    let out = run("given=no_such_column");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no_such_column"), "{err}");

    let out = run("given");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("given"));
}
