//! Records as they arrive (text fields) and as they are compared (keys,
//! parsed dates, hashes), and the date parsing they need.

use qantar_names::{Gender, Key, NameKeys, ParsedName, keys, normalize, parse};

use crate::error::LinkError;
use crate::hash::{fnv, fnv_str};

/// A record as read from a list: every field is optional text, exactly as
/// the source wrote it. Which fields exist is the same for `import` and
/// `link`; `texts` holds the `text:<name>` fields in the order of
/// [`Schema::texts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordInput {
    /// The record's identifier in its list.
    pub id: String,
    /// Which list it came from (0 for the first input).
    pub list: u16,
    pub given: Option<String>,
    pub surname: Option<String>,
    pub patronymic: Option<String>,
    /// The whole name in one field; parsed into parts only when no separate
    /// part is given.
    pub full_name: Option<String>,
    /// A full or partial date: `1985-03-07`, `19850307`, `07.03.1985`,
    /// `07/03/1985`, `1985-03` or `1985`.
    pub birth_date: Option<String>,
    pub birth_year: Option<String>,
    /// Age in years at [`LinkConfig::age_as_of_year`](crate::LinkConfig).
    pub age: Option<String>,
    /// `m`, `f`, `male`, `female`, `м`, `ж`, `ер`, `әйел` … anything else is unknown.
    pub sex: Option<String>,
    /// A place, broad to narrow, levels separated by `>`
    /// (`Almaty Region > Almaty`). A single level is a plain place name.
    pub place: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    /// A document or national identity number.
    pub id_number: Option<String>,
    /// Date of the violation.
    pub event_date: Option<String>,
    /// Other columns compared as text.
    pub texts: Vec<Option<String>>,
}

impl RecordInput {
    /// Set a field by the name `import` and `link` use for it (`given`,
    /// `surname`, …, `event_date`). Returns false for any other name: the
    /// `text:<name>` fields are placed by position in [`Self::texts`].
    pub fn set(&mut self, field: &str, value: Option<String>) -> bool {
        let slot = match field {
            "given" => &mut self.given,
            "surname" => &mut self.surname,
            "patronymic" => &mut self.patronymic,
            "full_name" => &mut self.full_name,
            "birth_date" => &mut self.birth_date,
            "birth_year" => &mut self.birth_year,
            "age" => &mut self.age,
            "sex" => &mut self.sex,
            "place" => &mut self.place,
            "address" => &mut self.address,
            "postcode" => &mut self.postcode,
            "id_number" => &mut self.id_number,
            "event_date" => &mut self.event_date,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// Which fields a set of lists carries: a comparison is made only for a
/// field that at least one record has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Names of the `text:<name>` fields, in order.
    pub texts: Vec<String>,
}

/// A date with optional month and day. `year` is always known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Days since 0000-03-01 for a full date (civil calendar), used for
    /// distances between event dates.
    pub fn day_number(&self) -> Option<i32> {
        let (m, d) = (i32::from(self.month?), i32::from(self.day?));
        let y = i32::from(self.year) - i32::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe)
    }

    /// `yyyymmdd` as digits, for counting typos between two full dates.
    fn digits(&self) -> Option<[u8; 8]> {
        let (m, d) = (self.month?, self.day?);
        let y = self.year.clamp(0, 9999) as u16;
        let dig = |v: u16| b'0' + (v % 10) as u8;
        Some([
            dig(y / 1000),
            dig(y / 100),
            dig(y / 10),
            dig(y),
            b'0' + m / 10,
            b'0' + m % 10,
            b'0' + d / 10,
            b'0' + d % 10,
        ])
    }
}

/// Parse a date as lists write it. Returns `None` for empty text and an
/// error for text that is not a date (the caller decides whether that is
/// fatal or a missing value).
pub fn parse_date(s: &str) -> Result<Option<PartialDate>, LinkError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || LinkError::BadDate {
        value: t.to_string(),
    };
    let nums: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = match nums.as_slice() {
        [one] if one.len() == 8 => (
            num(&one[..4])?,
            Some(num(&one[4..6])?),
            Some(num(&one[6..])?),
        ),
        [one] if one.len() == 4 => (num(one)?, None, None),
        [a, b] if a.len() == 4 => (num(a)?, Some(num(b)?), None),
        [a, b, c] if a.len() == 4 => (num(a)?, Some(num(b)?), Some(num(c)?)),
        [a, b, c] if c.len() == 4 => (num(c)?, Some(num(b)?), Some(num(a)?)),
        _ => return Err(bad()),
    };
    if !(1000..=2999).contains(&y) {
        return Err(bad());
    }
    // A month or day of 0 is how many registers write "unknown".
    let m = m.filter(|&m| m != 0);
    let d = d.filter(|&d| d != 0);
    if m.is_some_and(|m| m > 12) || d.is_some_and(|d| d > 31) {
        return Err(bad());
    }
    Ok(Some(PartialDate {
        year: y as i16,
        month: m.map(|m| m as u8),
        day: if m.is_some() {
            d.map(|d| d as u8)
        } else {
            None
        },
    }))
}

/// Sex as a record states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    #[default]
    Unknown,
    Male,
    Female,
}

/// Read a sex value in English, Russian or Kazakh.
pub fn parse_sex(s: &str) -> Sex {
    let l = s.trim().to_lowercase();
    match l.as_str() {
        "m" | "male" | "man" | "м" | "муж" | "мужской" | "мужчина" | "ер" | "ер адам" | "еркек" => {
            Sex::Male
        }
        "f" | "female" | "woman" | "w" | "ж" | "жен" | "женский" | "женщина" | "әйел" | "айел" => {
            Sex::Female
        }
        _ => Sex::Unknown,
    }
}

/// A place as a path of level hashes, broad to narrow, plus the spelling of
/// its narrowest level for fuzzy comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacePath {
    pub levels: Box<[u64]>,
    pub leaf: Box<str>,
}

/// A record ready to compare: keys and parsed values, computed once.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: Box<str>,
    pub list: u16,
    pub name: NameKeys,
    /// Hashes of each name part's normalised spelling (0 when absent), for
    /// the "same spelling" level.
    pub given_spelling: u64,
    pub surname_spelling: u64,
    pub birth: Option<PartialDate>,
    /// Birth year known only roughly (from an age): ±1.
    pub birth_year_approx: bool,
    pub sex: Sex,
    pub place: Option<PlacePath>,
    pub address: Option<Box<str>>,
    pub postcode: Option<Box<str>>,
    pub id_number: Option<Box<str>>,
    pub event: Option<PartialDate>,
    pub texts: Box<[Option<Box<str>>]>,
    /// Term counts of this record's values, filled by the linker (see
    /// [`crate::compare::TfField`]): surname, given, place leaf, postcode,
    /// then one per text field.
    pub(crate) tf: Box<[u32]>,
}

/// Lower case, letters and digits kept, runs of anything else made one space.
pub fn fold_text(s: &str) -> String {
    let n = normalize(s);
    let mut out = String::with_capacity(n.len());
    let mut space = false;
    for c in n.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn boxed(s: String) -> Option<Box<str>> {
    if s.is_empty() {
        None
    } else {
        Some(s.into_boxed_str())
    }
}

/// A problem with one value of one record that did not stop the record from
/// being used: the value is treated as missing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldWarning {
    pub record: String,
    pub field: &'static str,
    pub message: String,
}

/// Turn a [`RecordInput`] into a [`Record`]. Values that cannot be read (a
/// date that is not a date) are dropped with a warning rather than failing
/// the whole list. `age_as_of_year` turns an age into a birth year.
pub fn prepare(
    input: &RecordInput,
    age_as_of_year: i16,
    warnings: &mut Vec<FieldWarning>,
) -> Record {
    let mut warn = |field: &'static str, message: String| {
        warnings.push(FieldWarning {
            record: input.id.clone(),
            field,
            message,
        })
    };
    let parsed = name_of(input);
    let (name, given_spelling, surname_spelling) = match &parsed {
        Some(p) => (
            keys(p),
            p.given
                .as_deref()
                .map(|g| fnv_str(&normalize(g)))
                .unwrap_or(0),
            p.surname
                .as_deref()
                .map(|s| fnv_str(&normalize(s)))
                .unwrap_or(0),
        ),
        None => (NameKeys::default(), 0, 0),
    };

    let mut birth = None;
    let mut birth_year_approx = false;
    if let Some(t) = non_empty(&input.birth_date) {
        match parse_date(t) {
            Ok(d) => birth = d,
            Err(e) => warn("birth_date", e.to_string()),
        }
    }
    if birth.is_none()
        && let Some(t) = non_empty(&input.birth_year)
    {
        match t.parse::<i16>() {
            Ok(y) if (1000..3000).contains(&y) => {
                birth = Some(PartialDate {
                    year: y,
                    month: None,
                    day: None,
                })
            }
            _ => warn(
                "birth_year",
                format!("{t:?} is not a year; write four digits such as 1985"),
            ),
        }
    }
    if birth.is_none()
        && let Some(t) = non_empty(&input.age)
    {
        // "37", "37 лет", "37 жаста", "37 y.o.": the leading number.
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<i16>() {
            Ok(a) if a <= 130 => {
                birth = Some(PartialDate {
                    year: age_as_of_year - a,
                    month: None,
                    day: None,
                });
                birth_year_approx = true;
            }
            _ => warn(
                "age",
                format!("{t:?} is not an age; write a whole number of years"),
            ),
        }
    }
    let mut event = None;
    if let Some(t) = non_empty(&input.event_date) {
        match parse_date(t) {
            Ok(d) => event = d,
            Err(e) => warn("event_date", e.to_string()),
        }
    }
    let place = non_empty(&input.place).and_then(|p| {
        // Through the name key, so that Қызылорда, Кызылорда and Kyzylorda
        // are one place; text the key cannot read is folded instead.
        let levels: Vec<String> = p
            .split('>')
            .map(|l| {
                let k = qantar_names::key(l);
                if k.is_empty() {
                    fold_text(l)
                } else {
                    k.as_str().to_string()
                }
            })
            .filter(|l| !l.is_empty())
            .collect();
        let leaf = levels.last()?.clone();
        Some(PlacePath {
            levels: levels.iter().map(|l| fnv_str(l)).collect(),
            leaf: leaf.into_boxed_str(),
        })
    });
    let id_number = non_empty(&input.id_number).and_then(|t| {
        boxed(
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect(),
        )
    });
    let postcode = non_empty(&input.postcode).and_then(|t| {
        boxed(
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect(),
        )
    });
    Record {
        id: input.id.clone().into_boxed_str(),
        list: input.list,
        name,
        given_spelling,
        surname_spelling,
        birth,
        birth_year_approx,
        // A list without a sex column (or a blank cell) still shows it in
        // the name: -ұлы/-қызы, -ович/-овна, -ов/-ова, a known given name.
        sex: match non_empty(&input.sex).map(parse_sex).unwrap_or_default() {
            Sex::Unknown => match name.gender {
                Gender::Male => Sex::Male,
                Gender::Female => Sex::Female,
                Gender::Unknown => Sex::Unknown,
            },
            s => s,
        },
        place,
        address: non_empty(&input.address).and_then(|t| boxed(fold_text(t))),
        postcode,
        id_number,
        event,
        texts: input
            .texts
            .iter()
            .map(|t| non_empty(t).and_then(|t| boxed(fold_text(t))))
            .collect(),
        tf: Box::new([]),
    }
}

/// The name parts: separate columns when any is given, else the full name
/// parsed.
fn name_of(input: &RecordInput) -> Option<ParsedName> {
    let (g, s, p) = (
        non_empty(&input.given),
        non_empty(&input.surname),
        non_empty(&input.patronymic),
    );
    if g.is_some() || s.is_some() || p.is_some() {
        let gender = |x: Option<&str>| -> Gender {
            x.and_then(|x| parse(x).ok())
                .map(|p| p.gender)
                .unwrap_or_default()
        };
        let mut gd = gender(p);
        if gd == Gender::Unknown {
            gd = gender(s);
        }
        return Some(ParsedName {
            original: [g, s, p]
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            given: g.map(str::to_string),
            surname: s.map(str::to_string),
            patronymic: p.map(str::to_string),
            gender: gd,
            ..ParsedName::default()
        });
    }
    non_empty(&input.full_name).and_then(|f| parse(f).ok())
}

/// Hash of a name key (0 for an empty key).
pub(crate) fn key_hash(k: &Key) -> u64 {
    if k.is_empty() { 0 } else { fnv(k.as_bytes()) }
}

impl PartialDate {
    /// Full-date typo count ≤ 1 (one digit changed, or two adjacent digits
    /// swapped) or day and month swapped.
    pub(crate) fn one_typo_from(&self, other: &PartialDate) -> bool {
        let (Some(a), Some(b)) = (self.digits(), other.digits()) else {
            return false;
        };
        // Both are eight digits, so one edit is one digit changed or two
        // adjacent digits swapped (an insertion needs a deletion too).
        let mut diff = (0..8).filter(|&i| a[i] != b[i]);
        match (diff.next(), diff.next(), diff.next()) {
            (None, _, _) | (Some(_), None, _) => return true,
            (Some(i), Some(j), None) if j == i + 1 && a[i] == b[j] && a[j] == b[i] => {
                return true;
            }
            _ => {}
        }
        self.year == other.year && self.month == other.day && self.day == other.month
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_from_the_name_when_not_given() {
        let sex = |name: &str, sex: Option<&str>| {
            prepare(
                &RecordInput {
                    id: "r".into(),
                    full_name: Some(name.into()),
                    sex: sex.map(str::to_string),
                    ..RecordInput::default()
                },
                2022,
                &mut Vec::new(),
            )
            .sex
        };
        assert_eq!(sex("Байтхан Жомарт Қайратұлы", None), Sex::Male);
        assert_eq!(sex("Ainur Baitkhanova", None), Sex::Female);
        assert_eq!(sex("Алексеева Ольга Александровна", Some("")), Sex::Female);
        // A stated sex wins over the name.
        assert_eq!(sex("Ainur Baitkhanova", Some("м")), Sex::Male);
    }

    #[test]
    fn dates_in_the_usual_forms() {
        let d = |s: &str| parse_date(s).unwrap();
        let full = Some(PartialDate {
            year: 1985,
            month: Some(3),
            day: Some(7),
        });
        assert_eq!(d("1985-03-07"), full);
        assert_eq!(d("19850307"), full);
        assert_eq!(d("07.03.1985"), full);
        assert_eq!(d("07/03/1985"), full);
        assert_eq!(d("1985").map(|p| (p.year, p.month)), Some((1985, None)));
        assert_eq!(
            d("1985-00-00").map(|p| (p.month, p.day)),
            Some((None, None))
        );
        assert_eq!(d(""), None);
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("1985-13-01").is_err());
    }

    #[test]
    fn day_numbers_count_days() {
        let a = parse_date("2022-01-04").unwrap().unwrap();
        let b = parse_date("2022-02-03").unwrap().unwrap();
        let c = parse_date("2021-12-31").unwrap().unwrap();
        assert_eq!(b.day_number().unwrap() - a.day_number().unwrap(), 30);
        assert_eq!(a.day_number().unwrap() - c.day_number().unwrap(), 4);
    }

    #[test]
    fn age_becomes_an_approximate_birth_year() {
        let mut w = Vec::new();
        let r = prepare(
            &RecordInput {
                id: "1".into(),
                full_name: Some("37-летнего Багдата Оналтаева".into()),
                age: Some("37 лет".into()),
                ..RecordInput::default()
            },
            2022,
            &mut w,
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(r.birth.map(|b| b.year), Some(1985));
        assert!(r.birth_year_approx);
        assert_eq!(r.name.surname, qantar_names::surname_key("Оналтаев"));
    }

    #[test]
    fn unreadable_values_warn_and_are_dropped() {
        let mut w = Vec::new();
        let r = prepare(
            &RecordInput {
                id: "x7".into(),
                birth_date: Some("not known".into()),
                sex: Some("Ж".into()),
                place: Some("Almaty Region > Almaty".into()),
                ..RecordInput::default()
            },
            2022,
            &mut w,
        );
        assert_eq!(r.birth, None);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].record.as_str(), w[0].field), ("x7", "birth_date"));
        assert_eq!(r.sex, Sex::Female);
        assert_eq!(r.place.as_ref().map(|p| p.levels.len()), Some(2));
        assert_eq!(
            r.place.as_ref().map(|p| &*p.leaf),
            Some(qantar_names::key("Алматы").as_str())
        );
    }

    #[test]
    fn folding_text() {
        assert_eq!(fold_text("  Light  St., 12-B "), "light st 12 b");
    }
}
