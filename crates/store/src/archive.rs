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
    /// Where the ledger and projection live when not in `archive.sqlite`:
    /// a `postgres://` URL. `QANTAR_DATABASE_URL` overrides it at run time
    /// (so a password need not be written here) for an archive that has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
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
    /// With `database`, the ledger lives in that PostgreSQL database instead
    /// of `archive.sqlite`; the directory still holds the key and config.
    pub fn init(
        dir: &Path,
        name: &str,
        seed: [u8; 32],
        archive_id: &str,
        stamp: &Stamp,
        database: Option<&str>,
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
            database: database.map(str::to_string),
        };
        if let Some(url) = database
            && !crate::is_postgres_url(url)
        {
            return Err(crate::InputErrors::one(
                "--database",
                "give a postgres:// URL (SQLite needs no option)",
            )
            .into());
        }
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
        let store = match database {
            Some(url) => Store::create_postgres(url)?,
            None => Store::create(&dir.join(DATABASE_FILE))?,
        };
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
        // The environment may carry the URL with its password, but only for
        // an archive configured for PostgreSQL: a SQLite archive stays SQLite.
        let url = config.database.as_ref().map(|configured| {
            std::env::var("QANTAR_DATABASE_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| configured.clone())
        });
        let store = match &url {
            Some(url) => Store::open_postgres(url)?,
            None => Store::open(&dir.join(DATABASE_FILE))?,
        };
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

    /// Move the ledger to another database (a `postgres://` URL, or
    /// `sqlite` for this directory's `archive.sqlite`) by replaying it there,
    /// then point the configuration at the copy. The old database is left
    /// untouched. Returns the number of entries copied.
    pub fn migrate(
        &mut self,
        to: &str,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, StoreError> {
        let refuse =
            |reason: String| -> StoreError { crate::InputErrors::one("--to", reason).into() };
        let (mut target, database) = if crate::is_postgres_url(to) {
            if self.config.database.as_deref() == Some(to) {
                return Err(refuse("that is where the archive already is".into()));
            }
            let store = Store::create_postgres(to).map_err(|e| match e {
                StoreError::Archive(why) => refuse(why),
                other => other,
            })?;
            (store, Some(to.to_string()))
        } else if to == "sqlite" {
            if self.config.database.is_none() {
                return Err(refuse("the archive is already in SQLite".into()));
            }
            let path = self.dir.join(DATABASE_FILE);
            if path.exists() {
                return Err(refuse(format!(
                    "{} already exists; move it away first (it may be an older copy of this archive)",
                    path.display()
                )));
            }
            (Store::create(&path)?, None)
        } else {
            return Err(refuse("give a postgres:// URL, or `sqlite`".into()));
        };
        let n = self.store.copy_into(&mut target, progress)?;
        let mut config = self.config.clone();
        config.database = database;
        let text = toml::to_string(&config).map_err(|e| StoreError::Archive(e.to_string()))?;
        let path = self.dir.join(CONFIG_FILE);
        fs::write(&path, format!("# qantar archive configuration\n{text}")).map_err(io(&path))?;
        self.config = config;
        self.store = target;
        Ok(n)
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

    /// [`Store::append_sealed`] with this archive's signing key.
    pub fn append_sealed(
        &mut self,
        drafts: Vec<crate::Draft>,
        stamp: &Stamp,
        keys: &crate::Unlocked,
    ) -> Result<Receipt, StoreError> {
        self.store
            .append_sealed(drafts, stamp, &self.signer, &self.config.origin, keys)
    }

    /// [`Store::get_unsealed`]: the record in clear, after its audit entry.
    pub fn get_unsealed(
        &mut self,
        target: &str,
        keys: &crate::Unlocked,
        reader: &str,
        stamp: &Stamp,
    ) -> Result<crate::StoredRecord, StoreError> {
        self.store.get_unsealed(
            target,
            keys,
            reader,
            stamp,
            &self.signer,
            &self.config.origin,
        )
    }

    /// [`Store::prepare_amend_unsealed`] with this archive's signing key.
    pub fn prepare_amend_unsealed(
        &mut self,
        target: &str,
        patch: &serde_json::Value,
        reason: Option<&str>,
        keys: &crate::Unlocked,
        reader: &str,
        stamp: &Stamp,
    ) -> Result<crate::Draft, StoreError> {
        self.store.prepare_amend_unsealed(
            target,
            patch,
            reason,
            keys,
            reader,
            stamp,
            &self.signer,
            &self.config.origin,
        )
    }

    /// [`Store::erase_record`]: crypto-erase a sealed record, with its tombstone.
    pub fn erase_record(
        &mut self,
        target: &str,
        reason: crate::ErasureReason,
        stamp: &Stamp,
    ) -> Result<Receipt, StoreError> {
        let receipt =
            self.store
                .erase_record(target, reason, stamp, &self.signer, &self.config.origin)?;
        // The key is gone with the tombstone; the attachments' ciphertext goes too.
        self.purge_erased_attachments()?;
        Ok(receipt)
    }

    /// [`Store::create_compartment`], signed by this archive; the stamp's
    /// author is the actor in its audit entry.
    pub fn create_compartment(
        &mut self,
        name: &str,
        first_handler: &str,
        kek: &qantar_seal::Kek,
        actor: &Stamp,
    ) -> Result<crate::Unlocked, StoreError> {
        self.store.create_compartment(
            name,
            first_handler,
            kek,
            actor,
            &self.signer,
            &self.config.origin,
        )
    }

    /// [`Store::grant`], with its audit entry signed by this archive.
    pub fn grant(
        &mut self,
        by: &crate::Unlocked,
        handler: &str,
        kek: &qantar_seal::Kek,
        actor: &Stamp,
    ) -> Result<Receipt, StoreError> {
        self.store
            .grant(by, handler, kek, actor, &self.signer, &self.config.origin)
    }

    /// [`Store::revoke`], with its audit entry signed by this archive.
    pub fn revoke(
        &mut self,
        compartment: &str,
        handler: &str,
        actor: &Stamp,
    ) -> Result<Receipt, StoreError> {
        self.store.revoke(
            compartment,
            handler,
            actor,
            &self.signer,
            &self.config.origin,
        )
    }

    /// [`Store::rotate_compartment`], with its audit entry signed by this archive.
    pub fn rotate_compartment(
        &mut self,
        keys: &crate::Unlocked,
        handlers: &[(&str, &qantar_seal::Kek)],
        actor: &Stamp,
    ) -> Result<crate::Unlocked, StoreError> {
        self.store
            .rotate_compartment(keys, handlers, actor, &self.signer, &self.config.origin)
    }

    /// [`Store::restore_keys`], with its audit entry signed by this archive.
    pub fn restore_keys(
        &mut self,
        bytes: &[u8],
        kek: &qantar_seal::Kek,
        actor: &Stamp,
    ) -> Result<crate::RestoredKeys, StoreError> {
        self.store
            .restore_keys(bytes, kek, actor, &self.signer, &self.config.origin)
    }

    /// [`Store::restore_keys_with_passphrase`], with its audit entry signed
    /// by this archive.
    pub fn restore_keys_with_passphrase(
        &mut self,
        bytes: &[u8],
        passphrase: &str,
        actor: &Stamp,
    ) -> Result<crate::RestoredKeys, StoreError> {
        self.store.restore_keys_with_passphrase(
            bytes,
            passphrase,
            actor,
            &self.signer,
            &self.config.origin,
        )
    }

    /// [`Store::unseal_each`], with its audit entry signed by this archive;
    /// the reader is the stamp's author.
    pub fn unseal_each(
        &mut self,
        kind: qantar_model::Kind,
        keys: &crate::Unlocked,
        purpose: &str,
        stamp: &Stamp,
        f: &mut dyn FnMut(&str, serde_json::Value) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.store.unseal_each(
            kind,
            keys,
            &stamp.author,
            purpose,
            stamp,
            &self.signer,
            &self.config.origin,
            f,
        )
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
