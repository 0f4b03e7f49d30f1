//! Text clean-up before anything else looks at a name: composition of
//! combining marks, removal of invisible characters, one kind of space, dash
//! and apostrophe, and repair of letters typed in the wrong script.

/// The writing system of a word, decided by its letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Only Cyrillic letters (after homoglyph repair).
    Cyrillic,
    /// Only Latin letters (after homoglyph repair).
    Latin,
    /// Letters of both scripts that are not look-alikes, e.g. "әkimi".
    Mixed,
    /// No letters at all.
    None,
}

/// Combining marks that we fold into a precomposed letter when one exists.
/// Lower-case base letters only; upper case is derived with `to_uppercase`.
/// Sources: the Unicode character database (canonical decompositions); the
/// list is limited to the letters used by the Kazakh and Russian schemes, the
/// Turkic Latin alphabets and the common European name spellings.
const COMPOSE: &[(char, char, char)] = &[
    // U+0300 grave
    ('a', '\u{300}', 'à'),
    ('e', '\u{300}', 'è'),
    ('i', '\u{300}', 'ì'),
    ('o', '\u{300}', 'ò'),
    ('u', '\u{300}', 'ù'),
    ('n', '\u{300}', 'ǹ'),
    // U+0301 acute
    ('a', '\u{301}', 'á'),
    ('e', '\u{301}', 'é'),
    ('i', '\u{301}', 'í'),
    ('o', '\u{301}', 'ó'),
    ('u', '\u{301}', 'ú'),
    ('y', '\u{301}', 'ý'),
    ('c', '\u{301}', 'ć'),
    ('n', '\u{301}', 'ń'),
    ('s', '\u{301}', 'ś'),
    ('z', '\u{301}', 'ź'),
    ('g', '\u{301}', 'ǵ'),
    ('l', '\u{301}', 'ĺ'),
    ('r', '\u{301}', 'ŕ'),
    // U+0302 circumflex
    ('a', '\u{302}', 'â'),
    ('e', '\u{302}', 'ê'),
    ('i', '\u{302}', 'î'),
    ('o', '\u{302}', 'ô'),
    ('u', '\u{302}', 'û'),
    ('s', '\u{302}', 'ŝ'),
    ('c', '\u{302}', 'ĉ'),
    ('g', '\u{302}', 'ĝ'),
    ('h', '\u{302}', 'ĥ'),
    ('j', '\u{302}', 'ĵ'),
    ('w', '\u{302}', 'ŵ'),
    ('y', '\u{302}', 'ŷ'),
    // U+0303 tilde
    ('a', '\u{303}', 'ã'),
    ('n', '\u{303}', 'ñ'),
    ('o', '\u{303}', 'õ'),
    ('u', '\u{303}', 'ũ'),
    ('i', '\u{303}', 'ĩ'),
    // U+0304 macron
    ('a', '\u{304}', 'ā'),
    ('e', '\u{304}', 'ē'),
    ('i', '\u{304}', 'ī'),
    ('o', '\u{304}', 'ō'),
    ('u', '\u{304}', 'ū'),
    ('y', '\u{304}', 'ȳ'),
    // U+0306 breve
    ('a', '\u{306}', 'ă'),
    ('e', '\u{306}', 'ĕ'),
    ('i', '\u{306}', 'ĭ'),
    ('o', '\u{306}', 'ŏ'),
    ('u', '\u{306}', 'ŭ'),
    ('g', '\u{306}', 'ğ'),
    ('и', '\u{306}', 'й'),
    ('у', '\u{306}', 'ў'),
    // U+0307 dot above
    ('e', '\u{307}', 'ė'),
    ('g', '\u{307}', 'ġ'),
    ('z', '\u{307}', 'ż'),
    ('c', '\u{307}', 'ċ'),
    ('o', '\u{307}', 'ȯ'),
    ('h', '\u{307}', 'ḣ'),
    // U+0308 diaeresis
    ('a', '\u{308}', 'ä'),
    ('e', '\u{308}', 'ë'),
    ('i', '\u{308}', 'ï'),
    ('o', '\u{308}', 'ö'),
    ('u', '\u{308}', 'ü'),
    ('y', '\u{308}', 'ÿ'),
    ('е', '\u{308}', 'ё'),
    ('і', '\u{308}', 'ї'),
    // U+030A ring
    ('a', '\u{30A}', 'å'),
    ('u', '\u{30A}', 'ů'),
    // U+030B double acute
    ('o', '\u{30B}', 'ő'),
    ('u', '\u{30B}', 'ű'),
    // U+030C caron
    ('c', '\u{30C}', 'č'),
    ('s', '\u{30C}', 'š'),
    ('z', '\u{30C}', 'ž'),
    ('e', '\u{30C}', 'ě'),
    ('r', '\u{30C}', 'ř'),
    ('n', '\u{30C}', 'ň'),
    ('g', '\u{30C}', 'ǧ'),
    ('a', '\u{30C}', 'ǎ'),
    ('i', '\u{30C}', 'ǐ'),
    ('o', '\u{30C}', 'ǒ'),
    ('u', '\u{30C}', 'ǔ'),
    ('d', '\u{30C}', 'ď'),
    ('t', '\u{30C}', 'ť'),
    ('l', '\u{30C}', 'ľ'),
    ('k', '\u{30C}', 'ǩ'),
    // U+0327 cedilla
    ('c', '\u{327}', 'ç'),
    ('s', '\u{327}', 'ş'),
    ('t', '\u{327}', 'ţ'),
    ('g', '\u{327}', 'ģ'),
    ('k', '\u{327}', 'ķ'),
    ('l', '\u{327}', 'ļ'),
    ('n', '\u{327}', 'ņ'),
    ('r', '\u{327}', 'ŗ'),
    ('h', '\u{327}', 'ḩ'),
    // U+0328 ogonek
    ('a', '\u{328}', 'ą'),
    ('e', '\u{328}', 'ę'),
    ('i', '\u{328}', 'į'),
    ('u', '\u{328}', 'ų'),
];

/// Is `c` a combining mark (general category Mn in the blocks names use)?
pub(crate) fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{483}'..='\u{489}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

pub(crate) fn compose_pair(base: char, mark: char) -> Option<char> {
    // The capital dotted I of the 2021 Kazakh alphabet often arrives as I + U+0307,
    // and its lower case as i + U+0307 (what Rust's to_lowercase makes of İ).
    match (base, mark) {
        ('I', '\u{307}') => return Some('İ'),
        ('i', '\u{307}') => return Some('i'),
        _ => {}
    }
    let lower = single_lower(base)?;
    let composed = COMPOSE
        .iter()
        .find(|(b, m, _)| *b == lower && *m == mark)
        .map(|(_, _, c)| *c)?;
    if base == lower {
        Some(composed)
    } else {
        single_upper(composed)
    }
}

fn single_lower(c: char) -> Option<char> {
    let mut it = c.to_lowercase();
    let first = it.next()?;
    if it.next().is_some() {
        None
    } else {
        Some(first)
    }
}

fn single_upper(c: char) -> Option<char> {
    let mut it = c.to_uppercase();
    let first = it.next()?;
    if it.next().is_some() {
        None
    } else {
        Some(first)
    }
}

/// Characters that carry nothing but can split or glue words invisibly.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}' | '_')
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{2E3A}'
                | '\u{2E3B}'
    )
}

/// Apostrophes that mean "apostrophe" (the 2017 Kazakh alphabet, O'Brien, the
/// BGN/PCGN soft sign). The prime-like letters ʹ ʺ (GOST 7.79 soft and hard
/// sign) and the backtick (GOST 7.79 system B) are kept apart on purpose: in
/// those systems they follow letters that the 2017 apostrophe would change.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '\u{02BB}' | '\u{2032}'
    )
}

/// Compose combining marks, drop invisible characters and unify spaces,
/// dashes and apostrophes. Case and script are left alone.
fn compose_and_unify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if is_combining(c) {
            if let Some(prev) = out.pop() {
                match compose_pair(prev, c) {
                    Some(composed) => out.push(composed),
                    None => {
                        out.push(prev);
                        out.push(c);
                    }
                }
            }
            // A mark with nothing to sit on is noise.
            continue;
        }
        let c = if is_space(c) {
            ' '
        } else if is_dash(c) {
            '-'
        } else if is_apostrophe(c) {
            '\''
        } else {
            c
        };
        out.push(c);
    }
    out
}

/// Latin letters that look like Cyrillic ones, and their Cyrillic twins.
const LATIN_TO_CYRILLIC: &[(char, char)] = &[
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
    ('i', 'і'),
    ('h', 'һ'),
    ('ə', 'ә'),
    ('ɵ', 'ө'),
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('I', 'І'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
    ('Ə', 'Ә'),
    ('Ɵ', 'Ө'),
];

/// Cyrillic letters that look like Latin ones, and their Latin twins.
const CYRILLIC_TO_LATIN: &[(char, char)] = &[
    ('а', 'a'),
    ('с', 'c'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('х', 'x'),
    ('у', 'y'),
    ('і', 'i'),
    ('һ', 'h'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('А', 'A'),
    ('В', 'B'),
    ('С', 'C'),
    ('Е', 'E'),
    ('Н', 'H'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('К', 'K'),
    ('М', 'M'),
    ('О', 'O'),
    ('Р', 'P'),
    ('Ѕ', 'S'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
];

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{52F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

pub(crate) fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{C0}'..='\u{24F}' | '\u{250}'..='\u{2AF}' | '\u{1E00}'..='\u{1EFF}')
            && c != '\u{D7}'
            && c != '\u{F7}'
}

/// The script of a word, counting letters only.
pub fn script_of(word: &str) -> Script {
    let (mut cyr, mut lat) = (0usize, 0usize);
    for c in word.chars() {
        if is_cyrillic(c) && c.is_alphabetic() {
            cyr += 1;
        } else if is_latin(c) && c.is_alphabetic() {
            lat += 1;
        }
    }
    match (cyr, lat) {
        (0, 0) => Script::None,
        (_, 0) => Script::Cyrillic,
        (0, _) => Script::Latin,
        _ => Script::Mixed,
    }
}

/// Repair look-alike letters in one word. Only a clear typo is repaired:
/// the other script's letters must all have look-alikes, and the word's
/// script must have at least three letters and twice as many. A word such
/// as "құly" (a transliteration that left Kazakh letters) is genuinely mixed
/// and stays as it is.
fn repair_word(word: &str, out: &mut String) {
    let (mut cyr, mut lat, mut cyr_odd, mut lat_odd) = (0usize, 0usize, 0usize, 0usize);
    for c in word.chars() {
        if is_cyrillic(c) && c.is_alphabetic() {
            cyr += 1;
            if !CYRILLIC_TO_LATIN.iter().any(|(k, _)| *k == c) {
                cyr_odd += 1;
            }
        } else if is_latin(c) && c.is_alphabetic() {
            lat += 1;
            if !LATIN_TO_CYRILLIC.iter().any(|(k, _)| *k == c) {
                lat_odd += 1;
            }
        }
    }
    let clear = |major: usize, minor: usize, minor_odd: usize| {
        minor > 0 && minor_odd == 0 && major >= 3 && major >= 2 * minor
    };
    let target = if clear(cyr, lat, lat_odd) {
        Some(Script::Cyrillic)
    } else if clear(lat, cyr, cyr_odd) {
        Some(Script::Latin)
    } else {
        None
    };
    for c in word.chars() {
        let repaired = match target {
            Some(Script::Cyrillic) => LATIN_TO_CYRILLIC
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, v)| *v),
            Some(Script::Latin) => CYRILLIC_TO_LATIN
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, v)| *v),
            _ => None,
        };
        out.push(repaired.unwrap_or(c));
    }
}

/// Clean a name without changing its case: composition, invisible
/// characters, spaces, dashes and apostrophes unified, homoglyphs repaired
/// word by word, spaces collapsed and trimmed, no spaces around hyphens.
///
/// ```
/// // A Latin "a" and "H" typed inside Cyrillic words.
/// assert_eq!(qantar_names::clean("Жомарт  Бaйтхан - Hурбол"), "Жомарт Байтхан-Нурбол");
/// ```
pub fn clean(s: &str) -> String {
    let unified = compose_and_unify(s);
    let mut repaired = String::with_capacity(unified.len());
    let mut word = String::new();
    for c in unified.chars() {
        if c.is_alphabetic() || is_combining(c) {
            word.push(c);
        } else {
            if !word.is_empty() {
                repair_word(&word, &mut repaired);
                word.clear();
            }
            repaired.push(c);
        }
    }
    if !word.is_empty() {
        repair_word(&word, &mut repaired);
    }
    collapse_separators(&repaired)
}

/// Collapse runs of spaces, drop spaces next to a hyphen, collapse repeated
/// hyphens and apostrophes, and trim.
fn collapse_separators(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        match c {
            ' ' => pending_space = true,
            '-' | '\'' => {
                // "Қасым - Жомарт" and "Қасым--Жомарт" are one hyphenated name.
                pending_space = false;
                if out.ends_with(c) {
                    continue;
                }
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push(c);
            }
            _ => {
                if pending_space && !out.is_empty() && !out.ends_with('-') {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    // Leading and trailing separators carry nothing.
    out.trim_matches(|c| c == ' ' || c == '-').to_string()
}

/// Lower-case one character the way names need it: the 2021 Kazakh İ becomes
/// a plain i rather than i + U+0307.
pub(crate) fn lower_char(c: char, out: &mut String) {
    match c {
        'İ' => out.push('i'),
        _ => out.extend(c.to_lowercase()),
    }
}

/// The normalised form of a name: [`clean`] and then case-folded.
///
/// Two spellings with the same normalised form are the same spelling; use
/// [`crate::keys`] to compare across scripts and transliterations.
///
/// ```
/// assert_eq!(qantar_names::normalize(" ЖОМАРТ\u{a0}Бaйтхан "), "жомарт байтхан");
/// assert_eq!(qantar_names::normalize("Ерболат Серикұлы"), "ерболат серикұлы");
/// ```
pub fn normalize(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.chars() {
        lower_char(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_decomposed_cyrillic_and_latin() {
        assert_eq!(normalize("Сергеи\u{306}"), "сергей");
        assert_eq!(normalize("Пе\u{308}тр"), "пётр");
        assert_eq!(normalize("Ža\u{301}nar"), "žánar");
        assert_eq!(normalize("I\u{307}lyas"), "ilyas");
        // No precomposed a with double acute exists: the mark stays.
        assert_eq!(normalize("a\u{30B}"), "a\u{30B}");
    }

    #[test]
    fn repairs_homoglyphs_by_majority() {
        // Latin a, o, p inside a Cyrillic word.
        assert_eq!(clean("Бaйтхaн"), "Байтхан");
        // Cyrillic а and о inside a Latin word.
        assert_eq!(clean("Nurbоl Аlpamys"), "Nurbol Alpamys");
        // Cyrillic ә in a Latin word has no Latin twin and stays.
        assert_eq!(clean("әkimi"), "әkimi");
        // A transliteration that left Kazakh letters is mixed on purpose.
        assert_eq!(clean("Sy`dy`құly`"), "Sy`dy`құly`");
        assert_eq!(clean("Shy`ңғy`s"), "Shy`ңғy`s");
        // An upper-case Latin H for Cyrillic Н.
        assert_eq!(clean("Hурбол"), "Нурбол");
        // Latin i inside a Kazakh word is the Kazakh і.
        assert_eq!(clean("Серiк"), "Серік");
    }

    #[test]
    fn unifies_separators() {
        assert_eq!(clean("Қасым — Жомарт"), "Қасым-Жомарт");
        assert_eq!(clean("O’Brien"), "O'Brien");
        assert_eq!(clean("  a\u{200B}b   c "), "ab c");
        assert_eq!(clean("-Аян-"), "Аян");
    }

    #[test]
    fn script_detection() {
        assert_eq!(script_of("Байтхан"), Script::Cyrillic);
        assert_eq!(script_of("Bäitxan"), Script::Latin);
        assert_eq!(script_of("әkimi"), Script::Mixed);
        assert_eq!(script_of("37-"), Script::None);
    }
}
