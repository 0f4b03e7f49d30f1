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
//! - [`Model`]: u probabilities per level from a seeded random sample of
//!   pairs, m probabilities estimated by EM without labels in training
//!   sessions (one blocked on the names, one on the birth date or another
//!   field; see `train`), the prior from m and u over the candidate pairs,
//!   and term-frequency adjustments so that sharing a rare surname counts
//!   for more than sharing a common one.
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
//! EM walks the agreement patterns in sorted order, the random sample is
//! drawn in fixed chunks with one generator each, and parallel scoring
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
mod train;

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
    /// Each rule may make at most this many pairs per record (but at least
    /// 100,000 pairs in all): on a small list every rule keeps all its
    /// blocks, on a million-row list the loose rules lose their most common
    /// values and the candidate pairs grow linearly.
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
            pair_budget_per_record: 2,
            em: EmOptions::default(),
            u_samples: 300_000,
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
        // Drawn in fixed chunks, each with its own generator seeded from the
        // configured seed and the chunk's number, so that the sample is the
        // same whatever the number of threads.
        const CHUNK: u64 = 65_536;
        let wanted = self.config.u_samples;
        let chunks = wanted.div_ceil(CHUNK);
        let per_chunk: Vec<(Vec<Vec<u64>>, u64)> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut local: Vec<Vec<u64>> = self
                    .comparisons
                    .iter()
                    .map(|k| vec![0; k.level_count()])
                    .collect();
                let want = CHUNK.min(wanted - c * CHUNK);
                let mut rng =
                    SplitMix64::new(self.config.seed ^ (c + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let (mut drawn, mut tries) = (0u64, 0u64);
                while n >= 2 && drawn < want && tries < want * 20 {
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
                    for (k, c) in local.iter_mut().enumerate() {
                        c[model::level_at(p, k)] += 1;
                    }
                }
                (local, drawn)
            })
            .collect();
        let mut drawn = 0;
        for (local, d) in per_chunk {
            drawn += d;
            for (c, l) in counts.iter_mut().zip(local) {
                for (x, y) in c.iter_mut().zip(l) {
                    *x += y as f64;
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

    /// Pairs the mode allows among all the records.
    fn all_pairs(&self) -> f64 {
        let n = self.records.len() as f64;
        let all = n * (n - 1.0) / 2.0;
        if self.config.mode != LinkMode::LinkOnly {
            return all;
        }
        let mut per_list: FastMap<u16, f64> = FastMap::default();
        for r in &self.records {
            *per_list.entry(r.list).or_insert(0.0) += 1.0;
        }
        all - per_list.values().map(|c| c * (c - 1.0) / 2.0).sum::<f64>()
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
        let fields = self.field_names();
        // m from training sessions with u held at the random sample, then
        // the prior (see `train`). When the fields do not allow two
        // sessions, EM over the candidate pairs with m, u and the share of
        // matches all free.
        let trained = train::train_m(
            records,
            comparisons,
            &fields,
            &u_random,
            mode,
            self.config.em,
        );
        let mut model = match trained {
            Some(m) => {
                let (prior, lambda) = train::prior(&m, &u_random, &patterns, self.all_pairs());
                let mut model =
                    Model::from_parts(comparisons, &fields, m, u_random.clone(), u_random, lambda);
                model.prior = prior;
                model.converged = true;
                model
            }
            None => Model::fit(
                comparisons,
                &fields,
                u_random,
                &patterns,
                self.config.em,
                &[],
            ),
        };
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

    /// Every pair of records within a cluster (pairs across lists only in
    /// link-only mode), scored: the pairs the clustering says are the same
    /// person. This differs from [`LinkResult::pairs`] both ways: a pair
    /// above the threshold that the guard kept apart is left out, and two
    /// records joined through a third are in even when their own score is
    /// below the threshold (a record missing its birth date, linked to its
    /// twin through a complete one). Ordered by cluster, then by record.
    pub fn cluster_pairs(&self, result: &LinkResult) -> Vec<ScoredPair> {
        let kinds = result.model.kinds();
        let mut out = Vec::new();
        for c in &result.clusters {
            for (x, &i) in c.iter().enumerate() {
                for &j in &c[x + 1..] {
                    let (a, b) = (&self.records[i as usize], &self.records[j as usize]);
                    if self.config.mode == LinkMode::LinkOnly && a.list == b.list {
                        continue;
                    }
                    let w = result.model.weight_of(pattern(&kinds, a, b), a, b);
                    out.push(ScoredPair {
                        left: i,
                        right: j,
                        weight: w,
                        probability: probability(w),
                    });
                }
            }
        }
        out
    }

    /// Explain the score of records `i` and `j` under a fitted model.
    pub fn explain(&self, model: &Model, i: usize, j: usize) -> Option<Explanation> {
        Some(model.explain(self.records.get(i)?, self.records.get(j)?))
    }
}

/// [`prepare`] many inputs on all cores. Records and warnings come back in
/// input order, so the result does not depend on the thread count.
pub fn prepare_all(
    inputs: &[RecordInput],
    age_as_of_year: i16,
    warnings: &mut Vec<FieldWarning>,
) -> Vec<Record> {
    let done: Vec<(Record, Vec<FieldWarning>)> = inputs
        .par_iter()
        .with_min_len(1024)
        .map(|i| {
            let mut w = Vec::new();
            (prepare(i, age_as_of_year, &mut w), w)
        })
        .collect();
    done.into_iter()
        .map(|(r, w)| {
            warnings.extend(w);
            r
        })
        .collect()
}

/// Prepare inputs and run a linkage in one call; warnings about unreadable
/// values come back with the result.
pub fn link(
    inputs: &[RecordInput],
    age_as_of_year: i16,
    config: LinkConfig,
) -> Result<(Linker, LinkResult, Vec<FieldWarning>), LinkError> {
    let mut warnings = Vec::new();
    let records = prepare_all(inputs, age_as_of_year, &mut warnings);
    let linker = Linker::new(records, config)?;
    let result = linker.run();
    Ok((linker, result, warnings))
}
