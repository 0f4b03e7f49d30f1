//! The estimates section of the public Numbers page: documented against
//! estimated counts by region, as a table and a server-drawn SVG chart,
//! with the method explained in the reader's language.
//!
//! Everything here comes from [`crate::estimates::Estimates`] (aggregate
//! numbers) and the public snapshot (to name regions that are public);
//! a region the snapshot does not hold is shown under a generic name.

use std::fmt::Write;

use qantar_estimate::WarningKind;

use crate::estimates::{Status, StratumEstimate, UNKNOWN, WHOLE, blocks_figure};
use crate::html::{esc, label};
use crate::i18n::{Arg, Lang, t, ta};
use crate::public::Snapshot;

/// The message key that says a warning in plain words.
pub fn warning_key(kind: WarningKind) -> &'static str {
    match kind {
        WarningKind::FewLists => "numbers-warn-few-lists",
        WarningKind::NoRecords => "numbers-warn-no-records",
        WarningKind::FewRecords => "numbers-warn-few-records",
        WarningKind::NoOverlap => "numbers-warn-no-overlap",
        WarningKind::SparseOverlaps => "numbers-warn-sparse",
        WarningKind::EmptyList => "numbers-warn-empty-list",
        WarningKind::ListsNeverOverlap => "numbers-warn-never-overlap",
        WarningKind::BoundaryModels => "numbers-warn-boundary",
        WarningKind::UnboundedEstimates => "numbers-warn-unbounded",
        WarningKind::OpenInterval => "numbers-warn-open-interval",
        WarningKind::ModelNotEstimable => "numbers-warn-not-estimable",
        WarningKind::TooManyListsForLogLinear => "numbers-warn-too-many-lists",
        WarningKind::ChainsDisagree
        | WarningKind::FewEffectiveDraws
        | WarningKind::ChainRanAway
        | WarningKind::MethodsDisagree => "numbers-warn-method",
    }
}

/// The stratum's name for this reader.
fn stratum_name(lang: Lang, snap: &Snapshot, s: &StratumEstimate) -> String {
    if s.name == WHOLE {
        return t(lang, "numbers-est-whole");
    }
    if s.name == UNKNOWN {
        return t(lang, "numbers-est-unknown-region");
    }
    match s.place.as_deref().and_then(|p| snap.get(p)) {
        Some(place) => label(lang, snap, place),
        None => t(lang, "numbers-est-hidden-region"),
    }
}

fn count(x: f64) -> String {
    format!("{:.0}", x.max(0.0).round())
}

/// The warning that stands instead of the number.
fn blocking_text(lang: Lang, s: &StratumEstimate) -> String {
    s.warnings
        .iter()
        .find(|w| blocks_figure(**w))
        .map(|w| t(lang, warning_key(*w)))
        .unwrap_or_else(|| t(lang, "numbers-est-no-figure"))
}

/// The whole section.
pub fn section(lang: Lang, snap: &Snapshot, status: &Status) -> String {
    let mut h = format!(
        "<section class=\"estimates\" id=\"estimates\"><h2>{}</h2>",
        esc(&t(lang, "numbers-est-title"))
    );
    for key in [
        "numbers-est-what",
        "numbers-est-floor",
        "numbers-est-interval",
        "numbers-est-caveats",
    ] {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, key)));
    }
    match status {
        Status::NoRun => {
            let _ = write!(
                h,
                "<p class=\"note\">{}</p>",
                esc(&t(lang, "numbers-est-none"))
            );
        }
        Status::Pending(_) => {
            let _ = write!(
                h,
                "<p class=\"note\">{}</p>",
                esc(&t(lang, "numbers-est-pending"))
            );
        }
        Status::Failed(_) => {
            let _ = write!(
                h,
                "<p class=\"note\">{}</p>",
                esc(&t(lang, "numbers-est-failed"))
            );
        }
        Status::Ready(e) => {
            let rows: Vec<&StratumEstimate> = e.whole.iter().chain(&e.regions).collect();
            h.push_str(&table(lang, snap, &rows));
            h.push_str(&chart(lang, snap, &rows));
        }
    }
    h.push_str("</section>");
    h
}

fn table(lang: Lang, snap: &Snapshot, rows: &[&StratumEstimate]) -> String {
    let mut h = format!(
        "<table class=\"estimates\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&t(lang, "numbers-est-caption")),
        esc(&t(lang, "numbers-est-col-area")),
        esc(&t(lang, "numbers-est-col-documented")),
        esc(&t(lang, "numbers-est-col-estimate")),
        esc(&t(lang, "numbers-est-col-interval")),
    );
    for s in rows {
        let name = stratum_name(lang, snap, s);
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"documented-count\">{}</td>",
            esc(&name),
            s.documented
        );
        match &s.figure {
            Some(f) => {
                let _ = write!(
                    h,
                    "<td class=\"estimate\">{}</td><td>{}</td></tr>",
                    count(f.estimate),
                    esc(&ta(
                        lang,
                        "numbers-est-interval-value",
                        &[
                            ("low", Arg::Str(&count(f.lower))),
                            ("high", Arg::Str(&count(f.upper))),
                            ("level", Arg::Num((f.level * 100.0).round() as u64)),
                        ]
                    ))
                );
            }
            None => {
                let _ = write!(
                    h,
                    "<td colspan=\"2\" class=\"warning\">{}</td></tr>",
                    esc(&blocking_text(lang, s))
                );
            }
        }
        // Warnings that do not stop the number are said under it.
        let notes: Vec<String> = s
            .warnings
            .iter()
            .filter(|w| !blocks_figure(**w) && s.figure.is_some())
            .map(|w| t(lang, warning_key(*w)))
            .collect();
        if !notes.is_empty() {
            let _ = write!(
                h,
                "<tr class=\"notes\"><td></td><td colspan=\"3\">{}</td></tr>",
                esc(&notes.join(" "))
            );
        }
    }
    h.push_str("</tbody></table>");
    h
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 170.0;
const ROW_H: f64 = 30.0;
const PAD: f64 = 12.0;

/// Horizontal bars: the documented count solid, the estimate a point with
/// its interval as a whisker; a stratum without a figure says why.
pub fn chart(lang: Lang, snap: &Snapshot, rows: &[&StratumEstimate]) -> String {
    let max = rows
        .iter()
        .map(|s| {
            s.figure
                .as_ref()
                .map_or(s.documented as f64, |f| f.upper.max(s.documented as f64))
        })
        .fold(1.0_f64, f64::max);
    let plot = WIDTH - LABEL_W - 2.0 * PAD;
    let x = |v: f64| LABEL_W + PAD + (v / max * plot).clamp(0.0, plot);
    let height = ROW_H * rows.len() as f64 + 2.0 * PAD + 14.0;
    let title = t(lang, "numbers-est-chart");
    let mut h = format!(
        "<svg class=\"chart estimates\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-labelledby=\"est-chart-title\"><title id=\"est-chart-title\">{}</title>",
        esc(&title)
    );
    for (i, s) in rows.iter().enumerate() {
        let y = PAD + ROW_H * i as f64;
        let mid = y + ROW_H / 2.0;
        let name = stratum_name(lang, snap, s);
        let documented = ta(
            lang,
            "numbers-est-documented-n",
            &[("count", Arg::Num(s.documented))],
        );
        let _ = write!(
            h,
            "<g class=\"stratum\"><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"documented\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\"><title>{}</title></rect>",
            LABEL_W,
            mid + 4.0,
            esc(&name),
            x(0.0),
            mid - 5.0,
            x(s.documented as f64) - x(0.0),
            esc(&format!("{name}: {documented}")),
        );
        match &s.figure {
            Some(f) => {
                let what = ta(
                    lang,
                    "numbers-est-point",
                    &[
                        ("estimate", Arg::Str(&count(f.estimate))),
                        ("low", Arg::Str(&count(f.lower))),
                        ("high", Arg::Str(&count(f.upper))),
                    ],
                );
                let (lo, hi, at) = (x(f.lower), x(f.upper), x(f.estimate));
                let _ = write!(
                    h,
                    "<g class=\"estimate\"><title>{}</title>\
                     <path d=\"M{lo:.1} {a:.1}V{b:.1}M{lo:.1} {mid:.1}H{hi:.1}M{hi:.1} {a:.1}V{b:.1}\"/>\
                     <circle cx=\"{at:.1}\" cy=\"{mid:.1}\" r=\"4\"/></g>",
                    esc(&format!("{name}: {what}")),
                    a = mid - 6.0,
                    b = mid + 6.0,
                );
            }
            None => {
                let _ = write!(
                    h,
                    "<text class=\"warning\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    x(s.documented as f64) + 6.0,
                    mid + 4.0,
                    esc(&t(lang, "numbers-est-no-figure-short"))
                );
            }
        }
        h.push_str("</g>");
    }
    let legend_y = PAD + ROW_H * rows.len() as f64 + 10.0;
    let _ = write!(
        h,
        "<text class=\"legend\" x=\"{:.1}\" y=\"{legend_y:.1}\">{}</text></svg>",
        LABEL_W + PAD,
        esc(&t(lang, "numbers-est-legend"))
    );
    h
}
