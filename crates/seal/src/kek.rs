//! Key-encryption keys (KEKs): what a handler holds to open their grants,
//! and what protects a key backup. Either derived from a passphrase with
//! Argon2id, or 32 random bytes kept in a key file.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::aad::Context;
use crate::error::{KeyFileError, SealError};
use crate::key::{KEY_LEN, SecretKey};

/// Argon2id cost parameters, stored beside every passphrase wrap so they
/// can be raised later without breaking old grants and backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawKdfParams")]
pub struct KdfParams {
    /// Memory in KiB.
    m_kib: u32,
    /// Passes over memory.
    t: u32,
    /// Lanes.
    p: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKdfParams {
    m_kib: u32,
    t: u32,
    p: u32,
}

impl TryFrom<RawKdfParams> for KdfParams {
    type Error = SealError;
    fn try_from(raw: RawKdfParams) -> Result<Self, SealError> {
        Self::new(raw.m_kib, raw.t, raw.p)
    }
}

impl KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about 0.56 s on one core of the 2-core
    /// development machine (see the bench), paid once per handler login, and
    /// 64 MiB of memory per guess for an attacker.
    pub const DEFAULT: Self = Self {
        m_kib: 64 * 1024,
        t: 3,
        p: 1,
    };

    /// Upper bounds keep a forged grant or backup header from making the
    /// server allocate or compute without limit.
    const MAX_M_KIB: u32 = 4 * 1024 * 1024;
    const MAX_T: u32 = 64;
    const MAX_P: u32 = 16;

    /// # Errors
    /// [`SealError::KdfParams`] outside 1 ≤ p ≤ 16, 8·p KiB ≤ m ≤ 4 GiB,
    /// 1 ≤ t ≤ 64.
    pub fn new(m_kib: u32, t: u32, p: u32) -> Result<Self, SealError> {
        let bad = |reason: String| SealError::KdfParams { reason };
        if !(1..=Self::MAX_P).contains(&p) {
            return Err(bad(format!("lanes p={p} must be 1 to {}", Self::MAX_P)));
        }
        if m_kib < 8 * p || m_kib > Self::MAX_M_KIB {
            return Err(bad(format!(
                "memory m={m_kib} KiB must be 8·p to {} KiB",
                Self::MAX_M_KIB
            )));
        }
        if !(1..=Self::MAX_T).contains(&t) {
            return Err(bad(format!("passes t={t} must be 1 to {}", Self::MAX_T)));
        }
        Ok(Self { m_kib, t, p })
    }

    pub fn m_kib(&self) -> u32 {
        self.m_kib
    }
    pub fn t(&self) -> u32 {
        self.t
    }
    pub fn p(&self) -> u32 {
        self.p
    }

    /// Whether these parameters cost at least as much as [`Self::DEFAULT`];
    /// callers creating grants for real use should refuse weaker ones.
    pub fn is_at_least_default(&self) -> bool {
        self.m_kib >= Self::DEFAULT.m_kib && self.t >= Self::DEFAULT.t
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Argon2id salt (16 random bytes), base64 in serde.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Salt([u8; 16]);

impl Salt {
    /// # Errors
    /// [`SealError::Randomness`].
    pub fn generate() -> Result<Self, SealError> {
        let mut salt = [0; 16];
        getrandom::fill(&mut salt).map_err(|e| SealError::Randomness(e.to_string()))?;
        Ok(Self(salt))
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Salt({})", STANDARD.encode(self.0))
    }
}

impl Serialize for Salt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(self.0))
    }
}

impl<'de> Deserialize<'de> for Salt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = STANDARD.decode(&text).map_err(serde::de::Error::custom)?;
        let bytes: [u8; 16] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("salt must be 16 bytes"))?;
        Ok(Self(bytes))
    }
}

/// How a KEK is obtained: the public half, stored with each grant and in
/// each backup header so the right secret can be asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum KekSpec {
    /// Argon2id over the passphrase with these parameters and salt.
    Passphrase { kdf: KdfParams, salt: Salt },
    /// The key in the key file whose fingerprint is `id`.
    KeyFile { id: String },
}

/// A key-encryption key and how it was obtained.
pub struct Kek {
    spec: KekSpec,
    pub(crate) key: SecretKey,
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kek")
            .field("spec", &self.spec)
            .finish_non_exhaustive()
    }
}

const KEY_FILE_HEADER: &str = "qantar-seal-key v";

impl Kek {
    /// Derives a KEK from a passphrase with Argon2id. Text passphrases should
    /// be NFC-normalised by the caller, so the same words typed on another
    /// keyboard give the same key.
    ///
    /// # Errors
    /// [`SealError::EmptyPassphrase`], [`SealError::KdfParams`].
    pub fn from_passphrase(
        passphrase: &str,
        kdf: &KdfParams,
        salt: &Salt,
    ) -> Result<Self, SealError> {
        if passphrase.is_empty() {
            return Err(SealError::EmptyPassphrase);
        }
        let params = Params::new(kdf.m_kib, kdf.t, kdf.p, Some(KEY_LEN)).map_err(|e| {
            SealError::KdfParams {
                reason: e.to_string(),
            }
        })?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(passphrase.as_bytes(), &salt.0, out.as_mut())
            .map_err(|e| SealError::KdfParams {
                reason: e.to_string(),
            })?;
        Ok(Self {
            spec: KekSpec::Passphrase {
                kdf: *kdf,
                salt: *salt,
            },
            key: SecretKey::from_array(&mut out),
        })
    }

    /// Derives the KEK a grant or backup asks for from a passphrase.
    ///
    /// # Errors
    /// [`SealError::KekMismatch`] when `spec` wants a key file; otherwise as
    /// [`Kek::from_passphrase`].
    pub fn derive(spec: &KekSpec, passphrase: &str) -> Result<Self, SealError> {
        match spec {
            KekSpec::Passphrase { kdf, salt } => Self::from_passphrase(passphrase, kdf, salt),
            KekSpec::KeyFile { .. } => Err(SealError::KekMismatch {
                reason: "this is opened with a key file, not a passphrase",
            }),
        }
    }

    /// A new random KEK and the text of its key file (three short lines:
    /// header, base64 key, checksum; printable on paper). The caller writes
    /// the text with owner-only permissions.
    ///
    /// # Errors
    /// [`SealError::Randomness`].
    pub fn generate_key_file() -> Result<(Self, Zeroizing<String>), SealError> {
        let key = SecretKey::generate()?;
        let body = Zeroizing::new(STANDARD.encode(key.bytes()));
        let check = key_file_check(1, key.bytes());
        let text = Zeroizing::new(format!("{KEY_FILE_HEADER}1\n{}\ncheck {check}\n", *body));
        let kek = Self {
            spec: KekSpec::KeyFile {
                id: key.fingerprint(),
            },
            key,
        };
        Ok((kek, text))
    }

    /// Reads a key file. Any damage (changed, missing or extra byte) is
    /// reported as [`KeyFileError::Damaged`], never read as another key.
    ///
    /// # Errors
    /// [`KeyFileError::Damaged`], [`KeyFileError::UnsupportedVersion`].
    pub fn from_key_file(bytes: &[u8]) -> Result<Self, KeyFileError> {
        let damaged = |reason| KeyFileError::Damaged { reason };
        let text = std::str::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text"))?;
        // Only a final line ending is tolerated; any other change is damage.
        let text = text
            .strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t))
            .ok_or(damaged("the last line is cut off"))?;
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let [header, body, check] = lines[..] else {
            return Err(damaged("expected exactly three lines"));
        };
        let version = header
            .strip_prefix(KEY_FILE_HEADER)
            .ok_or(damaged("first line is not a qantar key-file header"))?;
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return Err(damaged("first line is not a qantar key-file header"));
        }
        let version: u32 = version
            .parse()
            .map_err(|_| damaged("version number out of range"))?;
        if version != 1 {
            return Err(KeyFileError::UnsupportedVersion { found: version });
        }
        let key = Zeroizing::new(
            STANDARD
                .decode(body)
                .map_err(|_| damaged("the key line is not base64"))?,
        );
        let key = SecretKey::from_slice(&key).ok_or(damaged("the key is not 32 bytes"))?;
        let check = check
            .strip_prefix("check ")
            .ok_or(damaged("the third line is not a checksum"))?;
        if check != key_file_check(version, key.bytes()) {
            return Err(damaged("checksum does not match the key"));
        }
        Ok(Self {
            spec: KekSpec::KeyFile {
                id: key.fingerprint(),
            },
            key,
        })
    }

    /// The public half: how this KEK is obtained again.
    pub fn spec(&self) -> &KekSpec {
        &self.spec
    }

    /// Checks that this KEK is the one `wanted` describes, so a mix-up gives
    /// a precise error instead of a failed decryption.
    pub(crate) fn check_matches(&self, wanted: &KekSpec) -> Result<(), SealError> {
        match (wanted, &self.spec) {
            (KekSpec::KeyFile { id: want }, KekSpec::KeyFile { id: have }) if want != have => {
                Err(SealError::WrongKeyFile {
                    expected: want.clone(),
                    found: have.clone(),
                })
            }
            (KekSpec::KeyFile { .. }, KekSpec::KeyFile { .. }) => Ok(()),
            (KekSpec::Passphrase { .. }, KekSpec::KeyFile { .. }) => Err(SealError::KekMismatch {
                reason: "this is opened with a passphrase, not a key file",
            }),
            (KekSpec::KeyFile { .. }, KekSpec::Passphrase { .. }) => Err(SealError::KekMismatch {
                reason: "this is opened with a key file, not a passphrase",
            }),
            (want, have) if want != have => Err(SealError::KekMismatch {
                reason: "the key was derived with other Argon2id parameters or salt; derive it \
                         with Kek::derive from the stored parameters",
            }),
            _ => Ok(()),
        }
    }
}

/// 8 hex digits over the version and the key: catches any damage to the key
/// line, and a header whose version was changed without the key.
fn key_file_check(version: u32, key: &[u8; KEY_LEN]) -> String {
    let mut ctx = Context::new("key-file-check");
    ctx.number(u64::from(version)).bytes(key);
    hex::encode(&Sha256::digest(ctx.finish())[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trip_and_crlf() {
        let (kek, text) = Kek::generate_key_file().unwrap();
        let back = Kek::from_key_file(text.as_bytes()).unwrap();
        assert_eq!(back.key.bytes(), kek.key.bytes());
        assert_eq!(back.spec(), kek.spec());
        let crlf = text.replace('\n', "\r\n");
        let back = Kek::from_key_file(crlf.as_bytes()).unwrap();
        assert_eq!(back.key.bytes(), kek.key.bytes());
    }

    #[test]
    fn every_flipped_byte_is_detected() {
        let (_, text) = Kek::generate_key_file().unwrap();
        let bytes = text.as_bytes();
        let version_at = KEY_FILE_HEADER.len();
        for i in 0..bytes.len() {
            for mask in [0x01u8, 0x20, 0x80] {
                let mut damaged = bytes.to_vec();
                damaged[i] ^= mask;
                let err = Kek::from_key_file(&damaged).unwrap_err();
                if i == version_at && damaged[i].is_ascii_digit() {
                    assert!(matches!(err, KeyFileError::UnsupportedVersion { .. }));
                } else {
                    assert!(
                        matches!(err, KeyFileError::Damaged { .. }),
                        "byte {i} mask {mask:#x}: {err:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn truncated_or_extended_files_are_damaged() {
        let (_, text) = Kek::generate_key_file().unwrap();
        let bytes = text.as_bytes();
        for len in 0..bytes.len() {
            assert!(matches!(
                Kek::from_key_file(&bytes[..len]),
                Err(KeyFileError::Damaged { .. })
            ));
        }
        let mut longer = bytes.to_vec();
        longer.extend_from_slice(b"x\n");
        assert!(matches!(
            Kek::from_key_file(&longer),
            Err(KeyFileError::Damaged { .. })
        ));
    }

    #[test]
    fn future_version_is_named() {
        let (_, text) = Kek::generate_key_file().unwrap();
        let v2 = text.replacen("key v1", "key v2", 1);
        assert_eq!(
            Kek::from_key_file(v2.as_bytes()).unwrap_err(),
            KeyFileError::UnsupportedVersion { found: 2 }
        );
    }

    #[test]
    fn kdf_params_are_bounded() {
        assert!(KdfParams::new(256, 1, 1).is_ok());
        assert!(KdfParams::new(7, 1, 1).is_err());
        assert!(KdfParams::new(256, 0, 1).is_err());
        assert!(KdfParams::new(256, 1, 0).is_err());
        assert!(KdfParams::new(u32::MAX, 1, 1).is_err());
        assert!(KdfParams::DEFAULT.is_at_least_default());
        assert!(!KdfParams::new(256, 1, 1).unwrap().is_at_least_default());
        let json = r#"{"m_kib":1,"t":1,"p":1}"#;
        assert!(serde_json::from_str::<KdfParams>(json).is_err());
    }

    #[test]
    fn passphrase_kek_depends_on_passphrase_salt_and_params() {
        let cheap = KdfParams::new(256, 1, 1).unwrap();
        let salt = Salt::from_bytes([7; 16]);
        let a = Kek::from_passphrase("correct horse", &cheap, &salt).unwrap();
        let b = Kek::from_passphrase("correct horse", &cheap, &salt).unwrap();
        assert_eq!(a.key.bytes(), b.key.bytes());
        let other_pass = Kek::from_passphrase("correct horsf", &cheap, &salt).unwrap();
        let other_salt =
            Kek::from_passphrase("correct horse", &cheap, &Salt::from_bytes([8; 16])).unwrap();
        let other_t =
            Kek::from_passphrase("correct horse", &KdfParams::new(256, 2, 1).unwrap(), &salt)
                .unwrap();
        for other in [other_pass, other_salt, other_t] {
            assert_ne!(a.key.bytes(), other.key.bytes());
        }
        assert!(matches!(
            Kek::from_passphrase("", &cheap, &salt),
            Err(SealError::EmptyPassphrase)
        ));
    }
}
