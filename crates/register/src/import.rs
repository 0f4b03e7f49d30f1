//! Importing a list of victims: every row of a table becomes a
//! `list_entry` record citing the list (a `source`), with the row's cells
//! kept as written and the mapped columns as linkage fields.
//!
//! Rows that cannot be read are reported by line and the others imported.
//! Importing the same file again adds nothing: a row is known by the digest
//! of its cells, counted with multiplicity, so a list that repeats a row
//! twice keeps both copies, and a re-export with rows in another order or
//! new rows at the top adds only the new rows.
//!
//! # Sealed imports
//!
//! In an archive that seals confidential records, a list imported as
//! `confidential` is written with a compartment unlocked
//! ([`import_sealed`]): each row's record, cells included, is sealed.
//! Re-import idempotence still needs each earlier row's digest, and a
//! digest of a row's cells kept or shown in clear would let anyone holding
//! the database confirm a guessed row (hash "Айгерим Бекова, 31, Алматы"
//! and look it up). So no digest is ever stored: for clear rows it is
//! recomputed from the projection as before, and for sealed rows it is
//! recomputed in memory after unsealing the compartment's list entries in
//! one pass ([`Archive::unseal_each`]), which appends one `audit.unsealed`
//! entry saying who read how many, and why. That is chosen over a keyed
//! digest (an HMAC under a key derived from the compartment key) because a
//! keyed digest would change with every key rotation, so a re-import after
//! a rotation would silently double the list, and it would need a new
//! place in the schema outside the ledger. The price is decrypting the
//! compartment's list entries on every sealed import, which is cheap next
//! to reading the file.

use std::collections::HashMap;

use qantar_link::{PartialDate, parse_date};
use qantar_model::{Confidentiality, Kind, LINKAGE_FIELDS, vocab};
use qantar_store::sealing::SEALED_LABEL;
use qantar_store::{Archive, Stamp, Store, Unlocked};
use qantar_table::{BoundMapping, Progress, Table};
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::RegisterError;
use crate::load::places;
use crate::places::PlaceBook;

/// The fields a column may be mapped to on import: the linkage fields, and
/// `act_type` and `status`, which are recognised against their vocabularies.
pub fn import_fields() -> Vec<&'static str> {
    let mut f = LINKAGE_FIELDS.to_vec();
    f.extend(["act_type", "status"]);
    f
}

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The list's source: an id or ref of a `source` record.
    pub source: String,
    /// An act type for every row (`killing` for a list of the dead), where
    /// no mapped column gives one.
    pub act_type: Option<String>,
    /// A person status for every row, where no column gives one.
    pub status: Option<String>,
    /// A date of the violation for every row, where no column gives one.
    pub date: Option<String>,
    pub confidentiality: Option<Confidentiality>,
    /// Rows per transaction (and signed checkpoint).
    pub batch_size: usize,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// A value that was kept but not understood, with how many rows had it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unrecognised {
    pub field: String,
    pub value: String,
    pub rows: u64,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportReport {
    pub source: String,
    pub format: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub rows_read: u64,
    pub imported: u64,
    pub already_present: u64,
    pub bad_rows: Vec<BadRow>,
    pub places_recognised: u64,
    /// The most common values that were kept in the row but not recognised
    /// (places, act types, statuses, dates), at most 20.
    pub unrecognised: Vec<Unrecognised>,
    pub warnings: Vec<String>,
    pub dry_run: bool,
    /// Ledger size after the import.
    pub ledger_size: u64,
    /// The compartment the rows were sealed into, for a sealed import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compartment: Option<String>,
    /// Rows written (or, for a dry run, to be written) sealed.
    pub sealed: u64,
    /// Earlier sealed rows opened to find the ones already present (one
    /// `audit.unsealed` entry records it).
    pub sealed_compared: u64,
}

/// The digest of a row's cells, whatever order they come in: a projection
/// row written live keeps the file's column order while one rebuilt from
/// the ledger has them sorted, and both must be known as the same row.
fn row_digest(values: &[(String, String)]) -> [u8; 32] {
    let mut sorted: Vec<&(String, String)> = values.iter().collect();
    sorted.sort();
    let mut h = Sha256::new();
    for (k, v) in sorted {
        // Length-prefixed, so ("ab","c") and ("a","bc") differ.
        h.update((k.len() as u64).to_be_bytes());
        h.update(k.as_bytes());
        h.update((v.len() as u64).to_be_bytes());
        h.update(v.as_bytes());
    }
    h.finalize().into()
}

/// Resolve a source by id or ref; it must be a source record.
pub fn find_source(store: &Store, source: &str) -> Result<String, RegisterError> {
    match store.get(source)? {
        Some(r) if r.kind == Kind::Source.as_str() && !r.retracted => Ok(r.id),
        Some(r) if r.kind != Kind::Source.as_str() => Err(RegisterError::Input(format!(
            "--source {source:?} is {} record, not a source; name the list's source",
            r.kind
        ))),
        Some(_) => Err(RegisterError::Input(format!(
            "--source {source:?} is retracted; name a current source"
        ))),
        None => Err(RegisterError::Input(format!(
            "no source {source:?} in this archive; record the list first, e.g. \
             `qantar add source --ref {source} --source-kind list --title \"…\"`, then import"
        ))),
    }
}

/// The digest of a list entry's cells, if it is a row of `source`.
fn digest_of(data: &Value, source: &str) -> Option<[u8; 32]> {
    let cites = match data.get("sources").and_then(|s| s.get(0)) {
        Some(Value::String(s)) => s == source,
        Some(Value::Object(o)) => o.get("source").and_then(Value::as_str) == Some(source),
        _ => false,
    };
    if !cites {
        return None;
    }
    let values: Vec<(String, String)> = match data.get("values") {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect(),
        _ => Vec::new(),
    };
    Some(row_digest(&values))
}

/// The digests of the rows in clear already imported from `source`, with
/// counts. Sealed rows carry no readable cells here; see [`import_sealed`].
fn existing_rows(store: &Store, source: &str) -> Result<HashMap<[u8; 32], u64>, RegisterError> {
    let mut seen = HashMap::new();
    store.each_record(Kind::ListEntry, |e| {
        if let Some(d) = digest_of(&e.data, source) {
            *seen.entry(d).or_insert(0) += 1;
        }
        Ok(())
    })?;
    Ok(seen)
}

/// A vocabulary term named by its id or by its label in any language.
fn term(vocabulary: &str, text: &str) -> Option<String> {
    let v = vocab::get(vocabulary)?;
    let t = text.trim().to_lowercase();
    v.terms
        .iter()
        .find(|term| {
            term.id == t
                || term.id.replace('_', " ") == t
                || [&term.en, &term.ru, &term.kk]
                    .iter()
                    .any(|l| l.to_lowercase() == t)
        })
        .map(|term| term.id.clone())
}

/// A list's date as the archive's date form: `2022-01-05`, `2022-01`, `2022`.
fn approx_date(text: &str) -> Option<String> {
    let PartialDate { year, month, day } = parse_date(text).ok()??;
    Some(match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    })
}

struct Reader<'a> {
    book: PlaceBook,
    options: &'a ImportOptions,
    source: String,
    unrecognised: HashMap<(String, String), u64>,
    places_recognised: u64,
    /// The rows are sealed: values are counted per field, not named, so
    /// the report (printed, pasted, kept) does not carry their content.
    sealed: bool,
}

impl Reader<'_> {
    fn note(&mut self, field: &str, value: &str) {
        let value = if self.sealed { SEALED_LABEL } else { value };
        *self
            .unrecognised
            .entry((field.to_owned(), value.to_owned()))
            .or_insert(0) += 1;
    }

    /// The record JSON of one row, or why the row cannot be an entry.
    fn entry(
        &mut self,
        line: u64,
        headers: &[String],
        cells: &[String],
        mapped: Vec<(&str, String)>,
    ) -> Result<(Value, [u8; 32]), String> {
        let values: Vec<(String, String)> = headers
            .iter()
            .zip(cells)
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.clone(), v.clone()))
            .collect();
        if mapped.iter().all(|(_, v)| v.is_empty()) {
            return Err("has no value in any mapped column".into());
        }
        let digest = row_digest(&values);
        let mut fields = Map::new();
        let (mut act_type, mut status, mut date, mut place) = (None, None, None, None);
        for (field, value) in mapped {
            if value.is_empty() {
                continue;
            }
            match field {
                "act_type" => match term(vocab::ACT_TYPES, &value) {
                    Some(t) => act_type = Some(t),
                    None => self.note("act_type", &value),
                },
                "status" => match term(vocab::PERSON_STATUSES, &value) {
                    Some(t) => status = Some(t),
                    None => self.note("status", &value),
                },
                _ => {
                    if field == "event_date" {
                        match approx_date(&value) {
                            Some(d) => date = Some(d),
                            None => self.note("event_date", &value),
                        }
                    }
                    if field == "place" {
                        match self.book.recognise(&value) {
                            Some(p) => {
                                self.places_recognised += 1;
                                place = Some(p);
                            }
                            None => self.note("place", &value),
                        }
                    }
                    fields.insert(field.to_owned(), Value::String(value));
                }
            }
        }
        let o = self.options;
        let mut record = json!({
            "kind": "list_entry",
            "row": line,
            "values": Value::Object(values.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()),
        });
        if !fields.is_empty() {
            record["fields"] = Value::Object(fields);
        }
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                record[k] = Value::String(v);
            }
        };
        put("place", place);
        put("act_type", act_type.or_else(|| o.act_type.clone()));
        put("date", date.or_else(|| o.date.clone()));
        put("status", status.or_else(|| o.status.clone()));
        put(
            "confidentiality",
            o.confidentiality.map(|c| c.as_str().to_owned()),
        );
        record["sources"] = json!([{"source": self.source, "locator": format!("line {line}")}]);
        Ok((record, digest))
    }
}

/// Import every row of `table` into the archive as list entries of the
/// options' source. `progress` is called after each row with the reader's
/// position. Nothing is written for a dry run. An archive that seals
/// confidential records refuses a confidential import here, before any
/// write: use [`import_sealed`].
pub fn import(
    archive: &mut Archive,
    table: &mut Table,
    mapping: &BoundMapping,
    options: &ImportOptions,
    stamp: &Stamp,
    mint: &mut dyn FnMut() -> uuid::Uuid,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport, RegisterError> {
    import_sealed(
        archive, table, mapping, options, None, stamp, mint, progress,
    )
}

/// [`import`], sealing the rows into the unlocked compartment when `keys`
/// is given (the options' confidentiality must then be `confidential`).
/// Rows already present are found among the rows in clear and, in memory,
/// among the compartment's sealed rows (see the module docs); that reading
/// appends one `audit.unsealed` entry, even for a dry run, because it is a
/// read of sealed content.
#[allow(clippy::too_many_arguments)]
pub fn import_sealed(
    archive: &mut Archive,
    table: &mut Table,
    mapping: &BoundMapping,
    options: &ImportOptions,
    keys: Option<&Unlocked>,
    stamp: &Stamp,
    mint: &mut dyn FnMut() -> uuid::Uuid,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport, RegisterError> {
    let confidential = options.confidentiality == Some(Confidentiality::Confidential);
    match keys {
        None if confidential && archive.store.sealing_enabled()? => {
            return Err(RegisterError::Input(
                "the rows are confidential and this archive seals confidential records: pass \
                 --compartment C --handler H (and --key-file F if the handler uses one) to seal \
                 them into a compartment"
                    .into(),
            ));
        }
        Some(k) if !confidential => {
            return Err(RegisterError::Input(format!(
                "--compartment {} seals confidential rows only, and these are {}: add \
                 --confidentiality confidential, or drop --compartment",
                k.compartment(),
                options.confidentiality.map_or("restricted", |c| c.as_str())
            )));
        }
        _ => {}
    }
    let source = find_source(&archive.store, &options.source)?;
    for (flag, vocabulary, value) in [
        ("--act-type", vocab::ACT_TYPES, &options.act_type),
        ("--status", vocab::PERSON_STATUSES, &options.status),
    ] {
        if let Some(v) = value
            && vocab::get(vocabulary).is_some_and(|voc| !voc.contains(v))
        {
            return Err(RegisterError::Input(format!(
                "{flag} {v:?} is not a known term; see `qantar vocab {vocabulary}`"
            )));
        }
    }
    if let Some(d) = &options.date
        && d.parse::<qantar_model::ApproxDate>().is_err()
    {
        return Err(RegisterError::Input(format!(
            "--date {d:?} is not a date; write e.g. 2022-01-05, 2022-01 or \"early 2022-01\""
        )));
    }
    let mut seen = existing_rows(&archive.store, &source)?;
    let mut sealed_compared = 0;
    if let Some(keys) = keys {
        sealed_compared = archive.unseal_each(
            Kind::ListEntry,
            keys,
            "import: finding rows already present",
            stamp,
            &mut |_, record| {
                if let Some(d) = digest_of(&record, &source) {
                    *seen.entry(d).or_insert(0) += 1;
                }
                Ok(())
            },
        )?;
    }
    let mut reader = Reader {
        book: places(&archive.store)?,
        options,
        source: source.clone(),
        unrecognised: HashMap::new(),
        places_recognised: 0,
        sealed: keys.is_some(),
    };
    let mut report = ImportReport {
        source: source.clone(),
        format: table.format().to_string(),
        encoding: table.encoding().map(|e| e.to_string()),
        delimiter: table.delimiter().map(|d| char::from(d).to_string()),
        warnings: table.warnings().to_vec(),
        dry_run: options.dry_run,
        compartment: keys.map(|k| k.compartment().to_owned()),
        sealed_compared,
        ..ImportReport::default()
    };
    let headers = table.headers().to_vec();
    let batch_size = options.batch_size.max(1);
    let mut batch: Vec<Value> = Vec::with_capacity(batch_size.min(100_000));
    let mut flush =
        |batch: &mut Vec<Value>, report: &mut ImportReport| -> Result<(), RegisterError> {
            if batch.is_empty() {
                return Ok(());
            }
            let drafts = archive.store.prepare_records(batch, mint)?;
            let sealed = keys.map_or(0, |_| {
                drafts
                    .iter()
                    .filter(|d| d.confidentiality == "confidential")
                    .count() as u64
            });
            if !options.dry_run {
                match keys {
                    Some(k) => archive.append_sealed(drafts, stamp, k)?,
                    None => archive.append(drafts, stamp)?,
                };
            }
            report.imported += batch.len() as u64;
            report.sealed += sealed;
            batch.clear();
            Ok(())
        };
    while let Some(row) = table.next_row() {
        report.rows_read += 1;
        match row {
            Err(e) => report.bad_rows.push(BadRow {
                line: e.line,
                reason: e.reason,
            }),
            Ok(row) => {
                let mapped = mapping.apply(&row);
                match reader.entry(row.line, &headers, &row.values, mapped) {
                    Err(reason) => report.bad_rows.push(BadRow {
                        line: row.line,
                        reason,
                    }),
                    Ok((record, digest)) => match seen.get_mut(&digest) {
                        Some(n) if *n > 0 => {
                            *n -= 1;
                            report.already_present += 1;
                        }
                        _ => {
                            batch.push(record);
                            if batch.len() >= batch_size {
                                flush(&mut batch, &mut report)?;
                            }
                        }
                    },
                }
            }
        }
        progress(table.progress());
    }
    flush(&mut batch, &mut report)?;
    let mut unrecognised: Vec<Unrecognised> = reader
        .unrecognised
        .into_iter()
        .map(|((field, value), rows)| Unrecognised { field, value, rows })
        .collect();
    unrecognised.sort_by(|a, b| {
        b.rows
            .cmp(&a.rows)
            .then_with(|| (&a.field, &a.value).cmp(&(&b.field, &b.value)))
    });
    unrecognised.truncate(20);
    report.unrecognised = unrecognised;
    report.places_recognised = reader.places_recognised;
    report.ledger_size = archive.store.size()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::row_digest;

    fn cells(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_row_is_the_same_row_in_any_column_order_and_only_then() {
        let file_order = cells(&[("Имя", "Асель"), ("Возраст", "31")]);
        let sorted = cells(&[("Возраст", "31"), ("Имя", "Асель")]);
        assert_eq!(row_digest(&file_order), row_digest(&sorted));
        let other = cells(&[("Имя", "Асель"), ("Возраст", "32")]);
        assert_ne!(row_digest(&file_order), row_digest(&other));
        // Cells are length-prefixed: moving text across a boundary is a change.
        assert_ne!(
            row_digest(&cells(&[("a", "bc")])),
            row_digest(&cells(&[("ab", "c")]))
        );
    }
}
