//! Building the tree and generating proofs from stored perfect subtrees.
//!
//! The store never holds the tree as a structure. It holds the hashes of
//! *perfect* subtrees, addressed by `(level, index)`: level `L`, index `j`
//! covers leaves `[j·2^L, (j+1)·2^L)`. Every such hash is final once its
//! last leaf is appended, so the table is append-only like the ledger. Any
//! root or proof of any past tree size is a short fold over at most about
//! `2·log2(n)` of those hashes:
//!
//! - [`Frontier`] is the running state of the writer: one hash per set bit of
//!   the size. Pushing a leaf reports each newly completed perfect subtree, so
//!   the store can insert it in the same transaction as the entry.
//! - [`root_at`], [`inclusion_proof`] and [`consistency_proof`] read nodes
//!   through a caller-supplied `node(level, index)` closure. They walk the RFC
//!   9162 §2.1.3.1 / §2.1.4.1 recursions top-down, without recursion and
//!   without materialising any subtree, so each needs O(log n) lookups.
//! - [`MemoryTree`] keeps every perfect-subtree hash in memory and answers the
//!   same lookups; it serves tests, benchmarks and scratch replays.
//!
//! # Consistency from the empty tree
//!
//! A consistency proof from size 0 is refused ([`ProofRequestError::FromEmptyTree`]
//! here, [`crate::ProofError::FromEmptyTree`] in the verifier). Every log
//! trivially extends the empty log, so such a "proof" would prove nothing,
//! and accepting it invites callers to treat a missing earlier checkpoint as
//! a verified one. A verifier that has no earlier checkpoint should verify the
//! signed checkpoint itself instead. This matches transparency-dev/merkle,
//! whose probe files mark every `size1 == 0` probe as an error.

use crate::hash::{Hash, empty_root, node_hash};

/// Streaming compact range over the leaves appended so far (an RFC 9162 tree).
///
/// It holds one perfect-subtree root per set bit of [`Frontier::size`],
/// largest (leftmost) first, which is all that is needed to compute the root
/// and to continue appending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// Roots of the perfect subtrees that tile `[0, size)`, left to right.
    roots: Vec<Hash>,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many leaves have been appended.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Append one leaf hash. Calls `on_node(level, index, &hash)` for the leaf
    /// itself (level 0, index = leaf index) and for every perfect subtree this
    /// append completes (level `L` covers leaves `[index<<L, (index+1)<<L)`),
    /// lowest level first.
    ///
    /// # Panics
    /// When the tree already holds `u64::MAX` leaves, which no ledger reaches.
    pub fn push(&mut self, leaf: Hash, mut on_node: impl FnMut(u8, u64, &Hash)) {
        assert!(
            self.size < u64::MAX,
            "the Merkle tree is full (2^64-1 leaves)"
        );
        let mut hash = leaf;
        let mut index = self.size;
        let mut level = 0u8;
        on_node(level, index, &hash);
        // Each trailing 1-bit of the old size is a left sibling of equal size
        // waiting for this append to complete it.
        let mut pending = self.size;
        while pending & 1 == 1 {
            let Some(left) = self.roots.pop() else {
                unreachable!("a frontier holds one root per set bit of its size")
            };
            hash = node_hash(&left, &hash);
            level += 1;
            index >>= 1;
            pending >>= 1;
            on_node(level, index, &hash);
        }
        self.roots.push(hash);
        self.size += 1;
    }

    /// The root of the tree of [`Frontier::size`] leaves; [`empty_root`] at 0.
    pub fn root(&self) -> Hash {
        fold_right(&self.roots)
    }

    /// The perfect-subtree roots that tile the tree, leftmost (largest) first.
    pub fn subtree_roots(&self) -> &[Hash] {
        &self.roots
    }

    /// Rebuild the frontier of a tree of `size` leaves from stored
    /// perfect-subtree hashes, with one lookup per set bit of `size`.
    pub fn restore<E>(
        size: u64,
        node: &mut impl FnMut(u8, u64) -> Result<Hash, E>,
    ) -> Result<Frontier, E> {
        let mut roots = Vec::with_capacity(size.count_ones() as usize);
        for level in (0..64u8).rev() {
            if size >> level & 1 == 1 {
                // The subtree for bit `level` starts after all larger ones:
                // its index is the size's bits above `level`, i.e. (size>>L)-1.
                roots.push(node(level, (size >> level) - 1)?);
            }
        }
        Ok(Frontier { size, roots })
    }
}

/// The root of the tree of the first `size` leaves, from stored perfect
/// subtrees (one lookup per set bit of `size`).
pub fn root_at<E>(size: u64, node: &mut impl FnMut(u8, u64) -> Result<Hash, E>) -> Result<Hash, E> {
    range_root(0, size, node)
}

/// Why a proof could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofRequestError<E> {
    /// The leaf does not exist in a tree of that size.
    #[error(
        "leaf index {index} is outside a tree of {size} leaves; ask for an index below {size}, or for a larger tree size"
    )]
    IndexOutOfRange {
        /// The requested leaf index.
        index: u64,
        /// The requested tree size.
        size: u64,
    },
    /// The old size is larger than the new one.
    #[error(
        "a consistency proof goes from an older, smaller tree to a newer one, but the old size {old} is larger than the new size {new}; swap them"
    )]
    SizeOrder {
        /// The requested old size.
        old: u64,
        /// The requested new size.
        new: u64,
    },
    /// A consistency proof from size 0 was requested (see the module docs).
    #[error(
        "a consistency proof from the empty tree (old size 0) proves nothing, since every log extends the empty log; verify the signed checkpoint of the new size instead"
    )]
    FromEmptyTree,
    /// The node lookup failed.
    #[error("could not read a stored tree node: {0}")]
    Node(#[source] E),
}

/// The inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf `index` in
/// the tree of `size` leaves, leaf-to-root order. O(log n) lookups.
pub fn inclusion_proof<E>(
    index: u64,
    size: u64,
    node: &mut impl FnMut(u8, u64) -> Result<Hash, E>,
) -> Result<Vec<Hash>, ProofRequestError<E>> {
    if index >= size {
        return Err(ProofRequestError::IndexOutOfRange { index, size });
    }
    // Walk PATH(m, D[start..start+len]) top-down, collecting siblings
    // root-first; the proof lists them leaf-first, hence the final reverse.
    let mut siblings = Vec::with_capacity(64);
    let (mut start, mut len) = (0u64, size);
    while len > 1 {
        let k = split_point(len);
        if index - start < k {
            siblings.push(range_root(start + k, len - k, node).map_err(ProofRequestError::Node)?);
            len = k;
        } else {
            siblings.push(range_root(start, k, node).map_err(ProofRequestError::Node)?);
            start += k;
            len -= k;
        }
    }
    siblings.reverse();
    Ok(siblings)
}

/// The consistency proof (RFC 9162 §2.1.4.1) that the tree of `old_size`
/// leaves is a prefix of the tree of `new_size` leaves. Empty when the sizes
/// are equal; refused from size 0. O(log n) lookups.
pub fn consistency_proof<E>(
    old_size: u64,
    new_size: u64,
    node: &mut impl FnMut(u8, u64) -> Result<Hash, E>,
) -> Result<Vec<Hash>, ProofRequestError<E>> {
    if old_size == 0 {
        return Err(ProofRequestError::FromEmptyTree);
    }
    if old_size > new_size {
        return Err(ProofRequestError::SizeOrder {
            old: old_size,
            new: new_size,
        });
    }
    // SUBPROOF(m, D[start..start+len], whole) walked top-down; `whole` is the
    // RFC's `b`: true while the old tree is still the left edge of the
    // current range, so its root need not be sent.
    let mut hashes = Vec::with_capacity(64);
    let (mut start, mut len, mut m, mut whole) = (0u64, new_size, old_size, true);
    loop {
        if m == len {
            if !whole {
                hashes.push(range_root(start, len, node).map_err(ProofRequestError::Node)?);
            }
            break;
        }
        let k = split_point(len);
        if m <= k {
            hashes.push(range_root(start + k, len - k, node).map_err(ProofRequestError::Node)?);
            len = k;
        } else {
            hashes.push(range_root(start, k, node).map_err(ProofRequestError::Node)?);
            start += k;
            len -= k;
            m -= k;
            whole = false;
        }
    }
    hashes.reverse();
    Ok(hashes)
}

/// The largest power of two strictly smaller than `n` (n ≥ 2): the RFC's `k`.
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// MTH of the leaves `[start, start+len)`, from perfect subtrees. Only called
/// on ranges that arise in the RFC recursion, where `start` is a multiple of
/// a power of two ≥ `len`, so the set bits of `len` tile the range with
/// aligned perfect subtrees, largest on the left. The fold runs right to left
/// (lowest bit first), which needs no buffer.
fn range_root<E>(
    start: u64,
    len: u64,
    node: &mut impl FnMut(u8, u64) -> Result<Hash, E>,
) -> Result<Hash, E> {
    if len == 0 {
        return Ok(empty_root());
    }
    let mut end = start + len;
    let mut rest = len;
    let mut acc: Option<Hash> = None;
    while rest != 0 {
        let level = rest.trailing_zeros();
        end -= 1u64 << level;
        rest &= rest - 1;
        debug_assert_eq!(end % (1u64 << level), 0, "unaligned subtree");
        // level < 64, so the cast is lossless.
        let hash = node(level as u8, end >> level)?;
        acc = Some(match acc {
            None => hash,
            Some(right) => node_hash(&hash, &right),
        });
    }
    Ok(acc.unwrap_or_else(empty_root))
}

/// Combine perfect-subtree roots, leftmost first, into the RFC 9162 root:
/// the tree is unbalanced to the right, so the fold starts from the right.
fn fold_right(parts: &[Hash]) -> Hash {
    let Some((last, rest)) = parts.split_last() else {
        return empty_root();
    };
    rest.iter()
        .rev()
        .fold(*last, |acc, left| node_hash(left, &acc))
}

/// A stored node that a [`MemoryTree`] does not (yet) have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "no perfect subtree at level {level}, index {index}: the tree does not have that many leaves yet"
)]
pub struct MissingNode {
    /// The requested level.
    pub level: u8,
    /// The requested index within the level.
    pub index: u64,
}

/// An in-memory tree holding every perfect-subtree hash, for tests,
/// benchmarks and scratch replays. It answers the same `(level, index)`
/// lookups a store does, so proofs from it exercise the same code.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    frontier: Frontier,
    /// `levels[L][j]`: the perfect subtree at level L, index j.
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// The empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append a leaf hash; returns its index.
    pub fn push(&mut self, leaf_hash: Hash) -> u64 {
        let index = self.frontier.size();
        let levels = &mut self.levels;
        self.frontier.push(leaf_hash, |level, _, hash| {
            let level = usize::from(level);
            if levels.len() <= level {
                levels.push(Vec::new());
            }
            // Subtrees at one level complete strictly left to right, so the
            // index is always the next slot.
            levels[level].push(*hash);
        });
        index
    }

    /// How many leaves the tree holds.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// The root of the whole tree.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The root of the tree of the first `size` leaves, or `None` when the
    /// tree is smaller than that.
    pub fn root_at(&self, size: u64) -> Option<Hash> {
        if size > self.size() {
            return None;
        }
        root_at(size, &mut |l, i| self.lookup(l, i)).ok()
    }

    /// The perfect subtree at `(level, index)`, if complete.
    pub fn node(&self, level: u8, index: u64) -> Option<Hash> {
        let row = self.levels.get(usize::from(level))?;
        row.get(usize::try_from(index).ok()?).copied()
    }

    /// The frontier after all pushes so far.
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// [`inclusion_proof`] over this tree.
    pub fn inclusion_proof(
        &self,
        index: u64,
        size: u64,
    ) -> Result<Vec<Hash>, ProofRequestError<MissingNode>> {
        inclusion_proof(index, size, &mut |l, i| self.lookup(l, i))
    }

    /// [`consistency_proof`] over this tree.
    pub fn consistency_proof(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> Result<Vec<Hash>, ProofRequestError<MissingNode>> {
        consistency_proof(old_size, new_size, &mut |l, i| self.lookup(l, i))
    }

    fn lookup(&self, level: u8, index: u64) -> Result<Hash, MissingNode> {
        self.node(level, index).ok_or(MissingNode { level, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn split_point_is_largest_power_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(1 << 40), 1 << 39);
        assert_eq!(split_point((1 << 40) + 1), 1 << 40);
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }

    #[test]
    fn proof_requests_out_of_range_are_refused() {
        let mut t = MemoryTree::new();
        for i in 0..5u8 {
            t.push(leaf_hash(&[i]));
        }
        assert_eq!(
            t.inclusion_proof(5, 5),
            Err(ProofRequestError::IndexOutOfRange { index: 5, size: 5 })
        );
        assert_eq!(
            t.inclusion_proof(0, 0),
            Err(ProofRequestError::IndexOutOfRange { index: 0, size: 0 })
        );
        assert_eq!(
            t.consistency_proof(4, 3),
            Err(ProofRequestError::SizeOrder { old: 4, new: 3 })
        );
        assert_eq!(
            t.consistency_proof(0, 5),
            Err(ProofRequestError::FromEmptyTree)
        );
        assert_eq!(
            t.consistency_proof(0, 0),
            Err(ProofRequestError::FromEmptyTree)
        );
        assert_eq!(t.consistency_proof(5, 5), Ok(vec![]));
        // Beyond what the tree holds, the lookup error comes through.
        assert!(matches!(
            t.inclusion_proof(0, 8),
            Err(ProofRequestError::Node(MissingNode { .. }))
        ));
        assert_eq!(t.root_at(6), None);
    }
}
