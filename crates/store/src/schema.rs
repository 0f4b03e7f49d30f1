//! The SQLite schema. The ledger tables are the truth; the projection tables
//! are derived and can be dropped and rebuilt at any time (`qantar rebuild`).

/// Bumped when the schema changes; `open` refuses archives from the future.
pub const SCHEMA_VERSION: i64 = 1;

/// Tables that hold the ledger itself. Never dropped, never updated in place.
pub const LEDGER: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per entry: its canonical bytes. seq is the Merkle leaf index.
CREATE TABLE IF NOT EXISTS ledger_entries (
    seq   INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
);

-- Hashes of every perfect subtree of the RFC 9162 tree (level 0 = leaf hashes),
-- so that proofs need O(log n) lookups instead of rehashing the log.
CREATE TABLE IF NOT EXISTS merkle_nodes (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Every signed checkpoint the archive ever issued, as the full signed note.
CREATE TABLE IF NOT EXISTS checkpoints (
    tree_size INTEGER PRIMARY KEY,
    root      BLOB NOT NULL,
    note      TEXT NOT NULL
);
"#;

/// The projection: plain tables tuned for queries, rebuilt from the ledger.
pub const PROJECTION: &str = r#"
CREATE TABLE IF NOT EXISTS records (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    ref             TEXT UNIQUE,
    confidentiality TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_seq     INTEGER NOT NULL,
    updated_seq     INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    retracted       INTEGER NOT NULL DEFAULT 0,
    retract_reason  TEXT,
    label           TEXT NOT NULL,
    place           TEXT,
    parent          TEXT,
    date_lo         TEXT,
    date_hi         TEXT,
    act_type        TEXT,
    status          TEXT,
    type_term       TEXT,
    data            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, date_lo);
CREATE INDEX IF NOT EXISTS records_place ON records (place);
CREATE INDEX IF NOT EXISTS records_parent ON records (parent);

-- Every entry that touched a record, in order: the record's history.
CREATE TABLE IF NOT EXISTS record_entries (
    record TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (record, seq)
) WITHOUT ROWID;

-- Every reference from one record to another (current version only), so that
-- "what cites this source" and "acts against this person" are index lookups.
CREATE TABLE IF NOT EXISTS record_links (
    from_id TEXT NOT NULL,
    field   TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    PRIMARY KEY (from_id, field, to_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_links_to ON record_links (to_id);
"#;

/// Projection tables in the order the digest covers them, with the ORDER BY
/// that makes the digest independent of insertion order.
pub const PROJECTION_TABLES: &[(&str, &str)] = &[
    ("records", "id"),
    ("record_entries", "record, seq"),
    ("record_links", "from_id, field, to_id"),
];

pub const DROP_PROJECTION: &str = r#"
DROP TABLE IF EXISTS record_links;
DROP TABLE IF EXISTS record_entries;
DROP TABLE IF EXISTS records;
"#;
