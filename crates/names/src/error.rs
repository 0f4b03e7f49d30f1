//! Errors of the names crate.

use thiserror::Error;

/// What can go wrong when parsing a name or choosing a scheme.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The text holds no letters, so there is no name to parse.
    #[error("name {given:?} has no letters; give at least a given name, a surname or an initial")]
    Empty {
        /// The text as received.
        given: String,
    },
    /// A scheme identifier that is not one of [`crate::Scheme::ALL`].
    #[error(
        "unknown transliteration scheme {given:?}; use one of the ids of Scheme::ALL, e.g. kazakh_2021, bgn_pcgn, gost_779_alt, icao_doc_9303"
    )]
    UnknownScheme {
        /// The identifier as received.
        given: String,
    },
    /// A transliteration or name table that does not follow the format of
    /// `tables/README.md`. Only reachable through a bad edit of the tables.
    #[error("table line {line}: {reason}; see crates/names/tables/README.md for the format")]
    BadTable {
        /// 1-based line number (0 for the table as a whole).
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
}
