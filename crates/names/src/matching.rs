//! Match keys of a whole name, blocking keys, and the comparison of two names.

use crate::error::NameError;
use crate::key::{Key, Role, Scratch};
use crate::normalize::normalize;
use crate::parse::{Gender, ParsedName, parse};

/// The keys of one name, computed once per record and compared many times.
/// Every field is inline (no heap), so a `NameKeys` is cheap to copy and a
/// comparison touches only these bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NameKeys {
    /// Key of the given name(s), all words together ("kasimjomart").
    pub given: Key,
    /// Key of the surname without its gender ending (Baitkhanova → baithan).
    pub surname: Key,
    /// Key of the father's name read from the patronymic (Кайратович → kairat).
    pub patronymic: Key,
    /// First letter of the given name's key, or of its written initial.
    pub given_initial: Option<u8>,
    /// First letter of the patronymic's key, or of its written initial.
    pub patronymic_initial: Option<u8>,
    /// The sex the name shows.
    pub gender: Gender,
    /// Hash of the normalised spelling of the parts: equal hashes mean the
    /// same spelling, which is [`NameAgreement::Exact`]. 0 when empty.
    pub spelling: u64,
}

/// FNV-1a: small, stable across runs and platforms, no dependency.
fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Compute the keys of a parsed name.
///
/// ```
/// use qantar_names::{keys, parse};
/// let a = keys(&parse("Жомарт Байтхан").unwrap());
/// let b = keys(&parse("Zhomart Baytkhan").unwrap());
/// assert_eq!((a.given, a.surname), (b.given, b.surname));
/// assert_eq!(a.surname.as_str(), "baithan");
/// ```
pub fn keys(name: &ParsedName) -> NameKeys {
    let mut scratch = Scratch::default();
    let mut k = NameKeys::default();
    if let Some(g) = &name.given {
        k.given = scratch.part_key(g, Role::Plain).0;
    }
    if let Some(s) = &name.surname {
        k.surname = scratch.part_key(s, Role::Surname).0;
    }
    if let Some(p) = &name.patronymic {
        k.patronymic = scratch.part_key(p, Role::Patronymic).0;
    }
    let initial_of = |scratch: &mut Scratch, s: &Option<String>| {
        s.as_ref()
            .and_then(|i| scratch.part_key(i, Role::Plain).0.first())
    };
    k.given_initial = k
        .given
        .first()
        .or_else(|| initial_of(&mut scratch, &name.given_initial));
    k.patronymic_initial = k
        .patronymic
        .first()
        .or_else(|| initial_of(&mut scratch, &name.patronymic_initial));
    k.gender = name.gender;
    let mut h = FNV_OFFSET;
    let mut any = false;
    for part in [
        &name.given,
        &name.surname,
        &name.patronymic,
        &name.given_initial,
        &name.patronymic_initial,
    ] {
        if let Some(p) = part {
            h = fnv1a(normalize(p).as_bytes(), h);
            any = true;
        }
        h = fnv1a(&[0x1f], h);
    }
    k.spelling = if any { h.max(1) } else { 0 };
    k
}

/// Parse and compute keys in one step.
pub fn keys_of(s: &str) -> Result<NameKeys, NameError> {
    Ok(keys(&parse(s)?))
}

/// A blocking key: names that share one are compared in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockKey(pub u64);

/// The blocking keys of a name. Use one or several passes; each is a
/// `u64` so that it sorts and hashes quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BlockingKeys {
    /// First three letters of the surname key.
    pub surname_prefix: Option<BlockKey>,
    /// First three letters of the given-name key, in the same space as
    /// `surname_prefix`: a name with given name and surname swapped meets
    /// its twin here.
    pub given_prefix: Option<BlockKey>,
    /// The given-name and surname keys as an unordered pair: catches swaps
    /// with far fewer candidates than the prefixes.
    pub parts: Option<BlockKey>,
    /// Surname key plus the given name's initial: "Ж. Байтхан" meets
    /// "Жомарт Байтхан".
    pub surname_initial: Option<BlockKey>,
}

fn prefix_block(k: &Key) -> Option<BlockKey> {
    if k.is_empty() {
        return None;
    }
    let b = k.as_bytes();
    let mut v: u64 = 1 << 56; // kind tag: part prefix
    for (i, &c) in b.iter().take(3).enumerate() {
        v |= u64::from(c) << (8 * (2 - i));
    }
    Some(BlockKey(v))
}

impl NameKeys {
    /// True when there is nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
            && self.surname.is_empty()
            && self.patronymic.is_empty()
            && self.given_initial.is_none()
    }

    /// The blocking keys of this name.
    pub fn blocking_keys(&self) -> BlockingKeys {
        let parts = if self.given.is_empty() && self.surname.is_empty() {
            None
        } else {
            let (lo, hi) = if self.given <= self.surname {
                (self.given, self.surname)
            } else {
                (self.surname, self.given)
            };
            let h = fnv1a(
                hi.as_bytes(),
                fnv1a(&[0x1f], fnv1a(lo.as_bytes(), FNV_OFFSET)),
            );
            Some(BlockKey((2 << 56) | (h >> 8)))
        };
        let surname_initial = match (self.surname.is_empty(), self.given_initial) {
            (false, Some(i)) => {
                let h = fnv1a(&[i], fnv1a(self.surname.as_bytes(), FNV_OFFSET));
                Some(BlockKey((3 << 56) | (h >> 8)))
            }
            _ => None,
        };
        BlockingKeys {
            surname_prefix: prefix_block(&self.surname),
            given_prefix: prefix_block(&self.given),
            parts,
            surname_initial,
        }
    }
}

/// How well two names agree, from strongest to weakest. The order of the
/// variants is the order of strength (`Exact < Different` in `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameAgreement {
    /// The same spelling, part by part, after normalisation.
    Exact,
    /// Different spellings with the same keys (Жомарт Байтхан / Zhomart
    /// Baytkhan, Ainur Baitkhanova / Айнур Байтханова).
    SameKeysDifferentSpelling,
    /// The same keys with given name and surname swapped
    /// (Baitkhan Zhomart / Жомарт Байтхан).
    Swapped,
    /// Same surname; one side gives only an initial that fits the other's
    /// given name (Ж. Байтхан / Жомарт Байтхан). Weaker: many people share it.
    InitialCompatible,
    /// One side has a single part (only a surname or only a given name) and
    /// it equals one of the other's parts.
    Partial,
    /// Keys differ but are close ([`SIMILAR_THRESHOLD`] or more).
    Similar,
    /// Not the same name.
    Different,
    /// One side has no name to compare.
    Missing,
}

/// Jaro–Winkler similarity from which two names count as
/// [`NameAgreement::Similar`].
pub const SIMILAR_THRESHOLD: f64 = 0.88;

/// The result of [`compare`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// The agreement level.
    pub agreement: NameAgreement,
    /// Jaro–Winkler similarity of the keys in [0, 1], taking the better of
    /// the direct and the swapped reading and weighting the surname most.
    pub similarity: f64,
    /// Both names show a sex and they differ (Иванов / Иванова). Such pairs
    /// are never better than `Similar`: they are usually relatives.
    pub gender_conflict: bool,
}

/// Jaro–Winkler similarity of two byte strings (at most 64 bytes are
/// read), with the usual prefix scale 0.1 over at most 4 bytes and the
/// boost applied above a Jaro score of 0.7. Allocation free: matching uses
/// one bit mask of positions per letter, so a pair of keys costs a few dozen
/// instructions.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    // Greedy matching can depend on which string leads; a fixed order keeps
    // the measure symmetric.
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    // Positions of each byte in b, bucketed by the low five bits (exact for
    // ASCII letters; other bytes are checked before they count).
    let mut positions = [0u64; 32];
    for (j, &c) in b.iter().enumerate() {
        positions[(c & 31) as usize] |= 1 << j;
    }
    let full = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let (mut flags_a, mut flags_b) = (0u64, 0u64);
    let mut matches = 0u32;
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        let in_window = full(hi) & !full(lo);
        let mut candidates = positions[(c & 31) as usize] & in_window & !flags_b;
        while candidates != 0 {
            let j = candidates.trailing_zeros() as usize;
            if b[j] == c {
                flags_a |= 1 << i;
                flags_b |= 1 << j;
                matches += 1;
                break;
            }
            candidates &= candidates - 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Count matched bytes that are out of order.
    let mut transpositions = 0u32;
    let (mut fa, mut fb) = (flags_a, flags_b);
    while fa != 0 {
        let i = fa.trailing_zeros() as usize;
        let j = fb.trailing_zeros() as usize;
        if a[i] != b[j] {
            transpositions += 1;
        }
        fa &= fa - 1;
        fb &= fb - 1;
    }
    let m = f64::from(matches);
    let jaro =
        (m / a.len() as f64 + m / b.len() as f64 + (m - f64::from(transpositions) / 2.0) / m) / 3.0;
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

fn same(a: &Key, b: &Key) -> bool {
    !a.is_empty() && a == b
}

/// Similarity part by part: surname weighs most, an initial least.
fn direct_similarity(a: &NameKeys, b: &NameKeys) -> f64 {
    let (mut total, mut weight) = (0.0, 0.0);
    if !a.surname.is_empty() && !b.surname.is_empty() {
        total += 0.6 * jaro_winkler(a.surname.as_bytes(), b.surname.as_bytes());
        weight += 0.6;
    }
    if !a.given.is_empty() && !b.given.is_empty() {
        total += 0.4 * jaro_winkler(a.given.as_bytes(), b.given.as_bytes());
        weight += 0.4;
    } else if let (Some(x), Some(y)) = (a.given_initial, b.given_initial) {
        // An initial tells little: it counts for less.
        total += if x == y { 0.15 } else { 0.0 };
        weight += 0.15;
    }
    if weight == 0.0 { 0.0 } else { total / weight }
}

/// Similarity with given name and surname swapped; both crossings must be
/// present, and they weigh the same so that the measure stays symmetric.
fn swapped_similarity(a: &NameKeys, b: &NameKeys) -> f64 {
    let parts = [&a.given, &a.surname, &b.given, &b.surname];
    if parts.iter().any(|k| k.is_empty()) {
        return 0.0;
    }
    0.5 * jaro_winkler(a.given.as_bytes(), b.surname.as_bytes())
        + 0.5 * jaro_winkler(a.surname.as_bytes(), b.given.as_bytes())
}

fn patronymics_agree(a: &NameKeys, b: &NameKeys) -> bool {
    match (a.patronymic.is_empty(), b.patronymic.is_empty()) {
        (false, false) => a.patronymic == b.patronymic,
        _ => match (a.patronymic_initial, b.patronymic_initial) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        },
    }
}

/// Does an initial-only given name on one side fit the other's given name?
fn initial_fits(a_given: &Key, a_init: Option<u8>, b_given: &Key, b_init: Option<u8>) -> bool {
    let a_only_initial = a_given.is_empty() && a_init.is_some();
    let b_only_initial = b_given.is_empty() && b_init.is_some();
    (a_only_initial || b_only_initial) && a_init.is_some() && a_init == b_init
}

/// Compare two names. Allocation free; meant to be called for millions of
/// candidate pairs.
///
/// ```
/// use qantar_names::{compare, keys_of, NameAgreement};
/// let a = keys_of("Жомарт Байтхан").unwrap();
/// for (other, level) in [
///     ("Жомарт Байтхан", NameAgreement::Exact),
///     ("Zhomart Baytkhan", NameAgreement::SameKeysDifferentSpelling),
///     ("Baitkhan Zhomart", NameAgreement::SameKeysDifferentSpelling),
///     ("Ж. Байтхан", NameAgreement::InitialCompatible),
///     ("Ainur Baitkhanova", NameAgreement::Different),
/// ] {
///     assert_eq!(compare(&a, &keys_of(other).unwrap()).agreement, level, "{other}");
/// }
/// ```
pub fn compare(a: &NameKeys, b: &NameKeys) -> Comparison {
    if a.is_empty() || b.is_empty() {
        return Comparison {
            agreement: NameAgreement::Missing,
            similarity: 0.0,
            gender_conflict: false,
        };
    }
    let gender_conflict =
        a.gender != Gender::Unknown && b.gender != Gender::Unknown && a.gender != b.gender;
    let direct = direct_similarity(a, b);
    let similarity = direct.max(swapped_similarity(a, b));
    let patr = patronymics_agree(a, b);

    let mut agreement = if a.spelling != 0 && a.spelling == b.spelling {
        NameAgreement::Exact
    } else if same(&a.given, &b.given) && same(&a.surname, &b.surname) {
        NameAgreement::SameKeysDifferentSpelling
    } else if same(&a.given, &b.surname) && same(&a.surname, &b.given) {
        NameAgreement::Swapped
    } else if (same(&a.surname, &b.surname)
        && initial_fits(&a.given, a.given_initial, &b.given, b.given_initial))
        || (same(&a.surname, &b.given)
            && initial_fits(&a.given, a.given_initial, &b.surname, b.surname.first()))
        || (same(&a.given, &b.surname)
            && initial_fits(&a.surname, a.surname.first(), &b.given, b.given_initial))
    {
        NameAgreement::InitialCompatible
    } else if partial(a, b) || partial(b, a) {
        NameAgreement::Partial
    } else if similarity >= SIMILAR_THRESHOLD {
        NameAgreement::Similar
    } else {
        NameAgreement::Different
    };
    // Same names but different fathers, or different sexes: namesakes or
    // relatives, at best similar.
    if (!patr || gender_conflict) && agreement < NameAgreement::Similar {
        agreement = NameAgreement::Similar;
    }
    Comparison {
        agreement,
        similarity,
        gender_conflict,
    }
}

/// `a` has a single full part, and `b` has it too.
fn partial(a: &NameKeys, b: &NameKeys) -> bool {
    let single = match (
        a.given.is_empty(),
        a.surname.is_empty(),
        a.given_initial.is_some() && a.given.is_empty(),
    ) {
        (true, false, false) => a.surname,
        (false, true, _) => a.given,
        _ => return false,
    };
    same(&single, &b.given) || same(&single, &b.surname)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Comparison {
        let ka = keys_of(a).unwrap_or_else(|e| panic!("{a}: {e}"));
        let kb = keys_of(b).unwrap_or_else(|e| panic!("{b}: {e}"));
        let ab = compare(&ka, &kb);
        let ba = compare(&kb, &ka);
        assert_eq!(
            ab.agreement, ba.agreement,
            "compare must be symmetric: {a} / {b}"
        );
        assert!((ab.similarity - ba.similarity).abs() < 1e-9, "{a} / {b}");
        ab
    }

    #[test]
    fn jaro_winkler_reference_values() {
        // Classic values from Winkler's papers (MARTHA/MARHTA 0.961,
        // DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.813).
        assert!((jaro_winkler(b"MARTHA", b"MARHTA") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler(b"DWAYNE", b"DUANE") - 0.84).abs() < 1e-3);
        assert!((jaro_winkler(b"DIXON", b"DICKSONX") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler(b"", b""), 1.0);
        assert_eq!(jaro_winkler(b"abc", b""), 0.0);
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
    }

    #[test]
    fn levels() {
        use NameAgreement::*;
        assert_eq!(cmp("Жомарт Байтхан", "Жомарт Байтхан").agreement, Exact);
        assert_eq!(
            cmp("Жомарт Байтхан", "Jomart Baitkhan").agreement,
            SameKeysDifferentSpelling
        );
        assert_eq!(
            cmp("Baitkhan Zhomart", "Жомарт Байтхан").agreement,
            SameKeysDifferentSpelling
        );
        // Two unknown words: the parser cannot tell the order, so a swap shows.
        assert_eq!(cmp("Сабит Ракай", "Ракай Сабит").agreement, Swapped);
        assert_eq!(
            cmp("Ж. Байтхан", "Zhomart Baitkhan").agreement,
            InitialCompatible
        );
        assert_eq!(cmp("Байтхан", "Zhomart Baitkhan").agreement, Partial);
        assert_eq!(cmp("Baurzhan Sabit", "Bauyrzhan Sabit").agreement, Similar);
        assert_eq!(
            cmp("Ruslan Kemelbayev", "Ruslan Usabayev").agreement,
            Different
        );
        assert_eq!(
            cmp("Ruslan Usabayev", "Elmira Usabayeva").agreement,
            Different
        );
        assert_eq!(
            compare(&NameKeys::default(), &keys_of("Нурбол").unwrap()).agreement,
            Missing
        );
    }

    #[test]
    fn patronymic_and_gender_conflicts_cap_at_similar() {
        let c = cmp("Абдрешев Ермек Серикович", "Абдрешев Ермек Кайратович");
        assert_eq!(c.agreement, NameAgreement::Similar);
        let c = cmp("Саша Иванов", "Саша Иванова");
        assert!(c.gender_conflict);
        assert_eq!(c.agreement, NameAgreement::Similar);
        // Missing patronymic on one side is no conflict.
        assert_eq!(
            cmp("Абдрешев Ермек Серикович", "Ermek Abdreshev").agreement,
            NameAgreement::SameKeysDifferentSpelling
        );
    }

    #[test]
    fn blocking_keys_bring_variants_together() {
        let a = keys_of("Жомарт Байтхан").unwrap().blocking_keys();
        let b = keys_of("Baitkhan Zhomart").unwrap().blocking_keys();
        let c = keys_of("Ж. Байтхан").unwrap().blocking_keys();
        assert_eq!(a.parts, b.parts);
        assert_eq!(a.surname_prefix, b.surname_prefix);
        assert_eq!(a.surname_initial, c.surname_initial);
        let swapped = keys_of("Сабит Ракай").unwrap().blocking_keys();
        let straight = keys_of("Ракай Сабит").unwrap().blocking_keys();
        assert_eq!(swapped.surname_prefix, straight.given_prefix);
        assert_eq!(swapped.parts, straight.parts);
        assert_ne!(a.parts, swapped.parts);
    }
}
