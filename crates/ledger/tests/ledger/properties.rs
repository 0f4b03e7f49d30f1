//! Property tests: random trees against independent, naive definitions.
//!
//! The oracles here follow RFC 9162 §2.1 literally, by recursion over slices
//! (MTH, PATH, PROOF), sharing no code with the crate's iterative versions.

use std::collections::BTreeMap;

use proptest::prelude::*;
use qantar_ledger::{
    Frontier, Hash, MemoryTree, ProofError, empty_root, leaf_hash, node_hash, verify_consistency,
    verify_inclusion,
};

use crate::util::to_vecs;

/// Largest power of two strictly below n, computed the slow way.
fn split(n: usize) -> usize {
    let mut k = 1;
    while k <= (n - 1) / 2 {
        k *= 2;
    }
    k
}

fn naive_mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&naive_mth(&leaves[..k]), &naive_mth(&leaves[k..]))
        }
    }
}

/// RFC 9162 §2.1.3.1 PATH(m, D[n]).
fn naive_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 {
        return vec![];
    }
    let k = split(n);
    if m < k {
        let mut p = naive_path(m, &leaves[..k]);
        p.push(naive_mth(&leaves[k..]));
        p
    } else {
        let mut p = naive_path(m - k, &leaves[k..]);
        p.push(naive_mth(&leaves[..k]));
        p
    }
}

/// RFC 9162 §2.1.4.1 SUBPROOF(m, D[n], b).
fn naive_subproof(m: usize, leaves: &[Hash], b: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if b { vec![] } else { vec![naive_mth(leaves)] };
    }
    let k = split(n);
    if m <= k {
        let mut p = naive_subproof(m, &leaves[..k], b);
        p.push(naive_mth(&leaves[k..]));
        p
    } else {
        let mut p = naive_subproof(m - k, &leaves[k..], false);
        p.push(naive_mth(&leaves[..k]));
        p
    }
}

/// The left/right turns of PATH(m, D[n]), root first: the only thing besides
/// the hashes that inclusion verification depends on. RFC 9162 does not bind
/// the tree size into the root, so two sizes with the same turns for a leaf
/// verify the same proof; the signed checkpoint is what fixes the size.
fn path_turns(m: u64, n: u64) -> Vec<bool> {
    let mut turns = Vec::new();
    let (mut m, mut n) = (m, n);
    while n > 1 {
        let k = split(n as usize) as u64;
        turns.push(m < k);
        if m >= k {
            m -= k;
            n -= k;
        } else {
            n = k;
        }
    }
    turns
}

/// The expressions by which a consistency verifier rebuilds the old and the
/// new root from proof elements `p0, p1, …` (and `R1`, the old root, when the
/// old tree is a perfect subtree), per the SUBPROOF recursion. Two size pairs
/// with equal expressions verify exactly the same proofs.
fn consistency_expressions(m: u64, n: u64) -> (String, String) {
    fn rec(m: u64, n: u64, whole: bool, next: &mut usize) -> (String, String) {
        if m == n {
            if whole {
                return ("R1".into(), "R1".into());
            }
            let e = format!("p{next}");
            *next += 1;
            return (e.clone(), e);
        }
        let k = split(n as usize) as u64;
        if m <= k {
            let (old, new) = rec(m, k, whole, next);
            let e = format!("p{next}");
            *next += 1;
            (old, format!("N({new},{e})"))
        } else {
            let (old, new) = rec(m - k, n - k, false, next);
            let e = format!("p{next}");
            *next += 1;
            (format!("N({e},{old})"), format!("N({e},{new})"))
        }
    }
    let mut next = 0;
    let (old, new) = rec(m, n, true, &mut next);
    (format!("{old}#{next}"), format!("{new}#{next}"))
}

fn leaves(count: u64, seed: u64) -> Vec<Hash> {
    (0..count)
        .map(|i| {
            let mut data = seed.to_le_bytes().to_vec();
            data.extend_from_slice(&i.to_le_bytes());
            leaf_hash(&data)
        })
        .collect()
}

fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let bit = bit % (out.len() * 8);
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

/// Every way of tampering with a valid inclusion proof must fail, except a
/// size with the same path shape (see [`path_turns`]).
fn check_inclusion(tree: &MemoryTree, i: u64, n: u64, bit: usize) {
    let proof = to_vecs(&tree.inclusion_proof(i, n).expect("in range"));
    let leaf = tree.node(0, i).expect("leaf exists").to_vec();
    let root = tree.root_at(n).expect("size exists").to_vec();
    assert_eq!(
        verify_inclusion(&leaf, i, n, &proof, &root),
        Ok(()),
        "{i}/{n}"
    );

    for k in 0..proof.len() {
        let mut bad = proof.clone();
        bad[k] = flip(&bad[k], bit + k);
        assert!(
            verify_inclusion(&leaf, i, n, &bad, &root).is_err(),
            "{i}/{n} proof[{k}] flipped"
        );
    }
    assert!(
        verify_inclusion(&flip(&leaf, bit), i, n, &proof, &root).is_err(),
        "leaf flipped"
    );
    assert!(
        verify_inclusion(&leaf, i, n, &proof, &flip(&root, bit)).is_err(),
        "root flipped"
    );
    for wrong in [i.wrapping_add(1), i.wrapping_sub(1), i ^ 2, i + n, u64::MAX] {
        if wrong != i {
            assert!(
                verify_inclusion(&leaf, wrong, n, &proof, &root).is_err(),
                "index {wrong} for {i}/{n}"
            );
        }
    }
    for wrong in [n + 1, n - 1, n * 2, n / 2, n + 1000, u64::MAX] {
        if wrong == n || wrong <= i {
            continue;
        }
        let accepted = verify_inclusion(&leaf, i, wrong, &proof, &root).is_ok();
        let same_shape = path_turns(i, n) == path_turns(i, wrong);
        assert_eq!(accepted, same_shape, "{i}/{n} checked as size {wrong}");
    }
    if !proof.is_empty() {
        assert!(
            verify_inclusion(&leaf, i, n, &proof[1..], &root).is_err(),
            "first dropped"
        );
        assert!(
            verify_inclusion(&leaf, i, n, &proof[..proof.len() - 1], &root).is_err(),
            "last dropped"
        );
    }
    let mut longer = proof.clone();
    longer.push(root.clone());
    assert!(
        verify_inclusion(&leaf, i, n, &longer, &root).is_err(),
        "root appended"
    );
    let mut longer = vec![leaf.clone()];
    longer.extend(proof.iter().cloned());
    assert!(
        verify_inclusion(&leaf, i, n, &longer, &root).is_err(),
        "leaf prepended"
    );
}

fn check_consistency(tree: &MemoryTree, m: u64, n: u64, bit: usize) {
    let proof = to_vecs(&tree.consistency_proof(m, n).expect("in range"));
    let r1 = tree.root_at(m).expect("old size exists").to_vec();
    let r2 = tree.root_at(n).expect("new size exists").to_vec();
    assert_eq!(
        verify_consistency(m, n, &proof, &r1, &r2),
        Ok(()),
        "{m}->{n}"
    );

    for k in 0..proof.len() {
        let mut bad = proof.clone();
        bad[k] = flip(&bad[k], bit + k);
        assert!(
            verify_consistency(m, n, &bad, &r1, &r2).is_err(),
            "{m}->{n} proof[{k}] flipped"
        );
    }
    assert!(
        verify_consistency(m, n, &proof, &flip(&r1, bit), &r2).is_err(),
        "root1 flipped"
    );
    assert!(
        verify_consistency(m, n, &proof, &r1, &flip(&r2, bit)).is_err(),
        "root2 flipped"
    );
    if r1 != r2 {
        assert!(
            verify_consistency(m, n, &proof, &r2, &r1).is_err(),
            "roots swapped"
        );
    }
    let pairs = [
        (m + 1, n),
        (m - 1, n),
        (m, n + 1),
        (m, n - 1),
        (m * 2, n),
        (m, n * 2),
        (n, m),
    ];
    for (m2, n2) in pairs {
        if (m2, n2) == (m, n) {
            continue;
        }
        let result = verify_consistency(m2, n2, &proof, &r1, &r2);
        if m2 == 0 {
            assert_eq!(result, Err(ProofError::FromEmptyTree));
        } else if m2 > n2 {
            assert!(result.is_err(), "{m2} > {n2} accepted");
        } else {
            let same = consistency_expressions(m, n) == consistency_expressions(m2, n2);
            assert_eq!(result.is_ok(), same, "{m}->{n} checked as {m2}->{n2}");
        }
    }
    if !proof.is_empty() {
        assert!(
            verify_consistency(m, n, &proof[1..], &r1, &r2).is_err(),
            "first dropped"
        );
        assert!(
            verify_consistency(m, n, &proof[..proof.len() - 1], &r1, &r2).is_err(),
            "last dropped"
        );
    }
    let mut longer = proof.clone();
    longer.push(r2.clone());
    assert!(
        verify_consistency(m, n, &longer, &r1, &r2).is_err(),
        "root2 appended"
    );
    let mut longer = vec![r1.clone()];
    longer.extend(proof.iter().cloned());
    assert!(
        verify_consistency(m, n, &longer, &r1, &r2).is_err(),
        "root1 prepended"
    );
}

/// Every proof of every shape up to 64 leaves equals the naive RFC recursion
/// and survives the tampering checks.
#[test]
fn exhaustive_small_trees() {
    let all = leaves(64, 7);
    let mut tree = MemoryTree::new();
    for leaf in &all {
        tree.push(*leaf);
    }
    for n in 1..=64usize {
        let prefix = &all[..n];
        assert_eq!(tree.root_at(n as u64), Some(naive_mth(prefix)), "root {n}");
        for i in 0..n {
            let proof = tree.inclusion_proof(i as u64, n as u64).expect("in range");
            assert_eq!(proof, naive_path(i, prefix), "PATH({i}, D[{n}])");
            check_inclusion(&tree, i as u64, n as u64, i * 7 + n);
        }
        for m in 1..=n {
            let proof = tree
                .consistency_proof(m as u64, n as u64)
                .expect("in range");
            assert_eq!(proof, naive_subproof(m, prefix, true), "PROOF({m}, D[{n}])");
            check_consistency(&tree, m as u64, n as u64, m * 5 + n);
        }
    }
}

/// The verifier accepts the same size for a proof exactly when the shapes
/// agree; make sure the test above exercises both outcomes, so it could fail.
#[test]
fn wrong_sizes_with_other_shapes_exist_and_same_shapes_exist() {
    assert_eq!(path_turns(0, 5), path_turns(0, 6));
    assert_ne!(path_turns(0, 5), path_turns(0, 9));
    assert_ne!(path_turns(4, 5), path_turns(4, 6));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_trees(
        size in 1u64..=65_536,
        seed in any::<u64>(),
        picks in prop::collection::vec((any::<u64>(), any::<u64>(), any::<usize>()), 12),
    ) {
        let all = leaves(size, seed);
        let mut tree = MemoryTree::new();
        let mut frontier = Frontier::new();
        let mut per_level: BTreeMap<u8, u64> = BTreeMap::new();
        let mut sampled_nodes = Vec::new();
        for (i, leaf) in all.iter().enumerate() {
            prop_assert_eq!(tree.push(*leaf), i as u64);
            frontier.push(*leaf, |level, index, hash| {
                let seen = per_level.entry(level).or_default();
                assert_eq!(index, *seen, "level {} completed out of order", level);
                *seen += 1;
                if index % 977 == 3 {
                    sampled_nodes.push((level, index, *hash));
                }
            });
        }
        // Each level reports exactly the perfect subtrees that fit.
        for (level, count) in &per_level {
            prop_assert_eq!(*count, size >> level);
        }
        for (level, index, hash) in sampled_nodes {
            let start = (index << level) as usize;
            prop_assert_eq!(naive_mth(&all[start..start + (1 << level)]), hash);
        }
        let naive_root = naive_mth(&all);
        prop_assert_eq!(frontier.root(), naive_root);
        prop_assert_eq!(tree.root(), naive_root);
        prop_assert_eq!(tree.root_at(size), Some(naive_root));

        // A past size, restored from stored nodes and then grown again.
        let past = picks[0].0 % (size + 1);
        prop_assert_eq!(tree.root_at(past), Some(naive_mth(&all[..past as usize])));
        let mut restored = Frontier::restore(past, &mut |l, j| tree.node(l, j).ok_or(()))
            .map_err(|()| TestCaseError::fail("missing node"))?;
        for leaf in &all[past as usize..] {
            restored.push(*leaf, |_, _, _| {});
        }
        prop_assert_eq!(&restored, &frontier);

        for (a, b, bit) in picks {
            let n = 1 + a % size;
            check_inclusion(&tree, b % n, n, bit);
            check_consistency(&tree, 1 + b % n, n, bit);
        }
        check_inclusion(&tree, size - 1, size, 0);
        check_inclusion(&tree, 0, size, 1);
        check_consistency(&tree, 1, size, 2);
        check_consistency(&tree, size, size, 3);
    }
}
