//! Spreadsheets through calamine: XLSX, and also the older XLS, XLSB and
//! ODS that calamine recognises by content.
//!
//! The workbook is read into memory (it is a zip archive and has to be
//! unpacked anyway) and the chosen sheet decoded into a grid; rows are then
//! handed out one by one. Merged cells need nothing special: the value sits
//! in the merge's top-left cell and the other cells of the merge are empty.

use std::io::Cursor;

use calamine::{Data, Range, Reader};

use crate::cells::{clean_headers, fit_row, is_blank, numbered_headers};
use crate::{Progress, Row, RowError, TableError};

pub(crate) struct XlsxSource {
    range: Range<Data>,
    /// The sheet row number (1-based) of the grid's first row.
    first_row: u64,
    /// Grid index of the next row to hand out.
    next: usize,
    width: usize,
    headers: Vec<String>,
}

impl XlsxSource {
    pub(crate) fn open(
        name: &str,
        bytes: &[u8],
        sheet: Option<&str>,
        has_header: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(XlsxSource, Vec<String>), TableError> {
        let workbook_error = |reason: String| TableError::Workbook {
            name: name.into(),
            reason,
        };
        let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| workbook_error(e.to_string()))?;
        let sheets = workbook.sheet_names();
        let chosen = match sheet {
            None => sheets
                .first()
                .cloned()
                .ok_or_else(|| workbook_error("it has no sheets".into()))?,
            Some(wanted) => find_sheet(&sheets, wanted).ok_or_else(|| TableError::NoSuchSheet {
                name: name.into(),
                sheet: wanted.into(),
                sheets: sheets.clone(),
            })?,
        };
        let range = workbook
            .worksheet_range(&chosen)
            .map_err(|e| workbook_error(format!("sheet \"{chosen}\": {e}")))?;
        if sheet.is_none() && sheets.len() > 1 {
            warnings.push(format!(
                "{name} has {} sheets; reading the first, \"{chosen}\"",
                sheets.len()
            ));
        }
        let first_row = range.start().map_or(1, |(row, _)| u64::from(row) + 1);
        let mut source = XlsxSource {
            width: range.width(),
            range,
            first_row,
            next: 0,
            headers: Vec::new(),
        };
        // The first row with any text is the header (or, without a header,
        // the first data row, which fixes the width).
        let header_cells = loop {
            if source.next >= source.range.height() {
                return Err(if source.range.is_empty() {
                    TableError::Empty { name: name.into() }
                } else {
                    TableError::NoHeader { name: name.into() }
                });
            }
            let cells: Vec<String> = (0..source.width)
                // An error in the header row leaves that header empty.
                .map(|c| source.cell(source.next, c).unwrap_or_default())
                .collect();
            if !is_blank(&cells) {
                break cells;
            }
            source.next += 1;
        };
        let used = header_cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1);
        let headers = if has_header {
            source.next += 1;
            clean_headers(header_cells[..used].to_vec(), warnings)
        } else {
            numbered_headers(used)
        };
        source.headers = headers.clone();
        Ok((source, headers))
    }

    pub(crate) fn next_row(&mut self) -> Option<Result<Row, RowError>> {
        while self.next < self.range.height() {
            let index = self.next;
            self.next += 1;
            let line = self.first_row + index as u64;
            let mut cells = Vec::with_capacity(self.width);
            for c in 0..self.width {
                match self.cell(index, c) {
                    Ok(text) => cells.push(text),
                    Err(error) => {
                        let header = self
                            .headers
                            .get(c)
                            .map_or(String::new(), |h| format!(" (\"{h}\")"));
                        return Some(Err(RowError {
                            line,
                            reason: format!(
                                "has the error {error} in column {}{header}; fix the formula \
                                 or replace it with its value",
                                column_letters(self.range.start().map_or(0, |s| s.1) as usize + c)
                            ),
                        }));
                    }
                }
            }
            if is_blank(&cells) {
                continue;
            }
            return Some(
                fit_row(cells, self.headers.len())
                    .map(|values| Row { line, values })
                    .map_err(|reason| RowError { line, reason }),
            );
        }
        None
    }

    /// The text of the cell at grid position (`row`, `col`), or the error a
    /// formula left in it.
    fn cell(&self, row: usize, col: usize) -> Result<String, String> {
        match self.range.get((row, col)) {
            None => Ok(String::new()),
            Some(data) => cell_text(data),
        }
    }

    pub(crate) fn progress(&self) -> Progress {
        Progress {
            done: self.next as u64,
            total: Some(self.range.height() as u64),
        }
    }
}

/// The sheet called `wanted`: exactly, or else ignoring case and outer
/// spaces when that picks out one sheet.
fn find_sheet(sheets: &[String], wanted: &str) -> Option<String> {
    if let Some(exact) = sheets.iter().find(|s| s.as_str() == wanted) {
        return Some(exact.clone());
    }
    let wanted = wanted.trim().to_lowercase();
    let mut loose = sheets.iter().filter(|s| s.trim().to_lowercase() == wanted);
    match (loose.next(), loose.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

/// A cell as text. Numbers that are whole print without ".0"; other numbers
/// in Rust's shortest round-trip form. Date cells become ISO 8601 dates, with
/// the time only when there is one; a time alone becomes `HH:MM:SS`.
/// A number typed into a cell has already lost any leading zero (an ИИН
/// starting with 0); the file cannot tell us, so the caller must check.
pub(crate) fn cell_text(data: &Data) -> Result<String, String> {
    let text = match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        // f64's Display never uses an exponent and drops a zero fraction.
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
            let serial = dt.as_f64();
            if dt.is_duration() || (0.0..1.0).contains(&serial) {
                let whole_seconds = (serial * 86_400.0).round() as i64;
                let (hours, rest) = (whole_seconds / 3600, whole_seconds % 3600);
                format!("{hours:02}:{:02}:{:02}", rest / 60, rest % 60)
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(e) => return Err(e.to_string()),
    };
    Ok(text)
}

/// Spreadsheet column letters for a 0-based column index: 0 → A, 26 → AA.
fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn date(serial: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    #[test]
    fn cells_become_text() {
        assert_eq!(cell_text(&Data::Float(1990.0)), Ok("1990".into()));
        assert_eq!(cell_text(&Data::Float(0.1)), Ok("0.1".into()));
        assert_eq!(
            cell_text(&Data::Float(1e20)),
            Ok("100000000000000000000".into())
        );
        assert_eq!(cell_text(&Data::Int(-7)), Ok("-7".into()));
        assert_eq!(cell_text(&Data::Bool(false)), Ok("false".into()));
        assert_eq!(cell_text(&Data::String(" Әлия ".into())), Ok("Әлия".into()));
        assert_eq!(cell_text(&Data::Empty), Ok(String::new()));
        assert_eq!(
            cell_text(&Data::Error(CellErrorType::NA)),
            Err("#N/A".to_string())
        );
    }

    #[test]
    fn dates_become_iso() {
        // 44567 is 2022-01-06 in the 1900 date system.
        assert_eq!(cell_text(&date(44567.0)), Ok("2022-01-06".into()));
        assert_eq!(cell_text(&date(44567.75)), Ok("2022-01-06T18:00:00".into()));
        assert_eq!(cell_text(&date(0.5)), Ok("12:00:00".into()));
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn sheets_are_found_loosely() {
        let sheets = vec!["Погибшие".to_string(), "Задержанные".to_string()];
        assert_eq!(find_sheet(&sheets, "Погибшие"), Some("Погибшие".into()));
        assert_eq!(
            find_sheet(&sheets, " задержанные "),
            Some("Задержанные".into())
        );
        assert_eq!(find_sheet(&sheets, "Раненые"), None);
    }
}
