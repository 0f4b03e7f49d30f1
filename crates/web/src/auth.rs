//! Accounts, sessions, API tokens and the first-administrator link.
//!
//! None of this is ledger material: who may log in is operational state, not
//! part of the record of what happened, so it lives in a small SQLite file of
//! its own, `<archive>/web.sqlite`, beside the archive's database. Passwords
//! are stored as Argon2id PHC strings. Session ids, API tokens and setup
//! links are 32 random bytes shown to their holder once and stored only as
//! SHA-256 hashes, so a copy of `web.sqlite` lets no one in. The CSRF token
//! of a session is derived from its secret (so it needs no storage and dies
//! with the session).
//!
//! The second factor is TOTP ([`crate::totp`]), mandatory for administrators
//! and for accounts flagged as handlers: after the right password such an
//! account gets a session that can only enrol (or, once enrolled, only
//! give its code), and the full session is a new one. TOTP secrets must be
//! kept in clear to compute codes, so unlike passwords they are only as safe
//! as the server that holds `web.sqlite`; sealing them under a server key is
//! future work. The last step each account used is remembered, so a code
//! works once.
//!
//! Sessions end after [`IDLE_SECONDS`] without a request and after
//! [`SESSION_SECONDS`] whatever happens; an expired session is deleted when
//! it is next presented. Each remembers when its holder last gave the
//! password (and code): routes the policy marks as needing recent
//! authentication ask again after [`RECENT_AUTH_SECONDS`]. There is no
//! in-memory session cache: every request reads this file, so a lock
//! ([`Accounts::lock`], from the workspace or `qantar lock`) takes effect
//! on the next request of a running server.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::totp;

/// The file beside the archive that holds accounts, sessions and tokens.
pub const ACCOUNTS_FILE: &str = "web.sqlite";

/// The absolute lifetime of a session: after this long its holder logs in
/// again, however active. A working day with margin.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// A session unused for this long has expired: a workstation left open
/// is not a way in for long.
pub const IDLE_SECONDS: i64 = 30 * 60;

/// How long ago the password (and code) may have been given for routes that
/// need recent authentication (exports, unsealing).
pub const RECENT_AUTH_SECONDS: i64 = 5 * 60;

/// How long a session waiting for its TOTP code (the password was right)
/// may wait.
pub const CODE_STEP_SECONDS: i64 = 5 * 60;

/// A session's last use is written at most this often, so reading a page
/// is not a write every time; the idle timeout is exact to within this.
pub const TOUCH_SECONDS: i64 = 30;

/// How long a first-administrator link stays valid.
pub const SETUP_SECONDS: i64 = 24 * 3600;

/// Where the time comes from: Unix seconds. Tests inject their own.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// A documenter's role. Each role can do everything the one before it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads public and restricted records in the workspace.
    Viewer,
    /// Also reads confidential records and the ledger's status.
    Analyst,
    /// Also records, amends, retracts and changes confidentiality.
    Editor,
    /// Also manages accounts and API tokens.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Analyst, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may read a record of this confidentiality. A
    /// record the role may not read is answered exactly like a missing one.
    pub fn can_read(self, confidentiality: &str) -> bool {
        match confidentiality {
            "public" | "restricted" => true,
            _ => self >= Role::Analyst,
        }
    }
}

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("account name {0:?} is not allowed: use 1–64 letters, digits, '.', '_' or '-'")]
    BadName(String),
    #[error("the password for {0:?} is too short: use at least 10 characters")]
    WeakPassword(String),
    #[error("an account named {0:?} already exists; choose another name")]
    Exists(String),
    #[error("there is no account named {0:?}; list accounts on /workspace/accounts")]
    NoAccount(String),
    #[error("accounts database {path}: {source}")]
    Db {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// The accounts database of one archive. Opens a connection per use:
/// SQLite opens in microseconds, and a connection per request needs no pool.
#[derive(Clone)]
pub struct Accounts {
    path: PathBuf,
    clock: Clock,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("path", &self.path)
            .finish()
    }
}

/// A logged-in session as the server sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub account: String,
    pub role: Role,
}

/// How far a session has got through logging in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Password (and code, when enrolled) given: the role's rights apply.
    Full,
    /// The password was right; the TOTP code is awaited.
    Code,
    /// The password was right, and the account must enrol a second factor
    /// before it may do anything else.
    Enrol,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Code => "code",
            Stage::Enrol => "enrol",
        }
    }

    fn parse(s: &str) -> Option<Stage> {
        [Stage::Full, Stage::Code, Stage::Enrol]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A live session with what the workspace needs to decide on a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub session: Session,
    pub stage: Stage,
    /// When the password (and code) were last given, Unix seconds.
    pub fresh: i64,
    /// Whether the account has a second factor.
    pub totp: bool,
    /// Whether the account is flagged as a handler of sealed material.
    pub handler: bool,
}

/// An account as listed on the admin page.
#[derive(Clone, Debug)]
pub struct AccountInfo {
    pub name: String,
    pub role: Role,
    pub created: i64,
    /// Handlers hold sealed material and need a second factor.
    pub handler: bool,
    /// Whether a TOTP second factor is enrolled.
    pub totp: bool,
}

/// What a lock ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locked {
    pub sessions: usize,
    pub tokens: usize,
    /// The lock generation after this lock.
    pub generation: i64,
}

/// Whether an account must have a second factor.
pub fn needs_totp(role: Role, handler: bool) -> bool {
    role == Role::Admin || handler
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// 32 random bytes as 64 hex digits.
pub fn secret() -> Result<String, AuthError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AuthError::Random(e.to_string()))?;
    Ok(hex(&b))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// What is stored for a secret: its SHA-256.
pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The synchronizer token for forms of the session whose secret this is.
pub fn csrf_token(session_secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"qantar-csrf\0");
    h.update(session_secret.as_bytes());
    hex(&h.finalize())
}

/// Compare without stopping at the first difference, so timing says nothing
/// about how much of a token was right.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AuthError::Random(e.to_string()))?;
    // Argon2::default() is Argon2id v19 with OWASP's minimum parameters.
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

pub fn check_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A hash to verify against when the account does not exist, so that a
/// wrong name costs as much time as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    phc TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    hash BLOB PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash BLOB PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS setup_links (
    hash BLOB PRIMARY KEY,
    expires INTEGER NOT NULL
);
";

/// Version 1: second factors, the handler flag, sessions that know their
/// stage, age, last use and last authentication, and the lock generation.
/// Sessions are dropped rather than converted: everyone logs in again once.
const MIGRATION_1: &str = "
ALTER TABLE accounts ADD COLUMN handler INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN totp_secret BLOB;
ALTER TABLE accounts ADD COLUMN totp_step INTEGER;
DROP TABLE sessions;
CREATE TABLE sessions (
    hash BLOB PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    created INTEGER NOT NULL,
    seen INTEGER NOT NULL,
    fresh INTEGER NOT NULL,
    pending_totp BLOB
);
CREATE TABLE lock_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    locked_at INTEGER
);
INSERT INTO lock_state (id, generation) VALUES (1, 0);
PRAGMA user_version = 1;
";

type Row2 = (String, String);

impl Accounts {
    /// The accounts database of the archive in `dir`, created if missing.
    pub fn open(dir: &Path) -> Result<Accounts, AuthError> {
        let a = Accounts {
            path: dir.join(ACCOUNTS_FILE),
            clock: Arc::new(now),
        };
        a.conn()?;
        Ok(a)
    }

    /// The same database read with another clock (tests move time on
    /// without sleeping).
    pub fn with_clock(mut self, clock: Clock) -> Accounts {
        self.clock = clock;
        self
    }

    fn now(&self) -> i64 {
        (self.clock)()
    }

    fn err(&self) -> impl FnOnce(rusqlite::Error) -> AuthError + '_ {
        move |source| AuthError::Db {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn conn(&self) -> Result<Connection, AuthError> {
        let mut c = Connection::open(&self.path).map_err(self.err())?;
        c.busy_timeout(Duration::from_secs(5)).map_err(self.err())?;
        c.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(self.err())?;
        c.execute_batch(SCHEMA).map_err(self.err())?;
        let version: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.err())?;
        if version < 1 {
            // Another process may be migrating too: the write lock decides,
            // and the version is read again under it.
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(self.err())?;
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(self.err())?;
            if version < 1 {
                tx.execute_batch(MIGRATION_1).map_err(self.err())?;
            }
            tx.commit().map_err(self.err())?;
        }
        Ok(c)
    }

    pub fn is_empty(&self) -> Result<bool, AuthError> {
        let n: i64 = self
            .conn()?
            .query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(n == 0)
    }

    pub fn add(&self, name: &str, role: Role, password: &str) -> Result<(), AuthError> {
        if !valid_name(name) {
            return Err(AuthError::BadName(name.to_string()));
        }
        if password.chars().count() < 10 {
            return Err(AuthError::WeakPassword(name.to_string()));
        }
        let phc = hash_password(password)?;
        let c = self.conn()?;
        let exists = c
            .query_row("SELECT 1 FROM accounts WHERE name = ?1", [name], |_| Ok(()))
            .optional()
            .map_err(self.err())?
            .is_some();
        if exists {
            return Err(AuthError::Exists(name.to_string()));
        }
        c.execute(
            "INSERT INTO accounts (name, role, phc, created) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.as_str(), phc, self.now()],
        )
        .map_err(self.err())?;
        Ok(())
    }

    pub fn list(&self) -> Result<Vec<AccountInfo>, AuthError> {
        let c = self.conn()?;
        let mut st = c
            .prepare(
                "SELECT name, role, created, handler, totp_secret IS NOT NULL
                 FROM accounts ORDER BY name",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, created, handler, totp) = row.map_err(self.err())?;
            if let Some(role) = Role::parse(&role) {
                out.push(AccountInfo {
                    name,
                    role,
                    created,
                    handler,
                    totp,
                });
            }
        }
        Ok(out)
    }

    /// Remove an account with its sessions and tokens.
    pub fn remove(&self, name: &str) -> Result<(), AuthError> {
        let n = self
            .conn()?
            .execute("DELETE FROM accounts WHERE name = ?1", [name])
            .map_err(self.err())?;
        if n == 0 {
            return Err(AuthError::NoAccount(name.to_string()));
        }
        Ok(())
    }

    /// Flag an account as a handler (or not). A handler without a second
    /// factor is sent to enrol at its next request.
    pub fn set_handler(&self, name: &str, handler: bool) -> Result<(), AuthError> {
        let n = self
            .conn()?
            .execute(
                "UPDATE accounts SET handler = ?2 WHERE name = ?1",
                params![name, handler],
            )
            .map_err(self.err())?;
        if n == 0 {
            return Err(AuthError::NoAccount(name.to_string()));
        }
        Ok(())
    }

    /// Forget an account's second factor (a lost phone) and end its
    /// sessions; if it needs one, it enrols again at its next login.
    pub fn reset_totp(&self, name: &str) -> Result<(), AuthError> {
        let c = self.conn()?;
        let n = c
            .execute(
                "UPDATE accounts SET totp_secret = NULL, totp_step = NULL WHERE name = ?1",
                [name],
            )
            .map_err(self.err())?;
        if n == 0 {
            return Err(AuthError::NoAccount(name.to_string()));
        }
        c.execute("DELETE FROM sessions WHERE account = ?1", [name])
            .map_err(self.err())?;
        Ok(())
    }

    /// The account's role if the password is right. Always costs one
    /// Argon2 verification, whether or not the account exists.
    pub fn check_login(&self, name: &str, password: &str) -> Result<Option<Role>, AuthError> {
        let row: Option<Row2> = self
            .conn()?
            .query_row(
                "SELECT role, phc FROM accounts WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        match row {
            Some((role, phc)) if check_password(password, &phc) => Ok(Role::parse(&role)),
            Some(_) => Ok(None),
            None => {
                let _ = check_password(password, decoy_hash());
                Ok(None)
            }
        }
    }

    /// Where a right password leads this account: its code, enrolment, or
    /// straight in.
    pub fn stage_after_password(&self, name: &str) -> Result<Stage, AuthError> {
        let row: Option<(String, bool, bool)> = self
            .conn()?
            .query_row(
                "SELECT role, handler, totp_secret IS NOT NULL FROM accounts WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.err())?;
        let Some((role, handler, enrolled)) = row else {
            return Err(AuthError::NoAccount(name.to_string()));
        };
        Ok(if enrolled {
            Stage::Code
        } else if Role::parse(&role).is_some_and(|r| needs_totp(r, handler)) {
            Stage::Enrol
        } else {
            Stage::Full
        })
    }

    /// Start a fully authenticated session; returns the secret for the
    /// cookie.
    pub fn start_session(&self, name: &str) -> Result<String, AuthError> {
        self.start(name, Stage::Full)
    }

    /// Start a session at `stage`; returns the secret for the cookie.
    pub fn start(&self, name: &str, stage: Stage) -> Result<String, AuthError> {
        let s = secret()?;
        let c = self.conn()?;
        self.sweep(&c)?;
        let now = self.now();
        c.execute(
            "INSERT INTO sessions (hash, account, stage, created, seen, fresh)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
            params![digest(&s), name, stage.as_str(), now],
        )
        .map_err(self.err())?;
        Ok(s)
    }

    /// Delete every expired session.
    fn sweep(&self, c: &Connection) -> Result<(), AuthError> {
        let now = self.now();
        c.execute(
            "DELETE FROM sessions WHERE seen < ?1 OR created < ?2
               OR (stage = 'code' AND created < ?3)",
            params![
                now - IDLE_SECONDS,
                now - SESSION_SECONDS,
                now - CODE_STEP_SECONDS
            ],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// The live session with this secret, at whatever stage. An expired
    /// one is deleted and answered as none; a live one counts as used now.
    pub fn lookup(&self, secret: &str) -> Result<Option<Found>, AuthError> {
        let c = self.conn()?;
        let hash = digest(secret);
        let row: Option<(String, String, String, [i64; 3], bool, bool)> = c
            .query_row(
                "SELECT a.name, a.role, s.stage, s.created, s.seen, s.fresh,
                        a.totp_secret IS NOT NULL, a.handler
                 FROM sessions s JOIN accounts a ON a.name = s.account
                 WHERE s.hash = ?1",
                [&hash],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        [r.get(3)?, r.get(4)?, r.get(5)?],
                        r.get(6)?,
                        r.get(7)?,
                    ))
                },
            )
            .optional()
            .map_err(self.err())?;
        let Some((account, role, stage, [created, seen, fresh], totp, handler)) = row else {
            return Ok(None);
        };
        let now = self.now();
        let (Some(role), Some(mut stage)) = (Role::parse(&role), Stage::parse(&stage)) else {
            return Ok(None);
        };
        // An account flagged as a handler (or made an administrator) while
        // logged in enrols before its next step.
        if stage == Stage::Full && !totp && needs_totp(role, handler) {
            stage = Stage::Enrol;
        }
        let limit = if stage == Stage::Code {
            CODE_STEP_SECONDS
        } else {
            SESSION_SECONDS
        };
        if now - seen > IDLE_SECONDS || now - created > limit {
            c.execute("DELETE FROM sessions WHERE hash = ?1", [&hash])
                .map_err(self.err())?;
            return Ok(None);
        }
        if now - seen >= TOUCH_SECONDS {
            c.execute(
                "UPDATE sessions SET seen = ?2 WHERE hash = ?1",
                params![&hash, now],
            )
            .map_err(self.err())?;
        }
        Ok(Some(Found {
            session: Session { account, role },
            stage,
            fresh,
            totp,
            handler,
        }))
    }

    /// The fully authenticated session with this secret, if live.
    pub fn session(&self, secret: &str) -> Result<Option<Session>, AuthError> {
        Ok(self
            .lookup(secret)?
            .filter(|f| f.stage == Stage::Full)
            .map(|f| f.session))
    }

    pub fn end_session(&self, secret: &str) -> Result<(), AuthError> {
        self.conn()?
            .execute("DELETE FROM sessions WHERE hash = ?1", [digest(secret)])
            .map_err(self.err())?;
        Ok(())
    }

    /// Check `code` against the account's enrolled secret and burn its
    /// step, so it cannot be used again. False for a wrong, stale or
    /// replayed code, and for an account without a second factor.
    pub fn check_code(&self, name: &str, code: &str) -> Result<bool, AuthError> {
        let mut c = self.conn()?;
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(self.err())?;
        let row: Option<(Option<Vec<u8>>, Option<i64>)> = tx
            .query_row(
                "SELECT totp_secret, totp_step FROM accounts WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        let Some((Some(key), last)) = row else {
            return Ok(false);
        };
        let Some(step) = totp::verify(&key, code, self.now(), last) else {
            return Ok(false);
        };
        tx.execute(
            "UPDATE accounts SET totp_step = ?2 WHERE name = ?1",
            params![name, step],
        )
        .map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(true)
    }

    /// Replace a session by a new fully authenticated one (a new id, so a
    /// secret seen before the second factor is worth nothing after it).
    fn promote(&self, secret: &str, name: &str) -> Result<String, AuthError> {
        self.end_session(secret)?;
        self.start(name, Stage::Full)
    }

    /// The second step of logging in: the code for the session at
    /// [`Stage::Code`]. The new session's secret when right.
    pub fn second_factor(&self, secret: &str, code: &str) -> Result<Option<String>, AuthError> {
        let Some(found) = self.lookup(secret)? else {
            return Ok(None);
        };
        if found.stage != Stage::Code || !self.check_code(&found.session.account, code)? {
            return Ok(None);
        }
        self.promote(secret, &found.session.account).map(Some)
    }

    /// The secret offered to this session for enrolment, made on first
    /// asking and kept until enrolment ends, so reloading the page shows
    /// the same one.
    pub fn pending_totp(&self, secret: &str) -> Result<Option<Vec<u8>>, AuthError> {
        let c = self.conn()?;
        let hash = digest(secret);
        let row: Option<Option<Vec<u8>>> = c
            .query_row(
                "SELECT pending_totp FROM sessions WHERE hash = ?1",
                [&hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        match row {
            None => Ok(None),
            Some(Some(k)) => Ok(Some(k)),
            Some(None) => {
                let k = totp::new_secret()
                    .map_err(|e| AuthError::Random(e.to_string()))?
                    .to_vec();
                c.execute(
                    "UPDATE sessions SET pending_totp = ?2 WHERE hash = ?1",
                    params![&hash, &k],
                )
                .map_err(self.err())?;
                Ok(Some(k))
            }
        }
    }

    /// Enrol the secret offered to this session if `code` proves the app
    /// has it. Returns the new fully authenticated session's secret.
    pub fn enrol(&self, secret: &str, code: &str) -> Result<Option<String>, AuthError> {
        let Some(found) = self.lookup(secret)? else {
            return Ok(None);
        };
        // Replacing a second factor goes through an administrator's reset,
        // so a stolen session cannot swap in its own.
        if found.stage == Stage::Code || found.totp {
            return Ok(None);
        }
        let Some(key) = self.pending_totp(secret)? else {
            return Ok(None);
        };
        let Some(step) = totp::verify(&key, code, self.now(), None) else {
            return Ok(None);
        };
        let c = self.conn()?;
        c.execute(
            "UPDATE accounts SET totp_secret = ?2, totp_step = ?3 WHERE name = ?1",
            params![found.session.account, key, step],
        )
        .map_err(self.err())?;
        self.promote(secret, &found.session.account).map(Some)
    }

    /// Authenticate again within a session (password, and code when
    /// enrolled): routes that need recent authentication accept it for
    /// [`RECENT_AUTH_SECONDS`].
    pub fn reauthenticate(
        &self,
        secret: &str,
        password: &str,
        code: &str,
    ) -> Result<bool, AuthError> {
        let Some(found) = self.lookup(secret)? else {
            return Ok(false);
        };
        let name = &found.session.account;
        if found.stage != Stage::Full || self.check_login(name, password)?.is_none() {
            return Ok(false);
        }
        if found.totp && !self.check_code(name, code)? {
            return Ok(false);
        }
        self.conn()?
            .execute(
                "UPDATE sessions SET fresh = ?2 WHERE hash = ?1",
                params![digest(secret), self.now()],
            )
            .map_err(self.err())?;
        Ok(true)
    }

    /// Whether `fresh` (a session's last authentication) is recent enough
    /// for routes that need it.
    pub fn is_recent(&self, fresh: i64) -> bool {
        self.now() - fresh <= RECENT_AUTH_SECONDS
    }

    /// End every session and revoke every API token at once, and move the
    /// lock generation on so a running server drops what it holds in
    /// memory. Tokens are revoked, not suspended: whoever holds a copy of
    /// one holds nothing, and an administrator issues new ones afterwards.
    pub fn lock(&self) -> Result<Locked, AuthError> {
        let mut c = self.conn()?;
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(self.err())?;
        let sessions = tx.execute("DELETE FROM sessions", []).map_err(self.err())?;
        let tokens = tx.execute("DELETE FROM tokens", []).map_err(self.err())?;
        tx.execute(
            "UPDATE lock_state SET generation = generation + 1, locked_at = ?1",
            [self.now()],
        )
        .map_err(self.err())?;
        let generation: i64 = tx
            .query_row("SELECT generation FROM lock_state", [], |r| r.get(0))
            .map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(Locked {
            sessions,
            tokens,
            generation,
        })
    }

    /// How many locks this archive has seen.
    pub fn generation(&self) -> Result<i64, AuthError> {
        self.conn()?
            .query_row("SELECT generation FROM lock_state", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// A new API token for `account`; the token is returned once and
    /// stored only as its hash.
    pub fn create_token(&self, account: &str, label: &str) -> Result<String, AuthError> {
        let c = self.conn()?;
        let exists = c
            .query_row("SELECT 1 FROM accounts WHERE name = ?1", [account], |_| {
                Ok(())
            })
            .optional()
            .map_err(self.err())?
            .is_some();
        if !exists {
            return Err(AuthError::NoAccount(account.to_string()));
        }
        let token = format!("qtk_{}", secret()?);
        c.execute(
            "INSERT INTO tokens (hash, account, label, created) VALUES (?1, ?2, ?3, ?4)",
            params![digest(&token), account, label, self.now()],
        )
        .map_err(self.err())?;
        Ok(token)
    }

    /// Who a bearer token belongs to.
    pub fn token(&self, token: &str) -> Result<Option<Session>, AuthError> {
        let row: Option<Row2> = self
            .conn()?
            .query_row(
                "SELECT a.name, a.role FROM tokens t JOIN accounts a ON a.name = t.account WHERE t.hash = ?1",
                [digest(token)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        Ok(row.and_then(|(account, role)| {
            Some(Session {
                account,
                role: Role::parse(&role)?,
            })
        }))
    }

    /// A one-time secret for creating the first administrator.
    pub fn create_setup_link(&self) -> Result<String, AuthError> {
        let s = secret()?;
        self.conn()?
            .execute(
                "INSERT INTO setup_links (hash, expires) VALUES (?1, ?2)",
                params![digest(&s), self.now() + SETUP_SECONDS],
            )
            .map_err(self.err())?;
        Ok(s)
    }

    /// Whether a setup secret is valid now: unexpired, and no account yet.
    pub fn setup_valid(&self, secret: &str) -> Result<bool, AuthError> {
        if !self.is_empty()? {
            return Ok(false);
        }
        Ok(self
            .conn()?
            .query_row(
                "SELECT 1 FROM setup_links WHERE hash = ?1 AND expires >= ?2",
                params![digest(secret), self.now()],
                |_| Ok(()),
            )
            .optional()
            .map_err(self.err())?
            .is_some())
    }

    /// Create the first administrator with a setup secret, and burn every
    /// setup link.
    pub fn complete_setup(
        &self,
        secret: &str,
        name: &str,
        password: &str,
    ) -> Result<bool, AuthError> {
        if !self.setup_valid(secret)? {
            return Ok(false);
        }
        self.add(name, Role::Admin, password)?;
        self.conn()?
            .execute("DELETE FROM setup_links", [])
            .map_err(self.err())?;
        Ok(true)
    }
}

/// Create an account in the archive at `archive` (for `qantar user add`).
pub fn add_user(archive: &Path, name: &str, role: Role, password: &str) -> anyhow::Result<()> {
    qantar_store::Archive::open(archive)?;
    Accounts::open(archive)?.add(name, role, password)?;
    Ok(())
}

/// Create an API token for an existing account (for `qantar token add`).
/// The token is shown once; only its hash is kept.
pub fn create_token(archive: &Path, account: &str, label: &str) -> anyhow::Result<String> {
    qantar_store::Archive::open(archive)?;
    Ok(Accounts::open(archive)?.create_token(account, label)?)
}

/// Lock the archive at `archive` (for `qantar lock`): end every web
/// session and revoke every API token. A running `qantar serve` reads
/// sessions and tokens from `web.sqlite` on every request, so it is locked
/// out at once, and drops what it holds in memory within
/// [`crate::LOCK_POLL`].
pub fn lock(archive: &Path) -> anyhow::Result<Locked> {
    qantar_store::Archive::open(archive)?;
    Ok(Accounts::open(archive)?.lock()?)
}

/// Failed logins allowed per account and per address in [`WINDOW`].
pub const PER_ACCOUNT: usize = 5;
pub const PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed logins in a sliding window, in memory: a restart forgets,
/// which is acceptable because Argon2 keeps each guess slow anyway.
#[derive(Debug, Default)]
pub struct RateLimit {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimit {
    fn count(&self, key: &str) -> usize {
        let Ok(mut m) = self.failures.lock() else {
            return 0;
        };
        let cutoff = Instant::now().checked_sub(WINDOW);
        let q = m.entry(key.to_string()).or_default();
        while let (Some(front), Some(cut)) = (q.front(), cutoff) {
            if *front < cut {
                q.pop_front();
            } else {
                break;
            }
        }
        q.len()
    }

    /// Whether another attempt for this account from this address may be tried.
    pub fn allows(&self, account: &str, address: &str) -> bool {
        self.count(&format!("a:{account}")) < PER_ACCOUNT
            && self.count(&format!("ip:{address}")) < PER_ADDRESS
    }

    pub fn failed(&self, account: &str, address: &str) {
        if let Ok(mut m) = self.failures.lock() {
            for key in [format!("a:{account}"), format!("ip:{address}")] {
                m.entry(key).or_default().push_back(Instant::now());
            }
            // Bound memory against a flood of distinct names.
            if m.len() > 100_000 {
                m.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_by_confidentiality() {
        assert!(Role::Viewer.can_read("restricted"));
        assert!(!Role::Viewer.can_read("confidential"));
        assert!(Role::Analyst.can_read("confidential"));
        assert!(
            !Role::Viewer.can_read("unheard-of"),
            "unknown levels are treated as confidential"
        );
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn passwords_hash_to_argon2id_and_verify() {
        let phc = hash_password("a long enough password").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(check_password("a long enough password", &phc));
        assert!(!check_password("a long enough passworD", &phc));
        assert_ne!(
            phc,
            hash_password("a long enough password").expect("hash"),
            "salted"
        );
    }

    #[test]
    fn accounts_refuse_bad_names_short_passwords_and_duplicates() {
        let dir = tempfile::tempdir().expect("dir");
        let a = Accounts::open(dir.path()).expect("open");
        assert!(a.is_empty().expect("count"));
        assert!(matches!(
            a.add("bad name", Role::Viewer, "0123456789"),
            Err(AuthError::BadName(_))
        ));
        assert!(matches!(
            a.add("ok", Role::Viewer, "short"),
            Err(AuthError::WeakPassword(_))
        ));
        a.add("ok", Role::Viewer, "0123456789").expect("add");
        assert!(matches!(
            a.add("ok", Role::Admin, "0123456789"),
            Err(AuthError::Exists(_))
        ));
        assert_eq!(
            a.check_login("ok", "0123456789").expect("check"),
            Some(Role::Viewer)
        );
        assert_eq!(a.check_login("ok", "012345678x").expect("check"), None);
        let s = a.start_session("ok").expect("session");
        assert_eq!(
            a.session(&s).expect("lookup").map(|s| s.role),
            Some(Role::Viewer)
        );
        a.remove("ok").expect("remove");
        assert_eq!(
            a.session(&s).expect("lookup"),
            None,
            "sessions go with the account"
        );
    }

    #[test]
    fn the_rate_limit_counts_failures_per_account_and_address() {
        let l = RateLimit::default();
        for _ in 0..PER_ACCOUNT {
            assert!(l.allows("a", "1.2.3.4"));
            l.failed("a", "1.2.3.4");
        }
        assert!(
            !l.allows("a", "5.6.7.8"),
            "the account is locked from everywhere"
        );
        assert!(l.allows("b", "5.6.7.8"));
        for i in 0..PER_ADDRESS {
            l.failed(&format!("n{i}"), "9.9.9.9");
        }
        assert!(
            !l.allows("fresh", "9.9.9.9"),
            "the address is locked for every account"
        );
    }
}
