-- The ledger: the truth. Rows are only ever inserted.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per entry: its canonical bytes. seq is the Merkle leaf index.
CREATE TABLE IF NOT EXISTS ledger_entries (
    seq   BIGINT PRIMARY KEY,
    bytes BYTEA NOT NULL
);

-- Hashes of every perfect subtree of the RFC 9162 tree (level 0 = leaf
-- hashes), so that a proof needs O(log n) lookups, not a rehash of the log.
CREATE TABLE IF NOT EXISTS merkle_nodes (
    level BIGINT NOT NULL,
    idx   BIGINT NOT NULL,
    hash  BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Every signed checkpoint the archive ever issued, as the full signed note.
CREATE TABLE IF NOT EXISTS checkpoints (
    tree_size BIGINT PRIMARY KEY,
    root      BYTEA NOT NULL,
    note      TEXT NOT NULL
);
