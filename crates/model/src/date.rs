//! Calendar days and the approximate dates documenters actually have.
//!
//! Witnesses remember "early February" or "about the 5th"; officials publish
//! figures "as of January". [`ApproxDate`] keeps exactly what was said, in a
//! small canonical text form (see `docs/record-format.md`), and answers the
//! two questions the archive needs for filtering and sorting: what is the
//! earliest and the latest day it can mean.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The accepted forms, quoted in every "not a date" message so the reader
/// can fix the value without opening the documentation.
const DATE_FORMS: &str = "write \"2022\", \"2022-01\", \"2022-01-05\", \"early 2022-02\" (or mid, late), \"about 2022-01-05\", or an interval such as \"2022-01-08/early 2022-02\", \"2022-01-08/..\" or \"../2022-02\"";

/// A day of the proleptic Gregorian calendar, years 0000 to 9999.
///
/// Field order makes the derived `Ord` chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CivilDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month; 0 for a month number outside 1..=12, so that callers
/// that validate with `day <= days_in_month(..)` reject it.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date text was refused. Each message quotes the text and says what
/// would be accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("\"{0}\" is not a date; {DATE_FORMS}")]
    Malformed(String),
    #[error("\"{0}\" has no month {1}; months run from 01 to 12")]
    NoSuchMonth(String, u8),
    #[error("\"{input}\" names day {day}, but {month_name} {year} has {days} days")]
    NoSuchDay {
        input: String,
        year: i32,
        month_name: &'static str,
        day: u8,
        days: u8,
    },
    #[error("\"{0}\" ends before it starts; put the earlier date first")]
    Backwards(String),
    #[error("\"{0}\" is open at both ends; give at least one end, e.g. \"2022-01-08/..\"")]
    OpenBothEnds(String),
    #[error("\"{0}\" is not a day; write it as YYYY-MM-DD, e.g. \"2022-01-05\"")]
    NotADay(String),
}

impl CivilDate {
    /// A checked day: the month must exist and the day must exist in it
    /// (29 February only in leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Result<CivilDate, DateError> {
        let text = format!("{year:04}-{month:02}-{day:02}");
        check_year_month(&text, year, month)?;
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(DateError::NoSuchDay {
                input: text,
                year,
                month_name: MONTH_NAMES[usize::from(month - 1)],
                day,
                days,
            });
        }
        Ok(CivilDate { year, month, day })
    }

    fn last_of_month(year: i32, month: u8) -> CivilDate {
        CivilDate {
            year,
            month,
            day: days_in_month(year, month),
        }
    }
}

fn check_year_month(text: &str, year: i32, month: u8) -> Result<(), DateError> {
    if !(0..=9999).contains(&year) {
        return Err(DateError::Malformed(text.to_owned()));
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth(text.to_owned(), month));
    }
    Ok(())
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for CivilDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<CivilDate, DateError> {
        match parse_calendar(s, s)? {
            Span::Day(d) => Ok(d),
            _ => Err(DateError::NotADay(s.to_owned())),
        }
    }
}

impl Serialize for CivilDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CivilDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CivilDate, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Which third of a month "early", "mid" and "late" mean: days 1–10, 11–20,
/// and 21 to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Third {
    Early,
    Mid,
    Late,
}

impl Third {
    fn word(self) -> &'static str {
        match self {
            Third::Early => "early",
            Third::Mid => "mid",
            Third::Late => "late",
        }
    }
}

/// The stretch of days one point form names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Span {
    Year(i32),
    Month(i32, u8),
    Third(Third, i32, u8),
    Day(CivilDate),
}

impl Span {
    fn earliest(self) -> CivilDate {
        match self {
            Span::Year(y) => CivilDate {
                year: y,
                month: 1,
                day: 1,
            },
            Span::Month(y, m) => CivilDate {
                year: y,
                month: m,
                day: 1,
            },
            Span::Third(t, y, m) => CivilDate {
                year: y,
                month: m,
                day: match t {
                    Third::Early => 1,
                    Third::Mid => 11,
                    Third::Late => 21,
                },
            },
            Span::Day(d) => d,
        }
    }

    fn latest(self) -> CivilDate {
        match self {
            Span::Year(y) => CivilDate {
                year: y,
                month: 12,
                day: 31,
            },
            Span::Month(y, m) => CivilDate::last_of_month(y, m),
            Span::Third(Third::Early, y, m) => CivilDate {
                year: y,
                month: m,
                day: 10,
            },
            Span::Third(Third::Mid, y, m) => CivilDate {
                year: y,
                month: m,
                day: 20,
            },
            Span::Third(Third::Late, y, m) => CivilDate::last_of_month(y, m),
            Span::Day(d) => d,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Year(y) => write!(f, "{y:04}"),
            Span::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Span::Third(t, y, m) => write!(f, "{} {y:04}-{m:02}", t.word()),
            Span::Day(d) => d.fmt(f),
        }
    }
}

/// One point form, possibly marked "about".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Point {
    about: bool,
    span: Span,
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.about {
            f.write_str("about ")?;
        }
        self.span.fmt(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Shape {
    Point(Point),
    /// At least one end is present; `None` is an open end (`..`).
    Interval(Option<Point>, Option<Point>),
}

/// A date as precise as the source: a year, a month, a third of a month, a
/// day, any of them "about", or an interval between two of them with either
/// end possibly open.
///
/// The text form round-trips unchanged: `s.parse::<ApproxDate>()?.to_string() == s`
/// for every canonical form in `docs/record-format.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApproxDate {
    shape: Shape,
}

impl ApproxDate {
    /// A single known day.
    pub fn from_day(day: CivilDate) -> ApproxDate {
        ApproxDate {
            shape: Shape::Point(Point {
                about: false,
                span: Span::Day(day),
            }),
        }
    }

    /// The first day this date can mean; `None` for an interval open at the start.
    pub fn earliest(&self) -> Option<CivilDate> {
        match self.shape {
            Shape::Point(p) => Some(p.span.earliest()),
            Shape::Interval(from, _) => from.map(|p| p.span.earliest()),
        }
    }

    /// The last day this date can mean; `None` for an interval open at the end.
    pub fn latest(&self) -> Option<CivilDate> {
        match self.shape {
            Shape::Point(p) => Some(p.span.latest()),
            Shape::Interval(_, to) => to.map(|p| p.span.latest()),
        }
    }

    /// Whether the source hedged ("about"), at either end. Imprecision alone
    /// (a month, an interval) is not approximation: it is already in
    /// [`earliest`](Self::earliest) and [`latest`](Self::latest).
    pub fn is_approximate(&self) -> bool {
        match self.shape {
            Shape::Point(p) => p.about,
            Shape::Interval(a, b) => a.is_some_and(|p| p.about) || b.is_some_and(|p| p.about),
        }
    }

    /// Whether this is written as an interval (`from/to`).
    pub fn is_interval(&self) -> bool {
        matches!(self.shape, Shape::Interval(..))
    }

    /// The day, if this names exactly one day and does not hedge.
    pub fn exact_day(&self) -> Option<CivilDate> {
        match self.shape {
            Shape::Point(Point {
                about: false,
                span: Span::Day(d),
            }) => Some(d),
            _ => None,
        }
    }
}

/// Compares possible days where a missing bound means "unbounded": an open
/// start is before everything, an open end after everything.
pub(crate) fn definitely_before(latest: Option<CivilDate>, earliest: Option<CivilDate>) -> bool {
    matches!((latest, earliest), (Some(l), Some(e)) if l < e)
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked against the calendar. `whole`
/// is the full input, quoted in errors.
fn parse_calendar(s: &str, whole: &str) -> Result<Span, DateError> {
    let malformed = || DateError::Malformed(whole.to_owned());
    let parts: Vec<&str> = s.split('-').collect();
    let widths_ok = match parts.as_slice() {
        [y] => y.len() == 4,
        [y, m] => y.len() == 4 && m.len() == 2,
        [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
        _ => false,
    };
    if !widths_ok {
        return Err(malformed());
    }
    let mut numbers = Vec::with_capacity(3);
    for p in &parts {
        numbers.push(digits(p).ok_or_else(malformed)?);
    }
    let year = i32::try_from(numbers[0]).map_err(|_| malformed())?;
    match numbers[1..] {
        [] => Ok(Span::Year(year)),
        [m] => {
            let month = u8::try_from(m).map_err(|_| malformed())?;
            check_year_month(whole, year, month)?;
            Ok(Span::Month(year, month))
        }
        [m, d] => {
            let month = u8::try_from(m).map_err(|_| malformed())?;
            let day = u8::try_from(d).map_err(|_| malformed())?;
            check_year_month(whole, year, month)?;
            CivilDate::new(year, month, day)
                .map(Span::Day)
                .map_err(|e| match e {
                    DateError::NoSuchDay {
                        year,
                        month_name,
                        day,
                        days,
                        ..
                    } => DateError::NoSuchDay {
                        input: whole.to_owned(),
                        year,
                        month_name,
                        day,
                        days,
                    },
                    _ => malformed(),
                })
        }
        _ => Err(malformed()),
    }
}

fn parse_point(s: &str, whole: &str) -> Result<Point, DateError> {
    let (about, rest) = match s.strip_prefix("about ") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let third = [Third::Early, Third::Mid, Third::Late]
        .into_iter()
        .find_map(|t| {
            rest.strip_prefix(t.word())
                .and_then(|r| r.strip_prefix(' '))
                .map(|r| (t, r))
        });
    let span = match third {
        Some((t, r)) => match parse_calendar(r, whole)? {
            Span::Month(y, m) => Span::Third(t, y, m),
            // "early 2022" or "early 2022-01-05" would hide what was meant.
            _ => return Err(DateError::Malformed(whole.to_owned())),
        },
        None => parse_calendar(rest, whole)?,
    };
    Ok(Point { about, span })
}

fn parse_end(s: &str, whole: &str) -> Result<Option<Point>, DateError> {
    if s == ".." {
        Ok(None)
    } else {
        parse_point(s, whole).map(Some)
    }
}

impl FromStr for ApproxDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<ApproxDate, DateError> {
        let shape = match s.split_once('/') {
            None => Shape::Point(parse_point(s, s)?),
            Some((a, b)) => {
                let from = parse_end(a, s)?;
                let to = parse_end(b, s)?;
                match (from, to) {
                    (None, None) => return Err(DateError::OpenBothEnds(s.to_owned())),
                    (Some(f), Some(t)) if t.span.latest() < f.span.earliest() => {
                        return Err(DateError::Backwards(s.to_owned()));
                    }
                    _ => Shape::Interval(from, to),
                }
            }
        };
        Ok(ApproxDate { shape })
    }
}

impl fmt::Display for ApproxDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shape {
            Shape::Point(p) => p.fmt(f),
            Shape::Interval(a, b) => {
                match a {
                    Some(p) => p.fmt(f)?,
                    None => f.write_str("..")?,
                }
                f.write_str("/")?;
                match b {
                    Some(p) => p.fmt(f),
                    None => f.write_str(".."),
                }
            }
        }
    }
}

impl Serialize for ApproxDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ApproxDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ApproxDate, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> ApproxDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn day(s: &str) -> CivilDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn every_documented_form_round_trips_with_its_bounds() {
        let cases = [
            ("2022", "2022-01-01", "2022-12-31", false),
            ("2022-01", "2022-01-01", "2022-01-31", false),
            ("2022-01-05", "2022-01-05", "2022-01-05", false),
            ("early 2022-02", "2022-02-01", "2022-02-10", false),
            ("mid 2022-02", "2022-02-11", "2022-02-20", false),
            ("late 2022-02", "2022-02-21", "2022-02-28", false),
            ("late 2024-02", "2024-02-21", "2024-02-29", false),
            ("about 2022-01-05", "2022-01-05", "2022-01-05", true),
            ("about late 2022-01", "2022-01-21", "2022-01-31", true),
            (
                "2022-01-08/early 2022-02",
                "2022-01-08",
                "2022-02-10",
                false,
            ),
            ("2021/2022-01", "2021-01-01", "2022-01-31", false),
            (
                "2022-01-08/about 2022-01-19",
                "2022-01-08",
                "2022-01-19",
                true,
            ),
        ];
        for (text, lo, hi, about) in cases {
            let date = d(text);
            assert_eq!(date.to_string(), text);
            assert_eq!(date.earliest(), Some(day(lo)), "{text}");
            assert_eq!(date.latest(), Some(day(hi)), "{text}");
            assert_eq!(date.is_approximate(), about, "{text}");
        }
    }

    #[test]
    fn open_intervals_have_one_bound() {
        let from = d("2022-01-08/..");
        assert_eq!(from.earliest(), Some(day("2022-01-08")));
        assert_eq!(from.latest(), None);
        assert_eq!(from.to_string(), "2022-01-08/..");
        let to = d("../2022-02");
        assert_eq!(to.earliest(), None);
        assert_eq!(to.latest(), Some(day("2022-02-28")));
        assert_eq!(to.to_string(), "../2022-02");
        assert!(to.is_interval() && !to.is_approximate());
    }

    #[test]
    fn calendar_is_checked() {
        assert!(matches!(
            "2022-02-29".parse::<ApproxDate>(),
            Err(DateError::NoSuchDay {
                day: 29,
                days: 28,
                ..
            })
        ));
        assert!("2024-02-29".parse::<ApproxDate>().is_ok());
        assert!("2000-02-29".parse::<ApproxDate>().is_ok());
        assert!("1900-02-29".parse::<ApproxDate>().is_err());
        assert!("2022-04-31".parse::<ApproxDate>().is_err());
        assert!("2022-00".parse::<ApproxDate>().is_err());
        assert!(matches!(
            "2022-13-01".parse::<ApproxDate>(),
            Err(DateError::NoSuchMonth(_, 13))
        ));
        assert!("2022-01-00".parse::<ApproxDate>().is_err());
        let msg = "2022-02-30".parse::<ApproxDate>().unwrap_err().to_string();
        assert!(msg.contains("February 2022 has 28 days"), "{msg}");
    }

    #[test]
    fn malformed_texts_are_refused() {
        for bad in [
            "",
            "22",
            "2022-1-5",
            "2022-01-05 ",
            " 2022",
            "5 January 2022",
            "early 2022",
            "early 2022-01-05",
            "about",
            "about about 2022",
            "circa 2022",
            "2022/",
            "/2022",
            "2022//2023",
            "2022/2023/2024",
            "+2022",
            "2022-01-05T10:00",
            "２０２２",
        ] {
            assert!(bad.parse::<ApproxDate>().is_err(), "{bad:?} was accepted");
        }
        let msg = "5 Jan".parse::<ApproxDate>().unwrap_err().to_string();
        assert!(msg.contains("early 2022-02"), "{msg}");
    }

    #[test]
    fn intervals_must_not_run_backwards_or_be_empty() {
        assert!(matches!(
            "2022-02/2022-01".parse::<ApproxDate>(),
            Err(DateError::Backwards(_))
        ));
        assert!("2022-01-10/early 2022-01".parse::<ApproxDate>().is_ok());
        assert!(matches!(
            "2022-01-11/early 2022-01".parse::<ApproxDate>(),
            Err(DateError::Backwards(_))
        ));
        assert!(matches!(
            "../..".parse::<ApproxDate>(),
            Err(DateError::OpenBothEnds(_))
        ));
    }

    #[test]
    fn civil_dates_order_and_print() {
        assert!(day("2021-12-31") < day("2022-01-01"));
        assert_eq!(day("0987-03-04").to_string(), "0987-03-04");
        assert!(matches!(
            "2022-01".parse::<CivilDate>(),
            Err(DateError::NotADay(_))
        ));
        assert!(CivilDate::new(2022, 2, 29).is_err());
        assert!(CivilDate::new(2022, 13, 1).is_err());
        assert_eq!(d("2022-01-05").exact_day(), Some(day("2022-01-05")));
        assert_eq!(d("about 2022-01-05").exact_day(), None);
    }

    #[test]
    fn serde_uses_the_text_form() {
        let date = d("about mid 2022-01");
        let json = serde_json::to_value(date).unwrap_or_default();
        assert_eq!(json, serde_json::json!("about mid 2022-01"));
        let back: ApproxDate = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, date);
        assert!(serde_json::from_value::<ApproxDate>(serde_json::json!("2022-02-30")).is_err());
    }

    fn span() -> impl Strategy<Value = Span> {
        let ym = (1900i32..2100, 1u8..=12);
        prop_oneof![
            (1900i32..2100).prop_map(Span::Year),
            ym.clone().prop_map(|(y, m)| Span::Month(y, m)),
            (ym.clone(), 0..3usize).prop_map(|((y, m), t)| {
                Span::Third([Third::Early, Third::Mid, Third::Late][t], y, m)
            }),
            (ym, 1u8..=31).prop_map(|((y, m), dd)| Span::Day(CivilDate {
                year: y,
                month: m,
                day: dd.min(days_in_month(y, m)),
            })),
        ]
    }

    fn point() -> impl Strategy<Value = Point> {
        (any::<bool>(), span()).prop_map(|(about, span)| Point { about, span })
    }

    fn approx_date() -> impl Strategy<Value = ApproxDate> {
        let interval = (proptest::option::of(point()), proptest::option::of(point()))
            .prop_filter("at least one end", |(a, b)| a.is_some() || b.is_some())
            .prop_map(|(a, b)| match (a, b) {
                // Swapping a backwards pair makes it valid (see the parser's rule).
                (Some(x), Some(y)) if y.span.latest() < x.span.earliest() => (Some(y), Some(x)),
                other => other,
            })
            .prop_map(|(a, b)| Shape::Interval(a, b));
        prop_oneof![point().prop_map(Shape::Point), interval].prop_map(|shape| ApproxDate { shape })
    }

    proptest! {
        #[test]
        fn parse_display_round_trip(date in approx_date()) {
            let text = date.to_string();
            let back: ApproxDate = text.parse().map_err(|e: DateError| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, date);
            prop_assert_eq!(back.to_string(), text);
            if let (Some(lo), Some(hi)) = (date.earliest(), date.latest()) {
                prop_assert!(lo <= hi);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "[0-9a-z ./-]{0,24}") {
            if let Ok(date) = s.parse::<ApproxDate>() {
                prop_assert_eq!(date.to_string(), s);
            }
        }
    }
}
