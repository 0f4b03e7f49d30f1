//! Training the model the way Splink does, which stays right when the
//! candidate pairs are mostly look-alikes.
//!
//! EM over all candidate pairs with m and u both free finds *some* two
//! classes, and on lists where many different people share a name (the
//! synthetic Kazakh lists: a few dozen given names and surname stems) the
//! class it finds is "same given name", not "same person". So instead:
//!
//! - u comes from random pairs and is held fixed;
//! - m is estimated in training sessions, each over the pairs of one
//!   blocking rule, with the comparisons that rule blocks on left out (their
//!   agreement is forced by the block, so it says nothing): a session blocked
//!   on names learns how often matches agree on the birth date, one blocked
//!   on the birth date learns how often they agree on names;
//! - the prior, the chance that two records drawn at random are a match, is
//!   found last with m and u fixed, counting every pair outside the
//!   candidates as a non-match.
//!
//! A session looks at a bounded number of pairs, taken from whole blocks in
//! key-hash order (an arbitrary but fixed order), so training costs the same
//! on a list of a thousand or a million rows.

use rayon::prelude::*;

use crate::block::{BlockPart, BlockingRule, LinkMode};
use crate::compare::ComparisonKind;
use crate::hash::FastMap;
use crate::model::{EmOptions, Model, level_at, pattern};
use crate::record::Record;

/// Pairs looked at by one training session at most.
const SESSION_PAIRS: u64 = 1_000_000;
/// A block larger than this share of the session is passed over: one very
/// common value would otherwise fill the session with one kind of pair.
const MAX_BLOCK_SHARE: u64 = 20;

/// The comparisons a blocking part forces to agree, or nearly: two people
/// with the same given name are nearly always of the same sex, so a session
/// blocked on given names cannot learn how often matches agree on sex (it
/// would take every same-named pair for a match).
fn blocked_by(part: BlockPart) -> &'static [ComparisonKind] {
    use ComparisonKind as C;
    match part {
        BlockPart::Surname | BlockPart::SurnamePrefix => &[C::Surname],
        BlockPart::Given | BlockPart::GivenInitial => &[C::Given, C::Sex],
        BlockPart::NameParts => &[C::Surname, C::Given, C::Sex],
        BlockPart::BirthDate | BlockPart::BirthYear | BlockPart::BirthMonth => &[C::BirthDate],
        BlockPart::Sex => &[C::Sex],
        BlockPart::Place => &[C::Place],
        BlockPart::Address => &[C::Address],
        BlockPart::Postcode => &[C::Postcode],
        BlockPart::IdNumber => &[C::IdNumber],
        BlockPart::EventDate => &[C::EventDate],
        BlockPart::Text(_) => &[],
    }
}

/// The training rules for the comparisons present: one on the names and
/// one on something else (the birth date, or failing that an identifier,
/// postcode, event date or place), so that every comparison is estimated
/// in at least one session. `None` when that cannot be done.
pub(crate) fn training_rules(present: &[ComparisonKind]) -> Option<Vec<BlockingRule>> {
    use BlockPart as P;
    let has = |k: ComparisonKind| present.contains(&k);
    let mut rules = Vec::new();
    if has(ComparisonKind::Surname) && has(ComparisonKind::Given) {
        rules.push(BlockingRule::new(&[P::Given, P::Surname]));
    } else if has(ComparisonKind::Surname) {
        rules.push(BlockingRule::new(&[P::Surname]));
    } else if has(ComparisonKind::Given) {
        rules.push(BlockingRule::new(&[P::Given]));
    }
    let other = [
        (ComparisonKind::BirthDate, P::BirthDate),
        (ComparisonKind::IdNumber, P::IdNumber),
        (ComparisonKind::Postcode, P::Postcode),
        (ComparisonKind::EventDate, P::EventDate),
        (ComparisonKind::Place, P::Place),
    ];
    if let Some((_, p)) = other.iter().find(|(k, _)| has(*k)) {
        rules.push(BlockingRule::new(&[*p]));
    }
    let covered = |k: &ComparisonKind| {
        rules
            .iter()
            .any(|r| r.parts.iter().all(|p| !blocked_by(*p).contains(k)))
    };
    (rules.len() >= 2 && present.iter().all(covered)).then_some(rules)
}

/// Pattern counts of one session: pairs of `rule`'s blocks, with the
/// comparisons it blocks on masked to "missing" (level 0).
fn session_patterns(
    records: &[Record],
    comparisons: &[ComparisonKind],
    rule: &BlockingRule,
    mode: LinkMode,
) -> Vec<(u64, u64)> {
    let mut mask = u64::MAX;
    for (k, c) in comparisons.iter().enumerate() {
        if rule.parts.iter().any(|p| blocked_by(*p).contains(c)) {
            mask &= !(0xF << (4 * k));
        }
    }
    let mut order: Vec<(u64, u32)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (rule.key(r), i as u32))
        .filter(|(k, _)| *k != 0)
        .collect();
    order.sort_unstable();
    // Whole blocks in key order until the session is full.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut total = 0u64;
    let mut s = 0;
    while s < order.len() && total < SESSION_PAIRS {
        let mut e = s + 1;
        while e < order.len() && order[e].0 == order[s].0 {
            e += 1;
        }
        let n = (e - s) as u64;
        let pairs = n * (n - 1) / 2;
        if n >= 2 && pairs <= SESSION_PAIRS / MAX_BLOCK_SHARE {
            groups.push((s, e));
            total += pairs;
        }
        s = e;
    }
    let counts = groups
        .par_iter()
        .with_min_len(64)
        .fold(FastMap::<u64, u64>::default, |mut map, &(s, e)| {
            let ids = &order[s..e];
            for (x, &(_, i)) in ids.iter().enumerate() {
                for &(_, j) in &ids[x + 1..] {
                    let (a, b) = (&records[i as usize], &records[j as usize]);
                    if mode == LinkMode::LinkOnly && a.list == b.list {
                        continue;
                    }
                    *map.entry(pattern(comparisons, a, b) & mask).or_insert(0) += 1;
                }
            }
            map
        })
        .reduce(FastMap::default, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        });
    let mut v: Vec<(u64, u64)> = counts.into_iter().collect();
    v.sort_unstable();
    v
}

/// m per comparison from the training sessions (the mean over the sessions
/// that estimated it; u where no session saw the field on both sides), or
/// `None` when the fields do not allow the sessions.
pub(crate) fn train_m(
    records: &[Record],
    comparisons: &[ComparisonKind],
    fields: &[String],
    u_random: &[Vec<f64>],
    mode: LinkMode,
    em: EmOptions,
) -> Option<Vec<Vec<f64>>> {
    let rules = training_rules(comparisons)?;
    let mut sum: Vec<Vec<f64>> = comparisons
        .iter()
        .map(|c| vec![0.0; c.level_count()])
        .collect();
    let mut n = vec![0u32; comparisons.len()];
    for rule in &rules {
        let patterns = session_patterns(records, comparisons, rule, mode);
        if patterns.is_empty() {
            continue;
        }
        // A comparison with no value in any pair of the session learns
        // nothing there.
        let seen: Vec<bool> = (0..comparisons.len())
            .map(|k| patterns.iter().any(|&(p, _)| level_at(p, k) != 0))
            .collect();
        let session = Model::fit(
            comparisons,
            fields,
            u_random.to_vec(),
            &patterns,
            EmOptions { fix_u: true, ..em },
            &[],
        );
        for (k, c) in session.comparisons.iter().enumerate() {
            if seen[k] {
                n[k] += 1;
                for (s, m) in sum[k].iter_mut().zip(&c.m) {
                    *s += m;
                }
            }
        }
    }
    for ((s, k), u) in sum.iter_mut().zip(n).zip(u_random) {
        if k == 0 {
            // No pair of any session had the field on both sides (a
            // patronymic that only one list writes): it cannot count for
            // or against a match.
            s.clone_from(u);
        } else {
            for x in s.iter_mut() {
                *x /= f64::from(k);
            }
        }
    }
    Some(sum)
}

/// The chance that two records drawn at random are a match, with m and u
/// fixed: EM on one parameter over the candidate patterns, every other pair
/// counted as a non-match. Returns it and the expected share of matches
/// among the candidates.
pub(crate) fn prior(
    m: &[Vec<f64>],
    u: &[Vec<f64>],
    patterns: &[(u64, u64)],
    all_pairs: f64,
) -> (f64, f64) {
    let candidates: f64 = patterns.iter().map(|p| p.1 as f64).sum();
    if candidates == 0.0 || all_pairs <= 0.0 {
        return (1e-6, 0.0);
    }
    let lr: Vec<f64> = patterns
        .iter()
        .map(|&(p, _)| {
            let mut s = 0.0;
            for (k, (mk, uk)) in m.iter().zip(u).enumerate() {
                let l = level_at(p, k);
                if l != 0 {
                    s += (mk[l] / uk[l]).ln();
                }
            }
            s
        })
        .collect();
    let mut pi = (0.1 * candidates / all_pairs).clamp(1e-12, 0.5);
    let mut matched = 0.0;
    for _ in 0..500 {
        let odds = (pi / (1.0 - pi)).ln();
        matched = patterns
            .iter()
            .zip(&lr)
            .map(|(&(_, c), s)| c as f64 / (1.0 + (-(odds + s)).exp()))
            .sum::<f64>();
        let next = (matched / all_pairs).clamp(1e-12, 0.5);
        let done = (next - pi).abs() <= 1e-9 * pi;
        pi = next;
        if done {
            break;
        }
    }
    (pi, matched / candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comparison_is_trained_somewhere() {
        use ComparisonKind as C;
        let rules = training_rules(&[C::Surname, C::Given, C::BirthDate, C::Sex, C::Place])
            .expect("names and a birth date allow two sessions");
        assert_eq!(rules[0].to_string(), "given+surname");
        assert_eq!(rules[1].to_string(), "birth_date");
        // Names alone leave nothing to learn the names' m from.
        assert!(training_rules(&[C::Surname, C::Given]).is_none());
    }

    /// Pattern counts made from a known prior: the estimate finds it again
    /// when the evidence is decisive, as names with a birth date are. (With
    /// weak evidence it falls short: a match that scores low is counted as
    /// partly a non-match, and nothing outside the candidates adds back.)
    #[test]
    fn prior_from_known_counts() {
        // One comparison, levels 1 (differ) and 2 (agree).
        let m = vec![vec![0.0, 0.05, 0.95]];
        let u = vec![vec![0.0, 1.0 - 1e-6, 1e-6]];
        let (all, pi) = (1e6f64, 1e-3f64);
        let matches = all * pi;
        // Candidates: every match, and 10,000 non-matches in the same
        // proportions as u; the other non-matches were never compared.
        let non = 10_000.0;
        let patterns = vec![
            (1u64, (matches * 0.1 + non * 0.99).round() as u64),
            (2u64, (matches * 0.9 + non * 0.01).round() as u64),
        ];
        let (est, share) = prior(&m, &u, &patterns, all);
        assert!((est / pi - 1.0).abs() < 0.05, "prior {est}");
        assert!(
            share > 0.05 && share < 0.15,
            "share among candidates {share}"
        );
    }
}
