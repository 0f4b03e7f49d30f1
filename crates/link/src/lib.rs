//! Record linkage: finding which records are the same person, across lists
//! and within one list.
//!
//! Victim lists are compiled by different people in different languages: a
//! Kazakh list writes Байтхан Жомарт Қайратұлы, an English report Zhomart
//! Baitkhan, a court record "Ж. Байтхан, 1985 г.р.", a news story gives only
//! an age. Counting victims, and estimating how many no list has, needs to
//! know when two of these are one person. This crate decides that with the
//! Fellegi–Sunter model, the method of Splink and fastLink.
//!
//! The steps, each in its own module:
//! - [`RecordInput`] → [`Record`] ([`prepare`]): names through the `names`
//!   crate (parsed, transliterated, keyed), dates parsed, an age turned into
//!   an approximate birth year, text folded.
//! - [`ComparisonKind`]: for each field, an agreement level (same spelling,
//!   same key, swapped, typo, different, missing …).
//! - [`BlockingRule`]s decide which pairs are compared at all; each rule has
//!   a pair budget so that common values cannot blow up a large list.
//! - [`Model`]: m and u probabilities per level estimated by EM without
//!   labels (u starts from a seeded random sample of pairs), and
//!   term-frequency adjustments so that sharing a rare surname counts for
//!   more than sharing a common one.
//! - Every pair above the threshold gets a weight and a probability, and
//!   [`Model::explain`] names the comparisons that agreed and the bits each
//!   contributed.
//! - Pairs are clustered into persons strongest first, with a [`Guard`]
//!   that refuses to chain two clearly different people through a third
//!   record.
//!
//! [`Linker::run`] does all of it. The same records and configuration
//! always give the same result: hashing is FNV (not `std`'s randomised
//! hasher), the only randomness is [`SplitMix64`] from the configured seed,
//! EM walks the agreement patterns in sorted order, and parallel scoring
//! (rayon) collects its results in block order.
//!
//! Memory is bounded by the records (a few hundred bytes each) and the
//! blocking index (12 bytes per record per rule): pairs are generated twice,
//! once to count agreement patterns for EM and once to score, and only pairs
//! above the threshold are kept.
//!
//! The crate is pure: no files, clock or environment. Reading lists is the
//! CLI's job; [`synth`] makes synthetic lists for tests and benchmarks.

mod block;
mod cluster;
mod compare;
mod error;
mod hash;
mod model;
mod record;
mod rng;
pub mod synth;

use rayon::prelude::*;
use serde::Serialize;

pub use block::{BlockPart, BlockingRule, LinkMode, RuleStats, default_rules};
pub use cluster::{Guard, ScoredPair};
pub use compare::ComparisonKind;
pub use error::LinkError;
pub use model::{ComparisonModel, Contribution, EmOptions, Explanation, Model, probability};
pub use record::{
    FieldWarning, PartialDate, PlacePath, Record, RecordInput, Schema, Sex, fold_text, parse_date,
    parse_sex, prepare,
};
pub use rng::SplitMix64;

use crate::compare::{TF_GIVEN, TF_PLACE, TF_POSTCODE, TF_SURNAME, TF_TEXT0};
use crate::hash::{FastMap, combine, fnv_str};
use crate::model::pattern;
use crate::record::key_hash;

/// How to link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkConfig {
    pub mode: LinkMode,
    /// Blocking rules; `None` for [`default_rules`] of the fields present.
    pub rules: Option<Vec<BlockingRule>>,
    /// Pairs at or above this match probability are reported and clustered.
    pub threshold: f64,
    /// Each rule may make at most this many pairs per record.
    pub pair_budget_per_record: u64,
    pub em: EmOptions,
    /// Random pairs drawn to estimate u probabilities.
    pub u_samples: u64,
    /// Seed of the [`SplitMix64`] generator.
    pub seed: u64,
    pub term_frequencies: bool,
    pub guard: Guard,
    /// Names of the `text:` fields, for explanations.
    pub text_fields: Vec<String>,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            mode: LinkMode::Dedupe,
            rules: None,
            threshold: 0.5,
            pair_budget_per_record: 20,
            em: EmOptions::default(),
            u_samples: 1_000_000,
            seed: 0x7161_6e74_6172, // "qantar"
            term_frequencies: true,
            guard: Guard::default(),
            text_fields: Vec::new(),
        }
    }
}

/// The outcome of a linkage.
#[derive(Debug, Clone, Serialize)]
pub struct LinkResult {
    /// Pairs at or above the threshold, in block order.
    pub pairs: Vec<ScoredPair>,
    /// Persons: clusters of two or more records (indices into the records);
    /// a record in no cluster is a person of its own.
    pub clusters: Vec<Vec<u32>>,
    pub model: Model,
    pub blocking: Vec<RuleStats>,
    /// Pairs compared.
    pub candidate_pairs: u64,
    /// Merges the chaining guard refused.
    pub guard_refusals: u64,
}

/// Records prepared for linking, and the comparisons they support.
#[derive(Debug)]
pub struct Linker {
    records: Vec<Record>,
    comparisons: Vec<ComparisonKind>,
    config: LinkConfig,
    tf_bases: Vec<Option<f64>>,
}

const ALL_KINDS: [ComparisonKind; 10] = [
    ComparisonKind::Surname,
    ComparisonKind::Given,
    ComparisonKind::Patronymic,
    ComparisonKind::BirthDate,
    ComparisonKind::Sex,
    ComparisonKind::Place,
    ComparisonKind::Address,
    ComparisonKind::Postcode,
    ComparisonKind::IdNumber,
    ComparisonKind::EventDate,
];

impl Linker {
    /// Prepare a linkage. Term counts are taken over all the records.
    pub fn new(mut records: Vec<Record>, config: LinkConfig) -> Result<Linker, LinkError> {
        for (name, v) in [
            ("threshold", config.threshold),
            ("guard.min_probability", config.guard.min_probability),
        ] {
            if !(v > 0.0 && v < 1.0) {
                return Err(LinkError::BadProbability { name, value: v });
            }
        }
        if config.mode == LinkMode::LinkOnly {
            for l in [0u16, 1] {
                if !records.iter().any(|r| r.list == l) {
                    return Err(LinkError::EmptyList { missing: l });
                }
            }
        }
        let texts = records.iter().map(|r| r.texts.len()).max().unwrap_or(0);
        let mut comparisons: Vec<ComparisonKind> = ALL_KINDS.to_vec();
        comparisons.extend((0..texts.min(32)).map(|i| ComparisonKind::Text(i as u8)));
        // A comparison needs a value on at least two records to say anything.
        comparisons.retain(|c| records.iter().filter(|r| c.present(r)).take(2).count() == 2);
        if comparisons.is_empty() {
            return Err(LinkError::NoComparisons);
        }
        if comparisons.len() > 16 {
            return Err(LinkError::TooManyComparisons {
                count: comparisons.len(),
            });
        }
        // Term counts per slot.
        let slots = TF_TEXT0 + texts;
        let value_of = |r: &Record, slot: usize| -> u64 {
            match slot {
                TF_SURNAME => key_hash(&r.name.surname),
                TF_GIVEN => key_hash(&r.name.given),
                TF_PLACE => r.place.as_ref().map_or(0, |p| combine(&p.levels)),
                TF_POSTCODE => r.postcode.as_deref().map_or(0, fnv_str),
                s => r
                    .texts
                    .get(s - TF_TEXT0)
                    .and_then(|t| t.as_deref())
                    .map_or(0, fnv_str),
            }
        };
        let mut counts: Vec<FastMap<u64, u32>> = (0..slots).map(|_| FastMap::default()).collect();
        for r in &records {
            for (s, map) in counts.iter_mut().enumerate() {
                let v = value_of(r, s);
                if v != 0 {
                    *map.entry(v).or_insert(0) += 1;
                }
            }
        }
        let n = records.len() as f64;
        for r in &mut records {
            r.tf = (0..slots)
                .map(|s| {
                    let v = value_of(r, s);
                    if v == 0 {
                        0
                    } else {
                        counts[s].get(&v).copied().unwrap_or(0)
                    }
                })
                .collect();
        }
        let tf_bases = comparisons
            .iter()
            .map(|c| {
                let (_, slot) = c.tf_slot()?;
                let map = counts.get(slot)?;
                let s: f64 = map.values().map(|&c| (f64::from(c) / n).powi(2)).sum();
                (s > 0.0).then_some(s)
            })
            .collect();
        Ok(Linker {
            records,
            comparisons,
            config,
            tf_bases,
        })
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The comparisons this linkage makes, in pattern order.
    pub fn comparisons(&self) -> &[ComparisonKind] {
        &self.comparisons
    }

    fn field_names(&self) -> Vec<String> {
        self.comparisons
            .iter()
            .map(|c| match c {
                ComparisonKind::Text(i) => self
                    .config
                    .text_fields
                    .get(usize::from(*i))
                    .map(|n| format!("text:{n}"))
                    .unwrap_or_else(|| c.field_name()),
                _ => c.field_name(),
            })
            .collect()
    }

    /// u probabilities from pairs drawn at random (with the mode's
    /// restriction on lists), Laplace-smoothed.
    fn sample_u(&self) -> (Vec<Vec<f64>>, u64) {
        let mut counts: Vec<Vec<f64>> = self
            .comparisons
            .iter()
            .map(|c| vec![0.5; c.level_count()])
            .collect();
        let n = self.records.len() as u64;
        let mut rng = SplitMix64::new(self.config.seed);
        let mut drawn = 0;
        if n >= 2 {
            let mut tries = 0u64;
            while drawn < self.config.u_samples && tries < self.config.u_samples * 20 {
                tries += 1;
                let i = rng.below(n) as usize;
                let j = rng.below(n) as usize;
                if i == j
                    || (self.config.mode == LinkMode::LinkOnly
                        && self.records[i].list == self.records[j].list)
                {
                    continue;
                }
                drawn += 1;
                let p = pattern(&self.comparisons, &self.records[i], &self.records[j]);
                for (k, c) in counts.iter_mut().enumerate() {
                    c[model::level_at(p, k)] += 1.0;
                }
            }
        }
        for c in &mut counts {
            let s: f64 = c[1..].iter().sum();
            c[0] = 0.0;
            for x in &mut c[1..] {
                *x /= s;
            }
        }
        (counts, drawn)
    }

    /// Run the whole linkage.
    pub fn run(&self) -> LinkResult {
        let rules = self
            .config
            .rules
            .clone()
            .unwrap_or_else(|| default_rules(&self.comparisons));
        let blocking = block::build(
            &self.records,
            &rules,
            self.config.mode,
            self.config.pair_budget_per_record,
        );
        let mode = self.config.mode;
        let records = &self.records;
        let comparisons = &self.comparisons;

        // Pass 1: count agreement patterns (and new pairs per rule).
        let (pattern_counts, new_pairs) = blocking
            .blocks
            .par_iter()
            .with_min_len(256)
            .fold(
                || (FastMap::<u64, u64>::default(), vec![0u64; rules.len()]),
                |(mut map, mut per_rule), blk| {
                    blocking.for_each_pair(records, mode, blk, |i, j| {
                        let p = pattern(comparisons, &records[i as usize], &records[j as usize]);
                        *map.entry(p).or_insert(0) += 1;
                        per_rule[usize::from(blk.rule)] += 1;
                    });
                    (map, per_rule)
                },
            )
            .reduce(
                || (FastMap::default(), vec![0u64; rules.len()]),
                |(mut a, mut ra), (b, rb)| {
                    for (k, v) in b {
                        *a.entry(k).or_insert(0) += v;
                    }
                    for (x, y) in ra.iter_mut().zip(rb) {
                        *x += y;
                    }
                    (a, ra)
                },
            );
        let mut patterns: Vec<(u64, u64)> = pattern_counts.into_iter().collect();
        patterns.sort_unstable();
        let candidate_pairs = patterns.iter().map(|p| p.1).sum();

        let (u_random, drawn) = self.sample_u();
        // EM over the candidate pairs, m, u and the share of matches all
        // estimated, u starting from the random sample. (Holding u at the
        // random-sample value, as Splink does, needs per-rule training
        // sessions: candidate non-matches agree on the blocked fields far
        // more often than random pairs.)
        let mut model = Model::fit(
            comparisons,
            &self.field_names(),
            u_random,
            &patterns,
            self.config.em,
            &[],
        );
        model.seed = self.config.seed;
        model.u_samples = drawn;
        model.tf_total = self.records.len() as u64;
        model.tf_enabled = self.config.term_frequencies;
        for (c, base) in model.comparisons.iter_mut().zip(&self.tf_bases) {
            c.tf_base = *base;
        }

        // Pass 2: score and keep pairs above the threshold.
        let min_weight = (self.config.threshold / (1.0 - self.config.threshold)).log2();
        let model_ref = &model;
        let pairs: Vec<ScoredPair> = blocking
            .blocks
            .par_iter()
            .with_min_len(256)
            .map(|blk| {
                let mut out = Vec::new();
                blocking.for_each_pair(records, mode, blk, |i, j| {
                    let (a, b) = (&records[i as usize], &records[j as usize]);
                    let w = model_ref.weight_of(pattern(comparisons, a, b), a, b);
                    if w >= min_weight {
                        out.push(ScoredPair {
                            left: i,
                            right: j,
                            weight: w,
                            probability: probability(w),
                        });
                    }
                });
                out
            })
            .collect::<Vec<Vec<ScoredPair>>>()
            .into_iter()
            .flatten()
            .collect();

        let (clusters, guard_refusals) =
            cluster::cluster(&self.records, &model, &pairs, self.config.guard);
        let mut stats = blocking.stats;
        for (s, n) in stats.iter_mut().zip(new_pairs) {
            s.new_pairs = n;
        }
        LinkResult {
            pairs,
            clusters,
            model,
            blocking: stats,
            candidate_pairs,
            guard_refusals,
        }
    }

    /// Explain the score of records `i` and `j` under a fitted model.
    pub fn explain(&self, model: &Model, i: usize, j: usize) -> Option<Explanation> {
        Some(model.explain(self.records.get(i)?, self.records.get(j)?))
    }
}

/// Prepare inputs and run a linkage in one call; warnings about unreadable
/// values come back with the result.
pub fn link(
    inputs: &[RecordInput],
    age_as_of_year: i16,
    config: LinkConfig,
) -> Result<(Linker, LinkResult, Vec<FieldWarning>), LinkError> {
    let mut warnings = Vec::new();
    let records = inputs
        .iter()
        .map(|i| prepare(i, age_as_of_year, &mut warnings))
        .collect();
    let linker = Linker::new(records, config)?;
    let result = linker.run();
    Ok((linker, result, warnings))
}
