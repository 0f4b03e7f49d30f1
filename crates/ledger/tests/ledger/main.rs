//! Integration tests for qantar-ledger, one binary (one link step).
//!
//! - `vectors`: every upstream and derived vector in shared/data/merkle
//!   (reference tree, golden proofs, transparency-dev probes, exhaustive
//!   8-leaf proofs, signed-note vectors). The subtree probe files are for a
//!   later stage (subtree proofs are not implemented) and are skipped.
//! - `properties`: proptest over random trees of up to 2^16 leaves, against a
//!   naive recursive MTH; exhaustive checks for small trees.
//! - `entries`: canonical entry bytes.
//! - `notes`: signed notes and checkpoints, round trips and tampering.
//! - `bundles`: portable proof files end to end.

mod bundles;
mod entries;
mod notes;
mod properties;
mod util;
mod vectors;
