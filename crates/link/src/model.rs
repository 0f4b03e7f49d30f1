//! The Fellegi–Sunter model: m and u probabilities per comparison level,
//! estimated by EM without labels, term-frequency adjustments, and the
//! explanation of a pair's score.
//!
//! A pair's agreement pattern is packed in a `u64`, four bits per
//! comparison. EM runs over the distinct patterns with their counts, in
//! ascending pattern order, so a run over millions of pairs costs a few
//! thousand pattern updates per iteration and gives the same numbers on any
//! machine and thread count.

use serde::Serialize;

use crate::compare::ComparisonKind;
use crate::record::Record;

/// EM settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EmOptions {
    pub max_iterations: u32,
    /// Stop when no probability moves by more than this.
    pub tolerance: f64,
    /// Only when the fields allow no training sessions (EM then runs over
    /// all candidate pairs): keep u at the random-sample estimate instead
    /// of re-estimating it. Training sessions always keep u fixed.
    pub fix_u: bool,
}

impl Default for EmOptions {
    fn default() -> Self {
        EmOptions {
            max_iterations: 200,
            tolerance: 1e-7,
            fix_u: false,
        }
    }
}

/// The estimated parameters of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonModel {
    pub kind: ComparisonKind,
    /// The field's name as the user mapped it.
    pub field: String,
    pub levels: Vec<&'static str>,
    /// P(level | match), index = level; index 0 (missing) is unused.
    pub m: Vec<f64>,
    /// P(level | non-match) among the candidate pairs.
    pub u: Vec<f64>,
    /// P(level | two records drawn at random).
    pub u_random: Vec<f64>,
    /// Match weight of each level, log2(m/u); 0 for missing.
    pub weights: Vec<f64>,
    /// For term-frequency adjusted comparisons: the chance that two random
    /// records share a value, Σ (count/N)².
    pub tf_base: Option<f64>,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub comparisons: Vec<ComparisonModel>,
    /// Share of candidate pairs that are matches.
    pub lambda: f64,
    /// The chance that two records drawn at random are a match: the prior
    /// of every pair's score. (When m and u are both estimated on the
    /// candidate pairs, the prior is `lambda` instead.)
    pub prior: f64,
    pub iterations: u32,
    pub converged: bool,
    /// The generator and seed of the u sample.
    pub rng: &'static str,
    pub seed: u64,
    pub u_samples: u64,
    /// Number of records the term counts were taken over.
    pub(crate) tf_total: u64,
    pub(crate) tf_enabled: bool,
}

/// Term-frequency adjustments are kept within these bounds (bits): a value
/// seen once in a million rows is strong evidence, but not unbounded.
const TF_MIN: f64 = -5.0;
const TF_MAX: f64 = 10.0;
const P_FLOOR: f64 = 1e-6;

/// Pack levels, four bits each.
pub(crate) fn pattern(comparisons: &[ComparisonKind], a: &Record, b: &Record) -> u64 {
    let mut p = 0u64;
    for (k, c) in comparisons.iter().enumerate() {
        p |= u64::from(c.level(a, b)) << (4 * k);
    }
    p
}

pub(crate) fn level_at(pattern: u64, k: usize) -> usize {
    ((pattern >> (4 * k)) & 0xF) as usize
}

fn normalise(v: &mut [f64]) {
    // Level 0 (missing) is not a probability of the model.
    let s: f64 = v[1..].iter().sum();
    v[0] = 0.0;
    for x in &mut v[1..] {
        *x = if s > 0.0 {
            (*x / s).max(P_FLOOR)
        } else {
            P_FLOOR
        };
    }
}

/// Starting m: most mass on the strongest levels, halving for each level
/// down. EM moves away from it quickly; it only has to put the match class
/// on the side of agreement.
fn initial_m(levels: usize) -> Vec<f64> {
    let mut m = vec![0.0; levels];
    for (l, x) in m.iter_mut().enumerate().skip(1) {
        *x = 2f64.powi(l as i32 * 2);
    }
    normalise(&mut m);
    m
}

impl Model {
    /// Fit m, u and λ by EM over pattern counts (sorted by pattern).
    pub(crate) fn fit(
        comparisons: &[ComparisonKind],
        fields: &[String],
        u_random: Vec<Vec<f64>>,
        patterns: &[(u64, u64)],
        em: EmOptions,
        fixed_m: &[Option<Vec<f64>>],
    ) -> Model {
        let mut m: Vec<Vec<f64>> = comparisons
            .iter()
            .enumerate()
            .map(|(k, c)| {
                fixed_m
                    .get(k)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| initial_m(c.level_count()))
            })
            .collect();
        let mut u = u_random.clone();
        let mut lambda = 0.1f64;
        let mut iterations = 0;
        let mut converged = false;
        let total: f64 = patterns.iter().map(|p| p.1 as f64).sum();
        let mut acc_m: Vec<Vec<f64>> = m.iter().map(|v| vec![0.0; v.len()]).collect();
        let mut acc_u = acc_m.clone();
        while iterations < em.max_iterations && total > 0.0 {
            iterations += 1;
            let lw: Vec<Vec<f64>> = m
                .iter()
                .zip(&u)
                .map(|(mk, uk)| {
                    mk.iter()
                        .zip(uk)
                        .enumerate()
                        .map(|(l, (a, b))| if l == 0 { 0.0 } else { (a / b).ln() })
                        .collect()
                })
                .collect();
            let prior = (lambda / (1.0 - lambda)).ln();
            for v in acc_m.iter_mut().chain(acc_u.iter_mut()) {
                v.iter_mut().for_each(|x| *x = 0.0);
            }
            let mut matched = 0.0;
            for &(p, count) in patterns {
                let mut s = prior;
                for (k, w) in lw.iter().enumerate() {
                    s += w[level_at(p, k)];
                }
                let post = 1.0 / (1.0 + (-s).exp());
                let c = count as f64;
                matched += c * post;
                for k in 0..comparisons.len() {
                    let l = level_at(p, k);
                    acc_m[k][l] += c * post;
                    acc_u[k][l] += c * (1.0 - post);
                }
            }
            let new_lambda = (matched / total).clamp(P_FLOOR, 1.0 - P_FLOOR);
            let mut change = (new_lambda - lambda).abs();
            lambda = new_lambda;
            for k in 0..comparisons.len() {
                if fixed_m.get(k).is_none_or(Option::is_none) {
                    normalise(&mut acc_m[k]);
                    for (old, new) in m[k].iter_mut().zip(&acc_m[k]) {
                        change = change.max((*old - new).abs());
                        *old = *new;
                    }
                }
                if !em.fix_u {
                    normalise(&mut acc_u[k]);
                    for (old, new) in u[k].iter_mut().zip(&acc_u[k]) {
                        change = change.max((*old - new).abs());
                        *old = *new;
                    }
                }
            }
            if change < em.tolerance {
                converged = true;
                break;
            }
        }
        let mut model = Model::from_parts(comparisons, fields, m, u, u_random, lambda);
        model.iterations = iterations;
        model.converged = converged;
        model
    }

    /// A model from its parameters; the prior is `lambda` until set.
    pub(crate) fn from_parts(
        comparisons: &[ComparisonKind],
        fields: &[String],
        m: Vec<Vec<f64>>,
        u: Vec<Vec<f64>>,
        u_random: Vec<Vec<f64>>,
        lambda: f64,
    ) -> Model {
        let comparisons = comparisons
            .iter()
            .zip(fields)
            .zip(m.into_iter().zip(u).zip(u_random))
            .map(|((kind, field), ((m, u), u_random))| {
                let weights = m
                    .iter()
                    .zip(&u)
                    .enumerate()
                    .map(|(l, (a, b))| if l == 0 { 0.0 } else { (a / b).log2() })
                    .collect();
                ComparisonModel {
                    kind: *kind,
                    field: field.clone(),
                    levels: kind.level_labels().to_vec(),
                    m,
                    u,
                    u_random,
                    weights,
                    tf_base: None,
                }
            })
            .collect();
        Model {
            comparisons,
            lambda,
            prior: lambda,
            iterations: 0,
            converged: false,
            rng: crate::rng::SplitMix64::NAME,
            seed: 0,
            u_samples: 0,
            tf_total: 0,
            tf_enabled: false,
        }
    }

    /// log2 of the prior odds.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    fn tf_adjustment(&self, c: &ComparisonModel, level: usize, a: &Record, b: &Record) -> f64 {
        let (Some(base), true) = (c.tf_base, self.tf_enabled) else {
            return 0.0;
        };
        let Some((min_level, slot)) = c.kind.tf_slot() else {
            return 0.0;
        };
        if level < usize::from(min_level) || self.tf_total == 0 {
            return 0.0;
        }
        // The commoner of the two values: for the same key spelled two ways
        // the counts can differ, and the cautious reading is the common one.
        let count =
            a.tf.get(slot)
                .copied()
                .unwrap_or(0)
                .max(b.tf.get(slot).copied().unwrap_or(0));
        if count == 0 {
            return 0.0;
        }
        let freq = f64::from(count) / self.tf_total as f64;
        (base / freq).log2().clamp(TF_MIN, TF_MAX)
    }

    /// Match weight of a pair whose pattern is known.
    pub(crate) fn weight_of(&self, p: u64, a: &Record, b: &Record) -> f64 {
        let mut w = self.prior_weight();
        for (k, c) in self.comparisons.iter().enumerate() {
            let l = level_at(p, k);
            if l != 0 {
                w += c.weights[l] + self.tf_adjustment(c, l, a, b);
            }
        }
        w
    }

    /// The kinds of the model's comparisons, in pattern order.
    pub fn kinds(&self) -> Vec<ComparisonKind> {
        self.comparisons.iter().map(|c| c.kind).collect()
    }

    /// Score and explain a pair of records.
    pub fn explain(&self, a: &Record, b: &Record) -> Explanation {
        let kinds = self.kinds();
        let p = pattern(&kinds, a, b);
        let mut contributions = Vec::new();
        let mut weight = self.prior_weight();
        for (k, c) in self.comparisons.iter().enumerate() {
            let l = level_at(p, k);
            if l == 0 {
                continue;
            }
            let tf = self.tf_adjustment(c, l, a, b);
            let w = c.weights[l] + tf;
            weight += w;
            contributions.push(Contribution {
                field: c.field.clone(),
                level: c.levels[l],
                agreed: w > 0.0,
                weight: w,
                term_frequency_adjustment: tf,
            });
        }
        Explanation {
            prior_weight: self.prior_weight(),
            contributions,
            weight,
            probability: probability(weight),
        }
    }
}

/// Probability of a match from a match weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// What one comparison added to a pair's weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub field: String,
    /// The agreement level's label ("same spelling", "one typo" …).
    pub level: &'static str,
    /// The comparison counted for the match (positive weight).
    pub agreed: bool,
    /// Bits of evidence, including the term-frequency adjustment.
    pub weight: f64,
    /// The part of `weight` that comes from how rare the shared value is.
    pub term_frequency_adjustment: f64,
}

/// Why a pair got its score. Missing fields are left out: they add nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// log2 prior odds of a match among candidate pairs.
    pub prior_weight: f64,
    pub contributions: Vec<Contribution>,
    pub weight: f64,
    pub probability: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three yes/no comparisons (the fewest for which the two-class model
    /// is identifiable). Counts are made from known m, u and λ; EM must
    /// find them again from the counts alone.
    #[test]
    fn em_recovers_known_parameters() {
        let kinds = [
            ComparisonKind::IdNumber,
            ComparisonKind::Sex,
            ComparisonKind::Postcode,
        ];
        let fields: Vec<String> = kinds.iter().map(|k| k.field_name()).collect();
        // Level of "same" for each: IdNumber 4, Sex 2, Postcode 3; "different" is 1.
        let same = [4u64, 2, 3];
        let (m_true, u_true) = ([0.9, 0.95, 0.8], [0.01, 0.5, 0.05]);
        let (n_match, n_non) = (10_000.0f64, 90_000.0f64);
        let mut patterns = Vec::new();
        for bits in 0..8u32 {
            let (mut pm, mut pu, mut p) = (1.0f64, 1.0f64, 0u64);
            for k in 0..3 {
                let agree = bits & (1 << k) != 0;
                pm *= if agree { m_true[k] } else { 1.0 - m_true[k] };
                pu *= if agree { u_true[k] } else { 1.0 - u_true[k] };
                p |= (if agree { same[k] } else { 1 }) << (4 * k);
            }
            patterns.push((p, (n_match * pm + n_non * pu).round() as u64));
        }
        patterns.sort();
        // A rough start for u, as a random sample would give.
        let u0: Vec<Vec<f64>> = kinds
            .iter()
            .map(|k| {
                let mut v = vec![0.2; k.level_count()];
                v[1] = 0.8;
                normalise(&mut v);
                v
            })
            .collect();
        let em = EmOptions {
            fix_u: false,
            ..EmOptions::default()
        };
        let m = Model::fit(&kinds, &fields, u0, &patterns, em, &[]);
        assert!(
            m.converged,
            "EM did not converge in {} iterations",
            m.iterations
        );
        assert!((m.lambda - 0.1).abs() < 0.005, "lambda {}", m.lambda);
        for k in 0..3 {
            let c = &m.comparisons[k];
            let s = same[k] as usize;
            assert!(
                (c.m[s] - m_true[k]).abs() < 0.01,
                "{}: m {:?}",
                c.field,
                c.m
            );
            assert!(
                (c.u[s] - u_true[k]).abs() < 0.01,
                "{}: u {:?}",
                c.field,
                c.u
            );
        }
        assert!(m.comparisons[0].weights[4] > 5.0 && m.comparisons[0].weights[1] < -2.0);
    }

    #[test]
    fn probability_of_weights() {
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
        assert!((probability(10.0) - 1024.0 / 1025.0).abs() < 1e-12);
        assert!(probability(-40.0) < 1e-11);
    }
}
