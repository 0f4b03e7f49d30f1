//! `qantar`: the command-line face of the archive.
//!
//! Every command opens the archive named by `--archive` (or
//! `QANTAR_ARCHIVE`), does one thing, and exits 0 on success, 1 on failure
//! and 2 on bad input (with nothing written). Every command that reads has
//! `--json`. This crate holds no domain rules: it parses arguments, reads
//! files and the clock, draws randomness for keys and ids, shows progress,
//! and renders results; `qantar-store` does the work.

mod audit_cmd;
mod clock;
mod consent_cmd;
mod demo;
mod enlarge;
mod evidence_cmd;
mod export_cmd;
mod input;
mod link_cmd;
mod lock_cmd;
mod output;
mod redact_cmd;
mod register_cmd;
mod seal_cmd;
mod synth_cmd;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::{Parser, Subcommand};
use qantar_ledger::{ConsistencyBundle, InclusionBundle, NoteVerifier};
use qantar_model::Kind;
use qantar_store::{Archive, Filter, InputErrors, Stamp, StoreError};
use serde_json::{Value, json};

use crate::input::RecordFlags;
use crate::output::Out;

#[derive(Parser)]
#[command(
    name = "qantar",
    version,
    about = "An archive and register for documenting a mass crackdown: who was harmed, how, where, when and by whom, and what became of their complaints.",
    after_help = "Start with `qantar demo` to build the January 2022 demo archive, then try `qantar list person --archive qantar-demo`."
)]
struct Cli {
    /// The archive directory.
    #[arg(long, global = true, env = "QANTAR_ARCHIVE", value_name = "DIR")]
    archive: Option<PathBuf>,
    /// Who is making this change, recorded in the ledger (default: your login name).
    #[arg(long, global = true, env = "QANTAR_AUTHOR")]
    author: Option<String>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty archive in DIR.
    Init {
        dir: PathBuf,
        /// A short name (letters, digits, '-'); it becomes part of the log's origin.
        #[arg(long, default_value = "archive")]
        name: String,
        /// Keep the ledger in PostgreSQL (postgres://user@host/db[?schema=name]) instead of SQLite.
        #[arg(long, env = "QANTAR_DATABASE_URL", value_name = "URL")]
        database: Option<String>,
    },
    /// Move the archive's ledger to another database by replaying it there.
    Migrate {
        /// A postgres:// URL, or `sqlite` for DIR/archive.sqlite.
        #[arg(long)]
        to: String,
    },
    /// Build the January 2022 demo archive (in --archive, default ./qantar-demo).
    Demo {
        /// Keep the demo's ledger in PostgreSQL instead of SQLite.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Enlarge the demo with this many SYNTHETIC people (each with an act), for load tests.
        #[arg(long, default_value_t = 0)]
        persons: u64,
        /// Seed for the synthetic people.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Record new records, from flags or from a file (--file) of many records.
    Add {
        /// person, event, act, place, source, claim, proceeding or relationship (omit with --file).
        kind: Option<String>,
        /// A JSON or TOML file of records, of any kinds.
        #[arg(long, short)]
        file: Option<PathBuf>,
        /// Entries committed per transaction (each commit signs a checkpoint).
        #[arg(long, default_value_t = 1000)]
        batch_size: usize,
        #[command(flatten)]
        flags: RecordFlags,
    },
    /// Show one record by id or ref.
    Show { id: String },
    /// List records of a kind, filtered.
    List {
        /// person, event, act, place, source, claim, proceeding or relationship (plural accepted).
        kind: Option<String>,
        /// Only records at this place or anywhere inside it (id or ref).
        #[arg(long)]
        place: Option<String>,
        /// Only records dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
        #[arg(long)]
        from: Option<String>,
        /// Only records dated on or before this day.
        #[arg(long)]
        to: Option<String>,
        /// Only acts of this type, e.g. torture.
        #[arg(long)]
        act_type: Option<String>,
        /// Only records with this status (a person's, or a proceeding's current status).
        #[arg(long)]
        status: Option<String>,
        /// Only records at this confidentiality level.
        #[arg(long)]
        confidentiality: Option<String>,
        /// Only records of this type term (source kind, place type, proceeding kind, metric, relation).
        #[arg(long = "type")]
        type_term: Option<String>,
        /// Include retracted records.
        #[arg(long)]
        retracted: bool,
        #[arg(long)]
        limit: Option<u64>,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Correct a record: the new version is a new ledger entry; the old stays in the history.
    Amend {
        id: String,
        /// A JSON or TOML file with the fields to change (a merge patch: null removes a field).
        #[arg(long, short)]
        file: Option<PathBuf>,
        /// Why the record is corrected.
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        flags: RecordFlags,
    },
    /// Withdraw a record. Nothing is deleted: it stays in the ledger, marked retracted.
    Retract {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Every change to a record: who, when, what, and in which ledger entry.
    History { id: String },
    /// Check every entry, the Merkle tree and every signed checkpoint.
    Verify {
        /// Also replay the ledger into a scratch projection and compare digests.
        #[arg(long)]
        full: bool,
        /// A checkpoint kept elsewhere (printed, mailed, held by a partner):
        /// also check that today's log extends it, with the same entries.
        #[arg(long, value_name = "FILE")]
        against: Option<PathBuf>,
    },
    /// List the controlled vocabularies, or the terms of one, with their kk/ru/en labels.
    Vocab {
        /// e.g. act_types, means, outcomes, metrics, proceeding_statuses.
        name: Option<String>,
    },
    /// Sign (if needed) and print the current checkpoint.
    Checkpoint,
    /// Write a proof that a third party can check with `qantar verify-proof`.
    Prove {
        #[command(subcommand)]
        what: Prove,
    },
    /// Check a proof file against a public key, without the archive.
    VerifyProof {
        /// The proof file written by `qantar prove`.
        proof: PathBuf,
        /// The archive's public key: the text `name+id+key` or a file holding it (keys/checkpoint.pub).
        #[arg(long)]
        key: String,
    },
    /// Drop the projection and replay it from the ledger.
    Rebuild,
    /// Count records by kind, act type, place and confidentiality.
    Stats,
    /// Serve the archive on the web: the public site in kk/ru/en and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Serve the demo archive (built first in --archive, default ./qantar-demo, if missing).
        #[arg(long)]
        demo: bool,
    },
    /// Accounts of the web workspace.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// API tokens for writing through /api/v1.
    Token {
        #[command(subcommand)]
        what: TokenCommand,
    },
    /// Estimate how many people all the lists missed (multiple systems estimation).
    Estimate {
        /// List overlaps: the MSE JSON format (`lists`, `patterns` of `{in, count}`) or a CSV
        /// with one 0/1 column per list and a `count` column (and optionally a `stratum` column).
        /// Without it, the archive's register is used (see `qantar overlaps`).
        #[arg(long)]
        input: Option<PathBuf>,
        /// With the archive's register: estimate each stratum on its own (region, act-type,
        /// period; or day, week).
        #[arg(long, conflicts_with = "input")]
        by: Option<String>,
        /// Seed of the random generator (LCMCR); the same seed gives the same answer.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Rank log-linear models by `bic` (default) or `aic`.
        #[arg(long, default_value = "bic")]
        criterion: String,
        /// Report this log-linear model instead of the best, e.g. `[123,14,34]` or `Mth Darroch`.
        #[arg(long)]
        model: Option<String>,
        /// LCMCR truncation level K (latent classes).
        #[arg(long, default_value_t = 10)]
        classes: usize,
        /// LCMCR chains, run in parallel.
        #[arg(long, default_value_t = 4)]
        chains: usize,
        /// LCMCR sweeps kept per chain (after burn-in).
        #[arg(long, default_value_t = 200_000)]
        iterations: u64,
        /// Skip LCMCR (log-linear models only; fast).
        #[arg(long)]
        no_lcmcr: bool,
    },
    /// Find who is who: across the archive's lists and persons (no --input), or in list files.
    Link(link_cmd::LinkArgs),
    /// Import a list of victims (CSV, XLSX, JSON): each row becomes a list entry of its source.
    Import(register_cmd::ImportArgs),
    /// Review uncertain pairs of the last linkage: same person, different people, or unsure.
    Review(register_cmd::ReviewArgs),
    /// The register: each person with the lists that name them (after `qantar link`).
    Register(register_cmd::RegisterArgs),
    /// Lock the archive at once: end every web session and API token use until people log in again.
    Lock,
    /// Sealed compartments for confidential records: set up, grant, rotate, back up, unseal, erase.
    #[command(subcommand)]
    Seal(seal_cmd::SealCommand),
    /// Photos and documents attached to records: originals kept with their hash, public copies stripped.
    #[command(subcommand)]
    Evidence(evidence_cmd::EvidenceCommand),
    /// The audit trail from the ledger: unsealings, permission changes, exports, erasures, retractions.
    Audit(audit_cmd::AuditArgs),
    /// The register's list-overlap table, overall or by stratum (the MSE JSON format with --json).
    Overlaps {
        /// region, act-type or period (by month; or day, week).
        #[arg(long)]
        by: Option<String>,
    },
    /// Generate a synthetic population and overlapping victim lists with known truth.
    Synth(synth_cmd::SynthArgs),
    /// Consent records: what each person and testimony agreed may be published; withdrawal.
    #[command(subcommand)]
    Consent(consent_cmd::ConsentCommand),
    /// Append the public version of a record: identifying fields dropped, the original untouched.
    Redact(redact_cmd::RedactArgs),
    /// Write what the public site shows to files (JSON Lines or CSV) with a signed manifest.
    Export(export_cmd::ExportArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input (one line).
    Add {
        name: String,
        /// viewer, analyst, editor or admin.
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for an account; it is printed once and stored only as a hash.
    Add {
        account: String,
        /// What the token is for, e.g. "import script".
        #[arg(long, default_value = "api")]
        label: String,
    },
}

#[derive(Subcommand)]
enum Prove {
    /// Prove that entry SEQ is in the log.
    Inclusion {
        seq: u64,
        /// Tree size to prove against (default: the latest checkpoint).
        #[arg(long)]
        size: Option<u64>,
        /// Write the proof here (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Prove that the log of OLD entries is a prefix of the log of NEW entries.
    Consistency {
        old: u64,
        /// Default: the latest checkpoint.
        new: Option<u64>,
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

/// Failures sorted by who must act: the user (2) or the archive/system (1).
enum Failure {
    Input(anyhow::Error),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast_ref::<StoreError>() {
            Some(s) if s.is_input() => Failure::Input(e),
            _ => match e.downcast_ref::<InputErrors>() {
                Some(_) => Failure::Input(e),
                None => Failure::Other(e),
            },
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::from(anyhow::Error::from(e))
    }
}

fn bad_input(field: &str, reason: impl Into<String>) -> Failure {
    Failure::Input(InputErrors::one(field, reason).into())
}

fn main() -> ExitCode {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; it only
    // resets a signal disposition to the system default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let json = cli.json;
    let out = Out::new(json);
    match run(cli, &out) {
        Ok(code) => code,
        Err(f) => {
            let (code, e) = match f {
                Failure::Input(e) => (2u8, e),
                Failure::Other(e) => (1u8, e),
            };
            if json {
                let errors = e
                    .downcast_ref::<StoreError>()
                    .and_then(|s| match s {
                        StoreError::Input(i) => {
                            Some(serde_json::to_value(i).unwrap_or(Value::Null))
                        }
                        _ => None,
                    })
                    .or_else(|| {
                        e.downcast_ref::<InputErrors>()
                            .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
                    });
                let body = json!({ "ok": false, "error": format!("{e:#}"), "errors": errors });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&body).unwrap_or_default()
                );
            }
            eprintln!("error: {e:#}");
            if code == 2 {
                eprintln!("nothing was written.");
            }
            ExitCode::from(code)
        }
    }
}

fn stamp(cli_author: &Option<String>) -> Stamp {
    let author = cli_author
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".into());
    Stamp {
        author,
        time: clock::now_utc(),
    }
}

fn archive_dir(cli: &Option<PathBuf>) -> Result<PathBuf, Failure> {
    cli.clone().ok_or_else(|| {
        bad_input(
            "--archive",
            "which archive? pass --archive <DIR> or set QANTAR_ARCHIVE (create one with `qantar init <DIR>` or `qantar demo`)",
        )
    })
}

fn open(cli: &Option<PathBuf>) -> Result<Archive, Failure> {
    let dir = archive_dir(cli)?;
    Archive::open(&dir).map_err(|e| match e {
        StoreError::Archive(_) => Failure::Input(e.into()),
        other => other.into(),
    })
}

fn parse_kind(s: &str) -> Result<Kind, Failure> {
    s.parse::<Kind>()
        .map_err(|e| bad_input("kind", format!("{e}")))
}

fn random_seed() -> anyhow::Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| anyhow!("the system has no randomness to make a key: {e}"))?;
    Ok(seed)
}

fn run(cli: Cli, out: &Out) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Init {
            dir,
            name,
            database,
        } => {
            let id = uuid::Uuid::now_v7().simple().to_string()[..12].to_string();
            let archive = Archive::init(
                &dir,
                &name,
                random_seed()?,
                &id,
                &stamp(&cli.author),
                database.as_deref(),
            )?;
            out.created(&archive);
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            database,
            persons,
            seed,
        } => {
            let dir = cli
                .archive
                .clone()
                .unwrap_or_else(|| PathBuf::from("qantar-demo"));
            build_demo(&dir, &cli.author, database.as_deref(), out)?;
            if persons > 0 {
                let mut archive = open(&Some(dir.clone()))?;
                if archive.store.lookup("synthetic-load-test")?.is_some() {
                    return Err(bad_input(
                        "--persons",
                        "this demo archive was enlarged already; build a fresh one",
                    ));
                }
                let records = enlarge::synthetic_records(persons, seed);
                let stamp = stamp(&cli.author);
                add_records(&mut archive, &records, 10_000, &stamp, out)?;
                if !cli.json {
                    println!("Added {persons} synthetic people (marked as such) for load tests.");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Add {
            kind,
            file,
            batch_size,
            flags,
        } => {
            let inputs = match (&file, &kind) {
                (Some(path), None) => read_file(path)?,
                (Some(_), Some(_)) => {
                    return Err(bad_input(
                        "kind",
                        "give either a kind with flags, or --file, not both",
                    ));
                }
                (None, Some(k)) => {
                    let kind = parse_kind(k)?;
                    vec![Value::Object(
                        flags
                            .to_json(kind, true)
                            .map_err(|e| Failure::Input(e.into()))?,
                    )]
                }
                (None, None) => {
                    return Err(bad_input(
                        "kind",
                        "say what to add (e.g. `qantar add person --name …`) or give --file",
                    ));
                }
            };
            let mut archive = open(&cli.archive)?;
            let ids = add_records(
                &mut archive,
                &inputs,
                batch_size.max(1),
                &stamp(&cli.author),
                out,
            )?;
            out.added(&archive, &ids)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id } => {
            let archive = open(&cli.archive)?;
            let record = archive
                .store
                .get(&id)?
                .ok_or_else(|| Failure::from(StoreError::NotFound(id.clone())))?;
            let cited_by = archive.store.referenced_by(&record.id)?;
            out.show(&archive, &record, &cited_by)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::List {
            kind,
            place,
            from,
            to,
            act_type,
            status,
            confidentiality,
            type_term,
            retracted,
            limit,
            offset,
        } => {
            let archive = open(&cli.archive)?;
            let kind = kind.as_deref().map(parse_kind).transpose()?;
            let from = from.map(|d| day_bound(&d, "--from", false)).transpose()?;
            let to = to.map(|d| day_bound(&d, "--to", true)).transpose()?;
            if let Some(c) = &confidentiality {
                c.parse::<qantar_model::Confidentiality>()
                    .map_err(|e| bad_input("--confidentiality", e.to_string()))?;
            }
            let filter = Filter {
                kind,
                place,
                from,
                to,
                act_type,
                status,
                confidentiality,
                type_term,
                include_retracted: retracted,
                limit,
                offset,
            };
            let records = archive.store.list(&filter)?;
            out.list(&records)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Amend {
            id,
            file,
            reason,
            flags,
        } => {
            let mut archive = open(&cli.archive)?;
            let current = archive
                .store
                .get(&id)?
                .ok_or_else(|| Failure::from(StoreError::NotFound(id.clone())))?;
            let kind = parse_kind(&current.kind)?;
            let mut patch = flags
                .to_json(kind, false)
                .map_err(|e| Failure::Input(e.into()))?;
            if let Some(path) = &file {
                let mut items = read_file(path)?;
                if items.len() != 1 || !items[0].is_object() {
                    return Err(bad_input(
                        "--file",
                        "an amendment file holds one object of the fields to change",
                    ));
                }
                if let Value::Object(o) = items.remove(0) {
                    for (k, v) in o {
                        patch.insert(k, v);
                    }
                }
            }
            if patch.is_empty() {
                return Err(bad_input(
                    "amend",
                    "nothing to change: give flags such as --set FIELD=VALUE, or --file",
                ));
            }
            let draft =
                archive
                    .store
                    .prepare_amend(&id, &Value::Object(patch), reason.as_deref())?;
            let receipt = archive.append(vec![draft], &stamp(&cli.author))?;
            out.changed("amended", &current.id, &receipt);
            Ok(ExitCode::SUCCESS)
        }
        Command::Retract { id, reason } => {
            let mut archive = open(&cli.archive)?;
            let draft = archive.store.prepare_retract(&id, &reason)?;
            let record = draft.record.clone().unwrap_or_default();
            let receipt = archive.append(vec![draft], &stamp(&cli.author))?;
            out.changed("retracted", &record, &receipt);
            Ok(ExitCode::SUCCESS)
        }
        Command::History { id } => {
            let archive = open(&cli.archive)?;
            let items = archive.store.history(&id)?;
            out.history(&id, &items)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { full, against } => {
            let archive = open(&cli.archive)?;
            let kept = against
                .map(|p| {
                    std::fs::read_to_string(&p)
                        .with_context(|| format!("cannot read {}", p.display()))
                })
                .transpose()?;
            let progress = output::Progress::new("verifying", out.quiet_progress(), false);
            let mut report = archive.store.verify(
                &archive.verifier(),
                &archive.config.origin,
                full,
                &mut |stage, n, total| progress.update(stage, n, total),
            )?;
            progress.finish();
            if let Some(note) = kept {
                check_against(&archive, &note, &mut report)?;
            }
            out.verify(&report)?;
            Ok(if report.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Checkpoint => {
            let mut archive = open(&cli.archive)?;
            let (size, note) = archive.checkpoint()?;
            out.checkpoint(&archive, size, &note)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Prove { what } => {
            let archive = open(&cli.archive)?;
            let (latest, latest_note) = archive.store.latest_checkpoint()?.ok_or_else(|| {
                bad_input(
                    "prove",
                    "the archive has no checkpoint yet; run `qantar checkpoint`",
                )
            })?;
            let (text, path) = match what {
                Prove::Inclusion {
                    seq,
                    size,
                    out: path,
                } => {
                    let size = size.unwrap_or(latest);
                    let note = checkpoint_for(&archive, size, latest, &latest_note)?;
                    let proof = archive.store.inclusion_proof(seq, size)?;
                    let entry = archive.store.entry(seq)?;
                    let bundle = InclusionBundle {
                        format: "qantar-inclusion-proof/v1".into(),
                        index: seq,
                        tree_size: size,
                        entry: b64(&entry.canonical_bytes()),
                        leaf_hash: hex::encode(entry.leaf_hash()),
                        proof: proof.iter().map(hex::encode).collect(),
                        checkpoint: note,
                    };
                    (
                        serde_json::to_string_pretty(&bundle).context("encoding the proof")?,
                        path,
                    )
                }
                Prove::Consistency {
                    old,
                    new,
                    out: path,
                } => {
                    let new = new.unwrap_or(latest);
                    if old == 0 {
                        return Err(bad_input(
                            "old-size",
                            "every log extends the empty log, so there is nothing to prove from size 0; check the signed checkpoint itself instead (`qantar checkpoint`)",
                        ));
                    }
                    let note = checkpoint_for(&archive, new, latest, &latest_note)?;
                    let proof = archive.store.consistency_proof(old, new)?;
                    let bundle = ConsistencyBundle {
                        format: "qantar-consistency-proof/v1".into(),
                        old_size: old,
                        new_size: new,
                        old_root: hex::encode(archive.store.root_at(old)?),
                        proof: proof.iter().map(hex::encode).collect(),
                        old_checkpoint: archive.store.checkpoint_at(old)?,
                        checkpoint: note,
                    };
                    (
                        serde_json::to_string_pretty(&bundle).context("encoding the proof")?,
                        path,
                    )
                }
            };
            match path {
                Some(p) => {
                    std::fs::write(&p, format!("{text}\n"))
                        .with_context(|| format!("cannot write {}", p.display()))?;
                    out.wrote(&p);
                }
                None => println!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyProof { proof, key } => {
            let key_text = if Path::new(&key).is_file() {
                std::fs::read_to_string(&key).with_context(|| format!("cannot read {key}"))?
            } else {
                key.clone()
            };
            let verifier = NoteVerifier::parse(key_text.trim())
                .map_err(|e| bad_input("--key", format!("not a verifier key: {e}")))?;
            let text = std::fs::read_to_string(&proof)
                .with_context(|| format!("cannot read {}", proof.display()))?;
            let value: Value = serde_json::from_str(&text)
                .map_err(|e| bad_input("proof", format!("not a proof file: {e}")))?;
            let format = value
                .get("format")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let result = match format.as_str() {
                "qantar-inclusion-proof/v1" => {
                    let b: InclusionBundle = serde_json::from_value(value)
                        .map_err(|e| bad_input("proof", e.to_string()))?;
                    qantar_ledger::verify_inclusion_bundle(&b, &verifier).map_err(|e| e.to_string())
                }
                "qantar-consistency-proof/v1" => {
                    let b: ConsistencyBundle = serde_json::from_value(value)
                        .map_err(|e| bad_input("proof", e.to_string()))?;
                    qantar_ledger::verify_consistency_bundle(&b, &verifier)
                        .map_err(|e| e.to_string())
                }
                other => {
                    return Err(bad_input(
                        "format",
                        format!("unknown proof format {other:?}"),
                    ));
                }
            };
            out.proof_result(&result)?;
            Ok(if result.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Rebuild => {
            let mut archive = open(&cli.archive)?;
            let progress = output::Progress::new("rebuilding", out.quiet_progress(), false);
            let started = std::time::Instant::now();
            let n = archive
                .store
                .rebuild(&mut |n, t| progress.update("entries", n, t))?;
            progress.finish();
            let digest = archive.store.projection_digest()?;
            out.rebuilt(n, &digest, started.elapsed())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let archive = open(&cli.archive)?;
            out.stats(&archive.store.stats()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { to } => {
            let mut archive = open(&cli.archive)?;
            let before = archive.store.backend();
            let progress = output::Progress::new("copying", out.quiet_progress(), false);
            let n = archive.migrate(&to, &mut |n, t| progress.update("entries", n, t))?;
            progress.finish();
            let report = archive.store.verify(
                &archive.verifier(),
                &archive.config.origin,
                true,
                &mut |_, _, _| {},
            )?;
            out.migrated(
                before.as_str(),
                archive.store.backend().as_str(),
                n,
                &report,
            )?;
            Ok(if report.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Vocab { name } => {
            out.vocab(name.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { listen, demo } => {
            let dir = if demo {
                let dir = cli
                    .archive
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("qantar-demo"));
                // Say where the demo is and what to try, then serve it.
                build_demo(&dir, &cli.author, None, out)?;
                println!();
                dir
            } else {
                archive_dir(&cli.archive)?
            };
            // Open once here so a wrong directory is a clear input error.
            drop(open(&Some(dir.clone()))?);
            qantar_web::serve(qantar_web::ServeOptions {
                archive: dir,
                listen,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            what: UserCommand::Add { name, role },
        } => {
            let dir = archive_dir(&cli.archive)?;
            let role = qantar_web::Role::parse(&role).ok_or_else(|| {
                bad_input(
                    "--role",
                    format!("{role:?}: use viewer, analyst, editor or admin"),
                )
            })?;
            if std::io::stdin().is_terminal() {
                eprint!(
                    "password for {name} (at least 10 characters; it will be visible as you type): "
                );
            }
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let mut archive = open(&cli.archive)?;
            qantar_web::add_user(&dir, &name, role, password)
                .map_err(|e| bad_input("user", format!("{e:#}")))?;
            lock_cmd::record_account_change(
                &mut archive,
                &stamp(&cli.author),
                &name,
                "created",
                Some(("role", json!(role.as_str()))),
            )?;
            if cli.json {
                println!(
                    "{}",
                    json!({ "ok": true, "user": name, "role": role.as_str() })
                );
            } else {
                println!("Created {} account {name}.", role.as_str());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            what: TokenCommand::Add { account, label },
        } => {
            let dir = archive_dir(&cli.archive)?;
            let mut archive = open(&cli.archive)?;
            let token = qantar_web::create_token(&dir, &account, &label)
                .map_err(|e| bad_input("token", format!("{e:#}")))?;
            lock_cmd::record_account_change(
                &mut archive,
                &stamp(&cli.author),
                &account,
                "token_issued",
                Some(("label", json!(label))),
            )?;
            if cli.json {
                println!(
                    "{}",
                    json!({ "ok": true, "account": account, "token": token })
                );
            } else {
                println!("{token}");
                eprintln!(
                    "This token is shown only now. Use it as `Authorization: Bearer <token>`."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Estimate {
            input,
            by,
            seed,
            criterion,
            model,
            classes,
            chains,
            iterations,
            no_lcmcr,
        } => {
            let strata = match &input {
                Some(input) => {
                    let text = std::fs::read_to_string(input)
                        .with_context(|| format!("cannot read {}", input.display()))?;
                    qantar_estimate::read_input(&text)
                        .map_err(|e| bad_input(&input.display().to_string(), e.to_string()))?
                }
                None => {
                    if cli.archive.is_none() {
                        return Err(bad_input(
                            "--input",
                            "give --input <overlaps.json|csv>, or --archive <DIR> to estimate from its register",
                        ));
                    }
                    register_cmd::strata(&open(&cli.archive)?, by.as_deref())?
                }
            };
            let criterion = match criterion.as_str() {
                "bic" => qantar_estimate::Criterion::Bic,
                "aic" => qantar_estimate::Criterion::Aic,
                other => {
                    return Err(bad_input(
                        "--criterion",
                        format!("{other:?}: use bic or aic"),
                    ));
                }
            };
            let options = qantar_estimate::Options {
                loglinear: Some(qantar_estimate::LogLinearOptions {
                    criterion,
                    model,
                    ..Default::default()
                }),
                lcmcr: (!no_lcmcr).then(|| qantar_estimate::LcmcrOptions {
                    classes,
                    chains,
                    iterations,
                    burnin: (iterations / 10).max(1_000),
                    seed,
                    ..Default::default()
                }),
                ..Default::default()
            };
            let report = qantar_estimate::estimate_strata(&strata, &options)
                .map_err(|e| bad_input("estimate", e.to_string()))?;
            if cli.json {
                println!("{}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Link(args) if args.inputs.is_empty() => {
            let archive = open(&cli.archive)?;
            let settings = qantar_register::LinkSettings {
                match_probability: args.threshold,
                seed: args.seed,
                age_as_of: args.age_as_of,
                ..Default::default()
            };
            Ok(register_cmd::link_archive(
                &archive,
                &settings,
                &clock::now_utc(),
                cli.json,
                out.quiet_progress(),
            )?)
        }
        Command::Link(args) => Ok(link_cmd::run(&args, cli.json)?),
        Command::Lock => Ok(lock_cmd::run(&cli.archive, &stamp(&cli.author), cli.json)?),
        Command::Seal(cmd) => Ok(seal_cmd::run(&cmd, &cli.archive, &cli.author, cli.json)?),
        Command::Evidence(cmd) => Ok(evidence_cmd::run(
            &cmd,
            &cli.archive,
            &cli.author,
            cli.json,
        )?),
        Command::Audit(args) => Ok(audit_cmd::run(&open(&cli.archive)?, &args, cli.json)?),
        Command::Import(args) => {
            let mut archive = open(&cli.archive)?;
            Ok(register_cmd::import(
                &mut archive,
                &args,
                &stamp(&cli.author),
                cli.json,
                out.quiet_progress(),
            )?)
        }
        Command::Review(args) => {
            let mut archive = open(&cli.archive)?;
            Ok(register_cmd::review(
                &mut archive,
                &args,
                &stamp(&cli.author),
                cli.json,
            )?)
        }
        Command::Register(args) => Ok(register_cmd::register(
            &open(&cli.archive)?,
            &args,
            cli.json,
        )?),
        Command::Overlaps { by } => Ok(register_cmd::overlaps(
            &open(&cli.archive)?,
            by.as_deref(),
            cli.json,
        )?),
        Command::Synth(args) => Ok(synth_cmd::run(&args, cli.json)?),
        Command::Consent(cmd) => consent_cmd::run(&cmd, &cli.archive, &cli.author, cli.json),
        Command::Redact(args) => redact_cmd::run(&args, &cli.archive, &cli.author, cli.json),
        Command::Export(args) => export_cmd::run(&args, &cli.archive, &cli.author, cli.json),
    }
}

/// Does the archive's log, as verified, extend a checkpoint kept elsewhere?
/// The kept note must be signed by this archive's key; its root must be the
/// root of our first `size` entries, or history was rewritten.
fn check_against(
    archive: &Archive,
    note: &str,
    report: &mut qantar_store::VerifyReport,
) -> Result<(), Failure> {
    let checkpoint = qantar_ledger::Checkpoint::open(note, &[archive.verifier()]).map_err(|e| {
        bad_input(
            "--against",
            format!("not a checkpoint signed by this archive: {e}"),
        )
    })?;
    let fault = if checkpoint.origin != archive.config.origin {
        Some(format!(
            "the kept checkpoint is for log {:?}, not this archive",
            checkpoint.origin
        ))
    } else if checkpoint.size > report.entries {
        Some(format!(
            "the kept checkpoint covers {} entries but the log now holds only {}: entries were removed",
            checkpoint.size, report.entries
        ))
    } else if archive.store.root_at(checkpoint.size)? != checkpoint.root {
        Some(format!(
            "the first {} entries are not the ones the kept checkpoint signed: history was rewritten",
            checkpoint.size
        ))
    } else {
        None
    };
    if let Some(what) = fault {
        report.ok = false;
        report
            .problems
            .insert(0, qantar_store::Problem { seq: None, what });
    }
    Ok(())
}

/// `2022-01` as a lower bound is 2022-01-01; as an upper bound 2022-01-31.
fn day_bound(text: &str, flag: &str, upper: bool) -> Result<String, Failure> {
    let date: qantar_model::ApproxDate = text
        .parse()
        .map_err(|e| bad_input(flag, format!("{e} (use YYYY-MM-DD, YYYY-MM or YYYY)")))?;
    let day = if upper {
        date.latest()
    } else {
        date.earliest()
    };
    day.map(|d| d.to_string())
        .ok_or_else(|| bad_input(flag, "give a bounded date"))
}

fn checkpoint_for(
    archive: &Archive,
    size: u64,
    latest: u64,
    latest_note: &str,
) -> Result<String, Failure> {
    if size == latest {
        return Ok(latest_note.to_string());
    }
    archive.store.checkpoint_at(size)?.ok_or_else(|| {
        bad_input(
            "size",
            format!("no signed checkpoint of size {size}; prove against the latest ({latest}) or a size that `qantar verify --json` lists"),
        )
    })
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn read_file(path: &Path) -> Result<Vec<Value>, Failure> {
    input::read_records(path)?.map_err(|e| Failure::Input(e.into()))
}

/// Check every record first (all or nothing), then commit in batches, each
/// with its own signed checkpoint, showing progress.
fn add_records(
    archive: &mut Archive,
    inputs: &[Value],
    batch_size: usize,
    stamp: &Stamp,
    out: &Out,
) -> Result<Vec<String>, Failure> {
    if inputs.is_empty() {
        return Err(bad_input("records", "the input holds no records"));
    }
    let drafts = archive
        .store
        .prepare_records(inputs, &mut uuid::Uuid::now_v7)?;
    let ids: Vec<String> = drafts.iter().filter_map(|d| d.record.clone()).collect();
    let total = drafts.len() as u64;
    let progress = output::Progress::new(
        "recording",
        out.quiet_progress() || total < 2000,
        total > batch_size as u64,
    );
    let mut done = 0u64;
    let mut drafts = drafts.into_iter().peekable();
    while drafts.peek().is_some() {
        let batch: Vec<_> = drafts.by_ref().take(batch_size).collect();
        let n = batch.len() as u64;
        let receipt = archive.append(batch, stamp)?;
        done += n;
        progress.committed(done, total, receipt.size);
    }
    progress.finish();
    Ok(ids)
}

fn build_demo(
    dir: &Path,
    author: &Option<String>,
    database: Option<&str>,
    out: &Out,
) -> Result<(), Failure> {
    if dir.join(qantar_store::archive::CONFIG_FILE).exists() {
        let archive = open(&Some(dir.to_path_buf()))?;
        out.demo(&archive, false)?;
        return Ok(());
    }
    let stamp = Stamp {
        author: author.clone().unwrap_or_else(|| "qantar-demo".into()),
        time: clock::now_utc(),
    };
    let id = uuid::Uuid::now_v7().simple().to_string()[..12].to_string();
    let mut archive = Archive::init(dir, "demo", random_seed()?, &id, &stamp, database)?;
    let records = demo::demo_records().context("the built-in demo data is broken")?;
    add_records(&mut archive, &records, 1000, &stamp, out)?;
    out.demo(&archive, true)?;
    Ok(())
}
