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

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The file beside the archive that holds accounts, sessions and tokens.
pub const ACCOUNTS_FILE: &str = "web.sqlite";

/// How long a session lasts without being renewed by a new login.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// How long a first-administrator link stays valid.
pub const SETUP_SECONDS: i64 = 24 * 3600;

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
#[derive(Clone, Debug)]
pub struct Accounts {
    path: PathBuf,
}

/// A logged-in session as the server sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub account: String,
    pub role: Role,
}

/// An account as listed on the admin page.
#[derive(Clone, Debug)]
pub struct AccountInfo {
    pub name: String,
    pub role: Role,
    pub created: i64,
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

impl Accounts {
    /// The accounts database of the archive in `dir`, created if missing.
    pub fn open(dir: &Path) -> Result<Accounts, AuthError> {
        let a = Accounts {
            path: dir.join(ACCOUNTS_FILE),
        };
        a.conn()?;
        Ok(a)
    }

    fn err(&self) -> impl FnOnce(rusqlite::Error) -> AuthError + '_ {
        move |source| AuthError::Db {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn conn(&self) -> Result<Connection, AuthError> {
        let c = Connection::open(&self.path).map_err(self.err())?;
        c.busy_timeout(Duration::from_secs(5)).map_err(self.err())?;
        c.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(self.err())?;
        c.execute_batch(SCHEMA).map_err(self.err())?;
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
            params![name, role.as_str(), phc, now()],
        )
        .map_err(self.err())?;
        Ok(())
    }

    pub fn list(&self) -> Result<Vec<AccountInfo>, AuthError> {
        let c = self.conn()?;
        let mut st = c
            .prepare("SELECT name, role, created FROM accounts ORDER BY name")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, created) = row.map_err(self.err())?;
            if let Some(role) = Role::parse(&role) {
                out.push(AccountInfo {
                    name,
                    role,
                    created,
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

    /// The account's role if the password is right. Always costs one
    /// Argon2 verification, whether or not the account exists.
    pub fn check_login(&self, name: &str, password: &str) -> Result<Option<Role>, AuthError> {
        let row: Option<(String, String)> = self
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

    /// Start a session; returns the secret for the cookie.
    pub fn start_session(&self, name: &str) -> Result<String, AuthError> {
        let s = secret()?;
        let c = self.conn()?;
        c.execute("DELETE FROM sessions WHERE expires < ?1", [now()])
            .map_err(self.err())?;
        c.execute(
            "INSERT INTO sessions (hash, account, expires) VALUES (?1, ?2, ?3)",
            params![digest(&s), name, now() + SESSION_SECONDS],
        )
        .map_err(self.err())?;
        Ok(s)
    }

    pub fn session(&self, secret: &str) -> Result<Option<Session>, AuthError> {
        let row: Option<(String, String)> = self
            .conn()?
            .query_row(
                "SELECT a.name, a.role FROM sessions s JOIN accounts a ON a.name = s.account
                 WHERE s.hash = ?1 AND s.expires >= ?2",
                params![digest(secret), now()],
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

    pub fn end_session(&self, secret: &str) -> Result<(), AuthError> {
        self.conn()?
            .execute("DELETE FROM sessions WHERE hash = ?1", [digest(secret)])
            .map_err(self.err())?;
        Ok(())
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
            params![digest(&token), account, label, now()],
        )
        .map_err(self.err())?;
        Ok(token)
    }

    /// Who a bearer token belongs to.
    pub fn token(&self, token: &str) -> Result<Option<Session>, AuthError> {
        let row: Option<(String, String)> = self
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
                params![digest(&s), now() + SETUP_SECONDS],
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
                params![digest(secret), now()],
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
