//! Portable proof files: everything a third party needs, besides the log's
//! public key, to check that an entry is in the log or that the log only grew.
//!
//! `qantar prove` writes these as JSON and `qantar verify-proof` checks them
//! with nothing but the file and a public key; no database, no network. The
//! signed checkpoint travels inside the bundle, so the verifier learns the
//! root from a signature it trusts, never from the bundle's own claims.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::entry::{Entry, EntryError};
use crate::hash::{Hash, hash_from_hex, hash_to_hex, leaf_hash};
use crate::note::NoteVerifier;
use crate::proof::{ProofError, verify_consistency, verify_inclusion};

/// The `format` of an [`InclusionBundle`].
pub const INCLUSION_FORMAT: &str = "qantar-inclusion-proof/v1";
/// The `format` of a [`ConsistencyBundle`].
pub const CONSISTENCY_FORMAT: &str = "qantar-consistency-proof/v1";

/// Proof that one entry is leaf `index` of the signed tree of `tree_size` leaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionBundle {
    /// Always [`INCLUSION_FORMAT`].
    pub format: String,
    /// The leaf index (= the entry's `seq`).
    pub index: u64,
    /// The tree size the proof and checkpoint are for.
    pub tree_size: u64,
    /// Base64 of the entry's canonical bytes.
    pub entry: String,
    /// Hex of the leaf hash (redundant, for human cross-checking).
    pub leaf_hash: String,
    /// The audit path, hex, leaf to root.
    pub proof: Vec<String>,
    /// The signed checkpoint note for `tree_size`.
    pub checkpoint: String,
}

impl InclusionBundle {
    /// Assemble a bundle from an entry, its audit path and the signed
    /// checkpoint note of `tree_size`. The index is the entry's `seq`.
    pub fn new(entry: &Entry, tree_size: u64, proof: &[Hash], checkpoint_note: &str) -> Self {
        let bytes = entry.canonical_bytes();
        InclusionBundle {
            format: INCLUSION_FORMAT.to_string(),
            index: entry.seq,
            tree_size,
            entry: BASE64.encode(&bytes),
            leaf_hash: hash_to_hex(&leaf_hash(&bytes)),
            proof: proof.iter().map(hash_to_hex).collect(),
            checkpoint: checkpoint_note.to_string(),
        }
    }
}

/// Proof that the tree of `old_size` leaves is a prefix of the signed tree of
/// `new_size` leaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyBundle {
    /// Always [`CONSISTENCY_FORMAT`].
    pub format: String,
    /// The earlier tree size.
    pub old_size: u64,
    /// The later tree size.
    pub new_size: u64,
    /// Hex root of the earlier tree.
    pub old_root: String,
    /// The consistency proof, hex.
    pub proof: Vec<String>,
    /// The signed checkpoint note of `old_size`, when the prover has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_checkpoint: Option<String>,
    /// The signed checkpoint note of `new_size`.
    pub checkpoint: String,
}

impl ConsistencyBundle {
    /// Assemble a bundle.
    pub fn new(
        old_size: u64,
        new_size: u64,
        old_root: &Hash,
        proof: &[Hash],
        old_checkpoint_note: Option<&str>,
        checkpoint_note: &str,
    ) -> Self {
        ConsistencyBundle {
            format: CONSISTENCY_FORMAT.to_string(),
            old_size,
            new_size,
            old_root: hash_to_hex(old_root),
            proof: proof.iter().map(hash_to_hex).collect(),
            old_checkpoint: old_checkpoint_note.map(str::to_string),
            checkpoint: checkpoint_note.to_string(),
        }
    }
}

/// What a bundle proved.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedProof {
    /// The log's origin, from the signed checkpoint.
    pub origin: String,
    /// The signed tree size.
    pub tree_size: u64,
    /// The signed root.
    pub root: Hash,
    /// One human-readable line saying what was proved.
    pub summary: String,
    /// The entry, for inclusion bundles.
    pub entry: Option<Entry>,
}

/// Why a bundle does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// The `format` field is not the one expected.
    #[error(
        "bundle format is `{found}`, expected `{expected}`; is this the right kind of proof file?"
    )]
    Format {
        /// The format found.
        found: String,
        /// The format expected.
        expected: &'static str,
    },
    /// The signed checkpoint (or its signature) failed.
    #[error("the {which} checkpoint in the bundle does not verify: {source}")]
    Checkpoint {
        /// "new" or "old".
        which: &'static str,
        /// The underlying error.
        #[source]
        source: CheckpointError,
    },
    /// The checkpoint is for another size than the bundle claims.
    #[error(
        "the bundle's {field} is {claimed}, but its signed {which} checkpoint is for size {signed}"
    )]
    SizeMismatch {
        /// The bundle field.
        field: &'static str,
        /// "new" or "old".
        which: &'static str,
        /// The value in the bundle.
        claimed: u64,
        /// The signed size.
        signed: u64,
    },
    /// The old checkpoint signs a different root than `old_root`.
    #[error(
        "the bundle's old_root {claimed} differs from the root {signed} in its signed old checkpoint"
    )]
    OldRootMismatch {
        /// Hex root in the bundle.
        claimed: String,
        /// Hex root in the old checkpoint.
        signed: String,
    },
    /// The two checkpoints are for different logs.
    #[error("the old checkpoint is for log `{old}` but the new one is for log `{new}`")]
    OriginMismatch {
        /// Origin of the old checkpoint.
        old: String,
        /// Origin of the new checkpoint.
        new: String,
    },
    /// A field is not valid base64 or hex.
    #[error("bundle field `{field}` is not valid {encoding}: {reason}")]
    Encoding {
        /// The field, e.g. `entry` or `proof[3]`.
        field: String,
        /// "base64" or "hex".
        encoding: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// The entry bytes are not a canonical entry.
    #[error("the bundle's entry is not a valid ledger entry: {0}")]
    Entry(#[source] EntryError),
    /// The entry's `seq` is not the proof index.
    #[error("the entry has seq {seq} but the bundle proves index {index}")]
    SeqMismatch {
        /// The entry's seq.
        seq: u64,
        /// The bundle's index.
        index: u64,
    },
    /// `leaf_hash` is not the hash of `entry`.
    #[error("the bundle's leaf_hash {claimed} is not the hash of its entry ({computed})")]
    LeafHashMismatch {
        /// Hex in the bundle.
        claimed: String,
        /// Hex computed from the entry bytes.
        computed: String,
    },
    /// The Merkle proof fails.
    #[error("the Merkle proof does not verify: {0}")]
    Proof(#[source] ProofError),
}

/// Check an inclusion bundle: open the checkpoint with `verifier`, check its
/// size, recompute the leaf hash from the entry bytes and verify the path.
pub fn verify_inclusion_bundle(
    b: &InclusionBundle,
    verifier: &NoteVerifier,
) -> Result<VerifiedProof, BundleError> {
    check_format(&b.format, INCLUSION_FORMAT)?;
    let checkpoint = open_checkpoint(&b.checkpoint, verifier, "new")?;
    if checkpoint.size != b.tree_size {
        return Err(BundleError::SizeMismatch {
            field: "tree_size",
            which: "new",
            claimed: b.tree_size,
            signed: checkpoint.size,
        });
    }
    let bytes = BASE64.decode(&b.entry).map_err(|e| BundleError::Encoding {
        field: "entry".into(),
        encoding: "base64",
        reason: e.to_string(),
    })?;
    let entry = Entry::from_canonical_bytes(&bytes).map_err(BundleError::Entry)?;
    if entry.seq != b.index {
        return Err(BundleError::SeqMismatch {
            seq: entry.seq,
            index: b.index,
        });
    }
    let leaf = leaf_hash(&bytes);
    let claimed = decode_hex("leaf_hash", &b.leaf_hash)?;
    if claimed != leaf {
        return Err(BundleError::LeafHashMismatch {
            claimed: b.leaf_hash.clone(),
            computed: hash_to_hex(&leaf),
        });
    }
    let proof = decode_proof(&b.proof)?;
    verify_inclusion(&leaf, b.index, checkpoint.size, &proof, &checkpoint.root)
        .map_err(BundleError::Proof)?;
    let summary = format!(
        "entry {} ({}, {}) is in log {} at tree size {} (root {}), signed by {}",
        entry.seq,
        entry.kind,
        entry.time,
        checkpoint.origin,
        checkpoint.size,
        hash_to_hex(&checkpoint.root),
        verifier.name()
    );
    Ok(VerifiedProof {
        origin: checkpoint.origin,
        tree_size: checkpoint.size,
        root: checkpoint.root,
        summary,
        entry: Some(entry),
    })
}

/// Check a consistency bundle: open the new checkpoint with `verifier`, check
/// its size, and verify the proof from `old_root`. When `old_checkpoint` is
/// present it must verify with the same key, be for the same log and size,
/// and carry `old_root`.
pub fn verify_consistency_bundle(
    b: &ConsistencyBundle,
    verifier: &NoteVerifier,
) -> Result<VerifiedProof, BundleError> {
    check_format(&b.format, CONSISTENCY_FORMAT)?;
    let checkpoint = open_checkpoint(&b.checkpoint, verifier, "new")?;
    if checkpoint.size != b.new_size {
        return Err(BundleError::SizeMismatch {
            field: "new_size",
            which: "new",
            claimed: b.new_size,
            signed: checkpoint.size,
        });
    }
    let old_root = decode_hex("old_root", &b.old_root)?;
    let old_signed = match &b.old_checkpoint {
        None => false,
        Some(note) => {
            let old = open_checkpoint(note, verifier, "old")?;
            if old.origin != checkpoint.origin {
                return Err(BundleError::OriginMismatch {
                    old: old.origin,
                    new: checkpoint.origin,
                });
            }
            if old.size != b.old_size {
                return Err(BundleError::SizeMismatch {
                    field: "old_size",
                    which: "old",
                    claimed: b.old_size,
                    signed: old.size,
                });
            }
            if old.root != old_root {
                return Err(BundleError::OldRootMismatch {
                    claimed: b.old_root.clone(),
                    signed: hash_to_hex(&old.root),
                });
            }
            true
        }
    };
    let proof = decode_proof(&b.proof)?;
    verify_consistency(b.old_size, b.new_size, &proof, &old_root, &checkpoint.root)
        .map_err(BundleError::Proof)?;
    let provenance = if old_signed {
        "the old root is signed"
    } else {
        "the old root is the bundle's claim: compare it with a checkpoint you kept"
    };
    let summary = format!(
        "log {} at tree size {} (root {}) extends tree size {} (root {}); signed by {}; {}",
        checkpoint.origin,
        checkpoint.size,
        hash_to_hex(&checkpoint.root),
        b.old_size,
        hash_to_hex(&old_root),
        verifier.name(),
        provenance
    );
    Ok(VerifiedProof {
        origin: checkpoint.origin,
        tree_size: checkpoint.size,
        root: checkpoint.root,
        summary,
        entry: None,
    })
}

fn check_format(found: &str, expected: &'static str) -> Result<(), BundleError> {
    if found == expected {
        Ok(())
    } else {
        Err(BundleError::Format {
            found: crate::hash::abbreviate(found),
            expected,
        })
    }
}

fn open_checkpoint(
    note: &str,
    verifier: &NoteVerifier,
    which: &'static str,
) -> Result<Checkpoint, BundleError> {
    Checkpoint::open(note, std::slice::from_ref(verifier))
        .map_err(|source| BundleError::Checkpoint { which, source })
}

/// Hex that must be a 32-byte hash.
fn decode_hex(field: &str, text: &str) -> Result<Hash, BundleError> {
    hash_from_hex(text).map_err(|e| BundleError::Encoding {
        field: field.to_string(),
        encoding: "hex",
        reason: e.to_string(),
    })
}

/// Proof hashes; lengths are left to the verifier, which names the bad one.
fn decode_proof(proof: &[String]) -> Result<Vec<Vec<u8>>, BundleError> {
    proof
        .iter()
        .enumerate()
        .map(|(i, h)| {
            hex::decode(h).map_err(|e| BundleError::Encoding {
                field: format!("proof[{i}]"),
                encoding: "hex",
                reason: e.to_string(),
            })
        })
        .collect()
}
