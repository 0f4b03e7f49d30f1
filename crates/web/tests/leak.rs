//! The public site and the anonymous API must show nothing that is not
//! public. Every restricted or confidential field of this archive holds a
//! marker containing "LEAK" (refs of hidden records contain "leak"); the
//! test crawls every public page and every anonymous API answer and must
//! find none of them, nor the UUID of any hidden record. The public export
//! (`/export/public.jsonl`) is crawled too, and consent is planted: consent
//! records themselves (never public), persons whose consent is withdrawn
//! or limited to partners, and originals whose consent allows only an
//! anonymised derived record.

mod common;

use axum::http::StatusCode;
use common::fixture::{RETRACT, records};
use common::*;
use serde_json::json;

#[tokio::test]
async fn no_hidden_field_reaches_any_public_page_or_api_answer() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a");
    let mut archive = archive_with(&dir, &records(), &RETRACT);
    plant_lists(&mut archive);
    let derived = plant_consents(&mut archive);
    // UUIDs of everything that is not public (or is retracted), and of
    // every list entry and link decision, which are never public.
    let mut hidden_ids = Vec::new();
    for r in archive
        .store
        .list(&qantar_store::Filter {
            include_retracted: true,
            ..Default::default()
        })
        .expect("list")
    {
        if r.confidentiality != "public"
            || r.retracted
            || r.kind == "list_entry"
            || r.kind == "link_decision"
            || r.r#ref.as_deref().is_some_and(|x| x.starts_with("leak-"))
        {
            hidden_ids.push((r.id.clone(), r.r#ref.clone().unwrap_or_default()));
        }
    }
    assert!(
        hidden_ids.len() >= 15,
        "the fixture hides {} records",
        hidden_ids.len()
    );
    drop(archive);
    let state = qantar_web::AppState::open(&dir).expect("open");
    let app = qantar_web::router(state.clone());
    // The Numbers page shows the estimates, by region, before the crawl.
    assert!(matches!(
        state.estimates_ready().await.expect("estimates"),
        qantar_web::estimates::Status::Ready(_)
    ));
    let mut pages = crawl(&app).await;
    let export = get(&app, "/export/public.jsonl").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export.body.contains(&derived),
        "the redacted derived person is exported"
    );
    assert!(
        pages
            .iter()
            .any(|(u, s, _)| u == &format!("/en/people/{derived}") && s.is_success()),
        "the redacted derived person has a public page"
    );
    pages.push(("/export/public.jsonl".into(), export.status, export.body));
    let numbers = pages
        .iter()
        .find(|(u, _, _)| u == "/en/numbers")
        .expect("the numbers page is crawled");
    assert!(numbers.2.contains("class=\"estimates\""), "{}", numbers.2);
    assert!(
        numbers.2.contains("Another region"),
        "a hidden region is not named"
    );
    assert!(pages.len() > 40, "crawled only {} pages", pages.len());
    let persons = pages
        .iter()
        .filter(|(u, _, _)| u.contains("/people/"))
        .count();
    assert!(persons >= 6, "person pages crawled: {persons}");
    for (uri, status, body) in &pages {
        assert!(!status.is_server_error(), "{uri} answered {status}");
        let lower = body.to_lowercase();
        assert!(
            !lower.contains("leak"),
            "{uri} leaks: …{}…",
            around(body, "leak")
        );
        for (id, r) in &hidden_ids {
            assert!(
                !body.contains(id.as_str()),
                "{uri} names hidden record {r} ({id})"
            );
        }
    }
    // Asking for a hidden record by id or ref looks exactly like asking for
    // one that does not exist.
    for (id, r) in &hidden_ids {
        for uri in [
            format!("/api/v1/records/{id}"),
            format!("/api/v1/records/{r}"),
            format!("/api/v1/persons/{id}"),
        ] {
            let got = get(&app, &uri).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(
                !got.body.to_lowercase().contains("leak-")
                    || got.body.contains(&format!("\\\"{r}\\\"")),
                "{uri}: {}",
                got.body
            );
        }
        let got = get(&app, &format!("/en/people/{id}")).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND);
        assert!(!got.body.to_lowercase().contains("leak"));
    }
}

#[tokio::test]
async fn counts_are_counts_of_public_records_only() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a");
    drop(archive_with(&dir, &records(), &RETRACT));
    let app = router_for(&dir);
    let acc = get(&app, "/api/v1/accountability").await.json();
    // One public complaint; the confidential one (which was "charged") is not counted.
    assert_eq!(acc["complaints"], 1);
    assert_eq!(acc["complaints_prosecuted"], 0);
    let numbers = get(&app, "/api/v1/numbers").await.json();
    let killed = numbers
        .as_array()
        .expect("array")
        .iter()
        .find(|g| g["metric"] == "killed" && g["place"].is_null())
        .expect("a national killed group");
    // Two public claims; confidential, retracted and withdrawn ones are gone.
    let values: Vec<&str> = killed["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| c["value"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(values, ["238", "more than 240"]);
    assert_eq!(killed["range_low"], 238);
    assert!(killed["range_high"].is_null(), "open-ended: {killed}");
    // Documented killings: only the public act against a public victim.
    assert_eq!(killed["documented"], 1);
    let home = get(&app, "/en/").await;
    assert!(home.body.contains("2 people"), "{}", home.body);
    assert!(home.body.contains("2 documented acts"), "{}", home.body);
    let people = get(&app, "/api/v1/records?kind=person").await.json();
    assert_eq!(people["total"], 2);
}

/// A public list whose rows (public list entries, whose cells hold
/// markers) name people in a hidden region, and public link decisions with
/// marked reasons; then a linkage run over all of it.
fn plant_lists(archive: &mut qantar_store::Archive) {
    let mut records = vec![
        json!({"kind": "source", "ref": "s-list", "source_kind": "list", "title": "Public list", "confidentiality": "public"}),
        json!({"kind": "place", "ref": "leak-region", "name": "LEAK-hidden-region-name", "place_type": "region", "parent": "kz"}),
    ];
    for (i, (given, surname)) in [
        ("LEAK-given-one", "LEAK-surname-one"),
        ("LEAK-given-one", "LEAK-surname-one"),
        ("LEAK-given-two", "LEAK-surname-two"),
        ("LEAK-given-three", "LEAK-surname-three"),
    ]
    .into_iter()
    .enumerate()
    {
        records.push(json!({
            "kind": "list_entry",
            "ref": format!("leak-entry-{i}"),
            "row": i + 2,
            "values": {"LEAK-column": format!("LEAK-cell-{i}"), "Name": format!("{given} {surname}")},
            "fields": {"given": given, "surname": surname},
            "place": if i % 2 == 0 { "leak-region" } else { "almaty" },
            "sources": [{"source": "s-list", "locator": format!("LEAK-locator-{i}")}],
            "confidentiality": "public",
        }));
    }
    records.push(json!({"kind": "link_decision", "ref": "leak-decision", "left": "leak-entry-0", "right": "leak-entry-2",
        "verdict": "different", "reason": "LEAK-decision-reason", "confidentiality": "public"}));
    let drafts = archive
        .store
        .prepare_records(&records, &mut uuid::Uuid::now_v7)
        .unwrap_or_else(|e| panic!("list records are invalid: {e}"));
    archive
        .append(drafts, &common::stamp())
        .expect("append lists");
    qantar_register::link_archive(
        &archive.store,
        &qantar_register::LinkSettings::default(),
        "2026-01-05T11:00:00.000Z",
        &mut |_| {},
    )
    .expect("link");
}

/// Consent planted beside the fixture; returns the id of the one derived
/// record that must be public. Everything else here is hidden: its
/// identifying values hold "LEAK", its refs start with "leak-".
fn plant_consents(archive: &mut qantar_store::Archive) -> String {
    let persons = vec![
        json!({"kind": "person", "ref": "leak-p-anon", "names": [{"value": "LEAK-anonymised-original-name"}],
            "birth_date": "1990-01-02", "occupation": "LEAK-anon-occupation", "sex": "female", "roles": ["witness"],
            "sources": ["s-pub"], "confidentiality": "public", "notes": "LEAK-anon-notes"}),
        json!({"kind": "person", "ref": "leak-p-withdrawn", "names": [{"value": "LEAK-withdrawn-person-name"}],
            "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "person", "ref": "leak-p-partners", "names": [{"value": "LEAK-partners-only-name"}],
            "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "source", "ref": "leak-s-testimony-withdrawn", "source_kind": "testimony",
            "title": "LEAK-withdrawn-testimony", "confidentiality": "public"}),
        json!({"kind": "act", "ref": "leak-act-withdrawn-victim", "act_type": "injury", "victim": "leak-p-withdrawn",
            "description": "LEAK-act-against-withdrawn", "sources": ["s-pub", "leak-s-testimony-withdrawn"], "confidentiality": "public"}),
        json!({"kind": "consent", "ref": "leak-consent-anon", "subject": "leak-p-anon", "audience": "public",
            "identity": "anonymised", "given_on": "2024-01-01", "method": "written", "notes": "LEAK-consent-note"}),
        json!({"kind": "consent", "ref": "leak-consent-withdrawn", "subject": "leak-p-withdrawn", "audience": "public",
            "identity": "named", "given_on": "2024-01-01", "withdrawn_on": "2024-06-01"}),
        json!({"kind": "consent", "ref": "leak-consent-testimony", "subject": "leak-s-testimony-withdrawn", "audience": "public",
            "identity": "named", "given_on": "2024-01-01", "withdrawn_on": "2024-02-01"}),
        json!({"kind": "consent", "ref": "leak-consent-partners", "subject": "leak-p-partners", "audience": "partners",
            "identity": "named", "given_on": "2024-01-01", "partners": "LEAK-partner-names"}),
    ];
    let drafts = archive
        .store
        .prepare_records(&persons, &mut uuid::Uuid::now_v7)
        .unwrap_or_else(|e| panic!("consent records are invalid: {e}"));
    archive
        .append(drafts, &common::stamp())
        .expect("append consents");
    let original = |r: &str| {
        let stored = archive.store.get(r).expect("get").expect("exists");
        qantar_model::Record::from_json(&stored.data, &mut uuid::Uuid::nil).expect("parses")
    };
    let set = |r: &str| qantar_model::Redaction {
        set: vec![("ref".into(), json!(r))],
        ..Default::default()
    };
    let derived = vec![
        // The only public one: redacted under an anonymised consent.
        qantar_model::redact(&original("leak-p-anon"), &set("p-anon-derived")).expect("redact"),
        // Keeps the name: an anonymised consent does not allow it.
        qantar_model::redact(
            &original("leak-p-anon"),
            &qantar_model::Redaction {
                keep: vec!["names".into()],
                set: vec![("ref".into(), json!("leak-derived-keeps-name"))],
                ..Default::default()
            },
        )
        .expect("redact"),
        // Derived from a person whose consent is withdrawn.
        qantar_model::redact(
            &original("leak-p-withdrawn"),
            &set("leak-derived-withdrawn"),
        )
        .expect("redact"),
    ];
    let drafts = archive
        .store
        .prepare_records(&derived, &mut uuid::Uuid::now_v7)
        .unwrap_or_else(|e| panic!("derived records are invalid: {e}"));
    archive
        .append(drafts, &common::stamp())
        .expect("append derived");
    archive
        .store
        .get("p-anon-derived")
        .expect("get")
        .expect("derived exists")
        .id
}

fn around(body: &str, needle: &str) -> String {
    let lower = body.to_lowercase();
    let i = lower.find(needle).unwrap_or(0);
    let start = body
        .char_indices()
        .map(|(i, _)| i)
        .rfind(|&j| j + 80 <= i)
        .unwrap_or(0);
    body[start..].chars().take(200).collect()
}

#[tokio::test]
async fn the_export_route_serves_the_public_snapshot_as_sorted_json_lines() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a");
    let mut archive = archive_with(&dir, &records(), &RETRACT);
    let derived = plant_consents(&mut archive);
    drop(archive);
    let app = router_for(&dir);
    let got = get(&app, "/export/public.jsonl").await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.header("content-type").starts_with("application/jsonl"));
    let lines: Vec<serde_json::Value> = got
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON record"))
        .collect();
    let total = get(&app, "/api/v1/records?limit=1000").await.json()["total"]
        .as_u64()
        .expect("total");
    assert_eq!(
        lines.len() as u64,
        total,
        "the export is the whole public snapshot"
    );
    let keys: Vec<(qantar_model::Kind, String)> = lines
        .iter()
        .map(|v| {
            assert!(
                v.get("notes").is_none() && v.get("derived_from").is_none(),
                "{v}"
            );
            assert_eq!(v["confidentiality"], "public");
            (
                v["kind"].as_str().expect("kind").parse().expect("a kind"),
                v["id"].as_str().expect("id").to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by kind, then id");
    assert!(keys.iter().any(|(_, id)| id == &derived));
    // Two requests for the same ledger give the same bytes.
    assert_eq!(get(&app, "/export/public.jsonl").await.body, got.body);
}
