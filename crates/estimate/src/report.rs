//! What an estimate produces: a [`Report`] that serialises to the `--json`
//! output and renders as plain text for the terminal and the web page.

use std::fmt::Write as _;

use serde::Serialize;

use crate::loglinear::{FitStatus, ModelFit, ProfileInterval};
use crate::overlaps::PatternCount;

/// Everything estimated for one table (one stratum).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The crate that computed it.
    pub software: Software,
    /// The stratum's name, when the input was stratified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stratum: Option<String>,
    /// The lists, in column order.
    pub lists: Vec<String>,
    /// Records on each list.
    pub list_totals: Vec<u64>,
    /// Distinct people documented (on at least one list).
    pub documented: u64,
    /// People on two or more lists.
    pub in_overlaps: u64,
    /// The overlap table that was estimated from.
    pub patterns: Vec<PatternCount>,
    /// Problems a reader must know about, in plain words.
    pub warnings: Vec<Warning>,
    /// Log-linear models, unless they were not run or could not be.
    pub loglinear: Option<LogLinearReport>,
    /// LCMCR, unless it was not run or could not be.
    pub lcmcr: Option<LcmcrReport>,
}

/// Name and version of the estimating code.
#[derive(Debug, Clone, Serialize)]
pub struct Software {
    /// `qantar-estimate`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

impl Default for Software {
    fn default() -> Self {
        Software {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A problem with the data or the fits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// A stable code for programs.
    pub kind: WarningKind,
    /// The explanation for people.
    pub message: String,
}

/// Kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Fewer than three lists.
    FewLists,
    /// No records at all.
    NoRecords,
    /// Fewer records than the stated minimum.
    FewRecords,
    /// No record is on two lists: nothing to estimate from.
    NoOverlap,
    /// Few records in the overlaps, or many empty overlap cells.
    SparseOverlaps,
    /// A list has no record in this table and was left out.
    EmptyList,
    /// Two lists share no record.
    ListsNeverOverlap,
    /// Some models put parameters on the boundary.
    BoundaryModels,
    /// Some models' estimates run off to infinity.
    UnboundedEstimates,
    /// The chosen model's interval has no upper end.
    OpenInterval,
    /// The requested model cannot be estimated from these data.
    ModelNotEstimable,
    /// More lists than the log-linear search handles.
    TooManyListsForLogLinear,
    /// LCMCR chains disagree (R-hat too high).
    ChainsDisagree,
    /// LCMCR has few effective draws.
    FewEffectiveDraws,
    /// An LCMCR chain's count of the unlisted ran away.
    ChainRanAway,
    /// Estimates from the two methods are far apart.
    MethodsDisagree,
}

/// Which information criterion ranks the log-linear models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Criterion {
    /// Akaike's: favours better fit, larger models.
    Aic,
    /// Schwarz's Bayesian: favours smaller models; the default, and the
    /// criterion that picks the model of the published Kosovo estimate.
    #[default]
    Bic,
}

impl Criterion {
    /// `"AIC"` or `"BIC"`.
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Aic => "AIC",
            Criterion::Bic => "BIC",
        }
    }
}

/// The log-linear part of a report.
#[derive(Debug, Clone, Serialize)]
pub struct LogLinearReport {
    /// How the models were fitted.
    pub method: &'static str,
    /// The criterion that ranks them.
    pub criterion: Criterion,
    /// Highest interaction order searched.
    pub max_order: usize,
    /// Hierarchical models fitted.
    pub hierarchical_models: usize,
    /// Heterogeneity models fitted.
    pub heterogeneity_models: usize,
    /// Whether models on the boundary could be chosen.
    pub boundary_models_eligible: bool,
    /// The model the estimate comes from, if any could be chosen.
    pub chosen: Option<ChosenModel>,
    /// The best model by the other criterion, to show what changes.
    pub other_criterion_best: Option<RankedEstimate>,
    /// How far estimates move among models nearly as good as the best.
    pub sensitivity: Option<Sensitivity>,
    /// Models by status.
    pub counts: StatusCounts,
    /// The best models by the criterion (all of them up to the limit set in
    /// the options), eligible ones first.
    pub ranking: Vec<ModelFit>,
}

/// The chosen model and its estimate.
#[derive(Debug, Clone, Serialize)]
pub struct ChosenModel {
    /// Rcapture name.
    pub model: String,
    /// In words, with list names.
    pub description: String,
    /// Why this model.
    pub reason: String,
    /// Population estimate (Poisson maximum likelihood, as Rcapture's
    /// `closedp`).
    pub estimate: f64,
    /// Its standard error.
    pub stderr: f64,
    /// Estimated people on no list: `estimate − documented`.
    pub undocumented: f64,
    /// Profile-likelihood interval.
    pub interval: ProfileInterval,
}

/// A model and its estimate.
#[derive(Debug, Clone, Serialize)]
pub struct RankedEstimate {
    /// Rcapture name.
    pub model: String,
    /// Its population estimate.
    pub estimate: f64,
}

/// The spread of estimates among models whose criterion is within
/// `within` points of the best.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    /// The window, in criterion points (2).
    pub within: f64,
    /// Models in the window.
    pub models: usize,
    /// Lowest estimate in the window and its model.
    pub lowest: RankedEstimate,
    /// Highest estimate in the window and its model.
    pub highest: RankedEstimate,
}

/// How many models ended in each state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusCounts {
    /// Regular fits.
    pub ok: usize,
    /// Fits with parameters at minus infinity.
    pub boundary: usize,
    /// Fits whose estimate runs off to infinity.
    pub unbounded: usize,
    /// Fits that did not settle.
    pub not_converged: usize,
}

/// The LCMCR part of a report: everything needed to repeat the run.
#[derive(Debug, Clone, Serialize)]
pub struct LcmcrReport {
    /// The model and sampler.
    pub method: &'static str,
    /// Model settings and priors.
    pub parameters: LcmcrParameters,
    /// Seed of the generator.
    pub seed: u64,
    /// The generator and the variate code.
    pub rng: RngRecord,
    /// Independent chains.
    pub chains: usize,
    /// Burn-in sweeps per chain.
    pub burnin: u64,
    /// Sweeps per chain after burn-in.
    pub iterations: u64,
    /// Thinning interval.
    pub thinning: u64,
    /// Draws kept, all chains together.
    pub draws: usize,
    /// Posterior summary of the population; `None` when a chain ran away.
    pub estimate: Option<Posterior>,
    /// Convergence diagnostics.
    pub diagnostics: Option<ChainDiagnostics>,
}

/// LCMCR's settings.
#[derive(Debug, Clone, Serialize)]
pub struct LcmcrParameters {
    /// Truncation level K.
    pub classes: usize,
    /// Gamma prior on the concentration: shape.
    pub a_alpha: f64,
    /// Gamma prior on the concentration: rate.
    pub b_alpha: f64,
    /// Prior of each class's list probabilities.
    pub list_probability_prior: &'static str,
    /// Prior of the population size.
    pub population_prior: &'static str,
}

/// The random generator used.
#[derive(Debug, Clone, Serialize)]
pub struct RngRecord {
    /// Generator algorithm.
    pub name: &'static str,
    /// Crate and version of the generator.
    #[serde(rename = "crate")]
    pub crate_version: &'static str,
    /// Crate and version of the variate algorithms.
    pub variates: &'static str,
    /// How chains get their streams.
    pub streams: &'static str,
}

/// A posterior summary of N.
#[derive(Debug, Clone, Serialize)]
pub struct Posterior {
    /// Posterior median.
    pub median: f64,
    /// Posterior mean.
    pub mean: f64,
    /// Credible level.
    pub level: f64,
    /// Lower end of the equal-tailed credible interval.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// Estimated people on no list: median − documented.
    pub undocumented: f64,
}

/// Convergence of the chains.
#[derive(Debug, Clone, Serialize)]
pub struct ChainDiagnostics {
    /// Rank-normalised split R-hat of N (1 when chains agree; above 1.05
    /// means they disagree).
    pub rhat: f64,
    /// Bulk effective sample size of N.
    pub ess: f64,
    /// Each chain's median, to show any disagreement directly.
    pub chain_medians: Vec<f64>,
    /// Whether the diagnostics pass (R-hat ≤ 1.05 and ESS ≥ 400).
    pub converged: bool,
}

/// Thousands separators for counts and estimates.
pub(crate) fn fmt_count(x: f64) -> String {
    if !x.is_finite() {
        return "unbounded".into();
    }
    let rounded = x.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if negative { format!("-{out}") } else { out }
}

fn pct(level: f64) -> String {
    let p = level * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p}%")
    }
}

impl Report {
    /// The report as pretty JSON (the `--json` output).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The report as plain text for a reader.
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        let title = match &self.stratum {
            Some(s) => format!("Estimate of the total, stratum \"{s}\""),
            None => "Estimate of the total".to_string(),
        };
        let _ = writeln!(t, "{title}\n{}", "=".repeat(title.chars().count()));
        let lists: Vec<String> = self
            .lists
            .iter()
            .zip(&self.list_totals)
            .map(|(l, n)| format!("{l} {}", fmt_count(*n as f64)))
            .collect();
        let _ = writeln!(t, "Lists ({}): {}", self.lists.len(), lists.join(", "));
        let share = if self.documented > 0 {
            100.0 * self.in_overlaps as f64 / self.documented as f64
        } else {
            0.0
        };
        let _ = writeln!(
            t,
            "Documented: {} people, of whom {} ({share:.1}%) are on two or more lists.",
            fmt_count(self.documented as f64),
            fmt_count(self.in_overlaps as f64)
        );
        if !self.warnings.is_empty() {
            let _ = writeln!(t, "\nWarnings");
            for w in &self.warnings {
                let _ = writeln!(t, "  ! {}", w.message);
            }
        }
        if let Some(ll) = &self.loglinear {
            ll.write_text(&mut t, self.documented);
        }
        if let Some(lc) = &self.lcmcr {
            lc.write_text(&mut t);
        }
        let _ = writeln!(
            t,
            "\nHow to read this\n  Each list missed some people. Where the lists overlap, the size of the overlaps shows\n  \
             how many people all of them missed together, as in the HRDAG studies of Kosovo, Peru,\n  \
             Guatemala and Syria. The estimate covers people who could have been on the lists in this\n  \
             table; it relies on the records having been matched correctly across lists, and on the\n  \
             model describing how the lists depend on each other. Where several models fit almost\n  \
             equally well but give different totals, the honest answer is the range, not one number."
        );
        t
    }
}

impl LogLinearReport {
    fn write_text(&self, t: &mut String, documented: u64) {
        let _ = writeln!(
            t,
            "\nLog-linear models (Poisson regression; {} hierarchical models up to {}-way interactions, {} heterogeneity models)",
            fmt_count(self.hierarchical_models as f64),
            self.max_order,
            self.heterogeneity_models
        );
        match &self.chosen {
            Some(c) => {
                let _ = writeln!(t, "  Chosen: {} ({}), {}", c.model, c.description, c.reason);
                let upper = match c.interval.upper {
                    Some(u) => fmt_count(u),
                    None => format!(
                        "no upper limit (the likelihood stays high up to {})",
                        fmt_count(c.interval.searched_to.unwrap_or(f64::INFINITY))
                    ),
                };
                let _ = writeln!(
                    t,
                    "  Estimate: {} people in total ({} not on any list); {} profile-likelihood interval {} to {}; standard error {}.",
                    fmt_count(c.estimate),
                    fmt_count(c.undocumented),
                    pct(c.interval.level),
                    fmt_count(c.interval.lower.max(documented as f64)),
                    upper,
                    fmt_count(c.stderr)
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "  No model could be chosen: no fit gave a finite estimate."
                );
            }
        }
        if let Some(s) = &self.sensitivity {
            if s.models > 1 {
                let _ = writeln!(
                    t,
                    "  {} models (the chosen one included) lie within {} {} points of the best; their estimates run from {} ({}) to {} ({}).",
                    s.models,
                    s.within,
                    self.criterion.label(),
                    fmt_count(s.lowest.estimate),
                    s.lowest.model,
                    fmt_count(s.highest.estimate),
                    s.highest.model
                );
            } else {
                let _ = writeln!(
                    t,
                    "  No other model lies within {} {} points of the best.",
                    s.within,
                    self.criterion.label()
                );
            }
        }
        if let Some(o) = &self.other_criterion_best {
            let other = match self.criterion {
                Criterion::Aic => "BIC",
                Criterion::Bic => "AIC",
            };
            let _ = writeln!(
                t,
                "  The best model by {other} is {}, with {}.",
                o.model,
                fmt_count(o.estimate)
            );
        }
        let c = &self.counts;
        if c.boundary + c.unbounded + c.not_converged > 0 {
            let _ = writeln!(
                t,
                "  Of the models fitted, {} are regular, {} lie on the boundary{}, {} have estimates that run off to infinity and {} did not converge.",
                c.ok,
                c.boundary,
                if self.boundary_models_eligible {
                    ""
                } else {
                    " (not chosen)"
                },
                c.unbounded,
                c.not_converged
            );
        }
        if !self.ranking.is_empty() {
            let _ = writeln!(
                t,
                "\n  {:>4}  {:<28} {:>11} {:>10} {:>4} {:>10} {:>10} {:>7}  status",
                "rank",
                "model",
                "estimate",
                "deviance",
                "df",
                "AIC",
                "BIC",
                format!("Δ{}", self.criterion.label()),
            );
            for (i, m) in self.ranking.iter().enumerate() {
                let estimate = match m.estimate {
                    Some(e) => fmt_count(e),
                    None => "unbounded".into(),
                };
                let delta = match self.criterion {
                    Criterion::Aic => m.delta_aic,
                    Criterion::Bic => m.delta_bic,
                };
                let status = match m.status {
                    FitStatus::Ok => String::new(),
                    FitStatus::Boundary => format!("boundary: {}", m.boundary_terms.join(", ")),
                    FitStatus::Unbounded => "estimate runs off to infinity".into(),
                    FitStatus::NotConverged => "did not converge".into(),
                };
                let _ = writeln!(
                    t,
                    "  {:>4}  {:<28} {:>11} {:>10.2} {:>4} {:>10.2} {:>10.2} {:>7}  {}",
                    i + 1,
                    m.model,
                    estimate,
                    m.deviance,
                    m.df,
                    m.aic,
                    m.bic,
                    delta.map(|d| format!("{d:.2}")).unwrap_or_default(),
                    status
                );
            }
        }
    }
}

impl LcmcrReport {
    fn write_text(&self, t: &mut String) {
        let _ = writeln!(
            t,
            "\nLCMCR, Bayesian latent classes (K = {}; {} chains × {} sweeps after {} of burn-in, every {}th kept; seed {}, {})",
            self.parameters.classes,
            self.chains,
            fmt_count(self.iterations as f64),
            fmt_count(self.burnin as f64),
            self.thinning,
            self.seed,
            self.rng.name
        );
        match &self.estimate {
            Some(p) => {
                let _ = writeln!(
                    t,
                    "  Posterior median {} people ({} not on any list); {} credible interval {} to {}; mean {}.",
                    fmt_count(p.median),
                    fmt_count(p.undocumented),
                    pct(p.level),
                    fmt_count(p.lower),
                    fmt_count(p.upper),
                    fmt_count(p.mean)
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "  No estimate: the sampler's count of unlisted people ran off to infinity."
                );
            }
        }
        if let Some(d) = &self.diagnostics {
            let medians: Vec<String> = d.chain_medians.iter().map(|m| fmt_count(*m)).collect();
            let _ = writeln!(
                t,
                "  Convergence: R-hat {:.3}, effective sample size {}; chain medians {}. {}",
                d.rhat,
                fmt_count(d.ess),
                medians.join(", "),
                if d.converged {
                    "The chains agree."
                } else {
                    "The chains do NOT agree: treat this estimate as unreliable."
                }
            );
        }
    }
}

/// Reports for several strata.
#[derive(Debug, Clone, Serialize)]
pub struct StrataReport {
    /// One report per stratum, in input order.
    pub strata: Vec<Report>,
    /// Documented people over all strata.
    pub documented: u64,
}

impl StrataReport {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Plain text: each stratum in turn.
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        for (i, r) in self.strata.iter().enumerate() {
            if i > 0 {
                t.push('\n');
            }
            t.push_str(&r.to_text());
        }
        let _ = writeln!(
            t,
            "\n{} strata, {} documented people in all. Estimates are per stratum; adding point estimates does not give an interval for the total.",
            self.strata.len(),
            fmt_count(self.documented as f64)
        );
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(fmt_count(10356.5), "10,357");
        assert_eq!(fmt_count(999.4), "999");
        assert_eq!(fmt_count(1_234_567.0), "1,234,567");
        assert_eq!(fmt_count(f64::INFINITY), "unbounded");
        assert_eq!(fmt_count(-1500.0), "-1,500");
    }
}
