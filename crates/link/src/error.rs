//! Errors of the linkage crate.

/// What can go wrong when configuring or running a linkage.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum LinkError {
    /// A date that none of the accepted forms matches.
    #[error(
        "{value:?} is not a date; write it as YYYY-MM-DD, YYYYMMDD, DD.MM.YYYY, DD/MM/YYYY, YYYY-MM or YYYY"
    )]
    BadDate { value: String },
    /// A blocking rule names a part that does not exist.
    #[error("blocking rule {rule:?}: unknown part {part:?}; use parts joined by '+' from: {known}")]
    UnknownBlockingPart {
        rule: String,
        part: String,
        known: String,
    },
    /// A threshold or probability outside (0, 1).
    #[error("{name} is {value}; it must be between 0 and 1 (exclusive)")]
    BadProbability { name: &'static str, value: f64 },
    /// Nothing to compare.
    #[error(
        "none of the records has a field to compare; map at least a name, birth date or identity number"
    )]
    NoComparisons,
    /// Too many comparisons for the packed agreement pattern.
    #[error("{count} comparisons configured; at most 16 fit (drop some text: fields)")]
    TooManyComparisons { count: usize },
    /// Linking needs records from two lists.
    #[error("linking two lists needs records from both lists 0 and 1; list {missing} is empty")]
    EmptyList { missing: u16 },
}
