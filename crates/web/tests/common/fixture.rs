//! The test archive of the leak and route tests: public records mixed with
//! restricted, confidential and retracted ones whose every field holds a
//! marker containing "LEAK" (and whose refs start with "leak-").

use serde_json::{Value, json};

/// Records that exercise the subtle leaks: a public act citing a
/// confidential source, a public person's relationship to a restricted
/// person, a public act against a hidden victim, retracted records, hidden
/// places and events referenced from public records, documenters' notes on
/// public records, and hidden proceedings and claims that would change
/// public counts.
pub fn records() -> Vec<Value> {
    vec![
        json!({"kind": "source", "ref": "s-pub", "source_kind": "media_report", "title": {"en": "Public report", "ru": "Публичный репортаж"}, "author": "Public outlet", "published": "2022-02-01", "confidentiality": "public", "notes": "LEAK-notes-public-source"}),
        json!({"kind": "source", "ref": "leak-s-conf", "source_kind": "testimony", "title": "LEAK-confidential-source-title", "author": "LEAK-witness-name", "url": "https://example.invalid/LEAK-url", "notes": "LEAK-notes-conf-source"}),
        json!({"kind": "source", "ref": "leak-s-restr", "source_kind": "media_report", "title": "LEAK-restricted-source-title", "confidentiality": "restricted"}),
        json!({"kind": "place", "ref": "kz", "name": {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}, "place_type": "country", "confidentiality": "public"}),
        json!({"kind": "place", "ref": "almaty", "name": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "place_type": "city", "parent": "kz", "lat": 43.24, "lon": 76.89, "confidentiality": "public"}),
        json!({"kind": "place", "ref": "taraz", "name": {"en": "Taraz", "ru": "Тараз", "kk": "Тараз"}, "place_type": "city", "parent": "kz", "confidentiality": "public"}),
        json!({"kind": "place", "ref": "leak-secret-site", "name": "LEAK-secret-site-name", "place_type": "site", "parent": "almaty", "lat": 43.25, "lon": 76.9}),
        json!({"kind": "event", "ref": "leak-event", "title": "LEAK-restricted-event-title", "date": "2022-01-05", "place": "almaty", "sources": ["s-pub"]}),
        json!({"kind": "event", "ref": "ev-pub", "title": {"en": "Protest on Republic Square"}, "date": "2022-01-05", "place": "almaty", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "person", "ref": "p-pub", "names": [{"value": "Aset Publicov", "lang": "en", "script": "Latn"}, {"value": "Асет Публиков", "lang": "ru", "script": "Cyrl"}, {"value": "LEAK-variant-by-hidden-source", "variant": true, "source": "leak-s-conf"}],
               "age": 34, "age_as_of": "2022-01", "occupation": {"en": "Driver", "ru": "Водитель"}, "residence": "leak-secret-site", "status": "alive", "roles": ["victim"],
               "sources": ["s-pub", {"source": "leak-s-conf", "locator": "LEAK-locator"}], "confidentiality": "public", "notes": "LEAK-notes-public-person"}),
        json!({"kind": "person", "ref": "p-pub2", "names": [{"value": "Dana Openova"}], "status": "killed", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "person", "ref": "leak-p-restr", "names": [{"value": "LEAK-restricted-person-name"}], "occupation": "LEAK-restricted-occupation", "sources": ["s-pub"]}),
        json!({"kind": "person", "ref": "leak-p-conf", "names": [{"value": "LEAK-confidential-person-name"}], "portrait": "LEAK-portrait", "sources": ["leak-s-conf"], "confidentiality": "confidential"}),
        json!({"kind": "person", "ref": "leak-p-retracted", "names": [{"value": "LEAK-retracted-person-name"}], "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "act", "ref": "act-pub", "act_type": "torture", "victim": "p-pub", "date": "2022-01-06", "place": "almaty", "event": "leak-event",
               "means": ["beating"], "outcomes": ["fractures"], "perpetrators": [{"person": "leak-p-restr"}, {"unit": "Public police unit"}],
               "description": {"en": "He was beaten in custody."}, "sources": ["s-pub", {"source": "leak-s-conf", "note": "LEAK-citation-note"}], "confidentiality": "public", "notes": "LEAK-notes-public-act"}),
        json!({"kind": "act", "ref": "act-pub2", "act_type": "killing", "victim": "p-pub2", "date": "2022-01-07", "place": "leak-secret-site", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "act", "ref": "leak-act-hidden-victim", "act_type": "killing", "victim": "leak-p-restr", "date": "2022-01-06", "place": "taraz", "description": "LEAK-act-against-hidden-victim", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "act", "ref": "leak-act-restricted", "act_type": "killing", "victim": "p-pub", "date": "2022-01-08", "place": "taraz", "description": "LEAK-restricted-act-description", "sources": ["s-pub"]}),
        json!({"kind": "act", "ref": "leak-act-retracted", "act_type": "killing", "victim": "p-pub2", "date": "2022-01-09", "place": "taraz", "description": "LEAK-retracted-act", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "relationship", "ref": "leak-rel-to-hidden", "relation": "sister", "from": "leak-p-restr", "to": "p-pub", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "relationship", "ref": "rel-pub", "relation": "brother", "from": "p-pub", "to": "p-pub2", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "relationship", "ref": "leak-rel-restricted", "relation": "colleague", "from": "p-pub", "to_unit": "LEAK-restricted-unit", "sources": ["s-pub"]}),
        json!({"kind": "proceeding", "ref": "proc-pub", "proceeding_kind": "complaint", "title": {"en": "Torture complaint"}, "authority": "Prosecutor's office",
               "persons": [{"person": "p-pub", "role": "complainant"}, {"person": "leak-p-restr", "role": "lawyer"}], "acts": ["act-pub", "leak-act-restricted"],
               "status_history": [{"status": "filed", "date": "2022-02-10"}, {"status": "no_one_prosecuted", "date": "2022-06-01"}], "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "proceeding", "ref": "leak-proc-conf", "proceeding_kind": "complaint", "title": "LEAK-confidential-complaint", "authority": "LEAK-authority",
               "status_history": [{"status": "filed", "note": "LEAK-status-note"}, {"status": "charged"}], "sources": ["leak-s-conf"], "confidentiality": "confidential"}),
        json!({"kind": "claim", "ref": "claim-pub", "claim_type": "count", "metric": "killed", "value": "238", "claimant": "Prosecutor General", "stated_on": "2022-01-15", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "claim", "ref": "claim-pub-2", "claim_type": "count", "metric": "killed", "value": "more than 240", "claimant": "Human rights group", "stated_on": "2022-03-01", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "claim", "ref": "claim-pub-hidden-src", "claim_type": "count", "metric": "detained", "value": "about 10,000", "claimant": "Ministry", "place": "leak-secret-site", "sources": ["leak-s-conf"], "confidentiality": "public"}),
        json!({"kind": "claim", "ref": "leak-claim-conf", "claim_type": "count", "metric": "killed", "value": "4,321", "claimant": "LEAK-confidential-claimant", "sources": ["leak-s-conf"], "confidentiality": "confidential"}),
        json!({"kind": "claim", "ref": "leak-claim-retracted", "claim_type": "count", "metric": "killed", "value": "17", "claimant": "LEAK-retracted-claimant", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "claim", "ref": "leak-claim-withdrawn", "claim_type": "count", "metric": "killed", "value": "19", "claimant": "LEAK-withdrawn-claimant", "sources": ["s-pub"], "confidentiality": "public"}),
        json!({"kind": "claim", "ref": "claim-withdrawal", "claim_type": "fact", "statement": {"en": "The earlier figure was withdrawn."}, "retracts": ["leak-claim-withdrawn"], "about": ["leak-p-restr"], "sources": ["s-pub"], "confidentiality": "public"}),
    ]
}

pub const RETRACT: [(&str, &str); 3] = [
    ("leak-p-retracted", "LEAK-retraction-reason-person"),
    ("leak-act-retracted", "LEAK-retraction-reason-act"),
    ("leak-claim-retracted", "LEAK-retraction-reason-claim"),
];
