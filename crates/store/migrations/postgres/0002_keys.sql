-- Key tables for sealed (confidential) records, issue 6. They sit beside
-- the ledger but are NOT ledger tables and NOT part of the projection or its
-- digest: rows here must be replaceable (key rotation re-wraps every data
-- key) and deletable (crypto-erasure destroys a record's data key), which
-- the append-only ledger forbids. They hold only wrapped keys: nothing in
-- them opens without a handler's passphrase or key file.

-- One row per compartment; `fingerprint` names the current key generation,
-- so a grant or key backup of an older generation is told apart.
CREATE TABLE IF NOT EXISTS compartments (
    name        TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);

-- The compartment key wrapped for one named handler (qantar_seal::Grant).
CREATE TABLE IF NOT EXISTS grants (
    compartment TEXT NOT NULL,
    handler     TEXT NOT NULL,
    grant_json  TEXT NOT NULL,
    PRIMARY KEY (compartment, handler)
);

-- Each sealed record's data key wrapped under its compartment's key
-- (qantar_seal::WrappedDataKey). Erasure deletes the row.
CREATE TABLE IF NOT EXISTS record_keys (
    record       TEXT PRIMARY KEY,
    compartment  TEXT NOT NULL,
    wrapped_json TEXT NOT NULL
);
