//! Sealed confidential records, on SQLite and on PostgreSQL (when a server
//! can be reached; otherwise the PostgreSQL half says plainly that it
//! skips): round trips, the marker scan of every stored byte, wrong keys,
//! grants, audit entries, rotation, erasure, backups, and verify and
//! rebuild without any key.

use qantar_ledger::NoteSigner;
use qantar_seal::{KdfParams, Kek, Salt, SealError};
use qantar_store::db::{ScratchSchema, test_postgres_url};
use qantar_store::sealing::{
    COMPARTMENT_CREATED_KIND, ERASED_KIND, ERASED_LABEL, GRANTED_KIND, KEYS_RESTORED_KIND,
    REVOKED_KIND, ROTATED_KIND, SEALED_LABEL, UNSEALED_KIND,
};
use qantar_store::{Backend, ErasureReason, Stamp, Store, StoreError, Unlocked};
use serde_json::{Value, json};

const ORIGIN: &str = "qantar.archive/sealing/0";
/// Planted in every field of every confidential record; must never be
/// found in any stored byte.
const MARKER: &str = "qzmarker";
const MARKER_CYR: &str = "Қзмаркер";

fn signer() -> NoteSigner {
    NoteSigner::from_seed("qantar-sealing", [5u8; 32]).unwrap()
}

fn stamp(i: u32) -> Stamp {
    Stamp {
        author: "tester".into(),
        time: format!("2026-11-22T09:00:{:02}.000Z", i % 60),
    }
}

/// Argon2id with tiny parameters: these tests check behaviour, not cost.
fn kek(passphrase: &str) -> Kek {
    let kdf = KdfParams::new(256, 1, 1).unwrap();
    Kek::from_passphrase(passphrase, &kdf, &Salt::generate().unwrap()).unwrap()
}

fn minter() -> impl FnMut() -> uuid::Uuid {
    let mut n = 0u128;
    move || {
        n += 1;
        uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
    }
}

/// Where a test's store lives, so its bytes can be scanned afterwards.
enum Place {
    Sqlite(tempfile::TempDir),
    Postgres(ScratchSchema),
}

impl Place {
    fn all(tag: &str) -> Vec<Place> {
        let mut v = vec![Place::Sqlite(tempfile::tempdir().unwrap())];
        match test_postgres_url() {
            Ok(url) => v.push(Place::Postgres(ScratchSchema::new(&url, tag))),
            Err(why) => eprintln!("skipping the PostgreSQL half of {tag}: {why}"),
        }
        v
    }

    fn create(&self) -> Store {
        match self {
            Place::Sqlite(dir) => Store::create(&dir.path().join("archive.sqlite")).unwrap(),
            Place::Postgres(s) => Store::create_postgres(&s.url).unwrap(),
        }
    }

    fn open(&self) -> Store {
        match self {
            Place::Sqlite(dir) => Store::open(&dir.path().join("archive.sqlite")).unwrap(),
            Place::Postgres(s) => Store::open_postgres(&s.url).unwrap(),
        }
    }

    /// A second, raw connection, as a thief with a copy of the database has.
    fn raw(&self) -> Raw {
        match self {
            Place::Sqlite(dir) => {
                Raw::Sqlite(rusqlite::Connection::open(dir.path().join("archive.sqlite")).unwrap())
            }
            Place::Postgres(s) => {
                let (base, schema) = s.url.rsplit_once("schema=").unwrap();
                let base = base.trim_end_matches(['?', '&']);
                let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO {schema}"))
                    .unwrap();
                Raw::Postgres(c)
            }
        }
    }

    /// Every place where any of `needles` occurs in the stored bytes: every
    /// file of the SQLite directory (database, WAL, shared memory), or
    /// every column of every row of every table of the PostgreSQL schema
    /// (bytea appears as hex, so the needles are searched in hex too).
    fn find(&self, needles: &[&[u8]]) -> Vec<String> {
        let mut hits = Vec::new();
        match self {
            Place::Sqlite(dir) => {
                for f in std::fs::read_dir(dir.path()).unwrap() {
                    let path = f.unwrap().path();
                    let bytes = std::fs::read(&path).unwrap();
                    for n in needles {
                        if contains(&bytes, n) {
                            hits.push(format!("{} holds {:?}", path.display(), lossy(n)));
                        }
                    }
                }
            }
            Place::Postgres(_) => {
                let mut db = self.raw();
                let tables = db.texts(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
                );
                assert!(
                    tables.len() >= 10,
                    "expected every table, got {}",
                    tables.len()
                );
                for table in tables {
                    for text in db.texts(&format!("SELECT t::text FROM {table} t")) {
                        for n in needles {
                            if contains(text.as_bytes(), n)
                                || contains(text.as_bytes(), hex::encode(n).as_bytes())
                            {
                                hits.push(format!("table {table} holds {:?}", lossy(n)));
                            }
                        }
                    }
                }
            }
        }
        hits
    }
}

/// A raw connection that reads one text column per row.
enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl Raw {
    fn texts(&mut self, sql: &str) -> Vec<String> {
        match self {
            Raw::Sqlite(c) => {
                let mut st = c.prepare(sql).unwrap();
                st.query_map([], |r| r.get::<_, String>(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            }
            Raw::Postgres(c) => c
                .query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect(),
        }
    }

    fn batch(&mut self, sql: &str) {
        match self {
            Raw::Sqlite(c) => c.execute_batch(sql).unwrap(),
            Raw::Postgres(c) => c.batch_execute(sql).unwrap(),
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A public source, then confidential records with the marker in every
/// field that can hold text, and a restricted act that names the sealed
/// person (so its clear label must not leak the name).
fn confidential_records() -> Vec<Value> {
    let m = MARKER;
    let c = MARKER_CYR;
    vec![
        json!({"kind": "source", "ref": "s-public", "source_kind": "media_report", "title": {"en": "A report"}, "confidentiality": "public"}),
        json!({"kind": "source", "ref": format!("s-{m}"), "source_kind": "testimony",
               "title": {"en": format!("Interview {m}"), "ru": format!("Интервью {c}")},
               "author": format!("{m} author"), "received": "2022-02", "notes": format!("{m} {c} notes")}),
        json!({"kind": "person", "ref": format!("p-{m}"), "confidentiality": "confidential",
               "names": [{"value": format!("{c} Айгерим")}, {"value": format!("{m} Aigerim"), "lang": "en"}],
               "occupation": format!("{m} teacher"), "age": 31, "age_as_of": "2022-01",
               "notes": format!("{m} lives near the market"), "sources": [format!("s-{m}")]}),
        json!({"kind": "act", "ref": "a-sealed-victim", "act_type": "torture", "victim": format!("p-{m}"),
               "date": "2022-01-07", "sources": ["s-public"]}),
    ]
}

fn needles() -> Vec<&'static [u8]> {
    vec![MARKER.as_bytes(), MARKER_CYR.as_bytes()]
}

/// A sealed archive: the records above written with compartment
/// `sources` unlocked by `aigerim`. Returns the store, the key and the ids
/// of the testimony and the person.
fn sealed_archive(place: &Place) -> (Store, Unlocked, String, String) {
    let mut store = place.create();
    let keys = store
        .create_compartment(
            "sources",
            "aigerim",
            &kek("aigerim's six words"),
            &stamp(0),
            &signer(),
            ORIGIN,
        )
        .unwrap();
    let drafts = store
        .prepare_records(&confidential_records(), &mut minter())
        .unwrap();
    let ids: Vec<String> = drafts.iter().map(|d| d.record.clone().unwrap()).collect();
    store
        .append_sealed(drafts, &stamp(1), &signer(), ORIGIN, &keys)
        .unwrap();
    (store, keys, ids[1].clone(), ids[2].clone())
}

/// Everything an unlock attempt must leave alone.
fn snapshot(place: &Place, store: &Store) -> (u64, String, String, Vec<String>) {
    let size = store.size().unwrap();
    let mut db = place.raw();
    let mut keys = Vec::new();
    for sql in [
        "SELECT name || '|' || created_at || '|' || fingerprint FROM compartments ORDER BY name",
        "SELECT compartment || '|' || handler || '|' || grant_json FROM grants ORDER BY compartment, handler",
        "SELECT record || '|' || compartment || '|' || wrapped_json FROM record_keys ORDER BY record",
    ] {
        keys.extend(db.texts(sql));
    }
    (
        size,
        hex::encode(store.root_at(size).unwrap()),
        store.projection_digest().unwrap(),
        keys,
    )
}

fn audits(store: &Store, id: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for seq in 0..store.size().unwrap() {
        let e = store.entry(seq).unwrap();
        if e.kind == UNSEALED_KIND && e.record.as_deref() == Some(id) {
            out.push(e.payload);
        }
    }
    out
}

#[test]
fn round_trip_and_no_marker_in_any_stored_byte() {
    for place in Place::all("markers") {
        let (mut store, keys, source, person) = sealed_archive(&place);
        let s = signer();

        // The projection holds no plaintext, only what the entry shows.
        let row = store.get(&person).unwrap().unwrap();
        assert_eq!(row.label, SEALED_LABEL);
        assert_eq!(row.r#ref, None);
        assert_eq!(row.kind, "person");
        assert!(row.is_sealed());
        let act = store.get("a-sealed-victim").unwrap().unwrap();
        assert_eq!(act.label, format!("torture: {SEALED_LABEL}"));
        assert!(store.get(&format!("p-{MARKER}")).unwrap().is_none());

        // Back in clear with the key, after an audit entry.
        let clear = store
            .get_unsealed(&person, &keys, "aigerim@web", &stamp(2), &s, ORIGIN)
            .unwrap();
        assert_eq!(clear.r#ref.as_deref(), Some(format!("p-{MARKER}").as_str()));
        assert_eq!(clear.data["occupation"], format!("{MARKER} teacher"));
        assert_eq!(
            clear.data["names"][0]["value"],
            format!("{MARKER_CYR} Айгерим")
        );
        assert!(clear.label.contains(MARKER_CYR), "{}", clear.label);
        let src = store
            .get_unsealed(&source, &keys, "aigerim@web", &stamp(3), &s, ORIGIN)
            .unwrap();
        assert_eq!(src.data["notes"], format!("{MARKER} {MARKER_CYR} notes"));

        // A sealed amendment (its reason is sealed too) round-trips.
        let d = store
            .prepare_amend_unsealed(
                &person,
                &json!({"occupation": format!("{MARKER} nurse")}),
                Some(&format!("{MARKER} said so")),
                &keys,
                "aigerim@web",
                &stamp(4),
                &s,
                ORIGIN,
            )
            .unwrap();
        store
            .append_sealed(vec![d], &stamp(5), &s, ORIGIN, &keys)
            .unwrap();
        let row = store.get(&person).unwrap().unwrap();
        assert_eq!((row.version, row.label.as_str()), (2, SEALED_LABEL));
        let clear = store
            .get_unsealed(&person, &keys, "aigerim@web", &stamp(6), &s, ORIGIN)
            .unwrap();
        assert_eq!(clear.data["occupation"], format!("{MARKER} nurse"));
        assert_eq!(clear.version, 2);
        // Plain amend of a sealed record is refused, not garbled.
        assert!(matches!(
            store.prepare_amend(&person, &json!({"age": 32}), None),
            Err(StoreError::Input(_))
        ));

        let digest = store.projection_digest().unwrap();
        store.rebuild(&mut |_, _| {}).unwrap();
        assert_eq!(store.projection_digest().unwrap(), digest);
        let report = store
            .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
            .unwrap();
        assert!(report.ok, "{report:?}");
        drop(store);

        let hits = place.find(&needles());
        assert!(hits.is_empty(), "plaintext found: {hits:#?}");
        // The scan can find things: the public source's title is there.
        assert!(!place.find(&[b"A report"]).is_empty());
    }
}

#[test]
fn confidential_records_need_a_key_once_sealing_is_on() {
    for place in Place::all("optin") {
        let mut store = place.create();
        let s = signer();
        // No compartment: confidential records are stored as before, in clear.
        let first = store
            .prepare_records(
                &[json!({"kind": "source", "ref": "s-old", "source_kind": "testimony", "title": "Old testimony"})],
                &mut minter(),
            )
            .unwrap();
        assert_eq!(first[0].confidentiality, "confidential");
        store.append(first, &stamp(1), &s, ORIGIN).unwrap();
        assert_eq!(store.get("s-old").unwrap().unwrap().label, "Old testimony");
        assert!(!store.sealing_enabled().unwrap());

        store
            .create_compartment(
                "sources",
                "aigerim",
                &kek("pass one"),
                &stamp(2),
                &s,
                ORIGIN,
            )
            .unwrap();
        assert!(store.sealing_enabled().unwrap());
        let before = snapshot(&place, &store);
        let drafts = store
            .prepare_records(
                &[json!({"kind": "source", "ref": "s-new", "source_kind": "testimony", "title": "New testimony"})],
                &mut || uuid::Uuid::from_u128(77),
            )
            .unwrap();
        let err = store.append(drafts, &stamp(3), &s, ORIGIN).unwrap_err();
        assert!(matches!(err, StoreError::Sealing(_)), "{err}");
        assert!(err.is_input());
        assert!(err.to_string().contains("unlock a compartment"), "{err}");
        assert_eq!(
            snapshot(&place, &store),
            before,
            "a refused append wrote something"
        );
        // Public and restricted records still need no key.
        let d = store
            .prepare_records(
                &[json!({"kind": "source", "source_kind": "media_report", "title": "Open", "confidentiality": "public"})],
                &mut || uuid::Uuid::from_u128(78),
            )
            .unwrap();
        store.append(d, &stamp(4), &s, ORIGIN).unwrap();
    }
}

#[test]
fn wrong_passphrase_or_key_file_changes_nothing() {
    for place in Place::all("wrongpass") {
        let (mut store, keys, _, person) = sealed_archive(&place);
        let (file_kek, _text) = Kek::generate_key_file().unwrap();
        store
            .grant(&keys, "bolat", &file_kek, &stamp(2), &signer(), ORIGIN)
            .unwrap();
        let before = snapshot(&place, &store);

        let err = store
            .unlock_with_passphrase("sources", "aigerim", "not the words")
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Seal(SealError::WrongPassphrase { .. })),
            "{err}"
        );
        assert!(err.is_input());
        assert!(
            err.to_string()
                .contains("wrong passphrase for handler aigerim"),
            "{err}"
        );
        let (other_file, _) = Kek::generate_key_file().unwrap();
        let err = store.unlock("sources", "bolat", &other_file).unwrap_err();
        assert!(
            matches!(err, StoreError::Seal(SealError::WrongKeyFile { .. })),
            "{err}"
        );
        let err = store
            .unlock("sources", "bolat", &kek("a passphrase"))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Seal(SealError::KekMismatch { .. })),
            "{err}"
        );
        let err = store.unlock("nowhere", "aigerim", &file_kek).unwrap_err();
        assert!(
            err.to_string().contains("no compartment \"nowhere\""),
            "{err}"
        );
        assert_eq!(snapshot(&place, &store), before);

        // The right ones open it, and read the same record.
        let by_file = store.unlock("sources", "bolat", &file_kek).unwrap();
        let by_pass = store
            .unlock_with_passphrase("sources", "aigerim", "aigerim's six words")
            .unwrap();
        let s = signer();
        let a = store
            .get_unsealed(&person, &by_file, "bolat", &stamp(7), &s, ORIGIN)
            .unwrap();
        let b = store
            .get_unsealed(&person, &by_pass, "aigerim", &stamp(8), &s, ORIGIN)
            .unwrap();
        assert_eq!(a.data, b.data);
    }
}

#[test]
fn roles_do_not_unseal_only_grants_do() {
    for place in Place::all("grants") {
        let (mut store, keys, _, person) = sealed_archive(&place);
        let s = signer();
        // An admin with their own passphrase but no grant holds nothing.
        let err = store
            .unlock("sources", "admin", &kek("admin pass"))
            .unwrap_err();
        assert!(matches!(err, StoreError::NoGrant { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("admin and editor roles do not give it")
        );
        // A handler of another compartment cannot read this one's records,
        // and the refusal writes no audit entry.
        let other = store
            .create_compartment(
                "lawyers",
                "admin",
                &kek("admin pass"),
                &stamp(1),
                &s,
                ORIGIN,
            )
            .unwrap();
        let size = store.size().unwrap();
        let err = store
            .get_unsealed(&person, &other, "admin", &stamp(2), &s, ORIGIN)
            .unwrap_err();
        assert!(
            err.to_string().contains("sealed in compartment sources"),
            "{err}"
        );
        assert_eq!(store.size().unwrap(), size);
        // Nor write into it.
        let d = store
            .prepare_amend_unsealed(
                &person,
                &json!({"age": 40}),
                None,
                &keys,
                "aigerim",
                &stamp(3),
                &s,
                ORIGIN,
            )
            .unwrap();
        assert!(matches!(
            store.append_sealed(vec![d], &stamp(4), &s, ORIGIN, &other),
            Err(StoreError::Sealing(_))
        ));
        // Granted, the admin can; revoked, not any more.
        store
            .grant(&keys, "admin", &kek("admin pass 2"), &stamp(5), &s, ORIGIN)
            .unwrap();
        let admin = store
            .unlock_with_passphrase("sources", "admin", "admin pass 2")
            .unwrap();
        store
            .get_unsealed(&person, &admin, "admin", &stamp(5), &s, ORIGIN)
            .unwrap();
        store
            .revoke("sources", "admin", &stamp(6), &s, ORIGIN)
            .unwrap();
        assert!(matches!(
            store.unlock_with_passphrase("sources", "admin", "admin pass 2"),
            Err(StoreError::NoGrant { .. })
        ));
        assert!(matches!(
            store.revoke("sources", "aigerim", &stamp(7), &s, ORIGIN),
            Err(StoreError::Sealing(_))
        ));
        let info = store.compartments().unwrap();
        assert_eq!(info[1].name, "sources");
        assert_eq!(info[1].handlers, ["aigerim"]);
        assert_eq!(info[1].records, 2);
    }
}

#[test]
fn every_unsealing_is_an_audit_entry() {
    for place in Place::all("audit") {
        let (mut store, keys, source, person) = sealed_archive(&place);
        let s = signer();
        assert!(audits(&store, &person).is_empty());
        for (i, reader) in ["aigerim@web", "aigerim@cli", "aigerim@web"]
            .iter()
            .enumerate()
        {
            let size = store.size().unwrap();
            store
                .get_unsealed(&person, &keys, reader, &stamp(10 + i as u32), &s, ORIGIN)
                .unwrap();
            assert_eq!(store.size().unwrap(), size + 1);
        }
        let found = audits(&store, &person);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[1],
            json!({"handler": "aigerim", "reader": "aigerim@cli"})
        );
        assert!(audits(&store, &source).is_empty());
        // The record's history shows the reads, with nothing of the content.
        let h = store.history(&person).unwrap();
        assert_eq!(h.iter().filter(|i| i.kind == UNSEALED_KIND).count(), 3);
        assert!(h.iter().all(|i| i.changed.is_empty()));
        // Reads leave the record's row as it was.
        let row = store.get(&person).unwrap().unwrap();
        assert_eq!(row.updated_seq, row.created_seq);
        let report = store
            .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
            .unwrap();
        assert!(report.ok, "{report:?}");
    }
}

fn ledger_bytes(store: &Store) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    store
        .entry_bytes(0, store.size().unwrap(), |_, b| {
            out.push(b.to_vec());
            Ok(())
        })
        .unwrap();
    out
}

#[test]
fn rotation_rewraps_keys_and_only_appends_its_audit_entry() {
    for place in Place::all("rotate") {
        let (mut store, keys, _, person) = sealed_archive(&place);
        let s = signer();
        let escrow = kek("escrow words");
        let old_backup = store
            .backup_keys(&[&keys], &stamp(1).time, &escrow)
            .unwrap();
        let old_rows = place
            .raw()
            .texts("SELECT wrapped_json FROM record_keys ORDER BY record");
        let before = ledger_bytes(&store);
        let digest = store.projection_digest().unwrap();

        let new_kek = kek("bolat's words");
        let new = store
            .rotate_compartment(&keys, &[("bolat", &new_kek)], &stamp(2), &s, ORIGIN)
            .unwrap();
        let after = ledger_bytes(&store);
        assert_eq!(
            after[..before.len()],
            before[..],
            "rotation changed the ledger"
        );
        assert_eq!(after.len(), before.len() + 1);
        let entry = store.entry(before.len() as u64).unwrap();
        assert_eq!(entry.kind, ROTATED_KIND);
        assert_eq!(entry.payload["fingerprint"], new.fingerprint());
        assert_eq!(store.projection_digest().unwrap(), digest);
        assert_ne!(new.fingerprint(), keys.fingerprint());
        let new_rows = place
            .raw()
            .texts("SELECT wrapped_json FROM record_keys ORDER BY record");
        assert_eq!(new_rows.len(), 2);
        for (a, b) in old_rows.iter().zip(&new_rows) {
            assert_ne!(a, b);
        }

        // The old key, the old grant and the old backup are all refused.
        assert!(matches!(
            store.get_unsealed(&person, &keys, "aigerim", &stamp(2), &s, ORIGIN),
            Err(StoreError::Sealing(_))
        ));
        assert!(matches!(
            store.unlock_with_passphrase("sources", "aigerim", "aigerim's six words"),
            Err(StoreError::NoGrant { .. })
        ));
        let restored = store
            .restore_keys_with_passphrase(&old_backup, "escrow words", &stamp(3), &s, ORIGIN)
            .unwrap();
        assert!(restored.unlocked.is_empty());
        assert_eq!(restored.stale, ["sources"]);

        // The new key reads what the old one wrote.
        let again = store
            .unlock_with_passphrase("sources", "bolat", "bolat's words")
            .unwrap();
        let clear = store
            .get_unsealed(&person, &again, "bolat", &stamp(3), &s, ORIGIN)
            .unwrap();
        assert_eq!(clear.data["occupation"], format!("{MARKER} teacher"));
        assert_eq!(ledger_bytes(&store)[..before.len()], before[..]);
        drop(store);
        // The old wrapped keys are gone from every stored byte.
        for r in &old_rows {
            let row: Value = serde_json::from_str(r).unwrap();
            let key = row["key"].as_str().unwrap().to_string();
            let hits = place.find(&[key.as_bytes()]);
            assert!(hits.is_empty(), "old wrapped key survives: {hits:?}");
        }
    }
}

#[test]
fn key_backup_restores_access() {
    for place in Place::all("backup") {
        let (mut store, keys, _, person) = sealed_archive(&place);
        let s = signer();
        let (escrow, _file) = Kek::generate_key_file().unwrap();
        let bytes = store
            .backup_keys(&[&keys], &stamp(1).time, &escrow)
            .unwrap();
        drop(keys);
        let before = snapshot(&place, &store);
        let (wrong, _) = Kek::generate_key_file().unwrap();
        assert!(matches!(
            store.restore_keys(&bytes, &wrong, &stamp(2), &s, ORIGIN),
            Err(StoreError::Backup(
                qantar_seal::BackupError::WrongKeyFile { .. }
            ))
        ));
        let mut damaged = bytes.clone();
        damaged[40] ^= 1;
        assert!(matches!(
            store.restore_keys(&damaged, &escrow, &stamp(2), &s, ORIGIN),
            Err(StoreError::Backup(qantar_seal::BackupError::Damaged { .. }))
        ));
        assert_eq!(snapshot(&place, &store), before);
        // Every handler lost their passphrase: the escrow key grants anew.
        let restored = store
            .restore_keys(&bytes, &escrow, &stamp(2), &s, ORIGIN)
            .unwrap();
        assert_eq!(restored.unlocked.len(), 1);
        assert_eq!(restored.unlocked[0].handler(), "key-backup");
        store
            .grant(
                &restored.unlocked[0],
                "dana",
                &kek("dana's words"),
                &stamp(3),
                &s,
                ORIGIN,
            )
            .unwrap();
        let dana = store
            .unlock_with_passphrase("sources", "dana", "dana's words")
            .unwrap();
        let clear = store
            .get_unsealed(&person, &dana, "dana", &stamp(2), &s, ORIGIN)
            .unwrap();
        assert_eq!(clear.data["age"], 31);
    }
}

#[test]
fn erasure_leaves_a_tombstone_and_nothing_that_opens() {
    for place in Place::all("erase") {
        let (mut store, keys, source, person) = sealed_archive(&place);
        let s = signer();
        // A second sealed version, so the tombstone covers both.
        let d = store
            .prepare_amend_unsealed(
                &person,
                &json!({"age": 32}),
                None,
                &keys,
                "aigerim",
                &stamp(1),
                &s,
                ORIGIN,
            )
            .unwrap();
        store
            .append_sealed(vec![d], &stamp(2), &s, ORIGIN, &keys)
            .unwrap();
        let wrapped = place
            .raw()
            .texts(&format!(
                "SELECT wrapped_json FROM record_keys WHERE record = '{person}'"
            ))
            .remove(0);
        let wrapped_key = serde_json::from_str::<Value>(&wrapped).unwrap()["key"]
            .as_str()
            .unwrap()
            .to_string();

        let receipt = store
            .erase_record(
                &person,
                ErasureReason::ConsentWithdrawn,
                &stamp(3),
                &s,
                ORIGIN,
            )
            .unwrap();
        let tomb = store.entry(receipt.first_seq).unwrap();
        assert_eq!(tomb.kind, ERASED_KIND);
        assert_eq!(tomb.record.as_deref(), Some(person.as_str()));
        assert_eq!(tomb.payload["reason"], "consent_withdrawn");
        // Listed in the order of their hashes, so sort to compare.
        let mut versions: Vec<u64> = tomb.payload["erasure"]["payloads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["version"].as_u64().unwrap())
            .collect();
        versions.sort_unstable();
        assert_eq!(versions, [1, 2]);
        let text = serde_json::to_string(&tomb.payload).unwrap();
        assert!(
            !text.contains(MARKER) && !text.contains("sources"),
            "{text}"
        );

        // Nothing opens it now, with every key there is.
        let err = store
            .get_unsealed(&person, &keys, "aigerim", &stamp(4), &s, ORIGIN)
            .unwrap_err();
        assert!(matches!(err, StoreError::Erased { .. }), "{err}");
        assert!(err.to_string().contains("crypto-erased"), "{err}");
        assert!(store.sealed_compartment(&person).unwrap().is_none());
        assert!(matches!(
            store.erase_record(&person, ErasureReason::Mistake, &stamp(5), &s, ORIGIN),
            Err(StoreError::Erased { .. })
        ));
        let row = store.get(&person).unwrap().unwrap();
        assert!(row.is_erased() && row.retracted);
        assert_eq!(row.label, ERASED_LABEL);
        assert!(matches!(
            store.prepare_amend_unsealed(
                &person,
                &json!({"age": 1}),
                None,
                &keys,
                "aigerim",
                &stamp(6),
                &s,
                ORIGIN
            ),
            Err(StoreError::Erased { .. })
        ));
        // The other sealed record is untouched.
        store
            .get_unsealed(&source, &keys, "aigerim", &stamp(7), &s, ORIGIN)
            .unwrap();
        // A record in clear cannot be crypto-erased.
        let err = store
            .erase_record("s-public", ErasureReason::Safety, &stamp(8), &s, ORIGIN)
            .unwrap_err();
        assert!(err.to_string().contains("retract it instead"), "{err}");

        let report = store
            .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
            .unwrap();
        assert!(report.ok, "{report:?}");
        let digest = store.projection_digest().unwrap();
        store.rebuild(&mut |_, _| {}).unwrap();
        assert_eq!(store.projection_digest().unwrap(), digest);
        drop(store);
        // The destroyed key is in no stored byte any more.
        let hits = place.find(&[wrapped_key.as_bytes()]);
        assert!(hits.is_empty(), "the erased key survives: {hits:?}");
        assert!(place.find(&needles()).is_empty());
    }
}

#[test]
fn verify_rebuild_and_migration_need_no_key() {
    let places = Place::all("nokeys");
    let (store, keys, _, person) = sealed_archive(&places[0]);
    drop(store);
    // A fresh process that never saw a key.
    let mut store = places[0].open();
    let s = signer();
    let report = store
        .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
        .unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.projection_digest, report.replayed_digest);
    let digest = store.projection_digest().unwrap();
    store.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(store.projection_digest().unwrap(), digest);
    assert_eq!(store.get(&person).unwrap().unwrap().label, SEALED_LABEL);

    // Moving to the other backend and back carries the key tables.
    let dir = tempfile::tempdir().unwrap();
    let mut targets = vec![Store::create(&dir.path().join("copy.sqlite")).unwrap()];
    if let Some(pg) = places.get(1) {
        targets.push(pg.create());
    }
    for mut target in targets {
        store.copy_into(&mut target, &mut |_, _| {}).unwrap();
        assert_eq!(target.projection_digest().unwrap(), digest);
        assert_eq!(ledger_bytes(&target), ledger_bytes(&store));
        let report = target
            .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
            .unwrap();
        assert!(report.ok, "{report:?}");
        let clear = target
            .get_unsealed(&person, &keys, "aigerim", &stamp(9), &s, ORIGIN)
            .unwrap();
        assert_eq!(clear.data["age"], 31);
        let again = target
            .unlock_with_passphrase("sources", "aigerim", "aigerim's six words")
            .unwrap();
        assert_eq!(again.fingerprint(), keys.fingerprint());
        assert_eq!(target.compartments().unwrap()[0].records, 2);
    }
}

#[test]
fn an_archive_of_schema_1_is_upgraded_on_open() {
    for place in Place::all("upgrade") {
        let mut store = place.create();
        let s = signer();
        let d = store
            .prepare_records(
                &[json!({"kind": "source", "source_kind": "media_report", "title": "Before", "confidentiality": "public"})],
                &mut minter(),
            )
            .unwrap();
        store.append(d, &stamp(1), &s, ORIGIN).unwrap();
        drop(store);
        // Make it what qantar with schema 1 left behind.
        place.raw().batch(
            "DROP TABLE record_keys; DROP TABLE grants; DROP TABLE compartments;
             UPDATE meta SET value = '1' WHERE key = 'schema_version';",
        );

        let mut store = place.open();
        assert_eq!(store.meta("schema_version").unwrap().as_deref(), Some("2"));
        assert!(!store.sealing_enabled().unwrap());
        let keys = store
            .create_compartment(
                "sources",
                "aigerim",
                &kek("words"),
                &stamp(2),
                &signer(),
                ORIGIN,
            )
            .unwrap();
        let d = store
            .prepare_records(
                &[json!({"kind": "source", "source_kind": "testimony", "title": MARKER})],
                &mut || uuid::Uuid::from_u128(99),
            )
            .unwrap();
        store
            .append_sealed(d, &stamp(3), &s, ORIGIN, &keys)
            .unwrap();
        let report = store
            .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
            .unwrap();
        assert!(report.ok, "{report:?}");
        if store.backend() == Backend::Sqlite {
            // Same logical schema as a store created at version 2.
            let fresh = Store::in_memory().unwrap();
            assert_eq!(
                store.logical_schema().unwrap(),
                fresh.logical_schema().unwrap()
            );
        }
    }
}

/// The entries appended since `from`.
fn entries_since(store: &Store, from: u64) -> Vec<qantar_ledger::Entry> {
    (from..store.size().unwrap())
        .map(|seq| store.entry(seq).unwrap())
        .collect()
}

/// Every string of 21 characters or more in the key tables: wrapped keys,
/// salts, nonces. None may appear in an audit entry.
fn key_table_strings(place: &Place) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.len() > 20 => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut db = place.raw();
    for sql in [
        "SELECT grant_json FROM grants",
        "SELECT wrapped_json FROM record_keys",
    ] {
        for text in db.texts(sql) {
            walk(&serde_json::from_str(&text).unwrap(), &mut out);
        }
    }
    out
}

#[test]
fn every_permission_change_is_one_audit_entry() {
    for place in Place::all("permaudit") {
        let mut store = place.create();
        let s = signer();
        let mut secrets = Vec::new();

        // Created: one entry, naming compartment, first handler and actor.
        let keys = store
            .create_compartment(
                "sources",
                "aigerim",
                &kek("first words"),
                &stamp(1),
                &s,
                ORIGIN,
            )
            .unwrap();
        let e = entries_since(&store, 0);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, COMPARTMENT_CREATED_KIND);
        assert_eq!(
            (e[0].record.as_deref(), e[0].author.as_str()),
            (None, "tester")
        );
        assert_eq!(e[0].confidentiality, "restricted");
        assert_eq!(
            e[0].payload,
            json!({"compartment": "sources", "handler": "aigerim", "actor": "tester",
                   "fingerprint": keys.fingerprint(), "opens_with": "passphrase"})
        );
        assert_eq!(store.compartments().unwrap()[0].created_at, stamp(1).time);
        secrets.extend(key_table_strings(&place));

        // A refused creation adds no entry and no key row.
        let before = snapshot(&place, &store);
        let err = store
            .create_compartment(
                "sources",
                "bolat",
                &kek("other words"),
                &stamp(2),
                &s,
                ORIGIN,
            )
            .unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(snapshot(&place, &store), before);

        // Granted, then the grant replaced: one entry each, told apart.
        let (file_kek, _) = Kek::generate_key_file().unwrap();
        let size = store.size().unwrap();
        let receipt = store
            .grant(&keys, "bolat", &file_kek, &stamp(3), &s, ORIGIN)
            .unwrap();
        assert_eq!(receipt.first_seq, size);
        store
            .grant(&keys, "bolat", &kek("bolat words"), &stamp(4), &s, ORIGIN)
            .unwrap();
        secrets.extend(key_table_strings(&place));
        let e = entries_since(&store, size);
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|e| e.kind == GRANTED_KIND));
        assert_eq!(
            e[0].payload,
            json!({"compartment": "sources", "handler": "bolat", "granted_by": "aigerim",
                   "actor": "tester", "fingerprint": keys.fingerprint(),
                   "opens_with": "key-file", "replaced": false})
        );
        assert_eq!(e[1].payload["replaced"], true);
        assert_eq!(e[1].payload["opens_with"], "passphrase");

        // Revoked: one entry. Revoking the last handler, or someone with
        // no grant, adds none.
        let size = store.size().unwrap();
        store
            .revoke("sources", "bolat", &stamp(5), &s, ORIGIN)
            .unwrap();
        let e = entries_since(&store, size);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, REVOKED_KIND);
        assert_eq!(
            e[0].payload,
            json!({"compartment": "sources", "handler": "bolat", "actor": "tester",
                   "fingerprint": keys.fingerprint()})
        );
        let before = snapshot(&place, &store);
        let err = store
            .revoke("sources", "aigerim", &stamp(6), &s, ORIGIN)
            .unwrap_err();
        assert!(err.to_string().contains("last handler"), "{err}");
        assert!(matches!(
            store.revoke("sources", "nobody", &stamp(6), &s, ORIGIN),
            Err(StoreError::NoGrant { .. })
        ));
        assert_eq!(snapshot(&place, &store), before);

        // A wrong passphrase opens nothing, so nothing can be granted.
        assert!(
            store
                .unlock_with_passphrase("sources", "aigerim", "not the words")
                .is_err()
        );
        assert_eq!(snapshot(&place, &store), before);

        // Rotated: one entry with both generations, who keeps access and
        // who lost it.
        store
            .grant(&keys, "dana", &kek("dana words"), &stamp(7), &s, ORIGIN)
            .unwrap();
        let escrow = kek("escrow words");
        let backup = store
            .backup_keys(&[&keys], &stamp(8).time, &escrow)
            .unwrap();
        let size = store.size().unwrap();
        let aigerim = kek("aigerim new words");
        let new = store
            .rotate_compartment(&keys, &[("aigerim", &aigerim)], &stamp(9), &s, ORIGIN)
            .unwrap();
        secrets.extend(key_table_strings(&place));
        let e = entries_since(&store, size);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, ROTATED_KIND);
        assert_eq!(
            e[0].payload,
            json!({"compartment": "sources", "handler": "aigerim", "actor": "tester",
                   "old_fingerprint": keys.fingerprint(), "fingerprint": new.fingerprint(),
                   "handlers": ["aigerim"], "dropped": ["dana"], "records_rewrapped": 0})
        );
        // The old key can neither rotate nor grant any more, and trying adds nothing.
        let before = snapshot(&place, &store);
        assert!(
            store
                .rotate_compartment(&keys, &[("aigerim", &aigerim)], &stamp(10), &s, ORIGIN)
                .is_err()
        );
        assert!(
            store
                .grant(&keys, "erlan", &kek("erlan words"), &stamp(10), &s, ORIGIN)
                .is_err()
        );
        assert_eq!(snapshot(&place, &store), before);

        // A key backup: a wrong escrow key adds nothing, nor does one whose
        // keys were all rotated away since; a current one is one entry.
        assert!(
            store
                .restore_keys(&backup, &kek("escrow words"), &stamp(11), &s, ORIGIN)
                .is_err()
        );
        assert_eq!(snapshot(&place, &store), before);
        let restored = store
            .restore_keys(&backup, &escrow, &stamp(11), &s, ORIGIN)
            .unwrap();
        assert_eq!(restored.stale, ["sources"]);
        let fresh = store
            .backup_keys(&[&new], &stamp(12).time, &escrow)
            .unwrap();
        let restored = store
            .restore_keys(&fresh, &escrow, &stamp(13), &s, ORIGIN)
            .unwrap();
        assert_eq!(restored.unlocked.len(), 1);
        let e = entries_since(&store, before.0);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, KEYS_RESTORED_KIND);
        assert_eq!(
            e[0].payload,
            json!({"actor": "tester", "backup_created_at": stamp(12).time,
                   "compartments": [{"compartment": "sources", "fingerprint": new.fingerprint()}],
                   "stale": []})
        );
        // A grant from the backup names it as the granter.
        store
            .grant(
                &restored.unlocked[0],
                "dana",
                &kek("dana again"),
                &stamp(14),
                &s,
                ORIGIN,
            )
            .unwrap();
        let last = store.entry(store.size().unwrap() - 1).unwrap();
        assert_eq!(last.payload["granted_by"], "key-backup");

        // Nothing of any key, wrapped or not, is in the audit entries.
        secrets.extend(key_table_strings(&place));
        assert!(secrets.len() >= 4, "the key tables hold {secrets:?}");
        for e in entries_since(&store, 0) {
            let bytes = String::from_utf8(e.canonical_bytes()).unwrap();
            for secret in &secrets {
                assert!(
                    !bytes.contains(secret.as_str()),
                    "entry {} holds {secret}",
                    e.seq
                );
            }
        }
        // The trail lists exactly these entries, in order.
        let mut trail = Vec::new();
        store
            .audit_trail(0, |e| {
                trail.push(e.kind);
                Ok(())
            })
            .unwrap();
        assert_eq!(trail.len() as u64, store.size().unwrap());
        assert_eq!(trail[0], COMPARTMENT_CREATED_KIND);
        let digest = store.projection_digest().unwrap();
        store.rebuild(&mut |_, _| {}).unwrap();
        assert_eq!(store.projection_digest().unwrap(), digest);
        let report = store
            .verify(&s.verifier(), ORIGIN, true, &mut |_, _, _| {})
            .unwrap();
        assert!(report.ok, "{report:?}");
    }
}

#[test]
fn bulk_unsealing_is_one_audit_entry_before_any_record() {
    for place in Place::all("bulkunseal") {
        let (mut store, keys, _, person) = sealed_archive(&place);
        let s = signer();
        let size = store.size().unwrap();
        let mut seen = Vec::new();
        let n = store
            .unseal_each(
                qantar_model::Kind::Person,
                &keys,
                "aigerim",
                "test",
                &stamp(3),
                &s,
                ORIGIN,
                &mut |id, body| {
                    seen.push((id.to_string(), body["occupation"].clone()));
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(seen, [(person.clone(), json!(format!("{MARKER} teacher")))]);
        let e = entries_since(&store, size);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, UNSEALED_KIND);
        assert_eq!(
            e[0].payload,
            json!({"handler": "aigerim", "reader": "aigerim", "compartment": "sources",
                   "kind": "person", "records": 1, "purpose": "test"})
        );
        // Nothing sealed of that kind: nothing opened, nothing appended.
        let n = store
            .unseal_each(
                qantar_model::Kind::Event,
                &keys,
                "aigerim",
                "test",
                &stamp(4),
                &s,
                ORIGIN,
                &mut |_, _| Ok(()),
            )
            .unwrap();
        assert_eq!((n, store.size().unwrap()), (0, size + 1));
    }
}
