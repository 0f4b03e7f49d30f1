//! Records through their JSON contract: round trips for every kind, every
//! class of error naming the right field, references and index fields.

use qantar_model::{
    Body, CivilDate, Confidentiality, FieldErrors, Kind, Record, Reference, allowed_fields,
};
use serde_json::{Value, json};

const ID: &str = "0194f3b2-7c1e-7a00-8000-00000000000a";

fn minted() -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0194_f3b2_7c1e_7a00_8000_0000_0000_00ff)
}

fn parse(v: &Value) -> Result<Record, FieldErrors> {
    Record::from_json(v, &mut minted)
}

fn ok(v: Value) -> Record {
    parse(&v).unwrap_or_else(|e| panic!("{v}\n{e}"))
}

fn errors(v: Value) -> FieldErrors {
    match parse(&v) {
        Ok(r) => panic!("accepted: {v}\nas {r:?}"),
        Err(e) => e,
    }
}

/// Asserts that the record is refused with an error on `field` whose
/// message contains `needle`.
fn refused(v: Value, field: &str, needle: &str) {
    let e = errors(v.clone());
    assert!(
        e.iter()
            .any(|x| x.field == field && x.reason.contains(needle)),
        "expected an error on {field} containing {needle:?} for {v}\ngot:\n{e}"
    );
}

/// A full record of every kind, every field used, written in the order
/// `to_json` writes it, so that JSON → Record → JSON is the identity.
fn full_records() -> Vec<Value> {
    vec![
        json!({
            "kind": "person", "id": ID, "ref": "p-ermek-abdreshev", "confidentiality": "public",
            "names": [
                {"value": "Ермек Абдрешев", "lang": "kk", "script": "Cyrl", "given": "Ермек", "surname": "Абдрешев"},
                {"value": "Ermek Abdreshev", "lang": "en", "script": "Latn", "variant": true, "source": "s1"},
                {"value": "Ермек Абдрешев Серікұлы", "patronymic": "Серікұлы"}
            ],
            "sex": "male", "birth_date": "about 1984", "age": 37, "age_as_of": "2022-01",
            "occupation": {"en": "mechanic", "ru": "механик", "kk": "механик"},
            "residence": "almaty", "roles": ["victim", "witness"], "status": "alive",
            "portrait": "portrait-ermek.jpg",
            "sources": ["s1", {"source": "s2", "locator": "p. 4", "note": "quoted at length"}],
            "notes": "Interviewed twice."
        }),
        json!({
            "kind": "event", "id": ID, "ref": "e-shymkent-city-hall", "confidentiality": "restricted",
            "title": {"en": "Shooting at Shymkent city hall", "ru": "Стрельба у акимата Шымкента"},
            "description": "Security forces fired on the crowd.",
            "date": "2022-01-05/2022-01-06", "place": "shymkent-city-hall", "parent": "e-shymkent",
            "sources": ["s2"]
        }),
        json!({
            "kind": "act", "id": ID, "ref": "a1", "confidentiality": "confidential",
            "act_type": "injury", "victim": "p-ermek-abdreshev", "date": "2022-01-05",
            "place": "almaty-nazarbayev-kurmangazy", "event": "e-almaty",
            "means": ["rubber_bullet"], "outcomes": ["coma", "blindness"],
            "perpetrators": [
                {"description": {"en": "police"}},
                {"person": "p-officer", "unit": "Almaty police department"}
            ],
            "description": "Shot in the face at close range.",
            "sources": ["s1"], "notes": {"ru": "Проверить дату."}
        }),
        json!({
            "kind": "place", "id": ID, "ref": "almaty", "confidentiality": "public",
            "name": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "place_type": "city",
            "parent": "kazakhstan", "lat": 43.238949, "lon": 76.889709,
            "sources": ["s1"]
        }),
        json!({
            "kind": "source", "id": ID, "ref": "s1", "confidentiality": "public",
            "source_kind": "media_report", "title": {"en": "They shot at us"},
            "author": "Azattyq", "url": "https://example.org/article", "published": "2022-03",
            "received": "mid 2022-03", "language": "ru", "reliability": "probable",
            "reported_in": "s0"
        }),
        json!({
            "kind": "claim", "id": ID, "ref": "c-killed-238", "confidentiality": "public",
            "claim_type": "count", "metric": "killed", "value": "more than 4,500",
            "statement": "\"more than 4,500 injured\"", "subject": "civilians",
            "claimant": "Ministry of Health", "place": "kazakhstan", "period": "2022-01",
            "stated_on": "2022-01-15", "about": ["e-almaty", "p-ermek-abdreshev"],
            "supersedes": ["c-old"], "retracts": ["c-wrong"],
            "sources": ["s2"]
        }),
        json!({
            "kind": "proceeding", "id": ID, "ref": "pr-ermek-torture", "confidentiality": "restricted",
            "proceeding_kind": "complaint", "title": "Torture complaint",
            "persons": [{"person": "p-ermek-abdreshev", "role": "complainant"}],
            "authority": {"en": "Anti-Corruption Agency"}, "charge": "torture (art. 146)",
            "acts": ["a1", "a2"],
            "status_history": [
                {"status": "filed", "date": "2022-02"},
                {"status": "under_investigation"},
                {"status": "not_pursued", "date": "late 2022-08", "note": "No reply given."}
            ],
            "sources": ["s1"]
        }),
        json!({
            "kind": "relationship", "id": ID, "ref": "r1", "confidentiality": "restricted",
            "relation": "sister", "from": "p-elmira", "to": "p-ruslan",
            "sources": ["s1"]
        }),
        json!({
            "kind": "relationship", "id": ID, "confidentiality": "restricted",
            "relation": "member_of_unit", "from": "p-officer", "to_unit": "Almaty police department",
            "sources": ["s1"]
        }),
        json!({
            "kind": "list_entry", "id": ID, "ref": "le-gp-12", "confidentiality": "restricted",
            "row": 12,
            "values": {"Фамилия": "Оналтаев", "Имя": "Багдат", "Возраст": "37", "Город": "Алматы"},
            "fields": {"surname": "Оналтаев", "given": "Багдат", "age": "37", "place": "Алматы"},
            "place": "almaty", "act_type": "killing", "date": "2022-01-06", "status": "killed",
            "sources": [{"source": "s-gp-list", "locator": "row 12"}]
        }),
        json!({
            "kind": "link_decision", "id": ID, "confidentiality": "restricted",
            "left": "le-gp-12", "right": "p-bagdat-onaltayev", "verdict": "same",
            "reason": {"en": "Same age and city; the list spells the surname the Russian way."}
        }),
        json!({
            "kind": "consent", "id": ID, "confidentiality": "restricted",
            "subject": "s-testimony-7", "audience": "partners", "identity": "anonymised",
            "given_on": "2022-03-01", "withdrawn_on": "2023-01-15",
            "partners": "Kadyr-Kassiet", "method": "recorded",
            "notes": "Withdrawn by phone."
        }),
        json!({
            "kind": "person", "id": ID, "confidentiality": "public", "derived_from": "p-ermek-abdreshev",
            "names": [{"value": "Name withheld", "lang": "en"}],
            "sex": "male", "roles": ["victim"],
            "sources": ["s1"]
        }),
    ]
}

#[test]
fn consent_records_are_checked() {
    let why = |v: Value| errors(v).to_string();
    let base = json!({"kind": "consent", "subject": "p1", "audience": "public",
        "identity": "named", "given_on": "2023-02-01"});
    // Needs no source, and is restricted by default.
    let r = ok(base.clone());
    assert_eq!(r.confidentiality, Confidentiality::Restricted);
    assert_eq!(r.index().type_term.as_deref(), Some("public"));
    let refs = r.references();
    assert_eq!(refs.len(), 1);
    assert!(refs[0].accepts(Kind::Person) && refs[0].accepts(Kind::Source));
    assert!(!refs[0].accepts(Kind::Act));
    assert_eq!(refs[0].wanted(), "person or source");
    let with = |k: &str, v: Value| {
        let mut x = base.clone();
        x[k] = v;
        x
    };
    let e = why(with("confidentiality", json!("public")));
    assert!(
        e.contains("confidentiality") && e.contains("never published"),
        "{e}"
    );
    let e = why(with("confidentiality", json!("confidential")));
    assert!(e.contains("confidentiality"), "{e}");
    let e = why(with("audience", json!("everyone")));
    assert!(e.contains("audience") && e.contains("partners"), "{e}");
    let e = why(with("identity", json!("pseudonym")));
    assert!(e.contains("identity") && e.contains("anonymised"), "{e}");
    let e = why(with("given_on", json!("2023-02")));
    assert!(e.contains("given_on") && e.contains("not a day"), "{e}");
    let e = why(with("withdrawn_on", json!("2023-01-31")));
    assert!(e.contains("withdrawn_on") && e.contains("before"), "{e}");
    let e = why(with("partners", json!("Kadyr-Kassiet")));
    assert!(e.contains("partners") && e.contains("audience"), "{e}");
    let e = why(with("derived_from", json!("c0")));
    assert!(e.contains("derived_from"), "{e}");
    let mut missing = base.clone();
    missing.as_object_mut().unwrap().remove("subject");
    assert!(why(missing).contains("subject"));
}

#[test]
fn derived_from_names_a_record_of_the_same_kind() {
    let r = ok(
        json!({"kind": "person", "ref": "p-anon", "derived_from": "p-real",
        "names": [{"value": "Witness A"}], "sources": ["s1"]}),
    );
    assert_eq!(r.derived_from.as_deref(), Some("p-real"));
    let refs = r.references();
    assert_eq!(refs[0].field, "derived_from");
    assert_eq!(refs[0].expected, Some(Kind::Person));
    let e = errors(
        json!({"kind": "person", "ref": "p-anon", "derived_from": "p-anon",
        "names": [{"value": "Witness A"}], "sources": ["s1"]}),
    )
    .to_string();
    assert!(e.contains("derived from itself"), "{e}");
}

#[test]
fn list_entries_and_link_decisions_are_checked() {
    let why = |v: Value| errors(v).to_string();
    // A row with nothing in it is no entry.
    let e = why(json!({"kind": "list_entry", "sources": ["s1"]}));
    assert!(e.contains("values"), "{e}");
    // Mapped fields must be fields linkage knows; the message lists them.
    let e = why(json!({"kind": "list_entry", "sources": ["s1"], "fields": {"nickname": "Bake"}}));
    assert!(
        e.contains("fields.nickname") && e.contains("surname"),
        "{e}"
    );
    // Cells are text; a nested object is a mistake.
    let e = why(json!({"kind": "list_entry", "sources": ["s1"], "values": {"a": {"b": 1}}}));
    assert!(e.contains("values.a"), "{e}");
    // A list entry states facts, so it names its list.
    let e = why(json!({"kind": "list_entry", "values": {"a": "b"}}));
    assert!(e.contains("sources"), "{e}");
    // Text columns are accepted under text:<name>, and numbers are kept as written.
    let r = ok(json!({"kind": "list_entry", "sources": ["s1"],
        "values": {"Возраст": 37}, "fields": {"text:occupation": "driver", "age": "37"}}));
    let Body::ListEntry(le) = &r.body else {
        panic!("not a list entry")
    };
    assert_eq!(le.values, [("Возраст".to_owned(), "37".to_owned())]);
    assert_eq!(le.field("text:occupation"), Some("driver"));
    assert_eq!(r.label("en"), "unnamed");

    let e = why(json!({"kind": "link_decision", "left": "a", "right": "a", "verdict": "same"}));
    assert!(e.contains("right") && e.contains("itself"), "{e}");
    let e = why(json!({"kind": "link_decision", "left": "a", "right": "b", "verdict": "maybe"}));
    assert!(e.contains("verdict") && e.contains("unsure"), "{e}");
    // A decision is the reviewer's own judgement: no source needed.
    let r = ok(json!({"kind": "link_decision", "left": "a", "right": "b", "verdict": "different"}));
    assert_eq!(r.index().type_term.as_deref(), Some("different"));
    assert_eq!(r.references().len(), 2);
}

#[test]
fn every_kind_round_trips_json_to_record_to_json() {
    let mut kinds = Vec::new();
    for v in full_records() {
        let r = ok(v.clone());
        kinds.push(r.kind());
        let back = r.to_json();
        assert_eq!(back, v, "JSON → Record → JSON changed the record");
        // Key order is part of the contract for readers: kind and id first.
        let keys: Vec<&String> = back
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys[..2], ["kind", "id"]);
        assert_eq!(ok(back), r, "Record → JSON → Record changed the record");
    }
    for k in Kind::ALL {
        assert!(kinds.contains(&k), "no round-trip example for {k}");
    }
}

#[test]
fn minimal_records_get_defaults_and_round_trip() {
    let cases = [
        json!({"kind": "person", "names": [{"value": "Daniyar Irgaliyev"}], "sources": ["s1"]}),
        json!({"kind": "event", "title": "Protest in Taraz", "date": "2022-01-04", "sources": ["s2"]}),
        json!({"kind": "act", "act_type": "torture", "victim": "p1", "sources": ["s1"]}),
        json!({"kind": "place", "name": {"kk": "Тараз"}, "place_type": "city"}),
        json!({"kind": "source", "source_kind": "official_statement", "title": "Briefing"}),
        json!({"kind": "claim", "claim_type": "fact", "statement": "The morgue was attacked.", "sources": ["s1"]}),
        json!({"kind": "proceeding", "proceeding_kind": "amnesty", "status_history": [{"status": "amnestied"}], "sources": ["s1"]}),
        json!({"kind": "relationship", "relation": "father", "from": "p1", "to": "p2", "sources": ["s1"]}),
    ];
    for v in cases {
        let mut calls = 0;
        let r = Record::from_json(&v, &mut || {
            calls += 1;
            minted()
        })
        .unwrap_or_else(|e| panic!("{v}\n{e}"));
        assert_eq!(
            calls, 1,
            "mint must be called exactly once when id is absent"
        );
        assert_eq!(r.id, minted());
        assert_eq!(r.confidentiality, Confidentiality::Restricted);
        let out = r.to_json();
        assert_eq!(out["id"], json!(minted().to_string()));
        assert_eq!(out["confidentiality"], json!("restricted"));
        assert_eq!(ok(out), r);
    }
}

#[test]
fn mint_is_not_called_when_id_is_given_or_record_is_invalid() {
    let mut calls = 0;
    let mut mint = || {
        calls += 1;
        minted()
    };
    let with_id = json!({"kind": "place", "id": ID, "name": "X", "place_type": "city"});
    let r = Record::from_json(&with_id, &mut mint);
    assert_eq!(r.map(|r| r.id.to_string()), Ok(ID.to_owned()));
    let invalid = json!({"kind": "place", "name": "X"});
    assert!(Record::from_json(&invalid, &mut mint).is_err());
    assert_eq!(calls, 0);
}

#[test]
fn testimony_and_confidential_documents_default_to_confidential() {
    for (source_kind, expected) in [
        ("testimony", Confidentiality::Confidential),
        ("confidential_document", Confidentiality::Confidential),
        ("media_report", Confidentiality::Restricted),
    ] {
        let r = ok(json!({"kind": "source", "source_kind": source_kind, "title": "T"}));
        assert_eq!(r.confidentiality, expected, "{source_kind}");
    }
    // An explicit level wins over the default.
    let r = ok(
        json!({"kind": "source", "source_kind": "testimony", "title": "T", "confidentiality": "restricted"}),
    );
    assert_eq!(r.confidentiality, Confidentiality::Restricted);
}

#[test]
fn a_place_name_given_as_plain_text_is_english() {
    let r = ok(json!({"kind": "place", "name": "Taraz", "place_type": "city"}));
    let Body::Place(p) = &r.body else {
        panic!("not a place")
    };
    assert_eq!(p.name.get("en"), Some("Taraz"));
    assert_eq!(r.to_json()["name"], json!({"en": "Taraz"}));
}

#[test]
fn explicit_nulls_count_as_absent() {
    let r = ok(
        json!({"kind": "person", "names": [{"value": "A", "lang": null, "script": null}], "sex": null, "sources": ["s1"]}),
    );
    assert_eq!(ok(r.to_json()), r);
    refused(
        json!({"kind": "event", "title": null, "date": "2022", "sources": ["s1"]}),
        "title",
        "required for an event",
    );
}

// ---- errors -------------------------------------------------------------------

#[test]
fn the_record_itself_and_its_kind_are_checked() {
    refused(json!([1]), "record", "expected a record object");
    refused(json!({"names": []}), "kind", "required");
    refused(json!({"kind": "victim"}), "kind", "unknown kind \"victim\"");
    refused(
        json!({"kind": "persons"}),
        "kind",
        "write the singular: \"person\"",
    );
    refused(json!({"kind": 3}), "kind", "expected a string");
}

#[test]
fn unknown_fields_are_refused_at_every_level() {
    refused(
        json!({"kind": "person", "names": [{"value": "A"}], "victim": "p1", "sources": ["s1"]}),
        "victim",
        "a person has no field \"victim\"",
    );
    refused(
        json!({"kind": "person", "names": [{"value": "A", "nickname": "B"}], "sources": ["s1"]}),
        "names[0].nickname",
        "unknown field",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "sources": [{"source": "s1", "page": 4}]}),
        "sources[0].page",
        "unknown field",
    );
    refused(
        json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": [{"status": "filed", "when": "2022"}], "sources": ["s1"]}),
        "status_history[0].when",
        "unknown field",
    );
    // Every kind's field list is what the contract names, plus the common fields.
    assert_eq!(allowed_fields(Kind::Relationship).len(), 7 + 4);
}

#[test]
fn required_fields_of_every_kind_are_named() {
    let cases = [
        (json!({"kind": "person", "sources": ["s1"]}), "names"),
        (
            json!({"kind": "person", "names": [], "sources": ["s1"]}),
            "names",
        ),
        (
            json!({"kind": "person", "names": [{"lang": "kk"}], "sources": ["s1"]}),
            "names[0].value",
        ),
        (
            json!({"kind": "event", "date": "2022", "sources": ["s1"]}),
            "title",
        ),
        (
            json!({"kind": "event", "title": "T", "sources": ["s1"]}),
            "date",
        ),
        (
            json!({"kind": "act", "victim": "p1", "sources": ["s1"]}),
            "act_type",
        ),
        (
            json!({"kind": "act", "act_type": "injury", "sources": ["s1"]}),
            "victim",
        ),
        (json!({"kind": "place", "place_type": "city"}), "name"),
        (json!({"kind": "place", "name": "X"}), "place_type"),
        (json!({"kind": "source", "title": "T"}), "source_kind"),
        (json!({"kind": "source", "source_kind": "list"}), "title"),
        (
            json!({"kind": "claim", "metric": "killed", "value": "3", "sources": ["s1"]}),
            "claim_type",
        ),
        (
            json!({"kind": "claim", "claim_type": "count", "value": "3", "sources": ["s1"]}),
            "metric",
        ),
        (
            json!({"kind": "claim", "claim_type": "count", "metric": "killed", "sources": ["s1"]}),
            "value",
        ),
        (
            json!({"kind": "claim", "claim_type": "fact", "sources": ["s1"]}),
            "statement",
        ),
        (
            json!({"kind": "proceeding", "status_history": [{"status": "filed"}], "sources": ["s1"]}),
            "proceeding_kind",
        ),
        (
            json!({"kind": "proceeding", "proceeding_kind": "complaint", "sources": ["s1"]}),
            "status_history",
        ),
        (
            json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": [], "sources": ["s1"]}),
            "status_history",
        ),
        (
            json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": [{"date": "2022"}], "sources": ["s1"]}),
            "status_history[0].status",
        ),
        (
            json!({"kind": "proceeding", "proceeding_kind": "complaint", "persons": [{"role": "victim"}], "status_history": [{"status": "filed"}], "sources": ["s1"]}),
            "persons[0].person",
        ),
        (
            json!({"kind": "relationship", "from": "p1", "to": "p2", "sources": ["s1"]}),
            "relation",
        ),
        (
            json!({"kind": "relationship", "relation": "father", "to": "p2", "sources": ["s1"]}),
            "from",
        ),
        (
            json!({"kind": "relationship", "relation": "father", "from": "p1", "sources": ["s1"]}),
            "to",
        ),
        (
            json!({"kind": "act", "act_type": "injury", "victim": "p1", "sources": [{"locator": "p. 4"}]}),
            "sources[0].source",
        ),
    ];
    for (v, field) in cases {
        refused(v, field, "");
    }
}

#[test]
fn every_fact_needs_a_source_but_sources_and_places_do_not() {
    let bare = [
        json!({"kind": "person", "names": [{"value": "A"}]}),
        json!({"kind": "event", "title": "T", "date": "2022"}),
        json!({"kind": "act", "act_type": "injury", "victim": "p1"}),
        json!({"kind": "claim", "claim_type": "fact", "statement": "S"}),
        json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": [{"status": "filed"}]}),
        json!({"kind": "relationship", "relation": "father", "from": "p1", "to": "p2"}),
    ];
    for v in bare {
        let kind = v["kind"].as_str().unwrap_or_default().to_owned();
        refused(
            v.clone(),
            "sources",
            &format!("every {kind} must name at least one source"),
        );
        let mut empty = v;
        empty["sources"] = json!([]);
        refused(empty, "sources", "(add \"sources\": [\"<source ref>\"])");
    }
    ok(json!({"kind": "source", "source_kind": "list", "title": "T"}));
    ok(json!({"kind": "place", "name": "X", "place_type": "site"}));
}

#[test]
fn vocabulary_terms_are_checked_with_the_accepted_list() {
    refused(
        json!({"kind": "act", "act_type": "shootin", "victim": "p1", "sources": ["s1"]}),
        "act_type",
        "unknown term \"shootin\"; expected one of: killing, injury,",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "means": ["baton", "spear"], "sources": ["s1"]}),
        "means[1]",
        "unknown term \"spear\"",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "outcomes": "coma", "sources": ["s1"]}),
        "outcomes",
        "expected a list",
    );
    refused(
        json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": [{"status": "filed"}, {"status": "opened"}, {"status": "lost"}], "sources": ["s1"]}),
        "status_history[2].status",
        "unknown term \"lost\"",
    );
    refused(
        json!({"kind": "proceeding", "proceeding_kind": "complaint", "persons": [{"person": "p1", "role": "judge"}], "status_history": [{"status": "filed"}], "sources": ["s1"]}),
        "persons[0].role",
        "unknown term \"judge\"",
    );
    refused(
        json!({"kind": "person", "names": [{"value": "A", "lang": "de"}], "sex": "m", "roles": ["hero"], "status": "fine", "sources": ["s1"]}),
        "names[0].lang",
        "expected one of: kk, ru, en",
    );
    for (field, term) in [
        ("sex", "\"m\""),
        ("roles[0]", "\"hero\""),
        ("status", "\"fine\""),
    ] {
        refused(
            json!({"kind": "person", "names": [{"value": "A"}], "sex": "m", "roles": ["hero"], "status": "fine", "sources": ["s1"]}),
            field,
            &format!("unknown term {term}"),
        );
    }
    refused(
        json!({"kind": "person", "names": [{"value": "A", "script": "Cyrillic"}], "sources": ["s1"]}),
        "names[0].script",
        "Cyrl, Latn",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "oblast"}),
        "place_type",
        "unknown term",
    );
    refused(
        json!({"kind": "source", "source_kind": "rumour", "title": "T"}),
        "source_kind",
        "unknown term",
    );
    refused(
        json!({"kind": "source", "source_kind": "list", "title": "T", "reliability": "high"}),
        "reliability",
        "unknown term",
    );
    refused(
        json!({"kind": "claim", "claim_type": "count", "metric": "dead", "value": "3", "sources": ["s1"]}),
        "metric",
        "unknown term \"dead\"",
    );
    refused(
        json!({"kind": "claim", "claim_type": "estimate", "sources": ["s1"]}),
        "claim_type",
        "expected one of: count, fact",
    );
    refused(
        json!({"kind": "relationship", "relation": "cousin", "from": "p1", "to": "p2", "sources": ["s1"]}),
        "relation",
        "unknown term",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "confidentiality": "secret"}),
        "confidentiality",
        "public, restricted, confidential",
    );
}

#[test]
fn dates_counts_and_numbers_are_checked() {
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "date": "5 January 2022", "sources": ["s1"]}),
        "date",
        "is not a date; write \"2022\"",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "date": "2022-02-29", "sources": ["s1"]}),
        "date",
        "February 2022 has 28 days",
    );
    refused(
        json!({"kind": "event", "title": "T", "date": "2022-02/2022-01", "sources": ["s1"]}),
        "date",
        "ends before it starts",
    );
    refused(
        json!({"kind": "event", "title": "T", "date": 2022, "sources": ["s1"]}),
        "date",
        "write \"2022\" in quotes",
    );
    refused(
        json!({"kind": "person", "names": [{"value": "A"}], "birth_date": "1984-13", "sources": ["s1"]}),
        "birth_date",
        "no month 13",
    );
    refused(
        json!({"kind": "claim", "claim_type": "count", "metric": "killed", "value": "many", "sources": ["s1"]}),
        "value",
        "is not a count",
    );
    refused(
        json!({"kind": "claim", "claim_type": "count", "metric": "killed", "value": 238, "sources": ["s1"]}),
        "value",
        "write \"238\" in quotes",
    );
    refused(
        json!({"kind": "claim", "claim_type": "count", "metric": "killed", "value": "18–15", "sources": ["s1"]}),
        "value",
        "ends below where it starts",
    );
    refused(
        json!({"kind": "person", "names": [{"value": "A"}], "age": 37, "sources": ["s1"]}),
        "age_as_of",
        "required when \"age\" is given",
    );
    refused(
        json!({"kind": "person", "names": [{"value": "A"}], "age": 131, "age_as_of": "2022", "sources": ["s1"]}),
        "age",
        "from 0 to 130",
    );
    refused(
        json!({"kind": "person", "names": [{"value": "A"}], "age": "37", "age_as_of": "2022", "sources": ["s1"]}),
        "age",
        "got \"37\"",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "lat": 43.2}),
        "lon",
        "give both",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "lon": 76.9}),
        "lat",
        "give both",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "lat": 91, "lon": 0}),
        "lat",
        "-90 to 90",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "lat": 0, "lon": -180.5}),
        "lon",
        "-180 to 180",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "lat": 43.2389491, "lon": 76.9}),
        "lat",
        "more than 6 decimals",
    );
    refused(
        json!({"kind": "place", "name": "X", "place_type": "city", "lat": "43.2", "lon": 76.9}),
        "lat",
        "got \"43.2\"",
    );
    ok(json!({"kind": "place", "name": "X", "place_type": "city", "lat": -90, "lon": 180}));
}

#[test]
fn proceeding_dates_must_not_go_backwards() {
    refused(
        json!({"kind": "proceeding", "proceeding_kind": "criminal_case_against_victim", "status_history": [
            {"status": "opened", "date": "2022-01-20"},
            {"status": "charged"},
            {"status": "closed", "date": "2022-01-10"}
        ], "sources": ["s1"]}),
        "status_history[2].date",
        "before the previous step's date",
    );
    // Overlapping approximate dates are not a contradiction.
    ok(
        json!({"kind": "proceeding", "proceeding_kind": "complaint", "status_history": [
        {"status": "filed", "date": "2022-02"},
        {"status": "refused", "date": "early 2022-02"},
        {"status": "closed", "date": "2022-02/.."}
    ], "sources": ["s1"]}),
    );
}

#[test]
fn texts_refs_ids_and_references_are_checked() {
    refused(
        json!({"kind": "event", "title": "", "date": "2022", "sources": ["s1"]}),
        "title",
        "empty",
    );
    refused(
        json!({"kind": "event", "title": {"de": "Schießerei"}, "date": "2022", "sources": ["s1"]}),
        "title",
        "unknown language key \"de\"",
    );
    refused(
        json!({"kind": "event", "title": 7, "date": "2022", "sources": ["s1"]}),
        "title",
        "expected text",
    );
    refused(
        json!({"kind": "place", "ref": "Almaty", "name": "X", "place_type": "city"}),
        "ref",
        "not a valid ref",
    );
    refused(
        json!({"kind": "place", "ref": ID, "name": "X", "place_type": "city"}),
        "ref",
        "looks like a UUID",
    );
    refused(
        json!({"kind": "place", "ref": "a".repeat(65), "name": "X", "place_type": "city"}),
        "ref",
        "not a valid ref",
    );
    refused(
        json!({"kind": "place", "id": "P-1", "name": "X", "place_type": "city"}),
        "id",
        "not a UUID",
    );
    refused(
        json!({"kind": "place", "id": uuid::Uuid::nil().to_string(), "name": "X", "place_type": "city"}),
        "id",
        "nil UUID",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "Ermek Abdreshev", "sources": ["s1"]}),
        "victim",
        "neither a UUID nor a ref; expected a reference to a person",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "sources": [5]}),
        "sources[0]",
        "expected a citation",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "perpetrators": [{}], "sources": ["s1"]}),
        "perpetrators[0]",
        "at least one of \"person\", \"unit\", \"description\"",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "perpetrators": ["police"], "sources": ["s1"]}),
        "perpetrators[0]",
        "expected an object",
    );
    refused(
        json!({"kind": "source", "source_kind": "list", "title": "T", "url": "see the website"}),
        "url",
        "not a URL",
    );
    refused(
        json!({"kind": "source", "source_kind": "list", "title": "T", "language": "Russian"}),
        "language",
        "not a language tag",
    );
    ok(json!({"kind": "source", "source_kind": "list", "title": "T", "language": "kk-Latn"}));
    refused(
        json!({"kind": "person", "names": [{"value": "A", "variant": "yes"}], "sources": ["s1"]}),
        "names[0].variant",
        "true or false",
    );
}

#[test]
fn structural_rules_that_need_no_other_record() {
    refused(
        json!({"kind": "relationship", "relation": "member_of_unit", "from": "p1", "to": "p2", "to_unit": "Unit 1", "sources": ["s1"]}),
        "to_unit",
        "not both",
    );
    refused(
        json!({"kind": "relationship", "relation": "friend", "from": "p1", "to": "p1", "sources": ["s1"]}),
        "to",
        "related to themselves",
    );
    refused(
        json!({"kind": "place", "ref": "almaty", "name": "X", "place_type": "city", "parent": "almaty"}),
        "parent",
        "its own parent",
    );
    refused(
        json!({"kind": "event", "ref": "e1", "title": "T", "date": "2022", "parent": "e1", "sources": ["s1"]}),
        "parent",
        "its own parent",
    );
    refused(
        json!({"kind": "claim", "ref": "c1", "claim_type": "count", "metric": "killed", "value": "3", "supersedes": ["c0", "c1"], "sources": ["s1"]}),
        "supersedes[1]",
        "cannot name itself",
    );
    refused(
        json!({"kind": "act", "act_type": "injury", "victim": "p1", "means": ["baton", "baton"], "sources": ["s1"]}),
        "means[1]",
        "listed twice",
    );
}

#[test]
fn all_errors_are_reported_at_once() {
    let e = errors(json!({
        "kind": "act", "act_type": "shootin", "date": "2022-02-30", "colour": "red",
        "means": ["spear"], "perpetrators": [{}]
    }));
    for field in [
        "act_type",
        "victim",
        "date",
        "colour",
        "means[0]",
        "perpetrators[0]",
        "sources",
    ] {
        assert!(e.has(field), "no error on {field}:\n{e}");
    }
    assert_eq!(e.len(), 7, "{e}");
    assert_eq!(e.to_string().lines().count(), 7);
}

// ---- references and index -------------------------------------------------------

fn r(field: &str, target: &str, expected: Option<Kind>) -> Reference {
    Reference {
        field: field.into(),
        target: target.into(),
        expected,
        alternatives: &[],
    }
}

#[test]
fn references_list_every_reference_field_with_its_expected_kind() {
    let records: Vec<Record> = full_records().into_iter().map(ok).collect();
    let person = records[0].references();
    assert_eq!(
        person,
        vec![
            r("sources[0]", "s1", Some(Kind::Source)),
            r("sources[1].source", "s2", Some(Kind::Source)),
            r("names[1].source", "s1", Some(Kind::Source)),
            r("residence", "almaty", Some(Kind::Place)),
        ]
    );
    let act = records[2].references();
    assert_eq!(
        act[1..],
        [
            r("victim", "p-ermek-abdreshev", Some(Kind::Person)),
            r("place", "almaty-nazarbayev-kurmangazy", Some(Kind::Place)),
            r("event", "e-almaty", Some(Kind::Event)),
            r("perpetrators[1].person", "p-officer", Some(Kind::Person)),
        ]
    );
    let claim = records[5].references();
    assert!(claim.contains(&r("about[1]", "p-ermek-abdreshev", None)));
    assert!(claim.contains(&r("supersedes[0]", "c-old", Some(Kind::Claim))));
    assert!(claim.contains(&r("retracts[0]", "c-wrong", Some(Kind::Claim))));
    let proceeding = records[6].references();
    assert!(proceeding.contains(&r(
        "persons[0].person",
        "p-ermek-abdreshev",
        Some(Kind::Person)
    )));
    assert!(proceeding.contains(&r("acts[1]", "a2", Some(Kind::Act))));
    assert!(
        records[3]
            .references()
            .contains(&r("parent", "kazakhstan", Some(Kind::Place)))
    );
    assert!(
        records[4]
            .references()
            .contains(&r("reported_in", "s0", Some(Kind::Source)))
    );
    assert!(
        records[1]
            .references()
            .contains(&r("parent", "e-shymkent", Some(Kind::Event)))
    );
    assert!(
        records[7]
            .references()
            .contains(&r("to", "p-ruslan", Some(Kind::Person)))
    );
    // Every reference in the JSON is listed: count the reference-valued strings.
    assert_eq!(records[5].references().len(), 1 + 1 + 2 + 1 + 1);
}

#[test]
fn resolve_references_rewrites_targets_and_collects_errors() {
    let mut act = ok(full_records()[2].clone());
    let mut seen = Vec::new();
    let result = act.resolve_references(&mut |reference| {
        seen.push(reference.field.clone());
        Ok(format!("uuid-of-{}", reference.target))
    });
    assert_eq!(result, Ok(()));
    assert_eq!(seen.len(), act.references().len());
    let Body::Act(a) = &act.body else {
        panic!("not an act")
    };
    assert_eq!(a.victim, "uuid-of-p-ermek-abdreshev");
    assert_eq!(act.sources[0].source, "uuid-of-s1");

    let mut proceeding = ok(full_records()[6].clone());
    let result = proceeding.resolve_references(&mut |reference| match reference.target.as_str() {
        "a2" => Err("unknown reference \"a2\"".to_owned()),
        "p-ermek-abdreshev" => Err("\"p-ermek-abdreshev\" is an act, not a person".to_owned()),
        other => Ok(other.to_owned()),
    });
    let e = result.err().unwrap_or_else(|| FieldErrors(vec![]));
    assert_eq!(e.len(), 2, "{e}");
    assert!(e.has("acts[1]") && e.has("persons[0].person"), "{e}");
}

#[test]
fn index_fields_come_from_the_right_places() {
    let records: Vec<Record> = full_records().into_iter().map(ok).collect();
    let day = |s: &str| s.parse::<CivilDate>().ok();

    let person = records[0].index();
    assert_eq!(person.label, "Ермек Абдрешев");
    assert_eq!(person.place.as_deref(), Some("almaty"));
    assert_eq!(person.status.as_deref(), Some("alive"));

    let event = records[1].index();
    assert_eq!(event.label, "Shooting at Shymkent city hall");
    assert_eq!(
        (event.date_earliest, event.date_latest),
        (day("2022-01-05"), day("2022-01-06"))
    );

    let act = records[2].index();
    assert_eq!(act.label, "injury: p-ermek-abdreshev");
    assert_eq!(act.act_type.as_deref(), Some("injury"));
    assert_eq!(act.place.as_deref(), Some("almaty-nazarbayev-kurmangazy"));

    let place = records[3].index();
    assert_eq!(
        (place.label.as_str(), place.place.as_deref()),
        ("Almaty", Some("kazakhstan"))
    );
    assert_eq!(place.type_term.as_deref(), Some("city"));

    let source = records[4].index();
    assert_eq!(source.type_term.as_deref(), Some("media_report"));
    assert_eq!(
        (source.date_earliest, source.date_latest),
        (day("2022-03-01"), day("2022-03-31"))
    );

    let claim = records[5].index();
    assert_eq!(claim.label, "killed: more than 4,500");
    assert_eq!(claim.type_term.as_deref(), Some("killed"));
    assert_eq!(claim.date_latest, day("2022-01-31"));

    let proceeding = records[6].index();
    assert_eq!(proceeding.status.as_deref(), Some("not_pursued"));
    assert_eq!(proceeding.type_term.as_deref(), Some("complaint"));
    assert_eq!(
        (proceeding.date_earliest, proceeding.date_latest),
        (day("2022-02-01"), day("2022-08-31"))
    );

    let rel = records[7].index();
    assert_eq!(rel.label, "p-elmira sister of p-ruslan");
    assert_eq!(rel.type_term.as_deref(), Some("sister"));
    assert_eq!(
        records[8].index().label,
        "p-officer member_of_unit of Almaty police department"
    );

    assert_eq!(records[3].parent(), Some("kazakhstan"));
    assert_eq!(records[1].parent(), Some("e-shymkent"));
    assert_eq!(records[0].parent(), None);
}

/// A list entry read from its input and the same entry read back from the
/// ledger's canonical bytes (keys sorted) are one record, whatever order the
/// file's columns came in: the live projection row and a replayed one are
/// built from these and must be byte-identical. (Where serde_json keeps
/// insertion order, as it does in the workspace's builds, the two inputs
/// below differ in key order.)
#[test]
fn a_list_entry_is_the_same_record_whatever_its_column_order() {
    let file_order = ok(json!({"kind": "list_entry", "id": ID, "sources": ["s1"],
        "values": {"Имя": "Асель", "Возраст": "31", "Город": "Алматы"},
        "fields": {"given": "Асель", "age": "31"}}));
    let sorted = ok(json!({"kind": "list_entry", "id": ID, "sources": ["s1"],
        "values": {"Возраст": "31", "Город": "Алматы", "Имя": "Асель"},
        "fields": {"age": "31", "given": "Асель"}}));
    assert_eq!(file_order, sorted);
    assert_eq!(
        serde_json::to_string(&file_order.to_json()).unwrap(),
        serde_json::to_string(&sorted.to_json()).unwrap()
    );
}
