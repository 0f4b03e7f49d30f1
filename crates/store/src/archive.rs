//! An archive on disk: a directory holding the database, the checkpoint
//! signing key and a small configuration file.
//!
//! ```text
//! <DIR>/qantar.toml            name, log origin, creation time
//! <DIR>/archive.sqlite         the ledger and the projection (WAL mode)
//! <DIR>/keys/checkpoint.key    Ed25519 signing key, readable only by its owner
//! <DIR>/keys/checkpoint.pub    the matching verifier key: publish it
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use qantar_ledger::{NoteSigner, NoteVerifier};
use serde::{Deserialize, Serialize};

use crate::{Receipt, Stamp, Store, StoreError};

pub const CONFIG_FILE: &str = "qantar.toml";
pub const DATABASE_FILE: &str = "archive.sqlite";
pub const KEY_FILE: &str = "keys/checkpoint.key";
pub const PUBLIC_KEY_FILE: &str = "keys/checkpoint.pub";

/// `qantar.toml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveConfig {
    /// A short name for people.
    pub name: String,
    /// The checkpoint origin line: names this log wherever its checkpoints go.
    pub origin: String,
    /// When the archive was created (RFC 3339 UTC).
    pub created: String,
}

/// An open archive: its directory, configuration, store and signing key.
pub struct Archive {
    pub dir: PathBuf,
    pub config: ArchiveConfig,
    pub store: Store,
    signer: NoteSigner,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Archive {
    /// Create a new archive in `dir` (which must be absent or empty).
    /// `seed` is 32 random bytes for the signing key; the caller draws them so
    /// this crate stays free of randomness.
    pub fn init(
        dir: &Path,
        name: &str,
        seed: [u8; 32],
        archive_id: &str,
        stamp: &Stamp,
    ) -> Result<Archive, StoreError> {
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            || name.is_empty()
        {
            return Err(crate::InputErrors::one(
                "name",
                "use letters, digits, '-' and '_' only (it becomes part of the checkpoint origin)",
            )
            .into());
        }
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(io(dir))?;
            if entries.next().is_some() {
                return Err(StoreError::Archive(format!(
                    "{} is not empty; choose a new directory for the archive (or open the existing one with --archive)",
                    dir.display()
                )));
            }
        }
        fs::create_dir_all(dir.join("keys")).map_err(io(dir))?;
        let config = ArchiveConfig {
            name: name.to_string(),
            origin: format!("qantar.archive/{name}/{archive_id}"),
            created: stamp.time.clone(),
        };
        let signer = NoteSigner::from_seed(&format!("qantar-{name}"), seed)
            .map_err(|e| StoreError::Archive(format!("cannot make the signing key: {e}")))?;
        write_private(&dir.join(KEY_FILE), &signer.to_private_text())?;
        fs::write(
            dir.join(PUBLIC_KEY_FILE),
            format!("{}\n", signer.verifier().to_text()),
        )
        .map_err(io(&dir.join(PUBLIC_KEY_FILE)))?;
        let text = toml::to_string(&config).map_err(|e| StoreError::Archive(e.to_string()))?;
        fs::write(
            dir.join(CONFIG_FILE),
            format!("# qantar archive configuration\n{text}"),
        )
        .map_err(io(&dir.join(CONFIG_FILE)))?;
        let store = Store::create(&dir.join(DATABASE_FILE))?;
        store.set_meta("origin", &config.origin)?;
        let mut archive = Archive {
            dir: dir.to_path_buf(),
            config,
            store,
            signer,
        };
        archive.append(
            vec![crate::Draft {
                kind: "archive.created".into(),
                record: None,
                confidentiality: "public".into(),
                payload: serde_json::json!({ "name": name, "origin": archive.config.origin }),
                parsed: None,
            }],
            stamp,
        )?;
        Ok(archive)
    }

    /// Open an existing archive.
    pub fn open(dir: &Path) -> Result<Archive, StoreError> {
        let config_path = dir.join(CONFIG_FILE);
        let text = fs::read_to_string(&config_path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                StoreError::Archive(format!(
                    "{} is not a qantar archive (no {CONFIG_FILE}); create one with `qantar init {}` or `qantar demo`",
                    dir.display(),
                    dir.display()
                ))
            } else {
                io(&config_path)(e)
            }
        })?;
        let config: ArchiveConfig = toml::from_str(&text).map_err(|e| {
            StoreError::Archive(format!("{} is damaged: {e}", config_path.display()))
        })?;
        let key_path = dir.join(KEY_FILE);
        let key_text = fs::read_to_string(&key_path).map_err(io(&key_path))?;
        let signer = NoteSigner::parse(key_text.trim()).map_err(|e| {
            StoreError::Archive(format!(
                "the signing key {} is damaged ({e}); restore it from your key backup",
                key_path.display()
            ))
        })?;
        let store = Store::open(&dir.join(DATABASE_FILE))?;
        match store.meta("origin")? {
            Some(o) if o == config.origin => {}
            other => {
                return Err(StoreError::Archive(format!(
                    "{CONFIG_FILE} names log {:?} but the database belongs to {:?}; the files of two archives were mixed",
                    config.origin, other
                )));
            }
        }
        Ok(Archive {
            dir: dir.to_path_buf(),
            config,
            store,
            signer,
        })
    }

    pub fn verifier(&self) -> NoteVerifier {
        self.signer.verifier()
    }

    /// Append drafts in one transaction, with a signed checkpoint.
    pub fn append(
        &mut self,
        drafts: Vec<crate::Draft>,
        stamp: &Stamp,
    ) -> Result<Receipt, StoreError> {
        self.store
            .append(drafts, stamp, &self.signer, &self.config.origin)
    }

    /// Sign a checkpoint of the current tree (or return the current one).
    pub fn checkpoint(&mut self) -> Result<(u64, String), StoreError> {
        self.store
            .sign_checkpoint(&self.signer, &self.config.origin)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<(), StoreError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io(path))?;
    f.write_all(format!("{text}\n").as_bytes())
        .map_err(io(path))?;
    f.sync_all().map_err(io(path))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<(), StoreError> {
    fs::write(path, format!("{text}\n")).map_err(io(path))
}
