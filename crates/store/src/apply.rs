//! Applying ledger entries to the projection. The same code runs for a live
//! append (inside the append transaction) and for a replay (`rebuild`,
//! `verify --full`), which is what makes the projection reproducible.

use qantar_ledger::Entry;
use qantar_model::{Kind, Record};
use serde_json::Value;

use crate::StoreError;
use crate::db::{Db, Param};
use crate::sealing::{self, ERASED_KIND, ERASED_LABEL, SEALED_LABEL};

/// Apply one entry. Entries must be applied in sequence order.
/// `parsed` is the record the payload carries, when the caller has it
/// already (a live append); otherwise it is parsed from the payload.
pub(crate) fn apply(db: &Db, entry: &Entry, parsed: Option<Record>) -> Result<(), StoreError> {
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
        let changed = db.exec(
            "UPDATE records SET retracted = 1, retract_reason = ?2, updated_seq = ?3, updated_at = ?4 WHERE id = ?1",
            &[Param::Text(id), Param::Text(reason), Param::from(entry.seq), Param::Text(&entry.time)],
        )?;
        if changed != 1 {
            return Err(fault(format!("retracts {id}, which does not exist")));
        }
        note_entry(db, id, entry.seq)?;
        return Ok(());
    }
    if entry.kind == ERASED_KIND {
        return apply_erasure(db, entry);
    }
    if entry.kind == crate::evidence::ATTACHED_KIND {
        return crate::evidence::apply_attached(db, entry);
    }
    if entry.kind.starts_with("audit.") {
        // Reads leave no trace in the record's row, only in its history.
        if let Some(id) = entry.record.as_deref() {
            note_entry(db, id, entry.seq)?;
        }
        return Ok(());
    }
    let (kind_str, action) = entry
        .kind
        .split_once('.')
        .ok_or_else(|| fault(format!("unknown entry kind {:?}", entry.kind)))?;
    let kind: Kind = kind_str
        .parse()
        .map_err(|_| fault(format!("unknown entry kind {:?}", entry.kind)))?;
    if sealing::is_sealed_payload(&entry.payload) {
        return apply_sealed(db, entry, kind, action);
    }
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
        db.query_opt(
            "SELECT label FROM records WHERE id = ?1",
            &[Param::Text(id)],
        )?
        .map(|r| r.text(0))
        .transpose()
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
    let seq = Param::from(entry.seq);
    // The columns a recording and an amendment both write, as ?1..?14.
    let columns = [
        Param::Text(&id),
        record.r#ref.as_deref().into(),
        Param::Text(record.confidentiality.as_str()),
        seq,
        Param::Text(&entry.time),
        Param::Text(&index.label),
        index.place.as_deref().into(),
        record.parent().into(),
        date_lo.as_deref().into(),
        date_hi.as_deref().into(),
        index.act_type.as_deref().into(),
        index.status.as_deref().into(),
        index.type_term.as_deref().into(),
        Param::Text(&data),
    ];
    match action {
        "recorded" => {
            db.exec(
                "INSERT INTO records (id, kind, ref, confidentiality, version, created_seq, updated_seq, created_at, updated_at,
                    label, place, parent, date_lo, date_hi, act_type, status, type_term, data)
                 VALUES (?1, ?15, ?2, ?3, 1, ?4, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                &[&columns[..], &[Param::Text(kind.as_str())]].concat(),
            )
            .map_err(|e| fault(format!("cannot record {id}: {e}")))?;
        }
        "amended" => {
            let existing: Option<String> = db
                .query_opt(
                    "SELECT kind FROM records WHERE id = ?1",
                    &[Param::Text(&id)],
                )?
                .map(|r| r.text(0))
                .transpose()?;
            match existing {
                None => return Err(fault(format!("amends {id}, which does not exist"))),
                Some(k) if k != kind.as_str() => {
                    return Err(fault(format!("amends {id}, a {k}, as a {}", kind.as_str())));
                }
                Some(_) => {}
            }
            db.exec(
                "UPDATE records SET ref = ?2, confidentiality = ?3, version = version + 1, updated_seq = ?4, updated_at = ?5,
                    label = ?6, place = ?7, parent = ?8, date_lo = ?9, date_hi = ?10, act_type = ?11, status = ?12,
                    type_term = ?13, data = ?14
                 WHERE id = ?1",
                &columns,
            )
            .map_err(|e| fault(format!("cannot amend {id}: {e}")))?;
            db.exec(
                "DELETE FROM record_links WHERE from_id = ?1",
                &[Param::Text(&id)],
            )?;
        }
        other => return Err(fault(format!("unknown action {other:?} in {}", entry.kind))),
    }
    for reference in record.references() {
        db.exec(
            "INSERT INTO record_links (from_id, field, to_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            &[Param::Text(&id), Param::Text(&strip_index(&reference.field)), Param::Text(&reference.target)],
        )?;
    }
    note_entry(db, &id, entry.seq)
}

/// A sealed record version: only what the entry shows in clear reaches the
/// projection (see `sealing`'s module docs for the choice of columns).
fn apply_sealed(db: &Db, entry: &Entry, kind: Kind, action: &str) -> Result<(), StoreError> {
    let fault = |what: String| StoreError::Corrupt {
        seq: Some(entry.seq),
        what,
    };
    let id = entry
        .record
        .as_deref()
        .ok_or_else(|| fault("a sealed entry names no record".into()))?;
    let (sealed, version) = sealing::sealed_parts(&entry.payload).map_err(fault)?;
    let data = sealing::sealed_data(&sealed, version);
    let existing = db
        .query_opt(
            "SELECT kind, version FROM records WHERE id = ?1",
            &[Param::Text(id)],
        )?
        .map(|r| Ok::<_, StoreError>((r.text(0)?, r.u64(1)?)))
        .transpose()?;
    let seq = Param::from(entry.seq);
    match (action, existing) {
        ("recorded", None) if version == 1 => {
            db.exec(
                "INSERT INTO records (id, kind, ref, confidentiality, version, created_seq, updated_seq, created_at, updated_at,
                    label, data)
                 VALUES (?1, ?2, NULL, ?3, 1, ?4, ?4, ?5, ?5, ?6, ?7)",
                &[
                    Param::Text(id),
                    Param::Text(kind.as_str()),
                    Param::Text(&entry.confidentiality),
                    seq,
                    Param::Text(&entry.time),
                    Param::Text(SEALED_LABEL),
                    Param::Text(&data),
                ],
            )
            .map_err(|e| fault(format!("cannot record {id}: {e}")))?;
        }
        ("amended", Some((k, v))) if k == kind.as_str() && version == v + 1 => {
            db.exec(
                "UPDATE records SET ref = NULL, confidentiality = ?2, version = ?3, updated_seq = ?4, updated_at = ?5,
                    label = ?6, place = NULL, parent = NULL, date_lo = NULL, date_hi = NULL, act_type = NULL,
                    status = NULL, type_term = NULL, data = ?7
                 WHERE id = ?1",
                &[
                    Param::Text(id),
                    Param::Text(&entry.confidentiality),
                    Param::from(version),
                    seq,
                    Param::Text(&entry.time),
                    Param::Text(SEALED_LABEL),
                    Param::Text(&data),
                ],
            )?;
            db.exec(
                "DELETE FROM record_links WHERE from_id = ?1",
                &[Param::Text(id)],
            )?;
        }
        ("recorded", Some(_)) => return Err(fault(format!("records {id}, which already exists"))),
        ("amended", None) => return Err(fault(format!("amends {id}, which does not exist"))),
        ("amended", Some((k, v))) => {
            return Err(fault(format!(
                "sealed {} of {id} says version {version}, but the record is a {k} at version {v}",
                entry.kind
            )));
        }
        ("recorded", None) => {
            return Err(fault(format!(
                "sealed {} of {id} says version {version}, not 1",
                entry.kind
            )));
        }
        (other, _) => return Err(fault(format!("unknown action {other:?} in {}", entry.kind))),
    }
    note_entry(db, id, entry.seq)
}

/// A crypto-erasure tombstone: the record stays, retracted, with nothing of
/// its content (there was none in clear) and the erasure's time and reason.
fn apply_erasure(db: &Db, entry: &Entry) -> Result<(), StoreError> {
    let fault = |what: String| StoreError::Corrupt {
        seq: Some(entry.seq),
        what,
    };
    let id = entry
        .record
        .as_deref()
        .ok_or_else(|| fault("an erasure names no record".into()))?;
    let at = entry
        .payload
        .pointer("/erasure/erased_at")
        .and_then(Value::as_str)
        .ok_or_else(|| fault("an erasure has no erased_at".into()))?;
    let reason = entry
        .payload
        .get("reason")
        .and_then(Value::as_str)
        .ok_or_else(|| fault("an erasure has no reason".into()))?;
    let data = serde_json::json!({ "erased": { "at": at, "reason": reason } }).to_string();
    let changed = db.exec(
        "UPDATE records SET retracted = 1, retract_reason = ?2, label = ?3, data = ?4, updated_seq = ?5, updated_at = ?6
         WHERE id = ?1",
        &[
            Param::Text(id),
            Param::Text(&format!("erased ({reason})")),
            Param::Text(ERASED_LABEL),
            Param::Text(&data),
            Param::from(entry.seq),
            Param::Text(&entry.time),
        ],
    )?;
    if changed != 1 {
        return Err(fault(format!("erases {id}, which does not exist")));
    }
    db.exec(
        "DELETE FROM record_links WHERE from_id = ?1",
        &[Param::Text(id)],
    )?;
    note_entry(db, id, entry.seq)
}

fn note_entry(db: &Db, id: &str, seq: u64) -> Result<(), StoreError> {
    db.exec(
        "INSERT INTO record_entries (record, seq) VALUES (?1, ?2)",
        &[Param::Text(id), Param::from(seq)],
    )?;
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
