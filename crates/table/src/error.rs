//! Errors. A [`TableError`] stops the whole file; a [`RowError`] concerns
//! one row, and reading goes on after it.

use std::path::PathBuf;

use thiserror::Error;

/// Why a file cannot be read at all.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TableError {
    #[error("cannot open {path}: {source}; check the path and that you may read the file")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {name}: {source}")]
    Read {
        name: String,
        source: std::io::Error,
    },
    #[error("{name} is empty: there are no rows to read")]
    Empty { name: String },
    #[error(
        "{name} has no header row: no line has any text; \
         check that this is the right file"
    )]
    NoHeader { name: String },
    #[error(
        "cannot tell the format of {name}: give it a .csv, .tsv, .xlsx or .json \
         name, or say the format explicitly"
    )]
    UnknownFormat { name: String },
    #[error("{name} has no sheet named \"{sheet}\"; its sheets are: {}", quoted_list(.sheets))]
    NoSuchSheet {
        name: String,
        sheet: String,
        sheets: Vec<String>,
    },
    #[error(
        "cannot read {name} as a spreadsheet: {reason}; open it in Excel or \
         LibreOffice and save it again as .xlsx, or export the sheet as CSV"
    )]
    Workbook { name: String, reason: String },
    #[error(
        "{name} is not valid JSON at line {line}: {reason}; the file must be an \
         array of objects ([{{\"name\": …}}, …]) or JSON Lines (one object per line)"
    )]
    Json {
        name: String,
        line: u64,
        reason: String,
    },
    #[error(
        "the header of {name} is not valid {encoding}; give the file's encoding \
         explicitly (for example Windows-1251 for lists saved by Excel on Russian Windows)"
    )]
    Undecodable { name: String, encoding: String },
}

/// Why one row could not be read. `line` is where the row starts (see
/// [`crate::Row::line`]); `reason` reads as a predicate on "line N".
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line} {reason}")]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

/// Why a column mapping is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MappingError {
    #[error(
        "mapping item \"{item}\": {reason}; write field=Column, e.g. given=Имя, \
         address=street+house, place=region>city"
    )]
    Syntax { item: String, reason: String },
    #[error(
        "unknown field \"{field}\" in the mapping; the fields are: {}, or text:<name> for free text",
        .allowed.join(", ")
    )]
    UnknownField { field: String, allowed: Vec<String> },
    #[error("field \"{field}\" is mapped twice; map each field once (join columns with + or >)")]
    DuplicateField { field: String },
    #[error(
        "column \"{column}\" (for field \"{field}\") is not in the file; its columns are: {}",
        quoted_list(.headers)
    )]
    MissingColumn {
        field: String,
        column: String,
        headers: Vec<String>,
    },
    #[error(
        "column \"{column}\" (for field \"{field}\") matches several columns when case is \
         ignored: {}; write the column's name exactly",
        quoted_list(.candidates)
    )]
    AmbiguousColumn {
        field: String,
        column: String,
        candidates: Vec<String>,
    },
    #[error("cannot read the mapping file {path}: {reason}")]
    File { path: PathBuf, reason: String },
}

fn quoted_list(items: &[String]) -> String {
    if items.is_empty() {
        return "(none)".to_string();
    }
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
