//! Passphrases and key files for `qantar seal`: read from standard input
//! (one line each, not echoed on a terminal) and from files, and written
//! to new files only readable by their owner. Nothing here prints or logs
//! a secret.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use qantar_seal::{Kek, Zeroizing};
use qantar_store::{InputErrors, StoreError};
use unicode_normalization::UnicodeNormalization;

/// Fewer characters than this is refused for a new passphrase: Argon2id
/// slows guessing, it does not make a short passphrase safe.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

fn input(field: &str, reason: impl Into<String>) -> anyhow::Error {
    InputErrors::one(field, reason).into()
}

/// Turns terminal echo off for as long as it lives (Unix terminals only).
struct EchoOff {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl EchoOff {
    fn new() -> EchoOff {
        #[cfg(unix)]
        {
            // SAFETY: tcgetattr/tcsetattr only read and write the termios
            // struct we pass, on file descriptor 0, which stays open for the
            // life of the process; a zeroed termios is a valid value to fill.
            let saved = unsafe {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(0, &mut t) != 0 {
                    None
                } else {
                    let saved = t;
                    t.c_lflag &= !libc::ECHO;
                    (libc::tcsetattr(0, libc::TCSANOW, &t) == 0).then_some(saved)
                }
            };
            EchoOff { saved }
        }
        #[cfg(not(unix))]
        EchoOff {}
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: as in `new`; restores the settings read there.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    }
}

/// One line of standard input, without its line ending. On a terminal the
/// prompt goes to standard error and the typing is not echoed; from a pipe
/// there is no prompt.
fn read_line(what: &str) -> anyhow::Result<Zeroizing<String>> {
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    // Room up front, so growing the string leaves no copies behind.
    let mut line = Zeroizing::new(String::with_capacity(1024));
    let n = if tty {
        eprint!("{what}: ");
        let _ = std::io::stderr().flush();
        let echo = EchoOff::new();
        let n = stdin.lock().read_line(&mut line);
        drop(echo);
        eprintln!();
        n
    } else {
        stdin.lock().read_line(&mut line)
    }
    .map_err(|e| input("stdin", format!("cannot read {what}: {e}")))?;
    if n == 0 {
        return Err(input(
            "stdin",
            format!("expected {what} as a line on standard input, found the end of input"),
        ));
    }
    let trimmed = line.trim_end_matches(['\r', '\n']);
    // NFC, so the same words typed on another keyboard give the same key.
    Ok(Zeroizing::new(trimmed.nfc().collect()))
}

/// The passphrase of an existing grant or backup.
pub fn existing_passphrase(what: &str) -> anyhow::Result<Zeroizing<String>> {
    let p = read_line(what)?;
    if p.is_empty() {
        return Err(input("stdin", format!("{what} is empty")));
    }
    Ok(p)
}

/// A new passphrase: at least [`MIN_PASSPHRASE_CHARS`] characters; typed
/// twice on a terminal, where a typo cannot be seen.
pub fn new_passphrase(what: &str) -> anyhow::Result<Zeroizing<String>> {
    let p = read_line(what)?;
    let n = p.chars().count();
    if n == 0 {
        return Err(input(
            "stdin",
            format!("{what} is empty; choose a long passphrase (six or more random words)"),
        ));
    }
    if n < MIN_PASSPHRASE_CHARS {
        return Err(input(
            "stdin",
            format!(
                "{what} has {n} characters; use at least {MIN_PASSPHRASE_CHARS} (better six or \
                 more random words), or a key file"
            ),
        ));
    }
    if std::io::stdin().is_terminal() && *read_line(&format!("{what}, again"))? != *p {
        return Err(input("stdin", format!("the two entries of {what} differ")));
    }
    Ok(p)
}

/// A key-encryption key from a key file.
pub fn read_key_file(path: &Path) -> anyhow::Result<Kek> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        input(
            "--key-file",
            format!("cannot read key file {}: {e}", path.display()),
        )
    })?);
    Kek::from_key_file(&bytes)
        .map_err(|e| StoreError::Sealing(format!("key file {}: {e}", path.display())).into())
}

/// Refuse early (before any passphrase is asked for) to write over a file.
pub fn refuse_existing(flag: &str, path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        return Err(input(
            flag,
            format!(
                "{} already exists; qantar never overwrites a key file or key backup: choose \
                 another path or move the old file away",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// Write a new file readable only by its owner (mode 0600); never replaces
/// an existing one.
pub fn write_private(flag: &str, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            refuse_existing(flag, path)
                .err()
                .unwrap_or_else(|| e.into())
        } else {
            input(flag, format!("cannot create {}: {e}", path.display()))
        }
    })?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(e) = written {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(anyhow::anyhow!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}

/// A new key file at `path` and its key. The file is written before the
/// grant that needs it, so a grant never exists without its key file; call
/// [`forget_key_file`] if the grant then fails.
pub fn new_key_file(flag: &str, path: &Path) -> anyhow::Result<Kek> {
    let (kek, text) = Kek::generate_key_file().map_err(StoreError::from)?;
    write_private(flag, path, text.as_bytes())?;
    Ok(kek)
}

/// Remove a key file written for a grant that did not happen.
pub fn forget_key_file(path: &Path) {
    let _ = std::fs::remove_file(path);
}
