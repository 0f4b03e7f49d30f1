//! Shared helpers: test data loading and small conversions.

use std::path::PathBuf;

use serde_json::Value;

/// The shared test-data folder, relative to this crate.
pub const MERKLE_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/merkle");

/// Load a JSON file from shared/data/merkle, or print why not and return None
/// (the data folder is absent on a plain checkout).
pub fn load(name: &str) -> Option<Value> {
    let path = PathBuf::from(MERKLE_DATA).join(name);
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return None;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Some(
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display())),
    )
}

pub fn unhex(v: &Value) -> Vec<u8> {
    let s = v.as_str().expect("hex string");
    hex::decode(s).unwrap_or_else(|e| panic!("bad hex {s:?} in test data: {e}"))
}

pub fn hash(v: &Value) -> [u8; 32] {
    unhex(v).try_into().expect("32-byte hash in test data")
}

pub fn unhex_list(v: &Value) -> Vec<Vec<u8>> {
    v.as_array().expect("array").iter().map(unhex).collect()
}

pub fn u64_of(v: &Value) -> u64 {
    v.as_u64().expect("unsigned integer")
}

pub fn str_of(v: &Value) -> &str {
    v.as_str().expect("string")
}

pub fn to_vecs(hashes: &[[u8; 32]]) -> Vec<Vec<u8>> {
    hashes.iter().map(|h| h.to_vec()).collect()
}
