//! `qantar redact ID`: the public version of a record.
//!
//! The original is never changed and never published under an anonymised
//! consent; redaction appends a *derived* record of the same kind
//! (`derived_from` the original) with the identifying fields dropped,
//! notes dropped, and confidentiality public. The rules are
//! `qantar_model::consent`; this module reads flags, unseals the original
//! when it is sealed (which is recorded in the ledger), and appends.

use std::path::PathBuf;
use std::process::ExitCode;

use qantar_model::Redaction;
use serde_json::{Value, json};

use crate::Failure;
use crate::seal_cmd::{self, HandlerArgs};

#[derive(Debug, clap::Args)]
pub struct RedactArgs {
    /// The record to publish a redacted version of (id or ref).
    pub id: String,
    /// More fields to drop, comma-separated (e.g. `--drop roles,age`).
    #[arg(long, value_delimiter = ',')]
    pub drop: Vec<String>,
    /// Identifying fields to keep after all, comma-separated (refused under an anonymised consent).
    #[arg(long, value_delimiter = ',')]
    pub keep: Vec<String>,
    /// A field of the public version, as FIELD=VALUE (VALUE is read as JSON when it parses).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// For a sealed original: its compartment.
    #[arg(long, requires = "handler")]
    pub compartment: Option<String>,
    /// For a sealed original: the handler who unseals it (the reading is recorded).
    #[arg(long, requires = "compartment")]
    pub handler: Option<String>,
    /// The handler's key file, if they use one instead of a passphrase.
    #[arg(long, value_name = "FILE", requires = "handler")]
    pub key_file: Option<PathBuf>,
}

fn parse_set(items: &[String]) -> Result<Vec<(String, Value)>, Failure> {
    items
        .iter()
        .map(|s| {
            let (k, v) = s
                .split_once('=')
                .ok_or_else(|| crate::bad_input("--set", format!("{s:?} is not FIELD=VALUE")))?;
            let k = k.trim();
            if k.is_empty() {
                return Err(crate::bad_input("--set", format!("{s:?} names no field")));
            }
            let v = serde_json::from_str::<Value>(v).unwrap_or_else(|_| json!(v));
            Ok((k.to_string(), v))
        })
        .collect()
}

pub(crate) fn run(
    args: &RedactArgs,
    dir: &Option<PathBuf>,
    author: &Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let mut archive = crate::open(dir)?;
    let how = Redaction {
        drop: args.drop.iter().map(|s| s.trim().to_string()).collect(),
        keep: args.keep.iter().map(|s| s.trim().to_string()).collect(),
        set: parse_set(&args.set)?,
    };
    // Consent and the redaction's fields are judged before the original is
    // read: a refused redaction of a sealed record leaves no audit entry.
    let plan = qantar_web::redaction::plan(&archive.store, &args.id, &how)?;
    let (stored, decision) = (&plan.stored, &plan.decision);
    let stamp = crate::stamp(author);
    let data = if stored.is_sealed() {
        let (Some(compartment), Some(handler)) = (&args.compartment, &args.handler) else {
            return Err(crate::bad_input(
                "--handler",
                format!(
                    "record {} is sealed: pass --compartment and --handler (and --key-file if \
                     the handler uses one) to unseal it for redaction; the reading is recorded \
                     in the ledger",
                    stored.id
                ),
            ));
        };
        let by = HandlerArgs {
            compartment: compartment.clone(),
            handler: handler.clone(),
            key_file: args.key_file.clone(),
        };
        let (keys, _) = seal_cmd::unlock(&archive, &by)?;
        archive
            .get_unsealed(&stored.id, &keys, &stamp.author, &stamp)?
            .data
    } else {
        stored.data.clone()
    };
    let derived = qantar_web::redaction::derive(&plan, &data, &how)?;
    let (input, dropped) = (derived.input, derived.dropped);
    let drafts = archive
        .store
        .prepare_records(std::slice::from_ref(&input), &mut uuid::Uuid::now_v7)?;
    let id = drafts[0].record.clone().unwrap_or_default();
    let receipt = archive.append(drafts, &stamp)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "ok": true,
                "derived": id,
                "derived_from": stored.id,
                "seq": receipt.first_seq,
                "dropped": dropped,
                "kept": how.keep,
                "verdict": decision.verdict.as_str(),
                "record": input,
            }))
            .map_err(anyhow::Error::from)?
        );
    } else {
        println!(
            "Recorded {id}, the public version of {} (ledger entry {}).",
            stored.id, receipt.first_seq
        );
        if !dropped.is_empty() {
            println!("Dropped or replaced: {}.", dropped.join(", "));
        }
        println!("Consent: {}.", decision.why);
    }
    Ok(ExitCode::SUCCESS)
}
