//! One conformance suite for every backend: the same scenario runs on SQLite
//! and on PostgreSQL (when a server can be reached; otherwise the PostgreSQL
//! half says plainly that it skips) and must behave identically, down to the
//! Merkle root and the projection digest.

use qantar_ledger::{NoteSigner, verify_consistency, verify_inclusion};
use qantar_store::db::{ScratchSchema, test_postgres_url};
use qantar_store::{Backend, Filter, Stamp, Store, StoreError};
use serde_json::{Value, json};

const ORIGIN: &str = "qantar.archive/conformance/0";

fn signer() -> NoteSigner {
    NoteSigner::from_seed("qantar-conformance", [3u8; 32]).unwrap()
}

fn stamp(i: u32) -> Stamp {
    Stamp {
        author: "conformance".into(),
        time: format!("2026-11-22T08:00:{:02}.000Z", i % 60),
    }
}

/// Ids minted in a fixed order, so both backends hold byte-identical ledgers.
fn minter() -> impl FnMut() -> uuid::Uuid {
    let mut n = 0u128;
    move || {
        n += 1;
        uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
    }
}

/// A store on each backend that can be had here.
struct Backends {
    sqlite_dir: tempfile::TempDir,
    pg: Option<ScratchSchema>,
}

impl Backends {
    fn new(tag: &str) -> Backends {
        let pg = match test_postgres_url() {
            Ok(url) => Some(ScratchSchema::new(&url, tag)),
            Err(why) => {
                eprintln!("skipping the PostgreSQL half of {tag}: {why}");
                None
            }
        };
        Backends {
            sqlite_dir: tempfile::tempdir().unwrap(),
            pg,
        }
    }

    fn stores(&self) -> Vec<Store> {
        let mut v = vec![Store::create(&self.sqlite_dir.path().join("a.sqlite")).unwrap()];
        if let Some(pg) = &self.pg {
            v.push(Store::create_postgres(&pg.url).unwrap());
        }
        v
    }
}

fn records() -> Vec<Value> {
    serde_json::from_value(json!([
        {"kind": "source", "ref": "s1", "source_kind": "media_report", "title": {"en": "A report"}, "confidentiality": "public"},
        {"kind": "place", "ref": "kz", "place_type": "country", "name": {"en": "Kazakhstan", "kk": "Қазақстан", "ru": "Казахстан"}},
        {"kind": "place", "ref": "almaty", "place_type": "city", "parent": "kz", "name": {"en": "Almaty"}, "lat": 43.238, "lon": 76.946},
        {"kind": "place", "ref": "square", "place_type": "site", "parent": "almaty", "name": {"en": "Republic Square"}},
        {"kind": "person", "ref": "p1", "names": [{"value": "Жомарт Байтхан"}], "status": "killed", "sources": ["s1"], "confidentiality": "public"},
        {"kind": "person", "ref": "p2", "names": [{"value": "Айнур Байтханова"}], "sources": ["s1"]},
        {"kind": "act", "ref": "a1", "act_type": "killing", "victim": "p1", "date": "2022-01-06", "place": "square", "sources": ["s1"]},
        {"kind": "act", "ref": "a2", "act_type": "torture", "victim": "p2", "date": "2022-01-08/early 2022-02", "place": "almaty", "sources": ["s1"]},
        {"kind": "claim", "ref": "c1", "claim_type": "count", "metric": "killed", "value": "238", "place": "kz", "sources": ["s1"]},
        {"kind": "proceeding", "ref": "pr1", "proceeding_kind": "pre_trial_investigation", "status_history": [{"status": "opened", "date": "2022-01"}, {"status": "closed_lack_of_evidence", "date": "2022-09-30"}], "sources": ["s1"]},
        {"kind": "relationship", "ref": "r1", "relation": "sister", "from": "p2", "to": "p1", "sources": ["s1"]},
        {"kind": "event", "ref": "e1", "title": "Shooting in Almaty", "date": "2022-01-06", "place": "almaty", "sources": ["s1"]}
    ]))
    .unwrap()
}

/// The whole scenario; returns what must agree across backends.
fn scenario(store: &mut Store) -> (String, String, u64) {
    let s = signer();
    let mut mint = minter();
    let drafts = store.prepare_records(&records(), &mut mint).unwrap();
    store.append(drafts, &stamp(1), &s, ORIGIN).unwrap();

    // Lookups by ref and by id agree.
    let p1 = store.get("p1").unwrap().unwrap();
    assert_eq!(store.get(&p1.id).unwrap().unwrap().label, "Жомарт Байтхан");
    assert_eq!(p1.data["names"][0]["value"], "Жомарт Байтхан");

    // Filters: the square is inside Almaty.
    let at = |place: &str| {
        store
            .list(&Filter {
                kind: Some(qantar_model::Kind::Act),
                place: Some(place.into()),
                ..Filter::default()
            })
            .unwrap()
            .into_iter()
            .filter_map(|r| r.r#ref)
            .collect::<Vec<_>>()
    };
    assert_eq!(at("almaty"), ["a1", "a2"]);
    assert_eq!(at("square"), ["a1"]);
    let paged = store
        .list(&Filter {
            kind: Some(qantar_model::Kind::Place),
            limit: Some(2),
            offset: 1,
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(paged.len(), 2);

    // Bad input writes nothing.
    let before = store.size().unwrap();
    let bad = store.prepare_records(
        &[json!({"kind": "act", "act_type": "killing", "victim": "kz", "sources": ["s1"]})],
        &mut mint,
    );
    assert!(matches!(bad, Err(StoreError::Input(_))), "{bad:?}");
    assert_eq!(store.size().unwrap(), before);

    // Corrections and withdrawals.
    let d = store
        .prepare_amend("p2", &json!({"status": "alive"}), Some("seen in court"))
        .unwrap();
    store.append(vec![d], &stamp(2), &s, ORIGIN).unwrap();
    let d = store.prepare_retract("c1", "misquoted").unwrap();
    store.append(vec![d], &stamp(3), &s, ORIGIN).unwrap();
    let h = store.history("p2").unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].changed, ["status"]);
    assert!(store.get("c1").unwrap().unwrap().retracted);

    // Stats.
    let stats = store.stats().unwrap();
    assert_eq!(stats.by_kind["act"], 2);
    assert_eq!(stats.retracted, 1);
    assert_eq!(stats.acts_by_place["Almaty"], 2);

    // Verification, full replay and rebuild.
    let report = store
        .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
        .unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.projection_digest, report.replayed_digest);
    let digest = store.projection_digest().unwrap();
    store.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(store.projection_digest().unwrap(), digest);

    // Proofs from the stored tree verify.
    let size = store.size().unwrap();
    let root = store.root_at(size).unwrap();
    for i in 0..size {
        let proof: Vec<Vec<u8>> = store
            .inclusion_proof(i, size)
            .unwrap()
            .iter()
            .map(|h| h.to_vec())
            .collect();
        verify_inclusion(&store.node(0, i).unwrap(), i, size, &proof, &root).unwrap();
    }
    for m in 1..size {
        let proof: Vec<Vec<u8>> = store
            .consistency_proof(m, size)
            .unwrap()
            .iter()
            .map(|h| h.to_vec())
            .collect();
        verify_consistency(m, size, &proof, &store.root_at(m).unwrap(), &root).unwrap();
    }
    (report.root, digest, size)
}

#[test]
fn every_backend_behaves_the_same() {
    let b = Backends::new("same");
    let mut results = Vec::new();
    for mut store in b.stores() {
        let backend = store.backend();
        results.push((backend, scenario(&mut store)));
    }
    // The same commands give the same ledger and the same projection.
    for (backend, r) in &results[1..] {
        assert_eq!(
            r, &results[0].1,
            "{backend:?} differs from {:?}",
            results[0].0
        );
    }
    println!(
        "checked backends: {:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
}

#[test]
fn an_archive_moves_between_backends_unchanged() {
    let b = Backends::new("move");
    let mut stores = b.stores();
    if stores.len() < 2 {
        return; // said why in Backends::new
    }
    let mut pg = stores.pop().unwrap();
    let mut sqlite = stores.pop().unwrap();
    let (root, digest, size) = scenario(&mut sqlite);
    sqlite.copy_into(&mut pg, &mut |_, _| {}).unwrap();
    let report = pg
        .verify(&signer().verifier(), ORIGIN, true, &mut |_, _, _| {})
        .unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.root, root);
    assert_eq!(pg.projection_digest().unwrap(), digest);
    assert_eq!(pg.checkpoints().unwrap(), sqlite.checkpoints().unwrap());
    assert_eq!(pg.size().unwrap(), size);
    // And back again, into a fresh SQLite file.
    let dir = tempfile::tempdir().unwrap();
    let mut back = Store::create(&dir.path().join("back.sqlite")).unwrap();
    pg.copy_into(&mut back, &mut |_, _| {}).unwrap();
    assert_eq!(back.projection_digest().unwrap(), digest);
    assert_eq!(hex_root(&back), root);
    // Copying into a store that holds entries is refused.
    assert!(sqlite.copy_into(&mut back, &mut |_, _| {}).is_err());
}

fn hex_root(s: &Store) -> String {
    hex::encode(s.root_at(s.size().unwrap()).unwrap())
}

#[test]
fn both_migrations_reach_the_same_logical_schema() {
    let b = Backends::new("schema");
    let stores = b.stores();
    if stores.len() < 2 {
        return;
    }
    let shapes: Vec<Vec<(String, String, String, bool)>> =
        stores.iter().map(|s| s.logical_schema().unwrap()).collect();
    assert!(!shapes[0].is_empty());
    assert_eq!(shapes[0], shapes[1], "SQLite and PostgreSQL schemas differ");
    assert_eq!(stores[0].backend(), Backend::Sqlite);
}

#[test]
fn a_postgres_url_that_cannot_connect_says_so() {
    let err = match Store::open_postgres("postgres://nobody@127.0.0.1:1/none") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("connected to a closed port"),
    };
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert!(err.contains("127.0.0.1:1"), "{err}");
}

#[test]
fn tls_is_verified_when_required_and_optional_by_default() {
    let url = match test_postgres_url() {
        Ok(u) => u,
        Err(why) => {
            eprintln!("skipping: {why}");
            return;
        }
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    // The local test server has no certificate a client can verify (Debian's
    // is self-signed, or TLS is off): `require` must refuse it, never fall
    // back to plain text.
    let required =
        Store::create_postgres(&format!("{url}{sep}sslmode=require&schema=qt_tls_required"));
    assert!(
        required.is_err(),
        "sslmode=require accepted an unverifiable server"
    );
    // `disable` and the default both connect.
    let plain = ScratchSchema::new(&format!("{url}{sep}sslmode=disable"), "tls");
    assert!(Store::create_postgres(&plain.url).is_ok());
}
