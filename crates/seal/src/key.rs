//! Secret key material: 32-byte keys that wipe themselves on drop and never
//! print their bytes, plus the two symmetric keys of the hierarchy.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::aad::Context;
use crate::error::SealError;

/// Length of every key in this crate (XChaCha20-Poly1305 keys, KEKs).
pub const KEY_LEN: usize = 32;

/// 32 secret bytes. Wiped on drop; `Debug` shows only a fingerprint prefix.
/// There is deliberately no accessor for the bytes outside this crate.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; KEY_LEN]);

impl SecretKey {
    pub(crate) fn generate() -> Result<Self, SealError> {
        let mut key = Self([0; KEY_LEN]);
        getrandom::fill(&mut key.0).map_err(|e| SealError::Randomness(e.to_string()))?;
        Ok(key)
    }

    /// Takes ownership of the bytes and wipes the caller's copy.
    pub(crate) fn from_array(bytes: &mut [u8; KEY_LEN]) -> Self {
        let key = Self(*bytes);
        bytes.zeroize();
        key
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        let mut array: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(Self::from_array(&mut array))
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A public identifier of the key (16 hex digits): a domain-separated
    /// SHA-256 of the key, which reveals nothing about it. Lets people tell
    /// keys apart (which key file, which generation of a compartment key).
    pub fn fingerprint(&self) -> String {
        let mut ctx = Context::new("fingerprint");
        ctx.bytes(&self.0);
        let digest = Sha256::digest(ctx.finish());
        hex::encode(&digest[..8])
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}…)", &self.fingerprint()[..8])
    }
}

/// A record's data key (DEK). One per record: every sealed field of every
/// version of the record is encrypted under it, so erasing this one key
/// erases the whole record. The key knows its record, and sealing under
/// another record's key is refused.
#[derive(Clone)]
pub struct DataKey {
    pub(crate) record_id: String,
    pub(crate) key: SecretKey,
}

impl DataKey {
    /// A fresh random data key for `record_id`.
    ///
    /// # Errors
    /// [`SealError::InvalidName`] for an empty or over-long record id,
    /// [`SealError::Randomness`] if the system generator fails.
    pub fn generate(record_id: &str) -> Result<Self, SealError> {
        check_text("record id", record_id, 256)?;
        Ok(Self {
            record_id: record_id.to_owned(),
            key: SecretKey::generate()?,
        })
    }

    /// The record this key seals.
    pub fn record_id(&self) -> &str {
        &self.record_id
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey")
            .field("record_id", &self.record_id)
            .field("key", &self.key)
            .finish()
    }
}

/// A compartment key (CK): wraps the data keys of every record in one
/// compartment. Handlers receive it through [`crate::Grant`]s; it carries its
/// compartment name so it cannot be used for another compartment by mistake.
#[derive(Clone)]
pub struct CompartmentKey {
    pub(crate) name: String,
    pub(crate) key: SecretKey,
}

impl CompartmentKey {
    /// A fresh random key for compartment `name` (new compartment, or the
    /// next generation when rotating).
    ///
    /// # Errors
    /// [`SealError::InvalidName`] when `name` is not a compartment name (see
    /// [`check_compartment`]), [`SealError::Randomness`].
    pub fn generate(name: &str) -> Result<Self, SealError> {
        check_compartment(name)?;
        Ok(Self {
            name: name.to_owned(),
            key: SecretKey::generate()?,
        })
    }

    /// The compartment this key opens.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Public identifier of this key generation (see [`SecretKey::fingerprint`]).
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint()
    }
}

impl fmt::Debug for CompartmentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompartmentKey")
            .field("name", &self.name)
            .field("key", &self.key)
            .finish()
    }
}

/// Compartment names are short lowercase slugs (`sources-almaty`): they go in
/// key tables, grants and backup headers, and must survive every one of them
/// unescaped.
///
/// # Errors
/// [`SealError::InvalidName`] naming the rule broken.
pub fn check_compartment(name: &str) -> Result<(), SealError> {
    let bad = |reason| SealError::InvalidName {
        what: "compartment name",
        value: name.to_owned(),
        reason,
    };
    if name.is_empty() || name.len() > 64 {
        return Err(bad("use 1 to 64 characters"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(bad("use only a-z, 0-9, '-' and '_'"));
    }
    Ok(())
}

/// Identifiers (record ids, handler names, times) must be non-empty, bounded
/// and free of control characters, since they are written into line-based
/// formats and error messages.
pub(crate) fn check_text(what: &'static str, value: &str, max: usize) -> Result<(), SealError> {
    let bad = |reason| SealError::InvalidName {
        what,
        value: value.chars().take(80).collect(),
        reason,
    };
    if value.is_empty() {
        return Err(bad("must not be empty"));
    }
    if value.len() > max {
        return Err(bad("too long"));
    }
    if value.chars().any(char::is_control) {
        return Err(bad("must not contain control characters"));
    }
    Ok(())
}
