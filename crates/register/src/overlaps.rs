//! The list-overlap table: how many persons of the register each
//! combination of lists names, overall or by stratum. It is the input of
//! multiple systems estimation, and its JSON is the MSE format the
//! `estimate` command reads (`lists`, then `patterns` of `{in, count}`).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use qantar_estimate::{Overlaps, Stratum};
use qantar_model::time::{civil_from_days, days_from_civil};
use qantar_store::Store;
use serde_json::{Value, json};

use crate::RegisterError;
use crate::run::{Register, RegisterPerson, register_with_places};

/// How long a period stratum is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    Day,
    /// ISO weeks (Monday to Sunday), named by their Monday.
    Week,
    Month,
}

/// What to split the register by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stratifier {
    /// The region the person's records point to.
    Region,
    /// The gravest act type the person's records give.
    ActType,
    /// When the violation happened.
    Period(PeriodUnit),
}

impl FromStr for Stratifier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "region" => Stratifier::Region,
            "act-type" | "act_type" => Stratifier::ActType,
            "period" | "month" => Stratifier::Period(PeriodUnit::Month),
            "day" => Stratifier::Period(PeriodUnit::Day),
            "week" => Stratifier::Period(PeriodUnit::Week),
            _ => {
                return Err(format!(
                    "unknown stratum {s:?}; use region, act-type, or period (by month; or day, week)"
                ));
            }
        })
    }
}

impl fmt::Display for Stratifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stratifier::Region => "region",
            Stratifier::ActType => "act-type",
            Stratifier::Period(PeriodUnit::Month) => "period",
            Stratifier::Period(PeriodUnit::Day) => "day",
            Stratifier::Period(PeriodUnit::Week) => "week",
        })
    }
}

fn period_of(date: &str, unit: PeriodUnit) -> Option<String> {
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    Some(match unit {
        PeriodUnit::Day => format!("{y:04}-{m:02}-{d:02}"),
        PeriodUnit::Month => format!("{y:04}-{m:02}"),
        PeriodUnit::Week => {
            let days = days_from_civil(y, m, d);
            // 1970-01-01 was a Thursday; Monday is three days before.
            let monday = days - (days + 3).rem_euclid(7);
            let (y, m, d) = civil_from_days(monday);
            format!("week of {y:04}-{m:02}-{d:02}")
        }
    })
}

/// The name of the stratum a person falls in.
fn stratum_of(p: &RegisterPerson, by: Stratifier, label: &dyn Fn(&str) -> String) -> String {
    let unknown = || "unknown".to_owned();
    match by {
        Stratifier::Region => p.region.as_deref().map(label).unwrap_or_else(unknown),
        Stratifier::ActType => p.act_type.clone().unwrap_or_else(unknown),
        Stratifier::Period(unit) => p
            .date
            .as_deref()
            .and_then(|d| period_of(d, unit))
            .unwrap_or_else(unknown),
    }
}

/// List names for the table: the lists' labels, made unique.
fn list_names(reg: &Register) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for l in &reg.lists {
        let mut name = l.label.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{} ({n})", l.label);
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The overlap tables of the register: one (named `all`) without `by`, one
/// per stratum with it, strata in name order with `unknown` last.
pub fn overlaps(store: &Store, by: Option<Stratifier>) -> Result<Vec<Stratum>, RegisterError> {
    let (reg, book) = register_with_places(store)?;
    let names = list_names(&reg);
    let list_pos: BTreeMap<&str, usize> = reg
        .lists
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let label = |id: &str| book.label(id).unwrap_or(id).to_owned();
    let mut strata: BTreeMap<(bool, String), Vec<Vec<bool>>> = BTreeMap::new();
    for p in &reg.persons {
        let mut on = vec![false; names.len()];
        for l in &p.lists {
            if let Some(&i) = list_pos.get(l.as_str()) {
                on[i] = true;
            }
        }
        let name = match by {
            None => "all".to_owned(),
            Some(by) => stratum_of(p, by, &label),
        };
        strata
            .entry((name == "unknown", name))
            .or_default()
            .push(on);
    }
    strata
        .into_iter()
        .map(|((_, name), records)| {
            let overlaps = Overlaps::from_records(names.clone(), records)
                .map_err(|e| RegisterError::Input(format!("stratum {name}: {e}")))?;
            Ok(Stratum { name, overlaps })
        })
        .collect()
}

/// The MSE JSON of overlap tables: one object for a single unstratified
/// table, an array of objects with a `stratum` name otherwise.
pub fn overlaps_json(strata: &[Stratum], stratified: bool) -> Value {
    let one = |s: &Stratum| {
        let mut v = json!({
            "lists": s.overlaps.lists(),
            "patterns": s.overlaps.patterns(),
            "n_observed": s.overlaps.documented(),
        });
        if stratified {
            v["stratum"] = json!(s.name);
        }
        v
    };
    match strata {
        [only] if !stratified => one(only),
        _ => Value::Array(strata.iter().map(one).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_by_day_week_and_month() {
        assert_eq!(
            period_of("2022-01-05", PeriodUnit::Day).as_deref(),
            Some("2022-01-05")
        );
        assert_eq!(
            period_of("2022-01-05", PeriodUnit::Month).as_deref(),
            Some("2022-01")
        );
        // 5 January 2022 was a Wednesday; its week began on Monday the 3rd.
        assert_eq!(
            period_of("2022-01-05", PeriodUnit::Week).as_deref(),
            Some("week of 2022-01-03")
        );
        assert_eq!(
            period_of("2022-01-02", PeriodUnit::Week).as_deref(),
            Some("week of 2021-12-27")
        );
        assert_eq!(
            period_of("2022-01-10", PeriodUnit::Week).as_deref(),
            Some("week of 2022-01-10")
        );
        assert_eq!(period_of("soon", PeriodUnit::Day), None);
    }

    #[test]
    fn stratifiers_parse_and_name_themselves() {
        for s in ["region", "act-type", "period", "day", "week"] {
            let st: Stratifier = s.parse().expect(s);
            assert_eq!(st.to_string(), s);
        }
        let e = "county".parse::<Stratifier>().unwrap_err();
        assert!(e.contains("region") && e.contains("county"), "{e}");
    }
}
