//! Benchmarks for `qantar-estimate` (run with `cargo bench -p qantar-estimate`).
//!
//! Prints a table with:
//! * LCMCR sweeps per second on Kosovo with K = 10, one chain and two chains
//!   in parallel (the machine has two cores);
//! * the time of the full log-linear model search on the UK 5-list table
//!   (1,024 hierarchical models + 9 heterogeneity models + the profile
//!   interval of the chosen one);
//! * the coverage of the 95 % intervals over 200 simulated populations with
//!   heterogeneous capture probabilities (two hidden classes, five lists),
//!   at 2,000 and at 20,000 people: LCMCR's credible interval and the
//!   log-linear interval of the model chosen by BIC.
//!
//! R is not installed here, so the R figures are those recorded in
//! `shared/data/mse/reference/` (R LCMCR 0.4.14: 85,000–92,000 sweeps/s on
//! Kosovo, K = 10, on a 2-core machine; Rcapture 1.4.4 `closedpMS.t`:
//! 1,024 models in 11.24 s on the UK table).
//!
//! `-- --no-coverage` skips the coverage study (several minutes).

use std::path::PathBuf;
use std::time::Instant;

use qantar_estimate::lcmcr::bench_sweeps;
use qantar_estimate::simulate::ClassPopulation;
use qantar_estimate::{Criterion, LcmcrOptions, LogLinearOptions, Options, Overlaps, estimate};

fn data(name: &str) -> Option<Overlaps> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/mse"
    ))
    .join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Overlaps::from_mse_json(&text).ok(),
        Err(_) => {
            println!("skipping: {} not found", path.display());
            None
        }
    }
}

fn best_of<F: FnMut() -> f64>(runs: usize, mut f: F) -> f64 {
    (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min)
}

fn main() {
    let coverage = !std::env::args().any(|a| a == "--no-coverage");
    println!("qantar-estimate benchmarks (release build; best of 3 runs where timed)\n");
    println!("{:<58} {:>16} {:>22}", "measure", "qantar", "R reference");

    if let Some(kosovo) = data("kosovo_1999.json") {
        let opts = LcmcrOptions {
            classes: 10,
            ..LcmcrOptions::default()
        };
        let sweeps = 300_000u64;
        // Warm up caches and the CPU clock.
        bench_sweeps(&kosovo, &opts, 20_000);
        let secs = best_of(3, || {
            let t = Instant::now();
            std::hint::black_box(bench_sweeps(&kosovo, &opts, sweeps));
            t.elapsed().as_secs_f64()
        });
        let one = sweeps as f64 / secs;
        println!(
            "{:<58} {:>16} {:>22}",
            "LCMCR Kosovo K=10, one chain (sweeps/s)",
            fmt(one),
            "85,000-92,000"
        );
        let secs2 = best_of(3, || {
            let t = Instant::now();
            std::thread::scope(|s| {
                let a = s.spawn(|| bench_sweeps(&kosovo, &opts, sweeps));
                let b = s.spawn(|| {
                    bench_sweeps(
                        &kosovo,
                        &LcmcrOptions {
                            seed: 2,
                            ..opts.clone()
                        },
                        sweeps,
                    )
                });
                std::hint::black_box((a.join().ok(), b.join().ok()));
            });
            t.elapsed().as_secs_f64()
        });
        let two = 2.0 * sweeps as f64 / secs2;
        println!(
            "{:<58} {:>16} {:>22}",
            "LCMCR Kosovo K=10, two chains on 2 cores (sweeps/s, total)",
            fmt(two),
            "(one chain)"
        );
        println!(
            "{:<58} {:>16} {:>22}",
            "  ratio to R's best (92,000), one chain / two chains",
            format!("{:.1}x / {:.1}x", one / 92_000.0, two / 92_000.0),
            ""
        );
    }

    if let Some(uk) = data("uk_modern_slavery_2013_5lists.json") {
        for threads in [1, 2] {
            let options = Options {
                lcmcr: None,
                loglinear: Some(LogLinearOptions {
                    threads,
                    ..LogLinearOptions::default()
                }),
                ..Options::default()
            };
            let secs = best_of(3, || {
                let t = Instant::now();
                std::hint::black_box(estimate(&uk, &options).ok());
                t.elapsed().as_secs_f64()
            });
            println!(
                "{:<58} {:>16} {:>22}",
                format!("log-linear search UK 5 lists, 1,033 models, {threads} thread(s) (s)"),
                format!("{secs:.3}"),
                "11.24 (1,024 models)"
            );
        }
    }

    if coverage {
        coverage_study();
    }
}

/// One coverage design: a population and how many simulations of it.
struct Design {
    label: &'static str,
    population: ClassPopulation,
    runs: u64,
}

fn coverage_study() {
    // Two hidden classes, a more and a less visible one, on five lists: the
    // kind of heterogeneity LCMCR is built for, and a model it represents
    // exactly. The same design at two sizes: at 2,000 people the likelihood
    // has a long flat ridge towards more people in the less visible class
    // (the profile-likelihood interval of the true two-class model often
    // has no upper end below 3,500), so LCMCR's priors decide where the
    // posterior sits on it; at 20,000 the data decide.
    let shares = vec![0.4, 0.6];
    let capture = vec![
        vec![0.5, 0.4, 0.45, 0.35, 0.4],
        vec![0.2, 0.25, 0.15, 0.2, 0.25],
    ];
    let designs = [
        Design {
            label: "2,000 people",
            population: ClassPopulation {
                size: 2_000,
                shares: shares.clone(),
                capture: capture.clone(),
            },
            runs: 200,
        },
        Design {
            label: "20,000 people",
            population: ClassPopulation {
                size: 20_000,
                shares,
                capture,
            },
            runs: 200,
        },
    ];
    println!(
        "\ncoverage of 95% intervals: two hidden classes (40% seen by each of 5 lists with p = 0.35-0.5, 60% with p = 0.15-0.25)"
    );
    for design in designs {
        coverage_of(&design);
    }
}

fn coverage_of(design: &Design) {
    let options = Options {
        loglinear: Some(LogLinearOptions {
            criterion: Criterion::Bic,
            threads: 1,
            ..LogLinearOptions::default()
        }),
        lcmcr: Some(LcmcrOptions {
            chains: 2,
            burnin: 5_000,
            iterations: 30_000,
            thinning: 10,
            ..LcmcrOptions::default()
        }),
        ..Options::default()
    };
    let truth = design.population.size as f64;
    let (mut lc_cover, mut lc_below, mut lc_n, mut ll_cover, mut ll_n) = (0, 0, 0, 0, 0);
    let mut lc_medians = Vec::new();
    let t = Instant::now();
    for seed in 0..design.runs {
        let Ok(lists) = design.population.draw(1_000 + seed) else {
            continue;
        };
        let options = Options {
            lcmcr: options.lcmcr.clone().map(|l| LcmcrOptions { seed, ..l }),
            ..options.clone()
        };
        let Ok(report) = estimate(&lists, &options) else {
            continue;
        };
        if let Some(p) = report.lcmcr.as_ref().and_then(|l| l.estimate.as_ref()) {
            lc_n += 1;
            lc_medians.push(p.median / truth);
            if p.lower <= truth && truth <= p.upper {
                lc_cover += 1;
            } else if p.upper < truth {
                lc_below += 1;
            }
        }
        if let Some(c) = report.loglinear.as_ref().and_then(|l| l.chosen.as_ref()) {
            ll_n += 1;
            if c.interval.lower <= truth && c.interval.upper.is_none_or(|u| truth <= u) {
                ll_cover += 1;
            }
        }
    }
    lc_medians.sort_by(f64::total_cmp);
    let median = lc_medians
        .get(lc_medians.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    println!(
        "{}, {} simulations ({:.0} s)",
        design.label,
        design.runs,
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<58} {:>16}",
        "  LCMCR K=10 95% credible interval covers the truth",
        format!(
            "{:.1}% ({lc_cover}/{lc_n})",
            100.0 * lc_cover as f64 / lc_n.max(1) as f64
        )
    );
    println!(
        "{:<58} {:>16}",
        "    misses below the truth / above it",
        format!("{lc_below} / {}", lc_n - lc_cover - lc_below)
    );
    println!(
        "{:<58} {:>16}",
        "    median of the posterior medians / truth",
        format!("{median:.3}")
    );
    println!(
        "{:<58} {:>16}",
        "  log-linear, model chosen by BIC, 95% profile interval",
        format!(
            "{:.1}% ({ll_cover}/{ll_n})",
            100.0 * ll_cover as f64 / ll_n.max(1) as f64
        )
    );
}

fn fmt(x: f64) -> String {
    let s = format!("{:.0}", x);
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
