-- The projection: derived from the ledger, dropped and rebuilt at will.
CREATE TABLE IF NOT EXISTS records (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    ref             TEXT UNIQUE,
    confidentiality TEXT NOT NULL,
    version         BIGINT NOT NULL,
    created_seq     BIGINT NOT NULL,
    updated_seq     BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    retracted       BIGINT NOT NULL DEFAULT 0,
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

-- Every entry that touched a record, in order: the record's history.
CREATE TABLE IF NOT EXISTS record_entries (
    record TEXT NOT NULL,
    seq    BIGINT NOT NULL,
    PRIMARY KEY (record, seq)
);

-- Every reference from one record to another (current version only).
CREATE TABLE IF NOT EXISTS record_links (
    from_id TEXT NOT NULL,
    field   TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    PRIMARY KEY (from_id, field, to_id)
);

-- Files attached to records (`evidence.attached` entries; see
-- crates/store/src/evidence.rs). For a sealed record only the number, the
-- ledger entry and the ciphertext blob are known: sha256, media_type and
-- name are NULL. public_blob is the stripped copy, if one was made.
CREATE TABLE IF NOT EXISTS attachments (
    record      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    sealed      BIGINT NOT NULL,
    blob        TEXT NOT NULL,
    stored_size BIGINT NOT NULL,
    sha256      TEXT,
    media_type  TEXT,
    name        TEXT,
    public_blob TEXT,
    PRIMARY KEY (record, n)
);
