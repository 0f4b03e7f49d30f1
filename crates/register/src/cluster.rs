//! Persons from scored pairs, with the reviewers' word above the model's.
//!
//! Pairs a reviewer called the same person are joined first, whatever the
//! model says. Then the model's matches are joined strongest first, unless
//! a reviewer said two of the records involved are different people, or the
//! chaining guard objects: every record of one side must still look like it
//! could be the same person as every record of the other, and a person may
//! not grow past a size limit. (Without the guard, A≈B and B≈C would make A
//! and C one person even when they plainly are two.)

use std::collections::HashMap;

pub(crate) struct Links<'a> {
    /// (left, right, weight) of pairs the model matched, any order.
    pub matched: &'a [(u32, u32, f64)],
    /// Pairs a reviewer called the same person.
    pub same: &'a [(u32, u32)],
    /// Pairs a reviewer called different people.
    pub different: &'a [(u32, u32)],
    pub max_size: usize,
}

pub(crate) struct Clusters {
    /// For every record, the index of its cluster's representative (the
    /// smallest index in it); a record on its own is its own.
    pub root: Vec<u32>,
    pub refused_by_decision: u64,
    pub refused_by_guard: u64,
}

struct Forest {
    parent: Vec<u32>,
    members: HashMap<u32, Vec<u32>>,
    apart: HashMap<u32, Vec<u32>>,
}

impl Forest {
    fn find(&mut self, x: u32) -> u32 {
        let mut r = x;
        while self.parent[r as usize] != r {
            r = self.parent[r as usize];
        }
        let mut y = x;
        while self.parent[y as usize] != r {
            let next = self.parent[y as usize];
            self.parent[y as usize] = r;
            y = next;
        }
        r
    }

    fn members(&self, root: u32) -> Vec<u32> {
        self.members
            .get(&root)
            .cloned()
            .unwrap_or_else(|| vec![root])
    }

    /// Whether a reviewer said some record of `a` and some record of `b`
    /// are different people.
    fn kept_apart(&mut self, a: u32, b: u32) -> bool {
        for (from, to) in [(a, b), (b, a)] {
            let partners = self.apart.get(&from).cloned().unwrap_or_default();
            if partners.into_iter().any(|p| self.find(p) == to) {
                return true;
            }
        }
        false
    }

    fn join(&mut self, a: u32, b: u32) {
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        self.parent[gone as usize] = keep;
        let moved = self.members.remove(&gone).unwrap_or_else(|| vec![gone]);
        let kept = self.members.entry(keep).or_insert_with(|| vec![keep]);
        kept.extend(moved);
        kept.sort_unstable();
        if let Some(apart) = self.apart.remove(&gone) {
            self.apart.entry(keep).or_default().extend(apart);
        }
    }
}

/// Cluster `n` records. `compatible(x, y)` is the guard's test of two
/// records the model never paired directly.
pub(crate) fn cluster(
    n: usize,
    links: &Links<'_>,
    compatible: &mut dyn FnMut(u32, u32) -> bool,
) -> Clusters {
    let mut f = Forest {
        parent: (0..n as u32).collect(),
        members: HashMap::new(),
        apart: HashMap::new(),
    };
    for &(x, y) in links.different {
        f.apart.entry(x).or_default().push(y);
        f.apart.entry(y).or_default().push(x);
    }
    let mut refused_by_decision = 0;
    let mut refused_by_guard = 0;
    let mut same = links.same.to_vec();
    same.sort_unstable();
    for (x, y) in same {
        let (a, b) = (f.find(x), f.find(y));
        if a == b {
            continue;
        }
        if f.kept_apart(a, b) {
            // Two decisions contradict each other (A=B, B=C, but A≠C); the
            // "different" stands, as the more cautious.
            refused_by_decision += 1;
            continue;
        }
        f.join(a, b);
    }
    let mut order: Vec<&(u32, u32, f64)> = links.matched.iter().collect();
    order.sort_by(|p, q| q.2.total_cmp(&p.2).then((p.0, p.1).cmp(&(q.0, q.1))));
    for &&(x, y, _) in &order {
        let (a, b) = (f.find(x), f.find(y));
        if a == b {
            continue;
        }
        if f.kept_apart(a, b) {
            refused_by_decision += 1;
            continue;
        }
        let (ma, mb) = (f.members(a), f.members(b));
        if ma.len() + mb.len() > links.max_size
            || !ma
                .iter()
                .all(|&i| mb.iter().all(|&j| (i, j) == (x, y) || compatible(i, j)))
        {
            refused_by_guard += 1;
            continue;
        }
        f.join(a, b);
    }
    let root = (0..n as u32).map(|i| f.find(i)).collect();
    Clusters {
        root,
        refused_by_decision,
        refused_by_guard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        n: usize,
        matched: &[(u32, u32, f64)],
        same: &[(u32, u32)],
        different: &[(u32, u32)],
    ) -> Vec<u32> {
        let links = Links {
            matched,
            same,
            different,
            max_size: 50,
        };
        cluster(n, &links, &mut |_, _| true).root
    }

    #[test]
    fn matches_join_and_singletons_stay() {
        assert_eq!(run(4, &[(0, 2, 10.0)], &[], &[]), [0, 1, 0, 3]);
    }

    #[test]
    fn a_different_decision_beats_the_model_even_through_a_chain() {
        // 0≈1 and 1≈2 by the model, but a reviewer said 0 ≠ 2: the weaker
        // link is refused.
        let root = run(3, &[(0, 1, 12.0), (1, 2, 9.0)], &[], &[(0, 2)]);
        assert_eq!(root, [0, 0, 2]);
    }

    #[test]
    fn a_same_decision_joins_what_the_model_missed() {
        assert_eq!(run(3, &[], &[(2, 0)], &[]), [0, 1, 0]);
    }

    #[test]
    fn the_guard_refuses_chains_between_incompatible_records() {
        let links = Links {
            matched: &[(0, 1, 12.0), (1, 2, 9.0)],
            same: &[],
            different: &[],
            max_size: 50,
        };
        let c = cluster(3, &links, &mut |i, j| {
            !matches!((i.min(j), i.max(j)), (0, 2))
        });
        assert_eq!(c.root, [0, 0, 2]);
        assert_eq!(c.refused_by_guard, 1);
        let capped = Links {
            max_size: 2,
            ..links
        };
        assert_eq!(cluster(3, &capped, &mut |_, _| true).root, [0, 0, 2]);
    }
}
