//! The thin layer between the store and its two databases.
//!
//! The store writes its SQL once, with `?1`-style placeholders and the
//! common subset of SQLite and PostgreSQL (`ON CONFLICT`, recursive CTEs,
//! 64-bit integers everywhere). This module runs it on either backend,
//! rewriting placeholders for PostgreSQL and mapping values both ways, so
//! the rest of the store never names a driver. What differs for real (the
//! schema's types, how a writer takes the lock) lives in `schema` and in
//! [`Db::begin_write`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use crate::StoreError;

/// A value bound to a statement.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Param::Text(s)
    }
}
impl<'a> From<&'a String> for Param<'a> {
    fn from(s: &'a String) -> Self {
        Param::Text(s)
    }
}
impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(b: &'a [u8]) -> Self {
        Param::Blob(b)
    }
}
impl From<i64> for Param<'_> {
    fn from(i: i64) -> Self {
        Param::Int(i)
    }
}
impl From<u64> for Param<'_> {
    fn from(i: u64) -> Self {
        Param::Int(i as i64)
    }
}
impl From<u8> for Param<'_> {
    fn from(i: u8) -> Self {
        Param::Int(i as i64)
    }
}
impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(o: Option<T>) -> Self {
        o.map(Into::into).unwrap_or(Param::Null)
    }
}

/// A value read from a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// One result row.
#[derive(Clone, Debug)]
pub struct Row(pub Vec<Val>);

fn wrong(i: usize, want: &str, got: &Val) -> StoreError {
    StoreError::Corrupt {
        seq: None,
        what: format!("column {i} holds {got:?} where {want} was expected"),
    }
}

impl Row {
    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        match &self.0[i] {
            Val::Int(n) => Ok(*n),
            other => Err(wrong(i, "an integer", other)),
        }
    }
    pub fn u64(&self, i: usize) -> Result<u64, StoreError> {
        self.int(i).map(|n| n as u64)
    }
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match &self.0[i] {
            Val::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }
    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        match &self.0[i] {
            Val::Text(s) => Ok(s.clone()),
            other => Err(wrong(i, "text", other)),
        }
    }
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match &self.0[i] {
            Val::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
    pub fn blob(&self, i: usize) -> Result<&[u8], StoreError> {
        match &self.0[i] {
            Val::Blob(b) => Ok(b),
            other => Err(wrong(i, "bytes", other)),
        }
    }
    pub fn opt_blob(&self, i: usize) -> Result<Option<&[u8]>, StoreError> {
        match &self.0[i] {
            Val::Null => Ok(None),
            _ => self.blob(i).map(Some),
        }
    }
    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        self.int(i).map(|n| n != 0)
    }
}

/// Which database an archive lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

// One Db per Store, never in bulk: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres {
        client: RefCell<postgres::Client>,
        statements: RefCell<HashMap<String, postgres::Statement>>,
        /// What to reconnect to if the server drops us between statements.
        url: String,
        schema: Option<String>,
        /// Inside a transaction a lost connection is never retried: the
        /// server rolled it back, and the caller must hear so.
        in_tx: std::cell::Cell<bool>,
    },
}

/// `?12` → `$12`, outside string literals.
fn pg_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            '?' if !in_string => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

/// A PostgreSQL URL may carry `schema=<name>` (ours, not libpq's): the
/// archive then lives in that schema, so one database can hold several.
pub(crate) fn split_schema(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|kv| match kv.strip_prefix("schema=") {
            Some(s) => {
                schema = Some(s.to_string());
                false
            }
            None => true,
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, schema)
}

fn valid_schema(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

fn pg_error(url: &str, e: postgres::Error) -> StoreError {
    StoreError::Database(format!(
        "PostgreSQL at {}: {e}{}",
        redact(url),
        if e.is_closed() {
            " (the connection was lost; check that the server is running and reachable, then run the command again)"
        } else {
            ""
        }
    ))
}

/// Never print a password.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Db {
    pub fn open_sqlite(conn: rusqlite::Connection) -> Result<Db, StoreError> {
        // WAL lets readers (the web server) run beside the writer; FULL makes
        // every commit durable across power loss, not just process death.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MiB of page cache: bulk appends and replays touch the same index
        // pages over and over; the default 2 MiB thrashes past ~100k records.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Db::Sqlite(conn))
    }

    /// Connect to PostgreSQL, retrying a refused connection a few times
    /// (the server may be starting); authentication errors are final.
    pub fn open_postgres(url: &str) -> Result<Db, StoreError> {
        let (conn_url, schema) = split_schema(url);
        if let Some(s) = &schema
            && !valid_schema(s)
        {
            return Err(StoreError::Database(format!(
                "schema {s:?} in the database URL: use lower-case letters, digits and '_' only"
            )));
        }
        let client = connect(&conn_url)?;
        let db = Db::Postgres {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            url: conn_url,
            schema,
            in_tx: std::cell::Cell::new(false),
        };
        db.use_schema()?;
        Ok(db)
    }

    fn use_schema(&self) -> Result<(), StoreError> {
        if let Db::Postgres {
            client,
            schema: Some(s),
            url,
            ..
        } = self
        {
            client
                .borrow_mut()
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s}"
                ))
                .map_err(|e| pg_error(url, e))?;
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Run several statements (schema scripts). No parameters.
    pub fn batch(&self, sql: &str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres { client, url, .. } => self
                .retry_if_lost(|| client.borrow_mut().batch_execute(sql))
                .map_err(|e| pg_error(url, e)),
        }
    }

    /// Outside a transaction a lost PostgreSQL connection is re-made once
    /// and the statement retried: it had not run, or ran alone and atomically.
    fn retry_if_lost<T>(
        &self,
        mut f: impl FnMut() -> Result<T, postgres::Error>,
    ) -> Result<T, postgres::Error> {
        let Db::Postgres {
            client,
            statements,
            url,
            in_tx,
            ..
        } = self
        else {
            return f();
        };
        match f() {
            Err(e) if e.is_closed() && !in_tx.get() => match connect(url) {
                Ok(c) => {
                    *client.borrow_mut() = c;
                    statements.borrow_mut().clear();
                    let _ = self.use_schema();
                    f()
                }
                Err(_) => Err(e),
            },
            other => other,
        }
    }

    pub fn exec(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                for (i, p) in params.iter().enumerate() {
                    bind_sqlite(&mut stmt, i + 1, p)?;
                }
                Ok(stmt.raw_execute()? as u64)
            }
            Db::Postgres { client, url, .. } => {
                let stmt = self.pg_statement(sql)?;
                let args: Vec<PgParam<'_>> = params.iter().map(|p| PgParam(*p)).collect();
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = args
                    .iter()
                    .map(|a| a as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                client
                    .borrow_mut()
                    .execute(&stmt, &refs)
                    .map_err(|e| pg_error(url, e))
            }
        }
    }

    pub fn query(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        self.for_each(sql, params, |r| {
            rows.push(r);
            Ok(())
        })?;
        Ok(rows)
    }

    pub fn query_opt(&self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    pub fn query_one(&self, sql: &str, params: &[Param<'_>]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Corrupt {
                seq: None,
                what: format!("no row from {sql}"),
            })
    }

    /// Stream rows without holding them all: verify and replay read every
    /// entry of logs far larger than memory should hold at once.
    pub fn for_each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut f: impl FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                for (i, p) in params.iter().enumerate() {
                    bind_sqlite(&mut stmt, i + 1, p)?;
                }
                let n = stmt.column_count();
                let mut rows = stmt.raw_query();
                while let Some(r) = rows.next()? {
                    let mut vals = Vec::with_capacity(n);
                    for i in 0..n {
                        vals.push(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => Val::Null,
                            rusqlite::types::ValueRef::Integer(x) => Val::Int(x),
                            rusqlite::types::ValueRef::Real(x) => Val::Real(x),
                            rusqlite::types::ValueRef::Text(t) => {
                                Val::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            rusqlite::types::ValueRef::Blob(b) => Val::Blob(b.to_vec()),
                        });
                    }
                    f(Row(vals))?;
                }
                Ok(())
            }
            Db::Postgres { client, url, .. } => {
                use postgres::fallible_iterator::FallibleIterator;
                let stmt = self.pg_statement(sql)?;
                let args: Vec<PgParam<'_>> = params.iter().map(|p| PgParam(*p)).collect();
                let mut c = client.borrow_mut();
                let mut it = c
                    .query_raw(&stmt, args.iter())
                    .map_err(|e| pg_error(url, e))?;
                while let Some(r) = it.next().map_err(|e| pg_error(url, e))? {
                    f(pg_row(&r).map_err(|e| pg_error(url, e))?)?;
                }
                Ok(())
            }
        }
    }

    fn pg_statement(&self, sql: &str) -> Result<postgres::Statement, StoreError> {
        let Db::Postgres {
            client,
            statements,
            url,
            ..
        } = self
        else {
            unreachable!("only called for PostgreSQL");
        };
        if let Some(s) = statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let text = pg_sql(sql);
        let stmt = self
            .retry_if_lost(|| client.borrow_mut().prepare(&text))
            .map_err(|e| pg_error(url, e))?;
        statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    /// Deleted or replaced key-table rows must not linger in free space:
    /// SQLite's `secure_delete` zeroes freed content while it is on. It is
    /// switched on only around key-table writes, since zeroing every page of
    /// a dropped projection on each rebuild would be wasted work.
    pub(crate) fn secure_delete(&self, on: bool) -> Result<(), StoreError> {
        if let Db::Sqlite(c) = self {
            c.pragma_update(None, "secure_delete", if on { "ON" } else { "OFF" })?;
        }
        Ok(())
    }

    /// After key rows were deleted or replaced (erasure, rotation), push the
    /// zeroed pages out of the write-ahead log into the database file and
    /// empty the log (SQLite), or rewrite the key table so dead row versions
    /// leave it (PostgreSQL). Best effort: a busy reader can delay SQLite's
    /// checkpoint, and PostgreSQL's own WAL and backups are out of reach.
    pub(crate) fn scrub_key_tables(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => {
                c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
                Ok(())
            }
            // One statement per call: several in one simple query make an
            // implicit transaction, where VACUUM may not run.
            Db::Postgres { .. } => {
                self.batch("VACUUM FULL record_keys")?;
                self.batch("VACUUM FULL grants")
            }
        }
    }

    /// Begin the one write transaction that appends: it takes the writers'
    /// lock first, so appends from several processes serialise and each
    /// reads the tree size only once it is alone.
    pub fn begin_write(&self) -> Result<Tx<'_>, StoreError> {
        match self {
            Db::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE")?,
            Db::Postgres { in_tx, .. } => {
                self.batch("BEGIN")?;
                in_tx.set(true);
                if let Err(e) = self.batch("LOCK TABLE ledger_entries IN EXCLUSIVE MODE") {
                    let _ = self.batch("ROLLBACK");
                    in_tx.set(false);
                    return Err(e);
                }
            }
        }
        Ok(Tx {
            db: self,
            done: false,
        })
    }
}

/// The PostgreSQL server the test suites use: `QANTAR_TEST_PG_URL`, or the
/// local server with trust authentication and a database `test`. `None`
/// (with the reason) when it cannot be reached, so suites can skip plainly.
pub fn test_postgres_url() -> Result<String, String> {
    let url = std::env::var("QANTAR_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let mut config: postgres::Config = url.parse().map_err(|e| format!("{url}: {e}"))?;
    config.connect_timeout(Duration::from_secs(3));
    match config.connect(postgres::NoTls) {
        Ok(_) => Ok(url),
        Err(e) => Err(format!(
            "cannot reach PostgreSQL at {} ({e}); set QANTAR_TEST_PG_URL to run these tests",
            redact(&url)
        )),
    }
}

/// A fresh, uniquely named schema URL on the test server, dropped (with
/// everything in it) when the guard goes.
pub struct ScratchSchema {
    pub url: String,
    base: String,
    name: String,
}

impl ScratchSchema {
    pub fn new(base_url: &str, tag: &str) -> ScratchSchema {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "qt_{tag}_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let sep = if base_url.contains('?') { '&' } else { '?' };
        ScratchSchema {
            url: format!("{base_url}{sep}schema={name}"),
            base: base_url.to_string(),
            name,
        }
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// TLS for PostgreSQL: rustls with ring and the Mozilla root certificates
/// built in; certificates are always verified (stricter than libpq, whose
/// `require` does not check them).
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Database(format!("cannot set up TLS for PostgreSQL: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// One connection attempt, as the URL's `sslmode` asks: `disable` is plain;
/// `require` (and `verify-*`) is verified TLS or nothing; `prefer` (the
/// default) is verified TLS when it can be had, else plain, as libpq's
/// `prefer` is (a local server with a self-signed certificate stays usable).
fn connect_once(
    url: &str,
    tls: &tokio_postgres_rustls::MakeRustlsConnect,
) -> Result<postgres::Client, postgres::Error> {
    use postgres::config::SslMode;
    let config: postgres::Config = url.parse()?;
    match config.get_ssl_mode() {
        SslMode::Disable => config.connect(postgres::NoTls),
        SslMode::Prefer => match config.connect(tls.clone()) {
            Ok(c) => Ok(c),
            Err(e) if e.as_db_error().is_none() => {
                let mut plain = config.clone();
                plain.ssl_mode(SslMode::Disable);
                plain.connect(postgres::NoTls)
            }
            Err(e) => Err(e),
        },
        _ => config.connect(tls.clone()),
    }
}

fn connect(url: &str) -> Result<postgres::Client, StoreError> {
    let mut last = None;
    let tls = tls()?;
    for attempt in 0..4 {
        match connect_once(url, &tls) {
            Ok(c) => return Ok(c),
            Err(e) => {
                // Only a connection that never opened is worth retrying.
                let retry = e.as_db_error().is_none();
                last = Some(e);
                if !retry {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200 << attempt));
            }
        }
    }
    Err(StoreError::Database(format!(
        "cannot connect to PostgreSQL at {}: {}. Check the URL, that the server runs, and that this user may log in.",
        redact(url),
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// A write transaction; rolled back unless committed.
pub(crate) struct Tx<'a> {
    db: &'a Db,
    done: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.done = true;
        let r = self.db.batch("COMMIT");
        self.db.leave_tx();
        r
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.db.batch("ROLLBACK");
            self.db.leave_tx();
        }
    }
}

impl Db {
    fn leave_tx(&self) {
        if let Db::Postgres { in_tx, .. } = self {
            in_tx.set(false);
        }
    }
}

fn bind_sqlite(
    stmt: &mut rusqlite::CachedStatement<'_>,
    i: usize,
    p: &Param<'_>,
) -> Result<(), StoreError> {
    match p {
        Param::Null => stmt.raw_bind_parameter(i, rusqlite::types::Null)?,
        Param::Int(n) => stmt.raw_bind_parameter(i, n)?,
        Param::Text(s) => stmt.raw_bind_parameter(i, s)?,
        Param::Blob(b) => stmt.raw_bind_parameter(i, b)?,
    }
    Ok(())
}

#[derive(Debug)]
struct PgParam<'a>(Param<'a>);

impl postgres::types::ToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Param::Null => Ok(postgres::types::IsNull::Yes),
            Param::Int(n) => n.to_sql(ty, out),
            Param::Text(s) => s.to_sql(ty, out),
            Param::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_ty: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn pg_row(r: &postgres::Row) -> Result<Row, postgres::Error> {
    use postgres::types::Type;
    let mut vals = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let t = col.type_();
        let v = if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i)?.map(Val::Int)
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)?.map(|n| Val::Int(n as i64))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)?.map(|n| Val::Int(n as i64))
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i)?.map(|b| Val::Int(b as i64))
        } else if *t == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i)?.map(Val::Real)
        } else if *t == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i)?.map(Val::Blob)
        } else {
            r.try_get::<_, Option<String>>(i)?.map(Val::Text)
        };
        vals.push(v.unwrap_or(Val::Null));
    }
    Ok(Row(vals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_strings_only() {
        assert_eq!(pg_sql("SELECT ?1, '?', ?12"), "SELECT $1, '?', $12");
    }

    #[test]
    fn schema_is_taken_out_of_the_url_and_passwords_are_hidden() {
        assert_eq!(
            split_schema("postgres://u@h/db?schema=kz2022&sslmode=disable"),
            (
                "postgres://u@h/db?sslmode=disable".to_string(),
                Some("kz2022".to_string())
            )
        );
        assert_eq!(
            split_schema("postgres://u@h/db"),
            ("postgres://u@h/db".to_string(), None)
        );
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert!(!valid_schema("x; DROP TABLE y"));
    }
}
