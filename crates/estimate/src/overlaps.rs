//! The input: how many records fall in each combination of lists.
//!
//! An [`Overlaps`] table is the only thing the estimators see. It can be read
//! from the MSE JSON format of `shared/data/mse/*.json`, from a CSV table, or
//! tallied from the register one record at a time (the CLI does this for
//! `--by region|act-type|period`, building one table per [`Stratum`]).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::error::InputError;

/// Most lists a table may have. LCMCR works at the level of observed
/// patterns, so this is generous; the log-linear search stops at
/// [`crate::loglinear::MAX_LISTS_LOGLINEAR`].
pub const MAX_LISTS: usize = 16;

/// Counts of records by capture pattern: which lists each record is on.
///
/// Patterns are stored as bit masks (bit `j` set when the record is on list
/// `j`); the pattern "on no list" never has a count, since those are the
/// people the estimate is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlaps {
    lists: Vec<String>,
    counts: BTreeMap<u32, u64>,
}

/// One pattern row for display and JSON: the lists a record is on and how
/// many records share that pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatternCount {
    /// One flag per list, in the table's list order.
    #[serde(rename = "in", serialize_with = "ser_bits")]
    pub on: Vec<bool>,
    /// Number of records with exactly this pattern.
    pub count: u64,
}

fn ser_bits<S: serde::Serializer>(bits: &[bool], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(bits.len()))?;
    for b in bits {
        seq.serialize_element(&u8::from(*b))?;
    }
    seq.end()
}

/// A named part of the data estimated on its own, such as one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stratum {
    /// The stratum's label (`"all"` when the input is not stratified).
    pub name: String,
    /// Its overlap table.
    pub overlaps: Overlaps,
}

impl Overlaps {
    /// Builds a table from list names and `(pattern, count)` rows. Rows with
    /// the same pattern are added together; rows with a zero count are kept
    /// out.
    pub fn new<I>(lists: Vec<String>, patterns: I) -> Result<Self, InputError>
    where
        I: IntoIterator<Item = (Vec<bool>, u64)>,
    {
        check_lists(&lists)?;
        let mut table = Overlaps {
            lists,
            counts: BTreeMap::new(),
        };
        for (i, (pattern, count)) in patterns.into_iter().enumerate() {
            table.add(&format!("pattern {}", i + 1), &pattern, count)?;
        }
        Ok(table)
    }

    /// Tallies individual records, each given as one flag per list. This is
    /// the way in from the register: one entry per documented person.
    pub fn from_records<I, R>(lists: Vec<String>, records: I) -> Result<Self, InputError>
    where
        I: IntoIterator<Item = R>,
        R: AsRef<[bool]>,
    {
        check_lists(&lists)?;
        let mut table = Overlaps {
            lists,
            counts: BTreeMap::new(),
        };
        for (i, record) in records.into_iter().enumerate() {
            table.add(&format!("record {}", i + 1), record.as_ref(), 1)?;
        }
        Ok(table)
    }

    /// Reads the MSE JSON format: `{"lists": [..], "patterns": [{"in": [0,1,..],
    /// "count": n}, ..]}`. An optional `n_observed` is checked against the
    /// counts; other fields (sources, published estimates) are ignored.
    pub fn from_mse_json(text: &str) -> Result<Self, InputError> {
        let value: Value = serde_json::from_str(text).map_err(|e| InputError::Json {
            detail: e.to_string(),
        })?;
        Self::from_json_value(&value, "")
    }

    fn from_json_value(value: &Value, prefix: &str) -> Result<Self, InputError> {
        let field = |name: &str| format!("{prefix}{name}");
        let obj = value.as_object().ok_or_else(|| InputError::Field {
            field: if prefix.is_empty() {
                "(top level)".into()
            } else {
                prefix.trim_end_matches('.').into()
            },
            problem: "must be an object with `lists` and `patterns`".into(),
        })?;
        let lists_value = obj.get("lists").ok_or_else(|| InputError::Field {
            field: field("lists"),
            problem: "is missing; give the list names as an array of strings".into(),
        })?;
        let lists_array = lists_value.as_array().ok_or_else(|| InputError::Field {
            field: field("lists"),
            problem: "must be an array of list names".into(),
        })?;
        let mut lists = Vec::with_capacity(lists_array.len());
        for (i, name) in lists_array.iter().enumerate() {
            let name = name.as_str().ok_or_else(|| InputError::Field {
                field: field(&format!("lists[{i}]")),
                problem: "must be a string".into(),
            })?;
            lists.push(name.trim().to_string());
        }
        check_lists(&lists)?;
        let patterns = obj.get("patterns").and_then(Value::as_array).ok_or_else(|| {
            InputError::Field {
                field: field("patterns"),
                problem: "is missing or not an array; give one {\"in\": [0/1 per list], \"count\": n} per pattern".into(),
            }
        })?;
        let mut table = Overlaps {
            lists,
            counts: BTreeMap::new(),
        };
        for (i, row) in patterns.iter().enumerate() {
            let place = field(&format!("patterns[{i}]"));
            let bits =
                row.get("in")
                    .and_then(Value::as_array)
                    .ok_or_else(|| InputError::Field {
                        field: format!("{place}.in"),
                        problem: "is missing or not an array of 0/1".into(),
                    })?;
            let mut pattern = Vec::with_capacity(bits.len());
            for (j, bit) in bits.iter().enumerate() {
                pattern.push(match bit {
                    Value::Bool(b) => *b,
                    Value::Number(n) if n.as_u64() == Some(0) => false,
                    Value::Number(n) if n.as_u64() == Some(1) => true,
                    other => {
                        return Err(InputError::NotBinary {
                            place: format!("{place}.in[{j}]"),
                            value: other.to_string(),
                        });
                    }
                });
            }
            let count_value = row.get("count").ok_or_else(|| InputError::Field {
                field: format!("{place}.count"),
                problem: "is missing; give the number of records with this pattern".into(),
            })?;
            let count = count_value.as_u64().ok_or_else(|| InputError::BadCount {
                place: format!("{place}.count"),
                value: count_value.to_string(),
            })?;
            table.add(&format!("{place}.in"), &pattern, count)?;
        }
        if let Some(stated) = obj.get("n_observed") {
            let stated = stated.as_u64().ok_or_else(|| InputError::BadCount {
                place: field("n_observed"),
                value: stated.to_string(),
            })?;
            let counted = table.documented();
            if stated != counted {
                return Err(InputError::ObservedMismatch { stated, counted });
            }
        }
        Ok(table)
    }

    /// Reads a CSV table with one 0/1 column per list and an optional
    /// `count` column (without it every row is one record). A `stratum`
    /// column is refused here: use [`read_input`] for stratified tables.
    pub fn from_csv(text: &str) -> Result<Self, InputError> {
        let mut strata = strata_from_csv(text)?;
        if strata.len() != 1 {
            return Err(InputError::Field {
                field: "stratum".into(),
                problem: format!(
                    "has {} different values; read the table with `read_input` to get one estimate per stratum",
                    strata.len()
                ),
            });
        }
        Ok(strata.remove(0).overlaps)
    }

    fn add(&mut self, place: &str, pattern: &[bool], count: u64) -> Result<(), InputError> {
        if pattern.len() != self.lists.len() {
            return Err(InputError::PatternLength {
                place: place.to_string(),
                expected: self.lists.len(),
                found: pattern.len(),
            });
        }
        let mask = pattern
            .iter()
            .enumerate()
            .fold(0u32, |m, (j, &on)| if on { m | (1 << j) } else { m });
        if count == 0 {
            return Ok(());
        }
        if mask == 0 {
            return Err(InputError::OnNoList {
                place: place.to_string(),
                count,
            });
        }
        let entry = self.counts.entry(mask).or_insert(0);
        *entry = entry.checked_add(count).ok_or(InputError::Overflow)?;
        if self.documented() > (1u64 << 53) {
            return Err(InputError::Overflow);
        }
        Ok(())
    }

    /// The list names, in column order.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    /// Number of lists.
    pub fn list_count(&self) -> usize {
        self.lists.len()
    }

    /// Number of distinct records documented: the sum of all counts.
    pub fn documented(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The records on each list (a record on several lists counts on each).
    pub fn list_totals(&self) -> Vec<u64> {
        (0..self.lists.len())
            .map(|j| {
                self.counts
                    .iter()
                    .filter(|(m, _)| *m & (1 << j) != 0)
                    .map(|(_, c)| c)
                    .sum()
            })
            .collect()
    }

    /// Records on two or more lists.
    pub fn in_overlaps(&self) -> u64 {
        self.counts
            .iter()
            .filter(|(m, _)| m.count_ones() >= 2)
            .map(|(_, c)| c)
            .sum()
    }

    /// The patterns with at least one record, in order of their bit masks.
    pub fn patterns(&self) -> Vec<PatternCount> {
        self.counts
            .iter()
            .map(|(&mask, &count)| PatternCount {
                on: (0..self.lists.len())
                    .map(|j| mask & (1 << j) != 0)
                    .collect(),
                count,
            })
            .collect()
    }

    /// Records with exactly this pattern (0 for a pattern of the wrong length).
    pub fn count(&self, pattern: &[bool]) -> u64 {
        if pattern.len() != self.lists.len() {
            return 0;
        }
        let mask = pattern
            .iter()
            .enumerate()
            .fold(0u32, |m, (j, &on)| if on { m | (1 << j) } else { m });
        self.counts.get(&mask).copied().unwrap_or(0)
    }

    /// `(mask, count)` for every observed pattern.
    pub(crate) fn mask_counts(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.counts.iter().map(|(&m, &c)| (m, c))
    }

    /// Counts for all `2^J` patterns indexed by mask (index 0, the unobserved
    /// cell, is 0). Only for the log-linear models, where `J` is small.
    pub(crate) fn dense(&self) -> Vec<f64> {
        let mut y = vec![0.0; 1usize << self.lists.len()];
        for (&m, &c) in &self.counts {
            y[m as usize] = c as f64;
        }
        y
    }
}

fn check_lists(lists: &[String]) -> Result<(), InputError> {
    if lists.is_empty() {
        return Err(InputError::NoLists);
    }
    if lists.len() > MAX_LISTS {
        return Err(InputError::TooManyLists {
            found: lists.len(),
            max: MAX_LISTS,
        });
    }
    for (i, name) in lists.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(InputError::EmptyListName { position: i + 1 });
        }
        if lists[..i].contains(name) {
            return Err(InputError::DuplicateList { name: name.clone() });
        }
    }
    Ok(())
}

/// Reads either input format and returns one [`Stratum`] per stratum.
///
/// * JSON: one MSE object (a single stratum named `"all"`), or an array of
///   them, each with a `"stratum"` name.
/// * CSV: see [`strata_from_csv`].
pub fn read_input(text: &str) -> Result<Vec<Stratum>, InputError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value: Value = serde_json::from_str(trimmed).map_err(|e| InputError::Json {
            detail: e.to_string(),
        })?;
        match &value {
            Value::Array(items) => {
                if items.is_empty() {
                    return Err(InputError::Field {
                        field: "(top level)".into(),
                        problem: "is an empty array; give at least one stratum".into(),
                    });
                }
                let mut strata = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let name = item
                        .get("stratum")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| InputError::Field {
                            field: format!("[{i}].stratum"),
                            problem: "is missing; name every stratum in an array of tables".into(),
                        })?;
                    if strata.iter().any(|s: &Stratum| s.name == name) {
                        return Err(InputError::Field {
                            field: format!("[{i}].stratum"),
                            problem: format!(
                                "repeats the stratum name `{name}`; give each a distinct name"
                            ),
                        });
                    }
                    let overlaps = Overlaps::from_json_value(item, &format!("[{i}]."))?;
                    strata.push(Stratum { name, overlaps });
                }
                Ok(strata)
            }
            _ => Ok(vec![Stratum {
                name: value
                    .get("stratum")
                    .and_then(Value::as_str)
                    .unwrap_or("all")
                    .to_string(),
                overlaps: Overlaps::from_json_value(&value, "")?,
            }]),
        }
    } else {
        strata_from_csv(text)
    }
}

/// Reads a CSV table: a header row, then one row per pattern (with a `count`
/// column) or per record (without one). Columns named `count` and `stratum`
/// (any case) have those roles; every other column is a list, with values
/// 0/1 (also `true`/`false`, `yes`/`no`). The separator (comma, semicolon
/// or tab) is the one the header uses. Strata come out in the order they
/// first appear.
pub fn strata_from_csv(text: &str) -> Result<Vec<Stratum>, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header_line) = lines.next().ok_or(InputError::EmptyCsv)?;
    let sep = detect_separator(header_line);
    let header: Vec<String> = split_csv_line(header_line, sep)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in header.iter().enumerate() {
        if header[..i].iter().any(|o| o.eq_ignore_ascii_case(h)) {
            return Err(InputError::DuplicateColumn { name: h.clone() });
        }
    }
    let count_col = header.iter().position(|h| h.eq_ignore_ascii_case("count"));
    let stratum_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("stratum"));
    let list_cols: Vec<usize> = (0..header.len())
        .filter(|&i| Some(i) != count_col && Some(i) != stratum_col)
        .collect();
    let lists: Vec<String> = list_cols.iter().map(|&i| header[i].clone()).collect();
    check_lists(&lists)?;

    let mut strata: Vec<Stratum> = Vec::new();
    let mut rows = 0usize;
    for (line_no, line) in lines {
        rows += 1;
        let fields = split_csv_line(line, sep);
        if fields.len() != header.len() {
            return Err(InputError::RaggedRow {
                line: line_no,
                expected: header.len(),
                found: fields.len(),
            });
        }
        let mut pattern = Vec::with_capacity(list_cols.len());
        for &c in &list_cols {
            let v = fields[c].trim();
            pattern.push(match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => {
                    return Err(InputError::NotBinary {
                        place: format!("line {line_no}, column `{}`", header[c]),
                        value: v.to_string(),
                    });
                }
            });
        }
        let count = match count_col {
            Some(c) => {
                let v = fields[c].trim();
                v.parse::<u64>().map_err(|_| InputError::BadCount {
                    place: format!("line {line_no}, column `{}`", header[c]),
                    value: v.to_string(),
                })?
            }
            None => 1,
        };
        let name = stratum_col
            .map(|c| fields[c].trim().to_string())
            .unwrap_or_else(|| "all".into());
        let index = match strata.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                strata.push(Stratum {
                    name,
                    overlaps: Overlaps {
                        lists: lists.clone(),
                        counts: BTreeMap::new(),
                    },
                });
                strata.len() - 1
            }
        };
        strata[index]
            .overlaps
            .add(&format!("line {line_no}"), &pattern, count)?;
    }
    if rows == 0 {
        return Err(InputError::EmptyCsv);
    }
    Ok(strata)
}

/// The separator is whichever of comma, semicolon and tab occurs most
/// often outside quotes in the header (a comma when none does).
fn detect_separator(header: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for ch in header.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    [',', ';', '\t'][best]
}

/// Splits one CSV line, honouring double quotes (`""` inside quotes is a
/// literal quote).
fn split_csv_line(line: &str, sep: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        if quoted {
            if ch == '"' {
                if chars.peek() == Some(&'"') {
                    current.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                current.push(ch);
            }
        } else if ch == '"' && current.trim().is_empty() {
            current.clear();
            quoted = true;
        } else if ch == sep {
            fields.push(std::mem::take(&mut current));
        } else {
            current.push(ch);
        }
    }
    fields.push(current);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn json_round_trip_and_totals() {
        let text = r#"{"lists":["A","B","C"],"patterns":[
            {"in":[1,0,0],"count":5},{"in":[0,1,1],"count":2},{"in":[1,1,1],"count":1},
            {"in":[1,0,0],"count":3}],"n_observed":11}"#;
        let t = Overlaps::from_mse_json(text).expect("valid table");
        assert_eq!(t.documented(), 11);
        assert_eq!(
            t.count(&[true, false, false]),
            8,
            "duplicate rows are added"
        );
        assert_eq!(t.list_totals(), vec![9, 3, 3]);
        assert_eq!(t.in_overlaps(), 3);
    }

    #[test]
    fn json_errors_name_the_field() {
        let bad = r#"{"lists":["A","B"],"patterns":[{"in":[1,2],"count":5}]}"#;
        let err = Overlaps::from_mse_json(bad).unwrap_err();
        assert!(err.to_string().contains("patterns[0].in[1]"), "{err}");
        let wrong_total =
            r#"{"lists":["A","B"],"patterns":[{"in":[1,1],"count":5}],"n_observed":6}"#;
        assert!(matches!(
            Overlaps::from_mse_json(wrong_total),
            Err(InputError::ObservedMismatch {
                stated: 6,
                counted: 5
            })
        ));
        let none = r#"{"lists":["A","B"],"patterns":[{"in":[0,0],"count":5}]}"#;
        assert!(matches!(
            Overlaps::from_mse_json(none),
            Err(InputError::OnNoList { .. })
        ));
        let short = r#"{"lists":["A","B"],"patterns":[{"in":[1],"count":5}]}"#;
        assert!(matches!(
            Overlaps::from_mse_json(short),
            Err(InputError::PatternLength { .. })
        ));
        let dup = r#"{"lists":["A","A"],"patterns":[]}"#;
        assert!(matches!(
            Overlaps::from_mse_json(dup),
            Err(InputError::DuplicateList { .. })
        ));
    }

    #[test]
    fn csv_with_counts_strata_and_quotes() {
        let text = "\u{feff}\"List, one\";B;count;Stratum\r\n1;0;4;north\n0;1;3;north\n1;1;2;south\n\n1;1;1;north\n";
        let strata = read_input(text).expect("valid csv");
        assert_eq!(strata.len(), 2);
        assert_eq!(strata[0].name, "north");
        assert_eq!(strata[0].overlaps.lists(), &names(&["List, one", "B"])[..]);
        assert_eq!(strata[0].overlaps.documented(), 8);
        assert_eq!(strata[1].overlaps.count(&[true, true]), 2);
        assert!(
            Overlaps::from_csv(text).is_err(),
            "two strata are refused by from_csv"
        );
    }

    #[test]
    fn csv_one_row_per_record_and_errors() {
        let t = Overlaps::from_csv("A,B,C\n1,0,0\n1,0,0\n0,1,1\n").expect("valid");
        assert_eq!(t.documented(), 3);
        assert_eq!(t.count(&[true, false, false]), 2);
        let err = Overlaps::from_csv("A,B\n1,x\n").unwrap_err();
        assert!(err.to_string().contains("line 2, column `B`"), "{err}");
        assert!(matches!(
            Overlaps::from_csv("A,B\n1\n"),
            Err(InputError::RaggedRow { line: 2, .. })
        ));
        assert!(matches!(
            Overlaps::from_csv("A,B,count\n1,0,-3\n"),
            Err(InputError::BadCount { .. })
        ));
        assert!(matches!(Overlaps::from_csv(""), Err(InputError::EmptyCsv)));
    }

    #[test]
    fn records_tally() {
        let t = Overlaps::from_records(
            names(&["A", "B"]),
            [[true, false], [true, true], [true, false]],
        )
        .expect("valid");
        assert_eq!(t.count(&[true, false]), 2);
        assert!(Overlaps::from_records(names(&["A", "B"]), [[false, false]]).is_err());
    }

    #[test]
    fn json_array_of_strata() {
        let text = r#"[{"stratum":"x","lists":["A","B","C"],"patterns":[{"in":[1,1,0],"count":2}]},
                       {"stratum":"y","lists":["A","B","C"],"patterns":[{"in":[1,0,0],"count":3}]}]"#;
        let strata = read_input(text).expect("valid");
        assert_eq!(
            strata.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["x", "y"]
        );
        assert_eq!(strata[1].overlaps.documented(), 3);
    }
}
