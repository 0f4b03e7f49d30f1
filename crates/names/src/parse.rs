//! Parsing a written name into given name, surname, patronymic and initials.

use crate::error::NameError;
use crate::inflect::{AgeAgreement, Case, age_agreement, uninflect};
use crate::key::{EndingInfo, Role, Scratch};
use crate::lexicon::{NameSex, given_name_sex};
use crate::normalize::{Script, clean, lower_char, script_of};

/// The sex a name shows through its endings, its given name or its grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Gender {
    /// Nothing in the name tells.
    #[default]
    Unknown,
    /// -ов, -ович, -ұлы, a man's given name, or a masculine case ending.
    Male,
    /// -ова, -овна, -қызы, a woman's given name, or a feminine case ending.
    Female,
}

impl Gender {
    fn from_female(f: Option<bool>) -> Gender {
        match f {
            Some(true) => Gender::Female,
            Some(false) => Gender::Male,
            None => Gender::Unknown,
        }
    }
}

/// The order of given name and surname: a hint for [`parse_with`] and the
/// order found by the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NameOrder {
    /// Not known (as a hint: let the parser decide).
    #[default]
    Unknown,
    /// "Жомарт Байтхан", as in articles.
    GivenFirst,
    /// "Байтхан Жомарт Қайратұлы", as in official Russian and Kazakh lists.
    SurnameFirst,
}

/// Options for [`parse_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The order the source usually writes names in. A list with columns
    /// "Фамилия Имя Отчество" should pass `SurnameFirst`; a press article
    /// `GivenFirst`. Endings, known given names and commas still win.
    pub order: NameOrder,
}

/// A name taken apart. Parts are in the nominative and title case
/// ("Багдат", "Оналтаев"); `original` keeps the text as received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedName {
    /// The text as received.
    pub original: String,
    /// The given name; several words are kept together ("Қасым-Жомарт",
    /// "Kassym Jomart").
    pub given: Option<String>,
    /// The surname, including a Kazakh -ұлы/-қызы surname.
    pub surname: Option<String>,
    /// The patronymic (-ович, -овна, -ұлы, -қызы).
    pub patronymic: Option<String>,
    /// Initials as written, without dots, in order ("Ж", "К" for "Ж.К.").
    pub initials: Vec<String>,
    /// The initial standing for the given name when only an initial is given.
    pub given_initial: Option<String>,
    /// The initial standing for the patronymic when only an initial is given.
    pub patronymic_initial: Option<String>,
    /// The sex the name shows.
    pub gender: Gender,
    /// The order the name was written in.
    pub order: NameOrder,
    /// The grammatical case the name was written in (undone in the parts).
    pub case: Case,
    /// An age written with the name ("37-летнего", "37-year-old").
    pub age: Option<u16>,
    /// Words set aside: text in brackets or quotes, lower-case words around
    /// a capitalised name, titles, stray numbers.
    pub other: Vec<String>,
}

impl ParsedName {
    /// The name in the order given name, patronymic, surname, with initials
    /// where only initials are known: "Жомарт Қайратұлы Байтхан", "Ж. Байтхан".
    pub fn display(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match (&self.given, &self.given_initial) {
            (Some(g), _) => parts.push(g.clone()),
            (None, Some(i)) => parts.push(format!("{i}.")),
            _ => {}
        }
        match (&self.patronymic, &self.patronymic_initial) {
            (Some(p), _) => parts.push(p.clone()),
            (None, Some(i)) => parts.push(format!("{i}.")),
            _ => {}
        }
        if let Some(s) = &self.surname {
            parts.push(s.clone());
        }
        parts.join(" ")
    }
}

#[derive(Debug, Clone)]
struct Token {
    text: String,
    initial: bool,
    comma_after: bool,
}

const PARTICLES: [&str; 16] = [
    "ұлы", "улы", "uly", "ulı", "uli", "ūly", "ūlı", "қызы", "кызы", "kyzy", "qyzy", "qızı",
    "kizi", "оглы", "ogly", "oglu",
];

const TITLES: [&str; 10] = [
    "mr",
    "mrs",
    "ms",
    "dr",
    "г-н",
    "г-жа",
    "гр",
    "гражданин",
    "гражданка",
    "тов",
];

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            lower_char(c, &mut out);
        }
        start = c == '-' || c == ' ';
    }
    out
}

fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        lower_char(c, &mut out);
    }
    out
}

/// Take bracketed and quoted text out of the name.
fn split_brackets(s: &str, other: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inner = String::new();
    let mut closer: Option<char> = None;
    for c in s.chars() {
        match closer {
            Some(close) if c == close => {
                let t = inner.trim();
                if !t.is_empty() {
                    other.push(t.to_string());
                }
                inner.clear();
                closer = None;
                out.push(' ');
            }
            Some(_) => inner.push(c),
            None => {
                closer = match c {
                    '(' => Some(')'),
                    '[' => Some(']'),
                    '«' => Some('»'),
                    '“' => Some('”'),
                    '„' => Some('“'),
                    '"' => Some('"'),
                    _ => None,
                };
                if closer.is_none() {
                    out.push(c);
                }
            }
        }
    }
    // An unclosed bracket: keep what followed it as part of the name.
    if closer.is_some() {
        out.push(' ');
        out.push_str(&inner);
    }
    out
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

/// Cut the text into tokens: words, initials (with their dots), commas.
fn tokenize(s: &str) -> Vec<Token> {
    let mut toks = Vec::new();
    for piece in s.split(' ') {
        let comma_after = piece.ends_with([',', ';']);
        let piece = piece
            .trim_matches(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '\''));
        // "Ж.К.Байтхан" → "Ж.", "К.", "Байтхан".
        let mut rest = piece;
        let mut sub: Vec<&str> = Vec::new();
        while let Some(pos) = rest.find('.') {
            sub.push(&rest[..=pos]);
            rest = &rest[pos + 1..];
        }
        if !rest.is_empty() {
            sub.push(rest);
        }
        let n = sub.len();
        for (i, part) in sub.into_iter().enumerate() {
            let dotted = part.ends_with('.');
            // A trailing apostrophe is a letter in the 2017 Kazakh alphabet
            // (Kairatovi'c'), so only a leading one is dropped.
            let text = part
                .trim_matches(|c: char| c == '.' || c == '-')
                .trim_start_matches('\'');
            if text.is_empty() {
                continue;
            }
            let count = letters(text);
            // "Ж." "Zh." "Dzh." are initials; a single letter always is.
            let initial = count >= 1
                && text.chars().all(char::is_alphabetic)
                && (count == 1 || (dotted && count <= 3));
            toks.push(Token {
                text: text.to_string(),
                initial,
                comma_after: comma_after && i + 1 == n,
            });
        }
    }
    toks
}

/// Remove an age phrase ("37-летнего", "37 лет", "37-year-old", "37 жастағы").
fn take_age(toks: &mut Vec<Token>) -> (Option<u16>, Option<AgeAgreement>) {
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i].text;
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            i += 1;
            continue;
        }
        let n: Option<u16> = digits.parse().ok().filter(|&n: &u16| n <= 130);
        let rest = lower(t[digits.len()..].trim_start_matches('-'));
        let age_word = |w: &str| {
            w.starts_with("летн")
                || w == "лет"
                || w == "года"
                || w == "год"
                || w.starts_with("year")
                || w.starts_with("жас")
        };
        if !rest.is_empty() {
            if age_word(&rest) {
                let agreement = age_agreement(&rest);
                toks.remove(i);
                return (n, agreement);
            }
            i += 1;
            continue;
        }
        if let Some(next) = toks.get(i + 1) {
            let w = lower(&next.text);
            if age_word(&w) {
                let agreement = age_agreement(&w);
                toks.drain(i..i + 2);
                // "37 years old": the "old" goes too.
                if toks.get(i).is_some_and(|t| lower(&t.text) == "old") {
                    toks.remove(i);
                }
                return (n, agreement);
            }
        }
        i += 1;
    }
    (None, None)
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Parse a name with the default options.
///
/// ```
/// use qantar_names::{parse, Gender};
/// let p = parse("37-летнего Багдата Оналтаева").unwrap();
/// assert_eq!(p.given.as_deref(), Some("Багдат"));
/// assert_eq!(p.surname.as_deref(), Some("Оналтаев"));
/// assert_eq!(p.age, Some(37));
/// assert_eq!(p.gender, Gender::Male);
///
/// let p = parse("Абдрешев Ермек Серикович").unwrap();
/// assert_eq!(p.surname.as_deref(), Some("Абдрешев"));
/// assert_eq!(p.patronymic.as_deref(), Some("Серикович"));
/// ```
pub fn parse(s: &str) -> Result<ParsedName, NameError> {
    parse_with(s, ParseOptions::default())
}

/// Parse a name. Fails only when the text has no letters.
pub fn parse_with(s: &str, options: ParseOptions) -> Result<ParsedName, NameError> {
    let mut parsed = ParsedName {
        original: s.to_string(),
        ..ParsedName::default()
    };
    let cleaned = clean(s);
    if letters(&cleaned) == 0 {
        return Err(NameError::Empty {
            given: s.to_string(),
        });
    }
    let unbracketed = split_brackets(&cleaned, &mut parsed.other);
    let mut toks = tokenize(&unbracketed);
    let (age, agreement) = take_age(&mut toks);
    parsed.age = age;

    // Numbers left over and titles are not part of the name.
    let mut kept: Vec<Token> = Vec::with_capacity(toks.len());
    for t in toks {
        let l = lower(&t.text);
        if letters(&t.text) == 0 || TITLES.contains(&l.as_str()) {
            parsed.other.push(t.text);
            continue;
        }
        // "Қайрат ұлы" is one word.
        if PARTICLES.contains(&l.as_str())
            && let Some(prev) = kept.last_mut().filter(|p| !p.initial)
        {
            prev.text.push_str(&l);
            prev.comma_after = t.comma_after;
            continue;
        }
        kept.push(t);
    }
    // In running text the name is capitalised and the words around it are
    // not ("с Багдатом", "журналиста Нурадина Ракая"): drop those words.
    let any_upper = kept.iter().any(|t| starts_upper(&t.text));
    let any_lower = kept.iter().any(|t| !starts_upper(&t.text));
    if any_upper && any_lower {
        let (name, rest): (Vec<Token>, Vec<Token>) =
            kept.into_iter().partition(|t| starts_upper(&t.text));
        parsed.other.extend(rest.into_iter().map(|t| t.text));
        kept = name;
    }
    if kept.is_empty() {
        return Err(NameError::Empty {
            given: s.to_string(),
        });
    }

    // Russian case endings, on the Cyrillic words of the name.
    let cyr_idx: Vec<usize> = kept
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.initial && script_of(&t.text) == Script::Cyrillic)
        .map(|(i, _)| i)
        .collect();
    let mut inflection_female = None;
    if !cyr_idx.is_empty() {
        let words: Vec<String> = cyr_idx.iter().map(|&i| lower(&kept[i].text)).collect();
        let un = uninflect(&words, agreement);
        parsed.case = un.case;
        inflection_female = un.female;
        for ((&i, word), lemma) in cyr_idx.iter().zip(&words).zip(un.lemmas) {
            // Only a changed word is replaced, so its written case survives
            // when nothing was undone.
            if lemma != *word {
                kept[i].text = lemma;
            }
        }
    }

    assign_roles(&mut parsed, &kept, options);

    let age_female = agreement.and_then(|a| a.female);
    if parsed.gender == Gender::Unknown {
        parsed.gender = Gender::from_female(inflection_female.or(age_female));
    }
    Ok(parsed)
}

struct WordFacts {
    idx: usize,
    info: EndingInfo,
    lexicon: Option<NameSex>,
    kazakh_patronymic: bool,
}

fn assign_roles(parsed: &mut ParsedName, toks: &[Token], options: ParseOptions) {
    let mut scratch = Scratch::default();
    let initials: Vec<&Token> = toks.iter().filter(|t| t.initial).collect();
    let mut words: Vec<WordFacts> = Vec::new();
    for (idx, t) in toks.iter().enumerate().filter(|(_, t)| !t.initial) {
        let (k, info) = scratch.part_key(&t.text, Role::Plain);
        let s = k.as_str();
        words.push(WordFacts {
            idx,
            info,
            lexicon: given_name_sex(&k),
            kazakh_patronymic: info.patronymic
                && (s.ends_with("uli") || s.ends_with("kizi") || s.ends_with("ogli")),
        });
    }
    parsed.initials = initials.iter().map(|t| t.text.clone()).collect();

    // The patronymic: the last word with a patronymic ending. A Kazakh
    // -ұлы/-қызы word with at most one other word is a surname instead
    // ("Жомарт Қайратұлы"), as Kazakh naming uses it.
    let mut patronymic: Option<usize> = None;
    let mut forced_surname: Option<usize> = None;
    if let Some(p) = words.iter().rposition(|w| w.info.patronymic) {
        let others = words.len() - 1;
        if words[p].kazakh_patronymic && (others == 0 || (others == 1 && initials.is_empty())) {
            forced_surname = Some(p);
        } else {
            patronymic = Some(p);
        }
    }
    let rest: Vec<usize> = (0..words.len())
        .filter(|&i| Some(i) != patronymic)
        .collect();
    let surname_like = |i: usize| words[i].info.surname && words[i].lexicon.is_none();

    let mut given_words: Vec<usize> = Vec::new();
    let mut surname: Option<usize> = None;
    let mut order = NameOrder::Unknown;
    match rest.len() {
        0 => {}
        1 => {
            let only = rest[0];
            if forced_surname == Some(only) || !initials.is_empty() || surname_like(only) {
                surname = Some(only);
            } else {
                given_words.push(only);
            }
        }
        _ => {
            let first = rest[0];
            let last = rest[rest.len() - 1];
            let unique_surname: Vec<usize> =
                rest.iter().copied().filter(|&i| surname_like(i)).collect();
            let chosen = if let Some(f) = forced_surname {
                f
            } else if unique_surname.len() == 1 {
                unique_surname[0]
            } else {
                // Weigh the evidence for each order.
                let (mut gf, mut sf) = (1, 0);
                if toks[words[first].idx].comma_after {
                    sf += 6;
                }
                if words[first].lexicon.is_some() {
                    gf += 4;
                }
                if words[last].lexicon.is_some() {
                    sf += 4;
                }
                if surname_like(first) {
                    sf += 4;
                }
                if surname_like(last) {
                    gf += 4;
                }
                if let Some(p) = patronymic {
                    if p > last {
                        sf += 2;
                    } else if p > first {
                        gf += 6;
                    }
                }
                match options.order {
                    NameOrder::GivenFirst => gf += 3,
                    NameOrder::SurnameFirst => sf += 3,
                    NameOrder::Unknown => {}
                }
                if sf > gf { first } else { last }
            };
            surname = Some(chosen);
            given_words = rest.iter().copied().filter(|&i| i != chosen).collect();
            order = if chosen == first {
                NameOrder::SurnameFirst
            } else {
                NameOrder::GivenFirst
            };
        }
    }
    if order == NameOrder::Unknown
        && let (Some(s), Some(&g)) = (surname, given_words.first())
    {
        order = if s < g {
            NameOrder::SurnameFirst
        } else {
            NameOrder::GivenFirst
        };
    }
    parsed.order = order;

    let text_of = |i: usize| title_case(&toks[words[i].idx].text);
    if !given_words.is_empty() {
        parsed.given = Some(
            given_words
                .iter()
                .map(|&i| text_of(i))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    parsed.surname = surname.map(text_of);
    parsed.patronymic = patronymic.map(text_of);

    // Initials stand for what is missing, in the order given, patronymic.
    let mut spare = initials.iter().map(|t| title_case(&t.text));
    if parsed.given.is_none() {
        parsed.given_initial = spare.next();
    }
    if parsed.patronymic.is_none() {
        parsed.patronymic_initial = spare.next();
    }

    // Sex: patronymic ending, then surname ending, then the given name.
    let from_patronymic = patronymic
        .or(forced_surname)
        .and_then(|i| words[i].info.female);
    let from_surname = surname
        .filter(|&i| words[i].info.surname)
        .and_then(|i| words[i].info.female);
    let from_given = given_words.first().and_then(|&i| match words[i].lexicon {
        Some(NameSex::Male) => Some(false),
        Some(NameSex::Female) => Some(true),
        _ => None,
    });
    parsed.gender = Gender::from_female(from_patronymic.or(from_surname).or(from_given));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ParsedName {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn parts(n: &ParsedName) -> (Option<&str>, Option<&str>, Option<&str>) {
        (
            n.given.as_deref(),
            n.surname.as_deref(),
            n.patronymic.as_deref(),
        )
    }

    #[test]
    fn orders() {
        assert_eq!(
            parts(&p("Жомарт Байтхан")),
            (Some("Жомарт"), Some("Байтхан"), None)
        );
        assert_eq!(
            parts(&p("Baitkhan Zhomart")),
            (Some("Zhomart"), Some("Baitkhan"), None)
        );
        assert_eq!(
            parts(&p("Абдрешев Ермек Серикович")),
            (Some("Ермек"), Some("Абдрешев"), Some("Серикович"))
        );
        assert_eq!(
            parts(&p("Ермек Серикович Абдрешев")),
            (Some("Ермек"), Some("Абдрешев"), Some("Серикович"))
        );
        assert_eq!(
            parts(&p("Байтхан, Жомарт")),
            (Some("Жомарт"), Some("Байтхан"), None)
        );
        assert_eq!(p("Байтхан Жомарт Қайратұлы").order, NameOrder::SurnameFirst);
        assert_eq!(
            parts(&p("Kassym-Jomart Tokayev")),
            (Some("Kassym-Jomart"), Some("Tokayev"), None)
        );
        assert_eq!(
            parts(&p("Kassym Jomart Tokayev")),
            (Some("Kassym Jomart"), Some("Tokayev"), None)
        );
        assert_eq!(
            parts(&p("Петров-Водкин Кузьма")),
            (Some("Кузьма"), Some("Петров-Водкин"), None)
        );
        assert_eq!(
            parts(&p("Ким Виктор Николаевич")),
            (Some("Виктор"), Some("Ким"), Some("Николаевич"))
        );
        assert_eq!(
            parts(&p("Ержан Тұрсын")),
            (Some("Ержан"), Some("Тұрсын"), None)
        );
        let hinted = parse_with(
            "Сабит Бауыржан",
            ParseOptions {
                order: NameOrder::SurnameFirst,
            },
        )
        .unwrap();
        assert_eq!(parts(&hinted), (Some("Бауыржан"), Some("Сабит"), None));
    }

    #[test]
    fn initials() {
        let n = p("Ж. Байтхан");
        assert_eq!(parts(&n), (None, Some("Байтхан"), None));
        assert_eq!(n.given_initial.as_deref(), Some("Ж"));
        let n = p("Байтхан Ж.К.");
        assert_eq!(
            (n.given_initial.as_deref(), n.patronymic_initial.as_deref()),
            (Some("Ж"), Some("К"))
        );
        let n = p("Zh. Baitkhan");
        assert_eq!(
            (n.given_initial.as_deref(), n.surname.as_deref()),
            (Some("Zh"), Some("Baitkhan"))
        );
        let n = p("Ж.К.Байтхан");
        assert_eq!(n.initials, ["Ж", "К"]);
        assert_eq!(n.display(), "Ж. К. Байтхан");
    }

    #[test]
    fn kazakh_patronymic_forms() {
        assert_eq!(
            parts(&p("Жомарт Қайратұлы")),
            (Some("Жомарт"), Some("Қайратұлы"), None)
        );
        assert_eq!(parts(&p("Қайратұлы")), (None, Some("Қайратұлы"), None));
        assert_eq!(
            parts(&p("Жомарт Қайрат ұлы Байтхан")),
            (Some("Жомарт"), Some("Байтхан"), Some("Қайратұлы"))
        );
        assert_eq!(p("Айнұр Серікқызы").gender, Gender::Female);
    }

    #[test]
    fn inflected_press_forms() {
        let n = p("37-летнего Багдата Оналтаева");
        assert_eq!(parts(&n), (Some("Багдат"), Some("Оналтаев"), None));
        assert_eq!(
            (n.age, n.case, n.gender),
            (Some(37), Case::Genitive, Gender::Male)
        );
        assert_eq!(
            parts(&p("с Багдатом Оналтаевым")),
            (Some("Багдат"), Some("Оналтаев"), None)
        );
        assert_eq!(
            parts(&p("Эльмиры Усабаевой")),
            (Some("Эльмира"), Some("Усабаева"), None)
        );
        assert_eq!(
            parts(&p("журналиста Нурадина Ракая")),
            (Some("Нурадин"), Some("Ракай"), None)
        );
        let n = p("Ermek Abdreshev, 37 лет");
        assert_eq!(
            (parts(&n), n.age),
            ((Some("Ermek"), Some("Abdreshev"), None), Some(37))
        );
        assert_eq!(p("a 37-year-old Ermek Abdreshev").age, Some(37));
    }

    #[test]
    fn gender() {
        assert_eq!(p("Ainur Baitkhanova").gender, Gender::Female);
        assert_eq!(p("Jomart Baitkhan").gender, Gender::Male);
        assert_eq!(p("Ermek Serikovich Abdreshev").gender, Gender::Male);
        assert_eq!(p("Baitkhan").gender, Gender::Unknown);
    }

    #[test]
    fn set_aside_and_errors() {
        let n = p("Жомарт «Жоке» Байтхан (1987 г.р.)");
        assert_eq!(parts(&n), (Some("Жомарт"), Some("Байтхан"), None));
        assert_eq!(n.other, ["Жоке", "1987 г.р."]);
        assert!(matches!(parse(" 37 - "), Err(NameError::Empty { .. })));
        assert!(parse("").is_err());
        assert_eq!(parts(&p("НУРБОЛ")), (Some("Нурбол"), None, None));
        assert_eq!(p("Mr Nurbol Alpamys").other, ["Mr"]);
    }
}
