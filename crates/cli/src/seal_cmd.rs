//! `qantar seal …`: sealed compartments for confidential records (issue 6).
//!
//! This module reads passphrases and key files, asks the store to do the
//! work (`qantar_store::sealing`) and says what happened. It holds no
//! cryptography and no rules of its own beyond the CLI's: a new passphrase
//! has at least 12 characters, key files and backups are new files of mode
//! 0600 that are never overwritten, and erasing needs `--yes`.
//!
//! Secrets come from standard input, one per line, in the order the
//! command needs them (a handler who uses `--key-file` takes no line). On a
//! terminal they are asked for and not echoed. No secret is ever printed.

mod secret;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use qantar_seal::{BackupError, KdfParams, Kek, KekSpec, Salt, SealError};
use qantar_store::sealing::{BACKUP_HANDLER, LOST_KEY_WARNING};
use qantar_store::{Archive, ErasureReason, InputErrors, StoreError, Unlocked};
use serde_json::{Value, json};

use crate::output::Out;

const STDIN_HELP: &str = "Passphrases are read from standard input, one per line, in the order \
the command needs them (a handler who uses a key file takes no line). On a terminal they are \
asked for and not echoed; from a pipe there is no prompt. They are never printed.";

/// The `seal` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SealCommand {
    /// Create a compartment with its first handler (this switches sealing on for the archive).
    ///
    /// Standard input: the handler's new passphrase (at least 12 characters), unless
    /// --key-file-out is given.
    #[command(after_help = STDIN_HELP)]
    Init {
        /// The compartment's name, e.g. `witnesses-almaty` (it is visible without any key).
        #[arg(long)]
        compartment: String,
        /// The first handler's name (visible without any key).
        #[arg(long)]
        handler: String,
        /// Give the handler a new key file, written here (mode 0600), instead of a passphrase.
        #[arg(long, value_name = "FILE")]
        key_file_out: Option<PathBuf>,
    },
    /// List the compartments, their handlers and how many records each seals.
    List,
    /// Give another handler access to a compartment (or a handler a new passphrase).
    ///
    /// Standard input: the existing handler's passphrase (unless --key-file), then the new
    /// handler's new passphrase (unless --new-key-file-out).
    #[command(after_help = STDIN_HELP)]
    Grant {
        #[command(flatten)]
        by: HandlerArgs,
        /// The handler to grant access to. Granting to someone who has a grant replaces it.
        #[arg(long)]
        to: String,
        /// Give the new handler a new key file, written here (mode 0600), instead of a passphrase.
        #[arg(long, value_name = "FILE")]
        new_key_file_out: Option<PathBuf>,
    },
    /// Take a handler's grant away (the last handler cannot be revoked).
    Revoke {
        /// The compartment's name.
        #[arg(long)]
        compartment: String,
        /// The handler whose grant goes.
        #[arg(long)]
        handler: String,
    },
    /// Record records from a file, sealing the confidential ones into the compartment.
    ///
    /// Standard input: the handler's passphrase (unless --key-file).
    #[command(after_help = STDIN_HELP)]
    Add {
        #[command(flatten)]
        by: HandlerArgs,
        /// A JSON or TOML file of records, as `qantar add --file` takes.
        #[arg(long, short)]
        file: PathBuf,
    },
    /// Unseal and print one record. Every reading is recorded in the ledger (who, which handler).
    ///
    /// Standard input: the handler's passphrase (unless --key-file).
    #[command(after_help = STDIN_HELP)]
    Show {
        /// The record's id (sealed records have no ref).
        id: String,
        /// The record's compartment (default: the one its key is under).
        #[arg(long)]
        compartment: Option<String>,
        /// The handler who opens the compartment.
        #[arg(long)]
        handler: String,
        /// The handler's key file, if they use one instead of a passphrase.
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// Crypto-erase a sealed record: its key is destroyed and a tombstone entry appended.
    ///
    /// This cannot be undone. It needs no passphrase: destroying is not reading.
    Erase {
        id: String,
        /// consent-withdrawn, safety, legal-order or mistake (a fixed list: the tombstone is
        /// permanent and public to every mirror, so it holds no free text).
        #[arg(long)]
        reason: String,
        /// Confirm that the record's content is to be destroyed for good.
        #[arg(long)]
        yes: bool,
    },
    /// Replace the compartment's key: every record key is re-wrapped under a new one.
    ///
    /// The rotating handler keeps their passphrase or key file; every other handler loses
    /// access until granted again, and earlier key backups stop opening the compartment.
    ///
    /// Standard input: the handler's passphrase (unless --key-file).
    #[command(after_help = STDIN_HELP)]
    Rotate {
        #[command(flatten)]
        by: HandlerArgs,
    },
    /// Write a key backup of the compartment's key, under a backup passphrase.
    ///
    /// Standard input: the handler's passphrase (unless --key-file), then the new backup
    /// passphrase (at least 12 characters).
    #[command(after_help = STDIN_HELP)]
    Backup {
        #[command(flatten)]
        by: HandlerArgs,
        /// Where to write the backup (a new file, mode 0600).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Open a key backup and grant its compartments to a handler (e.g. after a lost passphrase).
    ///
    /// Standard input: the backup passphrase, then the handler's new passphrase (unless
    /// --new-key-file-out).
    #[command(after_help = STDIN_HELP)]
    Restore {
        /// The backup file written by `qantar seal backup`.
        file: PathBuf,
        /// Who gets the restored keys (an existing grant of theirs is replaced).
        #[arg(long)]
        handler: String,
        /// Give the handler a new key file, written here (mode 0600), instead of a passphrase.
        #[arg(long, value_name = "FILE")]
        new_key_file_out: Option<PathBuf>,
    },
}

/// Who opens the compartment, and with what.
#[derive(Debug, clap::Args)]
pub struct HandlerArgs {
    /// The compartment's name (see `qantar seal list`).
    #[arg(long)]
    pub compartment: String,
    /// The handler who opens the compartment.
    #[arg(long)]
    pub handler: String,
    /// The handler's key file, if they use one instead of a passphrase.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

pub(crate) fn input(field: &str, reason: impl Into<String>) -> anyhow::Error {
    InputErrors::one(field, reason).into()
}

pub(crate) fn print_json(v: &Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// The archive of `--archive`, with a wrong directory said as bad input.
pub(crate) fn open_archive(dir: &Option<PathBuf>) -> anyhow::Result<Archive> {
    let dir = dir.as_ref().ok_or_else(|| {
        input(
            "--archive",
            "which archive? pass --archive <DIR> or set QANTAR_ARCHIVE",
        )
    })?;
    Archive::open(dir).map_err(|e| match e {
        StoreError::Archive(why) => input("--archive", why),
        other => other.into(),
    })
}

/// A new key-encryption key from a new passphrase, at the default cost.
fn passphrase_kek(passphrase: &str) -> anyhow::Result<Kek> {
    let salt = Salt::generate().map_err(StoreError::from)?;
    Ok(Kek::from_passphrase(passphrase, &KdfParams::DEFAULT, &salt).map_err(StoreError::from)?)
}

fn opens_with(spec: &KekSpec) -> Value {
    match spec {
        KekSpec::Passphrase { .. } => json!({ "kind": "passphrase" }),
        KekSpec::KeyFile { id } => json!({ "kind": "key-file", "id": id }),
    }
}

/// Open the compartment as the handler: their key file, or a passphrase
/// from standard input. Returns the key-encryption key too, for a rotation
/// that keeps it.
pub(crate) fn unlock(archive: &Archive, by: &HandlerArgs) -> anyhow::Result<(Unlocked, Kek)> {
    let (c, h) = (by.compartment.as_str(), by.handler.as_str());
    // Checked before anything is asked: no compartment, no grant, or the
    // wrong kind of secret is said at once.
    let spec = archive.store.grant_kek_spec(c, h)?;
    let kek = match (&spec, &by.key_file) {
        (KekSpec::KeyFile { .. }, Some(path)) => secret::read_key_file(path)?,
        (KekSpec::KeyFile { id }, None) => {
            return Err(input(
                "--key-file",
                format!(
                    "handler {h} opens compartment {c} with key file {id}; pass --key-file FILE"
                ),
            ));
        }
        (KekSpec::Passphrase { .. }, Some(_)) => {
            return Err(input(
                "--key-file",
                format!(
                    "handler {h} opens compartment {c} with a passphrase, not a key file; drop \
                     --key-file and give the passphrase on standard input"
                ),
            ));
        }
        (KekSpec::Passphrase { .. }, None) => {
            let p = secret::existing_passphrase(&format!("passphrase of {h} for {c}"))?;
            Kek::derive(&spec, &p).map_err(StoreError::from)?
        }
    };
    match archive.store.unlock(c, h, &kek) {
        Ok(keys) => Ok((keys, kek)),
        Err(StoreError::Seal(SealError::WrongPassphrase { .. })) => Err(StoreError::Sealing(
            format!("wrong passphrase for handler {h} in compartment {c}; nothing was changed"),
        )
        .into()),
        Err(StoreError::Seal(e @ SealError::WrongKeyFile { .. })) => {
            Err(StoreError::Sealing(format!("handler {h} in compartment {c}: {e}")).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The new handler's key: a new key file, or a new passphrase from standard input.
fn new_handler_kek(who: &str, key_file_out: &Option<PathBuf>) -> anyhow::Result<Kek> {
    match key_file_out {
        Some(path) => secret::new_key_file("--new-key-file-out", path),
        None => passphrase_kek(&secret::new_passphrase(&format!(
            "new passphrase for {who}"
        ))?),
    }
}

/// Run `step`; if it fails, remove the key file written for it, so no key
/// file exists for a grant that does not.
fn or_forget<T>(key_file: &Option<PathBuf>, step: anyhow::Result<T>) -> anyhow::Result<T> {
    if step.is_err()
        && let Some(p) = key_file
    {
        secret::forget_key_file(p);
    }
    step
}

pub fn run(
    cmd: &SealCommand,
    archive: &Option<PathBuf>,
    author: &Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    match cmd {
        SealCommand::Init {
            compartment,
            handler,
            key_file_out,
        } => init(archive, author, compartment, handler, key_file_out, json),
        SealCommand::List => list(&open_archive(archive)?, json),
        SealCommand::Grant {
            by,
            to,
            new_key_file_out,
        } => grant(archive, author, by, to, new_key_file_out, json),
        SealCommand::Revoke {
            compartment,
            handler,
        } => revoke(archive, author, compartment, handler, json),
        SealCommand::Add { by, file } => add(archive, author, by, file, json),
        SealCommand::Show {
            id,
            compartment,
            handler,
            key_file,
        } => show(archive, author, id, compartment, handler, key_file, json),
        SealCommand::Erase { id, reason, yes } => erase(archive, author, id, reason, *yes, json),
        SealCommand::Rotate { by } => rotate(archive, author, by, json),
        SealCommand::Backup { by, out } => backup(archive, by, out, json),
        SealCommand::Restore {
            file,
            handler,
            new_key_file_out,
        } => restore(archive, author, file, handler, new_key_file_out, json),
    }
}

fn init(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    compartment: &str,
    handler: &str,
    key_file_out: &Option<PathBuf>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    if archive
        .store
        .compartments()?
        .iter()
        .any(|c| c.name == compartment)
    {
        return Err(StoreError::Sealing(format!(
            "compartment {compartment:?} already exists; grant it to more handlers with `qantar \
             seal grant` instead"
        ))
        .into());
    }
    if let Some(p) = key_file_out {
        secret::refuse_existing("--key-file-out", p)?;
    }
    let kek = match key_file_out {
        Some(p) => secret::new_key_file("--key-file-out", p)?,
        None => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("{LOST_KEY_WARNING}\n");
            }
            passphrase_kek(&secret::new_passphrase(&format!(
                "new passphrase for {handler}"
            ))?)?
        }
    };
    let stamp = crate::stamp(author);
    let created = archive.create_compartment(compartment, handler, &kek, &stamp);
    let keys = or_forget(key_file_out, created.map_err(anyhow::Error::from))?;
    let audit_entry = archive.store.size()? - 1;
    if json {
        print_json(&json!({
            "ok": true,
            "compartment": compartment,
            "handler": handler,
            "fingerprint": keys.fingerprint(),
            "opens_with": opens_with(kek.spec()),
            "key_file": key_file_out,
            "warning": LOST_KEY_WARNING,
            "audit_entry": audit_entry,
        }))?;
    } else {
        println!("Created compartment {compartment} with handler {handler}.");
        println!("Confidential records in this archive must now be written sealed.");
        println!("Recorded in ledger entry {audit_entry} (audit.compartment_created).");
        if let Some(p) = key_file_out {
            println!(
                "Key file of {handler}: {} (readable only by you).",
                p.display()
            );
        }
        println!();
        println!("WARNING: {LOST_KEY_WARNING}");
        println!();
        println!(
            "Next: make a key backup and keep it apart from the archive:\n  qantar seal backup \
             --compartment {compartment} --handler {handler} --out {compartment}.keys"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn list(archive: &Archive, json: bool) -> anyhow::Result<ExitCode> {
    let compartments = archive.store.compartments()?;
    let mut rows = Vec::new();
    for c in &compartments {
        let handlers = c
            .handlers
            .iter()
            .map(|h| -> anyhow::Result<Value> {
                let spec = archive.store.grant_kek_spec(&c.name, h)?;
                Ok(json!({ "name": h, "opens_with": opens_with(&spec) }))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        rows.push(json!({
            "name": c.name,
            "created_at": c.created_at,
            "fingerprint": c.fingerprint,
            "records": c.records,
            "handlers": handlers,
        }));
    }
    if json {
        print_json(
            &json!({ "ok": true, "sealing": !compartments.is_empty(), "compartments": rows }),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if compartments.is_empty() {
        println!(
            "No compartments: confidential records are stored in clear. Create one with `qantar \
             seal init`."
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (c, row) in compartments.iter().zip(&rows) {
        println!(
            "{}  {} sealed record{}  key {}  (created {})",
            c.name,
            c.records,
            if c.records == 1 { "" } else { "s" },
            c.fingerprint,
            c.created_at
        );
        for h in row["handlers"].as_array().into_iter().flatten() {
            let with = match h["opens_with"]["kind"].as_str() {
                Some("key-file") => {
                    format!("key file {}", h["opens_with"]["id"].as_str().unwrap_or("?"))
                }
                _ => "passphrase".to_string(),
            };
            println!("  handler {}  ({with})", h["name"].as_str().unwrap_or(""));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn grant(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    by: &HandlerArgs,
    to: &str,
    new_key_file_out: &Option<PathBuf>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    if let Some(p) = new_key_file_out {
        secret::refuse_existing("--new-key-file-out", p)?;
    }
    let (keys, _) = unlock(&archive, by)?;
    let replaced = archive
        .store
        .compartments()?
        .iter()
        .any(|c| c.name == by.compartment && c.handlers.iter().any(|h| h == to));
    let kek = new_handler_kek(to, new_key_file_out)?;
    let granted = archive.grant(&keys, to, &kek, &crate::stamp(author));
    let receipt = or_forget(new_key_file_out, granted.map_err(anyhow::Error::from))?;
    let c = &by.compartment;
    if json {
        print_json(&json!({
            "ok": true,
            "compartment": c,
            "handler": to,
            "granted_by": by.handler,
            "replaced": replaced,
            "opens_with": opens_with(kek.spec()),
            "key_file": new_key_file_out,
            "audit_entry": receipt.first_seq,
        }))?;
    } else {
        let verb = if replaced {
            "Replaced the grant of"
        } else {
            "Granted"
        };
        println!(
            "{verb} {to} for compartment {c} (by {}); recorded in ledger entry {} \
             (audit.granted).",
            by.handler, receipt.first_seq
        );
        if let Some(p) = new_key_file_out {
            println!(
                "Key file of {to}: {} (mode 0600). Hand it over privately; whoever holds it \
                 opens the compartment.",
                p.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn revoke(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    compartment: &str,
    handler: &str,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    let receipt = archive.revoke(compartment, handler, &crate::stamp(author))?;
    let advice = format!(
        "if {handler} may have kept a copy of the compartment key, rotate it: qantar seal rotate \
         --compartment {compartment} --handler <another handler>"
    );
    if json {
        print_json(&json!({
            "ok": true, "compartment": compartment, "revoked": handler, "advice": advice,
            "audit_entry": receipt.first_seq,
        }))?;
    } else {
        println!(
            "Revoked {handler}'s grant for compartment {compartment}; recorded in ledger entry \
             {} (audit.revoked).",
            receipt.first_seq
        );
        println!("Note: {advice}.");
    }
    Ok(ExitCode::SUCCESS)
}

fn add(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    by: &HandlerArgs,
    file: &Path,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let inputs = crate::input::read_records(file)??;
    if inputs.is_empty() {
        return Err(input("records", "the input holds no records"));
    }
    let mut archive = open_archive(dir)?;
    // Every record is checked before a passphrase is asked for.
    let drafts = archive
        .store
        .prepare_records(&inputs, &mut uuid::Uuid::now_v7)?;
    let rows: Vec<(String, bool)> = drafts
        .iter()
        .filter_map(|d| {
            d.record
                .clone()
                .map(|id| (id, d.confidentiality == "confidential"))
        })
        .collect();
    let (keys, _) = unlock(&archive, by)?;
    let receipt = archive.append_sealed(drafts, &crate::stamp(author), &keys)?;
    let sealed = rows.iter().filter(|(_, s)| *s).count();
    if json {
        let records: Vec<Value> = rows
            .iter()
            .map(|(id, s)| json!({ "id": id, "sealed": s }))
            .collect();
        print_json(&json!({
            "ok": true,
            "compartment": by.compartment,
            "recorded": records,
            "sealed": sealed,
            "first_entry": receipt.first_seq,
            "entries": receipt.size,
        }))?;
    } else {
        println!(
            "Recorded {} record{} ({sealed} sealed in compartment {}, {} in clear).",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            by.compartment,
            rows.len() - sealed
        );
        for (id, s) in &rows {
            println!("  {id}  {}", if *s { "sealed" } else { "in clear" });
        }
        if sealed > 0 {
            println!("Sealed records have no ref: refer to them by id.");
        }
        println!(
            "The ledger now holds {} entries, covered by a signed checkpoint.",
            receipt.size
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn erased_error(record: &qantar_store::StoredRecord) -> anyhow::Error {
    StoreError::Erased {
        record: record.id.clone(),
        erased_at: record.data["erased"]["at"]
            .as_str()
            .unwrap_or("an earlier time")
            .to_string(),
    }
    .into()
}

fn show(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    id: &str,
    compartment: &Option<String>,
    handler: &str,
    key_file: &Option<PathBuf>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    let record = archive
        .store
        .get(id)?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    // Said before any passphrase is asked for.
    if record.is_erased() {
        return Err(erased_error(&record));
    }
    if !record.is_sealed() {
        return Err(StoreError::Sealing(format!(
            "record {} is not sealed; read it with `qantar show {}`",
            record.id, record.id
        ))
        .into());
    }
    let compartment = match compartment {
        Some(c) => c.clone(),
        None => archive
            .store
            .sealed_compartment(&record.id)?
            .ok_or_else(|| {
                StoreError::Sealing(format!(
                    "the key of sealed record {} is not in the key table; it cannot be opened",
                    record.id
                ))
            })?,
    };
    let by = HandlerArgs {
        compartment,
        handler: handler.to_string(),
        key_file: key_file.clone(),
    };
    let (keys, _) = unlock(&archive, &by)?;
    let stamp = crate::stamp(author);
    let before = archive.store.size()?;
    let record = archive.get_unsealed(&record.id, &keys, &stamp.author, &stamp)?;
    let after = archive.store.size()?;
    let audit = (after > before).then(|| after - 1);
    let cited_by = archive.store.referenced_by(&record.id)?;
    if json {
        let mut v = serde_json::to_value(&record)?;
        v["referenced_by"] = cited_by
            .iter()
            .map(|(id, field)| json!({ "id": id, "field": field }))
            .collect::<Vec<_>>()
            .into();
        v["audit_entry"] = json!(audit);
        v["unsealed_by"] = json!({ "reader": stamp.author, "handler": handler });
        print_json(&v)?;
    } else {
        Out::new(false).show(&archive, &record, &cited_by)?;
        println!();
        if let Some(seq) = audit {
            println!(
                "This reading was recorded in ledger entry {seq} (audit.unsealed: reader {}, \
                 handler {handler}). Do not copy what it shows into files or messages.",
                stamp.author
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn erase(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    id: &str,
    reason: &str,
    yes: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let reason: ErasureReason = reason.replace('-', "_").parse().map_err(|_| {
        input(
            "--reason",
            format!("{reason:?}: use consent-withdrawn, safety, legal-order or mistake"),
        )
    })?;
    let mut archive = open_archive(dir)?;
    let record = archive
        .store
        .get(id)?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    if record.is_erased() {
        return Err(erased_error(&record));
    }
    if !record.is_sealed() {
        return Err(StoreError::Sealing(format!(
            "record {} is not sealed: its content is in the ledger in clear and cannot be \
             crypto-erased; retract it instead (`qantar retract`)",
            record.id
        ))
        .into());
    }
    if !yes {
        return Err(input(
            "--yes",
            format!(
                "erasing record {} destroys its key: its content can never be read again, by \
                 anyone, and this cannot be undone. Add --yes to go ahead",
                record.id
            ),
        ));
    }
    let receipt = archive.erase_record(&record.id, reason, &crate::stamp(author))?;
    let caveat = "database copies made before now (backups, replicas) still hold the destroyed \
                  key: delete them, and rotate the compartment to retire key backups of its \
                  current key";
    if json {
        print_json(&json!({
            "ok": true,
            "erased": record.id,
            "reason": reason.as_str(),
            "tombstone_entry": receipt.first_seq,
            "entries": receipt.size,
            "caveat": caveat,
        }))?;
    } else {
        println!(
            "Erased record {}: its key is destroyed and nothing can open it any more.",
            record.id
        );
        println!(
            "Tombstone: ledger entry {} (record.erased, reason {}).",
            receipt.first_seq,
            reason.as_str()
        );
        println!("This cannot be undone. Note: {caveat}.");
    }
    Ok(ExitCode::SUCCESS)
}

fn rotate(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    by: &HandlerArgs,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    let (keys, kek) = unlock(&archive, by)?;
    let before = archive
        .store
        .compartments()?
        .into_iter()
        .find(|c| c.name == by.compartment)
        .context("the compartment vanished while rotating")?;
    // Only the rotating handler is re-granted: asking the others for their
    // passphrases at this keyboard would defeat personal passphrases, and a
    // rotation is usually meant to shut someone out.
    let new =
        archive.rotate_compartment(&keys, &[(by.handler.as_str(), &kek)], &crate::stamp(author))?;
    let audit_entry = archive.store.size()? - 1;
    let dropped: Vec<&String> = before
        .handlers
        .iter()
        .filter(|h| **h != by.handler)
        .collect();
    let (c, h) = (&by.compartment, &by.handler);
    let regrant: Vec<String> = dropped
        .iter()
        .map(|d| format!("qantar seal grant --compartment {c} --handler {h} --to {d}"))
        .collect();
    if json {
        print_json(&json!({
            "ok": true,
            "compartment": c,
            "old_fingerprint": before.fingerprint,
            "fingerprint": new.fingerprint(),
            "records_rewrapped": before.records,
            "handler": h,
            "handlers_to_regrant": dropped,
            "regrant_commands": regrant,
            "audit_entry": audit_entry,
        }))?;
    } else {
        println!(
            "Rotated compartment {c}: key {} → {}, {} record key{} re-wrapped.",
            before.fingerprint,
            new.fingerprint(),
            before.records,
            if before.records == 1 { "" } else { "s" }
        );
        println!("{h} keeps access with the same passphrase or key file.");
        println!("Recorded in ledger entry {audit_entry} (audit.rotated).");
        if !dropped.is_empty() {
            println!(
                "These handlers have no access until granted again (each types a new passphrase, \
                 or is given a new key file with --new-key-file-out):"
            );
            for r in &regrant {
                println!("  {r}");
            }
        }
        println!(
            "Key backups of the old key no longer open the compartment: make a new one with \
             `qantar seal backup --compartment {c} --handler {h} --out FILE`."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn backup(
    dir: &Option<PathBuf>,
    by: &HandlerArgs,
    out: &Path,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let archive = open_archive(dir)?;
    secret::refuse_existing("--out", out)?;
    let (keys, _) = unlock(&archive, by)?;
    let pass = secret::new_passphrase("new passphrase for the key backup")?;
    let kek = passphrase_kek(&pass)?;
    let bytes = archive
        .store
        .backup_keys(&[&keys], &crate::clock::now_utc(), &kek)?;
    secret::write_private("--out", out, &bytes)?;
    if json {
        print_json(&json!({
            "ok": true,
            "backup": out,
            "compartments": [by.compartment],
            "fingerprint": keys.fingerprint(),
        }))?;
    } else {
        println!(
            "Wrote a key backup of compartment {} (key {}) to {} (mode 0600).",
            by.compartment,
            keys.fingerprint(),
            out.display()
        );
        println!(
            "Keep it, and its passphrase, apart from the archive and in more than one place; \
             test restoring it. It stops opening the compartment when the compartment is rotated."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn restore(
    dir: &Option<PathBuf>,
    author: &Option<String>,
    file: &Path,
    handler: &str,
    new_key_file_out: &Option<PathBuf>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut archive = open_archive(dir)?;
    let bytes = qantar_seal::Zeroizing::new(std::fs::read(file).map_err(|e| {
        input(
            "file",
            format!("cannot read key backup {}: {e}", file.display()),
        )
    })?);
    if let Some(p) = new_key_file_out {
        secret::refuse_existing("--new-key-file-out", p)?;
    }
    if handler == BACKUP_HANDLER {
        return Err(input(
            "--handler",
            format!("{BACKUP_HANDLER:?} is reserved; name the person who gets the keys"),
        ));
    }
    let pass = secret::existing_passphrase("passphrase of the key backup")?;
    let stamp = crate::stamp(author);
    let restored = archive
        .restore_keys_with_passphrase(&bytes, &pass, &stamp)
        .map_err(|e| match e {
            // The file given is at fault (exit 2), not the archive.
            StoreError::Backup(
                e @ (BackupError::Damaged { .. } | BackupError::UnsupportedVersion { .. }),
            ) => StoreError::Sealing(format!("key backup {}: {e}", file.display())).into(),
            e => anyhow::Error::from(e).context(format!("key backup {}", file.display())),
        })?;
    drop(pass);
    if restored.unlocked.is_empty() {
        let mut why = Vec::new();
        if !restored.stale.is_empty() {
            why.push(format!(
                "rotated since the backup was made: {}",
                restored.stale.join(", ")
            ));
        }
        if !restored.unknown.is_empty() {
            why.push(format!(
                "not in this archive: {}",
                restored.unknown.join(", ")
            ));
        }
        return Err(StoreError::Sealing(format!(
            "this key backup opens no current compartment of the archive ({}); no grant was made",
            why.join("; ")
        ))
        .into());
    }
    let kek = new_handler_kek(handler, new_key_file_out)?;
    let mut granted = Vec::new();
    for keys in &restored.unlocked {
        let done = archive.grant(keys, handler, &kek, &stamp);
        if granted.is_empty() {
            // Nothing granted yet: the new key file would open nothing.
            or_forget(new_key_file_out, done.map_err(anyhow::Error::from))?;
        } else {
            done?;
        }
        granted.push(keys.compartment().to_string());
    }
    if json {
        print_json(&json!({
            "ok": true,
            "handler": handler,
            "granted": granted,
            "stale": restored.stale,
            "unknown": restored.unknown,
            "opens_with": opens_with(kek.spec()),
            "key_file": new_key_file_out,
        }))?;
    } else {
        println!(
            "Restored from {}: {handler} now holds compartment{} {}.",
            file.display(),
            if granted.len() == 1 { "" } else { "s" },
            granted.join(", ")
        );
        if let Some(p) = new_key_file_out {
            println!("Key file of {handler}: {} (mode 0600).", p.display());
        }
        if !restored.stale.is_empty() {
            println!(
                "Not restored (rotated since the backup): {}",
                restored.stale.join(", ")
            );
        }
        if !restored.unknown.is_empty() {
            println!(
                "Not restored (not in this archive): {}",
                restored.unknown.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
