//! Letter-by-letter test of the Kazakh schemes against the table in
//! the project's shared/data/translit/kazakh_latin.md. Cells marked verified must
//! come out exactly; cells the file marks `?` are checked only where our
//! table says it uses them as given (status `?`), and our table must never
//! claim a letter verified that the file does not verify.

use qantar_names::{Scheme, transliterate};

const MD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/translit/kazakh_latin.md"
);

/// The columns of the first table, in order, and our scheme for each.
const COLUMNS: [Option<Scheme>; 7] = [
    Some(Scheme::Kazakh2017),
    Some(Scheme::Kazakh2018),
    Some(Scheme::Kazakh2021),
    Some(Scheme::KazakhBgnPcgn),
    Some(Scheme::KazakhIso9),
    None, // ALA-LC: not implemented (unverified in the file)
    Some(Scheme::KazakhPassport),
];

fn status(scheme: Scheme, letter: char) -> String {
    for line in scheme.table_source().lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() == 4 && f[0].chars().eq([letter]) {
            return f[3].to_string();
        }
    }
    panic!("{scheme}: no line for {letter}");
}

/// The (capital, small) forms a cell gives: "A' a'" → both; "Ñ ñ (some
/// sources …)" → both; "(E) ?" and "ZH ?" → capital only; "a̋ (? …)" → small
/// only; "? (Ḩ ḩ, not legible …)" → the bracketed guess; "I / Y ?",
/// "? (not legible …)" and "(none; …)" → None.
fn cell_forms(cell: &str) -> Option<(Option<String>, Option<String>)> {
    let text = cell.strip_prefix("? (").unwrap_or(cell);
    if text.starts_with("not") || text.starts_with("(none") {
        return None;
    }
    let clean = |w: &str| w.trim_matches(|c| matches!(c, '(' | ')' | ',')).to_string();
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = clean(words.first()?);
    if first.is_empty() || first == "?" || words.get(1) == Some(&"/") {
        return None;
    }
    let second = words
        .get(1)
        .filter(|w| !w.starts_with('?') && !w.starts_with('('))
        .map(|w| clean(w));
    if first.chars().next().is_some_and(char::is_lowercase) {
        return Some((None, Some(first)));
    }
    Some((Some(first), second))
}

#[test]
fn kazakh_letters_per_scheme() {
    let Ok(md) = std::fs::read_to_string(MD) else {
        println!("skipping: {MD} not found");
        return;
    };
    let rows: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| Cyr"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        rows.len(),
        18,
        "the first table of kazakh_latin.md has 18 letter rows"
    );
    let (mut verified, mut as_given, mut ours) = (0, 0, 0);
    let mut failures = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let mut cyr = cells[0].split_whitespace();
        let (upper, lower) = (
            cyr.next().expect("upper letter"),
            cyr.next().expect("lower letter"),
        );
        let lower_char = lower.chars().next().expect("letter");
        for (cell, scheme) in cells[1..].iter().zip(COLUMNS) {
            let Some(scheme) = scheme else { continue };
            let unverified = cell.contains('?');
            let st = status(scheme, lower_char);
            if !unverified && st != "V" {
                failures.push(format!(
                    "{scheme} {lower}: verified in the file but status {st} in our table"
                ));
            }
            if unverified && st == "V" {
                failures.push(format!(
                    "{scheme} {lower}: unverified in the file but marked V in our table"
                ));
            }
            let Some((want_upper, want_lower)) = cell_forms(cell) else {
                if unverified {
                    ours += 1;
                }
                continue;
            };
            if unverified && st != "?" {
                // The file's guess is not what we use: our own choice, explained in tables/README.md.
                ours += 1;
                continue;
            }
            let got_upper = transliterate(upper, scheme);
            let got_lower = transliterate(lower, scheme);
            // The passport column is written in capitals only ("ZH").
            let upper_ok = match (&want_upper, &want_lower) {
                (None, _) => true,
                (Some(u), None) => got_upper.to_uppercase() == *u || got_upper == *u,
                (Some(u), Some(_)) => got_upper == *u,
            };
            let lower_ok = want_lower.as_ref().is_none_or(|l| got_lower == *l);
            if !(upper_ok && lower_ok) {
                failures.push(format!("{scheme} {upper} {lower}: want {want_upper:?} {want_lower:?}, got {got_upper:?} {got_lower:?}"));
            }
            if unverified {
                as_given += 1
            } else {
                verified += 1
            }
        }
    }
    println!(
        "kazakh_latin.md: {verified} verified cells exact, {as_given} unverified cells used as given, {ours} unverified cells replaced by our choice"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        verified >= 80,
        "only {verified} verified cells were checked"
    );
}

#[test]
fn both_spellings_of_ng_2021_are_read() {
    // kazakh_latin.md: keep both Ñ and Ŋ (Jan 2021 revision) as accepted inputs.
    assert_eq!(qantar_names::key("Jañaözen"), qantar_names::key("Jaŋaözen"));
    assert_eq!(qantar_names::key("Jaŋaözen"), qantar_names::key("Жаңаөзен"));
}
