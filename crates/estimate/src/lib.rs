//! Counting the uncounted: multiple systems estimation (MSE) for qantar.
//!
//! Every list of victims is incomplete. When several lists document the same
//! events, the way they overlap tells how many people all of them missed:
//! if two lists were independent, the share of one list's people that the
//! other also found is the share of everyone that it found. Real lists are
//! not independent, and people differ in how visible they are, so this
//! crate fits the two families of models that human-rights statisticians
//! (HRDAG in Kosovo, Peru, Guatemala and Syria) use, side by side, and says
//! plainly when the answer depends on the model or cannot be had at all.
//!
//! * **Log-linear models** ([`loglinear`]): Poisson regressions on the
//!   table of capture patterns. Every hierarchical model up to two-way
//!   interactions (three-way where four lists allow it) is fitted, with the
//!   heterogeneity models of R's Rcapture (`Mh`/`Mth` with Chao's lower
//!   bound, Poisson, Darroch and Gamma forms); they are ranked by BIC (or
//!   AIC), the best gets a profile-likelihood interval, and the ranking shows
//!   how much the answer moves between models. The conventions are
//!   Rcapture's, and the tests check the numbers against it.
//! * **LCMCR** ([`lcmcr`]): Manrique-Vallier's (2016) Bayesian latent-class
//!   model, a Dirichlet-process mixture of independent-list classes
//!   truncated at K, fitted by a Gibbs sampler with several chains in
//!   parallel; it reports the posterior median, a credible interval and
//!   convergence diagnostics (R-hat, effective sample size).
//!
//! The input is an [`Overlaps`] table: list names and a count per capture
//! pattern, read from the MSE JSON format or a CSV table ([`read_input`]) or
//! tallied from the register ([`Overlaps::from_records`]). [`estimate`]
//! turns one table into a [`Report`], which serialises to the `--json`
//! output (method, models, parameters, seed, the generator's name, the
//! iterations, diagnostics and estimates) and renders as text with
//! [`Report::to_text`]. Stratification (`--by region|act-type|period`) is
//! the caller's: build one table per [`Stratum`] and call
//! [`estimate_strata`]. Problems in the data, such as fewer than three
//! lists, too few records, sparse or missing overlaps, and fits whose
//! estimates run off to infinity, are [`Warning`]s in the report and are
//! never shown as numbers.
//!
//! Boundaries: lists that never share a record put some log-linear
//! parameters at minus infinity. Such fits are computed exactly (the
//! extended maximum-likelihood estimate), flagged, and not chosen unless
//! [`LogLinearOptions::include_boundary`] asks for them; fits whose
//! unobserved cell is not determined by the data are marked
//! [`FitStatus::Unbounded`] and carry no number. The module [`simulate`]
//! draws lists from populations of known size, for the recovery tests and
//! the benchmark in `bench/estimate/`.
//!
//! The crate is pure computation: no files, clock, environment or network.
//! Randomness comes only from a seeded, named generator (Xoshiro256++), one
//! stream per chain, so the same seed always gives the same report,
//! however many threads run the chains.

mod diagnostics;
pub mod error;
mod glm;
pub mod lcmcr;
#[cfg(test)]
mod lcmcr_exact;
pub mod loglinear;
pub mod overlaps;
pub mod report;
pub mod simulate;
mod special;

use serde::Serialize;

pub use error::InputError;
pub use lcmcr::LcmcrOptions;
pub use loglinear::{FitStatus, Heterogeneity, Hierarchy, Model, ModelFit, ProfileInterval};
pub use overlaps::{Overlaps, PatternCount, Stratum, read_input, strata_from_csv};
pub use report::{
    ChainDiagnostics, ChosenModel, Criterion, LcmcrReport, LogLinearReport, Posterior, Report,
    StrataReport, Warning, WarningKind,
};

use loglinear::{MAX_LISTS_LOGLINEAR, all_hierarchies, fit_all, profile_interval};
use report::{
    LcmcrParameters, RankedEstimate, RngRecord, Sensitivity, Software, StatusCounts, fmt_count,
};
use special::quantile_sorted;

/// What to estimate and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Options {
    /// Coverage of the intervals (0.95).
    pub level: f64,
    /// Below this many documented people, warn that the estimate is fragile.
    pub min_records: u64,
    /// Log-linear models; `None` to skip them.
    pub loglinear: Option<LogLinearOptions>,
    /// LCMCR; `None` to skip it.
    pub lcmcr: Option<LcmcrOptions>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            level: 0.95,
            min_records: 50,
            loglinear: Some(LogLinearOptions::default()),
            lcmcr: Some(LcmcrOptions::default()),
        }
    }
}

/// Settings for the log-linear search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLinearOptions {
    /// Highest interaction order; by default 3 for four lists (as Rcapture's
    /// `closedpMS.t`) and 2 otherwise.
    pub max_order: Option<usize>,
    /// Criterion that ranks the models and picks one.
    pub criterion: Criterion,
    /// Use this model instead of the best one: an Rcapture name such as
    /// `[123,14,34]`, list names such as `EXH*ABA*OSCE + EXH*HRW`, or a
    /// heterogeneity model such as `Mth Darroch`.
    pub model: Option<String>,
    /// Also fit Rcapture's heterogeneity models.
    pub heterogeneity: bool,
    /// Let models with parameters on the boundary (an interaction between
    /// lists that share no record) be chosen. Off by default: such a model
    /// asserts that the combination is impossible.
    pub include_boundary: bool,
    /// How many models the report lists (best first).
    pub ranking_limit: usize,
    /// Threads for the search (results do not depend on it).
    pub threads: usize,
}

impl Default for LogLinearOptions {
    fn default() -> Self {
        LogLinearOptions {
            max_order: None,
            criterion: Criterion::Bic,
            model: None,
            heterogeneity: true,
            include_boundary: false,
            ranking_limit: 20,
            threads: 2,
        }
    }
}

/// The default highest interaction order for `lists` lists.
pub fn default_max_order(lists: usize) -> usize {
    if lists == 4 {
        3
    } else {
        2.min(lists.saturating_sub(1)).max(1)
    }
}

/// R-hat above this, or fewer effective draws than [`MIN_ESS`], and the
/// chains are said to disagree.
pub const MAX_RHAT: f64 = 1.05;
/// See [`MAX_RHAT`].
pub const MIN_ESS: f64 = 400.0;
/// Models within this many criterion points of the best count as nearly as
/// good in the sensitivity summary.
pub const NEAR_BEST: f64 = 2.0;

fn warn(warnings: &mut Vec<Warning>, kind: WarningKind, message: String) {
    warnings.push(Warning { kind, message });
}

/// Estimates the total for one overlap table.
///
/// Fails only on bad options (a level outside (0, 1), a model name that
/// does not parse, zero classes or chains); everything about the data is
/// reported as warnings.
pub fn estimate(overlaps: &Overlaps, options: &Options) -> Result<Report, InputError> {
    check_options(overlaps, options)?;
    let mut warnings = Vec::new();
    let mut report = Report {
        software: Software::default(),
        stratum: None,
        lists: overlaps.lists().to_vec(),
        list_totals: overlaps.list_totals(),
        documented: overlaps.documented(),
        in_overlaps: overlaps.in_overlaps(),
        patterns: overlaps.patterns(),
        warnings: Vec::new(),
        loglinear: None,
        lcmcr: None,
    };

    // Lists without a record (in this stratum) carry no information and
    // would put a main effect at minus infinity: leave them out.
    let table = without_empty_lists(overlaps, &mut warnings);
    let n = table.documented();
    let lists = table.list_count();
    if n == 0 {
        warn(
            &mut warnings,
            WarningKind::NoRecords,
            "No records: there is nothing to estimate from.".into(),
        );
        report.warnings = warnings;
        return Ok(report);
    }
    if lists < 2 {
        warn(
            &mut warnings,
            WarningKind::FewLists,
            "Only one list has records. A single list cannot show whom it missed: at least two, and better three or more, are needed.".into(),
        );
        report.warnings = warnings;
        return Ok(report);
    }
    if table.in_overlaps() == 0 {
        warn(
            &mut warnings,
            WarningKind::NoOverlap,
            "No person is on more than one list. The estimate comes from the overlaps, so none is possible: the total could be anything above the documented count.".into(),
        );
        report.warnings = warnings;
        return Ok(report);
    }
    if lists == 2 {
        warn(
            &mut warnings,
            WarningKind::FewLists,
            "Only two lists. The estimate must assume that being on one list has nothing to do with being on the other, which is rarely true of victim lists; at least three lists are needed to test or relax that. LCMCR needs three lists and is not run.".into(),
        );
    }
    if n < options.min_records {
        warn(
            &mut warnings,
            WarningKind::FewRecords,
            format!(
                "Only {} people are documented (fewer than {}); the estimate is very uncertain and can move a lot with a few more records.",
                n, options.min_records
            ),
        );
    }
    check_sparsity(&table, &mut warnings);

    if let Some(ll) = &options.loglinear {
        if lists > MAX_LISTS_LOGLINEAR {
            warn(
                &mut warnings,
                WarningKind::TooManyListsForLogLinear,
                format!(
                    "{lists} lists are more than the log-linear search handles ({MAX_LISTS_LOGLINEAR}); merge small lists to fit log-linear models. LCMCR is unaffected."
                ),
            );
        } else {
            report.loglinear = Some(run_loglinear(&table, ll, options.level, &mut warnings)?);
        }
    }
    if let Some(lc) = &options.lcmcr
        && lists >= 3
    {
        report.lcmcr = Some(run_lcmcr(&table, lc, options.level, &mut warnings));
    }
    compare_methods(&report, &mut warnings);
    report.warnings = warnings;
    Ok(report)
}

/// Estimates every stratum separately with the same options.
pub fn estimate_strata(strata: &[Stratum], options: &Options) -> Result<StrataReport, InputError> {
    let mut reports = Vec::with_capacity(strata.len());
    for s in strata {
        let mut r = estimate(&s.overlaps, options)?;
        r.stratum = Some(s.name.clone());
        reports.push(r);
    }
    let documented = reports.iter().map(|r| r.documented).sum();
    Ok(StrataReport {
        strata: reports,
        documented,
    })
}

fn check_options(overlaps: &Overlaps, options: &Options) -> Result<(), InputError> {
    let bad = |field: &str, problem: &str| InputError::Field {
        field: field.into(),
        problem: problem.into(),
    };
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(bad("level", "must be between 0 and 1, such as 0.95"));
    }
    if let Some(lc) = &options.lcmcr {
        if lc.classes < 1 {
            return Err(bad(
                "lcmcr.classes",
                "must be at least 1 (R LCMCR's analyses use 10)",
            ));
        }
        if lc.chains < 1 {
            return Err(bad("lcmcr.chains", "must be at least 1 (4 is usual)"));
        }
        if lc.thinning < 1 || lc.iterations < 4 * lc.thinning {
            return Err(bad(
                "lcmcr.iterations",
                "must leave at least 4 draws per chain after thinning",
            ));
        }
        if !(lc.a_alpha > 0.0 && lc.b_alpha > 0.0) {
            return Err(bad(
                "lcmcr.a_alpha",
                "and b_alpha must be positive (R LCMCR uses 0.25 and 0.25)",
            ));
        }
    }
    if let Some(ll) = &options.loglinear
        && let Some(name) = &ll.model
    {
        parse_model(name, overlaps.lists())?;
    }
    Ok(())
}

/// Reads a model name of either family.
pub fn parse_model(name: &str, lists: &[String]) -> Result<Model, InputError> {
    let squashed: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    for h in Heterogeneity::ALL {
        let own: String = h
            .name()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if squashed == own || squashed == own.replace("(lb)", "") {
            return Ok(Model::Heterogeneity(h));
        }
    }
    Ok(Model::Hierarchical(Hierarchy::parse(name, lists)?))
}

fn without_empty_lists(overlaps: &Overlaps, warnings: &mut Vec<Warning>) -> Overlaps {
    let totals = overlaps.list_totals();
    let empty: Vec<usize> = (0..totals.len()).filter(|&j| totals[j] == 0).collect();
    if empty.is_empty() {
        return overlaps.clone();
    }
    for &j in &empty {
        warn(
            warnings,
            WarningKind::EmptyList,
            format!(
                "The list {} has no record here and is left out of the estimate.",
                overlaps.lists()[j]
            ),
        );
    }
    let keep: Vec<usize> = (0..totals.len()).filter(|j| !empty.contains(j)).collect();
    let lists: Vec<String> = keep.iter().map(|&j| overlaps.lists()[j].clone()).collect();
    let rows = overlaps.patterns().into_iter().map(|p| {
        (
            keep.iter().map(|&j| p.on[j]).collect::<Vec<bool>>(),
            p.count,
        )
    });
    // Keeping only non-empty lists cannot make a valid table invalid.
    Overlaps::new(lists, rows).unwrap_or_else(|_| overlaps.clone())
}

fn check_sparsity(table: &Overlaps, warnings: &mut Vec<Warning>) {
    let lists = table.list_count();
    let names = table.lists();
    let n = table.documented();
    let overlap_people = table.in_overlaps();
    let mut pair_counts = Vec::new();
    let mut never = Vec::new();
    for a in 0..lists {
        for b in (a + 1)..lists {
            let shared: u64 = table
                .mask_counts()
                .filter(|(m, _)| m & (1 << a) != 0 && m & (1 << b) != 0)
                .map(|(_, c)| c)
                .sum();
            pair_counts.push(shared);
            if shared == 0 {
                never.push(format!("{} and {}", names[a], names[b]));
            }
        }
    }
    if !never.is_empty() {
        warn(
            warnings,
            WarningKind::ListsNeverOverlap,
            format!(
                "These lists share no record: {}. Models with an interaction between them put it at minus infinity (on the boundary); they are shown but not chosen.",
                never.join("; ")
            ),
        );
    }
    let overlap_cells = (1usize << lists) - 1 - lists;
    let filled = table
        .mask_counts()
        .filter(|(m, _)| m.count_ones() >= 2)
        .count();
    let empty_share = if lists <= 10 && overlap_cells > 0 {
        1.0 - filled as f64 / overlap_cells as f64
    } else {
        0.0
    };
    if overlap_people < 30 || (lists <= 10 && empty_share > 0.5) {
        warn(
            warnings,
            WarningKind::SparseOverlaps,
            format!(
                "The overlaps are sparse: {} of {} people are on more than one list, and {} of the {} combinations of two or more lists have no one. Estimates from sparse overlaps depend heavily on the model; read the range, not the point.",
                overlap_people,
                n,
                overlap_cells.saturating_sub(filled),
                overlap_cells
            ),
        );
    }
}

fn run_loglinear(
    table: &Overlaps,
    opts: &LogLinearOptions,
    level: f64,
    warnings: &mut Vec<Warning>,
) -> Result<LogLinearReport, InputError> {
    let lists = table.list_count();
    let names = table.lists();
    let y = table.dense();
    let max_order = opts
        .max_order
        .unwrap_or_else(|| default_max_order(lists))
        .clamp(1, lists.saturating_sub(1).max(1));
    let mut models: Vec<Model> = all_hierarchies(lists, max_order)
        .into_iter()
        .map(Model::Hierarchical)
        .collect();
    let hierarchical_models = models.len();
    let forced = match &opts.model {
        Some(name) => Some(parse_model(name, names)?),
        None => None,
    };
    if let Some(Model::Hierarchical(h)) = &forced
        && h.order() > max_order
    {
        models.push(Model::Hierarchical(h.clone()));
    }
    let mut heterogeneity_models = 0;
    if opts.heterogeneity && lists >= 3 {
        models.extend(Heterogeneity::ALL.iter().map(|&h| Model::Heterogeneity(h)));
        heterogeneity_models = Heterogeneity::ALL.len();
    }
    let mut fits = fit_all(&models, &y, names, opts.threads);

    let eligible = |f: &ModelFit| match f.status {
        FitStatus::Ok => true,
        FitStatus::Boundary => opts.include_boundary,
        _ => false,
    };
    let best_aic = fits
        .iter()
        .filter(|f| eligible(f))
        .map(|f| f.aic)
        .fold(f64::INFINITY, f64::min);
    let best_bic = fits
        .iter()
        .filter(|f| eligible(f))
        .map(|f| f.bic)
        .fold(f64::INFINITY, f64::min);
    for f in &mut fits {
        if best_aic.is_finite() && f.aic.is_finite() {
            f.delta_aic = Some(f.aic - best_aic);
        }
        if best_bic.is_finite() && f.bic.is_finite() {
            f.delta_bic = Some(f.bic - best_bic);
        }
    }
    let key = |f: &ModelFit, c: Criterion| match c {
        Criterion::Aic => f.aic,
        Criterion::Bic => f.bic,
    };
    let criterion = opts.criterion;
    // Eligible models first, each group by the criterion; ties by name so
    // that the order never depends on threads.
    fits.sort_by(|a, b| {
        eligible(b)
            .cmp(&eligible(a))
            .then(key(a, criterion).total_cmp(&key(b, criterion)))
            .then(a.model.cmp(&b.model))
    });
    let mut counts = StatusCounts::default();
    for f in &fits {
        match f.status {
            FitStatus::Ok => counts.ok += 1,
            FitStatus::Boundary => counts.boundary += 1,
            FitStatus::Unbounded => counts.unbounded += 1,
            FitStatus::NotConverged => counts.not_converged += 1,
        }
    }
    if counts.boundary > 0 {
        warn(
            warnings,
            WarningKind::BoundaryModels,
            format!(
                "{} models put an interaction or a cell at minus infinity because some lists never share a record; their estimates assume that combination is impossible{}.",
                counts.boundary,
                if opts.include_boundary {
                    ""
                } else {
                    ", so they are not chosen"
                }
            ),
        );
    }
    if counts.unbounded + counts.not_converged > 0 {
        warn(
            warnings,
            WarningKind::UnboundedEstimates,
            format!(
                "{} models give no finite estimate: the data leave the number of unlisted people undetermined (it runs off to infinity){}. They are listed without a number.",
                counts.unbounded + counts.not_converged,
                if counts.not_converged > 0 {
                    format!(", or the fit did not settle ({})", counts.not_converged)
                } else {
                    String::new()
                }
            ),
        );
    }

    let chosen_fit: Option<&ModelFit> = match &forced {
        Some(model) => {
            let name = model.name();
            let f = fits.iter().find(|f| f.model == name);
            match f {
                Some(f) if f.estimate.is_some() => Some(f),
                _ => {
                    warn(
                        warnings,
                        WarningKind::ModelNotEstimable,
                        format!(
                            "The requested model {name} gives no finite estimate for these data; no estimate is reported for it."
                        ),
                    );
                    None
                }
            }
        }
        None => fits.first().filter(|f| eligible(f)),
    };
    let chosen = chosen_fit.and_then(|f| {
        let estimate = f.estimate?;
        let interval = profile_interval(f, &y, lists, level)?;
        if interval.upper.is_none() {
            warn(
                warnings,
                WarningKind::OpenInterval,
                format!(
                    "The interval of the chosen model has no upper end: the data are as compatible with {} people as with {}.",
                    fmt_count(interval.searched_to.unwrap_or(f64::INFINITY)),
                    fmt_count(estimate)
                ),
            );
        }
        let reason = if forced.is_some() {
            "the model asked for".to_string()
        } else {
            format!(
                "the lowest {} among {} models{}",
                criterion.label(),
                fits.iter().filter(|g| eligible(g)).count(),
                if counts.boundary > 0 && !opts.include_boundary { " without boundary estimates" } else { "" }
            )
        };
        Some(ChosenModel {
            model: f.model.clone(),
            description: f.description.clone(),
            reason,
            estimate,
            stderr: f.stderr.unwrap_or(f64::NAN),
            undocumented: estimate - table.documented() as f64,
            interval,
        })
    });
    let other = match criterion {
        Criterion::Aic => Criterion::Bic,
        Criterion::Bic => Criterion::Aic,
    };
    let other_criterion_best = fits
        .iter()
        .filter(|f| eligible(f))
        .min_by(|a, b| key(a, other).total_cmp(&key(b, other)))
        .and_then(|f| {
            Some(RankedEstimate {
                model: f.model.clone(),
                estimate: f.estimate?,
            })
        });
    let best = fits
        .first()
        .filter(|f| eligible(f))
        .map(|f| key(f, criterion));
    let sensitivity = best.and_then(|best| {
        let near: Vec<&ModelFit> = fits
            .iter()
            .filter(|f| {
                eligible(f) && key(f, criterion) - best <= NEAR_BEST && f.estimate.is_some()
            })
            .collect();
        let lo = near.iter().min_by(|a, b| {
            a.estimate
                .unwrap_or(0.0)
                .total_cmp(&b.estimate.unwrap_or(0.0))
        })?;
        let hi = near.iter().max_by(|a, b| {
            a.estimate
                .unwrap_or(0.0)
                .total_cmp(&b.estimate.unwrap_or(0.0))
        })?;
        Some(Sensitivity {
            within: NEAR_BEST,
            models: near.len(),
            lowest: RankedEstimate {
                model: lo.model.clone(),
                estimate: lo.estimate?,
            },
            highest: RankedEstimate {
                model: hi.model.clone(),
                estimate: hi.estimate?,
            },
        })
    });
    fits.truncate(opts.ranking_limit);
    Ok(LogLinearReport {
        method: "log-linear capture-recapture: Poisson regression on the observed capture patterns, Rcapture conventions (deviance, AIC, BIC with n = documented people; profile interval of Cormack 1992)",
        criterion,
        max_order,
        hierarchical_models,
        heterogeneity_models,
        boundary_models_eligible: opts.include_boundary,
        chosen,
        other_criterion_best,
        sensitivity,
        counts,
        ranking: fits,
    })
}

fn run_lcmcr(
    table: &Overlaps,
    opts: &LcmcrOptions,
    level: f64,
    warnings: &mut Vec<Warning>,
) -> LcmcrReport {
    let data = lcmcr::CaptureData::new(table);
    let chains = lcmcr::run_chains(&data, opts);
    let overflowed = chains.iter().any(|c| c.overflowed);
    let draws: Vec<Vec<f64>> = chains.into_iter().map(|c| c.population).collect();
    let mut pooled: Vec<f64> = draws.iter().flatten().copied().collect();
    pooled.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    let documented = table.documented() as f64;
    let estimate = if overflowed || pooled.is_empty() {
        warn(
            warnings,
            WarningKind::ChainRanAway,
            "LCMCR: the number of unlisted people ran off to infinity in at least one chain; the data do not bound the total under this model, and no estimate is given.".into(),
        );
        None
    } else {
        let median = quantile_sorted(&pooled, 0.5);
        Some(Posterior {
            median,
            mean: pooled.iter().sum::<f64>() / pooled.len() as f64,
            level,
            lower: quantile_sorted(&pooled, tail),
            upper: quantile_sorted(&pooled, 1.0 - tail),
            undocumented: median - documented,
        })
    };
    let diagnostics = diagnostics::diagnose(&draws).map(|c| {
        let chain_medians = draws
            .iter()
            .map(|d| {
                let mut s = d.clone();
                s.sort_by(f64::total_cmp);
                quantile_sorted(&s, 0.5)
            })
            .collect();
        let rhat_ok = c.rhat.is_nan() || c.rhat <= MAX_RHAT;
        let ess_ok = c.ess.is_nan() || c.ess >= MIN_ESS;
        if !rhat_ok {
            warn(
                warnings,
                WarningKind::ChainsDisagree,
                format!(
                    "LCMCR: the chains disagree (R-hat {:.3}, above {MAX_RHAT}). They have not settled on one answer; run longer chains before using this estimate.",
                    c.rhat
                ),
            );
        }
        if !ess_ok {
            warn(
                warnings,
                WarningKind::FewEffectiveDraws,
                format!(
                    "LCMCR: only {} effective draws (fewer than {MIN_ESS}); the interval's ends are imprecise. Run longer chains.",
                    fmt_count(c.ess)
                ),
            );
        }
        ChainDiagnostics { rhat: c.rhat, ess: c.ess, chain_medians, converged: rhat_ok && ess_ok }
    });
    LcmcrReport {
        method: "LCMCR (Manrique-Vallier 2016): Dirichlet-process mixture of product-Bernoulli distributions truncated at K latent classes, Gibbs sampler on the capture-pattern table (as R LCMCR, plus a draw of the concentration with the weights integrated out every 4th sweep)",
        parameters: LcmcrParameters {
            classes: opts.classes,
            a_alpha: opts.a_alpha,
            b_alpha: opts.b_alpha,
            list_probability_prior: "Beta(1, 1)",
            population_prior: "p(N) proportional to 1/N, as R LCMCR",
        },
        seed: opts.seed,
        rng: RngRecord {
            name: lcmcr::RNG_NAME,
            crate_version: lcmcr::RNG_CRATE,
            variates: lcmcr::VARIATES_CRATE,
            streams: "chain c uses the generator seeded with `seed` (seed_from_u64) and advanced by c jumps of 2^128 steps",
        },
        chains: opts.chains,
        burnin: opts.burnin,
        iterations: opts.iterations,
        thinning: opts.thinning,
        draws: pooled.len(),
        estimate,
        diagnostics,
    }
}

/// Warns when the two methods' intervals do not even overlap.
fn compare_methods(report: &Report, warnings: &mut Vec<Warning>) {
    let (Some(ll), Some(lc)) = (&report.loglinear, &report.lcmcr) else {
        return;
    };
    let (Some(chosen), Some(post)) = (&ll.chosen, &lc.estimate) else {
        return;
    };
    let ll_upper = chosen.interval.upper.unwrap_or(f64::INFINITY);
    if post.upper < chosen.interval.lower || post.lower > ll_upper {
        warn(
            warnings,
            WarningKind::MethodsDisagree,
            format!(
                "The two methods disagree: the log-linear model gives {} and LCMCR {}, and their intervals do not overlap. The models make different assumptions about how the lists depend on each other; report both.",
                fmt_count(chosen.estimate),
                fmt_count(post.median)
            ),
        );
    }
}
