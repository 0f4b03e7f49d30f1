//! Clustering matched pairs into persons, with a guard against chaining.
//!
//! Plain connected components over matched pairs turn A≈B and B≈C into one
//! person even when A and C are plainly two people (a father and son who
//! share a name and an address, linked through a record that lacks the
//! birth date). Here pairs are merged strongest first, and two clusters are
//! joined only if every record of one still looks like it could be the same
//! person as every record of the other: no cross pair may score below the
//! guard's probability, and the joined cluster may not exceed a size limit.

use serde::Serialize;

use crate::model::{Model, pattern, probability};
use crate::record::Record;

/// Limits on merging clusters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Guard {
    /// Refuse a merge if any pair across the two clusters has a match
    /// probability below this.
    pub min_probability: f64,
    /// Refuse a merge that makes a cluster larger than this.
    pub max_cluster_size: usize,
}

impl Default for Guard {
    fn default() -> Self {
        Guard {
            min_probability: 0.01,
            max_cluster_size: 50,
        }
    }
}

/// A pair scored above the threshold (indices into the records).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoredPair {
    pub left: u32,
    pub right: u32,
    pub weight: f64,
    pub probability: f64,
}

/// Clusters of two or more records (sorted members, clusters sorted by
/// first member), and how many merges the guard refused.
pub(crate) fn cluster(
    records: &[Record],
    model: &Model,
    pairs: &[ScoredPair],
    guard: Guard,
) -> (Vec<Vec<u32>>, u64) {
    let kinds = model.kinds();
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|&a, &b| {
        pairs[b]
            .weight
            .total_cmp(&pairs[a].weight)
            .then((pairs[a].left, pairs[a].right).cmp(&(pairs[b].left, pairs[b].right)))
    });
    // Union-find over the records that appear in pairs only.
    let mut parent: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    let mut members: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    fn find(parent: &mut std::collections::HashMap<u32, u32>, x: u32) -> u32 {
        let mut r = x;
        while let Some(&p) = parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        // Path compression.
        let mut y = x;
        while y != r {
            let next = parent.get(&y).copied().unwrap_or(r);
            parent.insert(y, r);
            y = next;
        }
        r
    }
    let mut refused = 0u64;
    for idx in order {
        let p = pairs[idx];
        for x in [p.left, p.right] {
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(x) {
                e.insert(x);
                members.insert(x, vec![x]);
            }
        }
        let (ra, rb) = (find(&mut parent, p.left), find(&mut parent, p.right));
        if ra == rb {
            continue;
        }
        let (a, b) = (&members[&ra], &members[&rb]);
        let too_big = a.len() + b.len() > guard.max_cluster_size;
        // The pair itself passed the threshold; check the others.
        let conflict = too_big
            || a.iter().any(|&x| {
                b.iter().any(|&y| {
                    if (x.min(y), x.max(y)) == (p.left.min(p.right), p.left.max(p.right)) {
                        return false;
                    }
                    let (rx, ry) = (&records[x as usize], &records[y as usize]);
                    let w = model.weight_of(pattern(&kinds, rx, ry), rx, ry);
                    probability(w) < guard.min_probability
                })
            });
        if conflict {
            refused += 1;
            continue;
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = members.remove(&gone).unwrap_or_default();
        members.entry(keep).or_default().extend(moved);
        parent.insert(gone, keep);
    }
    let mut out: Vec<Vec<u32>> = members
        .into_values()
        .filter(|m| m.len() >= 2)
        .map(|mut m| {
            m.sort_unstable();
            m
        })
        .collect();
    out.sort_unstable();
    (out, refused)
}
