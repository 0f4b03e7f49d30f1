//! Ledger entries and their canonical JSON bytes.
//!
//! The Merkle leaf is `leaf_hash(entry.canonical_bytes())`, so the bytes of an
//! entry must be a pure function of its content, forever. Canonical JSON here
//! means: object keys sorted by their UTF-8 bytes, no whitespace, strings
//! escaped minimally (only `"`, `\` and control characters, exactly as
//! serde_json writes them), numbers as serde_json prints them (integers
//! exactly, floats in the shortest form that round-trips). The workspace
//! enables serde_json's `preserve_order`, so sorting is explicit.
//!
//! [`Entry::from_canonical_bytes`] is the inverse and accepts only bytes that
//! re-encode to themselves: a stored entry that is not canonical was not
//! written by us (or was altered), and must not be silently "fixed", since its
//! leaf hash would no longer match.
//!
//! Decoding accepts every entry [`Entry::canonical_bytes`] can produce, even one
//! with odd field values, so that nothing once written becomes unreadable.
//! The field rules (time format, confidentiality levels, kind shape, record
//! UUID) are checked before appending, by [`Entry::validate`].

use serde_json::{Map, Value};

use crate::hash::{Hash, leaf_hash};

/// The entry format version, written as `"v": 1`.
pub const ENTRY_VERSION: u64 = 1;

/// The confidentiality levels an entry may carry.
pub const CONFIDENTIALITY_LEVELS: [&str; 3] = ["public", "restricted", "confidential"];

/// Canonical JSON bytes of `value` (see the module docs).
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // `str` orders by bytes, which for UTF-8 is code point order.
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
    }
}

/// The same minimal escaping serde_json uses: `"` and `\` escaped, control
/// characters as `\b \f \n \r \t` or `\u00xx` (lower-case hex), everything
/// else (including `/`, DEL and non-ASCII) written as is.
fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// One unit of history: the Merkle leaf is the hash of its canonical bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// 0-based sequence number; equals the leaf index.
    pub seq: u64,
    /// RFC 3339 UTC with milliseconds, e.g. `2026-11-22T07:23:00.123Z`.
    pub time: String,
    /// Who made the change.
    pub author: String,
    /// What happened, e.g. `person.recorded`, `record.retracted`, `archive.created`.
    pub kind: String,
    /// The record's UUID, when the entry is about one record.
    pub record: Option<String>,
    /// `public`, `restricted` or `confidential`.
    pub confidentiality: String,
    /// The content; for confidential entries, the sealed form.
    pub payload: Value,
}

/// Why entry bytes or fields were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// Not JSON at all.
    #[error("entry bytes are not valid JSON: {0}")]
    Json(String),
    /// JSON, but not the canonical encoding of that JSON.
    #[error(
        "entry bytes are not canonical JSON (first difference at byte {offset}): keys must be sorted, with no whitespace and minimal escapes; the entry was not written by qantar or was altered"
    )]
    NotCanonical {
        /// Offset of the first byte that differs from the canonical form.
        offset: usize,
    },
    /// The top level is not an object.
    #[error("an entry must be a JSON object")]
    NotAnObject,
    /// `v` is not a version this code reads.
    #[error(
        "entry format version {found} is not supported (this build reads v{ENTRY_VERSION}); upgrade qantar"
    )]
    UnknownVersion {
        /// The `v` value as JSON.
        found: String,
    },
    /// A required field is absent.
    #[error("entry field `{0}` is missing")]
    MissingField(&'static str),
    /// A field has the wrong JSON type.
    #[error("entry field `{field}` must be {expected}")]
    WrongType {
        /// The field name.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// A field this version does not define.
    #[error("entry field `{0}` is not part of entry format v1")]
    UnknownField(String),
    /// A field value breaks the entry rules (from [`Entry::validate`]).
    #[error("entry field `{field}` = `{value}` is not valid: {reason}")]
    InvalidField {
        /// The field name.
        field: &'static str,
        /// The value (shortened).
        value: String,
        /// The rule and how to fix it.
        reason: &'static str,
    },
}

impl Entry {
    /// The entry as a JSON object (`record` omitted when `None`, `v` = 1).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("author".into(), Value::String(self.author.clone()));
        map.insert(
            "confidentiality".into(),
            Value::String(self.confidentiality.clone()),
        );
        map.insert("kind".into(), Value::String(self.kind.clone()));
        map.insert("payload".into(), self.payload.clone());
        if let Some(record) = &self.record {
            map.insert("record".into(), Value::String(record.clone()));
        }
        map.insert("seq".into(), Value::from(self.seq));
        map.insert("time".into(), Value::String(self.time.clone()));
        map.insert("v".into(), Value::from(ENTRY_VERSION));
        Value::Object(map)
    }

    /// The canonical bytes the Merkle leaf hashes.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical_json(&self.to_json())
    }

    /// `leaf_hash(self.canonical_bytes())`.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.canonical_bytes())
    }

    /// Parse canonical bytes back. Refuses bytes that are not exactly
    /// canonical, an unknown `v`, missing or unknown fields, and wrong types.
    pub fn from_canonical_bytes(bytes: &[u8]) -> Result<Entry, EntryError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| EntryError::Json(e.to_string()))?;
        let canonical = canonical_json(&value);
        if canonical != bytes {
            let offset = canonical
                .iter()
                .zip(bytes)
                .position(|(a, b)| a != b)
                .unwrap_or(canonical.len().min(bytes.len()));
            return Err(EntryError::NotCanonical { offset });
        }
        Self::from_value(value)
    }

    /// Parse entry bytes without checking that they are canonical: for
    /// replaying a ledger whose bytes `verify` checks by hash anyway, where
    /// re-encoding every entry would only repeat that work. Fields, types
    /// and the version are still checked.
    pub fn from_bytes_unverified(bytes: &[u8]) -> Result<Entry, EntryError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| EntryError::Json(e.to_string()))?;
        Self::from_value(value)
    }

    fn from_value(value: Value) -> Result<Entry, EntryError> {
        let Value::Object(mut map) = value else {
            return Err(EntryError::NotAnObject);
        };
        match map.remove("v") {
            None => return Err(EntryError::MissingField("v")),
            Some(v) if v.as_u64() == Some(ENTRY_VERSION) => {}
            Some(other) => {
                return Err(EntryError::UnknownVersion {
                    found: other.to_string(),
                });
            }
        }
        let seq = match map.remove("seq") {
            None => return Err(EntryError::MissingField("seq")),
            Some(v) => v.as_u64().ok_or(EntryError::WrongType {
                field: "seq",
                expected: "a non-negative integer",
            })?,
        };
        let time = take_string(&mut map, "time")?;
        let author = take_string(&mut map, "author")?;
        let kind = take_string(&mut map, "kind")?;
        let confidentiality = take_string(&mut map, "confidentiality")?;
        let record = match map.remove("record") {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                return Err(EntryError::WrongType {
                    field: "record",
                    expected: "a string (omit the field when there is no record)",
                });
            }
        };
        let payload = map
            .remove("payload")
            .ok_or(EntryError::MissingField("payload"))?;
        if let Some(key) = map.keys().next() {
            return Err(EntryError::UnknownField(key.clone()));
        }
        Ok(Entry {
            seq,
            time,
            author,
            kind,
            record,
            confidentiality,
            payload,
        })
    }

    /// Check the field rules before an entry is appended: `time` is RFC 3339
    /// UTC with milliseconds, `author` is non-empty, `kind` is dotted lower
    /// case (`person.recorded`), `record` is a lower-case hyphenated UUID,
    /// and `confidentiality` is one of [`CONFIDENTIALITY_LEVELS`].
    pub fn validate(&self) -> Result<(), EntryError> {
        let invalid = |field, value: &str, reason| {
            Err(EntryError::InvalidField {
                field,
                value: crate::hash::abbreviate(value),
                reason,
            })
        };
        if !is_utc_millis(&self.time) {
            return invalid(
                "time",
                &self.time,
                "write RFC 3339 UTC with milliseconds, e.g. 2026-11-22T07:23:00.123Z",
            );
        }
        if self.author.trim().is_empty() {
            return invalid("author", &self.author, "name who made the change");
        }
        if !is_dotted_kind(&self.kind) {
            return invalid(
                "kind",
                &self.kind,
                "use lower-case dotted words such as person.recorded or record.retracted",
            );
        }
        if let Some(record) = &self.record
            && !is_uuid(record)
        {
            return invalid(
                "record",
                record,
                "use the record's UUID in lower-case hyphenated form",
            );
        }
        if !CONFIDENTIALITY_LEVELS.contains(&self.confidentiality.as_str()) {
            return invalid(
                "confidentiality",
                &self.confidentiality,
                "use public, restricted or confidential",
            );
        }
        Ok(())
    }
}

fn take_string(map: &mut Map<String, Value>, field: &'static str) -> Result<String, EntryError> {
    match map.remove(field) {
        None => Err(EntryError::MissingField(field)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(EntryError::WrongType {
            field,
            expected: "a string",
        }),
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` with plausible field ranges.
fn is_utc_millis(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() != 24 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| {
        b[r].iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let shape = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'.'
        && digits(20..23)
        && b[23] == b'Z';
    if !shape {
        return false;
    }
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return false,
    };
    // Seconds up to 60 allow a leap second.
    (1..=days_in_month).contains(&day) && num(11..13) < 24 && num(14..16) < 60 && num(17..19) <= 60
}

fn is_dotted_kind(kind: &str) -> bool {
    let mut parts = 0;
    for part in kind.split('.') {
        let mut chars = part.chars();
        let starts_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        if !starts_ok || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => matches!(c, b'0'..=b'9' | b'a'..=b'f'),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_format() {
        assert!(is_utc_millis("2026-11-22T07:23:00.123Z"));
        assert!(is_utc_millis("2024-02-29T23:59:60.000Z"));
        for bad in [
            "2026-11-22T07:23:00Z",
            "2026-11-22T07:23:00.123+05:00",
            "2026-11-22 07:23:00.123Z",
            "2023-02-29T00:00:00.000Z",
            "2026-13-01T00:00:00.000Z",
            "2026-11-22T24:00:00.000Z",
            "2026-11-22t07:23:00.123z",
        ] {
            assert!(!is_utc_millis(bad), "{bad} accepted");
        }
    }

    #[test]
    fn kinds_and_uuids() {
        assert!(is_dotted_kind("person.recorded"));
        assert!(is_dotted_kind("proceeding.status_changed"));
        assert!(!is_dotted_kind("person"));
        assert!(!is_dotted_kind("Person.recorded"));
        assert!(!is_dotted_kind("person..recorded"));
        assert!(is_uuid("0190c9a4-5f3e-7a2b-8c1d-2e3f4a5b6c7d"));
        assert!(!is_uuid("0190C9A4-5F3E-7A2B-8C1D-2E3F4A5B6C7D"));
        assert!(!is_uuid("0190c9a45f3e7a2b8c1d2e3f4a5b6c7d"));
    }
}
