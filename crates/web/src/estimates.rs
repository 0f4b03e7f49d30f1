//! Estimates for the public Numbers page: how many people the lists
//! probably missed, by region and for the whole, from the latest linkage
//! run's list overlaps.
//!
//! Estimating is too slow for a request (the log-linear search fits every
//! hierarchical model of every stratum), so it runs once per linkage run in
//! a background thread and the result is kept, keyed by the run number.
//! Until it is ready the page shows the documented counts and says the
//! estimate is being computed. Only aggregate numbers leave this module:
//! counts, estimates, intervals, and the kinds of warning. Stratum names
//! are region labels, which may name a place that is not public, so each
//! is tied to a place id here and shown by the page only when the public
//! snapshot holds that place.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use qantar_estimate::{LogLinearOptions, Options, Report, WarningKind, estimate_strata};
use qantar_model::Kind;
use qantar_register::{Stratifier, overlaps};
use qantar_store::{Archive, Filter, Store};

/// The stratum that holds everyone.
pub const WHOLE: &str = "all";
/// The stratum of people whose region no record gives.
pub const UNKNOWN: &str = "unknown";

/// An estimate that may be shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
    /// Coverage of the interval (0.95).
    pub level: f64,
}

/// One stratum's documented count and, when the data allow, its estimate.
#[derive(Clone, Debug)]
pub struct StratumEstimate {
    /// [`WHOLE`], [`UNKNOWN`], or a region's label as the register gave it.
    pub name: String,
    /// The region's place id, when exactly one place carries the label.
    pub place: Option<String>,
    /// Distinct people documented in the stratum: a floor for the truth.
    pub documented: u64,
    /// Lists that name anyone in the stratum.
    pub lists: usize,
    /// `None` when a warning makes any number misleading.
    pub figure: Option<Figure>,
    /// What the estimator warned about, without its English wording (the
    /// page says each in the reader's language).
    pub warnings: Vec<WarningKind>,
}

/// Everything the Numbers page shows about one linkage run.
#[derive(Clone, Debug)]
pub struct Estimates {
    pub run: u64,
    pub whole: Vec<StratumEstimate>,
    pub regions: Vec<StratumEstimate>,
}

/// Warnings after which no number is shown: too few lists, no or too few
/// overlaps, an interval with no upper end, a model that cannot be fitted.
pub fn blocks_figure(kind: WarningKind) -> bool {
    matches!(
        kind,
        WarningKind::FewLists
            | WarningKind::NoRecords
            | WarningKind::NoOverlap
            | WarningKind::SparseOverlaps
            | WarningKind::OpenInterval
            | WarningKind::ModelNotEstimable
            | WarningKind::TooManyListsForLogLinear
    )
}

/// Log-linear models only: LCMCR's chains cost minutes per stratum, and a
/// page that waits that long after every linkage run helps nobody. One
/// thread, so the estimate never competes with requests for both cores.
pub fn options() -> Options {
    Options {
        level: 0.95,
        min_records: 50,
        loglinear: Some(LogLinearOptions {
            threads: 1,
            ranking_limit: 1,
            ..LogLinearOptions::default()
        }),
        lcmcr: None,
    }
}

fn figure(report: &Report) -> Option<Figure> {
    if report.warnings.iter().any(|w| blocks_figure(w.kind)) {
        return None;
    }
    let chosen = report.loglinear.as_ref()?.chosen.as_ref()?;
    let upper = chosen.interval.upper?;
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    (ok(chosen.estimate) && ok(chosen.interval.lower) && ok(upper)).then_some(Figure {
        estimate: chosen.estimate,
        lower: chosen.interval.lower,
        upper,
        level: chosen.interval.level,
    })
}

/// Estimate the latest run of `store`: the whole, then every region.
pub fn compute(store: &Store) -> Result<Estimates, String> {
    let run = store
        .linkage_run()
        .map_err(|e| e.to_string())?
        .ok_or("no linkage run")?
        .run;
    let opts = options();
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    for p in store
        .list(&Filter {
            kind: Some(Kind::Place),
            include_retracted: true,
            ..Filter::default()
        })
        .map_err(|e| e.to_string())?
    {
        places.entry(p.label.clone()).or_default().push(p.id);
    }
    let mut parts = Vec::new();
    for by in [None, Some(Stratifier::Region)] {
        let strata = overlaps(store, by).map_err(|e| e.to_string())?;
        let reports = estimate_strata(&strata, &opts).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for (s, r) in strata.iter().zip(&reports.strata) {
            let place = match places.get(&s.name).map(Vec::as_slice) {
                Some([only]) if by.is_some() => Some(only.clone()),
                _ => None,
            };
            let mut warnings: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
            warnings.dedup();
            out.push(StratumEstimate {
                name: s.name.clone(),
                place,
                documented: r.documented,
                lists: r.list_totals.iter().filter(|&&n| n > 0).count(),
                figure: figure(r),
                warnings,
            });
        }
        parts.push(out);
    }
    let regions = parts.pop().unwrap_or_default();
    let whole = parts.pop().unwrap_or_default();
    Ok(Estimates {
        run,
        whole,
        regions,
    })
}

/// What the page can show now.
#[derive(Clone, Debug)]
pub enum Status {
    /// No linkage has run: there is no register to count.
    NoRun,
    /// The estimate of this run is being computed.
    Pending(u64),
    Ready(Arc<Estimates>),
    /// Estimating this run failed (logged); the page says so.
    Failed(u64),
}

impl Status {
    /// A short tag for the page cache: the page differs exactly when it does.
    pub fn tag(&self) -> String {
        match self {
            Status::NoRun => "none".into(),
            Status::Pending(r) => format!("pending-{r}"),
            Status::Ready(e) => format!("ready-{}", e.run),
            Status::Failed(r) => format!("failed-{r}"),
        }
    }
}

#[derive(Default)]
struct State {
    checked: Option<Instant>,
    run: Option<u64>,
    ready: Option<Arc<Estimates>>,
    computing: Option<u64>,
    failed: Option<u64>,
}

/// The estimates of the latest run, computed once per run.
#[derive(Default)]
pub(crate) struct Cache {
    state: Mutex<State>,
    done: Condvar,
}

impl Cache {
    /// Forget when the run number was last read, so the next page reads it
    /// again (after a linkage run made through this site).
    pub(crate) fn forget_freshness(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.checked = None;
        }
    }

    /// The status for the latest run, starting its estimate if needed.
    /// Reads the run number at most every `fresh`; blocking.
    pub(crate) fn status(
        self: &Arc<Self>,
        dir: &std::path::Path,
        store: &Store,
        fresh: std::time::Duration,
    ) -> Result<Status, String> {
        let recent = {
            let s = self.state.lock().map_err(|e| e.to_string())?;
            s.checked.is_some_and(|t| t.elapsed() < fresh)
        };
        let run = if recent {
            self.state.lock().map_err(|e| e.to_string())?.run
        } else {
            let run = store
                .linkage_run()
                .map_err(|e| e.to_string())?
                .map(|r| r.run);
            let mut s = self.state.lock().map_err(|e| e.to_string())?;
            s.run = run;
            s.checked = Some(Instant::now());
            run
        };
        let Some(run) = run else {
            return Ok(Status::NoRun);
        };
        let mut s = self.state.lock().map_err(|e| e.to_string())?;
        if let Some(e) = s.ready.as_ref().filter(|e| e.run == run) {
            return Ok(Status::Ready(e.clone()));
        }
        if s.failed == Some(run) {
            return Ok(Status::Failed(run));
        }
        if s.computing != Some(run) {
            s.computing = Some(run);
            let cache = self.clone();
            let dir = dir.to_path_buf();
            std::thread::spawn(move || {
                let result = Archive::open(&dir)
                    .map_err(|e| e.to_string())
                    .and_then(|a| compute(&a.store));
                let Ok(mut s) = cache.state.lock() else {
                    return;
                };
                match result {
                    // A newer run may have been made meanwhile: keep this
                    // one's result under its own number; the page asks again.
                    Ok(e) => s.ready = Some(Arc::new(e)),
                    Err(e) => {
                        eprintln!("qantar-web: cannot estimate linkage run {run}: {e}");
                        s.failed = Some(run);
                    }
                }
                if s.computing == Some(run) {
                    s.computing = None;
                }
                cache.done.notify_all();
            });
        }
        Ok(Status::Pending(run))
    }

    /// Wait until the run being computed is done (for tests and tools that
    /// need the figures, not the page).
    pub(crate) fn wait(&self) {
        let Ok(mut s) = self.state.lock() else { return };
        while s.computing.is_some() {
            s = match self.done.wait(s) {
                Ok(s) => s,
                Err(_) => return,
            };
        }
    }
}
