//! Log-linear fits against the published reference outputs: every model
//! named in `reference/rcapture_*.txt` and `reference/statsmodels_*.txt`
//! must match in estimate, deviance, AIC and BIC to 0.5 %, and the profile
//! intervals must match `closedpCI.t`.

mod common;

use common::{DATASETS, close, load, mse_dir, numbers, reference};
use qantar_estimate::loglinear::{Model, fit_model};
use qantar_estimate::{
    Criterion, FitStatus, Heterogeneity, Hierarchy, LogLinearOptions, Options, Overlaps, estimate,
    parse_model,
};

fn counts(o: &Overlaps) -> Vec<f64> {
    let mut y = vec![0.0; 1 << o.list_count()];
    for p in o.patterns() {
        let m =
            p.on.iter()
                .enumerate()
                .fold(0usize, |m, (j, &b)| if b { m | (1 << j) } else { m });
        y[m] = p.count as f64;
    }
    y
}

/// All two-way interactions, Rcapture's "all two-way" row.
fn all_two_way(lists: usize) -> Hierarchy {
    let mut gens = Vec::new();
    for a in 0..lists {
        for b in (a + 1)..lists {
            gens.push(vec![a, b]);
        }
    }
    Hierarchy::from_generators(lists, &gens)
}

fn only_loglinear() -> Options {
    Options {
        lcmcr: None,
        ..Options::default()
    }
}

#[test]
fn closedp_models_match_rcapture() {
    let Some(dir) = mse_dir() else { return };
    let mut checked = 0;
    for name in DATASETS {
        let o = load(&dir, name);
        let y = counts(&o);
        let text = reference(&dir, &format!("rcapture_{name}.txt"));
        // The closedp table: model name, then abundance stderr deviance df AIC BIC.
        for line in text.lines() {
            let label = line.split("  ").next().unwrap_or("").trim();
            let model = if label == "Mt" {
                Model::Hierarchical(Hierarchy::independence(o.list_count()))
            } else if let Some(h) = Heterogeneity::ALL.iter().find(|h| h.name() == label) {
                Model::Heterogeneity(*h)
            } else {
                continue;
            };
            let v = numbers(&line[label.len()..]);
            if v.len() < 6 {
                continue;
            }
            let fit = fit_model(&model, &y, o.lists());
            let what = format!("{name} {label}");
            let estimate = fit
                .estimate
                .unwrap_or_else(|| panic!("{what}: no estimate ({:?})", fit.status));
            close(&format!("{what} abundance"), estimate, v[0]);
            close(
                &format!("{what} stderr"),
                fit.stderr.unwrap_or(f64::NAN),
                v[1],
            );
            close(&format!("{what} deviance"), fit.deviance, v[2]);
            assert_eq!(fit.df as f64, v[3], "{what} df");
            close(&format!("{what} AIC"), fit.aic, v[4]);
            close(&format!("{what} BIC"), fit.bic, v[5]);
            checked += 1;
        }
    }
    // 10 rows (M0, Mt and the eight Mh/Mth) for each of the six data sets.
    assert_eq!(checked, 60, "every closedp row was found and compared");
}

#[test]
fn model_search_matches_closedpms() {
    let Some(dir) = mse_dir() else { return };
    let mut checked = 0;
    for name in DATASETS {
        let o = load(&dir, name);
        let y = counts(&o);
        let text = reference(&dir, &format!("rcapture_{name}.txt"));
        let mut search_size = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("closedpMS.t") {
                // "... maxorder 3, no heterogeneity): 113 models in 0.22s"
                let order: usize = rest
                    .split("maxorder ")
                    .nth(1)
                    .and_then(|s| s[..1].parse().ok())
                    .expect("maxorder");
                let models: usize = rest
                    .split("): ")
                    .nth(1)
                    .and_then(|s| s.split(' ').next()?.parse().ok())
                    .expect("count");
                assert_eq!(
                    qantar_estimate::loglinear::all_hierarchies(o.list_count(), order).len(),
                    models,
                    "{name}"
                );
                assert_eq!(
                    qantar_estimate::default_max_order(o.list_count()),
                    order,
                    "{name}: default order"
                );
                search_size = Some(models);
                continue;
            }
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("best by AIC: ") {
                // "[12,13,15,24,25,35,45]  abundance: 11174.83"
                let model = rest.split_whitespace().next().expect("model");
                let want: f64 = rest
                    .split_whitespace()
                    .last()
                    .and_then(|s| s.parse().ok())
                    .expect("abundance");
                let h = Hierarchy::parse(model, o.lists()).expect("reference names parse");
                let fit = fit_model(&Model::Hierarchical(h), &y, o.lists());
                close(
                    &format!("{name} best-AIC {model}"),
                    fit.estimate.expect("finite"),
                    want,
                );
                checked += 1;
                continue;
            }
            if !trimmed.starts_with('[') {
                continue;
            }
            let model = trimmed.split_whitespace().next().expect("model");
            let v = numbers(&trimmed[model.len()..]);
            if v.len() < 6 {
                continue;
            }
            let h = Hierarchy::parse(model, o.lists()).expect("reference names parse");
            assert_eq!(h.name(), model, "names are written as Rcapture writes them");
            let fit = fit_model(&Model::Hierarchical(h), &y, o.lists());
            let what = format!("{name} {model}");
            close(
                &format!("{what} abundance"),
                fit.estimate.expect("finite"),
                v[0],
            );
            close(&format!("{what} deviance"), fit.deviance, v[2]);
            assert_eq!(fit.df as f64, v[3], "{what} df");
            close(&format!("{what} AIC"), fit.aic, v[4]);
            close(&format!("{what} BIC"), fit.bic, v[5]);
            checked += 1;
        }
        assert!(
            search_size.is_some(),
            "{name}: the reference names its search"
        );
    }
    // Eight best-by-BIC rows and one best-by-AIC line per data set.
    assert_eq!(checked, 54);
}

#[test]
fn profile_intervals_match_closedpci() {
    let Some(dir) = mse_dir() else { return };
    let mut checked = 0;
    for name in DATASETS {
        let o = load(&dir, name);
        let text = reference(&dir, &format!("rcapture_{name}.txt"));
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // closedpCI prints a header "abundance infCL supCL infoCI" and
            // then the row.
            if !line.contains("infCL") {
                continue;
            }
            let row = lines[i + 1];
            let (model, rest) = if let Some(r) = row.strip_prefix("Mt") {
                (Hierarchy::independence(o.list_count()), r)
            } else if let Some(r) = row.strip_prefix("all two-way") {
                (all_two_way(o.list_count()), r)
            } else {
                continue;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let mode: f64 = fields[0].parse().expect("mode");
            let lower: f64 = fields[1].parse().expect("lower");
            let options = Options {
                loglinear: Some(LogLinearOptions {
                    model: Some(model.name()),
                    ..LogLinearOptions::default()
                }),
                lcmcr: None,
                ..Options::default()
            };
            let report = estimate(&o, &options).expect("valid options");
            let chosen = report
                .loglinear
                .as_ref()
                .and_then(|l| l.chosen.as_ref())
                .expect("a chosen model");
            let what = format!("{name} {} profile", model.name());
            close(&format!("{what} mode"), chosen.interval.mode, mode);
            close(&format!("{what} lower"), chosen.interval.lower, lower);
            match fields[2].strip_prefix('>') {
                // Rcapture stopped at 3 N̂: our search goes further out, so
                // the upper end is either beyond that or absent.
                Some(limit) => {
                    let limit: f64 = limit.parse().expect("limit");
                    assert!(
                        chosen.interval.upper.is_none_or(|u| u > limit),
                        "{what}: upper end beyond {limit}"
                    );
                }
                None => close(
                    &format!("{what} upper"),
                    chosen.interval.upper.expect("finite"),
                    fields[2].parse().expect("upper"),
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 12, "two intervals per data set");
}

#[test]
fn statsmodels_fits_match() {
    let Some(dir) = mse_dir() else { return };
    let mut checked = 0;
    for name in DATASETS {
        let o = load(&dir, name);
        let y = counts(&o);
        let lists = o.lists().to_vec();
        let text = reference(&dir, &format!("statsmodels_{name}.txt"));
        for line in text.lines() {
            let Some(n_at) = line.find("N=") else {
                continue;
            };
            let value = |key: &str| -> Option<f64> {
                let at = line.find(key)? + key.len();
                line[at..]
                    .split_whitespace()
                    .next()?
                    .trim_end_matches(',')
                    .parse()
                    .ok()
            };
            let pairs = line
                .split("pairs=")
                .nth(1)
                .and_then(|p| p.split_whitespace().next())
                .unwrap_or("");
            let hierarchy = if let Some(spec) = line.strip_prefix("model ") {
                // "model 0,1,2 0,3 2,3  N= ..." with 0-based list numbers.
                let spec = &spec[..n_at - "model ".len()];
                let gens: Vec<Vec<usize>> = spec
                    .split_whitespace()
                    .map(|g| {
                        g.split(',')
                            .map(|d| d.parse::<usize>().expect("list number"))
                            .collect()
                    })
                    .collect();
                Hierarchy::from_generators(lists.len(), &gens)
            } else if pairs == "(none)" {
                Hierarchy::independence(lists.len())
            } else {
                Hierarchy::parse(&pairs.replace('+', ","), &lists).expect("pairs parse")
            };
            let fit = fit_model(&Model::Hierarchical(hierarchy.clone()), &y, &lists);
            let what = format!("{name} statsmodels {}", hierarchy.name());
            close(
                &format!("{what} N"),
                fit.estimate.expect("finite"),
                value("N=").expect("N"),
            );
            close(
                &format!("{what} deviance"),
                fit.deviance,
                value("dev=").expect("dev"),
            );
            close(&format!("{what} AIC"), fit.aic, value("AIC=").expect("AIC"));
            close(&format!("{what} BIC"), fit.bic, value("BIC=").expect("BIC"));
            if line.contains("BOUNDARY") {
                assert_eq!(
                    fit.status,
                    FitStatus::Boundary,
                    "{what}: statsmodels flags a boundary"
                );
            }
            if let Some(profile) = line.split("profile95=[").nth(1) {
                let ends: Vec<f64> = profile
                    .trim_end_matches(']')
                    .split(',')
                    .filter_map(|s| s.parse().ok())
                    .collect();
                let options = Options {
                    loglinear: Some(LogLinearOptions {
                        model: Some(hierarchy.name()),
                        ..LogLinearOptions::default()
                    }),
                    lcmcr: None,
                    ..Options::default()
                };
                let report = estimate(&o, &options).expect("valid");
                let chosen = report.loglinear.and_then(|l| l.chosen).expect("chosen");
                close(
                    &format!("{what} profile lower"),
                    chosen.interval.lower,
                    ends[0],
                );
                close(
                    &format!("{what} profile upper"),
                    chosen.interval.upper.expect("finite"),
                    ends[1],
                );
            }
            checked += 1;
        }
    }
    // Every row of the six files: 10 or 11 for four lists, 14 for five.
    assert_eq!(checked, 73, "compared {checked} statsmodels rows");
}

#[test]
fn kosovo_reproduces_the_published_estimate() {
    let Some(dir) = mse_dir() else { return };
    let o = load(&dir, "kosovo_1999");
    // With the default settings (BIC over the 113 hierarchical models and
    // the heterogeneity models) the chosen model is the one of Ball et al.
    let report = estimate(&o, &only_loglinear()).expect("valid");
    let ll = report.loglinear.as_ref().expect("log-linear run");
    let chosen = ll.chosen.as_ref().expect("chosen");
    assert_eq!(chosen.model, "[123,14,34]");
    assert_eq!(chosen.description, "EXH×ABA×OSCE, EXH×HRW, OSCE×HRW");
    assert!(
        (chosen.estimate - 10_356.5).abs() < 0.5,
        "estimate {}",
        chosen.estimate
    );
    // Rcapture / statsmodels: profile 95 % interval 8,994–12,110.
    close("kosovo lower", chosen.interval.lower, 8994.0);
    close(
        "kosovo upper",
        chosen.interval.upper.expect("finite"),
        12_110.0,
    );
    assert_eq!(ll.hierarchical_models, 113);
    // The ranking shows that a nearly-as-good model gives 12,741.
    let s = ll.sensitivity.as_ref().expect("sensitivity");
    assert!(s.models >= 3 && s.highest.estimate > 18_000.0, "{s:?}");
    // Best by AIC is [123,134] with 12,741, as Rcapture says.
    let other = ll.other_criterion_best.as_ref().expect("AIC best");
    assert_eq!(other.model, "[123,134]");
    close("kosovo AIC best", other.estimate, 12_740.97);
    // The model can also be named with list names.
    let by_names = parse_model("EXH*ABA*OSCE + EXH*HRW + OSCE*HRW", o.lists()).expect("parses");
    assert_eq!(by_names.name(), "[123,14,34]");
}

#[test]
fn uk_boundary_models_are_flagged_and_not_chosen() {
    let Some(dir) = mse_dir() else { return };
    let o = load(&dir, "uk_modern_slavery_2013_5lists");
    let options = Options {
        loglinear: Some(LogLinearOptions {
            criterion: Criterion::Aic,
            heterogeneity: false,
            ..LogLinearOptions::default()
        }),
        lcmcr: None,
        ..Options::default()
    };
    let report = estimate(&o, &options).expect("valid");
    let ll = report.loglinear.as_ref().expect("run");
    // LA and GP share no record: the 512 models with LA×GP are on the boundary.
    assert_eq!(ll.counts.boundary, 512);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.kind == qantar_estimate::WarningKind::ListsNeverOverlap)
    );
    // statsmodels, which drops boundary models, picks [12,13,24,25,35,45] = 11,313 by AIC.
    let chosen = ll.chosen.as_ref().expect("chosen");
    assert_eq!(chosen.model, "[12,13,24,25,35,45]");
    close("uk AIC choice", chosen.estimate, 11_313.0);
    close("uk AIC lower", chosen.interval.lower, 9_889.0);
    close(
        "uk AIC upper",
        chosen.interval.upper.expect("finite"),
        13_063.0,
    );
    // With boundary models allowed, Rcapture's choice [12,13,15,24,25,35,45] = 11,174.8 comes back.
    let with_boundary = Options {
        loglinear: Some(LogLinearOptions {
            criterion: Criterion::Aic,
            heterogeneity: false,
            include_boundary: true,
            ..LogLinearOptions::default()
        }),
        lcmcr: None,
        ..Options::default()
    };
    let report = estimate(&o, &with_boundary).expect("valid");
    let chosen = report.loglinear.and_then(|l| l.chosen).expect("chosen");
    assert_eq!(chosen.model, "[12,13,15,24,25,35,45]");
    close("uk AIC with boundary", chosen.estimate, 11_174.83);
}
