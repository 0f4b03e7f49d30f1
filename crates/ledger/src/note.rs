//! C2SP signed notes (<https://c2sp.org/signed-note>) with Ed25519 keys.
//!
//! A note is UTF-8 text ending in a newline, a blank line, then one or more
//! signature lines `— <key name> <base64(key id || signature)>`. The key id is
//! the first four bytes of `SHA-256(name || "\n" || 0x01 || public key)`, so a
//! verifier matches a line by name *and* id and can ignore cosignatures and
//! other keys it does not know. Key texts follow golang.org/x/mod/sumdb/note:
//! `<name>+<8 hex id>+<base64(0x01 || public key)>` for verifiers and
//! `PRIVATE+KEY+<name>+<8 hex id>+<base64(0x01 || seed)>` for signers.
//!
//! Parsing is strict on purpose: a checkpoint is evidence, and two texts that
//! "mean the same" but differ in bytes would have different signatures. The
//! hex id must be lower case and the base64 canonical, so `to_text` gives back
//! exactly what `parse` accepted.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Signature type byte for plain Ed25519 (C2SP signed-note).
const ALG_ED25519: u8 = 0x01;
/// A generous cap: C2SP asks verifiers to accept at least 16 signatures, and
/// the cap bounds the work an attacker can make us do.
pub const MAX_SIGNATURES: usize = 100;
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// Why a key or a note was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The key name breaks the signed-note rules.
    #[error("key name `{name}` is not allowed: {reason}")]
    KeyName {
        /// The name as given (shortened).
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The key text does not have the expected shape.
    #[error("{kind} key text is malformed: {reason}")]
    KeyFormat {
        /// "private" or "public".
        kind: &'static str,
        /// What is wrong (never quotes private key material).
        reason: String,
    },
    /// The key id in the text does not belong to the key.
    #[error(
        "key `{name}` states key id {stated} but its name and key give {computed}; the key text was altered or mistyped"
    )]
    KeyIdMismatch {
        /// The key name.
        name: String,
        /// The hex id written in the key text.
        stated: String,
        /// The id computed from name and key.
        computed: String,
    },
    /// The key is not an Ed25519 (type 0x01) key.
    #[error("key algorithm byte is 0x{byte:02x}; only Ed25519 keys (0x01) are supported")]
    UnknownAlgorithm {
        /// The algorithm byte found.
        byte: u8,
    },
    /// The key material has the wrong length.
    #[error("key material is {len} bytes after the algorithm byte; an Ed25519 key is 32 bytes")]
    KeyLength {
        /// The length found.
        len: usize,
    },
    /// The public key bytes are not a valid Ed25519 point.
    #[error("public key of `{name}` is not a valid Ed25519 key")]
    InvalidPublicKey {
        /// The key name.
        name: String,
    },
    /// The text to sign is not a valid note text.
    #[error("cannot sign this text: {reason}")]
    Text {
        /// What is wrong.
        reason: String,
    },
    /// The note does not have the signed-note shape.
    #[error("malformed signed note: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// More signature lines than [`MAX_SIGNATURES`].
    #[error("the note has more than {max} signature lines, which is the most accepted")]
    TooManySignatures {
        /// The cap.
        max: usize,
    },
    /// A known key's signature does not verify: the note was altered.
    #[error(
        "the signature by `{name}` (key id {key_id}) does not verify: the note was altered after signing, or signed with a different key of the same name"
    )]
    BadSignature {
        /// The signer's name.
        name: String,
        /// The key id, hex.
        key_id: String,
    },
    /// No signature from any trusted key.
    #[error(
        "no signature from a trusted key: the note is signed by [{found}] but the trusted keys are [{trusted}]; check that you have the right public key"
    )]
    NoVerifiedSignature {
        /// `name+id` of every signature line, comma-separated.
        found: String,
        /// `name+id` of every trusted key, comma-separated.
        trusted: String,
    },
}

/// An Ed25519 note signer (private key). Its `Debug` output hides the seed.
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer from a 32-byte Ed25519 seed. The name must be non-empty and
    /// contain neither whitespace nor `+`.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Self, NoteError> {
        check_key_name(name)?;
        let key = SigningKey::from_bytes(&seed);
        let key_id = key_id(name, &key.verifying_key().to_bytes());
        Ok(NoteSigner {
            name: name.to_string(),
            key_id,
            key,
        })
    }

    /// Parse `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`.
    pub fn parse(private_key_text: &str) -> Result<Self, NoteError> {
        let malformed = |reason: &str| NoteError::KeyFormat {
            kind: "private",
            reason: reason.to_string(),
        };
        let text = private_key_text.trim_end_matches(['\n', '\r']);
        let rest = text.strip_prefix("PRIVATE+KEY+").ok_or_else(|| {
            malformed("it must start with `PRIVATE+KEY+`; is this a public key or another format?")
        })?;
        let (name, stated_id, material) = split_key_text(rest)
            .ok_or_else(|| malformed("expected `PRIVATE+KEY+<name>+<hex id>+<base64 key>`"))?;
        check_key_name(name)?;
        let stated = parse_key_id(stated_id)
            .ok_or_else(|| malformed("the key id must be exactly 8 lower-case hex digits"))?;
        let seed: [u8; 32] = decode_key_material(material, "private")?;
        let signer = NoteSigner::from_seed(name, seed)?;
        if signer.key_id != stated {
            return Err(NoteError::KeyIdMismatch {
                name: name.to_string(),
                stated: stated_id.to_string(),
                computed: format!("{:08x}", signer.key_id),
            });
        }
        Ok(signer)
    }

    /// The private key text, `PRIVATE+KEY+<name>+<hex id>+<base64>`. Secret!
    pub fn to_private_text(&self) -> String {
        let mut material = Vec::with_capacity(33);
        material.push(ALG_ED25519);
        material.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(&material)
        )
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id (first four bytes of the key hash, big-endian).
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The matching public key.
    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// Sign `text` (which must end in `\n` and hold no control characters
    /// other than `\n`). Returns the whole note: text, blank line, signature line.
    pub fn sign(&self, text: &str) -> Result<String, NoteError> {
        if text.is_empty() {
            return Err(NoteError::Text {
                reason: "the text is empty".into(),
            });
        }
        if !text.ends_with('\n') {
            return Err(NoteError::Text {
                reason: "the text must end with a newline".into(),
            });
        }
        if let Some(pos) = text.find(is_forbidden_control) {
            return Err(NoteError::Text {
                reason: format!(
                    "control character at byte {pos}; only newlines are allowed in a note"
                ),
            });
        }
        let mut note = String::with_capacity(text.len() + 120);
        note.push_str(text);
        note.push('\n');
        note.push_str(&self.signature_line(text));
        Ok(note)
    }

    /// One signature line (`— name base64\n`) over `text`, for adding a
    /// signature to a note another key has already signed.
    pub fn signature_line(&self, text: &str) -> String {
        let signature = self.key.sign(text.as_bytes());
        let mut blob = Vec::with_capacity(4 + 64);
        blob.extend_from_slice(&self.key_id.to_be_bytes());
        blob.extend_from_slice(&signature.to_bytes());
        format!("{SIGNATURE_PREFIX}{} {}\n", self.name, BASE64.encode(&blob))
    }
}

/// An Ed25519 note verifier (public key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Parse `<name>+<hex id>+<base64(0x01 || public key)>`.
    pub fn parse(vkey_text: &str) -> Result<Self, NoteError> {
        let malformed = |reason: &str| NoteError::KeyFormat {
            kind: "public",
            reason: reason.to_string(),
        };
        let text = vkey_text.trim_end_matches(['\n', '\r']);
        if text.starts_with("PRIVATE+KEY+") {
            return Err(malformed(
                "this is a private key; give the public key (`<name>+<id>+<key>`) and keep the private one secret",
            ));
        }
        let (name, stated_id, material) = split_key_text(text)
            .ok_or_else(|| malformed("expected `<name>+<hex id>+<base64 key>`"))?;
        check_key_name(name)?;
        let stated = parse_key_id(stated_id)
            .ok_or_else(|| malformed("the key id must be exactly 8 lower-case hex digits"))?;
        let bytes: [u8; 32] = decode_key_material(material, "public")?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| NoteError::InvalidPublicKey {
            name: name.to_string(),
        })?;
        let computed = key_id(name, &bytes);
        if computed != stated {
            return Err(NoteError::KeyIdMismatch {
                name: name.to_string(),
                stated: stated_id.to_string(),
                computed: format!("{computed:08x}"),
            });
        }
        Ok(NoteVerifier {
            name: name.to_string(),
            key_id: computed,
            key,
        })
    }

    /// The public key text, exactly as [`NoteVerifier::parse`] accepts it.
    pub fn to_text(&self) -> String {
        let mut material = Vec::with_capacity(33);
        material.push(ALG_ED25519);
        material.extend_from_slice(self.key.as_bytes());
        format!(
            "{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(&material)
        )
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id (first four bytes of the key hash, big-endian).
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    fn label(&self) -> String {
        format!("{}+{:08x}", self.name, self.key_id)
    }
}

/// A note whose signatures checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedNote {
    /// The signed text, ending in `\n` (without the blank line).
    pub text: String,
    /// Names of the trusted keys whose signatures verified, in note order.
    pub verified_by: Vec<String>,
}

/// Check a signed note against trusted keys.
///
/// Signature lines from unknown keys (name and id not among `verifiers`) are
/// ignored, as the spec requires, so witnesses can add cosignatures. A known
/// key whose signature fails rejects the whole note. A note with no verified
/// signature is rejected.
pub fn open_note(note: &str, verifiers: &[NoteVerifier]) -> Result<OpenedNote, NoteError> {
    let malformed = |reason: String| NoteError::Malformed { reason };
    if let Some(pos) = note.find(is_forbidden_control) {
        return Err(malformed(format!(
            "control character at byte {pos}; a note may contain no control characters other than newlines"
        )));
    }
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| malformed("no blank line separating the text from the signatures".into()))?;
    let text = &note[..split + 1];
    let signatures = &note[split + 2..];
    let Some(signatures) = signatures.strip_suffix('\n') else {
        return Err(malformed(if signatures.is_empty() {
            "there are no signature lines after the blank line".into()
        } else {
            "the last signature line must end with a newline".into()
        }));
    };
    // Count lazily so a hostile note cannot make us index millions of lines.
    if signatures.split('\n').nth(MAX_SIGNATURES).is_some() {
        return Err(NoteError::TooManySignatures {
            max: MAX_SIGNATURES,
        });
    }
    let lines: Vec<&str> = signatures.split('\n').collect();

    let mut verified_by: Vec<String> = Vec::new();
    let mut found = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let line_no = n + 1;
        let rest = line.strip_prefix(SIGNATURE_PREFIX).ok_or_else(|| {
            malformed(format!(
                "signature line {line_no} does not start with an em dash (U+2014) and a space"
            ))
        })?;
        let (name, b64) = rest.split_once(' ').ok_or_else(|| {
            malformed(format!(
                "signature line {line_no} must be `— <key name> <base64 signature>`"
            ))
        })?;
        check_key_name(name).map_err(|e| malformed(format!("signature line {line_no}: {e}")))?;
        let blob = BASE64.decode(b64).map_err(|_| {
            malformed(format!(
                "signature line {line_no} by `{name}`: the signature is not canonical standard base64"
            ))
        })?;
        if blob.len() < 5 {
            return Err(malformed(format!(
                "signature line {line_no} by `{name}`: {} bytes is too short for a key id and a signature",
                blob.len()
            )));
        }
        let id = u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]);
        found.push(format!("{name}+{id:08x}"));
        let Some(verifier) = verifiers.iter().find(|v| v.name == name && v.key_id == id) else {
            continue;
        };
        let bad = || NoteError::BadSignature {
            name: name.to_string(),
            key_id: format!("{id:08x}"),
        };
        let signature = Signature::from_slice(&blob[4..]).map_err(|_| bad())?;
        // verify_strict also refuses malleable (non-canonical) signatures and
        // weak keys, so one note has exactly one valid signature per key.
        verifier
            .key
            .verify_strict(text.as_bytes(), &signature)
            .map_err(|_| bad())?;
        if !verified_by.iter().any(|v| v == name) {
            verified_by.push(name.to_string());
        }
    }
    if verified_by.is_empty() {
        return Err(NoteError::NoVerifiedSignature {
            found: found.join(", "),
            trusted: verifiers
                .iter()
                .map(NoteVerifier::label)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(OpenedNote {
        text: text.to_string(),
        verified_by,
    })
}

/// The key id: `SHA-256(name || '\n' || 0x01 || public key)[..4]`, big-endian.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ALG_ED25519]);
    h.update(public_key);
    let digest: [u8; 32] = h.finalize().into();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Signed-note key names: non-empty, no Unicode whitespace, no `+`.
fn check_key_name(name: &str) -> Result<(), NoteError> {
    let refuse = |reason| {
        Err(NoteError::KeyName {
            name: crate::hash::abbreviate(name),
            reason,
        })
    };
    if name.is_empty() {
        return refuse("it is empty; choose a name such as the log's origin");
    }
    if name.contains('+') {
        return refuse("it contains `+`, which separates the parts of a key text");
    }
    if name.chars().any(char::is_whitespace) {
        return refuse("it contains whitespace");
    }
    if name.chars().any(char::is_control) {
        return refuse("it contains a control character");
    }
    Ok(())
}

/// Split `<name>+<id>+<material>`; the base64 material may itself contain `+`.
fn split_key_text(text: &str) -> Option<(&str, &str, &str)> {
    let mut parts = text.splitn(3, '+');
    Some((parts.next()?, parts.next()?, parts.next()?))
}

fn parse_key_id(hex_id: &str) -> Option<u32> {
    if hex_id.len() != 8
        || !hex_id
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    u32::from_str_radix(hex_id, 16).ok()
}

/// Decode `base64(0x01 || 32 bytes)`.
fn decode_key_material(material: &str, kind: &'static str) -> Result<[u8; 32], NoteError> {
    let bytes = BASE64.decode(material).map_err(|_| NoteError::KeyFormat {
        kind,
        reason: "the key material is not canonical standard base64".into(),
    })?;
    let Some((&alg, key)) = bytes.split_first() else {
        return Err(NoteError::KeyLength { len: 0 });
    };
    if alg != ALG_ED25519 {
        return Err(NoteError::UnknownAlgorithm { byte: alg });
    }
    key.try_into()
        .map_err(|_| NoteError::KeyLength { len: key.len() })
}

/// ASCII control characters other than newline (C2SP signed-note).
fn is_forbidden_control(c: char) -> bool {
    (c.is_ascii_control() && c != '\n') || c == '\u{7f}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_validated() {
        for bad in ["", "a+b", "a b", "a\tb", "a\u{a0}b", "a\u{2003}b"] {
            assert!(
                matches!(
                    NoteSigner::from_seed(bad, [7; 32]),
                    Err(NoteError::KeyName { .. })
                ),
                "{bad:?} accepted"
            );
        }
        assert!(NoteSigner::from_seed("qantar.example/kz-2022", [7; 32]).is_ok());
    }

    #[test]
    fn debug_output_hides_the_seed() {
        let s = NoteSigner::from_seed("k", [0x42; 32]).expect("valid name");
        let text = s.to_private_text();
        let secret = text.rsplit('+').next().expect("has parts");
        assert!(!format!("{s:?}").contains(secret));
    }

    #[test]
    fn texts_that_are_not_notes_cannot_be_signed() {
        let s = NoteSigner::from_seed("k", [1; 32]).expect("valid name");
        assert!(matches!(s.sign(""), Err(NoteError::Text { .. })));
        assert!(matches!(s.sign("no newline"), Err(NoteError::Text { .. })));
        assert!(matches!(s.sign("tab\there\n"), Err(NoteError::Text { .. })));
        assert!(matches!(s.sign("cr\r\n"), Err(NoteError::Text { .. })));
    }
}
