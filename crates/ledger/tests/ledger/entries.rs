//! Canonical entry bytes: key order, round trips, refusal of anything else.

use proptest::prelude::*;
use qantar_ledger::{Entry, EntryError, canonical_json, leaf_hash};
use serde_json::{Value, json};

fn sample() -> Entry {
    Entry {
        seq: 12,
        time: "2026-11-22T07:23:00.123Z".into(),
        author: "aigerim".into(),
        kind: "person.recorded".into(),
        record: Some("0190c9a4-5f3e-7a2b-8c1d-2e3f4a5b6c7d".into()),
        confidentiality: "restricted".into(),
        // Insertion order deliberately unsorted (preserve_order is on).
        payload: json!({
            "names": [{"value": "Ермек Абдрешев", "lang": "kk", "script": "Cyrl"}],
            "kind": "person",
            "age": 38,
            "status": "killed",
            "ratio": 0.5,
        }),
    }
}

#[test]
fn entry_bytes_have_sorted_keys_and_no_whitespace() {
    let bytes = sample().canonical_bytes();
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert_eq!(
        text,
        concat!(
            r#"{"author":"aigerim","confidentiality":"restricted","kind":"person.recorded","#,
            r#""payload":{"age":38,"kind":"person","names":[{"lang":"kk","script":"Cyrl","value":"Ермек Абдрешев"}],"#,
            r#""ratio":0.5,"status":"killed"},"record":"0190c9a4-5f3e-7a2b-8c1d-2e3f4a5b6c7d","#,
            r#""seq":12,"time":"2026-11-22T07:23:00.123Z","v":1}"#
        )
    );
    assert_eq!(sample().leaf_hash(), leaf_hash(&bytes));
}

#[test]
fn record_is_omitted_when_none() {
    let mut e = sample();
    e.record = None;
    let text = String::from_utf8(e.canonical_bytes()).expect("UTF-8");
    assert!(!text.contains("\"record\""), "{text}");
    assert_eq!(Entry::from_canonical_bytes(text.as_bytes()), Ok(e));
}

#[test]
fn keys_sort_by_utf8_bytes_not_by_utf16_or_locale() {
    // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts after U+1F600 (4 bytes, F0 9F
    // 98 80) by bytes, but before it in UTF-16 code units (D83D…).
    let v = json!({"\u{1F600}": 1, "\u{FF21}": 2, "b": 3, "B": 4, "a": 5, "é": 6});
    let text = String::from_utf8(canonical_json(&v)).expect("UTF-8");
    assert_eq!(text, "{\"B\":4,\"a\":5,\"b\":3,\"é\":6,\"Ａ\":2,\"😀\":1}");
}

#[test]
fn strings_are_escaped_minimally() {
    let v = json!("q\"b\\s/\u{7f}\u{1}\n\t\r\u{8}\u{c}\u{1f}ü");
    let text = String::from_utf8(canonical_json(&v)).expect("UTF-8");
    assert_eq!(text, "\"q\\\"b\\\\s/\u{7f}\\u0001\\n\\t\\r\\b\\f\\u001fü\"");
}

#[test]
fn round_trip() {
    let e = sample();
    let back = Entry::from_canonical_bytes(&e.canonical_bytes()).expect("canonical");
    assert_eq!(back, e);
    assert_eq!(back.canonical_bytes(), e.canonical_bytes());
}

fn refuse(text: &str) -> EntryError {
    match Entry::from_canonical_bytes(text.as_bytes()) {
        Ok(e) => panic!("accepted {text}: {e:?}"),
        Err(err) => err,
    }
}

#[test]
fn non_canonical_bytes_are_refused() {
    let good = String::from_utf8(sample().canonical_bytes()).expect("UTF-8");
    assert!(Entry::from_canonical_bytes(good.as_bytes()).is_ok());

    let variants = [
        format!("{good}\n"),
        format!(" {good}"),
        good.replacen("\"author\":", "\"author\": ", 1),
        good.replacen(",\"confidentiality\"", ", \"confidentiality\"", 1),
        // Swapped key order.
        good.replacen(
            r#""author":"aigerim","confidentiality":"restricted""#,
            r#""confidentiality":"restricted","author":"aigerim""#,
            1,
        ),
        // Needless escapes.
        good.replacen("aigerim", "\\u0061igerim", 1),
        good.replacen("aigerim", "aig\\/erim", 1),
        // Other spellings of the same numbers.
        good.replacen("\"age\":38", "\"age\":38.00", 1),
        good.replacen("\"age\":38", "\"age\":3.8e1", 1),
        good.replacen("\"ratio\":0.5", "\"ratio\":0.50", 1),
        good.replacen("\"ratio\":0.5", "\"ratio\":5e-1", 1),
        good.replacen("\"seq\":12", "\"seq\":012", 1),
        // A duplicate key (the last would win when parsing).
        good.replacen(
            "\"author\":\"aigerim\"",
            "\"author\":\"x\",\"author\":\"aigerim\"",
            1,
        ),
    ];
    for bad in &variants {
        assert_ne!(bad, &good, "variant did not change anything");
        let err = refuse(bad);
        assert!(
            matches!(err, EntryError::NotCanonical { .. } | EntryError::Json(_)),
            "{bad}: {err}"
        );
    }
}

#[test]
fn version_fields_and_types_are_checked() {
    let good = String::from_utf8(sample().canonical_bytes()).expect("UTF-8");
    assert!(matches!(
        refuse(&good.replacen("\"v\":1", "\"v\":2", 1)),
        EntryError::UnknownVersion { .. }
    ));
    assert!(matches!(
        refuse(&good.replacen(",\"v\":1", "", 1)),
        EntryError::MissingField("v")
    ));
    assert!(matches!(
        refuse(&good.replacen("\"author\":\"aigerim\",", "", 1)),
        EntryError::MissingField("author")
    ));
    assert!(matches!(
        refuse(&good.replacen("\"seq\":12", "\"seq\":\"12\"", 1)),
        EntryError::WrongType { field: "seq", .. }
    ));
    assert!(matches!(
        refuse(&good.replacen("\"seq\":12", "\"seq\":-1", 1)),
        EntryError::WrongType { field: "seq", .. }
    ));
    assert!(matches!(
        refuse(&good.replacen(
            "\"record\":\"0190c9a4-5f3e-7a2b-8c1d-2e3f4a5b6c7d\"",
            "\"record\":null",
            1
        )),
        EntryError::WrongType {
            field: "record",
            ..
        }
    ));
    assert!(matches!(
        refuse(&good.replacen("\"v\":1", "\"v\":1,\"zz\":0", 1)),
        EntryError::UnknownField(f) if f == "zz"
    ));
    assert_eq!(refuse("[1]"), EntryError::NotAnObject);
    assert!(matches!(refuse("{"), EntryError::Json(_)));
}

#[test]
fn validation_rules() {
    assert_eq!(sample().validate(), Ok(()));
    type Mutation = fn(&mut Entry);
    let cases: [(&str, Mutation); 6] = [
        ("time", |e| e.time = "2026-11-22T07:23:00Z".into()),
        ("author", |e| e.author = "  ".into()),
        ("kind", |e| e.kind = "Person Recorded".into()),
        ("record", |e| e.record = Some("p-ermek".into())),
        ("confidentiality", |e| e.confidentiality = "secret".into()),
        ("confidentiality", |e| e.confidentiality = "Public".into()),
    ];
    for (field, mutate) in cases {
        let mut e = sample();
        mutate(&mut e);
        match e.validate() {
            Err(EntryError::InvalidField { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
        // Invalid entries still round-trip: nothing written becomes unreadable.
        assert_eq!(Entry::from_canonical_bytes(&e.canonical_bytes()), Ok(e));
    }
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Canonical bytes parse back to an equal value, re-encode identically,
    /// and are byte-for-byte what serde_json would write after sorting keys.
    #[test]
    fn canonical_json_round_trips(v in json_value()) {
        let bytes = canonical_json(&v);
        let back: Value = serde_json::from_slice(&bytes).expect("canonical JSON parses");
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(canonical_json(&back), bytes.clone());
        prop_assert_eq!(bytes, serde_json::to_vec(&sorted(&v)).expect("serialisable"));
    }

    #[test]
    fn entries_round_trip(
        seq in any::<u64>(),
        author in any::<String>(),
        kind in any::<String>(),
        record in proptest::option::of(any::<String>()),
        payload in json_value(),
    ) {
        let e = Entry {
            seq, time: "2022-01-05T23:59:59.999Z".into(), author, kind, record,
            confidentiality: "public".into(), payload,
        };
        let bytes = e.canonical_bytes();
        prop_assert_eq!(Entry::from_canonical_bytes(&bytes), Ok(e));
    }
}

/// An independent route to the same bytes: rebuild every object with keys
/// inserted in sorted order and let serde_json (preserve_order) write it.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}
