//! Log-linear capture–recapture models (Fienberg 1972; Rivest & Baillargeon
//! 2007), with R Rcapture's conventions so that the numbers can be checked
//! against it.
//!
//! The observed table has `2^J − 1` cells (every pattern except "on no
//! list"). A model is a Poisson regression of the cell counts on indicator
//! columns; the expected count of the missing cell is `exp(intercept)`, so
//! the population estimate is `n + exp(β₀)`. Two families are fitted:
//!
//! * **hierarchical models**: main effects for every list plus any
//!   downward-closed set of interactions up to a maximum order, named as in
//!   Rcapture's `closedpMS.t` (`[123,14,34]`: lists numbered from 1,
//!   generators only);
//! * **heterogeneity models** of Rcapture's `closedp.t`: `M0`, and `Mh`/`Mth`
//!   with Chao's lower bound, Poisson2, Darroch and Gamma3.5 forms, which
//!   model unequal catchability through the number of lists a record is on.
//!   (`Mt` is the hierarchical independence model `[1,2,..,J]`.) The
//!   behavioural models `Mb`/`Mbh` are left out: they assume the lists were
//!   drawn up one after another in a known order, which is not true of
//!   lists of victims.
//!
//! Deviance is the Poisson deviance over the observed cells; AIC is
//! `−2 log L + 2p` with the full Poisson log-likelihood (as R's `glm`); BIC
//! is `AIC + (ln n − 2) p` with `n` the number of documented records. The
//! interval for the chosen model is Cormack's (1992) profile likelihood of
//! the multinomial model, found on the same bracket as `closedpCI.t`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::error::InputError;
use crate::glm::{Design, Fit, fit_poisson};
use crate::special::{chi2_1_quantile, ln_factorial, ln_gamma};

/// The log-linear search handles at most this many lists (2^6 − 1 = 63
/// cells; 32,768 two-way models).
pub const MAX_LISTS_LOGLINEAR: usize = 6;

/// A hierarchical log-linear model: all main effects plus a set of
/// interaction terms that contains every sub-term of each of its terms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hierarchy {
    lists: usize,
    /// Interaction terms (two or more lists) as bit masks, sorted.
    terms: Vec<u32>,
}

impl Hierarchy {
    /// The independence model (Rcapture's `Mt`): main effects only.
    pub fn independence(lists: usize) -> Self {
        Hierarchy {
            lists,
            terms: Vec::new(),
        }
    }

    /// Builds a model from generating terms, each a set of 0-based list
    /// indices; every sub-term is added.
    pub fn from_generators(lists: usize, generators: &[Vec<usize>]) -> Self {
        let mut terms = BTreeSet::new();
        for g in generators {
            let mask = g.iter().fold(0u32, |m, &j| m | (1 << j));
            add_with_subterms(mask, &mut terms);
        }
        Hierarchy {
            lists,
            terms: terms.into_iter().collect(),
        }
    }

    /// Reads a model name: Rcapture's `[123,14,34]` (lists numbered from 1),
    /// or list names joined by `*` or `:` within a term and terms separated by
    /// `,` or `+`, e.g. `EXH*ABA*OSCE + EXH*HRW + OSCE*HRW`.
    pub fn parse(name: &str, list_names: &[String]) -> Result<Self, InputError> {
        let lists = list_names.len();
        let err = |problem: String| InputError::ModelName {
            name: name.to_string(),
            problem,
        };
        let inner = name.trim().trim_start_matches('[').trim_end_matches(']');
        let mut generators = Vec::new();
        for token in inner
            .split([',', '+'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let mut g = Vec::new();
            if lists <= 9 && token.chars().all(|c| c.is_ascii_digit()) {
                for c in token.chars() {
                    let d = c.to_digit(10).unwrap_or(0) as usize;
                    if d == 0 || d > lists {
                        return Err(err(format!("list number {c} is not between 1 and {lists}")));
                    }
                    g.push(d - 1);
                }
            } else {
                for part in token.split(['*', ':']).map(str::trim) {
                    let j = list_names
                        .iter()
                        .position(|l| l.eq_ignore_ascii_case(part))
                        .ok_or_else(|| {
                            err(format!(
                                "`{part}` is not one of the lists {}",
                                list_names.join(", ")
                            ))
                        })?;
                    g.push(j);
                }
            }
            g.sort_unstable();
            if g.windows(2).any(|w| w[0] == w[1]) {
                return Err(err(format!("the term `{token}` names a list twice")));
            }
            if g.len() >= lists && lists > 1 {
                return Err(err(format!(
                    "the term `{token}` joins all {lists} lists; that interaction cannot be estimated from the observed cells"
                )));
            }
            generators.push(g);
        }
        Ok(Hierarchy::from_generators(lists, &generators))
    }

    /// Number of lists.
    pub fn lists(&self) -> usize {
        self.lists
    }

    /// Highest order of interaction (1 for independence).
    pub fn order(&self) -> usize {
        self.terms
            .iter()
            .map(|t| t.count_ones() as usize)
            .max()
            .unwrap_or(1)
    }

    /// The generating terms: highest order first, then in list order;
    /// main effects not inside any interaction come last, as in Rcapture.
    fn generators(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.terms.clone();
        all.extend((0..self.lists).map(|j| 1u32 << j));
        let mut gens: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&t| !all.iter().any(|&o| o != t && o & t == t))
            .collect();
        gens.sort_by(|&a, &b| {
            b.count_ones()
                .cmp(&a.count_ones())
                .then_with(|| indices(a).cmp(&indices(b)))
        });
        gens
    }

    /// Rcapture's name, such as `[123,14,34]`.
    pub fn name(&self) -> String {
        let parts: Vec<String> = self
            .generators()
            .iter()
            .map(|&g| {
                indices(g)
                    .iter()
                    .map(|j| (j + 1).to_string())
                    .collect::<String>()
            })
            .collect();
        format!("[{}]", parts.join(","))
    }

    /// The interactions in words, with the list names: `EXH×ABA×OSCE,
    /// EXH×HRW, OSCE×HRW`, or `independent lists`.
    pub fn describe(&self, list_names: &[String]) -> String {
        let gens: Vec<String> = self
            .generators()
            .iter()
            .filter(|g| g.count_ones() >= 2)
            .map(|&g| {
                indices(g)
                    .iter()
                    .map(|&j| list_names[j].as_str())
                    .collect::<Vec<_>>()
                    .join("×")
            })
            .collect();
        if gens.is_empty() {
            "independent lists".into()
        } else {
            gens.join(", ")
        }
    }
}

fn indices(mask: u32) -> Vec<usize> {
    (0..32).filter(|j| mask & (1 << j) != 0).collect()
}

fn add_with_subterms(mask: u32, terms: &mut BTreeSet<u32>) {
    if mask.count_ones() < 2 || !terms.insert(mask) {
        return;
    }
    for j in indices(mask) {
        add_with_subterms(mask & !(1 << j), terms);
    }
}

/// Every hierarchical model with all main effects and interactions up to
/// `max_order`, as Rcapture's `getAllModels` (113 models for 4 lists up to
/// order 3; 1,024 for 5 lists up to order 2).
pub fn all_hierarchies(lists: usize, max_order: usize) -> Vec<Hierarchy> {
    let mut models: Vec<Vec<u32>> = vec![Vec::new()];
    for order in 2..=max_order.min(lists.saturating_sub(1)) {
        let terms_of_order: Vec<u32> = (1u32..(1 << lists))
            .filter(|m| m.count_ones() as usize == order)
            .collect();
        let mut next = Vec::new();
        for model in &models {
            let allowed: Vec<u32> = terms_of_order
                .iter()
                .copied()
                .filter(|&t| {
                    order == 2 || indices(t).iter().all(|&j| model.contains(&(t & !(1 << j))))
                })
                .collect();
            for subset in 0u64..(1u64 << allowed.len()) {
                let mut m = model.clone();
                m.extend(
                    allowed
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| subset & (1 << i) != 0)
                        .map(|(_, &t)| t),
                );
                m.sort_unstable();
                next.push(m);
            }
        }
        models = next;
    }
    models
        .into_iter()
        .map(|terms| Hierarchy { lists, terms })
        .collect()
}

/// Rcapture's heterogeneity models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Heterogeneity {
    /// Equal catchability on every list.
    M0,
    /// Chao's lower bound with a common capture probability.
    MhChao,
    /// Poisson mixture (`2^k − 1`) with a common capture probability.
    MhPoisson2,
    /// Darroch's normal mixture (`k²/2`) with a common capture probability.
    MhDarroch,
    /// Gamma mixture (`−ln(1 + k/3.5)`) with a common capture probability.
    MhGamma35,
    /// Chao's lower bound with list effects.
    MthChao,
    /// Poisson2 with list effects.
    MthPoisson2,
    /// Darroch with list effects.
    MthDarroch,
    /// Gamma3.5 with list effects.
    MthGamma35,
}

impl Heterogeneity {
    /// All of them, in Rcapture's order.
    pub const ALL: [Heterogeneity; 9] = [
        Heterogeneity::M0,
        Heterogeneity::MhChao,
        Heterogeneity::MhPoisson2,
        Heterogeneity::MhDarroch,
        Heterogeneity::MhGamma35,
        Heterogeneity::MthChao,
        Heterogeneity::MthPoisson2,
        Heterogeneity::MthDarroch,
        Heterogeneity::MthGamma35,
    ];

    /// Rcapture's row name.
    pub fn name(self) -> &'static str {
        match self {
            Heterogeneity::M0 => "M0",
            Heterogeneity::MhChao => "Mh Chao (LB)",
            Heterogeneity::MhPoisson2 => "Mh Poisson2",
            Heterogeneity::MhDarroch => "Mh Darroch",
            Heterogeneity::MhGamma35 => "Mh Gamma3.5",
            Heterogeneity::MthChao => "Mth Chao (LB)",
            Heterogeneity::MthPoisson2 => "Mth Poisson2",
            Heterogeneity::MthDarroch => "Mth Darroch",
            Heterogeneity::MthGamma35 => "Mth Gamma3.5",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Heterogeneity::M0 => "every list equally likely to record anyone",
            Heterogeneity::MhChao => "unequal catchability, Chao's lower bound",
            Heterogeneity::MhPoisson2 => "unequal catchability, Poisson mixture",
            Heterogeneity::MhDarroch => "unequal catchability, Darroch's normal mixture",
            Heterogeneity::MhGamma35 => "unequal catchability, gamma mixture",
            Heterogeneity::MthChao => "list effects and unequal catchability, Chao's lower bound",
            Heterogeneity::MthPoisson2 => "list effects and unequal catchability, Poisson mixture",
            Heterogeneity::MthDarroch => {
                "list effects and unequal catchability, Darroch's normal mixture"
            }
            Heterogeneity::MthGamma35 => "list effects and unequal catchability, gamma mixture",
        }
    }

    fn with_list_effects(self) -> bool {
        matches!(
            self,
            Heterogeneity::MthChao
                | Heterogeneity::MthPoisson2
                | Heterogeneity::MthDarroch
                | Heterogeneity::MthGamma35
        )
    }

    fn is_chao(self) -> bool {
        matches!(self, Heterogeneity::MhChao | Heterogeneity::MthChao)
    }

    /// The heterogeneity columns as functions of `k`, the number of lists.
    fn columns(self, lists: usize, k: usize) -> Vec<f64> {
        let kf = k as f64;
        match self {
            Heterogeneity::M0 => Vec::new(),
            Heterogeneity::MhChao | Heterogeneity::MthChao => (3..=lists)
                .map(|j| (kf - j as f64 + 1.0).max(0.0))
                .collect(),
            Heterogeneity::MhPoisson2 | Heterogeneity::MthPoisson2 => {
                vec![2f64.powi(k as i32) - 1.0]
            }
            Heterogeneity::MhDarroch | Heterogeneity::MthDarroch => vec![kf * kf / 2.0],
            Heterogeneity::MhGamma35 | Heterogeneity::MthGamma35 => {
                vec![-(3.5 + kf).ln() + 3.5f64.ln()]
            }
        }
    }
}

/// A model of either family.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Model {
    /// A hierarchical log-linear model.
    Hierarchical(Hierarchy),
    /// One of Rcapture's heterogeneity models.
    Heterogeneity(Heterogeneity),
}

impl Model {
    /// The model's name as Rcapture prints it.
    pub fn name(&self) -> String {
        match self {
            Model::Hierarchical(h) => h.name(),
            Model::Heterogeneity(h) => h.name().to_string(),
        }
    }

    fn family(&self) -> Family {
        match self {
            Model::Hierarchical(_) => Family::Hierarchical,
            Model::Heterogeneity(_) => Family::Heterogeneity,
        }
    }

    fn describe(&self, list_names: &[String]) -> String {
        match self {
            Model::Hierarchical(h) => h.describe(list_names),
            Model::Heterogeneity(h) => h.describe().to_string(),
        }
    }

    /// Design rows for masks `first..2^J` (first = 1 for the observed table,
    /// 0 for the full table used by the profile likelihood), plus the
    /// interaction term of each column (0 for others) and the index of the
    /// first heterogeneity column.
    fn design(&self, lists: usize, first: u32) -> (Design, Vec<u32>, usize) {
        let cells = 1u32 << lists;
        let mut col_terms: Vec<u32> = vec![0];
        match self {
            Model::Hierarchical(h) => {
                col_terms.extend((0..lists).map(|j| 1u32 << j));
                col_terms.extend(h.terms.iter().copied());
            }
            Model::Heterogeneity(h) => {
                if h.with_list_effects() {
                    col_terms.extend((0..lists).map(|j| 1u32 << j));
                } else {
                    col_terms.push(0);
                }
            }
        }
        let het_start = col_terms.len();
        let het_cols = match self {
            Model::Heterogeneity(h) => h.columns(lists, 0).len(),
            Model::Hierarchical(_) => 0,
        };
        let cols = het_start + het_cols;
        let mut data = Vec::with_capacity((cells - first) as usize * cols);
        for mask in first..cells {
            let k = mask.count_ones() as usize;
            data.push(1.0);
            match self {
                Model::Hierarchical(_) => {
                    for &t in &col_terms[1..] {
                        data.push(if mask & t == t { 1.0 } else { 0.0 });
                    }
                }
                Model::Heterogeneity(h) => {
                    if h.with_list_effects() {
                        for j in 0..lists {
                            data.push(if mask & (1 << j) != 0 { 1.0 } else { 0.0 });
                        }
                    } else {
                        data.push(k as f64);
                    }
                    data.extend(h.columns(lists, k));
                }
            }
        }
        let rows = (cells - first) as usize;
        (Design { rows, cols, data }, col_terms, het_start)
    }
}

/// Which family a fitted model belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Hierarchical log-linear model.
    Hierarchical,
    /// Heterogeneity model of Rcapture's `closedp`.
    Heterogeneity,
}

/// What became of a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitStatus {
    /// A regular maximum-likelihood fit.
    Ok,
    /// Some parameters are at minus infinity because a margin of the table
    /// is empty (two lists share no record, say). The population estimate is
    /// finite, but it rests on the assumption that those combinations are
    /// impossible; such models are not chosen unless asked for.
    Boundary,
    /// The data do not determine the unobserved cell: the estimate runs off
    /// to infinity. No number is given.
    Unbounded,
    /// The fit did not settle; no number is given.
    NotConverged,
}

/// One fitted model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelFit {
    /// Name as in Rcapture (`[123,14,34]`, `Mth Darroch`).
    pub model: String,
    /// Hierarchical or heterogeneity.
    pub family: Family,
    /// The model in words, with list names.
    pub description: String,
    /// Regular, boundary, unbounded or not converged.
    pub status: FitStatus,
    /// Population estimate `n + exp(β₀)`; `None` unless the fit is regular
    /// or on a boundary with a finite estimate.
    pub estimate: Option<f64>,
    /// Rcapture's standard error of the estimate.
    pub stderr: Option<f64>,
    /// Poisson deviance over the observed cells.
    pub deviance: f64,
    /// Residual degrees of freedom (observed cells − parameters).
    pub df: i64,
    /// Number of parameters, the intercept included.
    pub parameters: usize,
    /// Akaike's information criterion.
    pub aic: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Interactions (or cells) at minus infinity, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub boundary_terms: Vec<String>,
    /// AIC minus the lowest AIC among the ranked models.
    pub delta_aic: Option<f64>,
    /// BIC minus the lowest BIC among the ranked models.
    pub delta_bic: Option<f64>,
    #[serde(skip)]
    pub(crate) kind: Option<Model>,
    #[serde(skip)]
    pub(crate) fit: Option<FitDetail>,
}

#[derive(Debug, Clone)]
pub(crate) struct FitDetail {
    dropped_cols: Vec<usize>,
    boundary_rows: Vec<usize>,
}

/// Fits one model to the table `y` (indexed by mask; `y[0]` is ignored).
pub fn fit_model(model: &Model, y: &[f64], list_names: &[String]) -> ModelFit {
    let lists = list_names.len();
    let n: f64 = y[1..].iter().sum();
    let y_obs = &y[1..];
    let (design, col_terms, het_start) = model.design(lists, 1);
    // Cells inside an empty margin are known to be fitted as zero.
    let mut known_zero: Vec<usize> = Vec::new();
    let mut boundary_terms = Vec::new();
    if let Model::Hierarchical(h) = model {
        for &t in &h.terms {
            let margin: f64 = (1u32..(1 << lists))
                .filter(|m| m & t == t)
                .map(|m| y[m as usize])
                .sum();
            if margin == 0.0 {
                boundary_terms.push(term_words(t, list_names));
                known_zero.extend(
                    (1u32..(1 << lists))
                        .filter(|m| m & t == t)
                        .map(|m| m as usize - 1),
                );
            }
        }
        known_zero.sort_unstable();
        known_zero.dedup();
    }
    let mut dropped: Vec<usize> = Vec::new();
    let mut fit = fit_poisson(&design, y_obs, &known_zero, None);
    let mut design_used = design.clone();
    if let Model::Heterogeneity(h) = model
        && h.is_chao()
    {
        // Rcapture's `neg = TRUE`: a negative eta would make the lower bound
        // meaningless; drop the first negative one and refit until none is.
        loop {
            // A coefficient at minus infinity (NaN here, on the boundary) is
            // negative too: its column only touches cells without records.
            let first_negative =
                (het_start..design_used.cols).find(|&c| fit.beta[c].is_nan() || fit.beta[c] < 0.0);
            let Some(c) = first_negative else { break };
            let original = (0..design.cols)
                .filter(|i| !dropped.contains(i))
                .nth(c)
                .unwrap_or(c);
            dropped.push(original);
            design_used = design.without_columns(&dropped);
            fit = fit_poisson(&design_used, y_obs, &known_zero, None);
        }
    }
    let parameters = design_used.cols;
    let cells = (1usize << lists) - 1;
    let log_lik: f64 = y_obs
        .iter()
        .zip(&fit.mu)
        .map(|(&yy, &m)| {
            if yy == 0.0 {
                -m
            } else {
                yy * m.ln() - m - ln_factorial(yy)
            }
        })
        .sum();
    let aic = -2.0 * log_lik + 2.0 * parameters as f64;
    let bic = aic + (n.ln() - 2.0) * parameters as f64;
    for &r in &fit.boundary_rows {
        if !known_zero.contains(&r) {
            boundary_terms.push(format!("cell {}", pattern_words(r as u32 + 1, list_names)));
        }
    }
    let _ = &col_terms;
    let status = if !fit.converged && fit.boundary_rows.is_empty() {
        FitStatus::NotConverged
    } else if !fit.intercept_estimable || !fit.beta[0].is_finite() || fit.beta[0] > 700.0 {
        FitStatus::Unbounded
    } else if !boundary_terms.is_empty() {
        FitStatus::Boundary
    } else {
        FitStatus::Ok
    };
    let (estimate, stderr) = match status {
        FitStatus::Ok | FitStatus::Boundary => {
            let m0 = fit.beta[0].exp();
            (
                Some(n + m0),
                Some((m0 + m0 * m0 * fit.var_intercept).max(0.0).sqrt()),
            )
        }
        _ => (None, None),
    };
    ModelFit {
        model: model.name(),
        family: model.family(),
        description: model.describe(list_names),
        status,
        estimate,
        stderr,
        deviance: fit.deviance,
        df: cells as i64 - parameters as i64,
        parameters,
        aic,
        bic,
        boundary_terms,
        delta_aic: None,
        delta_bic: None,
        kind: Some(model.clone()),
        fit: Some(FitDetail {
            dropped_cols: dropped,
            boundary_rows: fit.boundary_rows.clone(),
        }),
    }
}

fn term_words(mask: u32, list_names: &[String]) -> String {
    indices(mask)
        .iter()
        .map(|&j| list_names[j].as_str())
        .collect::<Vec<_>>()
        .join("×")
}

fn pattern_words(mask: u32, list_names: &[String]) -> String {
    let on: Vec<&str> = indices(mask)
        .iter()
        .map(|&j| list_names[j].as_str())
        .collect();
    format!("on {} only", on.join(" and "))
}

/// A profile-likelihood interval for the population.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileInterval {
    /// Always `"profile likelihood (multinomial, Cormack 1992)"`.
    pub method: &'static str,
    /// Coverage level, such as 0.95.
    pub level: f64,
    /// The value of N that maximises the multinomial profile likelihood
    /// (slightly below the Poisson estimate, as in Rcapture's `closedpCI`).
    pub mode: f64,
    /// Lower end (the documented count when the likelihood never drops far
    /// enough below it).
    pub lower: f64,
    /// Upper end; `None` when the likelihood stays too high however large N
    /// is: the data set no upper limit.
    pub upper: Option<f64>,
    /// When `upper` is `None`: the largest N examined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub searched_to: Option<f64>,
}

/// Computes the profile-likelihood interval of a fitted model.
pub(crate) fn profile_interval(
    fitted: &ModelFit,
    y: &[f64],
    lists: usize,
    level: f64,
) -> Option<ProfileInterval> {
    let n: f64 = y[1..].iter().sum();
    let limit = (1e6 * n.max(1.0)).max(10.0 * fitted.estimate?);
    profile_interval_up_to(fitted, y, lists, level, limit)
}

/// As [`profile_interval`], searching for the upper end no further than
/// `limit`.
fn profile_interval_up_to(
    fitted: &ModelFit,
    y: &[f64],
    lists: usize,
    level: f64,
    limit: f64,
) -> Option<ProfileInterval> {
    let model = fitted.kind.as_ref()?;
    let detail = fitted.fit.as_ref()?;
    let estimate = fitted.estimate?;
    let n: f64 = y[1..].iter().sum();
    let (design, _, _) = model.design(lists, 0);
    let design = if detail.dropped_cols.is_empty() {
        design
    } else {
        design.without_columns(&detail.dropped_cols)
    };
    // Boundary cells of the observed fit stay at zero; shift by one for the
    // unobserved cell in row 0.
    let known_zero: Vec<usize> = detail.boundary_rows.iter().map(|r| r + 1).collect();
    let mut y_full = y.to_vec();
    let mut start: Option<Vec<f64>> = None;
    let mut loglik = |big_n: f64| -> f64 {
        let n0 = (big_n - n).max(0.0);
        y_full[0] = n0;
        let fit: Fit = fit_poisson(&design, &y_full, &known_zero, start.as_deref());
        if fit.beta.iter().all(|b| b.is_finite()) {
            start = Some(fit.beta.clone());
        }
        let total = n0 + n;
        let n0_log_n0 = if n0 > 0.0 { n0 * n0.ln() } else { 0.0 };
        let ct = n0_log_n0 + ln_gamma(total + 1.0) - total * total.ln() - ln_gamma(n0 + 1.0);
        -(fit.deviance - 2.0 * ct) / 2.0
    };
    // Maximum on (n, 3 N̂), as closedpCI.t.
    let (mut a, mut b) = (n, 3.0 * estimate);
    let golden = 0.5 * (5f64.sqrt() - 1.0);
    let mut c = b - golden * (b - a);
    let mut d = a + golden * (b - a);
    let mut fc = loglik(c);
    let mut fd = loglik(d);
    while (b - a) > 1e-6 * estimate.max(1.0) {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - golden * (b - a);
            fc = loglik(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + golden * (b - a);
            fd = loglik(d);
        }
    }
    let mode = 0.5 * (a + b);
    let l_max = loglik(mode);
    let target = l_max - chi2_1_quantile(level) / 2.0;
    let g = |v: f64, f: &mut dyn FnMut(f64) -> f64| f(v) - target;

    // Lower end: on (n, mode); the documented count if never low enough.
    let lower = {
        let at_n = g(n, &mut loglik);
        if at_n >= 0.0 {
            n
        } else {
            bisect(&mut loglik, target, n, mode, estimate)
        }
    };
    // Upper end: on (mode, 3 N̂), then further out if need be.
    let mut hi = (3.0 * estimate).min(limit);
    let mut upper = None;
    loop {
        if g(hi, &mut loglik) < 0.0 {
            let lo = if hi > 3.0 * estimate { hi / 4.0 } else { mode };
            upper = Some(bisect(&mut loglik, target, lo, hi, estimate));
            break;
        }
        if hi >= limit {
            break;
        }
        hi = (hi * 4.0).min(limit);
    }
    Some(ProfileInterval {
        method: "profile likelihood (multinomial, Cormack 1992)",
        level,
        mode,
        lower,
        searched_to: if upper.is_none() { Some(hi) } else { None },
        upper,
    })
}

/// Finds where `f` crosses `target` between `lo` and `hi` (one side above,
/// the other below) to within 1e-6 of the estimate's size.
fn bisect(f: &mut dyn FnMut(f64) -> f64, target: f64, mut lo: f64, mut hi: f64, scale: f64) -> f64 {
    let f_lo = f(lo) - target;
    for _ in 0..200 {
        if hi - lo <= 1e-6 * scale.max(1.0) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        let f_mid = f(mid) - target;
        if (f_mid >= 0.0) == (f_lo >= 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Fits many models, spread over `threads` scoped threads. The result is in
/// the order of `models` whatever the number of threads.
pub(crate) fn fit_all(
    models: &[Model],
    y: &[f64],
    list_names: &[String],
    threads: usize,
) -> Vec<ModelFit> {
    let threads = threads.clamp(1, 64).min(models.len().max(1));
    if threads == 1 {
        return models.iter().map(|m| fit_model(m, y, list_names)).collect();
    }
    let chunk = models.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = models
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|m| fit_model(m, y, list_names))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // A panic in a fit is a bug; surface it rather than hide models.
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("L{i}")).collect()
    }

    #[test]
    fn model_counts_match_rcapture() {
        assert_eq!(all_hierarchies(4, 3).len(), 113);
        assert_eq!(all_hierarchies(5, 2).len(), 1024);
        assert_eq!(all_hierarchies(3, 2).len(), 8);
    }

    #[test]
    fn an_upper_end_beyond_the_search_is_reported_as_missing() {
        // Kosovo's independence model; its profile upper end is 7,656.
        let counts = [
            (1usize, 1131.0),
            (2, 845.0),
            (3, 177.0),
            (4, 936.0),
            (5, 228.0),
            (6, 217.0),
            (7, 181.0),
            (8, 306.0),
            (9, 106.0),
            (10, 31.0),
            (11, 18.0),
            (12, 123.0),
            (13, 42.0),
            (14, 32.0),
            (15, 27.0),
        ];
        let mut y = vec![0.0; 16];
        for (m, c) in counts {
            y[m] = c;
        }
        let lists = names(4);
        let fit = fit_model(&Model::Hierarchical(Hierarchy::independence(4)), &y, &lists);
        let full = profile_interval(&fit, &y, 4, 0.95).expect("interval");
        assert!(
            (full.upper.expect("finite") - 7656.0).abs() < 5.0,
            "{full:?}"
        );
        let cut = profile_interval_up_to(&fit, &y, 4, 0.95, 7500.0).expect("interval");
        assert!(cut.upper.is_none());
        assert_eq!(cut.searched_to, Some(7500.0));
        assert!((cut.lower - full.lower).abs() < 1e-6);
    }

    #[test]
    fn names_round_trip() {
        let lists = names(4);
        for h in all_hierarchies(4, 3) {
            let parsed = Hierarchy::parse(&h.name(), &lists).expect("own names parse");
            assert_eq!(parsed, h, "{}", h.name());
        }
        let h = Hierarchy::parse("[123,14,34]", &lists).expect("valid");
        assert_eq!(h.name(), "[123,14,34]");
        let by_name = Hierarchy::parse("L1*L2*L3 + L1:L4 + L3*L4", &lists).expect("valid");
        assert_eq!(by_name, h);
        assert_eq!(
            Hierarchy::parse("[12]", &lists).expect("valid").name(),
            "[12,3,4]"
        );
        assert_eq!(Hierarchy::independence(5).name(), "[1,2,3,4,5]");
        assert!(Hierarchy::parse("[15]", &lists).is_err());
        assert!(Hierarchy::parse("[1234]", &lists).is_err());
        assert!(Hierarchy::parse("L1*X", &lists).is_err());
    }
}
