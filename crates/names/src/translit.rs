//! Cyrillic → Latin transliteration driven by data tables.
//!
//! Every scheme is a table in `tables/` (embedded at compile time) read by one
//! engine. The engine follows the rules of the iuliia project
//! (nalgeon/iuliia), whose Russian tables we use unchanged: a word is
//! translated letter by letter, where a letter may depend on the letter before
//! it (`[prev]`), on the letter after it (`[next]`), and the last two letters
//! of a word may have their own spelling (`[ending]`). The Kazakh tables use
//! the same format plus an explicit capital form where the capital cannot be
//! derived (the 2021 alphabet writes И as İ).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::error::NameError;
use crate::normalize::clean;

/// A transliteration scheme. The `Kazakh*` schemes cover the whole Kazakh
/// Cyrillic alphabet (which contains the Russian one); the others are the
/// Russian schemes of the iuliia collection and pass the nine Kazakh-only
/// letters through unchanged, as iuliia does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Kazakh Latin alphabet presented in January 2021 (Ä Ğ Ñ Ö Ş Ū Ü İ ı).
    Kazakh2021,
    /// Kazakh Latin alphabet of decree 637, February 2018 (acute accents).
    Kazakh2018,
    /// Kazakh Latin alphabet of decree 569, October 2017 (apostrophes).
    Kazakh2017,
    /// BGN/PCGN 1979 romanisation of Kazakh.
    KazakhBgnPcgn,
    /// ISO 9:1995 = GOST 7.79-2000 system A, applied to Kazakh.
    KazakhIso9,
    /// Kazakh passports as we believe they are written (ICAO 9303 practice:
    /// Kazakh diacritics stripped). Unverified, see `tables/README.md`.
    KazakhPassport,
    /// The spelling most English-language media use for Kazakh names
    /// (Zhanaozen, Tokayev, Baitkhan); derived from the seed articles.
    KazakhPress,
    /// ALA-LC (Library of Congress), with tie bars.
    AlaLc,
    /// ALA-LC without diacritics.
    AlaLcAlt,
    /// BGN/PCGN 1947 for Russian.
    BgnPcgn,
    /// BGN/PCGN for Russian, simplified.
    BgnPcgnAlt,
    /// British Standard 2979:1958.
    Bs2979,
    /// British Standard 2979:1958 without diacritics.
    Bs2979Alt,
    /// GOST 16876-71.
    Gost16876,
    /// GOST 16876-71, ASCII table.
    Gost16876Alt,
    /// GOST R 52290-2004 (road signs).
    Gost52290,
    /// GOST R 52535.1-2006 (Russian passports 2010-2013).
    Gost52535,
    /// GOST R 7.0.34-2014.
    Gost7034,
    /// GOST 7.79-2000 system A (= ISO 9:1995), with diacritics.
    Gost779,
    /// GOST 7.79-2000 system B, ASCII only.
    Gost779B,
    /// ICAO Doc 9303 (machine-readable passports; Russian passports since 2013).
    IcaoDoc9303,
    /// ISO/R 9:1954.
    Iso9_1954,
    /// ISO/R 9:1968.
    Iso9_1968,
    /// ISO/R 9:1968, alternative table.
    Iso9_1968Alt,
    /// Moscow metro map.
    Mosmetro,
    /// MVD 310-1997 (Russian passports 1997-2000).
    Mvd310,
    /// MVD 310-1997, French table.
    Mvd310Fr,
    /// MVD 782-2000 (Russian passports 2000-2010).
    Mvd782,
    /// Scientific transliteration.
    Scientific,
    /// Telegram's transliteration.
    Telegram,
    /// UNGEGN 1987 V/18.
    Ungegn1987,
    /// Uzbek Cyrillic → Latin.
    Uzbek,
    /// English Wikipedia's system for Russian.
    Wikipedia,
    /// Yandex Maps.
    YandexMaps,
    /// Yandex Money.
    YandexMoney,
}

struct SchemeInfo {
    scheme: Scheme,
    id: &'static str,
    table: &'static str,
}

macro_rules! info {
    ($scheme:ident, $id:literal, $path:literal) => {
        SchemeInfo {
            scheme: Scheme::$scheme,
            id: $id,
            table: include_str!(concat!("../tables/", $path)),
        }
    };
}

const SCHEMES: &[SchemeInfo] = &[
    info!(Kazakh2021, "kazakh_2021", "kk/kazakh_2021.tsv"),
    info!(Kazakh2018, "kazakh_2018", "kk/kazakh_2018.tsv"),
    info!(Kazakh2017, "kazakh_2017", "kk/kazakh_2017.tsv"),
    info!(KazakhBgnPcgn, "kazakh_bgn_pcgn", "kk/kazakh_bgn_pcgn.tsv"),
    info!(KazakhIso9, "kazakh_iso_9", "kk/kazakh_iso_9.tsv"),
    info!(KazakhPassport, "kazakh_passport", "kk/kazakh_passport.tsv"),
    info!(KazakhPress, "kazakh_press", "kk/kazakh_press.tsv"),
    info!(AlaLc, "ala_lc", "ru/ala_lc.tsv"),
    info!(AlaLcAlt, "ala_lc_alt", "ru/ala_lc_alt.tsv"),
    info!(BgnPcgn, "bgn_pcgn", "ru/bgn_pcgn.tsv"),
    info!(BgnPcgnAlt, "bgn_pcgn_alt", "ru/bgn_pcgn_alt.tsv"),
    info!(Bs2979, "bs_2979", "ru/bs_2979.tsv"),
    info!(Bs2979Alt, "bs_2979_alt", "ru/bs_2979_alt.tsv"),
    info!(Gost16876, "gost_16876", "ru/gost_16876.tsv"),
    info!(Gost16876Alt, "gost_16876_alt", "ru/gost_16876_alt.tsv"),
    info!(Gost52290, "gost_52290", "ru/gost_52290.tsv"),
    info!(Gost52535, "gost_52535", "ru/gost_52535.tsv"),
    info!(Gost7034, "gost_7034", "ru/gost_7034.tsv"),
    info!(Gost779, "gost_779", "ru/gost_779.tsv"),
    info!(Gost779B, "gost_779_alt", "ru/gost_779_alt.tsv"),
    info!(IcaoDoc9303, "icao_doc_9303", "ru/icao_doc_9303.tsv"),
    info!(Iso9_1954, "iso_9_1954", "ru/iso_9_1954.tsv"),
    info!(Iso9_1968, "iso_9_1968", "ru/iso_9_1968.tsv"),
    info!(Iso9_1968Alt, "iso_9_1968_alt", "ru/iso_9_1968_alt.tsv"),
    info!(Mosmetro, "mosmetro", "ru/mosmetro.tsv"),
    info!(Mvd310, "mvd_310", "ru/mvd_310.tsv"),
    info!(Mvd310Fr, "mvd_310_fr", "ru/mvd_310_fr.tsv"),
    info!(Mvd782, "mvd_782", "ru/mvd_782.tsv"),
    info!(Scientific, "scientific", "ru/scientific.tsv"),
    info!(Telegram, "telegram", "ru/telegram.tsv"),
    info!(Ungegn1987, "ungegn_1987", "ru/ungegn_1987.tsv"),
    info!(Uzbek, "uz", "ru/uz.tsv"),
    info!(Wikipedia, "wikipedia", "ru/wikipedia.tsv"),
    info!(YandexMaps, "yandex_maps", "ru/yandex_maps.tsv"),
    info!(YandexMoney, "yandex_money", "ru/yandex_money.tsv"),
];

impl Scheme {
    /// Every scheme, Kazakh ones first.
    pub const ALL: [Scheme; 35] = [
        Scheme::Kazakh2021,
        Scheme::Kazakh2018,
        Scheme::Kazakh2017,
        Scheme::KazakhBgnPcgn,
        Scheme::KazakhIso9,
        Scheme::KazakhPassport,
        Scheme::KazakhPress,
        Scheme::AlaLc,
        Scheme::AlaLcAlt,
        Scheme::BgnPcgn,
        Scheme::BgnPcgnAlt,
        Scheme::Bs2979,
        Scheme::Bs2979Alt,
        Scheme::Gost16876,
        Scheme::Gost16876Alt,
        Scheme::Gost52290,
        Scheme::Gost52535,
        Scheme::Gost7034,
        Scheme::Gost779,
        Scheme::Gost779B,
        Scheme::IcaoDoc9303,
        Scheme::Iso9_1954,
        Scheme::Iso9_1968,
        Scheme::Iso9_1968Alt,
        Scheme::Mosmetro,
        Scheme::Mvd310,
        Scheme::Mvd310Fr,
        Scheme::Mvd782,
        Scheme::Scientific,
        Scheme::Telegram,
        Scheme::Ungegn1987,
        Scheme::Uzbek,
        Scheme::Wikipedia,
        Scheme::YandexMaps,
        Scheme::YandexMoney,
    ];

    fn info(self) -> &'static SchemeInfo {
        // SCHEMES lists every variant once; tests check the two lists agree.
        SCHEMES
            .iter()
            .find(|i| i.scheme == self)
            .unwrap_or(&SCHEMES[0])
    }

    /// The scheme's identifier: the iuliia file name for the Russian schemes
    /// (`icao_doc_9303`, `gost_779_alt` …) and `kazakh_*` for ours.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// Is this one of the Kazakh tables (covering ә ғ қ ң ө ұ ү һ і)?
    pub fn is_kazakh(self) -> bool {
        self.id().starts_with("kazakh_")
    }

    /// The embedded table text, for display and for tests.
    pub fn table_source(self) -> &'static str {
        self.info().table
    }

    fn table(self) -> &'static Table {
        static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
        let tables = TABLES.get_or_init(|| {
            SCHEMES
                .iter()
                .map(|info| {
                    // The tables are part of the crate and every one of them is
                    // parsed by the unit tests, so a failure here is a build bug.
                    Table::parse(info.table)
                        .unwrap_or_else(|e| panic!("embedded table {}: {e}", info.id))
                })
                .collect()
        });
        let idx = SCHEMES.iter().position(|i| i.scheme == self).unwrap_or(0);
        &tables[idx]
    }

    /// The table's source and URL lines, for attribution in user interfaces.
    pub fn source_note(self) -> String {
        self.table_source()
            .lines()
            .filter(|l| l.starts_with("# Source") || l.starts_with("@url"))
            .map(|l| l.trim_start_matches("# ").replace('\t', " "))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Scheme {
    type Err = NameError;

    /// Accepts the identifiers of [`Scheme::id`], case-insensitive, with `-`
    /// for `_`, plus `iso_9_1995` for GOST 7.79 system A.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        if wanted == "iso_9_1995" {
            return Ok(Scheme::Gost779);
        }
        SCHEMES
            .iter()
            .find(|i| i.id == wanted)
            .map(|i| i.scheme)
            .ok_or_else(|| NameError::UnknownScheme {
                given: s.to_string(),
            })
    }
}

/// One spelling in a table: the lower-case form and, if it cannot be
/// derived by upper-casing the first letter, the capital form.
#[derive(Debug, Clone)]
struct Spelling {
    lower: Box<str>,
    capital: Option<Box<str>>,
}

impl Spelling {
    fn capitalized(&self) -> String {
        if let Some(c) = &self.capital {
            return c.to_string();
        }
        capitalize(&self.lower)
    }
}

/// Python's `str.capitalize`, which iuliia uses: first letter upper, rest lower.
fn capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
    }
    for c in chars {
        out.extend(c.to_lowercase());
    }
    out
}

/// How a letter status is marked in the Kazakh tables (fourth column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Verified against a source listed in kazakh_latin.md.
    Verified,
    /// Marked `?` (unverified) in kazakh_latin.md; used as given there.
    Unverified,
    /// No value in kazakh_latin.md: our choice, explained in tables/README.md.
    Ours,
    /// A letter spelled the same in every scheme (а → a, б → b …).
    Common,
    /// Taken from the corresponding Russian scheme of iuliia.
    Russian,
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) name: String,
    letters: HashMap<char, Spelling>,
    /// Key: (previous letter or None at the start of a word, letter).
    prev: HashMap<(Option<char>, char), Spelling>,
    /// Key: (letter, next letter or None at the end of a word).
    next: HashMap<(char, Option<char>), Spelling>,
    /// Key: the last two letters of a word.
    ending: HashMap<(char, char), Spelling>,
    pub(crate) statuses: HashMap<char, Status>,
}

impl Table {
    /// Parse the table format described in `tables/README.md`.
    pub(crate) fn parse(text: &str) -> Result<Table, NameError> {
        let mut table = Table::default();
        let mut section = "";
        for (idx, raw) in text.lines().enumerate() {
            let line_no = idx + 1;
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let bad = |why: &str| NameError::BadTable {
                line: line_no,
                reason: why.to_string(),
            };
            if let Some(rest) = raw.strip_prefix('@') {
                let (k, v) = rest
                    .split_once('\t')
                    .ok_or_else(|| bad("an @ line needs a tab"))?;
                if k == "name" {
                    table.name = v.to_string();
                }
                continue;
            }
            if raw.starts_with('[') {
                section = match raw {
                    "[letters]" => "letters",
                    "[prev]" => "prev",
                    "[next]" => "next",
                    "[ending]" => "ending",
                    _ => {
                        return Err(bad(
                            "unknown section; use [letters], [prev], [next] or [ending]",
                        ));
                    }
                };
                continue;
            }
            let mut fields = raw.split('\t');
            let key: Vec<char> = fields.next().unwrap_or("").chars().collect();
            let lower = fields
                .next()
                .ok_or_else(|| bad("a mapping line needs key<TAB>value"))?;
            let capital = fields.next().filter(|c| !c.is_empty()).map(Into::into);
            let status = match fields.next() {
                None | Some("") => None,
                Some("V") => Some(Status::Verified),
                Some("?") => Some(Status::Unverified),
                Some("*") => Some(Status::Ours),
                Some("=") => Some(Status::Common),
                Some("R") => Some(Status::Russian),
                Some(_) => return Err(bad("status must be one of V ? * = R")),
            };
            if fields.next().is_some() {
                return Err(bad("too many columns"));
            }
            let spelling = Spelling {
                lower: lower.into(),
                capital,
            };
            if key.iter().any(|c| c.is_uppercase()) {
                return Err(bad("keys are written in lower case; capitals are derived"));
            }
            match (section, key.as_slice()) {
                ("letters", [c]) => {
                    table.letters.insert(*c, spelling);
                    if let Some(s) = status {
                        table.statuses.insert(*c, s);
                    }
                }
                ("prev", [c]) => {
                    table.prev.insert((None, *c), spelling);
                }
                ("prev", [p, c]) => {
                    table.prev.insert((Some(*p), *c), spelling);
                }
                ("next", [c]) => {
                    table.next.insert((*c, None), spelling);
                }
                ("next", [c, n]) => {
                    table.next.insert((*c, Some(*n)), spelling);
                }
                ("ending", [a, b]) => {
                    table.ending.insert((*a, *b), spelling);
                }
                ("", _) => return Err(bad("mapping line before any [section]")),
                _ => return Err(bad("wrong key length for this section")),
            }
        }
        if table.letters.is_empty() {
            return Err(NameError::BadTable {
                line: 0,
                reason: "no [letters] section".into(),
            });
        }
        Ok(table)
    }

    /// A letter with the previous one as context (iuliia's `prev_mapping`).
    /// Case rules, as iuliia: both lower → as written; previous upper and
    /// this one lower → as written; both upper, or a word-initial upper
    /// letter → capitalised; previous lower and this one upper → no match.
    fn by_prev(&self, prev: Option<char>, cur: char) -> Option<String> {
        let lp = prev.map(to_lower_char);
        let lc = to_lower_char(cur);
        let s = self.prev.get(&(lp, lc))?;
        let cur_up = cur != lc;
        match prev {
            None => Some(if cur_up {
                s.capitalized()
            } else {
                s.lower.to_string()
            }),
            Some(p) => {
                let prev_up = Some(p) != lp;
                match (prev_up, cur_up) {
                    (false, false) | (true, false) => Some(s.lower.to_string()),
                    (true, true) => Some(s.capitalized()),
                    (false, true) => None,
                }
            }
        }
    }

    /// A letter with the next one as context (iuliia's `next_mapping`):
    /// an upper-case letter is capitalised unless the next letter is upper
    /// and it is lower.
    fn by_next(&self, cur: char, next: Option<char>) -> Option<String> {
        let lc = to_lower_char(cur);
        let ln = next.map(to_lower_char);
        let s = self.next.get(&(lc, ln))?;
        let cur_up = cur != lc;
        let next_up = next.is_some() && next != ln;
        match (cur_up, next_up) {
            (false, false) => Some(s.lower.to_string()),
            (true, _) => Some(s.capitalized()),
            (false, true) => None,
        }
    }

    fn by_letter(&self, cur: char) -> Option<String> {
        let lc = to_lower_char(cur);
        let s = self.letters.get(&lc)?;
        Some(if cur != lc {
            s.capitalized()
        } else {
            s.lower.to_string()
        })
    }

    fn by_ending(&self, a: char, b: char) -> Option<String> {
        let (la, lb) = (to_lower_char(a), to_lower_char(b));
        let s = self.ending.get(&(la, lb))?;
        match (a != la, b != lb) {
            (false, false) => Some(s.lower.to_string()),
            (true, true) => Some(s.lower.to_uppercase()),
            _ => None,
        }
    }

    fn letters_into(&self, word: &[char], out: &mut String) {
        for (i, &cur) in word.iter().enumerate() {
            let prev = if i == 0 { None } else { Some(word[i - 1]) };
            let next = word.get(i + 1).copied();
            if let Some(s) = self.by_prev(prev, cur) {
                out.push_str(&s);
            } else if let Some(s) = self.by_next(cur, next) {
                out.push_str(&s);
            } else if let Some(s) = self.by_letter(cur) {
                out.push_str(&s);
            } else {
                out.push(cur);
            }
        }
    }

    fn word_into(&self, word: &[char], out: &mut String) {
        let start = out.len();
        let translated_ending = if word.len() > 2 {
            // An empty ending spelling counts as "no rule", as in iuliia.
            self.by_ending(word[word.len() - 2], word[word.len() - 1])
                .filter(|e| !e.is_empty())
        } else {
            None
        };
        match translated_ending {
            Some(ending) => {
                self.letters_into(&word[..word.len() - 2], out);
                out.push_str(&ending);
            }
            None => self.letters_into(word, out),
        }
        // A word written in capitals (a passport, a list heading) stays in
        // capitals: "ЩЕГЛОВ" → "SHCHEGLOV", where iuliia would give "ShchEGLOV".
        let cased: Vec<char> = word
            .iter()
            .copied()
            .filter(|c| c.is_lowercase() || c.is_uppercase())
            .collect();
        if cased.len() >= 2 && cased.iter().all(|c| c.is_uppercase()) {
            let upper = out[start..].to_uppercase();
            out.truncate(start);
            out.push_str(&upper);
        }
    }

    pub(crate) fn translate(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() * 2);
        let mut word: Vec<char> = Vec::new();
        for c in s.chars() {
            if is_word_char(c) {
                word.push(c);
            } else {
                if !word.is_empty() {
                    self.word_into(&word, &mut out);
                    word.clear();
                }
                out.push(c);
            }
        }
        if !word.is_empty() {
            self.word_into(&word, &mut out);
        }
        out
    }

    #[cfg(test)]
    pub(crate) fn letter(&self, c: char) -> Option<&str> {
        self.letters.get(&c).map(|s| &*s.lower)
    }
}

/// Word characters as in a Unicode regex `\w`: letters, digits, the
/// underscore, and combining marks (which belong to the letter before them).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || crate::normalize::is_combining(c)
}

fn to_lower_char(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Transliterate Cyrillic text with `scheme`. The text is first [`clean`]ed
/// (marks composed, homoglyphs repaired); characters the scheme does not map
/// (Latin letters, digits, punctuation) pass through unchanged.
///
/// ```
/// use qantar_names::{transliterate, Scheme};
/// assert_eq!(transliterate("Жаңаөзен", Scheme::Kazakh2021), "Jañaözen");
/// assert_eq!(transliterate("Жаңаөзен", Scheme::KazakhPress), "Zhanaozen");
/// assert_eq!(transliterate("Юлия Щеглова", Scheme::IcaoDoc9303), "Iuliia Shcheglova");
/// ```
pub fn transliterate(s: &str, scheme: Scheme) -> String {
    scheme.table().translate(&clean(s))
}

/// Transliterate without the clean-up step, exactly as the scheme's table
/// says. Used by the golden tests against the iuliia samples.
pub fn transliterate_raw(s: &str, scheme: Scheme) -> String {
    scheme.table().translate(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses_and_every_scheme_is_listed() {
        assert_eq!(SCHEMES.len(), Scheme::ALL.len());
        for (info, scheme) in SCHEMES.iter().zip(Scheme::ALL) {
            assert_eq!(
                info.scheme, scheme,
                "SCHEMES and Scheme::ALL must be in the same order"
            );
            let table = Table::parse(info.table).unwrap_or_else(|e| panic!("{}: {e}", info.id));
            assert_eq!(table.name, info.id, "@name of {}", info.id);
            assert_eq!(scheme.id().parse::<Scheme>().ok(), Some(scheme));
        }
    }

    #[test]
    fn kazakh_tables_cover_the_kazakh_alphabet() {
        let alphabet = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
        for scheme in Scheme::ALL.iter().filter(|s| s.is_kazakh()) {
            let t = scheme.table();
            for c in alphabet.chars() {
                assert!(t.letter(c).is_some(), "{scheme}: no spelling for {c}");
                assert!(t.statuses.contains_key(&c), "{scheme}: no status for {c}");
            }
        }
    }

    #[test]
    fn unknown_scheme_names_the_value() {
        let err = "gost-7-79".parse::<Scheme>().unwrap_err().to_string();
        assert!(err.contains("gost-7-79"), "{err}");
        assert_eq!("ISO-9-1995".parse::<Scheme>().ok(), Some(Scheme::Gost779));
        assert_eq!(
            "GOST_779_ALT".parse::<Scheme>().ok(),
            Some(Scheme::Gost779B)
        );
    }

    #[test]
    fn bad_tables_are_refused_with_the_line() {
        let err = Table::parse("[letters]\nа\n").unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        let err = Table::parse("[letters]\nА\ta\n").unwrap_err().to_string();
        assert!(err.contains("lower case"), "{err}");
        let err = Table::parse("[bogus]\n").unwrap_err().to_string();
        assert!(err.contains("unknown section"), "{err}");
        assert!(Table::parse("# nothing\n").is_err());
    }

    #[test]
    fn capitals_and_all_caps_words() {
        assert_eq!(transliterate("Щеглов", Scheme::IcaoDoc9303), "Shcheglov");
        assert_eq!(transliterate("ЩЕГЛОВ", Scheme::IcaoDoc9303), "SHCHEGLOV");
        assert_eq!(transliterate("Ш", Scheme::IcaoDoc9303), "Sh");
        assert_eq!(transliterate("ИЛИЯС", Scheme::Kazakh2021), "İLİİAS");
        assert_eq!(transliterate("Ілияс", Scheme::Kazakh2021), "Iliias");
    }

    #[test]
    fn kazakh_schemes_on_names() {
        let name = "Жомарт Байтхан";
        assert_eq!(transliterate(name, Scheme::Kazakh2021), "Jomart Baithan");
        assert_eq!(transliterate(name, Scheme::Kazakh2018), "Jomart Baıthan");
        assert_eq!(transliterate(name, Scheme::Kazakh2017), "Jomart Bai'than");
        assert_eq!(
            transliterate(name, Scheme::KazakhBgnPcgn),
            "Zhomart Baytkhan"
        );
        assert_eq!(transliterate(name, Scheme::KazakhIso9), "Žomart Bajthan");
        assert_eq!(
            transliterate(name, Scheme::KazakhPassport),
            "Zhomart Baitkhan"
        );
        assert_eq!(transliterate(name, Scheme::KazakhPress), "Zhomart Baitkhan");
        assert_eq!(
            transliterate("Нұрлыбай Ерланұлы", Scheme::KazakhPress),
            "Nurlybay Yerlanuly"
        );
        assert_eq!(transliterate("Шалабаев", Scheme::KazakhPress), "Shalabayev");
        assert_eq!(
            transliterate("Әуелбекова", Scheme::KazakhPress),
            "Auelbekova"
        );
        assert_eq!(transliterate("Қайратұлы", Scheme::Kazakh2021), "Qairatūly");
    }
}
