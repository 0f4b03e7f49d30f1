//! Evidence: photos and documents attached to records (issue 6, R9).
//!
//! A file is attached with one ledger entry, `evidence.attached`, about the
//! record, and its bytes go to the archive's blob store, `<DIR>/vault/`
//! (`qantar_vault::BlobStore`, content-addressed by SHA-256). The entry is
//! not a record version: it changes nothing in the record's row, and its
//! projection is one row of the derived `attachments` table, rebuilt by
//! replay and covered by the projection digest like every other
//! projection table.
//!
//! # A record in clear (public or restricted)
//!
//! The original is stored byte for byte; its SHA-256 is its blob id. The
//! entry carries the attachment number, the original's hash and size, the
//! detected media type, the file name, the importer, the capture time if
//! given and, when the type can be stripped, the hash, size and removal
//! list of the public copy, which is a separate blob. A file that cannot be
//! stripped is refused for a public record (nothing could ever be shown)
//! and kept without a public copy for a restricted one.
//!
//! # A sealed record
//!
//! The original is encrypted on its way in, before any byte reaches the
//! disk: a fresh 32-byte file key seals it as a STREAM of 64 KiB segments
//! (`qantar_vault::stream`), bound to the record id and `file:<n>`, and the
//! ciphertext is the blob. Everything that says what the file is (name,
//! original hash, size, media type, capture time) and the file key itself
//! are sealed under the **record's** data key with
//! `Aad{record, "file:<n>", n}` and go into the entry as `sealed_meta`; in
//! clear the entry shows only the attachment number and the ciphertext
//! blob's hash and size, so the Merkle leaf covers the ciphertext and a
//! mirror verifies what it cannot read. No public copy is made: a redacted
//! public record is a separate record, and it takes its own attachments.
//!
//! The file key hangs off the record's data key rather than having a
//! key-table row of its own, so what already happens to record keys
//! happens to file keys too: rotation re-wraps the record key and thereby
//! every file of the record; crypto-erasure destroys the record key and
//! thereby every file key, in the same transaction as the tombstone. The
//! ciphertext blobs of an erased record are then deleted as well
//! ([`Archive::purge_erased_attachments`]). As for records, copies made
//! before an erasure (database and vault backups, mirrors) still hold the
//! ciphertext and the wrapped record key; see `qantar_seal`'s "Erasure,
//! honestly".
//!
//! # Reading
//!
//! [`Archive::attachments`] lists a record's files (for a sealed record,
//! without anything the sealed part holds). [`Archive::open_attachment`]
//! writes the original to a writer and checks its SHA-256 on the way out;
//! for a sealed record it needs the compartment unlocked and appends an
//! `audit.file_opened` entry (reader, handler, attachment number; nothing
//! of the file) before the first byte is released.
//! [`Archive::public_copy`] gives the stripped copy of a record in clear.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use qantar_seal::{Aad, Sealed, Zeroizing};
use qantar_vault::stream::{self, NONCE_PREFIX_LEN, StreamKey};
use qantar_vault::{BlobError, BlobId, BlobStore, MediaType};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::db::{Db, Param};
use crate::{Archive, Draft, InputErrors, Stamp, Store, StoreError, StoredRecord, Unlocked};

/// Entry kind of an attachment.
pub const ATTACHED_KIND: &str = "evidence.attached";
/// Entry kind of the audit entry written for every opening of a sealed file.
pub const FILE_OPENED_KIND: &str = "audit.file_opened";
/// The blob store's directory inside the archive directory.
pub const VAULT_DIR: &str = "vault";
/// Media type recorded for files no detector recognises.
pub const UNKNOWN_MEDIA_TYPE: &str = "application/octet-stream";
/// Longest file name kept, in bytes.
const MAX_NAME: usize = 255;

/// What the caller knows about a file besides its bytes.
#[derive(Clone, Debug, Default)]
pub struct NewFile {
    /// The file's own name (no directory), as the importer had it.
    pub name: String,
    /// When the photo or document was made, if known: `YYYY-MM-DD` or
    /// RFC 3339 (`2022-01-05T14:20:00Z`, `…+06:00`).
    pub captured_at: Option<String>,
}

/// The stripped public copy of an attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicCopy {
    pub sha256: String,
    pub size: u64,
    /// What stripping took out, for a person (`EXIF (APP1, 1,204 bytes)`).
    pub removed: Vec<String>,
}

/// What a sealed attachment's sealed part says; only with the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDetails {
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
}

/// One attachment, as anyone with the database sees it.
#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    pub record: String,
    /// 1, 2, … per record, in the order attached.
    pub n: u64,
    /// The `evidence.attached` ledger entry.
    pub seq: u64,
    pub attached_at: String,
    pub importer: String,
    pub sealed: bool,
    /// The stored blob: the original itself, or its ciphertext when sealed.
    pub blob: String,
    pub stored_size: u64,
    /// Name, hash, size, type and capture time: for records in clear only
    /// (a sealed attachment's are inside its sealed part).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_copy: Option<PublicCopy>,
    /// The record was crypto-erased: this file can no longer be opened.
    pub erased: bool,
}

/// What [`Archive::attach`] did.
#[derive(Clone, Debug, Serialize)]
pub struct Attached {
    pub attachment: Attachment,
    /// For a sealed record, the details that went into the sealed part
    /// (echoed to the importer, never stored in clear).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sealed_details: Option<FileDetails>,
    /// Why no public copy was made, for a restricted record whose file
    /// could not be stripped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_public_copy: Option<String>,
}

/// What [`Archive::open_attachment`] released.
#[derive(Clone, Debug, Serialize)]
pub struct Opened {
    pub attachment: Attachment,
    pub file: FileDetails,
    /// The `audit.file_opened` entry, for a sealed record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_entry: Option<u64>,
}

/// One fault found by [`Archive::verify_attachments`].
#[derive(Clone, Debug, Serialize)]
pub struct BlobProblem {
    pub record: String,
    pub n: u64,
    pub blob: String,
    /// `original`, `sealed original` or `public copy`.
    pub role: &'static str,
    /// `missing` or `damaged`.
    pub problem: &'static str,
    pub detail: String,
}

/// What [`Archive::verify_attachments`] found.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceReport {
    pub ok: bool,
    pub attachments: u64,
    /// Blobs re-hashed.
    pub blobs_checked: u64,
    pub bytes_checked: u64,
    /// Ciphertext of erased records still on disk, deleted now.
    pub purged: u64,
    pub problems: Vec<BlobProblem>,
}

/// The payload of an `evidence.attached` entry, as applied and listed.
struct Parsed {
    n: u64,
    blob: String,
    stored_size: u64,
    sealed: Option<Sealed>,
    file: Option<FileDetails>,
    public_copy: Option<PublicCopy>,
    importer: String,
}

fn field_of(n: u64) -> String {
    format!("file:{n}")
}

/// What the file's segments are bound to (see `qantar_vault::stream`).
fn stream_context(record: &str, n: u64) -> Vec<u8> {
    Aad::new(record, &format!("file:{n}/content"), n).to_bytes()
}

fn parse_payload(payload: &Value) -> Result<Parsed, String> {
    let text = |k: &str| payload.get(k).and_then(Value::as_str).map(str::to_string);
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64);
    let n = num(payload, "attachment")
        .filter(|n| *n >= 1)
        .ok_or("an attachment has no number (`attachment`, 1 or more)")?;
    let blob = text("blob").ok_or("an attachment names no blob")?;
    blob.parse::<BlobId>().map_err(|e| e.to_string())?;
    let importer = text("importer").unwrap_or_default();
    if let Some(meta) = payload.get("sealed_meta") {
        let sealed = Sealed::from_json(&meta.to_string()).map_err(|e| e.to_string())?;
        let stored_size = num(payload, "stored_size").ok_or("a sealed attachment has no size")?;
        return Ok(Parsed {
            n,
            blob,
            stored_size,
            sealed: Some(sealed),
            file: None,
            public_copy: None,
            importer,
        });
    }
    let size = num(payload, "size").ok_or("an attachment has no size")?;
    let sha256 = text("sha256").ok_or("an attachment has no sha256")?;
    if sha256 != blob {
        return Err("an attachment in clear is stored as itself: blob and sha256 differ".into());
    }
    let public_copy = match payload.get("public_copy") {
        None | Some(Value::Null) => None,
        Some(p) => Some(PublicCopy {
            sha256: p
                .get("sha256")
                .and_then(Value::as_str)
                .ok_or("a public copy has no sha256")?
                .to_string(),
            size: num(p, "size").ok_or("a public copy has no size")?,
            removed: p
                .get("removed")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        }),
    };
    Ok(Parsed {
        n,
        blob,
        stored_size: size,
        sealed: None,
        file: Some(FileDetails {
            name: text("name").ok_or("an attachment has no file name")?,
            sha256,
            size,
            media_type: text("media_type").ok_or("an attachment has no media type")?,
            captured_at: text("captured_at"),
        }),
        public_copy,
        importer,
    })
}

/// Applies an `evidence.attached` entry to the projection (called by
/// `apply::apply`, live and on replay).
pub(crate) fn apply_attached(db: &Db, entry: &qantar_ledger::Entry) -> Result<(), StoreError> {
    let fault = |what: String| StoreError::Corrupt {
        seq: Some(entry.seq),
        what,
    };
    let id = entry
        .record
        .as_deref()
        .ok_or_else(|| fault("an attachment names no record".into()))?;
    let p = parse_payload(&entry.payload).map_err(fault)?;
    if db
        .query_opt("SELECT 1 FROM records WHERE id = ?1", &[Param::Text(id)])?
        .is_none()
    {
        return Err(fault(format!(
            "attaches a file to {id}, which does not exist"
        )));
    }
    let next = next_number(db, id)?;
    if p.n != next {
        return Err(fault(format!(
            "attachment {} of {id} is out of order: the next number is {next}",
            p.n
        )));
    }
    let file = p.file.as_ref();
    db.exec(
        "INSERT INTO attachments (record, n, seq, sealed, blob, stored_size, sha256, media_type, name, public_blob)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &[
            Param::Text(id),
            Param::from(p.n),
            Param::from(entry.seq),
            Param::from(u8::from(p.sealed.is_some())),
            Param::Text(&p.blob),
            Param::from(p.stored_size),
            file.map(|f| f.sha256.as_str()).into(),
            file.map(|f| f.media_type.as_str()).into(),
            file.map(|f| f.name.as_str()).into(),
            p.public_copy.as_ref().map(|c| c.sha256.as_str()).into(),
        ],
    )?;
    db.exec(
        "INSERT INTO record_entries (record, seq) VALUES (?1, ?2)",
        &[Param::Text(id), Param::from(entry.seq)],
    )?;
    Ok(())
}

fn next_number(db: &Db, record: &str) -> Result<u64, StoreError> {
    Ok(db
        .query_one(
            "SELECT COALESCE(MAX(n), 0) FROM attachments WHERE record = ?1",
            &[Param::Text(record)],
        )?
        .u64(0)?
        + 1)
}

/// `YYYY-MM-DD`, or RFC 3339 with a zone: nothing looser, since it goes
/// into the ledger for good.
fn check_captured_at(t: &str) -> Result<(), StoreError> {
    let bad = || -> StoreError {
        InputErrors::one(
            "--captured-at",
            format!(
                "{t:?} is not a date or time; use YYYY-MM-DD or RFC 3339 such as \
                 2022-01-05T14:20:00Z or 2022-01-05T14:20:00+06:00"
            ),
        )
        .into()
    };
    let (day, rest) = t.split_at(t.len().min(10));
    day.parse::<qantar_model::CivilDate>().map_err(|_| bad())?;
    if rest.is_empty() {
        return Ok(());
    }
    let b = rest.as_bytes();
    let two = |i: usize, max: u8| -> bool {
        b.get(i..i + 2)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| d.parse::<u8>().ok())
            .is_some_and(|v| v <= max && d_is_digits(&b[i..i + 2]))
    };
    if b[0] != b'T' || !two(1, 23) || b.get(3) != Some(&b':') || !two(4, 59) {
        return Err(bad());
    }
    let mut i = 6;
    if b.get(i) == Some(&b':') {
        if !two(i + 1, 60) {
            return Err(bad());
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(bad());
            }
        }
    }
    let zone_ok = match &b[i..] {
        [b'Z'] => true,
        [s, ..] if (*s == b'+' || *s == b'-') && b.len() == i + 6 => {
            two(i + 1, 23) && b[i + 3] == b':' && two(i + 4, 59)
        }
        _ => false,
    };
    if zone_ok { Ok(()) } else { Err(bad()) }
}

fn d_is_digits(d: &[u8]) -> bool {
    d.iter().all(u8::is_ascii_digit)
}

fn check_name(name: &str) -> Result<(), StoreError> {
    let bad = |why: &str| -> StoreError { InputErrors::one("FILE", why.to_string()).into() };
    if name.is_empty() || name == "." || name == ".." {
        return Err(bad("the file has no name; give a file, not a directory"));
    }
    if name.len() > MAX_NAME {
        return Err(bad(
            "the file name is longer than 255 bytes; rename the file",
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        return Err(bad(
            "the file name holds a control character or a path separator; rename the file",
        ));
    }
    Ok(())
}

fn blob_error(e: BlobError) -> StoreError {
    StoreError::Archive(e.to_string())
}

fn supported_types() -> String {
    [
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::WebP,
        MediaType::Tiff,
        MediaType::Pdf,
        MediaType::Docx,
        MediaType::Heif,
        MediaType::IsoMedia,
    ]
    .iter()
    .map(|t| format!("{t} ({})", t.mime()))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Reads through to the inner reader, hashing, counting and keeping the
/// first bytes for type detection.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    len: u64,
    head: Vec<u8>,
    progress: Box<dyn FnMut(u64)>,
}

const HEAD_LEN: usize = 64;

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        if self.head.len() < HEAD_LEN {
            let take = n.min(HEAD_LEN - self.head.len());
            self.head.extend_from_slice(&buf[..take]);
        }
        self.len += n as u64;
        (self.progress)(self.len);
        Ok(n)
    }
}

/// Writes through to the inner writer, hashing what passes.
struct HashingWriter<'a> {
    inner: &'a mut dyn Write,
    hasher: Sha256,
    len: u64,
}

impl Write for HashingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, StoreError> {
    let mut b = Zeroizing::new([0u8; N]);
    getrandom::fill(&mut *b).map_err(|e| {
        StoreError::Sealing(format!(
            "the system gave no randomness for a file key ({e}); nothing was written"
        ))
    })?;
    Ok(b)
}

/// The sealed part of a sealed attachment, in clear (wiped when dropped).
struct SealedMeta {
    details: FileDetails,
    key: StreamKey,
}

fn open_meta(
    store: &Store,
    record: &str,
    keys: &Unlocked,
    seq: u64,
) -> Result<(Parsed, SealedMeta), StoreError> {
    let entry = store.entry(seq)?;
    let corrupt = |what: String| StoreError::Corrupt {
        seq: Some(seq),
        what,
    };
    let parsed = parse_payload(&entry.payload).map_err(corrupt)?;
    let sealed = parsed
        .sealed
        .as_ref()
        .ok_or_else(|| corrupt("the attachment of a sealed record is in clear".into()))?;
    let dek = store.record_data_key(record, keys)?;
    let field = field_of(parsed.n);
    let plain = qantar_seal::unseal(&dek, sealed, &Aad::new(record, &field, parsed.n))?;
    let v: Value = serde_json::from_slice(&plain)
        .map_err(|e| corrupt(format!("the sealed part of an attachment is not JSON: {e}")))?;
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let key = text("key")
        .and_then(|k| STANDARD.decode(k).ok().map(Zeroizing::new))
        .and_then(|k| StreamKey::from_slice(&k))
        .ok_or_else(|| corrupt("the sealed part of an attachment holds no file key".into()))?;
    let details = FileDetails {
        name: text("name").unwrap_or_default(),
        sha256: text("sha256")
            .ok_or_else(|| corrupt("the sealed part of an attachment has no sha256".into()))?,
        size: v.get("size").and_then(Value::as_u64).unwrap_or_default(),
        media_type: text("media_type").unwrap_or_else(|| UNKNOWN_MEDIA_TYPE.into()),
        captured_at: text("captured_at"),
    };
    Ok((parsed, SealedMeta { details, key }))
}

impl Store {
    /// Every attachment of a record, in order.
    pub fn attachments(&self, target: &str) -> Result<Vec<Attachment>, StoreError> {
        let record = self
            .get(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        let rows = self.db().query(
            "SELECT seq FROM attachments WHERE record = ?1 ORDER BY n",
            &[Param::Text(&record.id)],
        )?;
        rows.iter()
            .map(|r| self.attachment_at(&record, r.u64(0)?))
            .collect()
    }

    fn attachment_at(&self, record: &StoredRecord, seq: u64) -> Result<Attachment, StoreError> {
        let entry = self.entry(seq)?;
        let p = parse_payload(&entry.payload).map_err(|what| StoreError::Corrupt {
            seq: Some(seq),
            what,
        })?;
        Ok(Attachment {
            record: record.id.clone(),
            n: p.n,
            seq,
            attached_at: entry.time,
            importer: if p.importer.is_empty() {
                entry.author
            } else {
                p.importer
            },
            sealed: p.sealed.is_some(),
            blob: p.blob,
            stored_size: p.stored_size,
            file: p.file,
            public_copy: p.public_copy,
            erased: record.is_erased(),
        })
    }

    fn attachment(&self, target: &str, n: u64) -> Result<(StoredRecord, Attachment), StoreError> {
        let record = self
            .get(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        let seq = self
            .db()
            .query_opt(
                "SELECT seq FROM attachments WHERE record = ?1 AND n = ?2",
                &[Param::Text(&record.id), Param::from(n)],
            )?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "attachment {n} of {} (see `qantar evidence list {}`)",
                    record.id, record.id
                ))
            })?
            .u64(0)?;
        let a = self.attachment_at(&record, seq)?;
        Ok((record, a))
    }

    /// The media type of the public copy `sha256` if it belongs to a public,
    /// unretracted record; `None` for every other blob (originals, copies of
    /// restricted or retracted records, unknown ids), so a caller serving
    /// files cannot tell them apart.
    pub fn public_file(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        if sha256.parse::<BlobId>().is_err() {
            return Ok(None);
        }
        self.db()
            .query_opt(
                "SELECT a.media_type FROM attachments a JOIN records r ON r.id = a.record
                  WHERE a.public_blob = ?1 AND a.sealed = 0 AND r.confidentiality = 'public'
                    AND r.retracted = 0
                  ORDER BY a.record, a.n LIMIT 1",
                &[Param::Text(sha256)],
            )?
            .map(|r| r.text(0))
            .transpose()
    }
}

/// The media type and bytes of public copy `sha256`, read from the vault
/// of the archive in `dir`, when [`Store::public_file`] allows it; `None`
/// otherwise, and also when the blob is not on disk (a server cannot fix
/// that, and "not here" is the truthful answer). A blob whose bytes no
/// longer match its name is an error, never served.
pub fn read_public_file(
    dir: &std::path::Path,
    store: &Store,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    let Some(media) = store.public_file(sha256)? else {
        return Ok(None);
    };
    let id: BlobId = sha256.parse().map_err(blob_error)?;
    let vault = BlobStore::open(dir.join(VAULT_DIR)).map_err(blob_error)?;
    let bytes = match vault.get(&id) {
        Ok(b) => b,
        Err(BlobError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(blob_error(e)),
    };
    if BlobId::of(&bytes) != id {
        return Err(StoreError::Archive(format!(
            "the public copy {} is damaged; run `qantar evidence verify`",
            vault.path_of(&id).display()
        )));
    }
    Ok(Some((media, bytes)))
}

impl Archive {
    /// The archive's blob store (created on first use).
    pub fn vault(&self) -> Result<BlobStore, StoreError> {
        BlobStore::open(self.vault_dir()).map_err(blob_error)
    }

    pub fn vault_dir(&self) -> PathBuf {
        self.dir.join(VAULT_DIR)
    }

    /// [`Store::attachments`].
    pub fn attachments(&self, target: &str) -> Result<Vec<Attachment>, StoreError> {
        self.store.attachments(target)
    }

    /// Attach the file `source` yields to a record (see the module docs).
    /// `keys` must be the record's compartment, unlocked, for a sealed
    /// record, and absent otherwise. `progress` gets the bytes read so far.
    ///
    /// Everything that can be refused is refused before the first byte is
    /// stored; if the ledger append then fails, the blobs just written are
    /// removed again.
    pub fn attach(
        &mut self,
        target: &str,
        source: impl Read,
        file: &NewFile,
        keys: Option<&Unlocked>,
        stamp: &Stamp,
        progress: Box<dyn FnMut(u64)>,
    ) -> Result<Attached, StoreError> {
        let record = self
            .store
            .get(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        if let Some(at) = record
            .data
            .get("erased")
            .and_then(|e| e.get("at"))
            .and_then(Value::as_str)
        {
            return Err(StoreError::Erased {
                record: record.id,
                erased_at: at.to_string(),
            });
        }
        if record.retracted {
            return Err(InputErrors::one(
                "RECORD",
                format!(
                    "record {} is retracted; attach the file to the record that replaces it",
                    record.id
                ),
            )
            .into());
        }
        check_name(&file.name)?;
        if let Some(t) = &file.captured_at {
            check_captured_at(t)?;
        }
        match (record.is_sealed(), keys) {
            (true, Some(keys)) => self.attach_sealed(&record, source, file, keys, stamp, progress),
            (true, None) => Err(StoreError::Sealing(format!(
                "record {} is sealed: unlock its compartment to attach a file to it (nothing \
                 was written)",
                record.id
            ))),
            (false, Some(_)) => Err(StoreError::Sealing(format!(
                "record {} is not sealed, so its files are not sealed either; attach without a \
                 compartment (nothing was written)",
                record.id
            ))),
            (false, None) if record.confidentiality == "confidential" => {
                Err(StoreError::Sealing(format!(
                    "record {} is confidential but not sealed, so a file attached to it would \
                     be kept in clear; create a compartment (`qantar seal init`) and amend the \
                     record under it so that it is sealed, then attach (nothing was written)",
                    record.id
                )))
            }
            (false, None) => self.attach_clear(&record, source, file, stamp, progress),
        }
    }

    fn attach_clear(
        &mut self,
        record: &StoredRecord,
        source: impl Read,
        file: &NewFile,
        stamp: &Stamp,
        progress: Box<dyn FnMut(u64)>,
    ) -> Result<Attached, StoreError> {
        let public = record.confidentiality == "public";
        let mut src = Hashing {
            inner: source,
            hasher: Sha256::new(),
            len: 0,
            head: Vec::with_capacity(HEAD_LEN),
            progress,
        };
        let io_err = |e: io::Error| StoreError::Io {
            path: file.name.clone(),
            source: e,
        };
        let mut head = vec![0u8; HEAD_LEN];
        let got = read_some(&mut src, &mut head).map_err(io_err)?;
        head.truncate(got);
        let mut media = qantar_vault::detect(&head);
        // A ZIP may be a DOCX: that shows only once the whole file is read.
        let strippable =
            media.is_some_and(MediaType::is_supported) || media == Some(MediaType::Zip);
        if public && !strippable {
            let what =
                media.map_or_else(|| "a file of unknown type".to_string(), |t| t.to_string());
            return Err(InputErrors::one(
                "FILE",
                format!(
                    "{} is {what}, which cannot be stripped of metadata, and record {} is \
                     public; supported types: {}. Convert the file, or attach it to a \
                     restricted record",
                    file.name,
                    record.id,
                    supported_types()
                ),
            )
            .into());
        }
        let vault = self.vault()?;
        let mut created: Vec<BlobId> = Vec::new();
        let (original, size, public_copy, no_public_copy) = if strippable {
            // Stripping works on the whole file, so it is read once into
            // memory here; the copy is at most as large.
            let mut bytes = head;
            src.read_to_end(&mut bytes).map_err(io_err)?;
            media = qantar_vault::detect_full(&bytes);
            let (stripped, refusal) = match qantar_vault::strip(&bytes) {
                Ok(s) => (Some(s), None),
                Err(e) if public => {
                    return Err(InputErrors::one(
                        "FILE",
                        format!("{}: {e} (record {} is public)", file.name, record.id),
                    )
                    .into());
                }
                Err(e) => (None, Some(e.to_string())),
            };
            let id = qantar_vault::BlobId::of(&bytes);
            if !vault.contains(&id) {
                vault.put(&bytes).map_err(blob_error)?;
                created.push(id);
            }
            let copy = match stripped {
                Some(s) => {
                    let cid = BlobId::of(&s.bytes);
                    if !vault.contains(&cid) {
                        if let Err(e) = vault.put(&s.bytes) {
                            undo(&vault, &created);
                            return Err(blob_error(e));
                        }
                        created.push(cid);
                    }
                    Some(PublicCopy {
                        sha256: cid.to_hex(),
                        size: s.bytes.len() as u64,
                        removed: s.removed.iter().map(|r| r.detail.clone()).collect(),
                    })
                }
                None => None,
            };
            (id, bytes.len() as u64, copy, refusal)
        } else {
            let mut w = vault.writer().map_err(blob_error)?;
            w.write_all(&head).map_err(io_err)?;
            io::copy(&mut src, &mut w).map_err(io_err)?;
            let done = w.finish().map_err(blob_error)?;
            if done.created {
                created.push(done.id);
            }
            let why = match media {
                Some(t) => format!("{t} files cannot be stripped of metadata"),
                None => "the file's type is not recognised".to_string(),
            };
            (done.id, done.len, None, Some(why))
        };
        let n = next_number(self.store.db(), &record.id)?;
        let details = FileDetails {
            name: file.name.clone(),
            sha256: original.to_hex(),
            size,
            media_type: media
                .map_or(UNKNOWN_MEDIA_TYPE, MediaType::mime)
                .to_string(),
            captured_at: file.captured_at.clone(),
        };
        let mut payload = json!({
            "attachment": n,
            "blob": details.sha256,
            "importer": stamp.author,
            "media_type": details.media_type,
            "name": details.name,
            "sha256": details.sha256,
            "size": size,
        });
        if let Some(t) = &details.captured_at {
            payload["captured_at"] = json!(t);
        }
        if let Some(c) = &public_copy {
            payload["public_copy"] =
                json!({ "removed": c.removed, "sha256": c.sha256, "size": c.size });
        }
        let draft = Draft {
            kind: ATTACHED_KIND.into(),
            record: Some(record.id.clone()),
            confidentiality: record.confidentiality.clone(),
            payload,
            parsed: None,
        };
        let receipt = match self.append(vec![draft], stamp) {
            Ok(r) => r,
            Err(e) => {
                undo(&vault, &created);
                return Err(raced(self.store.db(), &record.id, n, e));
            }
        };
        let fresh = self
            .store
            .get(&record.id)?
            .unwrap_or_else(|| record.clone());
        Ok(Attached {
            attachment: self.store.attachment_at(&fresh, receipt.first_seq)?,
            sealed_details: None,
            no_public_copy,
        })
    }

    fn attach_sealed(
        &mut self,
        record: &StoredRecord,
        source: impl Read,
        file: &NewFile,
        keys: &Unlocked,
        stamp: &Stamp,
        progress: Box<dyn FnMut(u64)>,
    ) -> Result<Attached, StoreError> {
        let id = record.id.as_str();
        // Opening the record key first proves the right compartment is
        // unlocked before anything is read or written.
        let dek = self.store.record_data_key(id, keys)?;
        let n = next_number(self.store.db(), id)?;
        let key_bytes = random::<32>()?;
        let key = StreamKey::from_slice(&key_bytes[..]).ok_or_else(|| {
            StoreError::Sealing("a file key is not 32 bytes; nothing was written".into())
        })?;
        let prefix = random::<NONCE_PREFIX_LEN>()?;
        let vault = self.vault()?;
        let mut src = Hashing {
            inner: source,
            hasher: Sha256::new(),
            len: 0,
            head: Vec::with_capacity(HEAD_LEN),
            progress,
        };
        let mut w = vault.writer().map_err(blob_error)?;
        stream::seal(
            &key,
            &prefix,
            &stream_context(id, n),
            &mut src,
            &mut w,
            &mut |_| {},
        )
        .map_err(|e| StoreError::Io {
            path: file.name.clone(),
            source: io::Error::other(e),
        })?;
        let done = w.finish().map_err(blob_error)?;
        let created: Vec<BlobId> = if done.created {
            vec![done.id]
        } else {
            Vec::new()
        };
        let details = FileDetails {
            name: file.name.clone(),
            sha256: hex::encode(src.hasher.finalize()),
            size: src.len,
            media_type: qantar_vault::detect(&src.head)
                .map_or(UNKNOWN_MEDIA_TYPE, MediaType::mime)
                .to_string(),
            captured_at: file.captured_at.clone(),
        };
        let mut meta = json!({
            "importer": stamp.author,
            "key": STANDARD.encode(key.expose()),
            "media_type": details.media_type,
            "name": details.name,
            "sha256": details.sha256,
            "size": details.size,
        });
        if let Some(t) = &details.captured_at {
            meta["captured_at"] = json!(t);
        }
        let plain = Zeroizing::new(serde_json::to_vec(&meta).map_err(|e| {
            StoreError::Archive(format!("cannot serialise an attachment's sealed part: {e}"))
        })?);
        drop(meta);
        let field = field_of(n);
        let sealed = match qantar_seal::seal(&dek, &Aad::new(id, &field, n), &plain) {
            Ok(s) => s,
            Err(e) => {
                undo(&vault, &created);
                return Err(e.into());
            }
        };
        let sealed_json: Value = serde_json::from_str(&sealed.to_json())
            .map_err(|e| StoreError::Archive(format!("cannot build the sealed part: {e}")))?;
        let draft = Draft {
            kind: ATTACHED_KIND.into(),
            record: Some(id.to_string()),
            confidentiality: record.confidentiality.clone(),
            payload: json!({
                "attachment": n,
                "blob": done.id.to_hex(),
                "sealed_meta": sealed_json,
                "stored_size": done.len,
            }),
            parsed: None,
        };
        let receipt = match self.append(vec![draft], stamp) {
            Ok(r) => r,
            Err(e) => {
                undo(&vault, &created);
                return Err(raced(self.store.db(), &record.id, n, e));
            }
        };
        Ok(Attached {
            attachment: self.store.attachment_at(record, receipt.first_seq)?,
            sealed_details: Some(details),
            no_public_copy: None,
        })
    }

    /// Write attachment `n` of a record, the original, to `out`, checking
    /// its SHA-256 as it goes. A sealed record's file needs its compartment
    /// unlocked and is preceded by an `audit.file_opened` entry (`reader`
    /// is who asked; the handler comes from `keys`). The caller must keep
    /// what it gets only on `Ok`: a damaged file fails part-way.
    #[allow(clippy::too_many_arguments)]
    pub fn open_attachment(
        &mut self,
        target: &str,
        n: u64,
        keys: Option<&Unlocked>,
        reader: &str,
        stamp: &Stamp,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Opened, StoreError> {
        let (record, attachment) = self.store.attachment(target, n)?;
        if attachment.erased {
            let erased_at = record
                .data
                .pointer("/erased/at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            return Err(StoreError::Erased {
                record: record.id,
                erased_at,
            });
        }
        let blob: BlobId = attachment.blob.parse().map_err(blob_error)?;
        let vault = self.vault()?;
        let damaged = |what: String| StoreError::Corrupt {
            seq: Some(attachment.seq),
            what,
        };
        if !attachment.sealed {
            let details = attachment
                .file
                .clone()
                .ok_or_else(|| damaged("an attachment in clear has no details".into()))?;
            let mut f = vault.open_blob(&blob).map_err(blob_error)?;
            let mut w = HashingWriter {
                inner: out,
                hasher: Sha256::new(),
                len: 0,
            };
            copy_with_progress(&mut f, &mut w, progress).map_err(|e| StoreError::Io {
                path: vault.path_of(&blob).display().to_string(),
                source: e,
            })?;
            let got = hex::encode(w.hasher.finalize());
            if got != details.sha256 {
                return Err(damaged(format!(
                    "the stored original of attachment {n} of {} hashes to {got}, not {}; \
                     restore {} from a backup of the vault",
                    record.id,
                    details.sha256,
                    vault.path_of(&blob).display()
                )));
            }
            return Ok(Opened {
                attachment,
                file: details,
                audit_entry: None,
            });
        }
        let Some(keys) = keys else {
            return Err(StoreError::Sealing(format!(
                "record {} is sealed: unlock its compartment to open its files",
                record.id
            )));
        };
        let (_, meta) = open_meta(&self.store, &record.id, keys, attachment.seq)?;
        // The blob must be there before a reading is recorded; its
        // integrity is checked segment by segment below.
        let f = vault.open_blob(&blob).map_err(blob_error)?;
        let audit = Draft {
            kind: FILE_OPENED_KIND.into(),
            record: Some(record.id.clone()),
            confidentiality: "restricted".into(),
            payload: json!({ "attachment": n, "handler": keys.handler(), "reader": reader }),
            parsed: None,
        };
        let receipt = self.append(vec![audit], stamp)?;
        let mut w = HashingWriter {
            inner: out,
            hasher: Sha256::new(),
            len: 0,
        };
        stream::open(
            &meta.key,
            &stream_context(&record.id, n),
            io::BufReader::new(f),
            &mut w,
            progress,
        )
        .map_err(|e| match e {
            stream::StreamError::Io(source) => StoreError::Io {
                path: vault.path_of(&blob).display().to_string(),
                source,
            },
            other => damaged(format!("attachment {n} of {}: {other}", record.id)),
        })?;
        let got = hex::encode(w.hasher.finalize());
        if got != meta.details.sha256 {
            return Err(damaged(format!(
                "the sealed original of attachment {n} of {} opens to bytes hashing to {got}, \
                 not {}",
                record.id, meta.details.sha256
            )));
        }
        Ok(Opened {
            attachment,
            file: meta.details.clone(),
            audit_entry: Some(receipt.first_seq),
        })
    }

    /// Write the stripped public copy of attachment `n` of a record in
    /// clear to `out`, checking its hash.
    pub fn public_copy(
        &self,
        target: &str,
        n: u64,
        out: &mut dyn Write,
    ) -> Result<(Attachment, PublicCopy), StoreError> {
        let (record, attachment) = self.store.attachment(target, n)?;
        let Some(copy) = attachment.public_copy.clone() else {
            let why = if attachment.sealed {
                "is sealed: sealed files get no public copy (attach one to the redacted public \
                 record instead)"
            } else {
                "has no public copy (its type could not be stripped); use --original"
            };
            return Err(
                InputErrors::one("N", format!("attachment {n} of {} {why}", record.id)).into(),
            );
        };
        let id: BlobId = copy.sha256.parse().map_err(blob_error)?;
        let vault = self.vault()?;
        let mut f = vault.open_blob(&id).map_err(blob_error)?;
        let mut w = HashingWriter {
            inner: out,
            hasher: Sha256::new(),
            len: 0,
        };
        copy_with_progress(&mut f, &mut w, &mut |_| {}).map_err(|e| StoreError::Io {
            path: vault.path_of(&id).display().to_string(),
            source: e,
        })?;
        if hex::encode(w.hasher.finalize()) != copy.sha256 {
            return Err(StoreError::Corrupt {
                seq: Some(attachment.seq),
                what: format!(
                    "the public copy {} is damaged; restore it from a backup of the vault",
                    vault.path_of(&id).display()
                ),
            });
        }
        Ok((attachment, copy))
    }

    /// Delete the ciphertext of every attachment of a crypto-erased
    /// record that is still in the vault. Run after every erasure; also
    /// part of [`Archive::verify_attachments`]. Returns how many blobs went.
    pub fn purge_erased_attachments(&self) -> Result<u64, StoreError> {
        let rows = self.store.db().query(
            "SELECT a.blob FROM attachments a JOIN records r ON r.id = a.record
              WHERE a.sealed = 1 AND r.retracted = 1 AND r.label = ?1",
            &[Param::Text(crate::sealing::ERASED_LABEL)],
        )?;
        if rows.is_empty() {
            return Ok(0);
        }
        let vault = self.vault()?;
        let mut n = 0;
        for r in rows {
            let id: BlobId = r.text(0)?.parse().map_err(blob_error)?;
            if vault.remove(&id).map_err(blob_error)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Re-hash every blob the attachments name (originals, ciphertext of
    /// sealed originals, public copies) and report the missing and the
    /// damaged. Needs no key: a sealed original is checked as the
    /// ciphertext its entry names. `progress` gets (blobs done, total).
    pub fn verify_attachments(
        &self,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<EvidenceReport, StoreError> {
        let purged = self.purge_erased_attachments()?;
        let rows = self.store.db().query(
            "SELECT a.record, a.n, a.sealed, a.blob, a.public_blob, r.label, r.retracted
               FROM attachments a JOIN records r ON r.id = a.record ORDER BY a.record, a.n",
            &[],
        )?;
        let vault = self.vault()?;
        let mut report = EvidenceReport {
            ok: true,
            attachments: rows.len() as u64,
            blobs_checked: 0,
            bytes_checked: 0,
            purged,
            problems: Vec::new(),
        };
        let mut todo: Vec<(String, u64, &'static str, String)> = Vec::new();
        for r in &rows {
            let (record, n, sealed) = (r.text(0)?, r.u64(1)?, r.bool(2)?);
            let erased = r.bool(6)? && r.text(5)? == crate::sealing::ERASED_LABEL;
            if erased {
                continue;
            }
            let role = if sealed {
                "sealed original"
            } else {
                "original"
            };
            todo.push((record.clone(), n, role, r.text(3)?));
            if let Some(p) = r.opt_text(4)? {
                todo.push((record, n, "public copy", p));
            }
        }
        let total = todo.len() as u64;
        for (i, (record, n, role, blob)) in todo.into_iter().enumerate() {
            let problem = match blob.parse::<BlobId>() {
                Err(e) => Some(("damaged", e.to_string())),
                Ok(id) => match vault.verify(&id) {
                    Ok(()) => {
                        report.blobs_checked += 1;
                        report.bytes_checked += std::fs::metadata(vault.path_of(&id))
                            .map(|m| m.len())
                            .unwrap_or_default();
                        None
                    }
                    Err(BlobError::NotFound { .. }) => Some((
                        "missing",
                        format!("{} is not in the vault", vault.path_of(&id).display()),
                    )),
                    Err(e @ BlobError::Corrupt { .. }) => Some(("damaged", e.to_string())),
                    Err(e) => return Err(blob_error(e)),
                },
            };
            if let Some((problem, detail)) = problem {
                report.problems.push(BlobProblem {
                    record,
                    n,
                    blob,
                    role,
                    problem,
                    detail,
                });
            }
            progress(i as u64 + 1, total);
        }
        report.ok = report.problems.is_empty();
        Ok(report)
    }
}

/// The number is taken before the file is stored (the sealed stream is
/// bound to it) and checked again when the entry is applied; if another
/// attachment to the same record was committed in between, say so rather
/// than pass on the replay check's "damaged ledger" wording.
fn raced(db: &Db, record: &str, n: u64, e: StoreError) -> StoreError {
    match (&e, next_number(db, record)) {
        (StoreError::Corrupt { .. }, Ok(next)) if next != n => StoreError::Archive(format!(
            "another file was attached to record {record} at the same time, so this one was              not (nothing was written); run the command again"
        )),
        _ => e,
    }
}

fn undo(vault: &BlobStore, created: &[BlobId]) {
    for id in created {
        // Best effort: a stray blob no entry names is harmless, and the
        // append error is the one to report.
        let _ = vault.remove(id);
    }
}

fn read_some(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn copy_with_progress(
    from: &mut impl Read,
    to: &mut impl Write,
    progress: &mut dyn FnMut(u64),
) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 16];
    let mut done = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        to.write_all(&buf[..n])?;
        done += n as u64;
        progress(done);
    }
    to.flush()?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_times_are_dates_or_rfc3339() {
        for ok in [
            "2022-01-05",
            "2022-01-05T14:20Z",
            "2022-01-05T14:20:00Z",
            "2022-01-05T14:20:00.250Z",
            "2022-01-05T14:20:00+06:00",
        ] {
            assert!(check_captured_at(ok).is_ok(), "{ok}");
        }
        for bad in [
            "yesterday",
            "2022-13-05",
            "2022-01-05 14:20",
            "2022-01-05T25:00Z",
            "2022-01-05T14:20:00",
            "2022-01-05T14:20:00+6",
            "2022-01-05T14:20:00.Z",
        ] {
            assert!(check_captured_at(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_plain_file_names() {
        assert!(check_name("IMG_0001.jpg").is_ok());
        assert!(check_name("фото.jpg").is_ok());
        for bad in ["", "..", "a/b.jpg", "a\\b", "a\nb", &"x".repeat(256)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
