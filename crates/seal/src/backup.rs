//! Key backups: every compartment key, encrypted under a backup KEK
//! (an escrow passphrase or key file), in one versioned, checksummed,
//! authenticated text blob.
//!
//! ```text
//! QANTAR-KEYS-BACKUP v1
//! kek {"kdf":{"m_kib":65536,"p":1,"t":3},"kind":"passphrase","salt":"…"}
//! created 2026-01-05T10:00:00Z
//! data <base64: nonce (24) || XChaCha20-Poly1305 ciphertext>
//! check <first 16 hex digits of SHA-256 of all the lines above>
//! ```
//!
//! The checksum tells damage (a flipped bit on a USB stick) apart from a
//! wrong passphrase: the AEAD tag alone cannot. The header lines are also
//! the AEAD's associated data, so they cannot be changed either. Compartment
//! names and their number are inside the ciphertext.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::aad::Context;
use crate::error::{BackupError, SealError};
use crate::kek::{Kek, KekSpec};
use crate::key::{CompartmentKey, KEY_LEN, SecretKey, check_compartment, check_text};
use crate::wrap::{self, NONCE_LEN, TAG_LEN};

const MAGIC: &str = "QANTAR-KEYS-BACKUP v";

/// What a backup holds: the compartment keys themselves (not grants, which
/// are useless once every handler's passphrase is lost, and not wrapped data
/// keys, so a backup never resurrects an erased record).
#[derive(Debug, Clone)]
pub struct KeyBackup {
    /// Caller's UTC time (RFC 3339); readable without the passphrase so the
    /// newest backup can be picked.
    pub created_at: String,
    pub compartments: Vec<CompartmentKey>,
}

/// Encrypts `keys` under `kek` into the backup text (as bytes).
///
/// # Errors
/// [`SealError::InvalidName`] for a bad `created_at` or a compartment listed
/// twice; [`SealError::Randomness`].
pub fn backup(keys: &KeyBackup, kek: &Kek) -> Result<Vec<u8>, SealError> {
    check_text("backup time", &keys.created_at, 64)?;
    let count = u32::try_from(keys.compartments.len()).map_err(|_| SealError::InvalidName {
        what: "backup",
        value: keys.compartments.len().to_string(),
        reason: "too many compartments",
    })?;
    let mut plain = Zeroizing::new(Vec::with_capacity(4 + keys.compartments.len() * 100));
    plain.extend_from_slice(&count.to_be_bytes());
    let mut seen = std::collections::BTreeSet::new();
    for ck in &keys.compartments {
        if !seen.insert(ck.name.as_str()) {
            return Err(SealError::InvalidName {
                what: "compartment name",
                value: ck.name.clone(),
                reason: "listed twice in one backup",
            });
        }
        // Names are at most 64 bytes (check_compartment), so one byte holds the length.
        plain.push(ck.name.len() as u8);
        plain.extend_from_slice(ck.name.as_bytes());
        plain.extend_from_slice(ck.key.bytes());
    }
    let kek_json = serde_json::to_string(kek.spec()).map_err(|e| SealError::Malformed {
        what: "key-encryption key spec",
        reason: e.to_string(),
    })?;
    let header = format!("{MAGIC}1\nkek {kek_json}\ncreated {}\n", keys.created_at);
    let nonce = wrap::random_nonce()?;
    let ct = wrap::encrypt(&kek.key, &nonce, &context(&header), &plain)?;
    let mut data = Vec::with_capacity(NONCE_LEN + ct.len());
    data.extend_from_slice(&nonce);
    data.extend_from_slice(&ct);
    let mut text = format!("{header}data {}\n", STANDARD.encode(&data));
    let check = checksum(&text);
    text.push_str("check ");
    text.push_str(&check);
    text.push('\n');
    Ok(text.into_bytes())
}

/// Reads which KEK a backup needs, without any secret.
///
/// # Errors
/// [`BackupError::Damaged`], [`BackupError::UnsupportedVersion`].
pub fn backup_kek_spec(bytes: &[u8]) -> Result<KekSpec, BackupError> {
    Ok(parse(bytes)?.spec)
}

/// Restores with a passphrase, deriving the KEK with the parameters stored
/// in the backup.
///
/// # Errors
/// As [`restore`]; [`BackupError::NeedsKeyFile`].
pub fn restore_with_passphrase(bytes: &[u8], passphrase: &str) -> Result<KeyBackup, BackupError> {
    let spec = backup_kek_spec(bytes)?;
    if matches!(spec, KekSpec::KeyFile { .. }) {
        return Err(BackupError::NeedsKeyFile);
    }
    let kek = Kek::derive(&spec, passphrase)?;
    restore(bytes, &kek)
}

/// Decrypts a backup. Returns nothing partial: either every key or an error.
///
/// # Errors
/// [`BackupError::WrongPassphrase`], [`BackupError::WrongKeyFile`],
/// [`BackupError::Damaged`], [`BackupError::UnsupportedVersion`],
/// [`BackupError::Seal`] for a KEK of the wrong kind.
pub fn restore(bytes: &[u8], kek: &Kek) -> Result<KeyBackup, BackupError> {
    let parsed = parse(bytes)?;
    kek.check_matches(&parsed.spec).map_err(|e| match e {
        SealError::WrongKeyFile { expected, found } => {
            BackupError::WrongKeyFile { expected, found }
        }
        SealError::KekMismatch { .. } if matches!(parsed.spec, KekSpec::KeyFile { .. }) => {
            BackupError::NeedsKeyFile
        }
        other => BackupError::Seal(other),
    })?;
    let plain = wrap::decrypt(
        &kek.key,
        &parsed.nonce,
        &context(&parsed.header),
        &parsed.ct,
    )
    .ok_or_else(|| match parsed.spec {
        KekSpec::Passphrase { .. } => BackupError::WrongPassphrase,
        KekSpec::KeyFile { .. } => damaged(
            "it does not authenticate under the right key file although its checksum \
                 matches: it was altered",
        ),
    })?;
    let compartments = decode_keys(&plain)?;
    Ok(KeyBackup {
        created_at: parsed.created_at,
        compartments,
    })
}

struct Parsed {
    header: String,
    spec: KekSpec,
    created_at: String,
    nonce: [u8; NONCE_LEN],
    ct: Vec<u8>,
}

fn damaged(reason: &str) -> BackupError {
    BackupError::Damaged {
        reason: reason.to_owned(),
    }
}

fn parse(bytes: &[u8]) -> Result<Parsed, BackupError> {
    let text = std::str::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text"))?;
    // Mail and editors may turn line ends into CRLF; nothing else is forgiven.
    let text = text.replace("\r\n", "\n");
    let first = text.split('\n').next().unwrap_or_default();
    let version = first
        .strip_prefix(MAGIC)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| damaged("first line is not QANTAR-KEYS-BACKUP v1"))?;
    let version: u32 = version
        .parse()
        .map_err(|_| damaged("version number out of range"))?;
    if version != 1 {
        return Err(BackupError::UnsupportedVersion { found: version });
    }
    let body = text
        .strip_suffix('\n')
        .ok_or_else(|| damaged("the last line is cut off"))?;
    let (signed, check) = body
        .rsplit_once('\n')
        .ok_or_else(|| damaged("too few lines"))?;
    let signed = format!("{signed}\n");
    let check = check
        .strip_prefix("check ")
        .ok_or_else(|| damaged("the last line is not a checksum"))?;
    if check != checksum(&signed) {
        return Err(damaged("checksum does not match the contents"));
    }
    let lines: Vec<&str> = signed.trim_end_matches('\n').split('\n').collect();
    let [_, kek_line, created_line, data_line] = lines[..] else {
        return Err(damaged(
            "expected header, kek, created, data and check lines",
        ));
    };
    let spec: KekSpec = kek_line
        .strip_prefix("kek ")
        .and_then(|j| serde_json::from_str(j).ok())
        .ok_or_else(|| damaged("the kek line is not a key-encryption key description"))?;
    let created_at = created_line
        .strip_prefix("created ")
        .ok_or_else(|| damaged("the created line is missing"))?
        .to_owned();
    let data = data_line
        .strip_prefix("data ")
        .and_then(|b| STANDARD.decode(b).ok())
        .ok_or_else(|| damaged("the data line is not base64"))?;
    if data.len() < NONCE_LEN + TAG_LEN {
        return Err(damaged("the data is too short"));
    }
    let (nonce, ct) = data.split_at(NONCE_LEN);
    let nonce = nonce
        .try_into()
        .map_err(|_| damaged("the data is too short"))?;
    let header = format!("{first}\n{kek_line}\n{created_line}\n");
    Ok(Parsed {
        header,
        spec,
        created_at,
        nonce,
        ct: ct.to_vec(),
    })
}

fn context(header: &str) -> Vec<u8> {
    let mut ctx = Context::new("backup");
    ctx.text(header);
    ctx.finish()
}

fn checksum(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

fn decode_keys(plain: &[u8]) -> Result<Vec<CompartmentKey>, BackupError> {
    // Reached only after authentication, so a failure here is a bug in the
    // writer, not tampering; it is still refused rather than half-read.
    let bad = || damaged("the decrypted key list is malformed");
    let (count, mut rest) = plain.split_first_chunk::<4>().ok_or_else(bad)?;
    let count = u32::from_be_bytes(*count);
    let mut keys = Vec::new();
    for _ in 0..count {
        let (&len, after) = rest.split_first().ok_or_else(bad)?;
        let len = usize::from(len);
        if after.len() < len + KEY_LEN {
            return Err(bad());
        }
        let name = std::str::from_utf8(&after[..len]).map_err(|_| bad())?;
        check_compartment(name).map_err(|_| bad())?;
        let key = SecretKey::from_slice(&after[len..len + KEY_LEN]).ok_or_else(bad)?;
        keys.push(CompartmentKey {
            name: name.to_owned(),
            key,
        });
        rest = &after[len + KEY_LEN..];
    }
    if !rest.is_empty() {
        return Err(bad());
    }
    Ok(keys)
}
