//! Crypto-erasure and its tombstone.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::aad::Aad;
use crate::datakey::WrappedDataKey;
use crate::error::SealError;
use crate::key::check_text;
use crate::sealed::Sealed;

const ERASURE_V: u8 = 1;

/// The tombstone of an erased record: proof that these sealed values existed
/// and that their key was destroyed, with nothing about what they said. It
/// names the record, each erased field and version (all already in the
/// ledger) and the SHA-256 of each sealed value and of the destroyed
/// wrapped key — digests of ciphertext, which reveal nothing. It does not
/// name the compartment or a reason, since either could hint at the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    pub erased_at: String,
    pub payloads: Vec<ErasedPayload>,
    pub record_id: String,
    pub v: u8,
    pub wrapped_key_sha256: String,
}

/// One erased sealed value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasedPayload {
    pub field: String,
    /// Hex SHA-256 of the sealed value's canonical JSON ([`Sealed::sha256`]).
    pub sealed_sha256: String,
    pub version: u64,
}

impl Erasure {
    /// Canonical JSON (fields sorted, payloads sorted, no whitespace), ready
    /// to be the payload of a tombstone entry in the ledger.
    pub fn to_json(&self) -> String {
        // Strings and numbers only: serialisation cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Erases a record: consumes its wrapped data key (the caller then deletes
/// the key-table row, from every replica) and returns the tombstone for the
/// ledger. `payloads` lists the record's sealed values with their bindings;
/// `erased_at` is the caller's UTC time (RFC 3339).
///
/// Once the row is gone, nothing in this crate can open those values again:
/// a new data key for the same record is a different key.
///
/// # Errors
/// [`SealError::WrongRecord`] when a payload belongs to another record;
/// [`SealError::InvalidName`] for an empty or multi-line `erased_at`.
pub fn erase(
    wrapped: WrappedDataKey,
    payloads: &[(Aad<'_>, &Sealed)],
    erased_at: &str,
) -> Result<Erasure, SealError> {
    check_text("erasure time", erased_at, 64)?;
    let mut erased = Vec::with_capacity(payloads.len());
    for (aad, sealed) in payloads {
        if aad.record_id != wrapped.record_id() {
            return Err(SealError::WrongRecord {
                key_record: wrapped.record_id().to_owned(),
                aad_record: aad.record_id.to_owned(),
            });
        }
        erased.push(ErasedPayload {
            field: aad.field.to_owned(),
            sealed_sha256: hex::encode(sealed.sha256()),
            version: aad.version,
        });
    }
    erased.sort();
    erased.dedup();
    Ok(Erasure {
        erased_at: erased_at.to_owned(),
        payloads: erased,
        record_id: wrapped.record_id().to_owned(),
        v: ERASURE_V,
        wrapped_key_sha256: hex::encode(Sha256::digest(wrapped.to_json().as_bytes())),
    })
}
