//! Blocking: which pairs are compared at all.
//!
//! A [`BlockingRule`] is a list of parts ("surname+birth_year"); two records
//! whose parts are all present and equal fall in the same block and are
//! compared. The rules are tried in order and a pair is compared once: the
//! pass of rule r skips a pair that an earlier rule already put together.
//!
//! Loose rules keep recall high on small lists but would explode on large
//! ones (a common surname with a birth year is thousands of people in a
//! million-row list). So each rule has a budget of pairs, a multiple of the
//! number of records; when a rule would make more, its largest blocks are
//! dropped, largest first, until it fits. Common values are then left to the
//! tighter rules, and the pair count grows linearly with the list.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::compare::ComparisonKind;
use crate::error::LinkError;
use crate::hash::{combine, fnv, fnv_str};
use crate::record::{Record, key_hash};

/// One part of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockPart {
    /// Surname key (transliteration- and gender-independent).
    Surname,
    /// Given-name key.
    Given,
    /// First letter of the given-name key, or the written initial.
    GivenInitial,
    /// First three letters of the surname key.
    SurnamePrefix,
    /// Given-name and surname keys as an unordered pair: meets swapped names.
    NameParts,
    /// A full birth date.
    BirthDate,
    /// The birth year, however known.
    BirthYear,
    /// Birth year and month.
    BirthMonth,
    Sex,
    /// The narrowest level of the place.
    Place,
    Address,
    Postcode,
    IdNumber,
    EventDate,
    /// The n-th text field.
    Text(u8),
}

const NAMES: &[(&str, BlockPart)] = &[
    ("surname", BlockPart::Surname),
    ("given", BlockPart::Given),
    ("given_initial", BlockPart::GivenInitial),
    ("surname_prefix", BlockPart::SurnamePrefix),
    ("name_parts", BlockPart::NameParts),
    ("birth_date", BlockPart::BirthDate),
    ("birth_year", BlockPart::BirthYear),
    ("birth_month", BlockPart::BirthMonth),
    ("sex", BlockPart::Sex),
    ("place", BlockPart::Place),
    ("address", BlockPart::Address),
    ("postcode", BlockPart::Postcode),
    ("id_number", BlockPart::IdNumber),
    ("event_date", BlockPart::EventDate),
];

impl BlockPart {
    fn name(&self) -> String {
        match self {
            BlockPart::Text(i) => format!("text{i}"),
            p => NAMES
                .iter()
                .find(|(_, q)| q == p)
                .map(|(n, _)| (*n).to_string())
                .unwrap_or_default(),
        }
    }

    /// This part's hash for a record; 0 when the record lacks it.
    fn hash(&self, r: &Record) -> u64 {
        let tagged = |tag: u8, v: u64| {
            if v == 0 {
                0
            } else {
                combine(&[u64::from(tag), v])
            }
        };
        match self {
            BlockPart::Surname => tagged(1, key_hash(&r.name.surname)),
            BlockPart::Given => tagged(2, key_hash(&r.name.given)),
            BlockPart::GivenInitial => r.name.given_initial.map_or(0, |i| tagged(3, u64::from(i))),
            BlockPart::SurnamePrefix => r
                .name
                .blocking_keys()
                .surname_prefix
                .map_or(0, |k| tagged(4, k.0)),
            BlockPart::NameParts => r.name.blocking_keys().parts.map_or(0, |k| tagged(5, k.0)),
            BlockPart::BirthDate => match r.birth {
                Some(d) if d.day.is_some() => tagged(
                    6,
                    fnv(&[
                        d.year.to_le_bytes()[0],
                        d.year.to_le_bytes()[1],
                        d.month.unwrap_or(0),
                        d.day.unwrap_or(0),
                    ]),
                ),
                _ => 0,
            },
            BlockPart::BirthYear => r.birth.map_or(0, |d| tagged(7, fnv(&d.year.to_le_bytes()))),
            BlockPart::BirthMonth => match r.birth {
                Some(d) if d.month.is_some() => tagged(
                    8,
                    fnv(&[
                        d.year.to_le_bytes()[0],
                        d.year.to_le_bytes()[1],
                        d.month.unwrap_or(0),
                    ]),
                ),
                _ => 0,
            },
            BlockPart::Sex => match r.sex {
                crate::record::Sex::Unknown => 0,
                s => tagged(9, s as u64 + 1),
            },
            BlockPart::Place => r
                .place
                .as_ref()
                .and_then(|p| p.levels.last())
                .map_or(0, |&h| tagged(10, h)),
            BlockPart::Address => r.address.as_deref().map_or(0, |s| tagged(11, fnv_str(s))),
            BlockPart::Postcode => r.postcode.as_deref().map_or(0, |s| tagged(12, fnv_str(s))),
            BlockPart::IdNumber => r.id_number.as_deref().map_or(0, |s| tagged(13, fnv_str(s))),
            BlockPart::EventDate => r
                .event
                .and_then(|d| d.day_number())
                .map_or(0, |d| tagged(14, fnv(&d.to_le_bytes()))),
            BlockPart::Text(i) => r
                .texts
                .get(usize::from(*i))
                .and_then(|t| t.as_deref())
                .map_or(0, |s| tagged(15 + *i, fnv_str(s))),
        }
    }
}

/// A blocking rule: records that agree on every part are compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct BlockingRule {
    pub parts: Vec<BlockPart>,
}

impl BlockingRule {
    pub fn new(parts: &[BlockPart]) -> Self {
        BlockingRule {
            parts: parts.to_vec(),
        }
    }

    /// The record's key under this rule; 0 when a part is missing.
    pub fn key(&self, r: &Record) -> u64 {
        let mut hs = [0u64; 8];
        let n = self.parts.len().min(8);
        for (h, p) in hs.iter_mut().zip(&self.parts[..n]) {
            *h = p.hash(r);
            if *h == 0 {
                return 0;
            }
        }
        combine(&hs[..n])
    }
}

impl fmt::Display for BlockingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.parts.iter().map(BlockPart::name).collect();
        f.write_str(&names.join("+"))
    }
}

impl FromStr for BlockingRule {
    type Err = LinkError;
    /// `surname+birth_year`, `text0+postcode` (text fields by position).
    fn from_str(s: &str) -> Result<Self, LinkError> {
        let mut parts = Vec::new();
        for p in s.split('+').map(str::trim) {
            let part = if let Some(n) = p.strip_prefix("text").and_then(|n| n.parse::<u8>().ok()) {
                BlockPart::Text(n)
            } else {
                NAMES
                    .iter()
                    .find(|(n, _)| *n == p)
                    .map(|(_, q)| *q)
                    .ok_or_else(|| LinkError::UnknownBlockingPart {
                        rule: s.to_string(),
                        part: p.to_string(),
                        known: NAMES
                            .iter()
                            .map(|(n, _)| *n)
                            .chain(["text0", "text1", "…"])
                            .collect::<Vec<_>>()
                            .join(", "),
                    })?
            };
            parts.push(part);
        }
        if parts.is_empty() || parts.len() > 8 {
            return Err(LinkError::UnknownBlockingPart {
                rule: s.to_string(),
                part: String::new(),
                known: "one to eight parts".into(),
            });
        }
        Ok(BlockingRule { parts })
    }
}

/// The default rules for the fields present, tight ones first. They aim at
/// recall: each common kind of error (a typo in one name, a swapped name, a
/// wrong birth date, a missing field) leaves at least one rule that still
/// brings the pair together.
pub fn default_rules(present: &[ComparisonKind]) -> Vec<BlockingRule> {
    use BlockPart as P;
    let has = |k: ComparisonKind| present.contains(&k);
    let names = has(ComparisonKind::Surname) || has(ComparisonKind::Given);
    let birth = has(ComparisonKind::BirthDate);
    let mut rules: Vec<Vec<P>> = Vec::new();
    if names {
        rules.push(vec![P::NameParts]);
        rules.push(vec![P::Surname, P::GivenInitial]);
    }
    if birth {
        if names {
            // Both names and the year: a wrong day or month, on a list
            // too large to keep every pair of namesakes.
            rules.push(vec![P::NameParts, P::BirthYear]);
            rules.push(vec![P::Surname, P::BirthYear]);
            rules.push(vec![P::Given, P::BirthDate]);
            rules.push(vec![P::BirthDate, P::GivenInitial]);
            rules.push(vec![P::SurnamePrefix, P::BirthMonth]);
        }
        if has(ComparisonKind::Postcode) {
            rules.push(vec![P::BirthDate, P::Postcode]);
        }
        if has(ComparisonKind::Place) {
            rules.push(vec![P::BirthDate, P::Place]);
        }
        if has(ComparisonKind::EventDate) {
            rules.push(vec![P::BirthYear, P::EventDate]);
        }
    }
    if has(ComparisonKind::IdNumber) {
        rules.push(vec![P::IdNumber]);
    }
    if has(ComparisonKind::Address) {
        rules.push(vec![P::Address]);
    }
    if has(ComparisonKind::Postcode) && names {
        rules.push(vec![P::Postcode, P::Surname]);
        rules.push(vec![P::Postcode, P::Given]);
    }
    if has(ComparisonKind::Place) && names {
        rules.push(vec![P::Place, P::Surname]);
        rules.push(vec![P::Place, P::Given]);
    }
    for k in present {
        if let ComparisonKind::Text(i) = k {
            rules.push(vec![P::Text(*i)]);
        }
    }
    if names {
        // Loose rules last: the budget trims them on large lists.
        rules.push(vec![P::Surname]);
        if birth {
            rules.push(vec![P::Given, P::BirthYear]);
        }
        rules.push(vec![P::Given, P::SurnamePrefix]);
    } else if birth {
        rules.push(vec![P::BirthDate]);
    }
    if rules.is_empty() {
        rules.push(vec![P::BirthYear]);
    }
    rules
        .into_iter()
        .map(|p| BlockingRule { parts: p })
        .collect()
}

/// Whether pairs within one list are wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkMode {
    /// One list (or several) searched for duplicates: every pair.
    Dedupe,
    /// Only pairs from different lists.
    LinkOnly,
    /// Pairs across lists and within them.
    LinkAndDedupe,
}

/// One block: records `members[start..start+len]` of rule `rule`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    pub rule: u16,
    pub start: u32,
    pub len: u32,
}

/// Blocks of all rules, built once and walked twice (EM, then scoring).
#[derive(Debug)]
pub(crate) struct Blocking {
    /// keys[r][i]: record i's key under rule r, 0 when missing or dropped
    /// by the budget.
    pub keys: Vec<Vec<u64>>,
    pub members: Vec<Vec<u32>>,
    pub blocks: Vec<Block>,
    /// Per rule: pairs kept, and blocks dropped by the budget.
    pub stats: Vec<RuleStats>,
}

/// What one blocking rule did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleStats {
    pub rule: String,
    /// Pairs in its kept blocks (before removing those an earlier rule made).
    pub pairs: u64,
    /// Pairs it added that no earlier rule made.
    pub new_pairs: u64,
    /// Blocks left out because they were too large for the budget.
    pub dropped_blocks: u64,
    pub dropped_pairs: u64,
}

fn block_pairs(records: &[Record], members: &[u32], mode: LinkMode) -> u64 {
    let n = members.len() as u64;
    if mode != LinkMode::LinkOnly {
        return n * n.saturating_sub(1) / 2;
    }
    // Pairs across lists: all pairs minus those within a list.
    let mut counts: Vec<(u16, u64)> = Vec::new();
    for &m in members {
        let l = records[m as usize].list;
        match counts.iter_mut().find(|(x, _)| *x == l) {
            Some((_, c)) => *c += 1,
            None => counts.push((l, 1)),
        }
    }
    let within: u64 = counts
        .iter()
        .map(|(_, c)| c * c.saturating_sub(1) / 2)
        .sum();
    n * n.saturating_sub(1) / 2 - within
}

pub(crate) fn build(
    records: &[Record],
    rules: &[BlockingRule],
    mode: LinkMode,
    budget_per_record: u64,
) -> Blocking {
    let budget = budget_per_record
        .saturating_mul(records.len() as u64)
        .max(100_000);
    let mut out = Blocking {
        keys: Vec::with_capacity(rules.len()),
        members: Vec::with_capacity(rules.len()),
        blocks: Vec::new(),
        stats: Vec::with_capacity(rules.len()),
    };
    for (ri, rule) in rules.iter().enumerate() {
        let mut keys: Vec<u64> = records.iter().map(|r| rule.key(r)).collect();
        let mut order: Vec<(u64, u32)> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| **k != 0)
            .map(|(i, k)| (*k, i as u32))
            .collect();
        order.sort_unstable();
        // Groups of two or more, with their pair counts.
        let mut groups: Vec<(u64, usize, usize)> = Vec::new(); // (pairs, start, end)
        let mut s = 0;
        while s < order.len() {
            let mut e = s + 1;
            while e < order.len() && order[e].0 == order[s].0 {
                e += 1;
            }
            if e - s >= 2 {
                let ids: Vec<u32> = order[s..e].iter().map(|x| x.1).collect();
                let p = block_pairs(records, &ids, mode);
                if p > 0 {
                    groups.push((p, s, e));
                }
            }
            s = e;
        }
        let mut total: u64 = groups.iter().map(|g| g.0).sum();
        let mut dropped_blocks = 0;
        let mut dropped_pairs = 0;
        if total > budget {
            // Largest first; ties by position, which is key order.
            let mut by_size: Vec<usize> = (0..groups.len()).collect();
            by_size.sort_by(|&a, &b| groups[b].0.cmp(&groups[a].0).then(a.cmp(&b)));
            let mut drop = vec![false; groups.len()];
            for g in by_size {
                if total <= budget {
                    break;
                }
                total -= groups[g].0;
                dropped_pairs += groups[g].0;
                dropped_blocks += 1;
                drop[g] = true;
            }
            let mut kept = Vec::with_capacity(groups.len());
            for (g, d) in groups.into_iter().zip(drop) {
                if d {
                    for &(_, i) in &order[g.1..g.2] {
                        keys[i as usize] = 0;
                    }
                } else {
                    kept.push(g);
                }
            }
            groups = kept;
        }
        let mut members = Vec::with_capacity(groups.iter().map(|g| g.2 - g.1).sum());
        for &(_, s, e) in &groups {
            let start = members.len() as u32;
            members.extend(order[s..e].iter().map(|x| x.1));
            out.blocks.push(Block {
                rule: ri as u16,
                start,
                len: (e - s) as u32,
            });
        }
        // Singletons' keys cannot pair with anything; clearing them makes
        // the "already made by an earlier rule" test cheaper to reason about
        // and changes nothing.
        out.keys.push(keys);
        out.members.push(members);
        out.stats.push(RuleStats {
            rule: rule.to_string(),
            pairs: total,
            new_pairs: 0,
            dropped_blocks,
            dropped_pairs,
        });
    }
    out
}

impl Blocking {
    /// Call `f(i, j)` for every pair of this block that the mode wants and
    /// that no earlier rule made, with `i < j`.
    pub(crate) fn for_each_pair(
        &self,
        records: &[Record],
        mode: LinkMode,
        block: &Block,
        mut f: impl FnMut(u32, u32),
    ) {
        let r = usize::from(block.rule);
        let ids = &self.members[r][block.start as usize..(block.start + block.len) as usize];
        for (x, &i) in ids.iter().enumerate() {
            for &j in &ids[x + 1..] {
                let (i, j) = if i < j { (i, j) } else { (j, i) };
                if mode == LinkMode::LinkOnly
                    && records[i as usize].list == records[j as usize].list
                {
                    continue;
                }
                let earlier = self.keys[..r].iter().any(|k| {
                    let a = k[i as usize];
                    a != 0 && a == k[j as usize]
                });
                if !earlier {
                    f(i, j);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{RecordInput, prepare};

    fn rec(id: &str, list: u16, given: &str, surname: &str, dob: &str) -> Record {
        prepare(
            &RecordInput {
                id: id.into(),
                list,
                given: Some(given.into()),
                surname: Some(surname.into()),
                birth_date: Some(dob.into()),
                ..RecordInput::default()
            },
            2022,
            &mut Vec::new(),
        )
    }

    fn pairs(b: &Blocking, records: &[Record], mode: LinkMode) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        for blk in &b.blocks {
            b.for_each_pair(records, mode, blk, |i, j| v.push((i, j)));
        }
        v
    }

    #[test]
    fn rules_parse_and_print() {
        let r: BlockingRule = "surname+birth_year".parse().unwrap();
        assert_eq!(r.parts, vec![BlockPart::Surname, BlockPart::BirthYear]);
        assert_eq!(r.to_string(), "surname+birth_year");
        assert_eq!(
            "text1".parse::<BlockingRule>().unwrap().parts,
            vec![BlockPart::Text(1)]
        );
        let e = "surname+shoe_size".parse::<BlockingRule>().unwrap_err();
        assert!(e.to_string().contains("shoe_size"), "{e}");
    }

    #[test]
    fn each_pair_is_made_once_and_swaps_meet() {
        let records = vec![
            rec("a", 0, "Жомарт", "Байтхан", "1985-03-07"),
            rec("b", 0, "Zhomart", "Baytkhan", "1985-03-07"),
            rec("c", 0, "Baitkhan", "Jomart", "1990-01-01"),
            rec("d", 0, "Айнур", "Сапарова", "1970-05-05"),
        ];
        let rules = default_rules(&[
            ComparisonKind::Surname,
            ComparisonKind::Given,
            ComparisonKind::BirthDate,
        ]);
        let b = build(&records, &rules, LinkMode::Dedupe, 100);
        let mut p = pairs(&b, &records, LinkMode::Dedupe);
        let n = p.len();
        p.sort();
        p.dedup();
        assert_eq!(n, p.len(), "a pair was made twice");
        assert!(p.contains(&(0, 1)));
        assert!(p.contains(&(0, 2)), "swapped name must meet its twin");
        assert!(!p.iter().any(|&(i, j)| i == 3 || j == 3));
    }

    #[test]
    fn link_only_skips_pairs_within_a_list() {
        let records = vec![
            rec("a1", 0, "Ерлан", "Сапаров", "1980-01-01"),
            rec("a2", 0, "Erlan", "Saparov", "1980-01-01"),
            rec("b1", 1, "Yerlan", "Saparov", "1980-01-01"),
        ];
        let rules = vec!["surname".parse().unwrap()];
        let b = build(&records, &rules, LinkMode::LinkOnly, 100);
        assert_eq!(
            pairs(&b, &records, LinkMode::LinkOnly),
            vec![(0, 2), (1, 2)]
        );
        let b = build(&records, &rules, LinkMode::Dedupe, 100);
        assert_eq!(pairs(&b, &records, LinkMode::Dedupe).len(), 3);
    }

    #[test]
    fn budget_drops_the_largest_blocks() {
        // 500 Ivanovs (124,750 pairs) and 3 Saparovs: with the smallest
        // budget, 100,000 pairs, the Ivanov block goes and the Saparov
        // block stays.
        let mut records: Vec<Record> = (0..500)
            .map(|i| rec(&format!("i{i}"), 0, "Иван", "Иванов", "1980-01-01"))
            .collect();
        for i in 0..3 {
            records.push(rec(&format!("s{i}"), 0, "Ерлан", "Сапаров", "1981-01-01"));
        }
        let rules = vec!["surname".parse().unwrap()];
        let b = build(&records, &rules, LinkMode::Dedupe, 1);
        assert_eq!(b.stats[0].dropped_blocks, 1);
        assert_eq!(b.stats[0].pairs, 3);
        assert_eq!(pairs(&b, &records, LinkMode::Dedupe).len(), 3);
        assert_eq!(b.keys[0][0], 0, "dropped records lose their key");
    }
}
