//! Micro-benchmark: how many names per second get parsed and keyed, and how
//! many key pairs per second get compared. Run:
//!   cargo bench -p qantar-names --bench keys
//! The names are generated from the crate's given-name lexicon (Cyrillic,
//! and the same names in five Latin schemes), with a fixed seed.

use std::hint::black_box;
use std::time::Instant;

use qantar_names::{NameKeys, Scheme, compare, keys, parse, transliterate};

/// A small fixed-seed generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn names(n: usize) -> Vec<String> {
    let lexicon = include_str!("../tables/given_names.tsv");
    let given: Vec<&str> = lexicon
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    let suffixes = ["ов", "ова", "ев", "ева", "ұлы", "қызы", "", "ин"];
    let schemes = [
        Scheme::KazakhPress,
        Scheme::Kazakh2021,
        Scheme::IcaoDoc9303,
        Scheme::BgnPcgn,
        Scheme::Gost779B,
    ];
    let mut rng = Lcg(0x5eed_2022_0105);
    (0..n)
        .map(|_| {
            let g = given[rng.next() % given.len()];
            let stem = given[rng.next() % given.len()].trim_end_matches(['а', 'я', 'й', 'ь']);
            let s = format!("{stem}{}", suffixes[rng.next() % suffixes.len()]);
            let name = if rng.next().is_multiple_of(2) {
                format!("{g} {s}")
            } else {
                format!("{s} {g}")
            };
            match rng.next() % 3 {
                0 => name,
                _ => transliterate(&name, schemes[rng.next() % schemes.len()]),
            }
        })
        .collect()
}

fn main() {
    let input = names(20_000);

    // Warm the lazily built tables and lexicon.
    black_box(keys(&parse(&input[0]).expect("parses")));

    let start = Instant::now();
    let mut all: Vec<NameKeys> = Vec::with_capacity(input.len());
    for name in &input {
        all.push(keys(
            &parse(black_box(name)).expect("generated names parse"),
        ));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "parse + keys: {} names in {:.3} s = {:.0} names/s",
        input.len(),
        secs,
        input.len() as f64 / secs
    );

    let sample = &all[..2_000];
    jw_only(sample);
    let start = Instant::now();
    let mut matches = 0usize;
    for a in sample {
        for b in sample {
            if compare(black_box(a), black_box(b)).similarity >= 0.88 {
                matches += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let pairs = sample.len() * sample.len();
    println!(
        "compare: {pairs} pairs in {secs:.3} s = {:.2} M pairs/s ({matches} pairs at similarity >= 0.88)",
        pairs as f64 / secs / 1e6
    );
}

/// Jaro–Winkler alone, on surname keys.
fn jw_only(sample: &[NameKeys]) {
    let start = Instant::now();
    let mut acc = 0.0;
    for a in sample {
        for b in sample {
            acc += qantar_names::jaro_winkler(
                black_box(a.surname.as_bytes()),
                black_box(b.surname.as_bytes()),
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "jw only: {:.2} M/s ({acc:.0})",
        (sample.len() * sample.len()) as f64 / secs / 1e6
    );
}
