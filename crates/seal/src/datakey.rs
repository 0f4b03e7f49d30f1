//! Wrapped data keys: the key-table rows, outside the ledger.

use serde::{Deserialize, Serialize};

use crate::aad::Context;
use crate::error::{IntegrityCheck, SealError};
use crate::key::{CompartmentKey, DataKey, check_compartment, check_text};
use crate::wrap::WrappedKey;

const WRAPPED_DATA_KEY_V: u8 = 1;

/// A record's data key wrapped under its compartment's key. This is the row
/// the store keeps in a mutable key table beside (not inside) the ledger:
/// rotation replaces it, erasure deletes it, and the ledger never changes.
/// The wrap is bound to the compartment and the record id, so a row moved
/// to another record or compartment does not open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrappedDataKey {
    compartment: String,
    key: WrappedKey,
    record_id: String,
    v: u8,
}

impl WrappedDataKey {
    pub fn compartment(&self) -> &str {
        &self.compartment
    }

    pub fn record_id(&self) -> &str {
        &self.record_id
    }

    /// Canonical JSON (fields sorted, no whitespace).
    pub fn to_json(&self) -> String {
        // A struct of strings and a number always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// # Errors
    /// [`SealError::Malformed`], [`SealError::UnsupportedVersion`],
    /// [`SealError::InvalidName`].
    pub fn from_json(text: &str) -> Result<Self, SealError> {
        let row: Self = serde_json::from_str(text).map_err(|e| SealError::Malformed {
            what: "wrapped data key",
            reason: e.to_string(),
        })?;
        if row.v != WRAPPED_DATA_KEY_V {
            return Err(SealError::UnsupportedVersion {
                what: "wrapped data key",
                found: u32::from(row.v),
            });
        }
        check_compartment(&row.compartment)?;
        check_text("record id", &row.record_id, 256)?;
        Ok(row)
    }

    #[cfg(test)]
    pub(crate) fn key_mut(&mut self) -> &mut WrappedKey {
        &mut self.key
    }

    #[cfg(test)]
    pub(crate) fn set_record_id(&mut self, record_id: &str) {
        self.record_id = record_id.to_owned();
    }
}

fn context(compartment: &str, record_id: &str) -> Vec<u8> {
    let mut ctx = Context::new("data-key");
    ctx.text(compartment).text(record_id);
    ctx.finish()
}

/// Wraps a record's data key under a compartment key.
///
/// # Errors
/// [`SealError::Randomness`].
pub fn wrap_data_key(ck: &CompartmentKey, dek: &DataKey) -> Result<WrappedDataKey, SealError> {
    let key = WrappedKey::wrap(&ck.key, &context(&ck.name, &dek.record_id), &dek.key)?;
    Ok(WrappedDataKey {
        compartment: ck.name.clone(),
        key,
        record_id: dek.record_id.clone(),
        v: WRAPPED_DATA_KEY_V,
    })
}

/// Opens the data key of `record_id`. The caller passes the record id it
/// looked the row up for, so a row filed under the wrong record is caught.
///
/// # Errors
/// [`SealError::WrongCompartment`], [`SealError::WrongRecord`], or
/// [`SealError::Integrity`] when the wrap does not authenticate under `ck`
/// (old key generation, or the row was altered).
pub fn open_data_key(
    ck: &CompartmentKey,
    wrapped: &WrappedDataKey,
    record_id: &str,
) -> Result<DataKey, SealError> {
    if wrapped.compartment != ck.name {
        return Err(SealError::WrongCompartment {
            wrapped: wrapped.compartment.clone(),
            given: ck.name.clone(),
        });
    }
    if wrapped.record_id != record_id {
        return Err(SealError::WrongRecord {
            key_record: wrapped.record_id.clone(),
            aad_record: record_id.to_owned(),
        });
    }
    let key = wrapped
        .key
        .unwrap_key(&ck.key, &context(&ck.name, record_id))
        .ok_or_else(|| {
            SealError::Integrity(IntegrityCheck::DataKey {
                compartment: ck.name.clone(),
                record_id: record_id.to_owned(),
            })
        })?;
    Ok(DataKey {
        record_id: record_id.to_owned(),
        key,
    })
}

/// Re-wraps a data key from `old` to `new`: key rotation (same compartment,
/// new key generation) or moving a record to another compartment. Only this
/// row changes; every sealed value of the record stays byte for byte the
/// same, so the ledger is untouched.
///
/// # Errors
/// As [`open_data_key`] under `old`; [`SealError::Randomness`].
pub fn rewrap(
    wrapped: &WrappedDataKey,
    old: &CompartmentKey,
    new: &CompartmentKey,
) -> Result<WrappedDataKey, SealError> {
    let dek = open_data_key(old, wrapped, &wrapped.record_id)?;
    wrap_data_key(new, &dek)
}
