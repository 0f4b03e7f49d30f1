//! The public export: the public snapshot as JSON Lines, one record per
//! line, for mirrors, researchers and partners who want the data rather
//! than the pages.
//!
//! It is built from [`Snapshot`] alone, like every public page, so it
//! holds exactly what the site shows: public, unretracted records that
//! consent allows, sanitised. The bytes depend only on the snapshot: the
//! records are sorted by kind (in contract order) then id, and each is
//! written in its contract key order, so `qantar export --public` and
//! `GET /export/public.jsonl` give the same file for the same ledger.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::public::Snapshot;

/// The media type of JSON Lines.
pub const JSONL_TYPE: &str = "application/jsonl; charset=utf-8";

/// The snapshot as JSON Lines.
pub fn public_jsonl(snap: &Snapshot) -> Vec<u8> {
    let mut out = Vec::new();
    for r in snap.sorted() {
        // A record's JSON is objects of strings and numbers: it always
        // serialises.
        if let Ok(line) = serde_json::to_vec(&r.to_json()) {
            out.extend_from_slice(&line);
            out.push(b'\n');
        }
    }
    out
}

/// How many public records of each kind the snapshot holds (kinds with
/// none are left out).
pub fn counts(snap: &Snapshot) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for r in snap.sorted() {
        *out.entry(r.kind().as_str().to_string()).or_insert(0) += 1;
    }
    out
}

/// SHA-256 of `bytes`, in lower-case hex, for manifests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `GET /export/public.jsonl`: anonymous, like the rest of the public site.
pub async fn public_jsonl_route(State(state): State<AppState>) -> Response {
    match state.snapshot().await {
        Ok(snap) => {
            let body = public_jsonl(&snap);
            (
                [
                    (header::CONTENT_TYPE, JSONL_TYPE.to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"public.jsonl\"".to_string(),
                    ),
                    (
                        header::HeaderName::from_static("x-qantar-ledger-size"),
                        snap.size.to_string(),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the public export cannot be built right now; try again later\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qantar_model::Record;
    use serde_json::json;

    fn rec(v: serde_json::Value) -> Record {
        Record::from_json(&v, &mut uuid::Uuid::now_v7).expect("valid")
    }

    #[test]
    fn lines_are_sorted_and_the_same_for_any_input_order() {
        let records = vec![
            rec(
                json!({"kind": "source", "source_kind": "media_report", "title": "B", "confidentiality": "public"}),
            ),
            rec(
                json!({"kind": "place", "place_type": "city", "name": "A", "confidentiality": "public"}),
            ),
            rec(
                json!({"kind": "place", "place_type": "city", "name": "C", "confidentiality": "public"}),
            ),
            rec(
                json!({"kind": "place", "place_type": "city", "name": "Hidden", "confidentiality": "restricted"}),
            ),
        ];
        let mut reversed = records.clone();
        reversed.reverse();
        let a = public_jsonl(&Snapshot::from_records(3, records));
        let b = public_jsonl(&Snapshot::from_records(3, reversed));
        assert_eq!(a, b);
        let text = String::from_utf8(a).expect("utf-8");
        let kinds: Vec<String> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("json")["kind"].to_string()
            })
            .collect();
        assert_eq!(kinds, ["\"place\"", "\"place\"", "\"source\""]);
        assert!(!text.contains("Hidden"));
        assert_eq!(sha256_hex(b"").len(), 64);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
