//! Property test: for records built from arbitrary combinations of optional
//! fields, JSON → Record → JSON → Record is stable.

use proptest::prelude::*;
use qantar_model::Record;
use serde_json::{Map, Value, json};

fn maybe(key: &'static str, values: Vec<Value>) -> impl Strategy<Value = Option<(String, Value)>> {
    proptest::option::of(proptest::sample::select(values))
        .prop_map(move |v| v.map(|v| (key.to_owned(), v)))
}

fn dates() -> Vec<Value> {
    [
        "2022",
        "2022-01",
        "2022-01-05",
        "early 2022-02",
        "about late 2022-01",
        "2022-01-08/..",
        "../2022-02",
        "2022-01-08/early 2022-02",
    ]
    .into_iter()
    .map(Value::from)
    .collect()
}

fn texts() -> Vec<Value> {
    vec![
        json!("plain"),
        json!({"en": "English"}),
        json!({"ru": "Русский", "kk": "Қазақша"}),
        json!({"en": "a", "ru": "б", "kk": "ә"}),
    ]
}

fn refs() -> Vec<Value> {
    vec![
        json!("p1"),
        json!("almaty.site-2"),
        json!("0194f3b2-7c1e-7a00-8000-000000000001"),
    ]
}

fn terms(list: &[&str]) -> Vec<Value> {
    list.iter().map(|t| Value::from(*t)).collect()
}

fn subset(list: &'static [&'static str]) -> impl Strategy<Value = Value> {
    proptest::sample::subsequence(list, 0..=list.len()).prop_map(|v| json!(v))
}

fn citations() -> impl Strategy<Value = Value> {
    proptest::collection::vec(
        prop_oneof![
            Just(json!("s1")),
            Just(json!({"source": "s2", "locator": "p. 4"})),
            Just(json!({"source": "s3", "note": {"kk": "ескерту"}})),
        ],
        1..3,
    )
    .prop_map(|mut v| {
        v.dedup();
        Value::Array(v)
    })
}

fn object(base: Value, fields: Vec<Option<(String, Value)>>) -> Value {
    let mut m: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
    for (k, v) in fields.into_iter().flatten() {
        m.insert(k, v);
    }
    Value::Object(m)
}

fn act() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(terms(&["killing", "injury", "torture", "detention"])),
        proptest::sample::select(refs()),
        citations(),
        maybe("date", dates()),
        maybe("place", refs()),
        maybe("event", refs()),
        maybe("description", texts()),
        maybe("notes", texts()),
        maybe("confidentiality", terms(&["public", "restricted", "confidential"])),
        subset(&["live_ammunition", "beating", "tear_gas"]),
        subset(&["coma", "death"]),
    )
        .prop_map(|(t, victim, sources, date, place, event, description, notes, conf, means, outcomes)| {
            object(
                json!({"kind": "act", "act_type": t, "victim": victim, "sources": sources, "means": means, "outcomes": outcomes}),
                vec![date, place, event, description, notes, conf],
            )
        })
}

fn claim() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(terms(&["killed", "detained", "crowd_size", "economic_loss_usd"])),
        proptest::sample::select(terms(&["238", "4,500", "about 10,000", "more than 4,500", "at least 3,000", "fewer than 50", "at most 20", "15–18"])),
        citations(),
        maybe("period", dates()),
        maybe("stated_on", dates()),
        maybe("place", refs()),
        maybe("subject", texts()),
        maybe("claimant", texts()),
        maybe("statement", texts()),
        subset(&["c1", "c2"]),
    )
        .prop_map(|(metric, value, sources, period, stated_on, place, subject, claimant, statement, supersedes)| {
            object(
                json!({"kind": "claim", "claim_type": "count", "metric": metric, "value": value, "sources": sources, "supersedes": supersedes}),
                vec![period, stated_on, place, subject, claimant, statement],
            )
        })
}

fn proceeding() -> impl Strategy<Value = Value> {
    let step = (
        proptest::sample::select(terms(&["filed", "opened", "closed", "pending"])),
        maybe("note", texts()),
    )
        .prop_map(|(status, note)| object(json!({"status": status}), vec![note]));
    (
        proptest::collection::vec(step, 1..4),
        citations(),
        maybe("title", texts()),
        maybe("charge", texts()),
        subset(&["a1", "a2"]),
    )
        .prop_map(|(history, sources, title, charge, acts)| {
            object(
                json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": history, "sources": sources, "acts": acts}),
                vec![title, charge],
            )
        })
}

proptest! {
    #[test]
    fn json_record_json_is_stable(v in prop_oneof![act(), claim(), proceeding()]) {
        let first = Record::from_json(&v, &mut uuid::Uuid::now_v7)
            .map_err(|e| TestCaseError::fail(format!("{v}\n{e}")))?;
        let json = first.to_json();
        let second = Record::from_json(&json, &mut uuid::Uuid::now_v7)
            .map_err(|e| TestCaseError::fail(format!("{json}\n{e}")))?;
        prop_assert_eq!(&second, &first);
        prop_assert_eq!(second.to_json(), json);
    }
}
