//! Shared helpers for the validation tests: where the published data and
//! the reference fits live, and small parsers for the reference text files
//! (outputs of R Rcapture 1.4.4, statsmodels and R LCMCR 0.4.14, see
//! `shared/data/README.md`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use qantar_estimate::Overlaps;

/// `shared/data/mse`, beside the repository.
pub fn mse_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/mse"
    ));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping: {} not found (the shared test data are not on this machine)",
            dir.display()
        );
        None
    }
}

/// The data sets with Rcapture and statsmodels references.
pub const DATASETS: [&str; 6] = [
    "kosovo_1999",
    "netherlands_trafficking_2010_2015_5lists",
    "new_orleans_trafficking_5lists",
    "rcapture_hiv_rome",
    "rcapture_lesbian_allegheny",
    "uk_modern_slavery_2013_5lists",
];

pub fn load(dir: &Path, name: &str) -> Overlaps {
    let text = std::fs::read_to_string(dir.join(format!("{name}.json")))
        .unwrap_or_else(|e| panic!("cannot read {name}.json: {e}"));
    Overlaps::from_mse_json(&text).unwrap_or_else(|e| panic!("{name}.json does not parse: {e}"))
}

pub fn reference(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join("reference").join(file))
        .unwrap_or_else(|e| panic!("cannot read reference {file}: {e}"))
}

/// Relative difference, scaled by the reference.
pub fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(1e-9)
}

/// Asserts agreement to 0.5 %, with the context in the message. Values
/// printed with few decimals in the references (a deviance of 1.01) are
/// compared with an absolute allowance for that rounding.
pub fn close(what: &str, got: f64, want: f64) {
    let ok = rel(got, want) <= 0.005 || (got - want).abs() <= 0.006;
    assert!(
        ok,
        "{what}: got {got}, reference {want} ({:.3}% off)",
        100.0 * rel(got, want)
    );
}

/// Numbers in a whitespace-separated line.
pub fn numbers(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .filter_map(|t| t.parse::<f64>().ok())
        .collect()
}
