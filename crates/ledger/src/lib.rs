//! The qantar ledger: the append-only, tamper-evident history of the archive.
//!
//! Every change to the archive is an [`Entry`]: a sequence number, a time, an
//! author, a kind such as `person.recorded`, an optional record id, a
//! confidentiality level and a JSON payload. An entry is hashed through its
//! canonical JSON bytes ([`Entry::canonical_bytes`], [`canonical_json`]) into a
//! leaf of an RFC 9162 Merkle tree ([`leaf_hash`], [`node_hash`]). The tree lets
//! anyone holding a signed [`Checkpoint`] check two things without trusting the
//! server: that an entry is in the log ([`inclusion_proof`] /
//! [`verify_inclusion`]) and that today's log extends yesterday's, with nothing
//! removed or rewritten ([`consistency_proof`] / [`verify_consistency`]).
//!
//! The tree is never held as a structure. A [`Frontier`] keeps one hash per
//! set bit of the size and reports each perfect subtree an append completes;
//! the store keeps those hashes in a table keyed by `(level, index)`. Roots
//! and proofs for any past size are then a handful of lookups through a
//! `node(level, index)` closure ([`root_at`], [`inclusion_proof`],
//! [`consistency_proof`]). [`MemoryTree`] is the in-memory version of that
//! table for tests, benchmarks and replays.
//!
//! Checkpoints are C2SP `tlog-checkpoint` texts inside C2SP signed notes with
//! Ed25519 keys ([`NoteSigner`], [`NoteVerifier`], [`open_note`]), so they can
//! be printed, mailed, diffed and cosigned by witnesses with existing tools.
//! The [`bundle`] module packs an entry or a pair of sizes with its proof and
//! signed checkpoint into a JSON file that can be checked with only a public
//! key ([`verify_inclusion_bundle`], [`verify_consistency_bundle`]).
//!
//! Boundaries: this crate is pure. It does no I/O, reads no clock and draws
//! no randomness; the caller supplies times, keys and stored nodes. Storage,
//! transactions, key files and the policy of when to sign live in the store
//! and the CLI. Sealing of confidential payloads is not here yet: a sealed
//! payload is just another JSON value to this crate.
//!
//! Consistency proofs from tree size 0 are refused on both sides; see
//! [`tree`] for the reason.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle;
pub mod checkpoint;
pub mod entry;
pub mod hash;
pub mod note;
pub mod proof;
pub mod tree;

pub use bundle::{
    BundleError, CONSISTENCY_FORMAT, ConsistencyBundle, INCLUSION_FORMAT, InclusionBundle,
    VerifiedProof, verify_consistency_bundle, verify_inclusion_bundle,
};
pub use checkpoint::{Checkpoint, CheckpointError};
pub use entry::{CONFIDENTIALITY_LEVELS, ENTRY_VERSION, Entry, EntryError, canonical_json};
pub use hash::{Hash, HashHexError, empty_root, hash_from_hex, hash_to_hex, leaf_hash, node_hash};
pub use note::{NoteError, NoteSigner, NoteVerifier, OpenedNote, open_note};
pub use proof::{
    ProofError, consistency_proof_len, inclusion_proof_len, verify_consistency, verify_inclusion,
};
pub use tree::{
    Frontier, MemoryTree, MissingNode, ProofRequestError, consistency_proof, inclusion_proof,
    root_at,
};
