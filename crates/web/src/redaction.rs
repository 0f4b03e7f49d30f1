//! Making the public version of a record: the one procedure behind
//! `qantar redact` and the workspace's "Publish a redacted version" button.
//!
//! [`plan`] reads only what is in clear (the stored row, the consent
//! records) and refuses before anything is unsealed, so a refused
//! redaction of a sealed record leaves no audit entry for nothing.
//! [`derive`] then builds the derived record from the original's content
//! (read in clear, or unsealed by the caller) with the model's rules and
//! checks that it publishes nothing the consent withholds. The caller
//! prepares and appends it. No I/O beyond the store's reads.

use qantar_model::consent::{
    Decision, Redaction, Verdict, check_redaction, identifying_fields, redact,
};
use qantar_model::{FieldErrors, Kind, Record};
use qantar_store::{InputError, InputErrors, Store, StoreError, StoredRecord};
use serde_json::Value;

/// A redaction that may go ahead, before the original is read.
pub struct Plan {
    pub stored: StoredRecord,
    pub kind: Kind,
    pub decision: Decision,
}

/// What [`derive`] built.
pub struct Derived {
    /// The derived record as input JSON, ready for `prepare_records`.
    pub input: Value,
    /// The fields dropped or replaced by a placeholder.
    pub dropped: Vec<String>,
}

fn one(field: &str, reason: String) -> StoreError {
    StoreError::Input(InputErrors(vec![InputError {
        record: None,
        field: field.to_string(),
        reason,
    }]))
}

fn fields(e: FieldErrors) -> StoreError {
    StoreError::Input(InputErrors(
        e.0.into_iter()
            .map(|f| InputError {
                record: None,
                field: f.field,
                reason: f.reason,
            })
            .collect(),
    ))
}

/// Check that `target` may have a public version made as `how` says.
pub fn plan(store: &Store, target: &str, how: &Redaction) -> Result<Plan, StoreError> {
    let stored = store
        .get(target)?
        .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
    if stored.retracted {
        return Err(one(
            "id",
            format!(
                "record {} was retracted; it has no public version",
                stored.id
            ),
        ));
    }
    let kind: Kind = stored.kind.parse().map_err(|_| StoreError::Corrupt {
        seq: Some(stored.updated_seq),
        what: format!("record {} has an unknown kind {:?}", stored.id, stored.kind),
    })?;
    check_redaction(kind, how).map_err(fields)?;
    let decision = crate::public::consent_book(store)?.decide(&stored.id);
    if decision.verdict == Verdict::Withhold {
        return Err(one(
            "id",
            format!(
                "record {} may not be published: {}; nothing was derived",
                stored.id, decision.why
            ),
        ));
    }
    Ok(Plan {
        stored,
        kind,
        decision,
    })
}

/// Build the derived record from the original's content in clear (`data`).
pub fn derive(plan: &Plan, data: &Value, how: &Redaction) -> Result<Derived, StoreError> {
    let original =
        Record::from_json(data, &mut uuid::Uuid::nil).map_err(|e| StoreError::Corrupt {
            seq: Some(plan.stored.updated_seq),
            what: format!("record {} does not parse: {e}", plan.stored.id),
        })?;
    let input = redact(&original, how).map_err(fields)?;
    // Parsed once with a throwaway id, to see what it would publish.
    let derived = Record::from_json(&input, &mut uuid::Uuid::now_v7).map_err(fields)?;
    let left = identifying_fields(&derived);
    if plan.decision.verdict == Verdict::PublishDerivedOnly && !left.is_empty() {
        return Err(one(
            "--keep",
            format!(
                "{}; the public version would still carry {} — drop --keep/--set for {}",
                plan.decision.why,
                left.join(", "),
                if left.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
    let json = original.to_json();
    let dropped = plan
        .kind
        .sensitive_fields()
        .iter()
        .copied()
        .filter(|f| json.get(*f).is_some() && !how.keep.iter().any(|k| k == f))
        .map(str::to_string)
        .chain(how.drop.iter().cloned())
        .collect();
    Ok(Derived { input, dropped })
}
