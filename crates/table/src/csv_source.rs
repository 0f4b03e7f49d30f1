//! Delimited text (CSV, `;`-separated, TSV, `|`-separated) read one record
//! at a time from the decoding stream.

use std::io::Read;

use crate::cells::{clean_headers, fit_row, is_blank, numbered_headers};
use crate::decode::Decoded;
use crate::{Encoding, Progress, Row, RowError, TableError};

pub(crate) type Stream = Decoded<Box<dyn Read + Send>>;

pub(crate) struct CsvSource {
    reader: csv::Reader<Stream>,
    record: csv::ByteRecord,
    width: usize,
    /// The first row of a file without a header, read to learn the width.
    pending: Option<Row>,
    encoding: Encoding,
    total: Option<u64>,
    finished: bool,
}

/// A record as read: where it starts, its cells, and whether any of its
/// bytes could not be decoded.
struct Raw {
    line: u64,
    cells: Vec<String>,
    malformed: bool,
}

impl CsvSource {
    /// Reads the header (or, with `has_header` false, the first row) and
    /// returns the source with the header cells and any warnings about them.
    pub(crate) fn open(
        name: &str,
        stream: Stream,
        delimiter: u8,
        encoding: Encoding,
        has_header: bool,
        total: Option<u64>,
        warnings: &mut Vec<String>,
    ) -> Result<(CsvSource, Vec<String>), TableError> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            // Ragged rows come back as records and are judged row by row.
            .flexible(true)
            .from_reader(stream.track_lines());
        let mut source = CsvSource {
            reader,
            record: csv::ByteRecord::new(),
            width: 0,
            pending: None,
            encoding,
            total,
            finished: false,
        };
        let first = match source.read_raw() {
            None => return Err(TableError::NoHeader { name: name.into() }),
            Some(Err(e)) => {
                return Err(TableError::Read {
                    name: name.into(),
                    source: std::io::Error::other(e.to_string()),
                });
            }
            Some(Ok(raw)) => raw,
        };
        if first.malformed {
            return Err(TableError::Undecodable {
                name: name.into(),
                encoding: encoding.to_string(),
            });
        }
        let headers = if has_header {
            clean_headers(first.cells, warnings)
        } else {
            let headers = numbered_headers(first.cells.len());
            source.pending = Some(Row {
                line: first.line,
                values: first.cells,
            });
            headers
        };
        source.width = headers.len();
        Ok((source, headers))
    }

    pub(crate) fn next_row(&mut self) -> Option<Result<Row, RowError>> {
        if let Some(row) = self.pending.take() {
            return Some(
                fit_row(row.values, self.width)
                    .map(|values| Row {
                        line: row.line,
                        values,
                    })
                    .map_err(|reason| RowError {
                        line: row.line,
                        reason,
                    }),
            );
        }
        let raw = match self.read_raw()? {
            Ok(raw) => raw,
            Err(e) => return Some(Err(e)),
        };
        if raw.malformed {
            return Some(Err(RowError {
                line: raw.line,
                reason: format!(
                    "is not valid {}; fix the row or give the file's encoding",
                    self.encoding
                ),
            }));
        }
        Some(
            fit_row(raw.cells, self.width)
                .map(|values| Row {
                    line: raw.line,
                    values,
                })
                .map_err(|reason| RowError {
                    line: raw.line,
                    reason,
                }),
        )
    }

    /// The next record that is not blank, or `None` at the end. An I/O error
    /// ends the stream after it is reported.
    fn read_raw(&mut self) -> Option<Result<Raw, RowError>> {
        loop {
            if self.finished {
                return None;
            }
            let line = self.reader.position().line();
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.finished = true;
                    return None;
                }
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(line, |p| p.line());
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.finished = true;
                    }
                    return Some(Err(RowError {
                        line,
                        reason: format!("could not be read: {e}"),
                    }));
                }
            }
            // The row's first line is its last line less the line feeds
            // inside its quoted values; its last line is one more than the
            // line feeds before its end, not counting its own terminator.
            let end = self.reader.position().byte();
            let stream = self.reader.get_mut();
            let malformed = stream.take_malformed(end);
            let (before_end, terminated) = stream.newlines_before(end);
            let inside: u64 = self
                .record
                .iter()
                .map(|cell| cell.iter().filter(|&&b| b == b'\n').count() as u64)
                .sum();
            let start = 1 + before_end.saturating_sub(u64::from(terminated) + inside);
            let cells: Vec<String> = self
                .record
                .iter()
                .map(|cell| String::from_utf8_lossy(cell).into_owned())
                .collect();
            if is_blank(&cells) && !malformed {
                continue;
            }
            return Some(Ok(Raw {
                line: start,
                cells,
                malformed,
            }));
        }
    }

    pub(crate) fn progress(&self) -> Progress {
        Progress {
            done: self.reader.get_ref().raw_read(),
            total: self.total,
        }
    }
}
