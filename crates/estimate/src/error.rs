//! Errors in the input tables. Problems with the *data* (too few lists,
//! sparse overlaps, fits that run off to infinity) are not errors: they are
//! [`crate::Warning`]s in the report, because a reader must see them beside
//! the numbers.

use thiserror::Error;

/// Why an overlap table could not be read or built.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The text is neither valid JSON in the expected shape nor a CSV table.
    #[error(
        "the input is not valid JSON: {detail}; give an object with `lists` and `patterns`, or a CSV table"
    )]
    Json {
        /// The JSON parser's message.
        detail: String,
    },
    /// A required JSON field is missing or has the wrong type.
    #[error("`{field}` {problem}")]
    Field {
        /// Path of the field, such as `patterns[3].count`.
        field: String,
        /// What is wrong and what to give instead.
        problem: String,
    },
    /// No lists were named.
    #[error(
        "no lists are named; give at least two list names (three or more for a useful estimate)"
    )]
    NoLists,
    /// More lists than the estimators support.
    #[error(
        "{found} lists were given but at most {max} are supported; merge small lists before estimating"
    )]
    TooManyLists {
        /// Number of lists in the input.
        found: usize,
        /// The supported maximum.
        max: usize,
    },
    /// Two lists share a name, so the table would be ambiguous.
    #[error("the list name `{name}` appears twice; give every list a distinct name")]
    DuplicateList {
        /// The repeated name.
        name: String,
    },
    /// A list name is empty.
    #[error("list {position} has an empty name; give every list a name")]
    EmptyListName {
        /// 1-based position of the list.
        position: usize,
    },
    /// A capture pattern has the wrong number of entries.
    #[error(
        "{place}: the pattern has {found} entries but there are {expected} lists; give one 0/1 per list"
    )]
    PatternLength {
        /// Where the pattern is (`patterns[2].in` or `line 7`).
        place: String,
        /// Number of lists.
        expected: usize,
        /// Entries found.
        found: usize,
    },
    /// A pattern entry is not 0/1.
    #[error("{place}: expected 0 or 1, found `{value}`")]
    NotBinary {
        /// Where the value is.
        place: String,
        /// The offending value as written.
        value: String,
    },
    /// A count is not a non-negative whole number.
    #[error("{place}: the count must be a whole number of records (0 or more), found `{value}`")]
    BadCount {
        /// Where the count is.
        place: String,
        /// The offending value as written.
        value: String,
    },
    /// A pattern with records marks no list at all. Such records cannot have
    /// been observed: they are exactly what the estimate is about.
    #[error(
        "{place}: {count} records are marked as on no list; every record must be on at least one list (the unlisted are what is being estimated)"
    )]
    OnNoList {
        /// Where the pattern is.
        place: String,
        /// The count given for it.
        count: u64,
    },
    /// `n_observed` disagrees with the sum of the counts.
    #[error(
        "`n_observed` says {stated} records but the patterns add up to {counted}; correct one of them"
    )]
    ObservedMismatch {
        /// The stated total.
        stated: u64,
        /// The sum of the pattern counts.
        counted: u64,
    },
    /// The CSV text has no header or no rows.
    #[error(
        "the CSV table is empty; give a header row of list names (and optionally `count` and `stratum`) and one row per pattern or record"
    )]
    EmptyCsv,
    /// A CSV row has the wrong number of fields.
    #[error(
        "line {line}: {found} fields but the header has {expected}; every row needs one value per column"
    )]
    RaggedRow {
        /// 1-based line number.
        line: usize,
        /// Columns in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A CSV header names a column twice.
    #[error("the CSV header names the column `{name}` twice; give each column a distinct name")]
    DuplicateColumn {
        /// The repeated column name.
        name: String,
    },
    /// A model name could not be understood.
    #[error(
        "the model `{name}` is not understood: {problem}; write it as Rcapture does, e.g. [123,14,34] with lists numbered from 1"
    )]
    ModelName {
        /// The name as given.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// A total would overflow.
    #[error("the counts add up to more than 2^53 records; check the `count` values")]
    Overflow,
}
