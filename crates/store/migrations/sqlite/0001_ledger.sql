-- The ledger: the truth. Rows are only ever inserted.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per entry: its canonical bytes. seq is the Merkle leaf index.
CREATE TABLE IF NOT EXISTS ledger_entries (
    seq   INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
);

-- Hashes of every perfect subtree of the RFC 9162 tree (level 0 = leaf
-- hashes), so that a proof needs O(log n) lookups, not a rehash of the log.
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
