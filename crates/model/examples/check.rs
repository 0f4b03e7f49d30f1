//! Validates a file of records the way `qantar add --file` will, without an
//! archive: every record is checked on its own (`Record::from_json`), then
//! every reference is resolved against the records of the same file, and
//! parent chains are checked for loops.
//!
//! ```text
//! cargo run -p qantar-model --example check -- FILE.json   # or FILE.toml
//! ```
//!
//! Prints one line per problem, `records[i] (<ref>): field: reason`, and
//! exits 1 if there was any, 2 if the file cannot be read at all.

use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;

use qantar_model::{Kind, Record, Reference, document_records, toml_document};
use serde_json::Value;

struct Problem {
    index: usize,
    field: String,
    reason: String,
}

/// What a record of the file defines, known even when the record itself is
/// invalid, so that its errors do not cascade into "unknown reference"
/// errors in every record that points to it.
struct Definition {
    kind: Option<Kind>,
    id: uuid::Uuid,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!("usage: cargo run -p qantar-model --example check -- FILE.json|FILE.toml");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let doc: Value = if path.ends_with(".toml") {
        match toml_document(&text) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{path}: not valid JSON: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let Some(raw) = document_records(&doc) else {
        eprintln!("{path}: expected a JSON array of records or an object {{\"records\": [...]}}");
        return ExitCode::from(2);
    };

    let (problems, counts) = check(raw);
    for p in &problems {
        let label = raw[p.index]
            .get("ref")
            .and_then(Value::as_str)
            .or_else(|| raw[p.index].get("kind").and_then(Value::as_str))
            .unwrap_or("?");
        println!("records[{}] ({label}): {}: {}", p.index, p.field, p.reason);
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", if *n == 1 { k.as_str() } else { k.plural() }))
        .collect();
    eprintln!(
        "{path}: {} records ({}), {} problems",
        raw.len(),
        summary.join(", "),
        problems.len()
    );
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn check(raw: &[Value]) -> (Vec<Problem>, BTreeMap<Kind, usize>) {
    let mut problems = Vec::new();
    let mut counts = BTreeMap::new();
    let mut records: Vec<Option<Record>> = Vec::new();
    let mut by_ref: HashMap<String, (usize, Definition)> = HashMap::new();
    let mut by_id: HashMap<uuid::Uuid, (usize, Option<Kind>)> = HashMap::new();

    for (i, value) in raw.iter().enumerate() {
        let parsed = Record::from_json(value, &mut uuid::Uuid::now_v7);
        let (kind, id, r#ref) = match &parsed {
            Ok(r) => (Some(r.kind()), r.id, r.r#ref.clone()),
            Err(errors) => {
                for e in errors {
                    problems.push(Problem {
                        index: i,
                        field: e.field.clone(),
                        reason: e.reason.clone(),
                    });
                }
                let text = |k: &str| value.get(k).and_then(Value::as_str);
                let kind = text("kind").and_then(|k| k.parse().ok());
                let id = text("id")
                    .and_then(|s| uuid::Uuid::try_parse(s).ok())
                    .unwrap_or_else(uuid::Uuid::now_v7);
                (kind, id, text("ref").map(str::to_owned))
            }
        };
        if let Some(k) = kind {
            *counts.entry(k).or_insert(0) += 1;
        }
        if let Some((first, _)) = by_id.get(&id) {
            problems.push(Problem {
                index: i,
                field: "id".into(),
                reason: format!("{id} is already the id of records[{first}]; ids must be unique"),
            });
        } else {
            by_id.insert(id, (i, kind));
        }
        if let Some(r) = r#ref {
            if let Some((first, _)) = by_ref.get(&r) {
                problems.push(Problem {
                    index: i,
                    field: "ref".into(),
                    reason: format!(
                        "\"{r}\" is already the ref of records[{first}]; refs must be unique"
                    ),
                });
            } else {
                by_ref.insert(r, (i, Definition { kind, id }));
            }
        }
        records.push(parsed.ok());
    }

    let mut parents: HashMap<uuid::Uuid, uuid::Uuid> = HashMap::new();
    for (i, record) in records.iter_mut().enumerate() {
        let Some(record) = record else { continue };
        let mut resolve = |r: &Reference| -> Result<String, String> {
            let found = match uuid::Uuid::try_parse(&r.target) {
                Ok(u) => by_id.get(&u).map(|(_, k)| (u, *k)),
                Err(_) => by_ref.get(&r.target).map(|(_, d)| (d.id, d.kind)),
            };
            let Some((id, kind)) = found else {
                return Err(format!(
                    "unknown reference \"{}\": no record in this file has that ref or id",
                    r.target
                ));
            };
            match (r.expected, kind) {
                (Some(want), Some(have)) if want != have => Err(format!(
                    "\"{}\" is {}, but this field needs {}",
                    r.target,
                    have.with_article(),
                    want.with_article()
                )),
                _ => Ok(id.to_string()),
            }
        };
        match record.resolve_references(&mut resolve) {
            Ok(()) => {
                if let Some(p) = record.parent().and_then(|p| uuid::Uuid::try_parse(p).ok()) {
                    parents.insert(record.id, p);
                }
            }
            Err(errors) => {
                for e in errors {
                    problems.push(Problem {
                        index: i,
                        field: e.field,
                        reason: e.reason,
                    });
                }
            }
        }
    }

    // A parent chain that comes back to where it started is a loop; the
    // walk is bounded by the number of records, which no chain can exceed.
    for (i, record) in records.iter().enumerate() {
        let Some(record) = record else { continue };
        let mut at = record.id;
        for _ in 0..parents.len() {
            let Some(next) = parents.get(&at) else { break };
            if *next == record.id {
                problems.push(Problem {
                    index: i,
                    field: "parent".into(),
                    reason: "the chain of parents loops back to this record; one of them must name a wider place or event".into(),
                });
                break;
            }
            at = *next;
        }
    }
    problems.sort_by_key(|p| p.index);
    (problems, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(doc: Value) -> Vec<(usize, String, String)> {
        let raw = document_records(&doc).unwrap_or_default();
        check(raw)
            .0
            .into_iter()
            .map(|p| (p.index, p.field, p.reason))
            .collect()
    }

    fn has(found: &[(usize, String, String)], index: usize, field: &str, needle: &str) -> bool {
        found
            .iter()
            .any(|(i, f, r)| *i == index && f == field && r.contains(needle))
    }

    #[test]
    fn the_sample_file_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/sample.json");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let raw = document_records(&doc).unwrap_or_default();
        let (found, counts) = check(raw);
        assert!(
            found.is_empty(),
            "{} problems, first: {:?}",
            found.len(),
            found.first().map(|p| (&p.field, &p.reason))
        );
        assert_eq!(
            counts.len(),
            Kind::ALL.len(),
            "the sample should use every kind"
        );
    }

    #[test]
    fn references_are_resolved_within_the_file() {
        let id = "0194f3b2-7c1e-7a00-8000-000000000001";
        let found = problems(json!([
            {"kind": "source", "ref": "s1", "source_kind": "list", "title": "T"},
            {"kind": "place", "ref": "a", "id": id, "name": "A", "place_type": "city", "parent": "b"},
            {"kind": "place", "ref": "b", "name": "B", "place_type": "city", "parent": id},
            {"kind": "act", "act_type": "injury", "victim": "a", "place": "nowhere", "sources": ["s1"]},
            {"kind": "source", "ref": "s1", "source_kind": "list", "title": "Again"},
            {"kind": "person", "ref": "p-broken", "names": [], "sources": ["s1"]},
            {"kind": "act", "act_type": "torture", "victim": "p-broken", "sources": ["s1"]}
        ]));
        assert!(has(&found, 1, "parent", "loops back"), "{found:?}");
        assert!(has(&found, 2, "parent", "loops back"), "{found:?}");
        assert!(
            has(
                &found,
                3,
                "victim",
                "\"a\" is a place, but this field needs a person"
            ),
            "{found:?}"
        );
        assert!(
            has(&found, 3, "place", "unknown reference \"nowhere\""),
            "{found:?}"
        );
        assert!(
            has(&found, 4, "ref", "already the ref of records[0]"),
            "{found:?}"
        );
        assert!(has(&found, 5, "names", ""), "{found:?}");
        // A reference to a record that is itself invalid is not reported again.
        assert!(!found.iter().any(|(i, _, _)| *i == 6), "{found:?}");
        assert_eq!(found.len(), 6, "{found:?}");
    }
}
