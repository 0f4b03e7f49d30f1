//! Compartments for the sealed-record tests: created and granted through
//! the store (the calls the CLI's `qantar seal init/grant` make), with a
//! cheap Argon2id cost so that each unsealing in a test is fast. Every
//! handler's passphrase is derived from its name and compartment.

use std::path::Path;

use qantar_seal::{KdfParams, Kek, Salt};
use qantar_store::{Archive, Unlocked};
use serde_json::Value;

use super::stamp;

/// The passphrase `handler` opens `compartment` with.
pub fn passphrase(handler: &str, compartment: &str) -> String {
    format!("{handler} opens {compartment} with these words")
}

/// A key-encryption key for `passphrase` at a test cost (the grant keeps
/// the cost, so unlocking it later costs the same).
pub fn kek(passphrase: &str) -> Kek {
    let cheap = KdfParams::new(256, 1, 1).expect("cost");
    Kek::from_passphrase(passphrase, &cheap, &Salt::generate().expect("salt")).expect("kek")
}

/// Create each compartment with its handlers (the first creates it and
/// grants the others), each with [`passphrase`].
pub fn compartments(dir: &Path, plan: &[(&str, &[&str])]) {
    let mut a = Archive::open(dir).expect("open archive");
    for (name, handlers) in plan {
        let first = handlers[0];
        let keys = a
            .create_compartment(name, first, &kek(&passphrase(first, name)), &stamp())
            .expect("create compartment");
        for h in &handlers[1..] {
            a.grant(&keys, h, &kek(&passphrase(h, name)), &stamp())
                .expect("grant");
        }
    }
}

/// Open `compartment` as `handler` with its test passphrase.
pub fn unlock(a: &Archive, compartment: &str, handler: &str) -> Unlocked {
    a.store
        .unlock_with_passphrase(compartment, handler, &passphrase(handler, compartment))
        .expect("unlock")
}

/// Write `record` sealed into `compartment` as `handler`; its id.
pub fn seal_record(dir: &Path, compartment: &str, handler: &str, record: Value) -> String {
    let mut a = Archive::open(dir).expect("open archive");
    let keys = unlock(&a, compartment, handler);
    let drafts = a
        .store
        .prepare_records(&[record], &mut uuid::Uuid::now_v7)
        .expect("valid record");
    let id = drafts[0].record.clone().expect("a record id");
    a.append_sealed(drafts, &stamp(), &keys)
        .expect("append sealed");
    id
}

/// The readers named by the `audit.unsealed` entries about `record`, in
/// ledger order.
pub fn unsealed_by(dir: &Path, record: &str) -> Vec<String> {
    let a = Archive::open(dir).expect("open archive");
    let size = a.store.size().expect("size");
    (0..size)
        .map(|seq| a.store.entry(seq).expect("entry"))
        .filter(|e| e.kind == "audit.unsealed" && e.record.as_deref() == Some(record))
        .map(|e| e.payload["reader"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every `audit.unsealed` entry in the ledger.
pub fn audit_count(dir: &Path) -> usize {
    let a = Archive::open(dir).expect("open archive");
    let size = a.store.size().expect("size");
    (0..size)
        .filter(|seq| a.store.entry(*seq).expect("entry").kind == "audit.unsealed")
        .count()
}
