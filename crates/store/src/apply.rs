//! Applying ledger entries to the projection. The same code runs for a live
//! append (inside the append transaction) and for a replay (`rebuild`,
//! `verify --full`), which is what makes the projection reproducible.

use qantar_ledger::Entry;
use qantar_model::{Kind, Record};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::StoreError;

/// Apply one entry. Entries must be applied in sequence order.
/// `parsed` is the record the payload carries, when the caller has it
/// already (a live append); otherwise it is parsed from the payload.
pub(crate) fn apply(
    conn: &Connection,
    entry: &Entry,
    parsed: Option<Record>,
) -> Result<(), StoreError> {
    let fault = |what: String| StoreError::Corrupt {
        seq: Some(entry.seq),
        what,
    };
    if entry.kind == "archive.created" {
        return Ok(());
    }
    if entry.kind == "record.retracted" {
        let id = entry
            .record
            .as_deref()
            .ok_or_else(|| fault("a retraction names no record".into()))?;
        let reason = entry
            .payload
            .get("reason")
            .and_then(Value::as_str)
            .ok_or_else(|| fault("a retraction has no reason".into()))?;
        let changed = conn
            .prepare_cached(
                "UPDATE records SET retracted = 1, retract_reason = ?2, updated_seq = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id, reason, entry.seq as i64, entry.time])?;
        if changed != 1 {
            return Err(fault(format!("retracts {id}, which does not exist")));
        }
        note_entry(conn, id, entry.seq)?;
        return Ok(());
    }
    let (kind_str, action) = entry
        .kind
        .split_once('.')
        .ok_or_else(|| fault(format!("unknown entry kind {:?}", entry.kind)))?;
    let kind: Kind = kind_str
        .parse()
        .map_err(|_| fault(format!("unknown entry kind {:?}", entry.kind)))?;
    // An amendment carries the new version under "record", beside its reason.
    let body = if action == "amended" {
        entry
            .payload
            .get("record")
            .ok_or_else(|| fault("an amendment carries no record".into()))?
    } else {
        &entry.payload
    };
    let record = match parsed {
        Some(r) => r,
        None => Record::from_json(body, &mut uuid::Uuid::nil)
            .map_err(|e| fault(format!("payload is not a valid {kind_str}: {e}")))?,
    };
    let id = record.id.to_string();
    if entry.record.as_deref() != Some(id.as_str()) {
        return Err(fault(format!(
            "entry is about {:?} but its payload is record {id}",
            entry.record
        )));
    }
    if record.kind() != kind {
        return Err(fault(format!(
            "entry kind {} carries a {}",
            entry.kind,
            record.kind().as_str()
        )));
    }
    let mut index = record.index();
    let label_of = |id: &str| -> Result<Option<String>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT label FROM records WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    };
    // Labels name what happened to whom, or who counted what where: the
    // referenced records' labels, not their UUIDs.
    match &record.body {
        qantar_model::Body::Act(act) => {
            if let (Some(victim), Some(t)) = (label_of(&act.victim)?, &index.act_type) {
                index.label = format!("{}: {victim}", t.replace('_', " "));
            }
        }
        qantar_model::Body::Claim(claim) => {
            if let Some(place) = claim.place.as_deref().map(label_of).transpose()?.flatten() {
                index.label = format!("{} — {place}", index.label);
            }
            if let Some(who) = &claim.claimant {
                index.label = format!("{} ({})", index.label, who.best("en"));
            }
        }
        _ => {}
    }
    // Re-rendered by the model so the column does not depend on the key order
    // of the payload (live drafts and canonical bytes order keys differently).
    let data = record.to_json().to_string();
    let date_lo = index.date_earliest.map(|d| d.to_string());
    let date_hi = index.date_latest.map(|d| d.to_string());
    let seq = entry.seq as i64;
    match action {
        "recorded" => {
            conn.prepare_cached(
                "INSERT INTO records (id, kind, ref, confidentiality, version, created_seq, updated_seq, created_at, updated_at,
                    label, place, parent, date_lo, date_hi, act_type, status, type_term, data)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                id,
                kind.as_str(),
                record.r#ref,
                record.confidentiality.as_str(),
                seq,
                entry.time,
                index.label,
                index.place,
                record.parent(),
                date_lo,
                date_hi,
                index.act_type,
                index.status,
                index.type_term,
                data
            ])
            .map_err(|e| fault(format!("cannot record {id}: {e}")))?;
        }
        "amended" => {
            let existing: Option<String> = conn
                .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))
                .optional()?;
            match existing {
                None => return Err(fault(format!("amends {id}, which does not exist"))),
                Some(k) if k != kind.as_str() => {
                    return Err(fault(format!("amends {id}, a {k}, as a {}", kind.as_str())));
                }
                Some(_) => {}
            }
            conn.prepare_cached(
                "UPDATE records SET ref = ?2, confidentiality = ?3, version = version + 1, updated_seq = ?4, updated_at = ?5,
                    label = ?6, place = ?7, parent = ?8, date_lo = ?9, date_hi = ?10, act_type = ?11, status = ?12,
                    type_term = ?13, data = ?14
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                record.r#ref,
                record.confidentiality.as_str(),
                seq,
                entry.time,
                index.label,
                index.place,
                record.parent(),
                date_lo,
                date_hi,
                index.act_type,
                index.status,
                index.type_term,
                data
            ])
            .map_err(|e| fault(format!("cannot amend {id}: {e}")))?;
            conn.prepare_cached("DELETE FROM record_links WHERE from_id = ?1")?
                .execute([&id])?;
        }
        other => return Err(fault(format!("unknown action {other:?} in {}", entry.kind))),
    }
    let mut link = conn.prepare_cached(
        "INSERT OR IGNORE INTO record_links (from_id, field, to_id) VALUES (?1, ?2, ?3)",
    )?;
    for reference in record.references() {
        link.execute(params![id, strip_index(&reference.field), reference.target])?;
    }
    note_entry(conn, &id, entry.seq)
}

fn note_entry(conn: &Connection, id: &str, seq: u64) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO record_entries (record, seq) VALUES (?1, ?2)")?
        .execute(params![id, seq as i64])?;
    Ok(())
}

/// `acts[2].place` → `acts.place`: links are queried by field, not position.
fn strip_index(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut skipping = false;
    for c in field.chars() {
        match c {
            '[' => skipping = true,
            ']' => skipping = false,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn positions_are_dropped_from_link_fields() {
        assert_eq!(super::strip_index("sources[3].source"), "sources.source");
        assert_eq!(super::strip_index("victim"), "victim");
    }
}
