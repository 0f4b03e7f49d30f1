//! Comparisons: for each field, the agreement level of two records.
//!
//! Every comparison returns a small level number. Level 0 is "missing" (one
//! side has no value) and contributes nothing to the match weight; level 1
//! is "different"; higher levels are stronger agreement. The levels are
//! categories for the Fellegi–Sunter model, which learns the weight of each,
//! so their number and meaning matter more than their order; the order only
//! decides which level a pair gets when several would fit (the first that
//! fits, from strongest down).

use qantar_names::{Key, jaro_winkler};
use serde::Serialize;

use crate::record::{Record, Sex};

/// One comparison of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "index")]
pub enum ComparisonKind {
    Surname,
    Given,
    Patronymic,
    BirthDate,
    Sex,
    Place,
    Address,
    Postcode,
    IdNumber,
    EventDate,
    /// The n-th `text:` field.
    Text(u8),
}

const SURNAME_LEVELS: &[&str] = &[
    "missing",
    "different",
    "similar (Jaro-Winkler >= 0.80)",
    "close (Jaro-Winkler >= 0.92)",
    "matches the other's given name (swapped)",
    "same key, different spelling",
    "same spelling",
];
const GIVEN_LEVELS: &[&str] = &[
    "missing",
    "different",
    "similar (Jaro-Winkler >= 0.80)",
    "initial fits",
    "close (Jaro-Winkler >= 0.92)",
    "matches the other's surname (swapped)",
    "same key, different spelling",
    "same spelling",
];
const PATRONYMIC_LEVELS: &[&str] = &[
    "missing",
    "different",
    "initial fits",
    "close (Jaro-Winkler >= 0.88)",
    "same father's name",
];
const BIRTH_LEVELS: &[&str] = &[
    "missing",
    "different",
    "year within 1 (one side has only a year or an age)",
    "same year",
    "one typo or day and month swapped",
    "same date",
];
const SEX_LEVELS: &[&str] = &["missing", "different", "same"];
const PLACE_LEVELS: &[&str] = &[
    "missing",
    "different",
    "same region, different locality",
    "similar spelling",
    "one place contains the other",
    "same place",
];
const ADDRESS_LEVELS: &[&str] = &[
    "missing",
    "different",
    "half the words shared",
    "close (Jaro-Winkler >= 0.90)",
    "same",
];
const POSTCODE_LEVELS: &[&str] = &["missing", "different", "one character differs", "same"];
const ID_LEVELS: &[&str] = &["missing", "different", "two typos", "one typo", "same"];
const EVENT_LEVELS: &[&str] = &[
    "missing",
    "different",
    "within 30 days",
    "within 3 days",
    "same date",
];
const TEXT_LEVELS: &[&str] = &[
    "missing",
    "different",
    "similar (Jaro-Winkler >= 0.80)",
    "close (Jaro-Winkler >= 0.92)",
    "same",
];

/// Which record value a comparison's term frequency is counted on, and the
/// slot of that count in [`Record`]'s term counts.
pub(crate) const TF_SURNAME: usize = 0;
pub(crate) const TF_GIVEN: usize = 1;
pub(crate) const TF_PLACE: usize = 2;
pub(crate) const TF_POSTCODE: usize = 3;
pub(crate) const TF_TEXT0: usize = 4;

impl ComparisonKind {
    /// The field's name as users map it.
    pub fn field_name(&self) -> String {
        match self {
            ComparisonKind::Surname => "surname".into(),
            ComparisonKind::Given => "given".into(),
            ComparisonKind::Patronymic => "patronymic".into(),
            ComparisonKind::BirthDate => "birth_date".into(),
            ComparisonKind::Sex => "sex".into(),
            ComparisonKind::Place => "place".into(),
            ComparisonKind::Address => "address".into(),
            ComparisonKind::Postcode => "postcode".into(),
            ComparisonKind::IdNumber => "id_number".into(),
            ComparisonKind::EventDate => "event_date".into(),
            ComparisonKind::Text(i) => format!("text:{i}"),
        }
    }

    /// Labels of the levels, index = level.
    pub fn level_labels(&self) -> &'static [&'static str] {
        match self {
            ComparisonKind::Surname => SURNAME_LEVELS,
            ComparisonKind::Given => GIVEN_LEVELS,
            ComparisonKind::Patronymic => PATRONYMIC_LEVELS,
            ComparisonKind::BirthDate => BIRTH_LEVELS,
            ComparisonKind::Sex => SEX_LEVELS,
            ComparisonKind::Place => PLACE_LEVELS,
            ComparisonKind::Address => ADDRESS_LEVELS,
            ComparisonKind::Postcode => POSTCODE_LEVELS,
            ComparisonKind::IdNumber => ID_LEVELS,
            ComparisonKind::EventDate => EVENT_LEVELS,
            ComparisonKind::Text(_) => TEXT_LEVELS,
        }
    }

    /// Number of levels including "missing".
    pub fn level_count(&self) -> usize {
        self.level_labels().len()
    }

    /// The lowest level that a term-frequency adjustment applies to (the
    /// levels where both sides have the same value, up to spelling), and
    /// the record's term-count slot.
    pub(crate) fn tf_slot(&self) -> Option<(u8, usize)> {
        match self {
            ComparisonKind::Surname => Some((5, TF_SURNAME)),
            ComparisonKind::Given => Some((6, TF_GIVEN)),
            ComparisonKind::Place => Some((5, TF_PLACE)),
            ComparisonKind::Postcode => Some((3, TF_POSTCODE)),
            ComparisonKind::Text(i) => Some((4, TF_TEXT0 + usize::from(*i))),
            _ => None,
        }
    }

    /// Does this record have a value for the field?
    pub(crate) fn present(&self, r: &Record) -> bool {
        match self {
            ComparisonKind::Surname => !r.name.surname.is_empty(),
            ComparisonKind::Given => !r.name.given.is_empty() || r.name.given_initial.is_some(),
            ComparisonKind::Patronymic => {
                !r.name.patronymic.is_empty() || r.name.patronymic_initial.is_some()
            }
            ComparisonKind::BirthDate => r.birth.is_some(),
            ComparisonKind::Sex => r.sex != Sex::Unknown,
            ComparisonKind::Place => r.place.is_some(),
            ComparisonKind::Address => r.address.is_some(),
            ComparisonKind::Postcode => r.postcode.is_some(),
            ComparisonKind::IdNumber => r.id_number.is_some(),
            ComparisonKind::EventDate => r.event.is_some(),
            ComparisonKind::Text(i) => r.texts.get(usize::from(*i)).is_some_and(Option::is_some),
        }
    }

    /// The agreement level of two records on this field.
    pub fn level(&self, a: &Record, b: &Record) -> u8 {
        match self {
            ComparisonKind::Surname => surname_level(a, b),
            ComparisonKind::Given => given_level(a, b),
            ComparisonKind::Patronymic => patronymic_level(a, b),
            ComparisonKind::BirthDate => birth_level(a, b),
            ComparisonKind::Sex => match (a.sex, b.sex) {
                (Sex::Unknown, _) | (_, Sex::Unknown) => 0,
                (x, y) if x == y => 2,
                _ => 1,
            },
            ComparisonKind::Place => place_level(a, b),
            ComparisonKind::Address => match (&a.address, &b.address) {
                (Some(x), Some(y)) => address_level(x, y),
                _ => 0,
            },
            ComparisonKind::Postcode => match (&a.postcode, &b.postcode) {
                (Some(x), Some(y)) if x == y => 3,
                (Some(x), Some(y)) if osa_within(x.as_bytes(), y.as_bytes(), 1) => 2,
                (Some(_), Some(_)) => 1,
                _ => 0,
            },
            ComparisonKind::IdNumber => match (&a.id_number, &b.id_number) {
                (Some(x), Some(y)) if x == y => 4,
                (Some(x), Some(y)) if osa_within(x.as_bytes(), y.as_bytes(), 1) => 3,
                (Some(x), Some(y)) if osa_within(x.as_bytes(), y.as_bytes(), 2) => 2,
                (Some(_), Some(_)) => 1,
                _ => 0,
            },
            ComparisonKind::EventDate => match (a.event, b.event) {
                (Some(x), Some(y)) if x == y => 4,
                (Some(x), Some(y)) => match (x.day_number(), y.day_number()) {
                    (Some(p), Some(q)) if (p - q).abs() <= 3 => 3,
                    (Some(p), Some(q)) if (p - q).abs() <= 30 => 2,
                    _ => 1,
                },
                _ => 0,
            },
            ComparisonKind::Text(i) => {
                let i = usize::from(*i);
                match (a.texts.get(i), b.texts.get(i)) {
                    (Some(Some(x)), Some(Some(y))) => text_level(x, y),
                    _ => 0,
                }
            }
        }
    }
}

fn same_key(a: &Key, b: &Key) -> bool {
    !a.is_empty() && a == b
}

fn jw(a: &Key, b: &Key) -> f64 {
    jaro_winkler(a.as_bytes(), b.as_bytes())
}

fn surname_level(a: &Record, b: &Record) -> u8 {
    let (x, y) = (&a.name.surname, &b.name.surname);
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    if a.surname_spelling == b.surname_spelling && a.surname_spelling != 0 {
        return 6;
    }
    if x == y {
        return 5;
    }
    if same_key(x, &b.name.given) && same_key(&a.name.given, y) {
        return 4;
    }
    let s = jw(x, y);
    if s >= 0.92 {
        3
    } else if s >= 0.80 {
        2
    } else {
        1
    }
}

fn given_level(a: &Record, b: &Record) -> u8 {
    let (x, y) = (&a.name.given, &b.name.given);
    if !x.is_empty() && !y.is_empty() {
        if a.given_spelling == b.given_spelling && a.given_spelling != 0 {
            return 7;
        }
        if x == y {
            return 6;
        }
        if same_key(x, &b.name.surname) && same_key(&a.name.surname, y) {
            return 5;
        }
        let s = jw(x, y);
        return if s >= 0.92 {
            4
        } else if s >= 0.80 {
            2
        } else {
            1
        };
    }
    // One side (or both) has only an initial.
    match (a.name.given_initial, b.name.given_initial) {
        (Some(p), Some(q)) if p == q => 3,
        (Some(_), Some(_)) => 1,
        _ => 0,
    }
}

fn patronymic_level(a: &Record, b: &Record) -> u8 {
    let (x, y) = (&a.name.patronymic, &b.name.patronymic);
    if !x.is_empty() && !y.is_empty() {
        if x == y {
            return 4;
        }
        return if jw(x, y) >= 0.88 { 3 } else { 1 };
    }
    match (a.name.patronymic_initial, b.name.patronymic_initial) {
        (Some(p), Some(q)) if p == q => 2,
        (Some(_), Some(_)) => 1,
        _ => 0,
    }
}

fn birth_level(a: &Record, b: &Record) -> u8 {
    let (Some(x), Some(y)) = (a.birth, b.birth) else {
        return 0;
    };
    let full = |d: &crate::record::PartialDate| d.month.is_some() && d.day.is_some();
    if full(&x) && full(&y) {
        if x == y {
            5
        } else if x.one_typo_from(&y) {
            4
        } else if x.year == y.year {
            3
        } else {
            1
        }
    } else {
        let approx = a.birth_year_approx || b.birth_year_approx;
        let dy = (i32::from(x.year) - i32::from(y.year)).abs();
        let months_clash = matches!((x.month, y.month), (Some(p), Some(q)) if p != q);
        if dy == 0 && !approx && !months_clash {
            3
        } else if dy <= 1 && approx {
            2
        } else {
            1
        }
    }
}

fn place_level(a: &Record, b: &Record) -> u8 {
    let (Some(x), Some(y)) = (&a.place, &b.place) else {
        return 0;
    };
    if x.levels == y.levels {
        return 5;
    }
    let (short, long) = if x.levels.len() <= y.levels.len() {
        (&x.levels, &y.levels)
    } else {
        (&y.levels, &x.levels)
    };
    // "Almaty" and "Almaty Region > Almaty": the shorter path names the
    // longer one's locality or one of its ancestors.
    if long.starts_with(short) || (short.len() == 1 && long.contains(&short[0])) {
        return 4;
    }
    if jaro_winkler(x.leaf.as_bytes(), y.leaf.as_bytes()) >= 0.90 {
        return 3;
    }
    if x.levels.len() >= 2 && y.levels.len() >= 2 && x.levels[0] == y.levels[0] {
        return 2;
    }
    1
}

fn address_level(x: &str, y: &str) -> u8 {
    if x == y {
        return 4;
    }
    if jaro_winkler(x.as_bytes(), y.as_bytes()) >= 0.90 {
        return 3;
    }
    // Word overlap: the words of the shorter address found in the longer.
    let (nx, ny) = (x.split(' ').count(), y.split(' ').count());
    let (short, long, long_len) = if nx <= ny { (x, y, ny) } else { (y, x, nx) };
    let shared = short
        .split(' ')
        .filter(|w| long.split(' ').any(|v| v == *w))
        .count();
    if shared * 2 >= long_len.max(1) { 2 } else { 1 }
}

fn text_level(x: &str, y: &str) -> u8 {
    if x == y {
        return 4;
    }
    let s = jaro_winkler(x.as_bytes(), y.as_bytes());
    if s >= 0.92 {
        3
    } else if s >= 0.80 {
        2
    } else {
        1
    }
}

/// Optimal string alignment distance (Damerau with adjacent swaps) of two
/// byte strings is at most `k`. Allocation free for strings up to 63 bytes;
/// longer ones compare their first 63.
pub(crate) fn osa_within(a: &[u8], b: &[u8], k: usize) -> bool {
    let a = &a[..a.len().min(63)];
    let b = &b[..b.len().min(63)];
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    let (n, m) = (a.len(), b.len());
    // Three rolling rows; only the first m + 1 cells of each are used.
    let mut rows = [[0usize; 64]; 3];
    for (j, p) in rows[1].iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    let (mut r2, mut r1, mut r0) = (2usize, 1usize, 0usize);
    for i in 1..=n {
        rows[r0][0] = i;
        let mut row_min = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[r1][j] + 1)
                .min(rows[r0][j - 1] + 1)
                .min(rows[r1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[r2][j - 2] + 1);
            }
            rows[r0][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > k {
            return false;
        }
        (r2, r1, r0) = (r1, r0, r2);
    }
    rows[r1][m] <= k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{RecordInput, prepare};

    fn rec(f: impl FnOnce(&mut RecordInput)) -> Record {
        let mut i = RecordInput {
            id: "r".into(),
            ..RecordInput::default()
        };
        f(&mut i);
        prepare(&i, 2022, &mut Vec::new())
    }

    fn named(given: &str, surname: &str) -> Record {
        rec(|i| {
            i.given = Some(given.into());
            i.surname = Some(surname.into());
        })
    }

    #[test]
    fn name_levels_across_scripts() {
        let a = named("Жомарт", "Байтхан");
        let label = |k: ComparisonKind, b: &Record| k.level_labels()[usize::from(k.level(&a, b))];
        assert_eq!(
            label(ComparisonKind::Surname, &named("Жомарт", "Байтхан")),
            "same spelling"
        );
        let latin = named("Zhomart", "Baytkhan");
        assert_eq!(
            label(ComparisonKind::Surname, &latin),
            "same key, different spelling"
        );
        assert_eq!(
            label(ComparisonKind::Given, &latin),
            "same key, different spelling"
        );
        let swapped = named("Байтхан", "Жомарт");
        assert_eq!(
            label(ComparisonKind::Given, &swapped),
            "matches the other's surname (swapped)"
        );
        let typo = named("Жомарт", "Байтхна");
        assert!(ComparisonKind::Surname.level(&a, &typo) >= 2);
        let other = named("Айнур", "Сапарова");
        assert_eq!(label(ComparisonKind::Surname, &other), "different");
        assert_eq!(label(ComparisonKind::Given, &other), "different");
        let initial = rec(|i| i.full_name = Some("Ж. Байтхан".into()));
        assert_eq!(label(ComparisonKind::Given, &initial), "initial fits");
        let none = rec(|_| {});
        assert_eq!(label(ComparisonKind::Surname, &none), "missing");
    }

    #[test]
    fn birth_levels() {
        let b = |s: &str| rec(|i| i.birth_date = Some(s.into()));
        let a = b("1985-03-07");
        let l = |x: &Record| ComparisonKind::BirthDate.level(&a, x);
        assert_eq!(l(&b("07.03.1985")), 5);
        assert_eq!(l(&b("1985-03-08")), 4);
        assert_eq!(l(&b("1985-07-03")), 4, "day and month swapped");
        assert_eq!(l(&b("1985-11-20")), 3);
        assert_eq!(l(&b("1990-11-20")), 1);
        assert_eq!(l(&b("1985")), 3);
        let aged = rec(|i| i.age = Some("36".into()));
        assert_eq!(l(&aged), 2, "an age gives the year within one");
        let old = rec(|i| i.age = Some("60".into()));
        assert_eq!(l(&old), 1);
        assert_eq!(l(&rec(|_| {})), 0);
    }

    #[test]
    fn place_hierarchy_levels() {
        let p = |s: &str| rec(|i| i.place = Some(s.into()));
        let a = p("Almaty Region > Talgar");
        let l = |x: &Record| ComparisonKind::Place.level(&a, x);
        assert_eq!(l(&p("almaty region>talgar")), 5);
        assert_eq!(l(&p("Talgar")), 4);
        assert_eq!(l(&p("Almaty Region")), 4);
        assert_eq!(l(&p("Almaty Region > Talgor")), 3);
        assert_eq!(l(&p("Талгар")), 4, "the same place in Cyrillic");
        assert_eq!(l(&p("Almaty Region > Esik")), 2);
        assert_eq!(l(&p("Mangystau Region > Zhanaozen")), 1);
    }

    #[test]
    fn identity_numbers_and_typos() {
        assert!(osa_within(b"5304218", b"5304218", 0));
        assert!(osa_within(b"5304218", b"5302418", 1), "adjacent swap");
        assert!(osa_within(b"5304218", b"530418", 1), "deletion");
        assert!(!osa_within(b"5304218", b"5403128", 1));
        assert!(osa_within(b"5304218", b"5403218", 2));
        let id = |s: &str| rec(|i| i.id_number = Some(s.into()));
        assert_eq!(
            ComparisonKind::IdNumber.level(&id("530 4218"), &id("5304218")),
            4
        );
        assert_eq!(
            ComparisonKind::IdNumber.level(&id("5304218"), &id("5304281")),
            3
        );
        assert_eq!(
            ComparisonKind::IdNumber.level(&id("5304218"), &id("9999999")),
            1
        );
    }

    #[test]
    fn address_and_text_levels() {
        assert_eq!(
            address_level("8 stanley street miami", "8 stanley street miami"),
            4
        );
        assert_eq!(
            address_level("8 stanley street miami", "8 stanley setreet miami"),
            3
        );
        assert_eq!(
            address_level("miami 8 stanley street", "8 stanley street"),
            2
        );
        assert_eq!(address_level("8 stanley street", "41 wattle avenue"), 1);
        assert_eq!(text_level("robert255 smith net", "robert255 smith net"), 4);
        assert_eq!(text_level("abc", "xyz"), 1);
    }

    #[test]
    fn every_level_has_a_label() {
        for k in [
            ComparisonKind::Surname,
            ComparisonKind::Given,
            ComparisonKind::Patronymic,
            ComparisonKind::BirthDate,
            ComparisonKind::Sex,
            ComparisonKind::Place,
            ComparisonKind::Address,
            ComparisonKind::Postcode,
            ComparisonKind::IdNumber,
            ComparisonKind::EventDate,
            ComparisonKind::Text(0),
        ] {
            assert!(k.level_count() <= 15, "{k:?} must fit in four bits");
            if let Some((level, _)) = k.tf_slot() {
                assert!(usize::from(level) < k.level_count(), "{k:?}");
                assert!(
                    k.level_labels()[usize::from(level)].starts_with("same"),
                    "{k:?}"
                );
            }
        }
    }
}
