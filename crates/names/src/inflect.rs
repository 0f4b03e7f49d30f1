//! Undoing Russian case endings on names, as printed in articles:
//! "37-летнего Багдата Оналтаева" → Багдат Оналтаев.
//!
//! Every word of the name gets a list of readings (lemma, the cases that
//! ending can express, the sex it implies, and a score for how sure the
//! reading is: known given name 3, surname suffix 3, patronymic suffix 4;
//! the nominative gets 2 as the default reading). All words of
//! a name stand in one case and agree in sex, so we pick the (case, sex)
//! pair with the best total. An oblique case is only chosen on real
//! evidence (an age phrase, a known name, a surname or patronymic ending),
//! so that a nominative "Бота" is never turned into "Бот".

use crate::key::key;
use crate::lexicon::{NameSex, given_name_sex};

/// A grammatical case of Russian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Case {
    /// Именительный: the dictionary form.
    #[default]
    Nominative,
    /// Родительный: "Багдата Оналтаева".
    Genitive,
    /// Дательный: "Багдату Оналтаеву".
    Dative,
    /// Винительный: "Багдата Оналтаева" (animate), "Эльмиру Усабаеву".
    Accusative,
    /// Творительный: "Багдатом Оналтаевым".
    Instrumental,
    /// Предложный: "о Багдате Оналтаеве".
    Prepositional,
}

pub(crate) const NOM: u8 = 1;
const GEN: u8 = 2;
const DAT: u8 = 4;
const ACC: u8 = 8;
const INS: u8 = 16;
const PRE: u8 = 32;
const ALL: u8 = 63;

const CASES: [(u8, Case); 6] = [
    (NOM, Case::Nominative),
    (GEN, Case::Genitive),
    (ACC, Case::Accusative),
    (DAT, Case::Dative),
    (INS, Case::Instrumental),
    (PRE, Case::Prepositional),
];

/// One reading of a word.
#[derive(Debug, Clone)]
struct Reading {
    lemma: String,
    cases: u8,
    /// Some(true) female, Some(false) male, None either.
    female: Option<bool>,
    score: i32,
}

/// What an age phrase such as "37-летнего" says about case and sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AgeAgreement {
    pub(crate) cases: u8,
    pub(crate) female: Option<bool>,
}

/// Read the adjective of an age phrase ("летнего", "летней" …).
pub(crate) fn age_agreement(adjective: &str) -> Option<AgeAgreement> {
    let rest = adjective.strip_prefix("летн")?;
    let (cases, female) = match rest {
        "ий" => (NOM, Some(false)),
        "его" => (GEN | ACC, Some(false)),
        "ему" => (DAT, Some(false)),
        "им" => (INS, Some(false)),
        "ем" => (PRE, Some(false)),
        "яя" => (NOM, Some(true)),
        "ей" => (GEN | DAT | INS | PRE, Some(true)),
        "юю" => (ACC, Some(true)),
        _ => return None,
    };
    Some(AgeAgreement { cases, female })
}

fn is_vowel(c: char) -> bool {
    "аеёиоуыэюяәөұүі".contains(c)
}

fn is_consonant(c: char) -> bool {
    c.is_alphabetic() && !is_vowel(c) && !matches!(c, 'й' | 'ь' | 'ъ')
}

fn is_hushing(c: char) -> bool {
    matches!(c, 'ж' | 'ш' | 'ч' | 'щ' | 'ц')
}

fn last(s: &str) -> Option<char> {
    s.chars().next_back()
}

/// Score of a given-name lemma: known names are strong evidence; a known
/// name of the other sex counts against the reading.
fn lexicon_score(lemma: &str, female: Option<bool>) -> (i32, Option<bool>) {
    match given_name_sex(&key(lemma)) {
        None => (0, female),
        Some(NameSex::Both) => (2, female),
        Some(NameSex::Male) if female == Some(true) => (-1, female),
        Some(NameSex::Female) if female == Some(false) => (-1, female),
        Some(NameSex::Male) => (3, Some(false)),
        Some(NameSex::Female) => (3, Some(true)),
    }
}

const SURNAME_M: [&str; 5] = ["ов", "ев", "ёв", "ин", "ын"];

fn readings(w: &str) -> Vec<Reading> {
    let mut out: Vec<Reading> = Vec::new();
    // A word that is itself a known given name is most likely written in
    // the nominative: its oblique readings count for little (Эльмира is not
    // the genitive of Эльмир unless something else says so).
    let surface_known = given_name_sex(&key(w)).is_some();
    let given = |lemma: String, cases: u8, female: Option<bool>, out: &mut Vec<Reading>| {
        if lemma.chars().count() < 2 {
            return;
        }
        let (mut score, female) = lexicon_score(&lemma, female);
        if surface_known && lemma != w && cases & NOM == 0 {
            score = score.min(1);
        }
        out.push(Reading {
            lemma,
            cases,
            female,
            score,
        });
    };
    let fixed =
        |lemma: String, cases: u8, female: Option<bool>, score: i32, out: &mut Vec<Reading>| {
            out.push(Reading {
                lemma,
                cases,
                female,
                score,
            });
        };

    // As written, in the nominative: as a given name (scored by the
    // lexicon) and as any other word, which fits either sex.
    given(w.to_string(), NOM, None, &mut out);
    fixed(w.to_string(), NOM, None, 0, &mut out);
    let end = last(w).unwrap_or(' ');
    // Indeclinable as written: women's names ending in a consonant (Айнур),
    // and names ending in о, и, у, е … (Шевченко, Али).
    if is_consonant(end) {
        given(w.to_string(), ALL, Some(true), &mut out);
    } else if "оиуеэюөүұі".contains(end) {
        given(w.to_string(), ALL, None, &mut out);
    }

    // Patronymics (strong): -ович/-евич/-ич, -овна/-евна/-ична.
    for (ending, cases) in [
        ("", NOM),
        ("а", GEN | ACC),
        ("у", DAT),
        ("ем", INS),
        ("е", PRE),
    ] {
        if let Some(lemma) = w.strip_suffix(ending)
            && lemma.ends_with("ич")
            && lemma.chars().count() > 4
        {
            fixed(lemma.to_string(), cases, Some(false), 4, &mut out);
        }
    }
    for (ending, cases) in [
        ("а", NOM),
        ("ы", GEN),
        ("е", DAT | PRE),
        ("у", ACC),
        ("ой", INS),
    ] {
        if let Some(stem) = w.strip_suffix(ending)
            && (stem.ends_with("вн") || stem.ends_with("чн"))
            && stem.chars().count() > 4
        {
            fixed(format!("{stem}а"), cases, Some(true), 4, &mut out);
        }
    }
    // Kazakh patronymic forms do not decline.
    for (suffix, female) in [
        ("ұлы", false),
        ("улы", false),
        ("қызы", true),
        ("кызы", true),
    ] {
        if w.ends_with(suffix) && w.chars().count() > suffix.chars().count() + 1 {
            fixed(w.to_string(), ALL, Some(female), 4, &mut out);
        }
    }

    // Surnames in -ов/-ев/-ин (strong).
    // A stem in -ин that is itself a given name (Нурадин, Ерсин) is not a
    // surname: "Нурадина" is that name in the genitive.
    let surname_stem = |s: &str| {
        SURNAME_M.iter().any(|suf| s.ends_with(suf))
            && s.chars().count() > 3
            && !((s.ends_with("ин") || s.ends_with("ын")) && given_name_sex(&key(s)).is_some())
    };
    if surname_stem(w) {
        fixed(w.to_string(), NOM, Some(false), 3, &mut out);
    }
    for (ending, cases) in [("а", GEN | ACC), ("у", DAT), ("ым", INS), ("е", PRE)] {
        if let Some(lemma) = w.strip_suffix(ending)
            && surname_stem(lemma)
        {
            fixed(lemma.to_string(), cases, Some(false), 3, &mut out);
        }
    }
    for (ending, cases) in [("а", NOM), ("ой", GEN | DAT | INS | PRE), ("у", ACC)] {
        if let Some(stem) = w.strip_suffix(ending)
            && surname_stem(stem)
        {
            fixed(format!("{stem}а"), cases, Some(true), 3, &mut out);
        }
    }
    // Surnames in -ский/-цкий (strong).
    for (ending, lemma_end, cases, female) in [
        ("ий", "ий", NOM, false),
        ("ого", "ий", GEN | ACC, false),
        ("ому", "ий", DAT, false),
        ("им", "ий", INS, false),
        ("ом", "ий", PRE, false),
        ("ая", "ая", NOM, true),
        ("ой", "ая", GEN | DAT | INS | PRE, true),
        ("ую", "ая", ACC, true),
    ] {
        if let Some(stem) = w.strip_suffix(ending)
            && (stem.ends_with("ск") || stem.ends_with("цк"))
            && stem.chars().count() > 3
        {
            fixed(
                format!("{stem}{lemma_end}"),
                cases,
                Some(female),
                3,
                &mut out,
            );
        }
    }

    // Men's names ending in a consonant: Багдат.
    for (ending, cases) in [("а", GEN | ACC), ("у", DAT), ("ом", INS), ("е", PRE)] {
        if let Some(lemma) = w.strip_suffix(ending)
            && last(lemma).is_some_and(is_consonant)
        {
            given(lemma.to_string(), cases, Some(false), &mut out);
        }
    }
    if let Some(lemma) = w.strip_suffix("ем")
        && last(lemma).is_some_and(is_hushing)
    {
        given(lemma.to_string(), INS, Some(false), &mut out);
    }
    // Men's names in -й and -ь: Сергей, Нурлыбай, Игорь.
    for (ending, cases) in [("я", GEN | ACC), ("ю", DAT), ("ем", INS), ("е", PRE)] {
        if let Some(stem) = w.strip_suffix(ending) {
            match last(stem) {
                Some(c) if is_vowel(c) => given(format!("{stem}й"), cases, Some(false), &mut out),
                Some(c) if is_consonant(c) => {
                    given(format!("{stem}ь"), cases, Some(false), &mut out)
                }
                _ => {}
            }
        }
    }
    // Names in -а (women's, and a few men's: Никита, Иса).
    let a_endings: [(&str, u8); 4] = [("ы", GEN), ("е", DAT | PRE), ("у", ACC), ("ой", INS)];
    for (ending, cases) in a_endings {
        if let Some(stem) = w.strip_suffix(ending)
            && last(stem).is_some_and(is_consonant)
        {
            given(format!("{stem}а"), cases, None, &mut out);
        }
    }
    if let Some(stem) = w.strip_suffix("и")
        && last(stem).is_some_and(|c| "гкхжшчщ".contains(c))
    {
        given(format!("{stem}а"), GEN, None, &mut out);
    }
    if let Some(stem) = w.strip_suffix("ей")
        && last(stem).is_some_and(is_hushing)
    {
        given(format!("{stem}а"), INS, None, &mut out);
    }
    // Names in -ия (Мария, Алия) and other -я (Илья).
    if let Some(stem) = w.strip_suffix("ии") {
        given(format!("{stem}ия"), GEN | DAT | PRE, None, &mut out);
    }
    if let Some(stem) = w.strip_suffix("ию") {
        given(format!("{stem}ия"), ACC, None, &mut out);
    }
    if let Some(stem) = w.strip_suffix("ией") {
        given(format!("{stem}ия"), INS, None, &mut out);
    }
    for (ending, cases) in [("и", GEN), ("е", DAT | PRE), ("ю", ACC), ("ей", INS)] {
        if let Some(stem) = w.strip_suffix(ending)
            && last(stem).is_some_and(|c| is_consonant(c) || c == 'ь')
        {
            given(format!("{stem}я"), cases, None, &mut out);
        }
    }
    // Women's names in -ь: Айгуль, Любовь.
    if let Some(stem) = w.strip_suffix("и")
        && last(stem).is_some_and(is_consonant)
    {
        given(format!("{stem}ь"), GEN | DAT | PRE, Some(true), &mut out);
    }
    if let Some(stem) = w.strip_suffix("ью") {
        given(format!("{stem}ь"), INS, Some(true), &mut out);
    }
    out
}

/// The result of undoing the case of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Uninflected {
    /// The words in the nominative, in order (lower case).
    pub(crate) lemmas: Vec<String>,
    /// The case they were written in.
    pub(crate) case: Case,
    /// The sex the endings imply, if they imply one.
    pub(crate) female: Option<bool>,
}

/// Bring the words of one name (lower-case Cyrillic) to the nominative.
pub(crate) fn uninflect(words: &[String], age: Option<AgeAgreement>) -> Uninflected {
    let all: Vec<Vec<Reading>> = words.iter().map(|w| readings(w)).collect();
    let mut best: Option<(i32, u8, Case, Option<bool>)> = None;
    for &(bit, case) in &CASES {
        for female in [false, true] {
            if let Some(a) = age
                && (a.cases & bit == 0 || a.female.is_some_and(|f| f != female))
            {
                continue;
            }
            let mut total = 0;
            let mut strong = age.is_some();
            let mut ok = true;
            for rs in &all {
                let fit = rs
                    .iter()
                    .filter(|r| r.cases & bit != 0 && r.female.is_none_or(|f| f == female))
                    .map(|r| r.score)
                    .max();
                match fit {
                    Some(s) => {
                        total += s;
                        // Evidence for a case comes from a reading that
                        // depends on it; indeclinable words (Қайратұлы) do not.
                        if rs.iter().any(|r| {
                            r.score >= 2 && r.score == s && r.cases & bit != 0 && r.cases != ALL
                        }) {
                            strong = true;
                        }
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok || (bit != NOM && !strong) {
                continue;
            }
            if bit == NOM {
                // Without evidence, a name is in the dictionary form.
                total += 2;
            }
            if age.is_some() {
                total += 4;
            }
            if best.is_none_or(|(b, ..)| total > b) {
                best = Some((total, bit, case, Some(female)));
            }
        }
    }
    let Some((_, bit, case, female)) = best else {
        return Uninflected {
            lemmas: words.to_vec(),
            case: Case::Nominative,
            female: None,
        };
    };
    let female = female.unwrap_or(false);
    let lemmas = words
        .iter()
        .zip(&all)
        .map(|(w, rs)| {
            // The best reading for the chosen case and sex; on a tie the word
            // as written wins, so nothing changes without a reason.
            rs.iter()
                .filter(|r| r.cases & bit != 0 && r.female.is_none_or(|f| f == female))
                .fold(None::<&Reading>, |best, r| {
                    // Higher score wins; on a tie the word as written, then
                    // the reading listed first (Багдат before Багдать).
                    match best {
                        Some(b) if (b.score, b.lemma == *w) >= (r.score, r.lemma == *w) => Some(b),
                        _ => Some(r),
                    }
                })
                .map(|r| r.lemma.clone())
                .unwrap_or_else(|| w.clone())
        })
        .collect();
    // The sex is only worth reporting when the case is oblique: in the
    // nominative the parser reads it from the endings and the lexicon.
    let female = if bit == NOM { None } else { Some(female) };
    Uninflected {
        lemmas,
        case,
        female,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn un(words: &[&str], age: Option<&str>) -> (Vec<String>, Case) {
        let w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        let r = uninflect(&w, age.and_then(age_agreement));
        (r.lemmas, r.case)
    }

    #[test]
    fn genitive_with_age_phrase() {
        let (l, c) = un(&["багдата", "оналтаева"], Some("летнего"));
        assert_eq!(l, ["багдат", "оналтаев"]);
        assert_eq!(c, Case::Genitive);
    }

    #[test]
    fn all_cases_of_a_man() {
        for (words, case) in [
            (["багдата", "оналтаева"], Case::Genitive),
            (["багдату", "оналтаеву"], Case::Dative),
            (["багдатом", "оналтаевым"], Case::Instrumental),
            (["багдате", "оналтаеве"], Case::Prepositional),
            (["багдат", "оналтаев"], Case::Nominative),
        ] {
            let (l, c) = un(&words, None);
            assert_eq!(l, ["багдат", "оналтаев"], "{words:?}");
            assert_eq!(c, case, "{words:?}");
        }
    }

    #[test]
    fn women_and_indeclinable_names() {
        assert_eq!(
            un(&["эльмиры", "усабаевой"], None).0,
            ["эльмира", "усабаева"]
        );
        assert_eq!(
            un(&["эльмира", "усабаева"], None).0,
            ["эльмира", "усабаева"]
        );
        assert_eq!(
            un(&["айнур", "байтхановой"], None).0,
            ["айнур", "байтханова"]
        );
        assert_eq!(un(&["марии", "ивановой"], None).0, ["мария", "иванова"]);
        assert_eq!(un(&["марию", "иванову"], None).0, ["мария", "иванова"]);
        assert_eq!(un(&["айгули", "сериковой"], None).0, ["айгуль", "серикова"]);
    }

    #[test]
    fn soft_stems_patronymics_and_kazakh_forms() {
        assert_eq!(un(&["сергею", "петрову"], None).0, ["сергей", "петров"]);
        assert_eq!(
            un(&["игоря", "ковальского"], None).0,
            ["игорь", "ковальский"]
        );
        assert_eq!(
            un(&["ермека", "сериковича", "абдрешева"], None).0,
            ["ермек", "серикович", "абдрешев"]
        );
        assert_eq!(
            un(&["абдрешевой", "айгули", "сериковны"], None).0,
            ["абдрешева", "айгуль", "сериковна"]
        );
        assert_eq!(
            un(&["жомарта", "қайратұлы"], None).0,
            ["жомарт", "қайратұлы"]
        );
        assert_eq!(un(&["жомарта", "байтхана"], None).0, ["жомарт", "байтхан"]);
    }

    #[test]
    fn nominative_is_kept_without_evidence() {
        // Unknown names ending in -а stay as written.
        assert_eq!(un(&["бота", "сабит"], None).0, ["бота", "сабит"]);
        assert_eq!(un(&["дилара", "иса"], None).0, ["дилара", "иса"]);
        assert_eq!(un(&["нурбол"], None).0, ["нурбол"]);
        // A known woman's name with a man's patronymic stays as written.
        assert_eq!(
            un(&["эльмира", "серікұлы"], None).0,
            ["эльмира", "серікұлы"]
        );
    }

    #[test]
    fn age_adjectives() {
        assert_eq!(
            age_agreement("летней"),
            Some(AgeAgreement {
                cases: GEN | DAT | INS | PRE,
                female: Some(true)
            })
        );
        assert_eq!(age_agreement("летний").map(|a| a.cases), Some(NOM));
        assert_eq!(age_agreement("лет"), None);
        let (l, c) = un(&["айнур", "байтхановой"], Some("летней"));
        assert_eq!(
            (l, c),
            (
                vec!["айнур".to_string(), "байтханова".to_string()],
                Case::Genitive
            )
        );
    }
}
