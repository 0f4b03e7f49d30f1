//! The content-addressed blob store: ids are SHA-256 of the bytes, storage
//! is byte-identical and idempotent, and corruption is detected.

use std::fs;
use std::io::{Cursor, Write};

use qantar_vault::{BlobError, BlobId, BlobStore, sha256_hex};

fn store() -> (tempfile::TempDir, BlobStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = BlobStore::open(dir.path().join("vault")).expect("open");
    (dir, store)
}

#[test]
fn put_returns_the_sha256_and_get_returns_the_same_bytes() {
    let (_dir, s) = store();
    // Known answer: SHA-256("abc").
    let id = s.put(b"abc").expect("put");
    assert_eq!(
        id.to_hex(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(s.get(&id).expect("get"), b"abc");
    assert!(s.contains(&id));
    let path = s.path_of(&id);
    assert!(
        path.ends_with("objects/ba/7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert!(fs::metadata(&path).expect("meta").permissions().readonly());
}

#[test]
fn put_is_idempotent_and_leaves_no_temporary_files() {
    let (_dir, s) = store();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let a = s.put(&bytes).expect("put");
    let b = s.put(&bytes).expect("put again");
    let c = s.put_reader(Cursor::new(&bytes)).expect("put_reader");
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(fs::read_dir(s.root().join("tmp")).expect("tmp").count(), 0);
    let shard = s.path_of(&a).parent().expect("shard").to_owned();
    assert_eq!(fs::read_dir(shard).expect("shard").count(), 1);
}

#[test]
fn put_reader_streams_large_input() {
    let (_dir, s) = store();
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i ^ (i >> 9)) as u8).collect();
    let id = s.put_reader(Cursor::new(&bytes)).expect("put_reader");
    assert_eq!(id.to_hex(), sha256_hex(&bytes));
    let mut back = Vec::new();
    std::io::Read::read_to_end(&mut s.open_blob(&id).expect("open"), &mut back).expect("read");
    assert_eq!(back, bytes);
}

#[test]
fn verify_detects_a_changed_blob() {
    let (_dir, s) = store();
    let id = s.put(b"original evidence").expect("put");
    s.verify(&id).expect("fresh blob verifies");
    let path = s.path_of(&id);
    let mut perms = fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&path, perms).expect("chmod");
    fs::write(&path, b"tampered evidence").expect("tamper");
    match s.verify(&id) {
        Err(BlobError::Corrupt { id: bad, actual }) => {
            assert_eq!(bad, id);
            assert_eq!(actual, BlobId::of(b"tampered evidence"));
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn missing_blobs_and_bad_ids_are_named() {
    let (_dir, s) = store();
    let id = BlobId::of(b"never stored");
    assert!(!s.contains(&id));
    assert!(matches!(s.get(&id), Err(BlobError::NotFound { id: i }) if i == id));
    assert!(matches!(s.verify(&id), Err(BlobError::NotFound { .. })));

    let hex = id.to_hex();
    assert_eq!(hex.parse::<BlobId>().expect("parse"), id);
    for bad in [
        "".to_owned(),
        hex[..63].to_owned(),
        hex.to_uppercase(),
        format!("../{}", &hex[3..]),
        format!("{}g", &hex[..63]),
    ] {
        assert!(
            matches!(bad.parse::<BlobId>(), Err(BlobError::InvalidId { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn reopening_finds_existing_blobs() {
    let (dir, s) = store();
    let id = s.put(b"kept across restarts").expect("put");
    drop(s);
    let again = BlobStore::open(dir.path().join("vault")).expect("reopen");
    assert_eq!(again.get(&id).expect("get"), b"kept across restarts");
}

#[test]
fn a_writer_stores_a_stream_and_a_removed_blob_is_gone() {
    let (_dir, s) = store();
    let old = s.put(b"already here").expect("put");
    let mut w = s.writer().expect("writer");
    w.write_all(b"already ").unwrap();
    w.write_all(b"here").unwrap();
    let again = w.finish().expect("finish");
    assert_eq!((again.id, again.len, again.created), (old, 12, false));
    let mut w = s.writer().expect("writer");
    w.write_all(b"new bytes").unwrap();
    let new = w.finish().expect("finish");
    assert!(new.created);
    assert_eq!(new.id, BlobId::of(b"new bytes"));
    assert_eq!(s.ids().unwrap(), {
        let mut v = vec![old, new.id];
        v.sort();
        v
    });
    // Dropped unfinished: nothing is stored and no temporary file stays.
    let mut w = s.writer().expect("writer");
    w.write_all(b"abandoned").unwrap();
    drop(w);
    assert!(!s.contains(&BlobId::of(b"abandoned")));
    assert_eq!(fs::read_dir(s.root().join("tmp")).unwrap().count(), 0);
    assert!(s.remove(&old).unwrap());
    assert!(!s.remove(&old).unwrap());
    assert!(matches!(s.get(&old), Err(BlobError::NotFound { .. })));
    assert_eq!(s.ids().unwrap(), vec![new.id]);
}
