//! Counts as sources state them: "238", "more than 4,500", "15–18".
//!
//! A published figure is rarely a plain number, and the hedge is part of the
//! claim: "at least 3,000 detained" and "3,000 detained" are different
//! statements. [`CountRange`] keeps the wording (including whether the number
//! was written with thousands separators) and exposes the range it allows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const COUNT_FORMS: &str = "write \"238\", \"4,500\", \"about 10,000\", \"more than 4,500\", \"at least 3,000\", \"fewer than 50\", \"at most 20\" or a range \"15–18\"";

/// A non-negative whole number as written: with or without commas between
/// groups of three digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Number {
    value: u64,
    grouped: bool,
}

impl Number {
    fn parse(s: &str) -> Option<Number> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
            return None;
        }
        let groups: Vec<&str> = s.split(',').collect();
        let (first, rest) = groups.split_first()?;
        let well_formed = !first.is_empty()
            && (first.len() <= 3 || rest.is_empty())
            && rest.iter().all(|g| g.len() == 3)
            // A leading zero would not survive printing ("007" → "7").
            && (*first == "0" || !first.starts_with('0'))
            && (rest.is_empty() || *first != "0");
        if !well_formed {
            return None;
        }
        let value = groups.concat().parse().ok()?;
        Some(Number {
            value,
            grouped: !rest.is_empty(),
        })
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = self.value.to_string();
        if !self.grouped {
            return f.write_str(&plain);
        }
        let lead = plain.len() % 3;
        let mut out = String::with_capacity(plain.len() + plain.len() / 3);
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && (i + 3 - lead).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        f.write_str(&out)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Form {
    Exact(Number),
    About(Number),
    MoreThan(Number),
    AtLeast(Number),
    FewerThan(Number),
    AtMost(Number),
    Range(Number, Number),
}

type MakeForm = fn(Number) -> Form;

const PREFIXES: [(&str, MakeForm); 5] = [
    ("about ", Form::About),
    ("more than ", Form::MoreThan),
    ("at least ", Form::AtLeast),
    ("fewer than ", Form::FewerThan),
    ("at most ", Form::AtMost),
];

/// Why a count text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("\"{0}\" is not a count; {COUNT_FORMS}")]
    Malformed(String),
    #[error("\"{0}\" is too large for a count")]
    TooLarge(String),
    #[error("\"{0}\" ends below where it starts; put the smaller number first")]
    Backwards(String),
    #[error("\"{0}\" allows no count at all; did you mean \"0\"?")]
    Empty(String),
}

/// A count or a range of counts with the source's hedge.
///
/// | text | low | high |
/// |---|---|---|
/// | `238`, `4,500` | n | n |
/// | `about 10,000` | n | n (approximate) |
/// | `more than 4,500`, `at least 3,000` | n | none (unbounded) |
/// | `fewer than 50`, `at most 20` | 0 | n |
/// | `15–18` (or `15-18`, printed with an en dash) | 15 | 18 |
///
/// Equality compares the written form, so `4500` and `4,500` differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CountRange {
    form: Form,
}

impl CountRange {
    /// An exact count, written without separators.
    pub fn exact(n: u64) -> CountRange {
        CountRange {
            form: Form::Exact(Number {
                value: n,
                grouped: false,
            }),
        }
    }

    pub fn low(&self) -> u64 {
        match self.form {
            Form::Exact(n) | Form::About(n) | Form::MoreThan(n) | Form::AtLeast(n) => n.value,
            Form::FewerThan(_) | Form::AtMost(_) => 0,
            Form::Range(a, _) => a.value,
        }
    }

    /// `None` means no upper bound ("more than", "at least").
    pub fn high(&self) -> Option<u64> {
        match self.form {
            Form::Exact(n) | Form::About(n) | Form::FewerThan(n) | Form::AtMost(n) => Some(n.value),
            Form::MoreThan(_) | Form::AtLeast(_) => None,
            Form::Range(_, b) => Some(b.value),
        }
    }

    /// Only "about N" is approximate; bounds and ranges are precise
    /// statements about an uncertain number.
    pub fn is_approximate(&self) -> bool {
        matches!(self.form, Form::About(_))
    }

    /// Whether the count is one number ("238", "about 10,000").
    pub fn is_single(&self) -> bool {
        matches!(self.form, Form::Exact(_) | Form::About(_))
    }

    /// Whether the stated bound itself is excluded ("more than", "fewer
    /// than"): `low`/`high` report the number as written, this says how to
    /// read it.
    pub fn is_exclusive(&self) -> bool {
        matches!(self.form, Form::MoreThan(_) | Form::FewerThan(_))
    }
}

impl FromStr for CountRange {
    type Err = CountError;
    fn from_str(s: &str) -> Result<CountRange, CountError> {
        let number = |t: &str| -> Result<Number, CountError> {
            match Number::parse(t) {
                Some(n) => Ok(n),
                None if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b',') => {
                    // Well-formed digits that do not fit a u64 are "too large";
                    // badly placed commas are malformed.
                    let plain: String = t.chars().filter(|c| *c != ',').collect();
                    if plain.len() > 19 && !plain.starts_with('0') {
                        Err(CountError::TooLarge(s.to_owned()))
                    } else {
                        Err(CountError::Malformed(s.to_owned()))
                    }
                }
                None => Err(CountError::Malformed(s.to_owned())),
            }
        };
        for (prefix, make) in PREFIXES {
            if let Some(rest) = s.strip_prefix(prefix) {
                let n = number(rest)?;
                if matches!(make(n), Form::FewerThan(_)) && n.value == 0 {
                    return Err(CountError::Empty(s.to_owned()));
                }
                return Ok(CountRange { form: make(n) });
            }
        }
        let dash = s.split_once('\u{2013}').or_else(|| s.split_once('-'));
        let form = match dash {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if b.value < a.value {
                    return Err(CountError::Backwards(s.to_owned()));
                }
                Form::Range(a, b)
            }
            None => Form::Exact(number(s)?),
        };
        Ok(CountRange { form })
    }
}

impl fmt::Display for CountRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            Form::Exact(n) => write!(f, "{n}"),
            Form::About(n) => write!(f, "about {n}"),
            Form::MoreThan(n) => write!(f, "more than {n}"),
            Form::AtLeast(n) => write!(f, "at least {n}"),
            Form::FewerThan(n) => write!(f, "fewer than {n}"),
            Form::AtMost(n) => write!(f, "at most {n}"),
            Form::Range(a, b) => write!(f, "{a}\u{2013}{b}"),
        }
    }
}

impl Serialize for CountRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CountRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CountRange, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(s: &str) -> CountRange {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn documented_forms_round_trip_with_bounds() {
        let cases: [(&str, u64, Option<u64>, bool); 9] = [
            ("238", 238, Some(238), false),
            ("4,500", 4500, Some(4500), false),
            ("about 10,000", 10_000, Some(10_000), true),
            ("more than 4,500", 4500, None, false),
            ("at least 3,000", 3000, None, false),
            ("fewer than 50", 0, Some(50), false),
            ("at most 20", 0, Some(20), false),
            ("15\u{2013}18", 15, Some(18), false),
            ("1,234,567", 1_234_567, Some(1_234_567), false),
        ];
        for (text, low, high, approx) in cases {
            let count = c(text);
            assert_eq!(count.to_string(), text);
            assert_eq!(count.low(), low, "{text}");
            assert_eq!(count.high(), high, "{text}");
            assert_eq!(count.is_approximate(), approx, "{text}");
        }
        assert!(c("more than 4,500").is_exclusive());
        assert!(!c("at least 4,500").is_exclusive());
    }

    #[test]
    fn hyphen_range_is_printed_with_en_dash() {
        let count = c("15-18");
        assert_eq!(count.to_string(), "15\u{2013}18");
        assert_eq!(count, c("15\u{2013}18"));
    }

    #[test]
    fn bad_counts_are_refused() {
        for bad in [
            "",
            "-5",
            "4.500",
            "4 500",
            "45,00",
            ",450",
            "4500,",
            "1234,567",
            "007",
            "0,500",
            "about",
            "about -3",
            "more than",
            "many",
            "15 – 18",
            "15–",
            "–18",
            "15–18–20",
            " 238",
            "238 ",
            "About 10",
        ] {
            assert!(bad.parse::<CountRange>().is_err(), "{bad:?} was accepted");
        }
        assert!(matches!(
            "18–15".parse::<CountRange>(),
            Err(CountError::Backwards(_))
        ));
        assert!(matches!(
            "fewer than 0".parse::<CountRange>(),
            Err(CountError::Empty(_))
        ));
        assert!(matches!(
            "99999999999999999999999".parse::<CountRange>(),
            Err(CountError::TooLarge(_))
        ));
        let msg = "many".parse::<CountRange>().unwrap_err().to_string();
        assert!(msg.contains("more than 4,500"), "{msg}");
    }

    fn number() -> impl Strategy<Value = Number> {
        (0u64..=u64::MAX, any::<bool>(), 0..4u32).prop_map(|(v, grouped, scale)| {
            // Mostly small numbers, as in real claims, but every width is covered.
            let value = if scale < 3 {
                v % 10u64.pow(scale * 3 + 2)
            } else {
                v
            };
            // Below 1,000 there is nothing to separate, so no grouping is written.
            Number {
                value,
                grouped: grouped && value >= 1000,
            }
        })
    }

    fn count() -> impl Strategy<Value = CountRange> {
        let form = prop_oneof![
            number().prop_map(Form::Exact),
            number().prop_map(Form::About),
            number().prop_map(Form::MoreThan),
            number().prop_map(Form::AtLeast),
            number()
                .prop_map(|n| Number {
                    value: n.value.max(1),
                    ..n
                })
                .prop_map(Form::FewerThan),
            number().prop_map(Form::AtMost),
            (number(), number()).prop_map(|(a, b)| if b.value < a.value {
                Form::Range(b, a)
            } else {
                Form::Range(a, b)
            }),
        ];
        form.prop_map(|form| CountRange { form })
    }

    proptest! {
        #[test]
        fn parse_display_round_trip(count in count()) {
            let text = count.to_string();
            let back: CountRange = text.parse().map_err(|e: CountError| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, count);
            prop_assert_eq!(back.to_string(), text);
            if let Some(high) = count.high() {
                prop_assert!(count.low() <= high);
            }
        }

        #[test]
        fn accepted_text_is_canonical(s in "(about |more than |at least |fewer than |at most )?[0-9,]{1,9}(\u{2013}[0-9,]{1,9})?") {
            if let Ok(count) = s.parse::<CountRange>() {
                prop_assert_eq!(count.to_string(), s);
            }
        }
    }
}
