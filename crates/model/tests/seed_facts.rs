//! The model must be able to hold every published figure about January 2022
//! that the project has collected. These tests turn the seed data in
//! `the project's shared/data/seed-facts/` (see its README: public statements and
//! reports, each with its source) into count claims and check that every
//! metric maps to a vocabulary term and every value and period parses.

use qantar_model::{Record, vocab};
use serde_json::{Value, json};

fn seed(name: &str) -> Option<Value> {
    let path = format!(
        "{}/../../../shared/data/seed-facts/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {path} not found");
        return None;
    };
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => panic!("{path}: {e}"),
    }
}

/// The seed files' metric names, where they differ from the vocabulary's.
fn metric_term(seed_metric: &str) -> &str {
    match seed_metric {
        "opened" => "cases_opened",
        "participated" => "participants",
        "deployed" => "troops_deployed",
        "stolen" => "items_stolen",
        "under_investigation" => "cases_under_investigation",
        "killed_by_excessive_force_of_law_enforcement" => "killed_by_excessive_force",
        "tortured_to_death_in_custody" => "tortured_to_death",
        "documented" => "documented_cases",
        // The only "count" in the file counts localities with protests.
        "count" => "protest_localities",
        "vehicles_burned_or_damaged" => "vehicles_damaged",
        other => other,
    }
}

/// The seed's period notes ("to 2022-01-07", "2022-01-06..", "as of
/// ~2022-01-15") in ApproxDate form.
fn period(text: &str) -> String {
    let text = text.rsplit(", ").next().unwrap_or(text);
    let point = |s: &str| match s.strip_prefix('~') {
        Some(rest) => format!("about {rest}"),
        None => s.to_owned(),
    };
    if let Some(rest) = text
        .strip_prefix("to ")
        .or_else(|| text.strip_prefix("as of "))
    {
        format!("../{}", point(rest))
    } else if let Some(rest) = text.strip_prefix("from ") {
        format!("{}/..", point(rest))
    } else if let Some((a, b)) = text.split_once("..") {
        let b = if b.is_empty() { ".." } else { b };
        format!("{}/{}", point(a), point(b))
    } else if let Some((a, b)) = text
        .split_once('-')
        .filter(|(a, b)| a.len() == 4 && b.len() == 4)
    {
        format!("{a}/{b}")
    } else {
        point(text)
    }
}

fn number(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn check_claim(what: &str, claim: Value) {
    if let Err(e) = Record::from_json(&claim, &mut uuid::Uuid::nil) {
        panic!("{what}: {claim}\n{e}");
    }
}

#[test]
fn every_public_record_figure_fits_the_model() {
    let Some(Value::Array(claims)) = seed("public-record-claims.json") else {
        return;
    };
    assert!(claims.len() >= 80, "the seed file should hold 80 claims");
    let metrics = vocab::get(vocab::METRICS).unwrap_or_else(|| panic!("no metrics vocabulary"));
    for (i, c) in claims.iter().enumerate() {
        let seed_metric = c["metric"].as_str().unwrap_or_default();
        let term = metric_term(seed_metric);
        assert!(
            metrics.contains(term),
            "claims[{i}]: metric {seed_metric} has no term"
        );
        let value = match &c["value"] {
            Value::Number(_) => number(&c["value"]).to_string(),
            Value::Array(pair) => match (pair.first(), pair.get(1)) {
                (Some(lo), Some(Value::Null)) => format!("at least {}", number(lo)),
                (Some(lo), Some(hi)) if lo == hi => number(lo).to_string(),
                (Some(lo), Some(hi)) => format!("{}–{}", number(lo), number(hi)),
                _ => panic!("claims[{i}]: odd value {pair:?}"),
            },
            other => panic!("claims[{i}]: odd value {other}"),
        };
        let mut claim = json!({
            "kind": "claim", "claim_type": "count", "metric": term, "value": value,
            "subject": c["subject"], "claimant": c["source_name"],
            "sources": ["s1"]
        });
        if let Some(p) = c["period"].as_str() {
            claim["period"] = json!(period(p));
        }
        if let Some(p) = c["published"].as_str().filter(|p| *p != "unknown") {
            claim["stated_on"] = json!(p);
        }
        check_claim(&format!("claims[{i}]"), claim);
    }
}

#[test]
fn every_seed_article_figure_fits_the_model() {
    let Some(doc) = seed("qandy-qantar.json") else {
        return;
    };
    let metrics = vocab::get(vocab::METRICS).unwrap_or_else(|| panic!("no metrics vocabulary"));
    let claims = doc["aggregate_claims"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !claims.is_empty(),
        "qandy-qantar.json has no aggregate_claims"
    );
    for (i, c) in claims.iter().enumerate() {
        let seed_metric = c["metric"].as_str().unwrap_or_default();
        let term = metric_term(seed_metric);
        assert!(
            metrics.contains(term),
            "aggregate_claims[{i}]: metric {seed_metric} has no term"
        );
        // Breakdowns ({"police": 51, …}) become one claim per part, and a
        // figure given only in words ("several hundred") a fact claim.
        let values: Vec<u64> = match &c["value"] {
            Value::Number(_) => vec![number(&c["value"])],
            Value::Object(parts) => parts.values().map(number).collect(),
            _ => Vec::new(),
        };
        for n in &values {
            let value = match (c["qualifier"].as_str(), c["approx"].as_bool()) {
                (Some(q), _) => format!("{q} {n}"),
                (None, Some(true)) => format!("about {n}"),
                _ => n.to_string(),
            };
            check_claim(
                &format!("aggregate_claims[{i}]"),
                json!({"kind": "claim", "claim_type": "count", "metric": term, "value": value, "sources": ["s1"]}),
            );
        }
        if values.is_empty() {
            let text = c["text"].as_str().unwrap_or("no figure given");
            check_claim(
                &format!("aggregate_claims[{i}]"),
                json!({"kind": "claim", "claim_type": "fact", "metric": term, "statement": text, "sources": ["s1"]}),
            );
        }
    }
}

#[test]
fn period_notes_translate_to_approx_dates() {
    // The translation above is itself a small parser; pin its behaviour.
    for (note, expected) in [
        ("to 2022-01-07", "../2022-01-07"),
        ("2022-01-06..", "2022-01-06/.."),
        ("2022-04..2023-01", "2022-04/2023-01"),
        ("from 2022-01-11", "2022-01-11/.."),
        ("as of ~2022-01-15", "../about 2022-01-15"),
        ("2022-2023", "2022/2023"),
        (
            "state of emergency / counter-terror operation, 2022-01",
            "2022-01",
        ),
    ] {
        assert_eq!(period(note), expected);
        assert!(
            expected.parse::<qantar_model::ApproxDate>().is_ok(),
            "{expected}"
        );
    }
}
