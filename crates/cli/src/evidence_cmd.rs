//! `qantar evidence …`: photos and documents attached to records.
//!
//! The store does the work (`qantar_store::evidence`); this module reads
//! the file, asks for the handler's secret when the record is sealed
//! (through `seal_cmd::unlock`, so the same rules apply), shows progress
//! for large files on a terminal, and writes what it gets back to a new
//! file only once the store has checked its hash.

use std::fs::File;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use qantar_store::{Archive, Attachment, NewFile, StoreError, Unlocked};
use serde_json::{Value, json};

use crate::seal_cmd::{self, HandlerArgs, input, open_archive, print_json};

/// Files at least this large get a progress bar (on a terminal).
const PROGRESS_FROM: u64 = 8 << 20;

#[derive(Debug, clap::Subcommand)]
pub enum EvidenceCommand {
    /// Attach a file to a record: the original is kept byte for byte with its SHA-256.
    ///
    /// Public and restricted records also get a public copy with EXIF, XMP, IPTC, GPS,
    /// serial numbers and thumbnails removed (JPEG, PNG, WebP, TIFF, PDF, DOCX, HEIC,
    /// MP4/MOV); a public record refuses other types. A sealed record's file is encrypted before it reaches the disk,
    /// and its name, hash and type are sealed too: give its handler (standard input: the
    /// handler's passphrase, unless --key-file).
    Add {
        /// The record's id or ref.
        record: String,
        /// The file to attach.
        file: PathBuf,
        /// When the photo or document was made: YYYY-MM-DD or RFC 3339.
        #[arg(long, value_name = "TIME")]
        captured_at: Option<String>,
        #[command(flatten)]
        by: MaybeHandler,
    },
    /// List a record's attachments (a sealed record's show no name, hash or type).
    List {
        /// The record's id or ref.
        record: String,
    },
    /// Write attachment N of a record to a new file: the public copy, or the original.
    ///
    /// A sealed record's original needs its handler (standard input: the passphrase, unless
    /// --key-file), and every such opening is recorded in the ledger (audit.file_opened).
    Get {
        /// The record's id or ref.
        record: String,
        /// The attachment's number (see `qantar evidence list`).
        n: u64,
        /// Where to write it (a new file; never overwritten).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The original instead of the public copy.
        #[arg(long)]
        original: bool,
        #[command(flatten)]
        by: MaybeHandler,
    },
    /// Re-hash every stored original, sealed original and public copy; report the missing
    /// and the damaged (exit 1 if any). Needs no key.
    Verify,
}

/// Who opens the compartment of a sealed record, if the record is sealed.
#[derive(Debug, clap::Args)]
pub struct MaybeHandler {
    /// The compartment (default: the one the record's key is under).
    #[arg(long)]
    compartment: Option<String>,
    /// The handler who opens the compartment (needed for sealed records only).
    #[arg(long)]
    handler: Option<String>,
    /// The handler's key file, if they use one instead of a passphrase.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

/// The unlocked compartment for a sealed record, or `None` for a record in
/// clear (where handler flags are refused, so nobody types a passphrase
/// for nothing). Everything checkable is checked before the secret is read.
fn keys_for(
    archive: &Archive,
    record: &str,
    by: &MaybeHandler,
) -> anyhow::Result<Option<Unlocked>> {
    let stored = archive
        .store
        .get(record)?
        .ok_or_else(|| StoreError::NotFound(record.to_string()))?;
    if stored.is_erased() {
        let at = stored
            .data
            .pointer("/erased/at")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        return Err(StoreError::Erased {
            record: stored.id,
            erased_at: at,
        }
        .into());
    }
    if !stored.is_sealed() {
        if by.handler.is_some() || by.compartment.is_some() || by.key_file.is_some() {
            return Err(input(
                "--handler",
                format!(
                    "record {} is not sealed, so its files are not either; drop --compartment, \
                     --handler and --key-file",
                    stored.id
                ),
            ));
        }
        return Ok(None);
    }
    let Some(handler) = &by.handler else {
        return Err(input(
            "--handler",
            format!(
                "record {} is sealed; name the handler who opens its compartment (--handler, \
                 and --key-file if they use one)",
                stored.id
            ),
        ));
    };
    let compartment = match &by.compartment {
        Some(c) => c.clone(),
        None => archive
            .store
            .sealed_compartment(&stored.id)?
            .ok_or_else(|| {
                StoreError::Sealing(format!(
                    "the key of sealed record {} is not in the key table; it cannot be opened",
                    stored.id
                ))
            })?,
    };
    let by = HandlerArgs {
        compartment,
        handler: handler.clone(),
        key_file: by.key_file.clone(),
    };
    Ok(Some(seal_cmd::unlock(archive, &by)?.0))
}

fn bar(what: &str, len: u64, json: bool) -> Option<ProgressBar> {
    if json || len < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return None;
    }
    let b = ProgressBar::new(len);
    b.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    b.set_prefix(what.to_string());
    Some(b)
}

pub fn run(
    cmd: &EvidenceCommand,
    dir: &Option<PathBuf>,
    author: &Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    match cmd {
        EvidenceCommand::Add {
            record,
            file,
            captured_at,
            by,
        } => add(dir, author, record, file, captured_at, by, json),
        EvidenceCommand::List { record } => list(dir, record, json),
        EvidenceCommand::Get {
            record,
            n,
            out,
            original,
            by,
        } => get(dir, author, record, *n, out, *original, by, json),
        EvidenceCommand::Verify => verify(dir, json),
    }
}

fn add(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    record: &str,
    path: &Path,
    captured_at: &Option<String>,
    by: &MaybeHandler,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    let meta = std::fs::metadata(path).map_err(|e| {
        input(
            "FILE",
            format!("cannot read {}: {e}; give an existing file", path.display()),
        )
    })?;
    if !meta.is_file() {
        return Err(input(
            "FILE",
            format!("{} is not a regular file", path.display()),
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let keys = keys_for(&archive, record, by)?;
    let source = BufReader::new(
        File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    );
    let progress = bar("attaching", meta.len(), json);
    let tick = progress.clone();
    let stamp = crate::stamp(author);
    let file = NewFile {
        name,
        captured_at: captured_at.clone(),
    };
    let done = archive.attach(
        record,
        source,
        &file,
        keys.as_ref(),
        &stamp,
        Box::new(move |n| {
            if let Some(b) = &tick {
                b.set_position(n);
            }
        }),
    );
    if let Some(b) = &progress {
        b.finish_and_clear();
    }
    let done = done?;
    if json {
        let mut v = serde_json::to_value(&done)?;
        v["ok"] = json!(true);
        return print_json(&v).map(|()| ExitCode::SUCCESS);
    }
    let a = &done.attachment;
    println!(
        "Attached as file {} of record {} (ledger entry {}).",
        a.n, a.record, a.seq
    );
    match (&a.file, &done.sealed_details) {
        (Some(f), _) => {
            println!(
                "  original  {} ({} bytes, {}), sha256 {}",
                f.name, f.size, f.media_type, f.sha256
            );
        }
        (None, Some(f)) => {
            println!(
                "  original  sealed: {} bytes of ciphertext; sha256 of the original {} (kept \
                 sealed, with its name and type)",
                a.stored_size, f.sha256
            );
        }
        (None, None) => {}
    }
    match (&a.public_copy, &done.no_public_copy) {
        (Some(c), _) => {
            println!(
                "  public copy  sha256 {} ({} bytes); removed:",
                c.sha256, c.size
            );
            for r in &c.removed {
                println!("    - {r}");
            }
        }
        (None, Some(why)) => println!("  no public copy: {why}"),
        (None, None) if a.sealed => println!(
            "  no public copy: sealed files get none (attach one to the redacted public record)"
        ),
        (None, None) => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(a: &Attachment) -> String {
    let what = match &a.file {
        Some(f) => format!(
            "{} ({} bytes, {}) sha256 {}",
            f.name, f.size, f.media_type, f.sha256
        ),
        None => format!("[sealed] {} bytes of ciphertext", a.stored_size),
    };
    let mut line = format!(
        "{:>3}  {what}\n     attached {} by {} (entry {})",
        a.n, a.attached_at, a.importer, a.seq
    );
    if let Some(t) = a.file.as_ref().and_then(|f| f.captured_at.as_ref()) {
        line.push_str(&format!("; captured {t}"));
    }
    if let Some(c) = &a.public_copy {
        line.push_str(&format!(
            "\n     public copy sha256 {} ({} items removed)",
            c.sha256,
            c.removed.len()
        ));
    }
    if a.erased {
        line.push_str("\n     ERASED with its record: it can no longer be opened");
    }
    line
}

fn list(dir: &Option<PathBuf>, record: &str, json: bool) -> anyhow::Result<ExitCode> {
    let archive = open_archive(dir)?;
    let items = archive.attachments(record)?;
    if json {
        print_json(&json!({ "record": record, "attachments": items }))?;
    } else if items.is_empty() {
        println!("Record {record} has no attachments.");
    } else {
        for a in &items {
            println!("{}", describe(a));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn get(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    record: &str,
    n: u64,
    out: &Path,
    original: bool,
    by: &MaybeHandler,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    if out.exists() {
        return Err(input(
            "--out",
            format!(
                "{} exists; name a new file (nothing is overwritten)",
                out.display()
            ),
        ));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Checked before a passphrase is asked for.
    let items = archive.attachments(record)?;
    let Some(item) = items.iter().find(|a| a.n == n) else {
        return Err(StoreError::NotFound(format!(
            "attachment {n} of {record} (it has {}; see `qantar evidence list {record}`)",
            items.len()
        ))
        .into());
    };
    if !original && item.public_copy.is_none() {
        return Err(input(
            "--original",
            format!(
                "attachment {n} of {record} has no public copy ({}); add --original for the \
                 original",
                if item.sealed {
                    "it is sealed"
                } else {
                    "its type could not be stripped"
                }
            ),
        ));
    }
    let keys = if original {
        keys_for(&archive, record, by)?
    } else {
        None
    };
    // Written next to the destination and renamed into place only once the
    // hash checked out: a damaged file never appears under the asked name.
    // The temporary file is private (0600), which suits a sealed original.
    let mut tmp = tempfile::NamedTempFile::new_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    let stamp = crate::stamp(author);
    let progress = bar(
        if original { "opening" } else { "copying" },
        item.stored_size,
        json,
    );
    let result = if original {
        archive
            .open_attachment(
                record,
                n,
                keys.as_ref(),
                &stamp.author,
                &stamp,
                tmp.as_file_mut(),
                &mut |done| {
                    if let Some(b) = &progress {
                        b.set_position(done);
                    }
                },
            )
            .map(|o| serde_json::to_value(&o))
    } else {
        archive
            .public_copy(record, n, tmp.as_file_mut())
            .map(|(a, c)| Ok(json!({ "attachment": a, "public_copy": c })))
    };
    if let Some(b) = &progress {
        b.finish_and_clear();
    }
    let mut v = result??;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(out)
        .map_err(|e| anyhow::Error::from(e.error))
        .with_context(|| format!("cannot write {}", out.display()))?;
    if json {
        v["ok"] = json!(true);
        v["out"] = json!(out.display().to_string());
        print_json(&v)?;
    } else {
        println!(
            "Wrote the {} of attachment {n} of {record} to {} (sha256 checked).",
            if original { "original" } else { "public copy" },
            out.display()
        );
        if let Some(seq) = v.get("audit_entry").and_then(Value::as_u64) {
            println!(
                "This opening was recorded in ledger entry {seq} (audit.file_opened: reader {}). \
                 Keep the file where only those who may read it can.",
                stamp.author
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(dir: &Option<PathBuf>, json: bool) -> anyhow::Result<ExitCode> {
    let archive = open_archive(dir)?;
    let progress = if json || !std::io::stderr().is_terminal() {
        None
    } else {
        Some(ProgressBar::new(0))
    };
    let report = archive.verify_attachments(&mut |done, total| {
        if let Some(b) = &progress {
            b.set_length(total);
            b.set_position(done);
        }
    })?;
    if let Some(b) = &progress {
        b.finish_and_clear();
    }
    if json {
        print_json(&serde_json::to_value(&report)?)?;
    } else {
        println!(
            "{} attachments, {} blobs re-hashed ({} bytes).",
            report.attachments, report.blobs_checked, report.bytes_checked
        );
        if report.purged > 0 {
            println!(
                "Deleted {} ciphertext blob(s) of erased records that were still on disk.",
                report.purged
            );
        }
        for p in &report.problems {
            println!(
                "{}: {} of attachment {} of {} ({}): {}",
                p.problem.to_uppercase(),
                p.role,
                p.n,
                p.record,
                p.blob,
                p.detail
            );
        }
        if report.ok {
            println!("OK: every stored file is present and matches its hash.");
        } else {
            println!(
                "NOT OK: restore the files named above from a backup or mirror of the vault \
                 directory, then run this again."
            );
        }
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
