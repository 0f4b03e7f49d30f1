//! The schema, per backend. The ledger tables are the truth and are created
//! by numbered migrations; the projection tables are derived and can be
//! dropped and rebuilt at any time (`qantar rebuild`).

use crate::db::Backend;

/// The numbered migrations, in order. `meta.schema_version` holds how many
/// have been applied; `open` applies the missing ones and refuses archives
/// from a newer qantar.
pub fn migrations(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &[
            include_str!("../migrations/sqlite/0001_ledger.sql"),
            include_str!("../migrations/sqlite/0002_keys.sql"),
        ],
        Backend::Postgres => &[
            include_str!("../migrations/postgres/0001_ledger.sql"),
            include_str!("../migrations/postgres/0002_keys.sql"),
        ],
    }
}

/// 1: the ledger. 2: the key tables of sealed records (`0002_keys.sql`).
pub const SCHEMA_VERSION: i64 = 2;

/// The projection's tables (with their primary keys and unique `ref`).
pub fn projection(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/projection.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/projection.sql"),
    }
}

/// The projection's secondary indexes, for queries; a replay creates them
/// after loading, and a scratch replay for `verify --full` not at all.
pub fn projection_indexes(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/projection_indexes.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/projection_indexes.sql"),
    }
}

/// Projection tables in the order the digest covers them, with the ORDER BY
/// that makes the digest independent of insertion order and of the backend
/// (`COLLATE "C"` on PostgreSQL compares bytes, as SQLite does).
pub fn projection_tables(backend: Backend) -> [(&'static str, &'static str); 4] {
    match backend {
        Backend::Sqlite => [
            ("records", "id"),
            ("record_entries", "record, seq"),
            ("record_links", "from_id, field, to_id"),
            ("attachments", "record, n"),
        ],
        Backend::Postgres => [
            ("records", "id COLLATE \"C\""),
            ("record_entries", "record COLLATE \"C\", seq"),
            (
                "record_links",
                "from_id COLLATE \"C\", field COLLATE \"C\", to_id COLLATE \"C\"",
            ),
            ("attachments", "record COLLATE \"C\", n"),
        ],
    }
}

pub const DROP_PROJECTION: &str = "
DROP INDEX IF EXISTS records_kind;
DROP INDEX IF EXISTS records_place;
DROP INDEX IF EXISTS records_parent;
DROP INDEX IF EXISTS record_links_to;
DROP TABLE IF EXISTS attachments;
DROP TABLE IF EXISTS record_links;
DROP TABLE IF EXISTS record_entries;
DROP TABLE IF EXISTS records;
";
