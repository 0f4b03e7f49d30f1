//! Where a qantar archive's ledger and projection live.
//!
//! The [`Store`] keeps two things in one database, SQLite (the embedded
//! default) or PostgreSQL (for organisations with many editors): the **ledger** (the
//! canonical bytes of every entry, the hashes of the RFC 9162 Merkle tree over
//! them, and every signed checkpoint) and the **projection** (plain tables of
//! the current state of every record, for queries). An append writes the
//! entries, their tree nodes, their projection rows and a fresh signed
//! checkpoint in **one transaction**, so the two never disagree and a crash
//! leaves either the whole batch or none of it.
//!
//! Commands ([`command`]) turn what a user asks for into entries after
//! checking it against the model and the current state; bad input yields
//! [`InputErrors`] and writes nothing. [`verify`] re-derives everything from
//! the entries' bytes and says where the first fault is. The [`Archive`]
//! wraps a store with the directory it lives in: the signing key and the
//! configuration.
//!
//! Confidential records can be **sealed** ([`sealing`], issue 6): once a
//! compartment exists, their payloads enter the ledger encrypted, the
//! projection holds no plaintext of them, and reading one back needs a
//! handler's key and leaves an audit entry.
//!
//! Boundaries: no domain rules live here beyond reference checks (they are in
//! `qantar-model`), and no tree maths (that is `qantar-ledger`). Nothing here
//! prints; long operations report progress through callbacks.

pub mod apply;
pub mod archive;
pub mod command;
pub mod db;
pub mod evidence;
pub mod export_audit;
pub mod linkage;
pub mod query;
mod schema;
pub mod sealing;
pub mod verify;

use std::path::Path;

use qantar_ledger::{Checkpoint, Entry, Frontier, Hash, NoteSigner};
use serde_json::Value;

pub use archive::{Archive, ArchiveConfig};
pub use command::{InputError, InputErrors};
pub use db::Backend;
use db::{Db, Param};
pub use evidence::{
    Attached, Attachment, EvidenceReport, FileDetails, NewFile, Opened, PublicCopy,
};
pub use linkage::{LinkPair, LinkRun, RecordRow};
pub use query::{Filter, StoredRecord};
pub use sealing::{CompartmentInfo, ErasureReason, RestoredKeys, Unlocked};
pub use verify::{Problem, VerifyReport};

/// Everything that can go wrong below the CLI.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The user's input was refused; nothing was written.
    #[error(transparent)]
    Input(#[from] InputErrors),
    #[error("no record {0:?} in this archive (check the id or ref with `qantar list`)")]
    NotFound(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Database(String),
    #[error("the ledger is damaged{}: {what}", seq.map(|s| format!(" at entry {s}")).unwrap_or_default())]
    Corrupt { seq: Option<u64>, what: String },
    #[error("{0}")]
    Archive(String),
    #[error("cannot prove that: {0}")]
    Proof(String),
    #[error("file error at {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Sealing or unsealing failed: wrong passphrase or key file, a damaged
    /// key, a value that does not authenticate. Nothing was changed.
    #[error(transparent)]
    Seal(#[from] qantar_seal::SealError),
    /// A key backup could not be restored. Nothing was changed.
    #[error(transparent)]
    Backup(#[from] qantar_seal::BackupError),
    /// A sealing operation cannot go ahead as asked (the message says why
    /// and what to do). Nothing was changed.
    #[error("{0}")]
    Sealing(String),
    #[error(
        "handler {handler:?} holds no grant for compartment {compartment:?}; a handler of that \
         compartment must grant access (admin and editor roles do not give it)"
    )]
    NoGrant {
        compartment: String,
        handler: String,
    },
    #[error(
        "record {record} was crypto-erased at {erased_at}: its data key is destroyed and its \
         content cannot be opened by anyone, with any key"
    )]
    Erased { record: String, erased_at: String },
}

impl StoreError {
    /// True when the fault is the caller's input (exit code 2), not the archive.
    pub fn is_input(&self) -> bool {
        use qantar_seal::{BackupError as B, SealError as S};
        matches!(
            self,
            StoreError::Input(_)
                | StoreError::NotFound(_)
                | StoreError::Proof(_)
                | StoreError::Sealing(_)
                | StoreError::NoGrant { .. }
                | StoreError::Erased { .. }
                | StoreError::Seal(
                    S::WrongPassphrase { .. }
                        | S::WrongKeyFile { .. }
                        | S::KekMismatch { .. }
                        | S::EmptyPassphrase
                        | S::InvalidName { .. }
                        | S::WrongCompartment { .. }
                )
                | StoreError::Backup(B::WrongPassphrase | B::WrongKeyFile { .. } | B::NeedsKeyFile)
        )
    }
}

/// An entry before it has a place in the ledger.
#[derive(Clone, Debug)]
pub struct Draft {
    pub kind: String,
    pub record: Option<String>,
    pub confidentiality: String,
    pub payload: Value,
    /// The record this draft carries, already checked, so the append need
    /// not parse the payload again. Replays parse it from the entry.
    pub parsed: Option<Box<qantar_model::Record>>,
}

/// Who is writing, and when. Passed in so that nothing deep down reads a clock.
#[derive(Clone, Debug)]
pub struct Stamp {
    pub author: String,
    /// RFC 3339 UTC with milliseconds.
    pub time: String,
}

/// What an append committed.
#[derive(Clone, Debug)]
pub struct Receipt {
    pub first_seq: u64,
    pub size: u64,
    pub root: Hash,
    pub checkpoint: String,
}

/// The store: one database connection, one writer at a time (the
/// database's lock); readers never block the writer.
pub struct Store {
    db: Db,
    /// The tree over the entries committed so far, kept in memory so an
    /// append costs O(log n) and no reads. Reloaded if another process wrote.
    frontier: Option<Frontier>,
}

impl Store {
    /// Create a new, empty SQLite store at `path` (which must not exist).
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        if path.exists() {
            return Err(StoreError::Archive(format!(
                "{} already exists; open it instead of creating it",
                path.display()
            )));
        }
        Self::init(Db::open_sqlite(rusqlite::Connection::open(path)?)?)
    }

    /// An in-memory SQLite store, for tests and scratch replays.
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::init(Db::open_sqlite(rusqlite::Connection::open_in_memory()?)?)
    }

    /// Create a new, empty store in a PostgreSQL database (or in the schema
    /// named by `?schema=` in the URL). Refuses a database that already
    /// holds an archive.
    pub fn create_postgres(url: &str) -> Result<Store, StoreError> {
        let db = Db::open_postgres(url)?;
        let exists = db
            .query_opt(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'ledger_entries'",
                &[],
            )?
            .is_some();
        if exists {
            return Err(StoreError::Archive(format!(
                "{} already holds a qantar archive; open it instead, or name another schema with ?schema=<name>",
                db::redact(url)
            )));
        }
        Self::init(db)
    }

    fn init(db: Db) -> Result<Store, StoreError> {
        for m in schema::migrations(db.backend()) {
            db.batch(m)?;
        }
        db.batch(schema::projection(db.backend()))?;
        db.batch(schema::projection_indexes(db.backend()))?;
        db.batch(linkage::schema(db.backend()))?;
        db.exec(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[Param::Text(&schema::SCHEMA_VERSION.to_string())],
        )?;
        Ok(Store { db, frontier: None })
    }

    /// Open an existing SQLite store.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Archive(format!(
                "no archive database at {}; create one with `qantar init <DIR>`",
                path.display()
            )));
        }
        Self::attach(
            Db::open_sqlite(rusqlite::Connection::open(path)?)?,
            &path.display().to_string(),
        )
    }

    /// Open an existing PostgreSQL store.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        Self::attach(Db::open_postgres(url)?, &db::redact(url))
    }

    /// Open a store by location: a `postgres://` URL or a SQLite file path.
    pub fn open_location(location: &str) -> Result<Store, StoreError> {
        if is_postgres_url(location) {
            Self::open_postgres(location)
        } else {
            Self::open(Path::new(location))
        }
    }

    fn attach(db: Db, name: &str) -> Result<Store, StoreError> {
        let version = db
            .query_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])
            .map_err(|e| {
                StoreError::Archive(format!("{name} is not a qantar archive database: {e}"))
            })?
            .map(|r| r.text(0))
            .transpose()?;
        match version.and_then(|v| v.parse::<i64>().ok()) {
            Some(v) if v == schema::SCHEMA_VERSION => {}
            Some(v) if (1..schema::SCHEMA_VERSION).contains(&v) => upgrade(&db)?,
            Some(v) if v > schema::SCHEMA_VERSION => {
                return Err(StoreError::Archive(format!(
                    "this archive uses schema {v}, newer than this qantar understands ({}); upgrade qantar",
                    schema::SCHEMA_VERSION
                )));
            }
            _ => {
                return Err(StoreError::Archive(format!(
                    "{name} is not a qantar archive database (no schema version)"
                )));
            }
        }
        // The projection is derived: recreate it if someone dropped it.
        db.batch(schema::projection(db.backend()))?;
        db.batch(schema::projection_indexes(db.backend()))?;
        db.batch(linkage::schema(db.backend()))?;
        Ok(Store { db, frontier: None })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.db
            .query_opt("SELECT value FROM meta WHERE key = ?1", &[Param::Text(key)])?
            .map(|r| r.text(0))
            .transpose()
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.db.exec(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[Param::Text(key), Param::Text(value)],
        )?;
        Ok(())
    }

    /// Number of entries in the ledger.
    pub fn size(&self) -> Result<u64, StoreError> {
        size_of(&self.db)
    }

    /// The entry at `seq`.
    pub fn entry(&self, seq: u64) -> Result<Entry, StoreError> {
        let row = self
            .db
            .query_opt(
                "SELECT bytes FROM ledger_entries WHERE seq = ?1",
                &[Param::from(seq)],
            )?
            .ok_or_else(|| StoreError::NotFound(format!("entry {seq}")))?;
        Entry::from_canonical_bytes(row.blob(0)?).map_err(|e| StoreError::Corrupt {
            seq: Some(seq),
            what: e.to_string(),
        })
    }

    /// The raw canonical bytes of entries `[from, to)`, in order, for copying.
    pub fn entry_bytes(
        &self,
        from: u64,
        to: u64,
        mut f: impl FnMut(u64, &[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.db.for_each(
            "SELECT seq, bytes FROM ledger_entries WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
            &[Param::from(from), Param::from(to)],
            |r| f(r.u64(0)?, r.blob(1)?),
        )
    }

    /// Look up the hash of a perfect subtree.
    pub fn node(&self, level: u8, index: u64) -> Result<Hash, StoreError> {
        fetch_node(&self.db, level, index)
    }

    /// Root of the tree over the first `size` entries.
    pub fn root_at(&self, size: u64) -> Result<Hash, StoreError> {
        qantar_ledger::root_at(size, &mut |l, i| self.node(l, i))
    }

    /// Append entries, update the projection and sign a checkpoint of the new
    /// tree, all in one transaction. Either all of it is committed or none.
    ///
    /// Once the archive has a compartment, a confidential record cannot be
    /// written in clear: such drafts are refused here (nothing is written)
    /// and go through [`Store::append_sealed`] instead.
    pub fn append(
        &mut self,
        drafts: Vec<Draft>,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<Receipt, StoreError> {
        self.append_inner(drafts, stamp, signer, origin, None, &mut |_| Ok(()))
    }

    /// The one append path. `keys` seals confidential drafts; `before` runs
    /// inside the transaction first (erasure deletes the key row there, so
    /// the row goes if and only if the tombstone is committed).
    pub(crate) fn append_inner(
        &mut self,
        drafts: Vec<Draft>,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
        keys: Option<&Unlocked>,
        before: &mut dyn FnMut(&Db) -> Result<(), StoreError>,
    ) -> Result<Receipt, StoreError> {
        let tx = self.db.begin_write()?;
        let db = &self.db;
        before(db)?;
        let sealing_on = sealing::enabled(db)?;
        let mut frontier = load_frontier(db, self.frontier.as_ref())?;
        let first_seq = frontier.size();
        for draft in drafts {
            let (payload, parsed) = match sealing::seal_draft(db, sealing_on, keys, &draft)? {
                // The plaintext record must not reach the projection.
                Some(sealed) => (sealed, None),
                None => (draft.payload, draft.parsed),
            };
            let entry = Entry {
                seq: frontier.size(),
                time: stamp.time.clone(),
                author: stamp.author.clone(),
                kind: draft.kind,
                record: draft.record,
                confidentiality: draft.confidentiality,
                payload,
            };
            entry.validate().map_err(|e| {
                StoreError::Archive(format!("refusing to write a malformed entry: {e}"))
            })?;
            let bytes = entry.canonical_bytes();
            db.exec(
                "INSERT INTO ledger_entries (seq, bytes) VALUES (?1, ?2)",
                &[Param::from(entry.seq), Param::Blob(&bytes)],
            )?;
            let mut node_err = None;
            frontier.push(qantar_ledger::leaf_hash(&bytes), |level, idx, hash| {
                if node_err.is_none()
                    && let Err(e) = db.exec(
                        "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?1, ?2, ?3)",
                        &[Param::from(level), Param::from(idx), Param::Blob(&hash[..])],
                    )
                {
                    node_err = Some(e);
                }
            });
            if let Some(e) = node_err {
                return Err(e);
            }
            apply::apply(db, &entry, parsed.map(|b| *b))?;
        }
        let size = frontier.size();
        let root = frontier.root();
        let note = sign(signer, origin, size, root)?;
        db.exec(
            "INSERT INTO checkpoints (tree_size, root, note) VALUES (?1, ?2, ?3)
             ON CONFLICT (tree_size) DO UPDATE SET root = excluded.root, note = excluded.note",
            &[
                Param::from(size),
                Param::Blob(&root[..]),
                Param::Text(&note),
            ],
        )?;
        tx.commit()?;
        self.frontier = Some(frontier);
        Ok(Receipt {
            first_seq,
            size,
            root,
            checkpoint: note,
        })
    }

    /// The newest signed checkpoint, if any: `(tree_size, note)`.
    pub fn latest_checkpoint(&self) -> Result<Option<(u64, String)>, StoreError> {
        self.db
            .query_opt(
                "SELECT tree_size, note FROM checkpoints ORDER BY tree_size DESC LIMIT 1",
                &[],
            )?
            .map(|r| Ok((r.u64(0)?, r.text(1)?)))
            .transpose()
    }

    /// The signed checkpoint of exactly `size` entries, if one was issued.
    pub fn checkpoint_at(&self, size: u64) -> Result<Option<String>, StoreError> {
        self.db
            .query_opt(
                "SELECT note FROM checkpoints WHERE tree_size = ?1",
                &[Param::from(size)],
            )?
            .map(|r| r.text(0))
            .transpose()
    }

    /// Every checkpoint, oldest first: `(tree_size, note)`.
    pub fn checkpoints(&self) -> Result<Vec<(u64, String)>, StoreError> {
        self.db
            .query(
                "SELECT tree_size, note FROM checkpoints ORDER BY tree_size",
                &[],
            )?
            .into_iter()
            .map(|r| Ok((r.u64(0)?, r.text(1)?)))
            .collect()
    }

    /// Sign a checkpoint of the current tree if the newest one is older.
    pub fn sign_checkpoint(
        &mut self,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<(u64, String), StoreError> {
        let size = self.size()?;
        if let Some(note) = self.checkpoint_at(size)? {
            return Ok((size, note));
        }
        let root = self.root_at(size)?;
        let note = sign(signer, origin, size, root)?;
        self.db.exec(
            "INSERT INTO checkpoints (tree_size, root, note) VALUES (?1, ?2, ?3) ON CONFLICT (tree_size) DO NOTHING",
            &[Param::from(size), Param::Blob(&root[..]), Param::Text(&note)],
        )?;
        Ok((size, note))
    }

    /// Audit path for entry `index` in the tree of `size` entries.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, StoreError> {
        qantar_ledger::inclusion_proof(index, size, &mut |l, i| self.node(l, i))
            .map_err(proof_error)
    }

    /// Proof that the tree of `old` entries is a prefix of the tree of `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, StoreError> {
        qantar_ledger::consistency_proof(old, new, &mut |l, i| self.node(l, i)).map_err(proof_error)
    }

    /// Drop the projection and replay every entry into it, in one transaction.
    pub fn rebuild(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        let total = self.size()?;
        let tx = self.db.begin_write()?;
        self.db.batch(schema::DROP_PROJECTION)?;
        self.db.batch(schema::projection(self.db.backend()))?;
        let n = replay(&self.db, &self.db, total, progress)?;
        self.db
            .batch(schema::projection_indexes(self.db.backend()))?;
        tx.commit()?;
        Ok(n)
    }

    /// SHA-256 over every projection row in a fixed order, hex.
    pub fn projection_digest(&self) -> Result<String, StoreError> {
        projection_digest(&self.db)
    }

    /// Copy this store's ledger into `target` (an empty store) entry by entry
    /// with the same bytes, rebuilding its tree and projection and carrying
    /// over every signed checkpoint. Used to move an archive between
    /// backends; `verify` on the copy proves it identical.
    pub fn copy_into(
        &self,
        target: &mut Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, StoreError> {
        if target.size()? != 0 {
            return Err(StoreError::Archive(
                "the target already holds entries; migrate into an empty database".into(),
            ));
        }
        let total = self.size()?;
        let batch = 10_000u64;
        let mut done = 0u64;
        let mut frontier = Frontier::new();
        while done < total {
            let end = (done + batch).min(total);
            let tx = target.db.begin_write()?;
            let tdb = &target.db;
            self.entry_bytes(done, end, |seq, bytes| {
                let entry =
                    Entry::from_canonical_bytes(bytes).map_err(|e| StoreError::Corrupt {
                        seq: Some(seq),
                        what: e.to_string(),
                    })?;
                if entry.seq != frontier.size() {
                    return Err(StoreError::Corrupt {
                        seq: Some(seq),
                        what: "entries are out of sequence; run `qantar verify` on the source"
                            .into(),
                    });
                }
                tdb.exec(
                    "INSERT INTO ledger_entries (seq, bytes) VALUES (?1, ?2)",
                    &[Param::from(seq), Param::Blob(bytes)],
                )?;
                let mut node_err = None;
                frontier.push(qantar_ledger::leaf_hash(bytes), |level, idx, hash| {
                    if node_err.is_none()
                        && let Err(e) = tdb.exec(
                            "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?1, ?2, ?3)",
                            &[Param::from(level), Param::from(idx), Param::Blob(&hash[..])],
                        )
                    {
                        node_err = Some(e);
                    }
                });
                if let Some(e) = node_err {
                    return Err(e);
                }
                apply::apply(tdb, &entry, None)
            })?;
            tx.commit()?;
            done = end;
            progress(done, total);
        }
        let tx = target.db.begin_write()?;
        for (size, note) in self.checkpoints()? {
            let root = self.root_at(size)?;
            target.db.exec(
                "INSERT INTO checkpoints (tree_size, root, note) VALUES (?1, ?2, ?3)",
                &[
                    Param::from(size),
                    Param::Blob(&root[..]),
                    Param::Text(&note),
                ],
            )?;
        }
        if let Some(origin) = self.meta("origin")? {
            target.set_meta("origin", &origin)?;
        }
        sealing::copy_key_tables(&self.db, &target.db)?;
        tx.commit()?;
        target.frontier = None;
        Ok(total)
    }
}

impl Store {
    /// Every table's columns as `(table, column, logical type, in primary
    /// key)`, sorted, with the backend's type names mapped to `integer`,
    /// `text` and `bytes`: the two backends' migrations must agree on it.
    pub fn logical_schema(&self) -> Result<Vec<(String, String, String, bool)>, StoreError> {
        let logical = |t: &str| match t.to_ascii_lowercase().as_str() {
            "integer" | "bigint" => "integer".to_string(),
            "text" => "text".to_string(),
            "blob" | "bytea" => "bytes".to_string(),
            other => other.to_string(),
        };
        let rows = match self.backend() {
            Backend::Sqlite => self.db.query(
                "SELECT m.name, p.name, p.type, p.pk > 0 FROM sqlite_master m, pragma_table_info(m.name) p
                  WHERE m.type = 'table'",
                &[],
            )?,
            Backend::Postgres => self.db.query(
                "SELECT c.table_name::text, c.column_name::text, c.data_type::text,
                        EXISTS (SELECT 1 FROM information_schema.table_constraints t
                                  JOIN information_schema.key_column_usage k
                                    ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema
                                 WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema
                                   AND t.table_name = c.table_name AND k.column_name = c.column_name)
                   FROM information_schema.columns c WHERE c.table_schema = current_schema()",
                &[],
            )?,
        };
        let mut out = rows
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, logical(&r.text(2)?), r.bool(3)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort();
        Ok(out)
    }
}

/// Bring an archive from an older schema up to [`schema::SCHEMA_VERSION`]
/// by applying the migrations it lacks, under the writers' lock and in one
/// transaction (the version is re-read under the lock: another process may
/// have upgraded it meanwhile).
fn upgrade(db: &Db) -> Result<(), StoreError> {
    let tx = db.begin_write()?;
    let applied = db
        .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])?
        .text(0)?
        .parse::<usize>()
        .map_err(|e| StoreError::Corrupt {
            seq: None,
            what: format!("meta.schema_version is not a number: {e}"),
        })?;
    for m in schema::migrations(db.backend()).iter().skip(applied) {
        db.batch(m)?;
    }
    db.exec(
        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
        &[Param::Text(&schema::SCHEMA_VERSION.to_string())],
    )?;
    tx.commit()
}

/// Is this archive location a PostgreSQL URL?
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

fn sign(signer: &NoteSigner, origin: &str, size: u64, root: Hash) -> Result<String, StoreError> {
    let checkpoint = Checkpoint {
        origin: origin.to_string(),
        size,
        root,
        extensions: vec![],
    };
    signer
        .sign(&checkpoint.to_text())
        .map_err(|e| StoreError::Archive(format!("cannot sign the checkpoint: {e}")))
}

fn size_of(db: &Db) -> Result<u64, StoreError> {
    let n = db
        .query_one("SELECT MAX(seq) FROM ledger_entries", &[])?
        .opt_int(0)?;
    Ok(n.map(|n| n as u64 + 1).unwrap_or(0))
}

/// The tree over the committed entries: the cached one if it is still
/// current, otherwise restored from the stored perfect-subtree hashes.
fn load_frontier(db: &Db, cached: Option<&Frontier>) -> Result<Frontier, StoreError> {
    let size = size_of(db)?;
    if let Some(f) = cached
        && f.size() == size
    {
        return Ok(f.clone());
    }
    Frontier::restore(size, &mut |l, i| fetch_node(db, l, i))
}

fn fetch_node(db: &Db, level: u8, index: u64) -> Result<Hash, StoreError> {
    let row = db
        .query_opt(
            "SELECT hash FROM merkle_nodes WHERE level = ?1 AND idx = ?2",
            &[Param::from(level), Param::from(index)],
        )?
        .ok_or_else(|| StoreError::Corrupt {
            seq: None,
            what: format!("Merkle node {level}/{index} is missing"),
        })?;
    row.blob(0)?.try_into().map_err(|_| StoreError::Corrupt {
        seq: None,
        what: format!("Merkle node {level}/{index} is not 32 bytes"),
    })
}

fn proof_error<E: std::fmt::Display>(e: qantar_ledger::ProofRequestError<E>) -> StoreError {
    StoreError::Proof(e.to_string())
}

/// Replay the entries of `source` (in seq order) into the projection reachable
/// through `target`. Returns how many were applied.
pub(crate) fn replay(
    source: &Db,
    target: &Db,
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, StoreError> {
    // PostgreSQL cannot run other statements on a connection while it
    // streams rows, so a replay into the same PostgreSQL database reads in
    // chunks; SQLite streams the whole log.
    let chunked = source.backend() == Backend::Postgres && std::ptr::eq(source, target);
    let chunk: u64 = if chunked { 10_000 } else { i64::MAX as u64 };
    let mut n = 0u64;
    loop {
        let end = n.saturating_add(chunk).min(i64::MAX as u64);
        let mut got = 0u64;
        let mut buffered: Vec<Entry> = Vec::new();
        source.for_each(
            "SELECT seq, bytes FROM ledger_entries WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
            &[Param::from(n), Param::from(end)],
            |r| {
                let seq = r.u64(0)?;
                let entry = Entry::from_bytes_unverified(r.blob(1)?).map_err(|e| StoreError::Corrupt {
                    seq: Some(seq),
                    what: e.to_string(),
                })?;
                let expected = n + got;
                if entry.seq != seq || seq != expected {
                    return Err(StoreError::Corrupt {
                        seq: Some(seq),
                        what: format!(
                            "stored at position {seq} but expected entry {expected}, which says it is {}",
                            entry.seq
                        ),
                    });
                }
                got += 1;
                if chunked {
                    buffered.push(entry);
                } else {
                    apply::apply(target, &entry, None)?;
                    if (expected + 1).is_multiple_of(4096) {
                        progress(expected + 1, total);
                    }
                }
                Ok(())
            },
        )?;
        for entry in buffered {
            apply::apply(target, &entry, None)?;
        }
        n += got;
        progress(n, total);
        if !chunked || got < chunk {
            return Ok(n);
        }
    }
}

pub(crate) fn projection_digest(db: &Db) -> Result<String, StoreError> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (table, order) in schema::projection_tables(db.backend()) {
        h.update(table.as_bytes());
        h.update([0u8]);
        db.for_each(
            &format!("SELECT * FROM {table} ORDER BY {order}"),
            &[],
            |row| {
                for v in &row.0 {
                    digest_value(&mut h, v);
                }
                h.update([0xffu8]);
                Ok(())
            },
        )?;
    }
    Ok(hex::encode(h.finalize()))
}

pub(crate) fn digest_value(h: &mut sha2::Sha256, v: &db::Val) {
    use db::Val;
    use sha2::Digest;
    // Type tag + length prefix: no two different rows can hash alike by
    // shifting bytes between columns.
    let (tag, bytes): (u8, Vec<u8>) = match v {
        Val::Null => (0, vec![]),
        Val::Int(i) => (1, i.to_be_bytes().to_vec()),
        Val::Real(f) => (2, f.to_be_bytes().to_vec()),
        Val::Text(t) => (3, t.as_bytes().to_vec()),
        Val::Blob(b) => (4, b.clone()),
    };
    h.update([tag]);
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(&bytes);
}
