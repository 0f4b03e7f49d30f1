//! Sealed payloads: what the ledger stores in place of a confidential value.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::aad::Aad;
use crate::error::{IntegrityCheck, SealError};
use crate::key::DataKey;
use crate::wrap::{self, NONCE_LEN, TAG_LEN};

/// Format version of [`Sealed`].
const SEALED_V: u8 = 1;

/// One confidential value, encrypted with XChaCha20-Poly1305 under its
/// record's [`DataKey`] and bound to an [`Aad`]. Holds no key material and
/// no identifiers: the ledger entry around it already names the record, and
/// the compartment lives only in the key table, so a mirror of the ledger
/// learns neither the value nor which compartment guards it.
///
/// Its JSON form (`{"ct":…,"nonce":…,"v":1}`, standard padded base64, keys
/// sorted, no whitespace) is canonical: the same value always gives the same
/// bytes, which is what the ledger hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SealedJson", into = "SealedJson")]
pub struct Sealed {
    nonce: [u8; NONCE_LEN],
    ct: Vec<u8>,
}

/// Field names sorted, so serde's output is already canonical.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedJson {
    ct: String,
    nonce: String,
    v: u8,
}

impl From<Sealed> for SealedJson {
    fn from(s: Sealed) -> Self {
        Self {
            ct: STANDARD.encode(&s.ct),
            nonce: STANDARD.encode(s.nonce),
            v: SEALED_V,
        }
    }
}

impl TryFrom<SealedJson> for Sealed {
    type Error = SealError;
    fn try_from(j: SealedJson) -> Result<Self, SealError> {
        let bad = |reason: &str| SealError::Malformed {
            what: "sealed value",
            reason: reason.into(),
        };
        if j.v != SEALED_V {
            return Err(SealError::UnsupportedVersion {
                what: "sealed value",
                found: u32::from(j.v),
            });
        }
        let nonce = STANDARD
            .decode(&j.nonce)
            .map_err(|_| bad("nonce is not base64"))?
            .try_into()
            .map_err(|_| bad("nonce is not 24 bytes"))?;
        let ct = STANDARD
            .decode(&j.ct)
            .map_err(|_| bad("ciphertext is not base64"))?;
        if ct.len() < TAG_LEN {
            return Err(bad("ciphertext is shorter than its tag"));
        }
        Ok(Self { nonce, ct })
    }
}

impl Sealed {
    /// Canonical JSON text (see the type's docs).
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"ct":"{}","nonce":"{}","v":{SEALED_V}}}"#,
            STANDARD.encode(&self.ct),
            STANDARD.encode(self.nonce)
        )
    }

    /// # Errors
    /// [`SealError::Malformed`] or [`SealError::UnsupportedVersion`].
    pub fn from_json(text: &str) -> Result<Self, SealError> {
        serde_json::from_str(text).map_err(|e| SealError::Malformed {
            what: "sealed value",
            reason: e.to_string(),
        })
    }

    /// SHA-256 of the canonical JSON: names this sealed value (for example
    /// in an erasure tombstone) without revealing anything about it.
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(self.to_json().as_bytes()).into()
    }

    /// Length of the plaintext. Not hidden: see "what a stolen archive
    /// shows" in the crate docs.
    pub fn plaintext_len(&self) -> usize {
        self.ct.len() - TAG_LEN
    }

    #[cfg(test)]
    pub(crate) fn parts_mut(&mut self) -> (&mut [u8; NONCE_LEN], &mut Vec<u8>) {
        (&mut self.nonce, &mut self.ct)
    }
}

/// Seals `plaintext` for the place `aad` names, under the record's data key.
///
/// # Errors
/// [`SealError::WrongRecord`] when `aad` names another record than the key
/// (each record's values must be under its own key, or erasing that key
/// would not erase them); [`SealError::Randomness`]; [`SealError::TooLong`].
pub fn seal(dek: &DataKey, aad: &Aad<'_>, plaintext: &[u8]) -> Result<Sealed, SealError> {
    seal_with_nonce(dek, aad, plaintext, wrap::random_nonce()?)
}

pub(crate) fn seal_with_nonce(
    dek: &DataKey,
    aad: &Aad<'_>,
    plaintext: &[u8],
    nonce: [u8; NONCE_LEN],
) -> Result<Sealed, SealError> {
    check_record(dek, aad)?;
    let ct = wrap::encrypt(&dek.key, &nonce, &aad.to_bytes(), plaintext)?;
    Ok(Sealed { nonce, ct })
}

/// Opens a sealed value. The plaintext is wiped when dropped.
///
/// # Errors
/// [`SealError::Integrity`] naming the record, field and version when the
/// value does not authenticate (altered; copied from another record, field
/// or version; or not this record's key); [`SealError::WrongRecord`].
pub fn unseal(
    dek: &DataKey,
    sealed: &Sealed,
    aad: &Aad<'_>,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    check_record(dek, aad)?;
    wrap::decrypt(&dek.key, &sealed.nonce, &aad.to_bytes(), &sealed.ct).ok_or_else(|| {
        SealError::Integrity(IntegrityCheck::Payload {
            record_id: aad.record_id.to_owned(),
            field: aad.field.to_owned(),
            version: aad.version,
        })
    })
}

fn check_record(dek: &DataKey, aad: &Aad<'_>) -> Result<(), SealError> {
    if dek.record_id != aad.record_id {
        return Err(SealError::WrongRecord {
            key_record: dek.record_id.clone(),
            aad_record: aad.record_id.to_owned(),
        });
    }
    Ok(())
}
