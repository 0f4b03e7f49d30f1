//! LCMCR: the Bayesian latent-class model of Manrique-Vallier (2016),
//! "Bayesian population size estimation using Dirichlet process mixtures",
//! *Biometrics* 72(4).
//!
//! Everyone in the population (listed or not) belongs to one of `K` latent
//! classes; within a class, being on each list is an independent coin flip
//! with the class's own probabilities `λ_jk`. Class weights come from a
//! stick-breaking (Dirichlet-process) prior truncated at `K`, with a
//! Gamma(a, b) prior on its concentration α; each `λ_jk` has a uniform
//! Beta(1, 1) prior; the population size has the prior `p(N) ∝ 1/N`. These
//! are R LCMCR's choices (`lcmCR(K, a_alpha = 0.25, b_alpha = 0.25)`), so
//! the posteriors can be compared.
//!
//! The Gibbs sampler works on the table, not on individuals: each sweep
//! draws, for every observed pattern, how its records split over the classes
//! (a multinomial), then the λ's, the stick-breaking weights, the number of
//! unlisted people `n₀` (negative binomial) and their classes, and α. The
//! draws of `N = n + n₀` are the output.
//!
//! Two departures from R's code change how fast the chain moves, not where
//! it goes: every fourth sweep α is also drawn with the stick-breaking
//! weights integrated out (R's update alone can hold a chain for hundreds
//! of thousands of sweeps in a state with one class and α near zero), and
//! the gamma and binomial variates are our own implementations of
//! Marsaglia–Tsang and of inversion/BTRD.
//!
//! The sampler is checked against the exact posterior of `N`, summed out on
//! three-list tables small enough to enumerate (`lcmcr_exact.rs`), and
//! against R LCMCR on published tables (`tests/lcmcr_reference.rs`). How
//! often its 95 % interval covers a true `N` is a property of the model and
//! its priors, not of the sampler: where the lists leave a long, nearly flat
//! likelihood ridge towards more people in a class that few lists see, the
//! uniform priors on the λ's and the stick-breaking prior lean the posterior
//! towards the smaller totals on that ridge, and the interval misses low. The
//! benchmark measures this on simulated populations (see its README).
//!
//! Chains are independent: chain `c` uses the seeded Xoshiro256++ generator
//! advanced by `c` jumps of 2^128 steps, so the answer does not depend on
//! how many threads run them.

use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, Exp1, Open01, Poisson, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use crate::overlaps::Overlaps;
use crate::special::ln_gamma;

/// Settings for LCMCR. The defaults follow R LCMCR's priors with K = 10 and
/// run four chains of 200,000 sweeps after 20,000 of burn-in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LcmcrOptions {
    /// Truncation level `K`: the most latent classes the model may use.
    pub classes: usize,
    /// Shape of the Gamma prior on the concentration α.
    pub a_alpha: f64,
    /// Rate of the Gamma prior on α.
    pub b_alpha: f64,
    /// Number of independent chains (run in parallel).
    pub chains: usize,
    /// Sweeps discarded at the start of each chain.
    pub burnin: u64,
    /// Sweeps kept per chain after burn-in (before thinning).
    pub iterations: u64,
    /// Keep every `thinning`-th sweep.
    pub thinning: u64,
    /// Seed of the random generator.
    pub seed: u64,
}

impl Default for LcmcrOptions {
    fn default() -> Self {
        LcmcrOptions {
            classes: 10,
            a_alpha: 0.25,
            b_alpha: 0.25,
            chains: 4,
            burnin: 20_000,
            iterations: 200_000,
            thinning: 20,
            seed: 1,
        }
    }
}

/// The name and version of the generator and of the variate code, recorded
/// with every result. The versions are pinned in Cargo.toml.
pub const RNG_NAME: &str = "Xoshiro256PlusPlus";
/// Crate providing the generator.
pub const RNG_CRATE: &str = "rand_xoshiro 0.8.1";
/// Where the variates come from: rand_distr's normal, exponential and
/// Poisson; our own Marsaglia–Tsang gamma on
/// those normals, and our own binomial (inversion, and Hörmann's BTRD).
pub const VARIATES_CRATE: &str = "rand_distr 0.6.0 (normal, exponential, Poisson); gamma by Marsaglia-Tsang and binomial by inversion/BTRD in qantar-estimate";

/// The tabulated data the sampler works on.
#[derive(Debug, Clone)]
pub(crate) struct CaptureData {
    lists: usize,
    /// Observed patterns as bit masks.
    masks: Vec<u32>,
    /// Observed patterns as 0/1 rows, `cells × lists`.
    on: Vec<bool>,
    counts: Vec<u64>,
    n: u64,
}

impl CaptureData {
    pub(crate) fn new(overlaps: &Overlaps) -> Self {
        let lists = overlaps.list_count();
        let mut on = Vec::new();
        let mut counts = Vec::new();
        let mut masks = Vec::new();
        for (mask, count) in overlaps.mask_counts() {
            masks.push(mask);
            on.extend((0..lists).map(|j| mask & (1 << j) != 0));
            counts.push(count);
        }
        let n = counts.iter().sum();
        CaptureData {
            lists,
            masks,
            on,
            counts,
            n,
        }
    }
}

/// The draws of one chain.
#[derive(Debug, Clone)]
pub(crate) struct ChainDraws {
    /// Thinned draws of N after burn-in.
    pub population: Vec<f64>,
    /// Whether the sampler hit a numerical limit (the unlisted count ran
    /// away); such chains are reported as not converged.
    pub overflowed: bool,
}

/// One chain's sampler state.
struct Sampler<'a> {
    data: &'a CaptureData,
    k: usize,
    a_alpha: f64,
    b_alpha: f64,
    rng: Xoshiro256PlusPlus,
    /// `λ[j * K + k]`: probability that someone in class k is on list j
    /// (list-major, so that the inner loops run over classes).
    lambda: Vec<f64>,
    /// `1 − λ`, same layout.
    lambda_off: Vec<f64>,
    nu: Vec<f64>,
    log_nu_last: f64,
    alpha: f64,
    n0: u64,
    /// `z[m * K + k]`: records of observed pattern m in class k.
    z: Vec<u64>,
    /// Unlisted people in class k.
    z0: Vec<u64>,
    /// With few lists, `table[mask * K + k]` holds `ν_k P(pattern | k)` for
    /// every pattern, built once per sweep; empty when patterns are computed
    /// one by one instead.
    table: Vec<f64>,
    // scratch
    probs: Vec<f64>,
    class_n: Vec<u64>,
    class_on: Vec<u64>,
    overflowed: bool,
    sweeps: u64,
}

/// Above this many unlisted people per listed one the chain has run away
/// (the posterior is improper for these data); stop growing it.
const RUNAWAY_FACTOR: f64 = 1e6;

impl<'a> Sampler<'a> {
    fn new(data: &'a CaptureData, opts: &LcmcrOptions, chain: usize) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(opts.seed);
        for _ in 0..chain {
            rng.jump();
        }
        let k = opts.classes.max(1);
        let j_count = data.lists;
        let n = data.n.max(1) as f64;
        // Start every class at the lists' marginal rates, as R LCMCR does;
        // chains then differ only by their random streams. (Starting classes
        // apart was tried: a class started with low rates on every list
        // soaks up the unlisted and can hold a chain in a false mode for
        // hundreds of thousands of sweeps.)
        let mut lambda = vec![0.0; k * j_count];
        for j in 0..j_count {
            let on: u64 = (0..data.counts.len())
                .filter(|&m| data.on[m * j_count + j])
                .map(|m| data.counts[m])
                .sum();
            let p = on as f64 / n;
            for c in 0..k {
                lambda[j * k + c] = p;
            }
        }
        // R LCMCR's starting weights: most mass on the first four classes.
        let mut nu = vec![0.0; k];
        if k > 4 {
            for (c, v) in nu.iter_mut().enumerate() {
                *v = if c < 4 { 0.225 } else { 0.1 / (k - 4) as f64 };
            }
        } else {
            nu.iter_mut().for_each(|v| *v = 1.0 / k as f64);
        }
        let log_nu_last = nu[k - 1].ln();
        let lambda_off = lambda.iter().map(|l| 1.0 - l).collect();
        let mut sampler = Sampler {
            data,
            k,
            a_alpha: opts.a_alpha,
            b_alpha: opts.b_alpha,
            rng,
            lambda,
            lambda_off,
            nu,
            log_nu_last,
            alpha: 0.3 / k as f64,
            n0: 0,
            z: vec![0; data.counts.len() * k],
            z0: vec![0; k],
            table: Vec::new(),
            probs: vec![0.0; k],
            class_n: vec![0; k],
            class_on: vec![0; j_count * k],
            overflowed: false,
            sweeps: 0,
        };
        sampler.build_table();
        sampler
    }

    /// One Gibbs sweep, in R LCMCR's order. `update_alpha` is off during the
    /// first sweeps of burn-in, as in R's warm-up.
    fn sweep(&mut self, update_alpha: bool) {
        self.sample_observed_classes();
        self.sample_lambda();
        self.sweeps += 1;
        if update_alpha && self.sweeps.is_multiple_of(COLLAPSED_ALPHA_EVERY) {
            self.sample_alpha_collapsed();
        }
        self.sample_weights();
        let p0 = self.prob_unlisted();
        self.sample_unlisted(p0);
        if update_alpha {
            self.sample_alpha();
        }
    }

    /// Relabels the classes from the largest weight down, as R LCMCR does
    /// after its warm-up. The model is symmetric in the labels, but the
    /// stick-breaking prior is not: with the big classes first it does not
    /// push α towards zero.
    fn order_classes_by_weight(&mut self) {
        let k = self.k;
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| self.nu[b].total_cmp(&self.nu[a]).then(a.cmp(&b)));
        let permute_f64 = |v: &mut Vec<f64>, stride: usize| {
            let old = v.clone();
            for j in 0..stride {
                for (new_c, &old_c) in order.iter().enumerate() {
                    v[j * k + new_c] = old[j * k + old_c];
                }
            }
        };
        permute_f64(&mut self.lambda, self.data.lists);
        permute_f64(&mut self.lambda_off, self.data.lists);
        permute_f64(&mut self.nu, 1);
        let old_z = self.z.clone();
        for m in 0..self.data.counts.len() {
            for (new_c, &old_c) in order.iter().enumerate() {
                self.z[m * k + new_c] = old_z[m * k + old_c];
            }
        }
        let old_z0 = self.z0.clone();
        for (new_c, &old_c) in order.iter().enumerate() {
            self.z0[new_c] = old_z0[old_c];
        }
        self.build_table();
    }

    /// Whether a full pattern table is cheaper than computing the observed
    /// patterns one by one: `K·2^(J+1)` against `K·J·cells` products.
    fn table_pays(&self) -> bool {
        let j = self.data.lists;
        j <= 12 && (1usize << (j + 1)) <= (self.data.counts.len() + 1) * j
    }

    /// Fills `table` by doubling: each list splits every pattern built so
    /// far into "off this list" and "on it".
    fn build_table(&mut self) {
        if !self.table_pays() {
            self.table.clear();
            return;
        }
        let k = self.k;
        let j_count = self.data.lists;
        self.table.resize((1usize << j_count) * k, 0.0);
        self.table[..k].copy_from_slice(&self.nu);
        for j in 0..j_count {
            let half = 1usize << j;
            let on = &self.lambda[j * k..(j + 1) * k];
            let off = &self.lambda_off[j * k..(j + 1) * k];
            let (low, high) = self.table.split_at_mut(half * k);
            for (row_off, row_on) in low.chunks_exact_mut(k).zip(high.chunks_exact_mut(k)) {
                for c in 0..k {
                    let base = row_off[c];
                    row_on[c] = base * on[c];
                    row_off[c] = base * off[c];
                }
            }
        }
    }

    fn sample_observed_classes(&mut self) {
        let j_count = self.data.lists;
        let k = self.k;
        let use_table = !self.table.is_empty();
        for m in 0..self.data.counts.len() {
            let count = self.data.counts[m];
            let row = &mut self.z[m * k..(m + 1) * k];
            if use_table {
                let mask = self.data.masks[m] as usize;
                let probs = &self.table[mask * k..(mask + 1) * k];
                let total: f64 = probs.iter().sum();
                multinomial(&mut self.rng, count, probs, total, row);
            } else {
                let on = &self.data.on[m * j_count..(m + 1) * j_count];
                let probs = &mut self.probs[..k];
                probs.copy_from_slice(&self.nu[..k]);
                for (j, &o) in on.iter().enumerate() {
                    let factors = if o {
                        &self.lambda[j * k..(j + 1) * k]
                    } else {
                        &self.lambda_off[j * k..(j + 1) * k]
                    };
                    for (p, f) in probs.iter_mut().zip(factors) {
                        *p *= *f;
                    }
                }
                let total: f64 = probs.iter().sum();
                multinomial(&mut self.rng, count, probs, total, row);
            }
        }
    }

    /// Class sizes and, per list, how many of each class are on it.
    fn tabulate(&mut self) {
        let j_count = self.data.lists;
        let k = self.k;
        self.class_n.copy_from_slice(&self.z0);
        self.class_on.iter_mut().for_each(|v| *v = 0);
        for m in 0..self.data.counts.len() {
            let z = &self.z[m * k..(m + 1) * k];
            for (n, &zc) in self.class_n.iter_mut().zip(z) {
                *n += zc;
            }
            for j in 0..j_count {
                if self.data.on[m * j_count + j] {
                    for (acc, &zc) in self.class_on[j * k..(j + 1) * k].iter_mut().zip(z) {
                        *acc += zc;
                    }
                }
            }
        }
    }

    fn sample_lambda(&mut self) {
        self.tabulate();
        let k = self.k;
        for j in 0..self.data.lists {
            for c in 0..k {
                let a = self.class_on[j * k + c];
                let b = self.class_n[c] - a;
                let l = beta_1p(&mut self.rng, a, b);
                self.lambda[j * k + c] = l;
                self.lambda_off[j * k + c] = 1.0 - l;
            }
        }
    }

    fn sample_weights(&mut self) {
        // Stick breaking: V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l) = G1/(G1+G2).
        // While the stick left is of ordinary size and both shapes are at
        // least 1, work in plain numbers; otherwise (tiny α, or a stick worn
        // below f64's range) in logs, as R LCMCR does throughout.
        let mut rest: u64 = self.class_n.iter().sum();
        let mut remaining = 1.0f64;
        let mut log_remaining = 0.0f64;
        let mut in_logs = false;
        for c in 0..self.k - 1 {
            rest -= self.class_n[c];
            let shape2 = self.alpha + rest as f64;
            if !in_logs && (shape2 < 1.0 || remaining < 1e-200) {
                in_logs = true;
                log_remaining = remaining.ln();
            }
            if in_logs {
                let lg1 = ln_gamma_variate(&mut self.rng, 1.0 + self.class_n[c] as f64);
                let lg2 = ln_gamma_variate(&mut self.rng, shape2);
                let lse = log_sum_exp(lg1, lg2);
                self.nu[c] = (lg1 - lse + log_remaining).exp();
                log_remaining += lg2 - lse;
            } else {
                let g1 = gamma_variate(&mut self.rng, 1.0 + self.class_n[c] as f64);
                let g2 = gamma_variate(&mut self.rng, shape2);
                let sum = g1 + g2;
                self.nu[c] = remaining * (g1 / sum);
                remaining *= g2 / sum;
            }
        }
        if !in_logs {
            log_remaining = remaining.ln();
        }
        self.log_nu_last = log_remaining;
        self.nu[self.k - 1] = log_remaining.exp();
    }

    fn prob_unlisted(&mut self) -> f64 {
        let k = self.k;
        self.build_table();
        let probs = &mut self.probs[..k];
        if self.table.is_empty() {
            probs.copy_from_slice(&self.nu[..k]);
            for j in 0..self.data.lists {
                for (p, f) in probs.iter_mut().zip(&self.lambda_off[j * k..(j + 1) * k]) {
                    *p *= *f;
                }
            }
        } else {
            probs.copy_from_slice(&self.table[..k]);
        }
        probs.iter().sum()
    }

    fn sample_unlisted(&mut self, p0: f64) {
        let n = self.data.n as f64;
        // n₀ ~ NegBin(n, 1 − p0): failures before n successes, drawn as a
        // Poisson with a Gamma(n, p0 / (1 − p0)) mean.
        let odds = p0 / (1.0 - p0);
        let n0 = if p0.is_nan() || p0 <= 0.0 || n == 0.0 {
            0
        } else if !(odds.is_finite()) || odds > RUNAWAY_FACTOR {
            self.overflowed = true;
            (RUNAWAY_FACTOR * n) as u64
        } else {
            let mean = gamma_variate(&mut self.rng, n) * odds;
            match Poisson::new(mean) {
                Ok(p) => p.sample(&mut self.rng) as u64,
                Err(_) => 0,
            }
        };
        self.n0 = n0;
        multinomial(&mut self.rng, n0, &self.probs, p0, &mut self.z0);
    }

    /// Draws α from its distribution given the class sizes alone, with the
    /// stick-breaking weights integrated out: `p(α | n) ∝ p(α) ∏_k α
    /// B(1 + n_k, α + m_k)`, `m_k` the people in later classes. The weights
    /// are then drawn given this α. Without this step the sampler can fall
    /// into a state with one class and α shrinking towards zero (each
    /// update of α given nearly-empty sticks makes the next sticks emptier),
    /// from which a chain takes hundreds of thousands of sweeps to escape;
    /// the target distribution is the same. Slice sampling on ln α (Neal
    /// 2003, stepping out and shrinkage).
    fn sample_alpha_collapsed(&mut self) {
        let k = self.k;
        let (a, b) = (self.a_alpha, self.b_alpha);
        // Sticks 0..=last carry information (after them n_k = m_k = 0 and
        // α B(1, α) = 1). With n_k + m_k = m_{k−1} (m_{−1} = everyone) the
        // beta functions telescope to two log-gammas and one log per stick.
        let total: u64 = self.class_n.iter().sum();
        let mut rest = total;
        let mut before: Vec<f64> = Vec::with_capacity(k);
        for c in 0..k - 1 {
            if rest == 0 {
                break;
            }
            before.push(rest as f64);
            rest -= self.class_n[c];
        }
        let sticks = before.len() as f64;
        let last_rest = rest as f64;
        let total = total as f64;
        let log_target = |u: f64| -> f64 {
            let alpha = u.exp();
            let mut f = a * u - b * alpha + sticks * u + ln_gamma(alpha + last_rest)
                - ln_gamma(alpha + total);
            for &m in &before {
                f -= (alpha + m).ln();
            }
            f
        };
        let u0 = self.alpha.max(1e-300).ln();
        let level = log_target(u0) + self.rng.sample::<f64, _>(Open01).ln();
        let width = 2.0;
        let mut lo = u0 - width * self.rng.sample::<f64, _>(Open01);
        let mut hi = lo + width;
        for _ in 0..20 {
            if log_target(lo) <= level {
                break;
            }
            lo -= width;
        }
        for _ in 0..20 {
            if log_target(hi) <= level {
                break;
            }
            hi += width;
        }
        for _ in 0..100 {
            let u = lo + (hi - lo) * self.rng.sample::<f64, _>(Open01);
            if log_target(u) > level {
                self.alpha = u.exp().max(1e-300);
                return;
            }
            if u < u0 {
                lo = u;
            } else {
                hi = u;
            }
        }
    }

    fn sample_alpha(&mut self) {
        let shape = self.a_alpha + self.k as f64 - 1.0;
        let rate = self.b_alpha - self.log_nu_last;
        let a = gamma_variate(&mut self.rng, shape) / rate;
        // α = 0 would freeze the weights; keep it strictly positive.
        if a.is_finite() {
            self.alpha = a.max(1e-300);
        }
    }
}

/// How often (in sweeps) α is also drawn with the weights integrated out.
const COLLAPSED_ALPHA_EVERY: u64 = 4;

/// Sweeps of burn-in during which α stays at its starting value, as in R
/// LCMCR's warm-up.
const WARM_UP: u64 = 500;

/// Runs one chain.
pub(crate) fn run_chain(data: &CaptureData, opts: &LcmcrOptions, chain: usize) -> ChainDraws {
    let mut s = Sampler::new(data, opts, chain);
    for i in 0..opts.burnin {
        if i == WARM_UP {
            s.order_classes_by_weight();
        }
        s.sweep(i >= WARM_UP);
    }
    let thin = opts.thinning.max(1);
    let mut population = Vec::with_capacity((opts.iterations / thin) as usize);
    for i in 1..=opts.iterations {
        s.sweep(opts.burnin + i > WARM_UP);
        if i % thin == 0 {
            population.push((data.n + s.n0) as f64);
        }
    }
    ChainDraws {
        population,
        overflowed: s.overflowed,
    }
}

/// Runs all chains, one thread each. The output is in chain order.
pub(crate) fn run_chains(data: &CaptureData, opts: &LcmcrOptions) -> Vec<ChainDraws> {
    let chains = opts.chains.max(1);
    if chains == 1 {
        return vec![run_chain(data, opts, 0)];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..chains)
            .map(|c| scope.spawn(move || run_chain(data, opts, c)))
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(d) => d,
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    })
}

/// Draws `count` items into classes with weights `probs` (summing to
/// `total`) by conditional binomials in class order. Once only a few items
/// are left they are placed one by one, which is cheaper than more binomial
/// draws and has the same distribution. (Visiting classes from the heaviest
/// down was tried and bought nothing: the stick-breaking prior already puts
/// the big classes first.)
fn multinomial<R: Rng>(rng: &mut R, count: u64, probs: &[f64], total: f64, out: &mut [u64]) {
    out.iter_mut().for_each(|v| *v = 0);
    let mut remaining = count;
    let mut mass = total;
    let last = probs.len() - 1;
    for (c, &p) in probs.iter().enumerate() {
        if remaining == 0 {
            return;
        }
        if remaining <= 12 {
            categorical_draws(rng, remaining, &probs[c..], mass, &mut out[c..]);
            return;
        }
        if c == last {
            out[c] = remaining;
            return;
        }
        let q = if mass > 0.0 {
            (p / mass).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let draw = binomial(rng, remaining, q);
        out[c] = draw;
        remaining -= draw;
        mass -= p;
    }
}

/// Places `count` items one at a time among classes with weights `probs`
/// (summing to `mass`).
fn categorical_draws<R: Rng>(rng: &mut R, count: u64, probs: &[f64], mass: f64, out: &mut [u64]) {
    for _ in 0..count {
        let u: f64 = rng.sample(Open01);
        let mut target = u * mass;
        let mut chosen = None;
        for (c, &p) in probs.iter().enumerate() {
            target -= p;
            if target <= 0.0 {
                chosen = Some(c);
                break;
            }
        }
        // Rounding can leave a sliver past the end: it belongs to the last
        // class with any weight.
        let c = chosen
            .or_else(|| probs.iter().rposition(|&p| p > 0.0))
            .unwrap_or(0);
        out[c] += 1;
    }
}

/// A Binomial(n, p) variate. Small means use inversion from zero, with an
/// exact shortcut for the very common answer 0; large ones use BTRD.
fn binomial<R: Rng>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let flipped = p > 0.5;
    let pp = if flipped { 1.0 - p } else { p };
    let nf = n as f64;
    let np = nf * pp;
    let x = if np < 10.0 {
        loop {
            let u: f64 = rng.sample(Open01);
            // Bonferroni: P(X = 0) = (1-p)^n >= 1 - np + C(n,2)p² − C(n,3)p³,
            // so a uniform below that bound is answered without computing
            // the power.
            let t = np * (1.0 - (nf - 1.0) * pp / 2.0 * (1.0 - (nf - 2.0) * pp / 3.0));
            if u < 1.0 - t {
                break 0;
            }
            let q = 1.0 - pp;
            let s = pp / q;
            let a = (nf + 1.0) * s;
            let mut r = (nf * (-pp).ln_1p()).exp();
            let mut u = u;
            let mut x = 0u64;
            let mut ok = true;
            while u > r {
                u -= r;
                x += 1;
                if x > 110 + (20.0 * np) as u64 || x > n {
                    ok = false;
                    break;
                }
                r *= a * RECIPROCALS[x as usize] - s;
            }
            if ok {
                break x;
            }
        }
    } else {
        btrd(rng, n, pp)
    };
    if flipped { n - x } else { x }
}

/// `1/x` for the inversion loop, which would otherwise divide at every step.
const RECIPROCALS: [f64; 512] = {
    let mut t = [0.0; 512];
    let mut i = 1;
    while i < 512 {
        t[i] = 1.0 / i as f64;
        i += 1;
    }
    t
};

/// Hörmann's (1993) BTRD algorithm, "The generation of binomial random
/// variates", J. Statist. Comput. Simul. 46: transformed rejection with a
/// squeeze, for `p <= 0.5` and `np >= 10`. It needs no set-up tables, which
/// suits a sampler whose `n` and `p` change on every call.
fn btrd<R: Rng>(rng: &mut R, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let q = 1.0 - p;
    let m = ((nf + 1.0) * p).floor();
    let r = p / q;
    let nr = (nf + 1.0) * r;
    let npq = nf * p * q;
    let spq = npq.sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let alpha = (2.83 + 5.1 / b) * spq;
    let vr = 0.92 - 4.2 / b;
    let urvr = 0.86 * vr;
    loop {
        let mut v: f64 = rng.sample(Open01);
        let u;
        if v <= urvr {
            // The fast path: a point inside the central box is accepted at once.
            let u = v / vr - 0.43;
            let x = (2.0 * a / (0.5 - u.abs()) + b) * u + c;
            // `as` truncates, which is the floor for the non-negative values
            // this box produces; libm's floor is a function call on baseline x86-64.
            return if x > 0.0 { x as u64 } else { 0 };
        }
        if v >= vr {
            u = rng.sample::<f64, _>(Open01) - 0.5;
        } else {
            let w = v / vr - 0.93;
            u = 0.5f64.copysign(w) - w;
            v = rng.sample::<f64, _>(Open01) * vr;
        }
        let us = 0.5 - u.abs();
        let raw = (2.0 * a / us + b) * u + c;
        if raw < 0.0 {
            continue;
        }
        let kf = (raw as u64) as f64;
        if kf > nf {
            continue;
        }
        v = v * alpha / (a / (us * us) + b);
        let km = (kf - m).abs();
        if km <= 15.0 {
            // Ratio f(k)/f(m) by the recurrence.
            // Each factor is (nr − r i) / i; multiply numerators and
            // denominators apart to avoid a division per step.
            let (mut num, mut den) = (1.0, 1.0);
            if m < kf {
                let mut i = m + 1.0;
                while i <= kf {
                    num *= nr - r * i;
                    den *= i;
                    i += 1.0;
                }
                if v * den <= num {
                    return kf as u64;
                }
            } else {
                let mut i = kf + 1.0;
                while i <= m {
                    num *= nr - r * i;
                    den *= i;
                    i += 1.0;
                }
                if v * num <= den {
                    return kf as u64;
                }
            }
            continue;
        }
        // Squeeze on the log scale, then the exact test with Stirling's
        // corrections.
        let lv = v.ln();
        let rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        let t = -km * km / (2.0 * npq);
        if lv < t - rho {
            return kf as u64;
        }
        if lv > t + rho {
            continue;
        }
        if btrd_exact_accept(lv, nf, m, r, kf) {
            return kf as u64;
        }
    }
}

/// BTRD's final, exact acceptance test. Kept out of line: otherwise the
/// compiler hoists its logarithm into every call, although it is rarely
/// reached.
#[cold]
#[inline(never)]
fn btrd_exact_accept(lv: f64, nf: f64, m: f64, r: f64, kf: f64) -> bool {
    let nm = nf - m + 1.0;
    let h = (m + 0.5) * ((m + 1.0) / (r * nm)).ln() + stirling_tail(m) + stirling_tail(nf - m);
    let nk = nf - kf + 1.0;
    lv <= h + (nf + 1.0) * (nm / nk).ln() + (kf + 0.5) * (nk * r / (kf + 1.0)).ln()
        - stirling_tail(kf)
        - stirling_tail(nf - kf)
}

/// `ln k! − [(k + ½) ln(k + 1) − (k + 1) + ½ ln 2π]`, the error of
/// Stirling's formula, from a table for small `k` and its series above.
fn stirling_tail(k: f64) -> f64 {
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_29,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_19,
        0.013_876_128_823_070_75,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_09,
        0.009_255_462_182_712_73,
        0.008_330_563_433_362_87,
    ];
    if k < 10.0 {
        TABLE[k as usize]
    } else {
        let k1 = k + 1.0;
        let k1sq = k1 * k1;
        (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / k1sq) / k1sq) / k1
    }
}

/// A Beta(1 + a, 1 + b) variate, the full conditional of a list probability
/// with `a` members on the list and `b` off it.
fn beta_1p<R: Rng>(rng: &mut R, a: u64, b: u64) -> f64 {
    match (a, b) {
        (0, 0) => rng.sample(Open01),
        // Beta(1, 1 + b) and Beta(1 + a, 1) by inversion: U^(1/β) = exp(−E/β)
        // with E exponential, which the ziggurat draws without a logarithm.
        (0, _) => -(-rng.sample::<f64, _>(Exp1) / (1.0 + b as f64)).exp_m1(),
        (_, 0) => (-rng.sample::<f64, _>(Exp1) / (1.0 + a as f64)).exp(),
        _ => {
            let x = gamma_variate(rng, 1.0 + a as f64);
            let y = gamma_variate(rng, 1.0 + b as f64);
            x / (x + y)
        }
    }
}

/// A Gamma(shape, 1) variate by Marsaglia & Tsang (2000), "A simple
/// method for generating gamma variables", ACM TOMS 26(3), with rand_distr's
/// ziggurat normals. (rand_distr's `Gamma` runs the same algorithm; calling
/// it through its constructor and enum on every draw cost a fifth of the
/// sampler's time.)
#[inline]
fn gamma_variate<R: Rng>(rng: &mut R, shape: f64) -> f64 {
    if shape < 1.0 {
        // Gamma(a) = Gamma(a + 1) · U^(1/a).
        let u: f64 = rng.sample(Open01);
        return gamma_variate(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x: f64 = rng.sample(StandardNormal);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u: f64 = rng.sample(Open01);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// `ln X` for `X ~ Gamma(shape, 1)`, stable for tiny shapes (where X itself
/// underflows): `X = Y U^{1/shape}` with `Y ~ Gamma(shape + 1)`.
fn ln_gamma_variate<R: Rng>(rng: &mut R, shape: f64) -> f64 {
    if shape >= 1.0 {
        gamma_variate(rng, shape).ln()
    } else {
        let y = gamma_variate(rng, shape + 1.0);
        let u: f64 = rng.sample(Open01);
        y.ln() + u.ln() / shape.max(1e-300)
    }
}

fn log_sum_exp(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        m
    } else {
        m + ((a - m).exp() + (b - m).exp()).ln()
    }
}

/// Exposes the raw sampler to the benchmark: runs `sweeps` sweeps of one
/// chain and returns the last N, so that the work cannot be optimised away.
#[doc(hidden)]
pub fn bench_sweeps(overlaps: &Overlaps, opts: &LcmcrOptions, sweeps: u64) -> u64 {
    let data = CaptureData::new(overlaps);
    let mut s = Sampler::new(&data, opts, 0);
    for i in 0..sweeps {
        if i == WARM_UP {
            s.order_classes_by_weight();
        }
        s.sweep(i >= WARM_UP);
    }
    data.n + s.n0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn multinomial_conserves_the_count_and_follows_the_weights() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let probs = [0.5, 0.3, 0.2, 0.0];
        let mut sums = [0u64; 4];
        let mut out = [0u64; 4];
        for _ in 0..2000 {
            multinomial(&mut rng, 100, &probs, 1.0, &mut out);
            assert_eq!(out.iter().sum::<u64>(), 100);
            assert_eq!(out[3], 0, "a class with no weight gets nobody");
            for i in 0..4 {
                sums[i] += out[i];
            }
        }
        let share = sums[0] as f64 / 200_000.0;
        assert!((share - 0.5).abs() < 0.01, "share {share}");
        multinomial(&mut rng, 1, &probs, 1.0, &mut out);
        assert_eq!(out.iter().sum::<u64>(), 1);
    }

    #[test]
    fn beta_full_conditional_has_the_right_mean() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        for (a, b) in [(0u64, 0u64), (0, 9), (9, 0), (30, 10)] {
            let mean: f64 = (0..20_000).map(|_| beta_1p(&mut rng, a, b)).sum::<f64>() / 20_000.0;
            let expected = (1.0 + a as f64) / (2.0 + a as f64 + b as f64);
            assert!(
                (mean - expected).abs() < 0.01,
                "a={a} b={b}: {mean} vs {expected}"
            );
        }
    }

    #[test]
    fn log_gamma_variates_stay_finite_for_tiny_shapes() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for _ in 0..1000 {
            let v = ln_gamma_variate(&mut rng, 1e-4);
            assert!(v.is_finite() || v == f64::NEG_INFINITY);
            assert!(v < 50.0);
        }
    }
}

#[cfg(test)]
mod binomial_tests {
    use super::*;
    use crate::special::ln_gamma;
    use rand::SeedableRng;

    fn ln_pmf(n: u64, p: f64, k: u64) -> f64 {
        let (nf, kf) = (n as f64, k as f64);
        ln_gamma(nf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(nf - kf + 1.0)
            + kf * p.ln()
            + (nf - kf) * (1.0 - p).ln()
    }

    /// Pearson chi-square of `draws` samples against the exact pmf, pooling
    /// the tails so that every bin expects at least 20.
    fn chi_square(n: u64, p: f64, draws: usize, seed: u64) -> (f64, usize) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut counts = vec![0usize; n as usize + 1];
        for _ in 0..draws {
            counts[binomial(&mut rng, n, p) as usize] += 1;
        }
        let expected: Vec<f64> = (0..=n)
            .map(|k| draws as f64 * ln_pmf(n, p, k).exp())
            .collect();
        let (mut stat, mut bins) = (0.0, 0);
        let (mut obs_acc, mut exp_acc) = (0.0, 0.0);
        for k in 0..=n as usize {
            obs_acc += counts[k] as f64;
            exp_acc += expected[k];
            if exp_acc >= 20.0 {
                stat += (obs_acc - exp_acc).powi(2) / exp_acc;
                bins += 1;
                obs_acc = 0.0;
                exp_acc = 0.0;
            }
        }
        if exp_acc > 0.0 {
            stat += (obs_acc - exp_acc).powi(2) / exp_acc.max(1e-9);
            bins += 1;
        }
        (stat, bins)
    }

    #[test]
    fn binomial_matches_the_exact_distribution() {
        // Inversion (np < 10), the BTRD regime, both sides of p = 1/2, and
        // the recurrence and squeeze branches of BTRD (small and large npq).
        for (i, &(n, p)) in [
            (20u64, 0.01),
            (40, 0.2),
            (300, 0.02),
            (60, 0.3),
            (100, 0.5),
            (1131, 0.27),
            (5000, 0.4),
            (900, 0.93),
            (25, 0.9),
        ]
        .iter()
        .enumerate()
        {
            let (stat, bins) = chi_square(n, p, 200_000, 100 + i as u64);
            let df = (bins - 1) as f64;
            // Mean df, sd sqrt(2 df): reject only far in the tail.
            assert!(
                stat < df + 6.0 * (2.0 * df).sqrt(),
                "n={n} p={p}: chi2 {stat:.1} on {df} df"
            );
        }
    }
}
