//! Golden tests against the iuliia schemas in the project's shared/data/translit/iuliia:
//! every sample pair must come out exactly, and every embedded table must
//! hold the same mappings as the JSON it was converted from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qantar_names::{Scheme, transliterate, transliterate_raw};
use serde_json::Value;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/translit/iuliia"
);

fn schema_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(DIR);
    if !dir.is_dir() {
        println!("skipping: {DIR} not found");
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read iuliia dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Some(files)
}

fn load(path: &Path) -> (Scheme, Value) {
    let text = std::fs::read_to_string(path).expect("read schema");
    let json: Value = serde_json::from_str(&text).expect("schema is JSON");
    let name = json["name"].as_str().expect("schema has a name");
    let scheme = name
        .parse::<Scheme>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (scheme, json)
}

#[test]
fn every_sample_pair_comes_out_exactly() {
    let Some(files) = schema_files() else { return };
    assert_eq!(files.len(), 28, "expected the 28 iuliia schemas");
    let mut pairs = 0;
    let mut failures = Vec::new();
    for path in &files {
        let (scheme, json) = load(path);
        let samples = json["samples"].as_array().expect("samples");
        assert!(!samples.is_empty(), "{scheme} has no samples");
        for s in samples {
            let (cyr, lat) = (
                s[0].as_str().expect("sample source"),
                s[1].as_str().expect("sample result"),
            );
            pairs += 1;
            let got = transliterate_raw(cyr, scheme);
            if got != lat {
                failures.push(format!("{scheme}: {cyr:?}\n  want {lat:?}\n  got  {got:?}"));
            }
            // The cleaning step must not disturb ordinary text.
            assert_eq!(
                transliterate(cyr, scheme),
                got,
                "{scheme}: clean() changed {cyr:?}"
            );
        }
    }
    println!(
        "{pairs} iuliia sample pairs checked over {} schemes",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {pairs} samples differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Read one of our tables back into (section → key → value).
fn our_table(scheme: Scheme) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut section = String::new();
    for line in scheme.table_source().lines() {
        if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
            continue;
        }
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']']).to_string();
            continue;
        }
        let mut f = line.split('\t');
        let k = f.next().expect("key").to_string();
        let v = f.next().expect("value").to_string();
        out.entry(section.clone()).or_default().insert(k, v);
    }
    out
}

#[test]
fn embedded_tables_match_the_json() {
    let Some(files) = schema_files() else { return };
    for path in &files {
        let (scheme, json) = load(path);
        let ours = our_table(scheme);
        for (section, field) in [
            ("letters", "mapping"),
            ("prev", "prev_mapping"),
            ("next", "next_mapping"),
            ("ending", "ending_mapping"),
        ] {
            let theirs: BTreeMap<String, String> = json[field]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let mine = ours.get(section).cloned().unwrap_or_default();
            assert_eq!(
                mine,
                theirs,
                "{scheme} [{section}] differs from {}",
                path.display()
            );
        }
    }
}
