//! Link synthetic lists in memory and print pairwise precision, recall and
//! F1 against the truth: a quick check while tuning, without the CLI.
//! Usage: cargo run --release -p qantar-link --example synth_eval -- PERSONS [LISTS] [SEED]

use std::collections::HashSet;
use std::time::Instant;

use qantar_link::synth::{SynthConfig, person, rows};
use qantar_link::{LinkConfig, LinkMode, RecordInput, link};

fn main() {
    let arg = |i: usize, d: u64| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let cfg = SynthConfig {
        persons: arg(1, 20_000),
        lists: arg(2, 2) as u16,
        seed: arg(3, 1),
        ..SynthConfig::default()
    };
    let mut inputs = Vec::new();
    let mut who = Vec::new();
    for id in 0..cfg.persons {
        for r in rows(&cfg, &person(&cfg, id)) {
            let v = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            inputs.push(RecordInput {
                id: r.record_id.clone(),
                list: r.list,
                full_name: v(&r.full_name),
                birth_date: v(&r.birth_date),
                age: v(&r.age),
                sex: v(&r.sex),
                place: v(&r.city),
                ..RecordInput::default()
            });
            who.push(r.person);
        }
    }
    let mode = if cfg.lists == 2 {
        LinkMode::LinkOnly
    } else {
        LinkMode::Dedupe
    };
    let t = Instant::now();
    let (linker, result, _) = link(
        &inputs,
        2022,
        LinkConfig {
            mode,
            pair_budget_per_record: std::env::var("BUDGET")
                .ok()
                .and_then(|b| b.parse().ok())
                .unwrap_or(LinkConfig::default().pair_budget_per_record),
            ..LinkConfig::default()
        },
    )
    .expect("links");
    let secs = t.elapsed().as_secs_f64();
    let mut truth = HashSet::new();
    let mut by_person: std::collections::HashMap<u64, Vec<u32>> = Default::default();
    for (i, p) in who.iter().enumerate() {
        by_person.entry(*p).or_default().push(i as u32);
    }
    for v in by_person.values() {
        for (a, &x) in v.iter().enumerate() {
            for &y in &v[a + 1..] {
                if mode == LinkMode::LinkOnly && inputs[x as usize].list == inputs[y as usize].list
                {
                    continue;
                }
                truth.insert((x.min(y), x.max(y)));
            }
        }
    }
    let found: HashSet<(u32, u32)> = linker
        .cluster_pairs(&result)
        .iter()
        .map(|p| (p.left.min(p.right), p.left.max(p.right)))
        .collect();
    let tp = found.intersection(&truth).count() as f64;
    let (p, r) = (
        tp / found.len().max(1) as f64,
        tp / truth.len().max(1) as f64,
    );
    let missed_by_blocking = 0;
    let _ = missed_by_blocking;
    println!(
        "{} records, {} candidates, lambda {:.5}, {} iters; P {p:.4} R {r:.4} F1 {:.4}; {secs:.2}s",
        inputs.len(),
        result.candidate_pairs,
        result.model.lambda,
        result.model.iterations,
        2.0 * p * r / (p + r).max(1e-12)
    );
    let mut cluster_of = std::collections::HashMap::new();
    let mut implied = HashSet::new();
    for (n, c) in result.clusters.iter().enumerate() {
        for (a, &x) in c.iter().enumerate() {
            cluster_of.insert(x, n);
            for &y in &c[a + 1..] {
                if mode != LinkMode::LinkOnly || inputs[x as usize].list != inputs[y as usize].list
                {
                    implied.insert((x, y));
                }
            }
        }
    }
    let kept: HashSet<(u32, u32)> = found
        .iter()
        .filter(|(a, b)| cluster_of.contains_key(a) && cluster_of.get(a) == cluster_of.get(b))
        .copied()
        .collect();
    for (name, set) in [("in-cluster pairs", &kept), ("cluster-implied", &implied)] {
        let tp = set.intersection(&truth).count() as f64;
        let (p, r) = (tp / set.len().max(1) as f64, tp / truth.len().max(1) as f64);
        println!(
            "{name}: P {p:.4} R {r:.4} F1 {:.4}",
            2.0 * p * r / (p + r).max(1e-12)
        );
    }
    if std::env::var_os("ERRORS").is_some() {
        let show = |i: u32| {
            let r = &inputs[i as usize];
            format!(
                "{} | {} | {} | {} | {} | {}",
                r.id,
                r.full_name.as_deref().unwrap_or(""),
                r.birth_date.as_deref().unwrap_or(""),
                r.age.as_deref().unwrap_or(""),
                r.sex.as_deref().unwrap_or(""),
                r.place.as_deref().unwrap_or("")
            )
        };
        let weight: std::collections::HashMap<(u32, u32), f64> = result
            .pairs
            .iter()
            .map(|p| ((p.left.min(p.right), p.left.max(p.right)), p.weight))
            .collect();
        let mut fp: Vec<_> = found.difference(&truth).collect();
        fp.sort();
        for (a, b) in fp.iter().take(15) {
            println!(
                "FP {:.1}\n  {}\n  {}",
                weight[&(*a, *b)],
                show(*a),
                show(*b)
            );
        }
        let mut fne: Vec<_> = truth.difference(&found).collect();
        fne.sort();
        for (a, b) in fne.iter().take(15) {
            println!("FN\n  {}\n  {}", show(*a), show(*b));
        }
    }
    if std::env::var_os("RULES").is_some() {
        for r in &result.blocking {
            println!(
                "{:<28} pairs {:>10} new {:>10} dropped blocks {:>6} pairs {:>12}",
                r.rule, r.pairs, r.new_pairs, r.dropped_blocks, r.dropped_pairs
            );
        }
    }
    if std::env::var_os("MODEL").is_some() {
        for c in &result.model.comparisons {
            println!(
                "{:<12} m {:?}",
                c.field,
                c.m.iter()
                    .map(|x| (x * 1000.0).round() / 1000.0)
                    .collect::<Vec<_>>()
            );
            println!(
                "{:<12} u {:?}",
                "",
                c.u.iter()
                    .map(|x| (x * 1000.0).round() / 1000.0)
                    .collect::<Vec<_>>()
            );
            println!(
                "{:<12} w {:?}",
                "",
                c.weights
                    .iter()
                    .map(|x| (x * 100.0).round() / 100.0)
                    .collect::<Vec<_>>()
            );
        }
    }
}
