//! Where a qantar archive's ledger and projection live.
//!
//! The [`Store`] keeps two things in one SQLite database: the **ledger** (the
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
//! Boundaries: no domain rules live here beyond reference checks (they are in
//! `qantar-model`), and no tree maths (that is `qantar-ledger`). Nothing here
//! prints; long operations report progress through callbacks.

pub mod apply;
pub mod archive;
pub mod command;
pub mod query;
mod schema;
pub mod verify;

use std::path::Path;

use qantar_ledger::{Checkpoint, Entry, Frontier, Hash, NoteSigner};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

pub use archive::{Archive, ArchiveConfig};
pub use command::{InputError, InputErrors};
pub use query::{Filter, StoredRecord};
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
}

impl StoreError {
    /// True when the fault is the caller's input (exit code 2), not the archive.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            StoreError::Input(_) | StoreError::NotFound(_) | StoreError::Proof(_)
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

/// The SQLite store. One writer at a time (SQLite's lock); readers never block.
pub struct Store {
    conn: Connection,
    /// The tree over the entries committed so far, kept in memory so an
    /// append costs O(log n) and no reads. Reloaded if another process wrote.
    frontier: Option<Frontier>,
}

impl Store {
    /// Create a new, empty store at `path` (which must not exist).
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        if path.exists() {
            return Err(StoreError::Archive(format!(
                "{} already exists; open it instead of creating it",
                path.display()
            )));
        }
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// An in-memory store, for tests and scratch replays.
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        configure(&conn)?;
        conn.execute_batch(schema::LEDGER)?;
        conn.execute_batch(schema::PROJECTION)?;
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1)",
            [schema::SCHEMA_VERSION.to_string()],
        )?;
        Ok(Store {
            conn,
            frontier: None,
        })
    }

    /// Open an existing store.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Archive(format!(
                "no archive database at {}; create one with `qantar init <DIR>`",
                path.display()
            )));
        }
        let conn = Connection::open(path)?;
        configure(&conn)?;
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| {
                StoreError::Archive(format!(
                    "{} is not a qantar archive database: {e}",
                    path.display()
                ))
            })?;
        match version.and_then(|v| v.parse::<i64>().ok()) {
            Some(v) if v == schema::SCHEMA_VERSION => {}
            Some(v) if v > schema::SCHEMA_VERSION => {
                return Err(StoreError::Archive(format!(
                    "this archive uses schema {v}, newer than this qantar understands ({}); upgrade qantar",
                    schema::SCHEMA_VERSION
                )));
            }
            _ => {
                return Err(StoreError::Archive(format!(
                    "{} is not a qantar archive database (no schema version)",
                    path.display()
                )));
            }
        }
        // The projection is derived: recreate it if someone dropped it.
        conn.execute_batch(schema::PROJECTION)?;
        Ok(Store {
            conn,
            frontier: None,
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    /// Number of entries in the ledger.
    pub fn size(&self) -> Result<u64, StoreError> {
        let n: Option<i64> =
            self.conn
                .query_row("SELECT MAX(seq) FROM ledger_entries", [], |r| r.get(0))?;
        Ok(n.map(|n| n as u64 + 1).unwrap_or(0))
    }

    /// The entry at `seq`.
    pub fn entry(&self, seq: u64) -> Result<Entry, StoreError> {
        let bytes: Vec<u8> = self
            .conn
            .query_row(
                "SELECT bytes FROM ledger_entries WHERE seq = ?1",
                [seq as i64],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("entry {seq}")))?;
        Entry::from_canonical_bytes(&bytes).map_err(|e| StoreError::Corrupt {
            seq: Some(seq),
            what: e.to_string(),
        })
    }

    /// Look up the hash of a perfect subtree.
    pub fn node(&self, level: u8, index: u64) -> Result<Hash, StoreError> {
        fetch_node(&self.conn, level, index)
    }

    /// Root of the tree over the first `size` entries.
    pub fn root_at(&self, size: u64) -> Result<Hash, StoreError> {
        qantar_ledger::root_at(size, &mut |l, i| self.node(l, i))
    }

    /// Append entries, update the projection and sign a checkpoint of the new
    /// tree, all in one transaction. Either all of it is committed or none.
    pub fn append(
        &mut self,
        drafts: Vec<Draft>,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<Receipt, StoreError> {
        // IMMEDIATE takes the write lock before we read the tree size, so two
        // processes appending at once are serialised, never interleaved.
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let mut frontier = load_frontier(&tx, self.frontier.as_ref())?;
        let first_seq = frontier.size();
        {
            let mut put_entry =
                tx.prepare_cached("INSERT INTO ledger_entries (seq, bytes) VALUES (?1, ?2)")?;
            let mut put_node = tx.prepare_cached(
                "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?1, ?2, ?3)",
            )?;
            for draft in drafts {
                let parsed = draft.parsed;
                let entry = Entry {
                    seq: frontier.size(),
                    time: stamp.time.clone(),
                    author: stamp.author.clone(),
                    kind: draft.kind,
                    record: draft.record,
                    confidentiality: draft.confidentiality,
                    payload: draft.payload,
                };
                entry.validate().map_err(|e| {
                    StoreError::Archive(format!("refusing to write a malformed entry: {e}"))
                })?;
                let bytes = entry.canonical_bytes();
                put_entry.execute(params![entry.seq as i64, bytes])?;
                let mut node_err = None;
                frontier.push(qantar_ledger::leaf_hash(&bytes), |level, idx, hash| {
                    if node_err.is_none()
                        && let Err(e) = put_node.execute(params![level, idx as i64, &hash[..]])
                    {
                        node_err = Some(e);
                    }
                });
                if let Some(e) = node_err {
                    return Err(e.into());
                }
                apply::apply(&tx, &entry, parsed.map(|b| *b))?;
            }
        }
        let size = frontier.size();
        let root = frontier.root();
        let checkpoint = Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions: vec![],
        };
        let note = signer
            .sign(&checkpoint.to_text())
            .map_err(|e| StoreError::Archive(format!("cannot sign the checkpoint: {e}")))?;
        tx.execute(
            "INSERT OR REPLACE INTO checkpoints (tree_size, root, note) VALUES (?1, ?2, ?3)",
            params![size as i64, &root[..], note],
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
        Ok(self
            .conn
            .query_row(
                "SELECT tree_size, note FROM checkpoints ORDER BY tree_size DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .optional()?)
    }

    /// The signed checkpoint of exactly `size` entries, if one was issued.
    pub fn checkpoint_at(&self, size: u64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT note FROM checkpoints WHERE tree_size = ?1",
                [size as i64],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn checkpoint_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM checkpoints", [], |r| r.get(0))?;
        Ok(n as u64)
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
        let checkpoint = Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions: vec![],
        };
        let note = signer
            .sign(&checkpoint.to_text())
            .map_err(|e| StoreError::Archive(format!("cannot sign the checkpoint: {e}")))?;
        self.conn.execute(
            "INSERT OR REPLACE INTO checkpoints (tree_size, root, note) VALUES (?1, ?2, ?3)",
            params![size as i64, &root[..], note],
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
        let tx = self.conn.unchecked_transaction()?;
        tx.execute_batch(schema::DROP_PROJECTION)?;
        tx.execute_batch(schema::PROJECTION)?;
        let n = replay(&self.conn, &tx, total, progress)?;
        tx.commit()?;
        Ok(n)
    }

    /// SHA-256 over every projection row in a fixed order, hex.
    pub fn projection_digest(&self) -> Result<String, StoreError> {
        projection_digest(&self.conn)
    }
}

/// The tree over the committed entries: the cached one if it is still
/// current, otherwise restored from the stored perfect-subtree hashes.
fn load_frontier(conn: &Connection, cached: Option<&Frontier>) -> Result<Frontier, StoreError> {
    let size: Option<i64> =
        conn.query_row("SELECT MAX(seq) FROM ledger_entries", [], |r| r.get(0))?;
    let size = size.map(|n| n as u64 + 1).unwrap_or(0);
    if let Some(f) = cached
        && f.size() == size
    {
        return Ok(f.clone());
    }
    Frontier::restore(size, &mut |l, i| fetch_node(conn, l, i))
}

fn fetch_node(conn: &Connection, level: u8, index: u64) -> Result<Hash, StoreError> {
    let h: Vec<u8> = conn
        .prepare_cached("SELECT hash FROM merkle_nodes WHERE level = ?1 AND idx = ?2")?
        .query_row(params![level, index as i64], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Corrupt {
            seq: None,
            what: format!("Merkle node {level}/{index} is missing"),
        })?;
    h.try_into().map_err(|_| StoreError::Corrupt {
        seq: None,
        what: format!("Merkle node {level}/{index} is not 32 bytes"),
    })
}

fn proof_error<E: std::fmt::Display>(e: qantar_ledger::ProofRequestError<E>) -> StoreError {
    StoreError::Proof(e.to_string())
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    // WAL lets readers (the web server) run beside the writer; FULL makes
    // every commit durable across power loss, not just process death.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 64 MiB of page cache: bulk appends and replays touch the same index
    // pages over and over; the default 2 MiB thrashes past ~100k records.
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    Ok(())
}

/// Replay the entries of `source` (in seq order) into the projection reachable
/// through `target`. Returns how many were applied.
pub(crate) fn replay(
    source: &Connection,
    target: &Connection,
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, StoreError> {
    let mut stmt = source.prepare("SELECT seq, bytes FROM ledger_entries ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let bytes: Vec<u8> = row.get(1)?;
        let entry = Entry::from_canonical_bytes(&bytes).map_err(|e| StoreError::Corrupt {
            seq: Some(seq as u64),
            what: e.to_string(),
        })?;
        if entry.seq != seq as u64 || seq as u64 != n {
            return Err(StoreError::Corrupt {
                seq: Some(seq as u64),
                what: format!(
                    "stored at position {seq} but expected entry {n}, which says it is {}",
                    entry.seq
                ),
            });
        }
        apply::apply(target, &entry, None)?;
        n += 1;
        if n.is_multiple_of(4096) {
            progress(n, total);
        }
    }
    progress(n, total);
    Ok(n)
}

pub(crate) fn projection_digest(conn: &Connection) -> Result<String, StoreError> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (table, order) in schema::PROJECTION_TABLES {
        h.update(table.as_bytes());
        h.update([0u8]);
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))?;
        let cols = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..cols {
                digest_value(&mut h, row.get_ref(i)?);
            }
            h.update([0xffu8]);
        }
    }
    Ok(hex::encode(h.finalize()))
}

fn digest_value(h: &mut sha2::Sha256, v: rusqlite::types::ValueRef<'_>) {
    use rusqlite::types::ValueRef;
    use sha2::Digest;
    // Type tag + length prefix: no two different rows can hash alike by
    // shifting bytes between columns.
    let (tag, bytes): (u8, Vec<u8>) = match v {
        ValueRef::Null => (0, vec![]),
        ValueRef::Integer(i) => (1, i.to_be_bytes().to_vec()),
        ValueRef::Real(f) => (2, f.to_be_bytes().to_vec()),
        ValueRef::Text(t) => (3, t.to_vec()),
        ValueRef::Blob(b) => (4, b.to_vec()),
    };
    h.update([tag]);
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(&bytes);
}
