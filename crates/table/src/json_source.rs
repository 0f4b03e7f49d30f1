//! JSON: either one array of objects (parsed whole, since its header is the
//! union of every object's keys) or JSON Lines, one object per line, read a
//! line at a time.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use serde_json::{Map, Value};

use crate::cells::{clean_headers, trim_in_place};
use crate::csv_source::Stream;
use crate::{Encoding, Progress, Row, RowError, TableError};

pub(crate) struct JsonSource {
    /// Original key → column index; keys are matched before trimming.
    columns: HashMap<String, usize>,
    width: usize,
    body: Body,
    total: Option<u64>,
    /// Keys not in the header already warned about (JSON Lines only).
    unknown_seen: Vec<String>,
}

enum Body {
    Array {
        items: std::vec::IntoIter<Value>,
        len: u64,
        next_index: u64,
    },
    Lines(Box<Lines>),
}

/// An object and the line it is on.
type Found = (u64, Map<String, Value>);

/// A JSON Lines body being read.
struct Lines {
    reader: BufReader<Stream>,
    buf: Vec<u8>,
    line: u64,
    /// Decoded bytes consumed, to locate malformed input.
    offset: u64,
    /// The first object, read at open to learn the header.
    pending: Option<Found>,
    encoding: Encoding,
    finished: bool,
}

impl JsonSource {
    pub(crate) fn open_array(
        name: &str,
        stream: Stream,
        total: Option<u64>,
        warnings: &mut Vec<String>,
    ) -> Result<(JsonSource, Vec<String>), TableError> {
        let mut reader = BufReader::new(stream);
        let value: Value = serde_json::from_reader(&mut reader).map_err(|e| TableError::Json {
            name: name.into(),
            line: e.line() as u64,
            reason: e.to_string(),
        })?;
        if reader.get_mut().take_malformed(u64::MAX) {
            warnings.push(format!(
                "{name} has bytes that are not valid UTF-8; they were replaced with \u{FFFD}"
            ));
        }
        let Value::Array(items) = value else {
            return Err(TableError::Json {
                name: name.into(),
                line: 1,
                reason: "the top level is not an array".into(),
            });
        };
        if items.is_empty() {
            return Err(TableError::Empty { name: name.into() });
        }
        let mut keys: Vec<String> = Vec::new();
        let mut columns = HashMap::new();
        for object in items.iter().filter_map(Value::as_object) {
            for key in object.keys() {
                if !columns.contains_key(key) {
                    columns.insert(key.clone(), keys.len());
                    keys.push(key.clone());
                }
            }
        }
        if keys.is_empty() {
            return Err(TableError::NoHeader { name: name.into() });
        }
        let headers = clean_headers(keys, warnings);
        let len = items.len() as u64;
        let source = JsonSource {
            columns,
            width: headers.len(),
            body: Body::Array {
                items: items.into_iter(),
                len,
                next_index: 0,
            },
            total,
            unknown_seen: Vec::new(),
        };
        Ok((source, headers))
    }

    pub(crate) fn open_lines(
        name: &str,
        stream: Stream,
        encoding: Encoding,
        total: Option<u64>,
        warnings: &mut Vec<String>,
    ) -> Result<(JsonSource, Vec<String>), TableError> {
        let mut lines = Lines {
            reader: BufReader::new(stream),
            buf: Vec::new(),
            line: 0,
            offset: 0,
            pending: None,
            encoding,
            finished: false,
        };
        let json_error = |line, reason: String| TableError::Json {
            name: name.into(),
            line,
            reason,
        };
        let (line, object) = match lines.next_line() {
            None => return Err(TableError::Empty { name: name.into() }),
            Some(Err(e)) => {
                return Err(json_error(
                    e.line,
                    format!(
                        "{}; in JSON Lines each object must be whole on one line \
                         (a pretty-printed file must be an array)",
                        e.reason
                    ),
                ));
            }
            Some(Ok(found)) => found,
        };
        if object.is_empty() {
            return Err(json_error(line, "the first object has no keys".into()));
        }
        let keys: Vec<String> = object.keys().cloned().collect();
        let columns = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        let headers = clean_headers(keys, warnings);
        lines.pending = Some((line, object));
        let source = JsonSource {
            columns,
            width: headers.len(),
            body: Body::Lines(Box::new(lines)),
            total,
            unknown_seen: Vec::new(),
        };
        Ok((source, headers))
    }

    pub(crate) fn next_row(&mut self, warnings: &mut Vec<String>) -> Option<Result<Row, RowError>> {
        let (line, object) = match &mut self.body {
            Body::Array {
                items, next_index, ..
            } => {
                let value = items.next()?;
                *next_index += 1;
                let line = *next_index;
                match value {
                    Value::Object(object) => (line, object),
                    _ => {
                        return Some(Err(RowError {
                            line,
                            reason: "is not a JSON object".into(),
                        }));
                    }
                }
            }
            Body::Lines(lines) => match lines.next_line()? {
                Ok(found) => found,
                Err(e) => return Some(Err(e)),
            },
        };
        let mut values = vec![String::new(); self.width];
        for (key, value) in object {
            match self.columns.get(&key) {
                Some(&i) => values[i] = value_text(value),
                None => {
                    if !self.unknown_seen.contains(&key) {
                        warnings.push(format!(
                            "line {line} has the key \"{key}\", which the first object \
                             lacks; its values are ignored (put it in the first line \
                             to import it)"
                        ));
                        self.unknown_seen.push(key);
                    }
                }
            }
        }
        Some(Ok(Row { line, values }))
    }

    pub(crate) fn progress(&self) -> Progress {
        let done = match &self.body {
            // The array was parsed whole when the file was opened; report
            // the share of its objects handed out, in the file's bytes.
            Body::Array {
                len, next_index, ..
            } => match self.total {
                Some(total) if *len > 0 => {
                    (u128::from(total) * u128::from(*next_index) / u128::from(*len)) as u64
                }
                _ => *next_index,
            },
            Body::Lines(lines) => lines.reader.get_ref().raw_read(),
        };
        Progress {
            done,
            total: self.total,
        }
    }
}

impl Lines {
    /// The next non-blank line, parsed as an object.
    fn next_line(&mut self) -> Option<Result<Found, RowError>> {
        if let Some(found) = self.pending.take() {
            return Some(Ok(found));
        }
        loop {
            if self.finished {
                return None;
            }
            self.buf.clear();
            let n = match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(n) => n,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(RowError {
                        line: self.line + 1,
                        reason: format!("could not be read: {e}"),
                    }));
                }
            };
            if n == 0 {
                self.finished = true;
                return None;
            }
            self.line += 1;
            self.offset += n as u64;
            let line = self.line;
            let malformed = self.reader.get_mut().take_malformed(self.offset);
            let text = String::from_utf8_lossy(&self.buf);
            if text.trim().is_empty() {
                continue;
            }
            if malformed {
                return Some(Err(RowError {
                    line,
                    reason: format!("is not valid {}", self.encoding),
                }));
            }
            return Some(match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(object)) => Ok((line, object)),
                Ok(_) => Err(RowError {
                    line,
                    reason: "is not a JSON object".into(),
                }),
                Err(e) => Err(RowError {
                    line,
                    reason: format!("is not valid JSON: {e}"),
                }),
            });
        }
    }
}

/// A JSON value as cell text: strings as they are, numbers in serde_json's
/// notation (integers exactly, other numbers in their shortest form),
/// `null` as "", booleans as `true`/`false`, arrays and objects as compact
/// JSON.
fn value_text(value: Value) -> String {
    let mut text = match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        nested @ (Value::Array(_) | Value::Object(_)) => nested.to_string(),
    };
    trim_in_place(&mut text);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_become_text() {
        assert_eq!(value_text(json!(" Әлия ")), "Әлия");
        assert_eq!(value_text(json!(42)), "42");
        assert_eq!(value_text(json!(-3.5)), "-3.5");
        assert_eq!(value_text(json!(null)), "");
        assert_eq!(value_text(json!(true)), "true");
        assert_eq!(value_text(json!(["a", 1])), r#"["a",1]"#);
        assert_eq!(value_text(json!({"k": null})), r#"{"k":null}"#);
    }
}
