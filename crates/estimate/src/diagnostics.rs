//! Convergence diagnostics for several MCMC chains: the rank-normalised
//! split R-hat and the bulk effective sample size of Vehtari, Gelman,
//! Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding, and
//! localization: an improved R-hat for assessing convergence of MCMC",
//! *Bayesian Analysis* 16(2). These are what Stan and ArviZ report.

use crate::special::normal_quantile;

/// R-hat and effective sample size of one quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Convergence {
    pub rhat: f64,
    pub ess: f64,
}

/// Diagnoses draws from several chains of equal length (at least 4 draws
/// each). Chains are split in half, so even one chain gets an R-hat.
pub(crate) fn diagnose(chains: &[Vec<f64>]) -> Option<Convergence> {
    let len = chains.iter().map(Vec::len).min()?;
    let half = len / 2;
    if half < 2 {
        return None;
    }
    // Split each chain into its first and second half.
    let mut split: Vec<&[f64]> = Vec::with_capacity(chains.len() * 2);
    for c in chains {
        split.push(&c[..half]);
        split.push(&c[len - half..len]);
    }
    let z = rank_normalise(&split);
    let rhat = rhat(&z);
    let ess = ess(&z);
    Some(Convergence { rhat, ess })
}

/// Replaces every draw by the normal quantile of its pooled rank
/// (fractional offset 3/8, ties averaged).
fn rank_normalise(chains: &[&[f64]]) -> Vec<Vec<f64>> {
    let mut all: Vec<(f64, usize, usize)> = Vec::new();
    for (c, chain) in chains.iter().enumerate() {
        for (i, &v) in chain.iter().enumerate() {
            all.push((v, c, i));
        }
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let s = all.len() as f64;
    let mut out: Vec<Vec<f64>> = chains.iter().map(|c| vec![0.0; c.len()]).collect();
    let mut start = 0;
    while start < all.len() {
        let mut end = start + 1;
        while end < all.len() && all[end].0 == all[start].0 {
            end += 1;
        }
        // Average rank (1-based) of the tied block.
        let rank = (start + end + 1) as f64 / 2.0;
        let z = normal_quantile((rank - 0.375) / (s + 0.25));
        for &(_, c, i) in &all[start..end] {
            out[c][i] = z;
        }
        start = end;
    }
    out
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() as f64 - 1.0)
}

fn rhat(chains: &[Vec<f64>]) -> f64 {
    let m = chains.len() as f64;
    let n = chains[0].len() as f64;
    let means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
    let grand = mean(&means);
    let b = n / (m - 1.0) * means.iter().map(|x| (x - grand) * (x - grand)).sum::<f64>();
    let w = chains.iter().map(|c| variance(c)).sum::<f64>() / m;
    if w.is_nan() || w <= 0.0 {
        // All draws equal: nothing moves, so nothing can be said.
        return f64::NAN;
    }
    let var_plus = (n - 1.0) / n * w + b / n;
    (var_plus / w).sqrt()
}

/// Multi-chain effective sample size with Geyer's initial monotone sequence.
fn ess(chains: &[Vec<f64>]) -> f64 {
    let m = chains.len();
    let n = chains[0].len();
    let means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
    let vars: Vec<f64> = chains.iter().map(|c| variance(c)).collect();
    let w = vars.iter().sum::<f64>() / m as f64;
    let grand = mean(&means);
    let b_over_n = if m > 1 {
        means.iter().map(|x| (x - grand) * (x - grand)).sum::<f64>() / (m as f64 - 1.0)
    } else {
        0.0
    };
    let var_plus = (n as f64 - 1.0) / n as f64 * w + b_over_n;
    if var_plus.is_nan() || var_plus <= 0.0 {
        return f64::NAN;
    }
    // Autocorrelation at lag t, combined over chains.
    let rho = |t: usize| -> f64 {
        let mut acov = 0.0;
        for (c, chain) in chains.iter().enumerate() {
            let mu = means[c];
            let s: f64 = (0..n - t)
                .map(|i| (chain[i] - mu) * (chain[i + t] - mu))
                .sum();
            acov += s / n as f64;
        }
        acov /= m as f64;
        1.0 - (w - acov) / var_plus
    };
    let mut tau = 0.0;
    let mut prev_pair = f64::INFINITY;
    let mut t = 0;
    while t + 1 < n {
        let mut pair = rho(t) + rho(t + 1);
        if pair <= 0.0 {
            break;
        }
        // Monotone: a pair may not exceed the one before it.
        pair = pair.min(prev_pair);
        prev_pair = pair;
        tau += pair;
        t += 2;
    }
    let tau = (2.0 * tau - 1.0).max(1.0 / ((m * n) as f64).log10().max(1.0));
    let total = (m * n) as f64;
    (total / tau).min(total * total.log10())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_distr::StandardNormal;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn ar1(seed: u64, phi: f64, n: usize, shift: f64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut x = 0.0;
        (0..n)
            .map(|_| {
                let e: f64 = rng.sample(StandardNormal);
                x = phi * x + e;
                x + shift
            })
            .collect()
    }

    #[test]
    fn independent_chains_converge_with_full_ess() {
        let chains: Vec<Vec<f64>> = (0..4).map(|s| ar1(s, 0.0, 2000, 0.0)).collect();
        let d = diagnose(&chains).expect("enough draws");
        assert!(d.rhat < 1.01, "rhat {}", d.rhat);
        assert!(d.ess > 6000.0 && d.ess < 10_000.0, "ess {}", d.ess);
    }

    #[test]
    fn autocorrelation_lowers_ess_as_theory_says() {
        // AR(1) with φ = 0.9 has ESS ≈ N (1−φ)/(1+φ) ≈ N/19.
        let chains: Vec<Vec<f64>> = (10..14).map(|s| ar1(s, 0.9, 20_000, 0.0)).collect();
        let d = diagnose(&chains).expect("enough draws");
        let expected = 80_000.0 / 19.0;
        assert!(
            (d.ess / expected - 1.0).abs() < 0.25,
            "ess {} vs {}",
            d.ess,
            expected
        );
    }

    #[test]
    fn shifted_chain_raises_rhat() {
        let mut chains: Vec<Vec<f64>> = (20..23).map(|s| ar1(s, 0.5, 1000, 0.0)).collect();
        chains.push(ar1(23, 0.5, 1000, 3.0));
        let d = diagnose(&chains).expect("enough draws");
        assert!(d.rhat > 1.1, "rhat {}", d.rhat);
    }
}
