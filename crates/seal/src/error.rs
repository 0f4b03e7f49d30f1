//! Typed errors. Messages name the record, field, compartment or handler at
//! fault and what to do next; they never contain plaintext or key bytes.

use std::fmt;

/// Which authentication check failed. Only identifiers are reported (they are
/// already visible in the ledger); nothing about the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityCheck {
    /// A sealed payload did not authenticate under its data key and binding.
    Payload {
        record_id: String,
        field: String,
        version: u64,
    },
    /// A wrapped data key did not open under the compartment key.
    DataKey {
        compartment: String,
        record_id: String,
    },
    /// A grant opened with the right key file did not authenticate.
    Grant {
        compartment: String,
        handler: String,
    },
}

impl fmt::Display for IntegrityCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Payload {
                record_id,
                field,
                version,
            } => write!(
                f,
                "sealed payload of record {record_id}, field {field}, version {version} did not \
                 authenticate: it was altered, moved from another record/field/version, or the \
                 data key is not this record's"
            ),
            Self::DataKey {
                compartment,
                record_id,
            } => write!(
                f,
                "the wrapped data key of record {record_id} did not open under the key of \
                 compartment {compartment}: the compartment key is an old one (rotated), belongs \
                 to another compartment, or the wrapped key was altered"
            ),
            Self::Grant {
                compartment,
                handler,
            } => write!(
                f,
                "the grant of compartment {compartment} to handler {handler} did not authenticate \
                 although the key file matches: the grant was altered; issue a new grant"
            ),
        }
    }
}

/// Errors of sealing, unsealing, wrapping and granting.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("integrity check failed: {0}")]
    Integrity(IntegrityCheck),

    #[error(
        "wrong passphrase for handler {handler} (compartment {compartment}); nothing was changed, \
         try again"
    )]
    WrongPassphrase {
        compartment: String,
        handler: String,
    },

    #[error(
        "wrong key file: this needs key file {expected}, the one given is {found}; nothing was \
         changed, use the right file"
    )]
    WrongKeyFile { expected: String, found: String },

    #[error("the key-encryption key does not fit: {reason}")]
    KekMismatch { reason: &'static str },

    #[error(
        "the data key belongs to record {key_record} but the payload is bound to record \
         {aad_record}; each record has its own data key"
    )]
    WrongRecord {
        key_record: String,
        aad_record: String,
    },

    #[error(
        "the wrapped data key belongs to compartment {wrapped} but the key given is for \
         compartment {given}"
    )]
    WrongCompartment { wrapped: String, given: String },

    #[error("invalid {what} {value:?}: {reason}")]
    InvalidName {
        what: &'static str,
        value: String,
        reason: &'static str,
    },

    #[error("invalid Argon2id parameters: {reason}")]
    KdfParams { reason: String },

    #[error("passphrase is empty; choose a long passphrase")]
    EmptyPassphrase,

    #[error("malformed {what}: {reason}")]
    Malformed { what: &'static str, reason: String },

    #[error("{what} has version {found}, this program reads version 1; upgrade qantar")]
    UnsupportedVersion { what: &'static str, found: u32 },

    #[error("the operating system's random number generator failed: {0}")]
    Randomness(String),

    #[error("payload too long to seal ({len} bytes)")]
    TooLong { len: usize },
}

/// Errors reading a key file. A damaged file is never mistaken for a valid
/// key: its checksum covers the header and the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyFileError {
    #[error(
        "the key file is damaged ({reason}); use another copy of it or the key backup. Nothing \
         was changed"
    )]
    Damaged { reason: &'static str },

    #[error(
        "the key file has format version {found}, this program reads version 1; upgrade qantar"
    )]
    UnsupportedVersion { found: u32 },
}

/// Errors restoring a key backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("wrong passphrase for this key backup; nothing was restored, try again")]
    WrongPassphrase,

    #[error(
        "wrong key file for this key backup: it needs key file {expected}, the one given is \
         {found}; nothing was restored"
    )]
    WrongKeyFile { expected: String, found: String },

    #[error("the key backup needs a key file, not a passphrase")]
    NeedsKeyFile,

    #[error("the key backup is damaged ({reason}); use another copy. Nothing was restored")]
    Damaged { reason: String },

    #[error(
        "the key backup has format version {found}, this program reads version 1; upgrade qantar"
    )]
    UnsupportedVersion { found: u32 },

    #[error(transparent)]
    Seal(#[from] SealError),
}
