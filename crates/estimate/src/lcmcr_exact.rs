//! A check of the LCMCR Gibbs sampler against the exact posterior of `N`.
//!
//! With two classes, three lists and a dozen people, the posterior of `N`
//! can be computed without sampling: the λ's and the class weights
//! integrate out in closed form (beta functions), α by quadrature, and what
//! is left is a finite sum over how many people of each observed pattern,
//! and of the unlisted, are in class 1. A wrong full conditional, a wrong
//! prior or a biased variate generator moves the sampler's distribution of
//! `N` away from this one; the MCMC error at the sample sizes used here is
//! well below the tolerance.

use std::collections::HashMap;

use crate::lcmcr::{CaptureData, LcmcrOptions, run_chain};
use crate::overlaps::Overlaps;
use crate::special::ln_gamma;

/// Largest `N` summed over. The posterior tail falls like `N^-5` (three
/// lists), so the mass left out is of the order of 1e-5.
const N_MAX: usize = 320;

fn ln_sum_exp(values: &[f64]) -> f64 {
    let m = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + values.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

/// `ln Σ_allocations ∏_m C(c_m, z_m)` keyed by (people of the observed in
/// class 1, and of those, how many are on each list).
fn observed_allocations(cells: &[(u32, u64)], lists: usize) -> HashMap<Vec<u64>, f64> {
    let ln_fact: Vec<f64> = (0..64).map(|i| ln_gamma(i as f64 + 1.0)).collect();
    let mut acc: HashMap<Vec<u64>, Vec<f64>> = HashMap::new();
    let mut z = vec![0u64; cells.len()];
    loop {
        let mut key = vec![0u64; lists + 1];
        let mut weight = 0.0;
        for (&(mask, c), &zm) in cells.iter().zip(&z) {
            key[0] += zm;
            for (j, slot) in key[1..].iter_mut().enumerate() {
                if mask & (1 << j) != 0 {
                    *slot += zm;
                }
            }
            let (c, zm) = (c as usize, zm as usize);
            weight += ln_fact[c] - ln_fact[zm] - ln_fact[c - zm];
        }
        acc.entry(key).or_default().push(weight);
        // Next allocation, odometer style.
        let mut i = 0;
        loop {
            if i == z.len() {
                return acc.into_iter().map(|(k, v)| (k, ln_sum_exp(&v))).collect();
            }
            if z[i] < cells[i].1 {
                z[i] += 1;
                break;
            }
            z[i] = 0;
            i += 1;
        }
    }
}

/// `ln ∫ Gamma(α; a, b) α B(1 + n1, α + n2) dα` for all `n1 + n2 <= N_MAX`,
/// indexed `[n1][n2]`: the prior probability of a given split into the two
/// classes, with the stick and α integrated out. Trapezoid rule in `ln α`,
/// where the integrand is smooth and decays exponentially at both ends.
fn class_split_table(a: f64, b: f64) -> Vec<Vec<f64>> {
    let (lo, hi, points) = (-90.0f64, 6.0f64, 800usize);
    let step = (hi - lo) / (points - 1) as f64;
    let ln_norm = a * b.ln() - ln_gamma(a);
    let grid: Vec<f64> = (0..points).map(|i| lo + step * i as f64).collect();
    // Prior density of u = ln α, times the α of the stick, times the step.
    let base: Vec<f64> = grid
        .iter()
        .map(|&u| ln_norm + a * u - b * u.exp() + u + step.ln())
        .collect();
    let ln_gamma_shift: Vec<Vec<f64>> = (0..=N_MAX + 1)
        .map(|m| grid.iter().map(|&u| ln_gamma(u.exp() + m as f64)).collect())
        .collect();
    let mut table = vec![vec![f64::NEG_INFINITY; N_MAX + 1]; N_MAX + 1];
    let mut terms = vec![0.0; points];
    for n1 in 0..=N_MAX {
        let ln_fact_n1 = ln_gamma(1.0 + n1 as f64);
        for n2 in 0..=N_MAX - n1 {
            // B(1 + n1, α + n2) = Γ(1 + n1) Γ(α + n2) / Γ(α + n1 + n2 + 1).
            for (i, t) in terms.iter_mut().enumerate() {
                *t = base[i] + ln_fact_n1 + ln_gamma_shift[n2][i] - ln_gamma_shift[n1 + n2 + 1][i];
            }
            // Trapezoid: halve the end points.
            terms[0] -= std::f64::consts::LN_2;
            terms[points - 1] -= std::f64::consts::LN_2;
            table[n1][n2] = ln_sum_exp(&terms);
        }
    }
    table
}

/// The exact posterior probabilities of `N = n, …, N_MAX` under LCMCR with
/// `K = 2`, uniform priors on the λ's, Gamma(a, b) on α and `p(N) ∝ 1/N`.
/// `split` is [`class_split_table`] for the prior on α.
fn exact_posterior(table: &Overlaps, split: &[Vec<f64>]) -> Vec<(u64, f64)> {
    let lists = table.list_count();
    let cells: Vec<(u32, u64)> = table.mask_counts().collect();
    let n: u64 = cells.iter().map(|c| c.1).sum();
    let on_list: Vec<u64> = (0..lists)
        .map(|j| {
            cells
                .iter()
                .filter(|c| c.0 & (1 << j) != 0)
                .map(|c| c.1)
                .sum()
        })
        .collect();
    let ln_fact: Vec<f64> = (0..=N_MAX + 2).map(|i| ln_gamma(i as f64 + 1.0)).collect();
    // ln B(1 + s, 1 + m − s) for s of m people on a list.
    let ln_beta = |s: u64, m: u64| {
        ln_fact[s as usize] + ln_fact[(m - s) as usize] - ln_fact[(m + 1) as usize]
    };
    let allocations = observed_allocations(&cells, lists);
    let mut ln_post = Vec::new();
    let mut terms = Vec::new();
    for total in n as usize..=N_MAX {
        let n0 = (total as u64) - n;
        terms.clear();
        for (key, &ln_w) in &allocations {
            let obs1 = key[0];
            for z01 in 0..=n0 {
                let n1 = obs1 + z01;
                let n2 = total as u64 - n1;
                let mut t = ln_w + ln_fact[n0 as usize]
                    - ln_fact[z01 as usize]
                    - ln_fact[(n0 - z01) as usize]
                    + split[n1 as usize][n2 as usize];
                for j in 0..lists {
                    let s1 = key[j + 1];
                    let s2 = on_list[j] - s1;
                    t += ln_beta(s1, n1) + ln_beta(s2, n2);
                }
                terms.push(t);
            }
        }
        // p(N) N! / n0! (the ∏ c_m! of the observed is a constant).
        let prior_and_labels = -(total as f64).ln() + ln_fact[total] - ln_fact[n0 as usize];
        ln_post.push((total as u64, prior_and_labels + ln_sum_exp(&terms)));
    }
    let norm = ln_sum_exp(&ln_post.iter().map(|p| p.1).collect::<Vec<_>>());
    ln_post
        .into_iter()
        .map(|(t, l)| (t, (l - norm).exp()))
        .collect()
}

/// Three-list tables given as counts of the patterns 100, 010, 001, 110,
/// 101, 011, 111.
fn table(counts: [u64; 7]) -> Overlaps {
    let names = vec!["A".to_string(), "B".to_string(), "C".to_string()];
    let patterns = [
        [true, false, false],
        [false, true, false],
        [false, false, true],
        [true, true, false],
        [true, false, true],
        [false, true, true],
        [true, true, true],
    ];
    Overlaps::new(
        names,
        patterns.iter().zip(counts).map(|(p, c)| (p.to_vec(), c)),
    )
    .expect("a valid table")
}

#[test]
fn the_sampler_draws_n_from_its_exact_posterior() {
    let base = LcmcrOptions {
        classes: 2,
        chains: 1,
        burnin: 2_000,
        iterations: 300_000,
        thinning: 1,
        ..LcmcrOptions::default()
    };
    let split = class_split_table(base.a_alpha, base.b_alpha);
    // Many overlaps (the posterior hugs n), and few (a long right tail,
    // where most of the mass rests on how the unlisted split over classes).
    for (counts, seed) in [([3, 2, 2, 1, 1, 1, 2], 11), ([4, 4, 3, 1, 1, 0, 1], 12)] {
        let table = table(counts);
        let opts = LcmcrOptions {
            seed,
            ..base.clone()
        };
        let exact = exact_posterior(&table, &split);
        let data = CaptureData::new(&table);
        let draws = run_chain(&data, &opts, 0);
        assert!(!draws.overflowed);
        let count = draws.population.len() as f64;
        // Compare the two distribution functions where the exact one
        // crosses 10 %, 25 %, 50 %, 75 % and 90 %.
        let mut cdf = 0.0;
        let mut worst: f64 = 0.0;
        let mut targets = [0.1, 0.25, 0.5, 0.75, 0.9].into_iter().peekable();
        for &(total, p) in &exact {
            cdf += p;
            if let Some(&t) = targets.peek()
                && cdf >= t
            {
                targets.next();
                let below = draws
                    .population
                    .iter()
                    .filter(|&&d| d <= total as f64)
                    .count();
                let sampled = below as f64 / count;
                println!("{counts:?} N <= {total}: exact {cdf:.4}, sampled {sampled:.4}");
                worst = worst.max((sampled - cdf).abs());
            }
        }
        assert!(
            worst < 0.02,
            "{counts:?}: sampled distribution of N off the exact one by {worst:.4}"
        );
    }
}
