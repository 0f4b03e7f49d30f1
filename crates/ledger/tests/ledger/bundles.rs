//! Portable proof files, end to end: build a small ledger, sign checkpoints,
//! write bundles as JSON, read them back and verify with only a public key.

use qantar_ledger::{
    BundleError, Checkpoint, ConsistencyBundle, Entry, InclusionBundle, MemoryTree, NoteSigner,
    ProofError, verify_consistency_bundle, verify_inclusion_bundle,
};
use serde_json::json;

const ORIGIN: &str = "qantar.example/kz-2022";

struct Ledger {
    entries: Vec<Entry>,
    tree: MemoryTree,
    signer: NoteSigner,
}

impl Ledger {
    fn new(count: u64) -> Ledger {
        let signer = NoteSigner::from_seed(ORIGIN, [11; 32]).expect("valid name");
        let mut ledger = Ledger {
            entries: vec![],
            tree: MemoryTree::new(),
            signer,
        };
        for seq in 0..count {
            let e = Entry {
                seq,
                time: format!("2026-11-22T07:23:{:02}.000Z", seq % 60),
                author: "documenter".into(),
                kind: if seq == 0 {
                    "archive.created"
                } else {
                    "person.recorded"
                }
                .into(),
                record: None,
                confidentiality: "public".into(),
                payload: json!({"n": seq}),
            };
            ledger.tree.push(e.leaf_hash());
            ledger.entries.push(e);
        }
        ledger
    }

    fn signed_checkpoint(&self, size: u64) -> String {
        Checkpoint {
            origin: ORIGIN.into(),
            size,
            root: self.tree.root_at(size).expect("size exists"),
            extensions: vec![],
        }
        .sign(&self.signer)
        .expect("valid checkpoint")
    }

    fn inclusion(&self, index: u64, size: u64) -> InclusionBundle {
        let proof = self.tree.inclusion_proof(index, size).expect("in range");
        InclusionBundle::new(
            &self.entries[index as usize],
            size,
            &proof,
            &self.signed_checkpoint(size),
        )
    }

    fn consistency(&self, old: u64, new: u64, with_old: bool) -> ConsistencyBundle {
        let proof = self.tree.consistency_proof(old, new).expect("in range");
        let old_note = with_old.then(|| self.signed_checkpoint(old));
        ConsistencyBundle::new(
            old,
            new,
            &self.tree.root_at(old).expect("size exists"),
            &proof,
            old_note.as_deref(),
            &self.signed_checkpoint(new),
        )
    }
}

/// Serialise and parse back, as `qantar prove` / `verify-proof` would.
fn through_json<T: serde::Serialize + serde::de::DeserializeOwned>(b: &T) -> T {
    let text = serde_json::to_string_pretty(b).expect("serialisable");
    serde_json::from_str(&text).expect("parses back")
}

#[test]
fn inclusion_bundle_verifies_from_json() {
    let ledger = Ledger::new(13);
    let key = ledger.signer.verifier();
    for (index, size) in [(0, 1), (0, 13), (7, 13), (12, 13), (5, 8)] {
        let bundle = through_json(&ledger.inclusion(index, size));
        let verified = verify_inclusion_bundle(&bundle, &key)
            .unwrap_or_else(|e| panic!("{index}/{size}: {e}"));
        assert_eq!(verified.origin, ORIGIN);
        assert_eq!(verified.tree_size, size);
        assert_eq!(Some(verified.root), ledger.tree.root_at(size));
        assert_eq!(
            verified.entry.as_ref(),
            Some(&ledger.entries[index as usize])
        );
        assert!(
            verified.summary.contains(&format!("entry {index} ")),
            "{}",
            verified.summary
        );
    }
}

#[test]
fn inclusion_bundle_tampering_is_caught() {
    let ledger = Ledger::new(13);
    let key = ledger.signer.verifier();
    let good = ledger.inclusion(7, 13);

    let mut b = good.clone();
    b.format = "qantar-inclusion-proof/v2".into();
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::Format { .. })
    ));

    let mut b = good.clone();
    b.tree_size = 12;
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::SizeMismatch { .. })
    ));

    // Another entry's bytes with this entry's proof.
    let mut b = good.clone();
    b.entry = ledger.inclusion(6, 13).entry;
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::SeqMismatch { .. })
    ));

    // The entry edited (payload changed), leaf hash left alone.
    let mut edited = ledger.entries[7].clone();
    edited.payload = json!({"n": 700});
    let mut b = good.clone();
    b.entry = InclusionBundle::new(&edited, 13, &[], "").entry;
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::LeafHashMismatch { .. })
    ));
    // ... and with the leaf hash updated to match, the path fails.
    b.leaf_hash = InclusionBundle::new(&edited, 13, &[], "").leaf_hash;
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::Proof(ProofError::RootMismatch { .. }))
    ));

    let mut b = good.clone();
    b.proof[1] = b.proof[0].clone();
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::Proof(_))
    ));

    let mut b = good.clone();
    b.proof.pop();
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::Proof(_))
    ));

    let mut b = good.clone();
    b.proof[0] = "zz".into();
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::Encoding { .. })
    ));

    // The checkpoint of a forged log, signed by another key.
    let other = NoteSigner::from_seed(ORIGIN, [12; 32]).expect("valid name");
    let mut b = good.clone();
    b.checkpoint = Checkpoint::open(&good.checkpoint, std::slice::from_ref(&key))
        .expect("opens")
        .sign(&other)
        .expect("signs");
    assert!(matches!(
        verify_inclusion_bundle(&b, &key),
        Err(BundleError::Checkpoint { .. })
    ));

    // Unknown fields are refused rather than silently ignored.
    let mut value = serde_json::to_value(&good).expect("serialisable");
    value["extra"] = json!(1);
    assert!(serde_json::from_value::<InclusionBundle>(value).is_err());
}

#[test]
fn consistency_bundle_verifies_with_and_without_old_checkpoint() {
    let ledger = Ledger::new(21);
    let key = ledger.signer.verifier();
    for (old, new) in [(1, 21), (8, 21), (13, 21), (21, 21), (3, 4)] {
        for with_old in [false, true] {
            let bundle = through_json(&ledger.consistency(old, new, with_old));
            let verified = verify_consistency_bundle(&bundle, &key)
                .unwrap_or_else(|e| panic!("{old}->{new}: {e}"));
            assert_eq!(verified.tree_size, new);
            assert_eq!(verified.entry, None);
            assert_eq!(
                verified.summary.contains("the old root is signed"),
                with_old
            );
        }
    }
    // Without an old checkpoint the field is left out of the JSON entirely.
    let text = serde_json::to_string(&ledger.consistency(3, 4, false)).expect("serialisable");
    assert!(!text.contains("old_checkpoint"), "{text}");
}

#[test]
fn consistency_bundle_tampering_is_caught() {
    let ledger = Ledger::new(21);
    let key = ledger.signer.verifier();
    let good = ledger.consistency(13, 21, true);

    let mut b = good.clone();
    b.old_root = ledger.consistency(12, 21, false).old_root;
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::OldRootMismatch { .. })
    ));
    b.old_checkpoint = None;
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::Proof(_))
    ));

    let mut b = good.clone();
    b.old_size = 12;
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::SizeMismatch {
            field: "old_size",
            ..
        })
    ));

    let mut b = good.clone();
    b.new_size = 20;
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::SizeMismatch {
            field: "new_size",
            ..
        })
    ));

    let mut b = good.clone();
    b.old_checkpoint = Some(
        Checkpoint {
            origin: "other.example/log".into(),
            size: 13,
            root: ledger.tree.root_at(13).expect("size exists"),
            extensions: vec![],
        }
        .sign(&ledger.signer)
        .expect("signs"),
    );
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::OriginMismatch { .. })
    ));

    let mut b = good.clone();
    b.proof.swap(0, 1);
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::Proof(_))
    ));

    // A rewritten history: same size, entry 5 changed, re-signed by the log's
    // own key. The old checkpoint (kept by a mirror) exposes it.
    let mut forked = Ledger::new(21);
    forked.entries[5].payload = json!({"n": "rewritten"});
    forked.tree = MemoryTree::new();
    for e in &forked.entries {
        forked.tree.push(e.leaf_hash());
    }
    let mut b = forked.consistency(13, 21, false);
    b.old_root = good.old_root.clone();
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::Proof(_))
    ));

    // Size 0 is refused here too.
    let mut b = good.clone();
    b.old_size = 0;
    b.old_checkpoint = None;
    assert!(matches!(
        verify_consistency_bundle(&b, &key),
        Err(BundleError::Proof(ProofError::FromEmptyTree))
    ));
}
