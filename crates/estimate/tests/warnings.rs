//! Data problems must be detected and reported as warnings, never printed
//! as numbers: fewer than three lists, too few records, sparse overlaps, a
//! stratum with no overlap, and fits whose estimates run off to infinity.

use qantar_estimate::{
    FitStatus, InputError, LcmcrOptions, LogLinearOptions, Options, Overlaps, WarningKind,
    estimate, estimate_strata, read_input,
};

fn table(lists: &[&str], rows: &[(&[u8], u64)]) -> Overlaps {
    Overlaps::new(
        lists.iter().map(|s| s.to_string()).collect(),
        rows.iter()
            .map(|(bits, c)| (bits.iter().map(|&b| b == 1).collect(), *c)),
    )
    .expect("valid table")
}

fn quick() -> Options {
    Options {
        lcmcr: Some(LcmcrOptions {
            chains: 2,
            burnin: 500,
            iterations: 2_000,
            thinning: 2,
            ..LcmcrOptions::default()
        }),
        ..Options::default()
    }
}

fn kinds(r: &qantar_estimate::Report) -> Vec<WarningKind> {
    r.warnings.iter().map(|w| w.kind).collect()
}

#[test]
fn no_overlap_gives_no_number() {
    let t = table(
        &["A", "B", "C"],
        &[(&[1, 0, 0], 40), (&[0, 1, 0], 30), (&[0, 0, 1], 20)],
    );
    let r = estimate(&t, &quick()).expect("valid");
    assert!(kinds(&r).contains(&WarningKind::NoOverlap));
    assert!(
        r.loglinear.is_none() && r.lcmcr.is_none(),
        "no estimate at all"
    );
    let text = r.to_text();
    assert!(
        text.contains("No person is on more than one list"),
        "{text}"
    );
}

#[test]
fn two_lists_warn_and_skip_lcmcr() {
    // Lincoln–Petersen: 100 on A, 80 on B, 20 on both → N = 100·80/20 = 400.
    let t = table(&["A", "B"], &[(&[1, 0], 80), (&[0, 1], 60), (&[1, 1], 20)]);
    let r = estimate(&t, &quick()).expect("valid");
    assert!(kinds(&r).contains(&WarningKind::FewLists));
    assert!(r.lcmcr.is_none());
    let chosen = r
        .loglinear
        .as_ref()
        .and_then(|l| l.chosen.as_ref())
        .expect("independence model");
    assert!(
        (chosen.estimate - 400.0).abs() < 1e-6,
        "{}",
        chosen.estimate
    );
}

#[test]
fn few_records_and_sparse_overlaps_are_flagged() {
    let t = table(
        &["A", "B", "C"],
        &[
            (&[1, 0, 0], 12),
            (&[0, 1, 0], 9),
            (&[0, 0, 1], 7),
            (&[1, 1, 0], 3),
            (&[0, 1, 1], 1),
        ],
    );
    let r = estimate(&t, &quick()).expect("valid");
    let k = kinds(&r);
    assert!(k.contains(&WarningKind::FewRecords), "{k:?}");
    assert!(k.contains(&WarningKind::SparseOverlaps), "{k:?}");
    assert!(
        k.contains(&WarningKind::ListsNeverOverlap),
        "A and C never meet: {k:?}"
    );
}

#[test]
fn an_empty_pairwise_cell_makes_the_saturated_model_unbounded() {
    // Three lists, all two-way interactions: the estimate of the unlisted is
    // y100·y010·y001·y111 / (y110·y101·y011), infinite when y110 = 0 (while
    // A and B still meet in y111). It must be reported without a number.
    let t = table(
        &["A", "B", "C"],
        &[
            (&[1, 0, 0], 50),
            (&[0, 1, 0], 40),
            (&[0, 0, 1], 30),
            (&[1, 0, 1], 10),
            (&[0, 1, 1], 8),
            (&[1, 1, 1], 5),
        ],
    );
    let options = Options {
        lcmcr: None,
        loglinear: Some(LogLinearOptions {
            model: Some("[12,13,23]".into()),
            ..LogLinearOptions::default()
        }),
        ..Options::default()
    };
    let r = estimate(&t, &options).expect("valid");
    let ll = r.loglinear.as_ref().expect("ran");
    assert!(ll.chosen.is_none(), "no number for an unbounded estimate");
    assert!(kinds(&r).contains(&WarningKind::ModelNotEstimable));
    let fit = ll
        .ranking
        .iter()
        .find(|f| f.model == "[12,13,23]")
        .expect("listed");
    assert_eq!(fit.status, FitStatus::Unbounded);
    assert!(fit.estimate.is_none());
    assert!(r.to_text().contains("estimate runs off to infinity"));
    // Without the forced model, the search skips it and still estimates.
    let r = estimate(
        &t,
        &Options {
            lcmcr: None,
            ..Options::default()
        },
    )
    .expect("valid");
    assert!(kinds(&r).contains(&WarningKind::UnboundedEstimates));
    assert!(r.loglinear.and_then(|l| l.chosen).is_some());
}

#[test]
fn empty_list_is_left_out() {
    let t = table(
        &["A", "B", "C", "D"],
        &[
            (&[1, 0, 0, 0], 50),
            (&[0, 1, 0, 0], 40),
            (&[0, 0, 1, 0], 30),
            (&[1, 1, 0, 0], 10),
            (&[1, 0, 1, 0], 9),
            (&[0, 1, 1, 0], 8),
            (&[1, 1, 1, 0], 3),
        ],
    );
    let r = estimate(
        &t,
        &Options {
            lcmcr: None,
            ..Options::default()
        },
    )
    .expect("valid");
    assert!(kinds(&r).contains(&WarningKind::EmptyList));
    let ll = r.loglinear.as_ref().expect("ran on three lists");
    assert_eq!(ll.hierarchical_models, 8, "three lists up to two-way");
}

#[test]
fn bad_options_are_errors() {
    let t = table(
        &["A", "B", "C"],
        &[(&[1, 1, 0], 5), (&[1, 0, 0], 5), (&[0, 0, 1], 5)],
    );
    let bad_level = Options {
        level: 1.5,
        ..Options::default()
    };
    assert!(matches!(
        estimate(&t, &bad_level),
        Err(InputError::Field { .. })
    ));
    let bad_model = Options {
        loglinear: Some(LogLinearOptions {
            model: Some("[14]".into()),
            ..LogLinearOptions::default()
        }),
        ..Options::default()
    };
    assert!(matches!(
        estimate(&t, &bad_model),
        Err(InputError::ModelName { .. })
    ));
}

#[test]
fn strata_are_estimated_separately() {
    let csv = "A,B,C,count,stratum\n1,0,0,40,north\n0,1,0,30,north\n0,0,1,20,north\n1,1,0,10,north\n1,0,1,8,north\n0,1,1,6,north\n1,1,1,2,north\n1,0,0,10,south\n0,1,0,12,south\n";
    let strata = read_input(csv).expect("valid csv");
    let report = estimate_strata(
        &strata,
        &Options {
            lcmcr: None,
            ..Options::default()
        },
    )
    .expect("valid");
    assert_eq!(report.strata.len(), 2);
    assert_eq!(report.documented, 138);
    assert!(
        report.strata[0]
            .loglinear
            .as_ref()
            .and_then(|l| l.chosen.as_ref())
            .is_some()
    );
    assert!(
        report.strata[1]
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::NoOverlap)
    );
    let text = report.to_text();
    assert!(text.contains("stratum \"north\"") && text.contains("stratum \"south\""));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    assert_eq!(json["strata"][1]["stratum"], "south");
}
