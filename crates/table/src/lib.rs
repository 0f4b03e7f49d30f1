//! Reading lists of people (the dead, the injured, the detained) from the
//! files researchers actually have, and mapping their columns to record
//! fields.
//!
//! Such lists come as CSV exported from Excel (often Windows-1251 with `;`
//! between cells), UTF-8 with or without a BOM, UTF-16, tab- or
//! `|`-separated text, XLSX workbooks, or JSON (an array of objects, or
//! JSON Lines). [`Table::open`] guesses what it is not told — format,
//! encoding, delimiter — and then hands out rows one at a time with
//! [`Table::next_row`]: a row that is wrong (cells that do not line up
//! with the header, bytes that are not valid in the encoding, a formula
//! error) is a [`RowError`] naming its line, and reading goes on.
//!
//! This crate reads files and returns text. It does not normalise names
//! (the `names` crate does that, including NFC), parse dates or build
//! records: [`Mapping`] only says which columns make up which field, and
//! the caller (`qantar import`, `qantar link`) does the rest.
//!
//! Memory: CSV and JSON Lines stream, whatever their size. A JSON array is
//! parsed whole (its header is the union of all its objects' keys), and a
//! spreadsheet is read whole (it is a zip archive); merged cells need no
//! care, since only a merge's top-left cell holds the value.
//!
//! ```no_run
//! use std::path::Path;
//! use qantar_table::{Mapping, ReadOptions, Table};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut table = Table::open(Path::new("погибшие.csv"), &ReadOptions::default())?;
//! println!("{} {:?}", table.format(), table.encoding());
//! for warning in table.warnings() {
//!     eprintln!("warning: {warning}");
//! }
//! let args = vec!["given=Имя,surname=Фамилия,place=Область>Город".to_string()];
//! let mapping = Mapping::parse(&args, &["given", "surname", "place"])?;
//! let bound = mapping.bind(table.headers())?;
//! while let Some(row) = table.next_row() {
//!     match row {
//!         Ok(row) => {
//!             for (field, value) in bound.apply(&row) {
//!                 println!("line {}: {field} = {value}", row.line);
//!             }
//!         }
//!         Err(e) => eprintln!("skipped: {e}"),
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod cells;
mod csv_source;
mod decode;
mod error;
mod json_source;
mod mapping;
mod open;
mod sniff;
mod xlsx_source;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub use error::{MappingError, RowError, TableError};
pub use mapping::{BoundMapping, FieldMap, JOIN_HIERARCHY, JOIN_WORDS, Mapping};

use csv_source::CsvSource;
use json_source::JsonSource;
use xlsx_source::XlsxSource;

/// The kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Delimited text: `,` `;` tab or `|`.
    Csv,
    /// A spreadsheet workbook: XLSX (and XLS, XLSB, ODS, which calamine
    /// also reads).
    Xlsx,
    /// An array of objects, or JSON Lines.
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
            Format::Json => "JSON",
        })
    }
}

impl FromStr for Format {
    type Err = String;
    /// `csv`, `tsv`, `xlsx`, `xls`, `json`, `jsonl`, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Ok(Format::Csv),
            "xlsx" | "xls" | "excel" | "ods" => Ok(Format::Xlsx),
            "json" | "jsonl" | "ndjson" => Ok(Format::Json),
            other => Err(format!(
                "unknown format \"{other}\"; the formats are csv, xlsx and json"
            )),
        }
    }
}

/// The text encoding of a CSV or JSON file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1251,
}

impl Encoding {
    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Windows1251 => encoding_rs::WINDOWS_1251,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1251 => "Windows-1251",
        })
    }
}

impl FromStr for Encoding {
    type Err = String;
    /// `utf-8`, `utf8`, `utf-8-bom`, `utf-16le`, `utf-16be`,
    /// `windows-1251`, `cp1251`, `1251`, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match key.as_str() {
            "utf8" => Ok(Encoding::Utf8),
            "utf8bom" | "utf8withbom" | "utf8sig" => Ok(Encoding::Utf8Bom),
            "utf16" | "utf16le" => Ok(Encoding::Utf16Le),
            "utf16be" => Ok(Encoding::Utf16Be),
            "windows1251" | "cp1251" | "1251" | "win1251" => Ok(Encoding::Windows1251),
            _ => Err(format!(
                "unknown encoding \"{}\"; the encodings are utf-8, utf-8-bom, utf-16le, \
                 utf-16be and windows-1251",
                s.trim()
            )),
        }
    }
}

/// How to read a file; every `None` is guessed.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub format: Option<Format>,
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    /// XLSX: the sheet to read; the first sheet by default.
    pub sheet: Option<String>,
    /// Whether the first row names the columns (true by default). Without
    /// a header the columns are called `column 1`, `column 2` …
    pub has_header: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            delimiter: None,
            encoding: None,
            sheet: None,
            has_header: true,
        }
    }
}

/// How far reading has got: bytes of the file for CSV and JSON, rows of the
/// sheet for spreadsheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: Option<u64>,
}

/// One row of data, its values aligned with [`Table::headers`] (trimmed;
/// missing trailing cells are "").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Where the row is: the 1-based physical line of its start in CSV and
    /// JSON Lines (a quoted value spanning lines counts every line), the
    /// sheet's row number in a spreadsheet (as Excel shows it), and the
    /// 1-based position in a JSON array.
    pub line: u64,
    pub values: Vec<String>,
}

/// An open file, read one row at a time.
pub struct Table {
    name: String,
    format: Format,
    encoding: Option<Encoding>,
    delimiter: Option<u8>,
    headers: Vec<String>,
    warnings: Vec<String>,
    source: Source,
}

enum Source {
    Csv(Box<CsvSource>),
    Json(JsonSource),
    Xlsx(XlsxSource),
}

impl Table {
    /// Opens the file at `path`, reading as little as the guesses need.
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Table, TableError> {
        open::open_path(path, options)
    }

    /// Reads a file already in memory, such as a web upload; `name` is its
    /// file name, used for the format guess and in messages.
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        options: &ReadOptions,
    ) -> Result<Table, TableError> {
        open::open_bytes(name, bytes, options)
    }

    /// The column names: trimmed, non-empty and unique.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The text encoding (none for spreadsheets).
    pub fn encoding(&self) -> Option<Encoding> {
        self.encoding
    }

    /// The delimiter (CSV only).
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The file name used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the reader changed or ignored: renamed headers, a workbook's
    /// other sheets, JSON keys missing from the header … It may grow while
    /// rows are read.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The next row, or `None` at the end of the file. Blank rows are
    /// skipped.
    pub fn next_row(&mut self) -> Option<Result<Row, RowError>> {
        match &mut self.source {
            Source::Csv(s) => s.next_row(),
            Source::Json(s) => s.next_row(&mut self.warnings),
            Source::Xlsx(s) => s.next_row(),
        }
    }

    pub fn progress(&self) -> Progress {
        match &self.source {
            Source::Csv(s) => s.progress(),
            Source::Json(s) => s.progress(),
            Source::Xlsx(s) => s.progress(),
        }
    }
}

impl Iterator for Table {
    type Item = Result<Row, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("encoding", &self.encoding)
            .field("delimiter", &self.delimiter.map(char::from))
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_can_move_to_a_worker_thread() {
        fn send<T: Send>() {}
        send::<Table>();
    }

    #[test]
    fn default_options_expect_a_header() {
        assert!(ReadOptions::default().has_header);
    }

    #[test]
    fn names_parse_and_display() {
        assert_eq!("CP1251".parse::<Encoding>(), Ok(Encoding::Windows1251));
        assert_eq!("utf-8-bom".parse::<Encoding>(), Ok(Encoding::Utf8Bom));
        assert_eq!(Encoding::Utf8Bom.to_string(), "UTF-8 with BOM");
        assert_eq!(Encoding::Windows1251.to_string(), "Windows-1251");
        assert!("koi8-r".parse::<Encoding>().is_err());
        assert_eq!("TSV".parse::<Format>(), Ok(Format::Csv));
        assert_eq!("jsonl".parse::<Format>(), Ok(Format::Json));
        assert!("pdf".parse::<Format>().is_err());
    }
}
