//! A content-addressed blob store in a directory.
//!
//! Layout: `objects/ab/cdef…` where `abcdef…` is the SHA-256 of the stored
//! bytes in lower-case hex, and `tmp/` for writes in progress (same file
//! system, so the final rename is atomic). A blob is written to a temporary
//! file, flushed to disk, renamed into place and its directory flushed, so
//! after `put` returns the blob survives a power cut, and a crash part-way
//! leaves only a stray file in `tmp/`, never a wrong blob under a good name.
//!
//! Blobs are immutable: `put` of bytes already present writes nothing, and
//! stored files are made read-only. The store does not know what a blob is;
//! for a sealed original it is handed ciphertext, and the id is then the
//! hash of the ciphertext. The hash of the original itself (R9) should be
//! taken with [`sha256_hex`] before sealing and recorded in the ledger.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// The SHA-256 of a blob's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobId([u8; 32]);

impl BlobId {
    pub fn of(bytes: &[u8]) -> Self {
        BlobId(Sha256::digest(bytes).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl FromStr for BlobId {
    type Err = BlobError;

    /// Accepts exactly 64 lower-case hex digits, the form the store writes,
    /// so one blob never has two spellings.
    fn from_str(s: &str) -> Result<Self, BlobError> {
        let bad = || BlobError::InvalidId {
            input: s.to_owned(),
        };
        if s.len() != 64
            || !s
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| bad())?;
        Ok(BlobId(out))
    }
}

/// The SHA-256 of `bytes` in lower-case hex: the evidentiary hash of an
/// original, and the id it gets when stored as is.
pub fn sha256_hex(bytes: &[u8]) -> String {
    BlobId::of(bytes).to_hex()
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob store I/O failed at {}: {source}; check that the path exists, is writable and the disk is not full", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "no blob {id} in the store; check the id, or that the store directory is the right one"
    )]
    NotFound { id: BlobId },
    #[error(
        "blob {id} is corrupt: its bytes now hash to {actual}; restore it from a backup or mirror"
    )]
    Corrupt { id: BlobId, actual: BlobId },
    #[error("'{input}' is not a blob id: expected 64 lower-case hex digits (a SHA-256)")]
    InvalidId { input: String },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> BlobError + '_ {
    move |source| BlobError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A blob store rooted at one directory.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    /// Opens the store at `dir`, creating it and its subdirectories if needed.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, BlobError> {
        let root = dir.as_ref().to_owned();
        for sub in ["objects", "tmp"] {
            let p = root.join(sub);
            fs::create_dir_all(&p).map_err(io_at(&p))?;
        }
        Ok(BlobStore { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where blob `id` lives. The path is built from the id's hex digits
    /// only, so no id can point outside the store.
    pub fn path_of(&self, id: &BlobId) -> PathBuf {
        let hex = id.to_hex();
        self.root.join("objects").join(&hex[..2]).join(&hex[2..])
    }

    pub fn contains(&self, id: &BlobId) -> bool {
        self.path_of(id).is_file()
    }

    /// Stores `bytes` unchanged and returns their SHA-256. Storing the same
    /// bytes again returns the same id and writes nothing.
    pub fn put(&self, bytes: &[u8]) -> Result<BlobId, BlobError> {
        let id = BlobId::of(bytes);
        if self.contains(&id) {
            return Ok(id);
        }
        let tmp_dir = self.root.join("tmp");
        let mut tmp = tempfile::NamedTempFile::new_in(&tmp_dir).map_err(io_at(&tmp_dir))?;
        tmp.write_all(bytes).map_err(io_at(tmp.path()))?;
        self.commit(tmp, id)?;
        Ok(id)
    }

    /// Stores what `reader` yields, hashing as it streams so large files
    /// are never held in memory.
    pub fn put_reader(&self, mut reader: impl Read) -> Result<BlobId, BlobError> {
        let tmp_dir = self.root.join("tmp");
        let mut tmp = tempfile::NamedTempFile::new_in(&tmp_dir).map_err(io_at(&tmp_dir))?;
        let id = {
            let file = tmp.as_file_mut();
            hash_reader(&mut Tee {
                reader: &mut reader,
                copy: file,
            })
        }
        .map_err(io_at(tmp.path()))?;
        if self.contains(&id) {
            // Dropping the temporary file deletes it.
            return Ok(id);
        }
        self.commit(tmp, id)?;
        Ok(id)
    }

    /// A writer that stores what is written to it as one blob: hashed as
    /// it goes, kept in `tmp/` until [`BlobWriter::finish`] names it, and
    /// deleted if dropped unfinished. For bytes produced on the fly (a
    /// sealed stream) that should never sit whole in memory.
    pub fn writer(&self) -> Result<BlobWriter<'_>, BlobError> {
        let tmp_dir = self.root.join("tmp");
        let tmp = tempfile::NamedTempFile::new_in(&tmp_dir).map_err(io_at(&tmp_dir))?;
        Ok(BlobWriter {
            store: self,
            tmp,
            hasher: Sha256::new(),
            len: 0,
        })
    }

    /// Deletes blob `id`. Blobs are otherwise immutable; this exists for
    /// crypto-erasure (the ciphertext of an erased attachment goes too)
    /// and for undoing a write whose ledger entry was never committed.
    /// Returns whether there was a blob to delete. Copies made before
    /// (backups, mirrors) are not touched.
    pub fn remove(&self, id: &BlobId) -> Result<bool, BlobError> {
        let path = self.path_of(id);
        match fs::remove_file(&path) {
            Ok(()) => {
                sync_dir(path.parent().unwrap_or(&self.root))?;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_at(&path)(e)),
        }
    }

    /// Every blob file in the store, by id, sorted. Files whose names are
    /// not ids (strays) are skipped.
    pub fn ids(&self) -> Result<Vec<BlobId>, BlobError> {
        let objects = self.root.join("objects");
        let mut out = Vec::new();
        for shard in fs::read_dir(&objects).map_err(io_at(&objects))? {
            let shard = shard.map_err(io_at(&objects))?;
            let prefix = shard.file_name().to_string_lossy().into_owned();
            if !shard.path().is_dir() {
                continue;
            }
            for f in fs::read_dir(shard.path()).map_err(io_at(&shard.path()))? {
                let f = f.map_err(io_at(&shard.path()))?;
                let name = format!("{prefix}{}", f.file_name().to_string_lossy());
                if let Ok(id) = name.parse::<BlobId>() {
                    out.push(id);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Flushes the temporary file, renames it to the blob's path and
    /// flushes the directories the rename touched.
    fn commit(&self, tmp: tempfile::NamedTempFile, id: BlobId) -> Result<(), BlobError> {
        tmp.as_file().sync_all().map_err(io_at(tmp.path()))?;
        let target = self.path_of(&id);
        let shard = target.parent().unwrap_or(&self.root).to_owned();
        let new_shard = !shard.is_dir();
        fs::create_dir_all(&shard).map_err(io_at(&shard))?;
        let file = tmp.persist(&target).map_err(|e| BlobError::Io {
            path: target.clone(),
            source: e.error,
        })?;
        let mut perms = file.metadata().map_err(io_at(&target))?.permissions();
        perms.set_readonly(true);
        fs::set_permissions(&target, perms).map_err(io_at(&target))?;
        sync_dir(&shard)?;
        if new_shard {
            sync_dir(&self.root.join("objects"))?;
        }
        Ok(())
    }

    /// The bytes of blob `id`, exactly as stored.
    pub fn get(&self, id: &BlobId) -> Result<Vec<u8>, BlobError> {
        let path = self.path_of(id);
        fs::read(&path).map_err(|e| self.not_found_or(id, &path, e))
    }

    /// A reader over blob `id`, for streaming large blobs.
    pub fn open_blob(&self, id: &BlobId) -> Result<File, BlobError> {
        let path = self.path_of(id);
        File::open(&path).map_err(|e| self.not_found_or(id, &path, e))
    }

    /// Re-hashes blob `id` from disk and checks it still matches its name.
    pub fn verify(&self, id: &BlobId) -> Result<(), BlobError> {
        let path = self.path_of(id);
        let mut file = self.open_blob(id)?;
        let actual = hash_reader(&mut file).map_err(io_at(&path))?;
        if actual == *id {
            Ok(())
        } else {
            Err(BlobError::Corrupt { id: *id, actual })
        }
    }

    fn not_found_or(&self, id: &BlobId, path: &Path, e: io::Error) -> BlobError {
        if e.kind() == io::ErrorKind::NotFound {
            BlobError::NotFound { id: *id }
        } else {
            io_at(path)(e)
        }
    }
}

/// A blob written through a [`BlobWriter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    pub id: BlobId,
    pub len: u64,
    /// False when the same bytes were already stored.
    pub created: bool,
}

/// A blob being written; see [`BlobStore::writer`].
pub struct BlobWriter<'a> {
    store: &'a BlobStore,
    tmp: tempfile::NamedTempFile,
    hasher: Sha256,
    len: u64,
}

impl BlobWriter<'_> {
    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Stores the bytes written as a blob (durably, as [`BlobStore::put`]
    /// does). If that blob already exists nothing more is written, and
    /// [`Finished::created`] says so (a caller undoing its write must not
    /// delete a blob that was there before).
    pub fn finish(self) -> Result<Finished, BlobError> {
        let id = BlobId(self.hasher.finalize().into());
        let created = !self.store.contains(&id);
        if created {
            self.store.commit(self.tmp, id)?;
        }
        Ok(Finished {
            id,
            len: self.len,
            created,
        })
    }
}

impl Write for BlobWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.tmp.as_file_mut().write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.as_file_mut().flush()
    }
}

/// Hashes everything `reader` yields, in 64 KiB pieces.
fn hash_reader(reader: &mut impl Read) -> io::Result<BlobId> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(BlobId(hasher.finalize().into()))
}

/// A reader that writes what it reads to `copy`, so one pass both hashes
/// and stores a stream.
struct Tee<'a, R, W> {
    reader: &'a mut R,
    copy: &'a mut W,
}

impl<R: Read, W: Write> Read for Tee<'_, R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), BlobError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_at(dir))
}

/// Windows cannot open a directory as a file; NTFS journals the rename.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), BlobError> {
    Ok(())
}
