-- The latest record linkage (`qantar link`): which list entries and persons
-- are one person. It is derived from the ledger (list entries, persons and
-- the reviewers' link decisions, which are ledger records) by a seeded,
-- deterministic run, so it is kept beside the projection but outside its
-- digest, survives `rebuild`, and is replaced whole by the next run.
CREATE TABLE IF NOT EXISTS link_runs (
    run         INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    ledger_size INTEGER NOT NULL,
    summary     TEXT NOT NULL
);

-- Candidate pairs at or above the run's review floor, with the model's
-- weight and probability (as text: shortest round-trip decimal), the
-- reviewer's decision if there is one, and the explanation (JSON).
CREATE TABLE IF NOT EXISTS link_pairs (
    left_id     TEXT NOT NULL,
    right_id    TEXT NOT NULL,
    weight      TEXT NOT NULL,
    probability TEXT NOT NULL,
    decision    TEXT,
    explanation TEXT NOT NULL,
    PRIMARY KEY (left_id, right_id)
);

-- Each linked record and the person it belongs to: the id of a person
-- record in its cluster, or else the cluster's first list entry.
CREATE TABLE IF NOT EXISTS link_members (
    record TEXT PRIMARY KEY,
    person TEXT NOT NULL
);
