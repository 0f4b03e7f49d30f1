//! Commands: what a user asks for, checked against the model and the current
//! state, turned into ledger drafts. Nothing here writes; a command that
//! fails any check yields [`InputErrors`] naming every record and field at
//! fault, and the caller writes nothing.

use std::collections::HashMap;

use qantar_model::{FieldErrors, Kind, Record, Reference};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::db::Param;
use crate::{Draft, Store, StoreError};

/// One reason an input was refused.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputError {
    /// Which input record, e.g. `records[3] (p-ermek-abdreshev)`; absent for a single record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The field path, e.g. `acts[0].date`.
    pub field: String,
    pub reason: String,
}

/// Every reason a command was refused. Nothing was written.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
pub struct InputErrors(pub Vec<InputError>);

impl std::fmt::Display for InputErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match &e.record {
                Some(r) => write!(f, "{r}: {}: {}", e.field, e.reason)?,
                None => write!(f, "{}: {}", e.field, e.reason)?,
            }
        }
        Ok(())
    }
}

impl InputErrors {
    pub fn one(field: &str, reason: impl Into<String>) -> InputErrors {
        InputErrors(vec![InputError {
            record: None,
            field: field.to_string(),
            reason: reason.into(),
        }])
    }

    fn from_fields(record: Option<String>, errors: FieldErrors) -> Vec<InputError> {
        errors
            .0
            .into_iter()
            .map(|e| InputError {
                record: record.clone(),
                field: e.field,
                reason: e.reason,
            })
            .collect()
    }
}

/// What the archive knows about a record that others may reference.
#[derive(Clone, Debug)]
pub struct Known {
    pub id: String,
    pub kind: Kind,
    pub retracted: bool,
    pub parent: Option<String>,
}

impl Store {
    /// Find a record by UUID or ref.
    pub fn lookup(&self, target: &str) -> Result<Option<Known>, StoreError> {
        let column = if Uuid::parse_str(target).is_ok() {
            "id"
        } else {
            "ref"
        };
        let key = if column == "id" {
            Uuid::parse_str(target)
                .map(|u| u.to_string())
                .unwrap_or_default()
        } else {
            target.to_string()
        };
        let sql = if column == "id" {
            "SELECT id, kind, retracted, parent FROM records WHERE id = ?1"
        } else {
            "SELECT id, kind, retracted, parent FROM records WHERE ref = ?1"
        };
        let row = self
            .db()
            .query_opt(sql, &[Param::Text(&key)])?
            .map(|r| -> Result<_, StoreError> {
                Ok((r.text(0)?, r.text(1)?, r.bool(2)?, r.opt_text(3)?))
            })
            .transpose()?;
        Ok(match row {
            None => None,
            Some((id, kind, retracted, parent)) => Some(Known {
                id,
                kind: kind.parse().map_err(|_| StoreError::Corrupt {
                    seq: None,
                    what: format!("record {target} has unknown kind {kind:?} in the projection"),
                })?,
                retracted,
                parent,
            }),
        })
    }

    /// Check new records and turn them into drafts (`<kind>.recorded`).
    /// References may point to records in the archive or anywhere in `inputs`.
    pub fn prepare_records(
        &self,
        inputs: &[Value],
        mint: &mut dyn FnMut() -> Uuid,
    ) -> Result<Vec<Draft>, StoreError> {
        let label = |i: usize, v: &Value| -> Option<String> {
            if inputs.len() == 1 {
                return None;
            }
            Some(match v.get("ref").and_then(Value::as_str) {
                Some(r) => format!("records[{i}] ({r})"),
                None => format!("records[{i}]"),
            })
        };
        let mut errors = Vec::new();
        let mut parsed: Vec<Option<Record>> = Vec::with_capacity(inputs.len());
        // Records of this batch, by id and by ref.
        let mut batch: HashMap<String, Known> = HashMap::new();
        // Parsing is pure and independent per record: do it on every core.
        // Ids are minted first, in input order, so the result does not
        // depend on how the work is split.
        let ids: Vec<Option<Uuid>> = inputs
            .iter()
            .map(|v| matches!(v.get("id"), None | Some(Value::Null)).then(&mut *mint))
            .collect();
        let results: Vec<Result<Record, FieldErrors>> = {
            use rayon::prelude::*;
            inputs
                .par_iter()
                .zip(ids.par_iter())
                .map(|(v, id)| {
                    let mut id = *id;
                    Record::from_json(v, &mut || id.take().unwrap_or_else(Uuid::nil))
                })
                .collect()
        };
        for (i, (v, result)) in inputs.iter().zip(results).enumerate() {
            match result {
                Ok(r) => {
                    let id = r.id.to_string();
                    let known = Known {
                        id: id.clone(),
                        kind: r.kind(),
                        retracted: false,
                        parent: r.parent().map(str::to_string),
                    };
                    let mut clash = |field: &str, key: &str, what: &str| {
                        errors.push(InputError {
                            record: label(i, v),
                            field: field.into(),
                            reason: format!("{key:?} {what}"),
                        })
                    };
                    if batch.contains_key(&id) {
                        clash("id", &id, "is used twice in this input");
                    } else if self.lookup(&id)?.is_some() {
                        clash(
                            "id",
                            &id,
                            "is already a record in this archive; use `qantar amend` to change it",
                        );
                    }
                    if let Some(rf) = &r.r#ref {
                        if batch.contains_key(rf) {
                            clash("ref", rf, "is used twice in this input");
                        } else if let Some(k) = self.lookup(rf)? {
                            clash(
                                "ref",
                                rf,
                                &format!(
                                    "already names record {}; choose another ref or amend that record",
                                    k.id
                                ),
                            );
                        }
                        batch.insert(rf.clone(), known.clone());
                    }
                    batch.insert(id, known);
                    parsed.push(Some(r));
                }
                Err(e) => {
                    errors.extend(InputErrors::from_fields(label(i, v), e));
                    parsed.push(None);
                }
            }
        }
        let mut drafts = Vec::with_capacity(inputs.len());
        for (i, (v, record)) in inputs.iter().zip(parsed).enumerate() {
            let Some(mut record) = record else { continue };
            if let Err(e) = self.resolve_all(&mut record, &batch)? {
                errors.extend(InputErrors::from_fields(label(i, v), e));
                continue;
            }
            if let Some(reason) = self.cycle(&record, &batch)? {
                errors.push(InputError {
                    record: label(i, v),
                    field: "parent".into(),
                    reason,
                });
                continue;
            }
            drafts.push(draft(&record, "recorded"));
        }
        if errors.is_empty() {
            Ok(drafts)
        } else {
            Err(InputErrors(errors).into())
        }
    }

    /// Resolve every reference of `record` against `batch` and the archive.
    /// The outer error is the archive failing; the inner one, bad input.
    fn resolve_all(
        &self,
        record: &mut Record,
        batch: &HashMap<String, Known>,
    ) -> Result<Result<(), FieldErrors>, StoreError> {
        let mut lookup_error = None;
        let resolved = record.resolve_references(&mut |reference: &Reference| {
            self.resolve_target(reference, batch).unwrap_or_else(|e| {
                lookup_error.get_or_insert(e);
                Err("the archive could not be read".into())
            })
        });
        match lookup_error {
            Some(e) => Err(e),
            None => Ok(resolved),
        }
    }

    fn resolve_target(
        &self,
        reference: &Reference,
        batch: &HashMap<String, Known>,
    ) -> Result<Result<String, String>, StoreError> {
        let target = reference.target.as_str();
        let known = match batch.get(target) {
            Some(k) => Some(k.clone()),
            None => match Uuid::parse_str(target) {
                Ok(u) => match batch.get(&u.to_string()) {
                    Some(k) => Some(k.clone()),
                    None => self.lookup(target)?,
                },
                Err(_) => self.lookup(target)?,
            },
        };
        Ok(match known {
            None => Err(format!(
                "no record {target:?} in this archive or this input (check the ref, or add that record first)"
            )),
            Some(k) if k.retracted => Err(format!(
                "record {target:?} was retracted and cannot be referenced"
            )),
            // `derived_from` is checked here too: the model makes it expect
            // the record's own kind.
            Some(k) if !reference.accepts(k.kind) => Err(format!(
                "{target:?} is a {}, but this field needs a {}",
                k.kind.as_str(),
                reference.wanted()
            )),
            Some(k) => Ok(k.id),
        })
    }

    /// Does following `parent` links from this record come back to it?
    fn cycle(
        &self,
        record: &Record,
        batch: &HashMap<String, Known>,
    ) -> Result<Option<String>, StoreError> {
        let me = record.id.to_string();
        let mut current = record.parent().map(str::to_string);
        let mut steps = 0;
        while let Some(target) = current {
            let known = match batch.get(&target) {
                Some(k) => Some(k.clone()),
                None => self.lookup(&target)?,
            };
            let Some(known) = known else { break };
            if known.id == me {
                return Ok(Some(
                    "this parent would make the record its own ancestor".into(),
                ));
            }
            steps += 1;
            if steps > 10_000 {
                return Ok(Some("the parent chain is longer than 10,000 steps".into()));
            }
            current = known.parent;
        }
        Ok(None)
    }

    /// Check a correction and turn it into a draft (`<kind>.amended`). `patch`
    /// is a JSON merge patch (RFC 7386) over the record's current JSON: keys
    /// set to `null` are removed. The kind and id cannot change.
    pub fn prepare_amend(
        &self,
        target: &str,
        patch: &Value,
        reason: Option<&str>,
    ) -> Result<Draft, StoreError> {
        let current = self
            .get(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        if current.is_sealed() {
            return Err(InputErrors::one(
                "id",
                format!(
                    "record {target:?} is sealed: unlock its compartment to amend it \
                     (Store::prepare_amend_unsealed)"
                ),
            )
            .into());
        }
        self.amend_from(current, target, patch, reason)
    }

    /// [`Store::prepare_amend`] for a sealed record: reads it in clear with
    /// [`Store::get_unsealed`] (which appends its audit entry) and checks
    /// the patch against that. Append the draft with
    /// [`Store::append_sealed`] so the new version is sealed too (unless the
    /// patch lowers its confidentiality, which writes it in clear).
    #[allow(clippy::too_many_arguments)]
    pub fn prepare_amend_unsealed(
        &mut self,
        target: &str,
        patch: &Value,
        reason: Option<&str>,
        keys: &crate::Unlocked,
        reader: &str,
        stamp: &crate::Stamp,
        signer: &qantar_ledger::NoteSigner,
        origin: &str,
    ) -> Result<Draft, StoreError> {
        let current = self.get_unsealed(target, keys, reader, stamp, signer, origin)?;
        self.amend_from(current, target, patch, reason)
    }

    fn amend_from(
        &self,
        current: crate::StoredRecord,
        target: &str,
        patch: &Value,
        reason: Option<&str>,
    ) -> Result<Draft, StoreError> {
        if current.retracted {
            return Err(InputErrors::one(
                "id",
                format!("record {target:?} was retracted; it cannot be amended"),
            )
            .into());
        }
        let Value::Object(patch_map) = patch else {
            return Err(
                InputErrors::one("patch", "must be a JSON object of the fields to change").into(),
            );
        };
        for key in ["id", "kind"] {
            if let Some(v) = patch_map.get(key)
                && v != &current.data[key]
            {
                return Err(
                    InputErrors::one(key, format!("the {key} of a record cannot change")).into(),
                );
            }
        }
        let mut next = current.data.clone();
        merge_patch(&mut next, patch);
        if next == current.data {
            return Err(InputErrors::one(
                "patch",
                "changes nothing: the record already has these values",
            )
            .into());
        }
        let mut record = Record::from_json(&next, &mut || Uuid::nil())
            .map_err(|e| StoreError::Input(InputErrors(InputErrors::from_fields(None, e))))?;
        let mut batch = HashMap::new();
        if let Some(rf) = &record.r#ref
            && current.r#ref.as_deref() != Some(rf.as_str())
            && let Some(k) = self.lookup(rf)?
        {
            return Err(
                InputErrors::one("ref", format!("{rf:?} already names record {}", k.id)).into(),
            );
        }
        batch.insert(
            current.id.clone(),
            Known {
                id: current.id.clone(),
                kind: record.kind(),
                retracted: false,
                parent: record.parent().map(str::to_string),
            },
        );
        self.resolve_all(&mut record, &batch)?
            .map_err(|e| StoreError::Input(InputErrors(InputErrors::from_fields(None, e))))?;
        if let Some(reason) = self.cycle(&record, &HashMap::new())? {
            return Err(InputErrors::one("parent", reason).into());
        }
        let mut d = draft(&record, "amended");
        // The reason travels beside the new version, not inside it.
        d.payload = match reason {
            Some(reason) => serde_json::json!({ "record": d.payload, "reason": reason }),
            None => serde_json::json!({ "record": d.payload }),
        };
        Ok(d)
    }

    /// Withdraw a record. It stays in the ledger and in `show`, marked retracted.
    pub fn prepare_retract(&self, target: &str, reason: &str) -> Result<Draft, StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InputErrors::one(
                "reason",
                "say why the record is withdrawn (--reason \"…\")",
            )
            .into());
        }
        let known = self
            .lookup(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        if known.retracted {
            return Err(
                InputErrors::one("id", format!("record {target:?} is already retracted")).into(),
            );
        }
        let confidentiality = self
            .db()
            .query_one(
                "SELECT confidentiality FROM records WHERE id = ?1",
                &[Param::Text(&known.id)],
            )?
            .text(0)?;
        Ok(Draft {
            kind: "record.retracted".into(),
            record: Some(known.id),
            confidentiality,
            payload: serde_json::json!({ "reason": reason }),
            parsed: None,
        })
    }
}

fn draft(record: &Record, action: &str) -> Draft {
    Draft {
        kind: format!("{}.{action}", record.kind().as_str()),
        record: Some(record.id.to_string()),
        confidentiality: record.confidentiality.as_str().to_string(),
        payload: record.to_json(),
        parsed: Some(Box::new(record.clone())),
    }
}

/// RFC 7386 JSON merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let t = target.as_object_mut().expect("made an object above");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}
