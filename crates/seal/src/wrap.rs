//! The one AEAD (XChaCha20-Poly1305) and the wrapped-key encoding.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::error::SealError;
use crate::key::{KEY_LEN, SecretKey};

pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;

/// Algorithm byte of [`WrappedKey`]: XChaCha20-Poly1305 wrapping a 32-byte key.
const ALG_XCHACHA20POLY1305: u8 = 1;
const WRAPPED_CT_LEN: usize = KEY_LEN + TAG_LEN;
const WRAPPED_LEN: usize = 1 + NONCE_LEN + WRAPPED_CT_LEN;

pub(crate) fn random_nonce() -> Result<[u8; NONCE_LEN], SealError> {
    let mut nonce = [0; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| SealError::Randomness(e.to_string()))?;
    Ok(nonce)
}

fn cipher(key: &SecretKey) -> XChaCha20Poly1305 {
    // By reference: no stray copy of the key on the stack.
    let key: &Key = key.bytes().into();
    XChaCha20Poly1305::new(key)
}

pub(crate) fn encrypt(
    key: &SecretKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    cipher(key)
        .encrypt(
            &XNonce::from(*nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        // The only failure is a message beyond the cipher's 256 GiB limit.
        .map_err(|_| SealError::TooLong {
            len: plaintext.len(),
        })
}

/// `None` when the tag does not verify; the caller knows which check it was.
pub(crate) fn decrypt(
    key: &SecretKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    cipher(key)
        .decrypt(
            &XNonce::from(*nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// A 32-byte key encrypted under another key: algorithm id, nonce, and
/// ciphertext with tag. 73 bytes; as text, unpadded URL-safe base64 of those
/// bytes (98 characters), which is also its serde form.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey {
    nonce: [u8; NONCE_LEN],
    ct: [u8; WRAPPED_CT_LEN],
}

impl WrappedKey {
    pub(crate) fn wrap(kek: &SecretKey, aad: &[u8], key: &SecretKey) -> Result<Self, SealError> {
        let nonce = random_nonce()?;
        Self::wrap_with_nonce(kek, aad, key, nonce)
    }

    pub(crate) fn wrap_with_nonce(
        kek: &SecretKey,
        aad: &[u8],
        key: &SecretKey,
        nonce: [u8; NONCE_LEN],
    ) -> Result<Self, SealError> {
        let ct = encrypt(kek, &nonce, aad, key.bytes())?;
        let ct = ct.try_into().map_err(|_| SealError::Malformed {
            what: "wrapped key",
            reason: "cipher output has an unexpected length".into(),
        })?;
        Ok(Self { nonce, ct })
    }

    /// `None` when the tag does not verify.
    pub(crate) fn unwrap_key(&self, kek: &SecretKey, aad: &[u8]) -> Option<SecretKey> {
        let plain = decrypt(kek, &self.nonce, aad, &self.ct)?;
        SecretKey::from_slice(&plain)
    }

    /// Binary form: `0x01 || nonce (24) || ciphertext+tag (48)`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(WRAPPED_LEN);
        out.push(ALG_XCHACHA20POLY1305);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.ct);
        out
    }

    /// # Errors
    /// [`SealError::Malformed`] for a wrong length or an unknown algorithm.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        let bad = |reason: &str| SealError::Malformed {
            what: "wrapped key",
            reason: reason.into(),
        };
        if bytes.len() != WRAPPED_LEN {
            return Err(bad("expected 73 bytes"));
        }
        if bytes[0] != ALG_XCHACHA20POLY1305 {
            return Err(bad("unknown algorithm id (expected 1, XChaCha20-Poly1305)"));
        }
        let nonce = bytes[1..1 + NONCE_LEN]
            .try_into()
            .map_err(|_| bad("nonce"))?;
        let ct = bytes[1 + NONCE_LEN..]
            .try_into()
            .map_err(|_| bad("ciphertext"))?;
        Ok(Self { nonce, ct })
    }

    pub fn to_text(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.to_bytes())
    }

    /// # Errors
    /// [`SealError::Malformed`] for bad base64 or a bad binary form.
    pub fn from_text(text: &str) -> Result<Self, SealError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|e| SealError::Malformed {
                what: "wrapped key",
                reason: format!("not unpadded URL-safe base64: {e}"),
            })?;
        Self::from_bytes(&bytes)
    }

    #[cfg(test)]
    pub(crate) fn flip_bit(&mut self, index: usize) {
        let i = index % (NONCE_LEN + WRAPPED_CT_LEN);
        if i < NONCE_LEN {
            self.nonce[i] ^= 1;
        } else {
            self.ct[i - NONCE_LEN] ^= 1;
        }
    }
}

impl fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WrappedKey({})", self.to_text())
    }
}

impl Serialize for WrappedKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> Deserialize<'de> for WrappedKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::from_text(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_bytes_round_trip() {
        let kek = SecretKey::generate().unwrap();
        let key = SecretKey::generate().unwrap();
        let wrapped = WrappedKey::wrap(&kek, b"ctx", &key).unwrap();
        let text = wrapped.to_text();
        assert_eq!(text.len(), 98);
        let back = WrappedKey::from_text(&text).unwrap();
        assert_eq!(back, wrapped);
        let opened = back.unwrap_key(&kek, b"ctx").unwrap();
        assert_eq!(opened.bytes(), key.bytes());
        assert!(back.unwrap_key(&kek, b"other").is_none());
    }

    #[test]
    fn rejects_bad_encodings() {
        let kek = SecretKey::generate().unwrap();
        let wrapped = WrappedKey::wrap(&kek, b"", &kek).unwrap();
        let mut bytes = wrapped.to_bytes();
        bytes[0] = 2;
        assert!(WrappedKey::from_bytes(&bytes).is_err());
        assert!(WrappedKey::from_bytes(&wrapped.to_bytes()[..72]).is_err());
        assert!(WrappedKey::from_text("not base64!").is_err());
    }
}
