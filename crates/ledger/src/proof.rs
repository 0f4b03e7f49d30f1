//! Verifying inclusion and consistency proofs (RFC 9162 §2.1.3.2, §2.1.4.2).
//!
//! The verifiers take hashes as byte slices because that is what arrives from
//! outside (JSON, probe files, other implementations); a slice that is not
//! exactly 32 bytes is refused before any hashing, which closes the trick of
//! an empty leaf hash "matching" an empty root. The proof length is checked
//! against the length the tree shape dictates before the fold, which both
//! gives a clear error and bounds the work on hostile input.
//!
//! Consistency from size 0 is refused with [`ProofError::FromEmptyTree`]; see
//! [`crate::tree`] for why.

use crate::hash::{Hash, hash_to_hex, node_hash_bytes};

/// Why a proof does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// A hash is not 32 bytes.
    #[error("{what} is {len} bytes long; every hash in a proof must be exactly 32 bytes (SHA-256)")]
    HashLength {
        /// Which hash: `leaf hash`, `root`, `old root`, `new root` or `proof[i]`.
        what: String,
        /// Its actual length.
        len: usize,
    },
    /// The leaf index is not below the tree size.
    #[error("leaf index {index} is outside a tree of {size} leaves")]
    IndexOutOfRange {
        /// The claimed leaf index.
        index: u64,
        /// The claimed tree size.
        size: u64,
    },
    /// The old size is larger than the new size.
    #[error("old tree size {size1} is larger than new tree size {size2}; a log can only grow")]
    SizeOrder {
        /// The claimed old size.
        size1: u64,
        /// The claimed new size.
        size2: u64,
    },
    /// A consistency proof from the empty tree (refused by policy).
    #[error(
        "a consistency proof from tree size 0 proves nothing (every log extends the empty log); verify the signed checkpoint of the new size instead"
    )]
    FromEmptyTree,
    /// The proof has the wrong number of hashes for the tree shape.
    #[error("the proof has {got} hashes, but this tree shape needs exactly {expected}")]
    ProofLength {
        /// Hashes supplied.
        got: usize,
        /// Hashes required.
        expected: usize,
    },
    /// The inclusion proof leads to a different root.
    #[error("the proof leads to root {computed}, not to the expected root {expected}")]
    RootMismatch {
        /// Hex of the root the proof computes.
        computed: String,
        /// Hex of the root it should reach.
        expected: String,
    },
    /// The consistency proof does not reproduce the old root.
    #[error("the proof reconstructs old root {computed}, not the given old root {expected}")]
    OldRootMismatch {
        /// Hex of the old root the proof computes.
        computed: String,
        /// Hex of the old root supplied.
        expected: String,
    },
    /// The consistency proof does not reproduce the new root.
    #[error("the proof reconstructs new root {computed}, not the given new root {expected}")]
    NewRootMismatch {
        /// Hex of the new root the proof computes.
        computed: String,
        /// Hex of the new root supplied.
        expected: String,
    },
    /// Equal sizes with different roots: two different logs (a fork).
    #[error(
        "both trees have {size} leaves but different roots ({root1} vs {root2}): these are two different logs"
    )]
    EqualSizesDifferentRoots {
        /// The common size.
        size: u64,
        /// Hex of the first root.
        root1: String,
        /// Hex of the second root.
        root2: String,
    },
}

/// Verify that `leaf_hash` is leaf `index` of the tree of `size` leaves with
/// root `root`, given the audit path `proof` (leaf-to-root order).
pub fn verify_inclusion(
    leaf_hash: &[u8],
    index: u64,
    size: u64,
    proof: &[Vec<u8>],
    root: &[u8],
) -> Result<(), ProofError> {
    let leaf = as_hash("leaf hash", leaf_hash)?;
    let root = as_hash("root", root)?;
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let expected = inclusion_proof_len(index, size);
    if proof.len() != expected {
        return Err(ProofError::ProofLength {
            got: proof.len(),
            expected,
        });
    }
    let proof = proof_hashes(proof)?;

    // RFC 9162 §2.1.3.2, step by step.
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = leaf;
    for p in proof {
        if sn == 0 {
            // Unreachable after the length check; kept as the RFC states it.
            return Err(ProofError::ProofLength {
                got: proof.len(),
                expected,
            });
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash_bytes(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash_bytes(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::ProofLength {
            got: proof.len(),
            expected,
        });
    }
    if r != root {
        return Err(ProofError::RootMismatch {
            computed: hash_to_hex(&r),
            expected: hash_to_hex(&root),
        });
    }
    Ok(())
}

/// Verify that the tree of `size1` leaves with root `root1` is a prefix of
/// the tree of `size2` leaves with root `root2`.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    proof: &[Vec<u8>],
    root1: &[u8],
    root2: &[u8],
) -> Result<(), ProofError> {
    let root1 = as_hash("old root", root1)?;
    let root2 = as_hash("new root", root2)?;
    if size1 > size2 {
        return Err(ProofError::SizeOrder { size1, size2 });
    }
    if size1 == 0 {
        return Err(ProofError::FromEmptyTree);
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::ProofLength {
                got: proof.len(),
                expected: 0,
            });
        }
        if root1 != root2 {
            return Err(ProofError::EqualSizesDifferentRoots {
                size: size1,
                root1: hash_to_hex(&root1),
                root2: hash_to_hex(&root2),
            });
        }
        return Ok(());
    }
    let expected = consistency_proof_len(size1, size2);
    if proof.len() != expected {
        return Err(ProofError::ProofLength {
            got: proof.len(),
            expected,
        });
    }
    let proof = proof_hashes(proof)?;

    // RFC 9162 §2.1.4.2. When size1 is a power of two the old tree is a
    // perfect subtree of the new one, so its root is the first hash and is
    // not sent in the proof.
    let (first, rest): (&[u8], &[Vec<u8>]) = if size1.is_power_of_two() {
        (&root1, proof)
    } else {
        (&proof[0], &proof[1..])
    };
    let (mut fn_, mut sn) = (size1 - 1, size2 - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let mut fr = to_hash(first);
    let mut sr = fr;
    for c in rest {
        if sn == 0 {
            return Err(ProofError::ProofLength {
                got: proof.len(),
                expected,
            });
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash_bytes(c, &fr);
            sr = node_hash_bytes(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash_bytes(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::ProofLength {
            got: proof.len(),
            expected,
        });
    }
    if fr != root1 {
        return Err(ProofError::OldRootMismatch {
            computed: hash_to_hex(&fr),
            expected: hash_to_hex(&root1),
        });
    }
    if sr != root2 {
        return Err(ProofError::NewRootMismatch {
            computed: hash_to_hex(&sr),
            expected: hash_to_hex(&root2),
        });
    }
    Ok(())
}

/// The number of hashes in the inclusion proof of leaf `index` (< `size`).
///
/// The path has one "inner" hash for each level where the leaf's path and the
/// path to the last leaf diverge (the bit length of `index ^ (size-1)`), and
/// one "border" hash for each set bit of `index` above those levels (the left
/// siblings along the tree's ragged right edge).
pub fn inclusion_proof_len(index: u64, size: u64) -> usize {
    debug_assert!(index < size);
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    let border = (index.checked_shr(inner).unwrap_or(0)).count_ones();
    (inner + border) as usize
}

/// The number of hashes in the consistency proof from `size1` to `size2`
/// (0 < size1 < size2): the inclusion path of the old tree's last leaf,
/// minus the levels inside the old tree's last perfect subtree, plus that
/// subtree's root unless the old tree is itself perfect.
pub fn consistency_proof_len(size1: u64, size2: u64) -> usize {
    debug_assert!(0 < size1 && size1 < size2);
    let last = size1 - 1;
    let inner = 64 - (last ^ (size2 - 1)).leading_zeros();
    let border = (last.checked_shr(inner).unwrap_or(0)).count_ones();
    let shift = size1.trailing_zeros();
    let inner = inner.saturating_sub(shift);
    let start = u32::from(!size1.is_power_of_two());
    (start + inner + border) as usize
}

fn as_hash(what: &str, bytes: &[u8]) -> Result<Hash, ProofError> {
    bytes.try_into().map_err(|_| ProofError::HashLength {
        what: what.to_string(),
        len: bytes.len(),
    })
}

/// Checks every proof element's length up front so the fold can treat them as hashes.
fn proof_hashes(proof: &[Vec<u8>]) -> Result<&[Vec<u8>], ProofError> {
    for (i, p) in proof.iter().enumerate() {
        if p.len() != 32 {
            return Err(ProofError::HashLength {
                what: format!("proof[{i}]"),
                len: p.len(),
            });
        }
    }
    Ok(proof)
}

fn to_hash(bytes: &[u8]) -> Hash {
    let mut h = [0u8; 32];
    h.copy_from_slice(bytes);
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::tree::MemoryTree;

    /// The closed-form lengths must agree with what the generator produces,
    /// for every shape up to 200 leaves.
    #[test]
    fn proof_lengths_match_generated_proofs() {
        let mut t = MemoryTree::new();
        for i in 0..200u32 {
            t.push(leaf_hash(&i.to_be_bytes()));
        }
        for n in 1..=200u64 {
            for i in 0..n {
                let p = t.inclusion_proof(i, n).expect("in range");
                assert_eq!(p.len(), inclusion_proof_len(i, n), "inclusion {i} of {n}");
            }
            for m in 1..n {
                let p = t.consistency_proof(m, n).expect("in range");
                assert_eq!(p.len(), consistency_proof_len(m, n), "consistency {m}->{n}");
            }
        }
    }

    #[test]
    fn lengths_at_the_top_of_u64_do_not_overflow() {
        // The last leaf is a lone subtree beside 63 larger ones.
        assert_eq!(inclusion_proof_len(u64::MAX - 1, u64::MAX), 63);
        assert_eq!(inclusion_proof_len(0, u64::MAX), 64);
        assert_eq!(consistency_proof_len(1, u64::MAX), 64);
        assert_eq!(consistency_proof_len(u64::MAX - 1, u64::MAX), 64);
    }
}
