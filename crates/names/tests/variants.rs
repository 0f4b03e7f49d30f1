//! Every row of testdata/variants.tsv: real spellings of the same person or
//! place must agree, different people must not.

use qantar_names::{
    NameAgreement, SIMILAR_THRESHOLD, compare, jaro_winkler, key, keys_of, surname_key,
};

const VARIANTS: &str = include_str!("../testdata/variants.tsv");

fn level_ok(expect: &str, got: NameAgreement) -> bool {
    use NameAgreement::*;
    match expect {
        "match" => matches!(got, Exact | SameKeysDifferentSpelling | Swapped),
        "initial" => got == InitialCompatible,
        "similar" => got == Similar,
        "different" => got == Different,
        _ => panic!("unknown expectation {expect:?} in variants.tsv"),
    }
}

#[test]
fn variants_agree_and_different_people_do_not() {
    let mut failures = Vec::new();
    let (mut names, mut words, mut negatives) = (0, 0, 0);
    for (i, line) in VARIANTS.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            f.len() >= 5,
            "variants.tsv line {}: needs kind, a, b, expect, source",
            i + 1
        );
        let (kind, a, b, expect, source) = (f[0], f[1], f[2], f[3], f[4]);
        assert!(
            !source.is_empty(),
            "variants.tsv line {}: every row names its source",
            i + 1
        );
        if expect == "different" {
            negatives += 1;
        }
        match kind {
            "name" => {
                names += 1;
                let ka = keys_of(a).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
                let kb = keys_of(b).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
                let c = compare(&ka, &kb);
                if !level_ok(expect, c.agreement) {
                    failures.push(format!(
                        "line {}: {a} / {b}: want {expect}, got {:?} ({:.3}); keys {}|{}|{} vs {}|{}|{}",
                        i + 1,
                        c.agreement,
                        c.similarity,
                        ka.given,
                        ka.surname,
                        ka.patronymic,
                        kb.given,
                        kb.surname,
                        kb.patronymic
                    ));
                }
            }
            "word" | "surname" => {
                words += 1;
                let (ka, kb) = if kind == "word" {
                    (key(a), key(b))
                } else {
                    (surname_key(a), surname_key(b))
                };
                let jw = jaro_winkler(ka.as_bytes(), kb.as_bytes());
                let ok = match expect {
                    "same" => ka == kb,
                    "similar" => ka != kb && jw >= SIMILAR_THRESHOLD,
                    "different" => ka != kb && jw < SIMILAR_THRESHOLD,
                    _ => panic!("line {}: unknown expectation {expect:?}", i + 1),
                };
                if !ok {
                    failures.push(format!(
                        "line {}: {a} / {b}: want {expect}, keys {ka} / {kb} ({jw:.3})",
                        i + 1
                    ));
                }
            }
            _ => panic!("line {}: kind must be name, word or surname", i + 1),
        }
    }
    println!(
        "variants.tsv: {names} name pairs, {words} word pairs, {negatives} must-not-match pairs"
    );
    assert!(
        names + words >= 100,
        "variants.tsv should hold at least 100 pairs"
    );
    assert!(
        failures.is_empty(),
        "{} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
