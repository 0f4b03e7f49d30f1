//! The ledger entry that records a public export: what was exported, how
//! many records of each kind, and the digest of the files, so anyone
//! holding an export can check it is the one the archive says it made.
//! No content: the export itself is public, but the entry is the archive's
//! own account of having made it.

use std::collections::BTreeMap;

use serde_json::json;

use crate::Draft;

/// Entry kind of the audit entry written for every export.
pub const EXPORTED_KIND: &str = "audit.exported";

/// What one export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// What was exported, e.g. `public`.
    pub what: String,
    /// `jsonl` or `csv`.
    pub format: String,
    /// The ledger size the exported snapshot was built at.
    pub ledger_size: u64,
    pub counts: BTreeMap<String, u64>,
    /// SHA-256 (hex) of the manifest, which lists the digest of every file.
    pub manifest_sha256: String,
}

/// The audit entry for an export. It names no record, and it is
/// restricted like every audit entry: who exported what stays internal.
pub fn export_draft(summary: &ExportSummary) -> Draft {
    Draft {
        kind: EXPORTED_KIND.into(),
        record: None,
        confidentiality: "restricted".into(),
        payload: json!({
            "what": summary.what,
            "format": summary.format,
            "ledger_size": summary.ledger_size,
            "counts": summary.counts,
            "manifest_sha256": summary.manifest_sha256,
        }),
        parsed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_entry_replays_and_verifies() {
        let mut store = crate::Store::in_memory().expect("store");
        let signer = qantar_ledger::NoteSigner::from_seed("test", [7u8; 32]).expect("signer");
        let stamp = crate::Stamp {
            author: "tester".into(),
            time: "2026-01-05T10:00:00.000Z".into(),
        };
        let summary = ExportSummary {
            what: "public".into(),
            format: "jsonl".into(),
            ledger_size: 0,
            counts: BTreeMap::from([("person".to_string(), 2)]),
            manifest_sha256: "ab".repeat(32),
        };
        let receipt = store
            .append(vec![export_draft(&summary)], &stamp, &signer, "o/test")
            .expect("append");
        let entry = store.entry(receipt.first_seq).expect("entry");
        assert_eq!(entry.kind, EXPORTED_KIND);
        assert_eq!(entry.record, None);
        assert_eq!(entry.payload["counts"]["person"], 2);
        let report = store
            .verify(&signer.verifier(), "o/test", true, &mut |_, _, _| {})
            .expect("verify");
        assert!(report.ok, "{report:?}");
    }
}
