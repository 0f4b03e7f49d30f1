//! `qantar audit`: the audit trail as the ledger holds it. Who unsealed
//! which record with whose key, who created, granted, revoked, rotated or
//! restored a compartment key, what was exported, erased or retracted, and
//! when. Every line is a signed, hash-chained ledger entry, so a second
//! person reads the same trail the administrator does, and `qantar verify`
//! proves nobody edited it.
//!
//! It opens no compartment and prints no record content: audit entries
//! carry none by construction, and sealed records are named by id only.

use std::io::Write;
use std::process::ExitCode;

use qantar_ledger::Entry;
use qantar_store::{Archive, StoreError};
use serde_json::{Value, json};

/// Arguments of `qantar audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Only entries of this kind, or kinds starting with it: `audit.granted`, `audit.`,
    /// `record.erased`; a bare `unsealed`, `granted`, `exported`, `erased` … means
    /// `audit.unsealed`, `record.erased` and so on.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only entries from this sequence number on.
    #[arg(long, default_value_t = 0, value_name = "SEQ")]
    pub since: u64,
    /// Only entries about this record (its id, or its ref if it has one).
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
}

fn kind_matches(kind: &str, wanted: &str) -> bool {
    kind.starts_with(wanted)
        || kind
            .strip_prefix("audit.")
            .or_else(|| kind.strip_prefix("record."))
            .is_some_and(|rest| rest.starts_with(wanted))
}

fn text<'a>(p: &'a Value, key: &str) -> &'a str {
    p.get(key).and_then(Value::as_str).unwrap_or("?")
}

fn names(p: &Value, key: &str) -> String {
    let list: Vec<&str> = p
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

/// One line for people. Kinds this version does not know (e.g. written by
/// a newer qantar) are shown by their scalar payload fields.
fn details(e: &Entry) -> String {
    let p = &e.payload;
    match e.kind.as_str() {
        "audit.unsealed" => match p.get("records") {
            Some(n) => format!(
                "reader {} opened {n} {} records of compartment {} with handler {}'s key ({})",
                text(p, "reader"),
                text(p, "kind"),
                text(p, "compartment"),
                text(p, "handler"),
                text(p, "purpose"),
            ),
            None => format!(
                "reader {} with handler {}'s key",
                text(p, "reader"),
                text(p, "handler")
            ),
        },
        "audit.compartment_created" => format!(
            "compartment {} created, first handler {} ({}), key {}",
            text(p, "compartment"),
            text(p, "handler"),
            text(p, "opens_with"),
            text(p, "fingerprint"),
        ),
        "audit.granted" => format!(
            "compartment {}: {} {} by {} ({})",
            text(p, "compartment"),
            if p["replaced"] == true {
                "grant replaced for"
            } else {
                "granted to"
            },
            text(p, "handler"),
            text(p, "granted_by"),
            text(p, "opens_with"),
        ),
        "audit.revoked" => format!(
            "compartment {}: grant of {} revoked",
            text(p, "compartment"),
            text(p, "handler")
        ),
        "audit.rotated" => format!(
            "compartment {} rotated by handler {}: key {} → {}, {} record keys re-wrapped; kept: \
             {}; lost access: {}",
            text(p, "compartment"),
            text(p, "handler"),
            text(p, "old_fingerprint"),
            text(p, "fingerprint"),
            p["records_rewrapped"],
            names(p, "handlers"),
            names(p, "dropped"),
        ),
        "audit.keys_restored" => {
            let current: Vec<&str> = p["compartments"]
                .as_array()
                .map(|a| a.iter().filter_map(|c| c["compartment"].as_str()).collect())
                .unwrap_or_default();
            format!(
                "key backup of {} opened; current keys: {}; rotated since: {}",
                text(p, "backup_created_at"),
                if current.is_empty() {
                    "none".into()
                } else {
                    current.join(", ")
                },
                names(p, "stale"),
            )
        }
        "record.erased" => format!("crypto-erased, reason {}", text(p, "reason")),
        "record.retracted" => format!("retracted: {}", text(p, "reason")),
        _ => p
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(_, v)| !v.is_object() && !v.is_array())
                    .map(|(k, v)| match v {
                        Value::String(s) => format!("{k} {s}"),
                        other => format!("{k} {other}"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
    }
}

fn as_json(e: &Entry) -> Value {
    json!({
        "seq": e.seq,
        "time": e.time,
        "author": e.author,
        "kind": e.kind,
        "record": e.record,
        "confidentiality": e.confidentiality,
        "payload": e.payload,
    })
}

pub fn run(archive: &Archive, args: &AuditArgs, json: bool) -> anyhow::Result<ExitCode> {
    let record = match &args.record {
        Some(target) => Some(archive.store.get(target)?.map(|r| r.id).ok_or_else(|| {
            qantar_store::InputErrors::one(
                "--record",
                format!(
                    "no record {target:?} in this archive; give a record's id (sealed \
                             records have no ref)"
                ),
            )
        })?),
        None => None,
    };
    let size = archive.store.size()?;
    if args.since > size {
        return Err(qantar_store::InputErrors::one(
            "--since",
            format!(
                "the ledger has {size} entries (0 to {}); give a smaller SEQ",
                size.max(1) - 1
            ),
        )
        .into());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| StoreError::Archive(format!("cannot write the trail: {e}"));
    // Streamed: the first lines appear before the whole ledger is read,
    // and a large trail is never held in memory.
    let mut shown = 0u64;
    if json {
        write!(out, "[").map_err(io)?;
    } else {
        writeln!(
            out,
            "{:>6}  {:<24}  {:<16}  {:<26}  {:<36}  details",
            "seq", "time", "author", "kind", "record"
        )
        .map_err(io)?;
    }
    archive.store.audit_trail(args.since, |e| {
        if args
            .kind
            .as_deref()
            .is_some_and(|k| !kind_matches(&e.kind, k))
            || record
                .as_ref()
                .is_some_and(|r| e.record.as_ref() != Some(r))
        {
            return Ok(());
        }
        if json {
            let sep = if shown == 0 { "\n  " } else { ",\n  " };
            write!(out, "{sep}{}", as_json(&e)).map_err(io)?;
        } else {
            writeln!(
                out,
                "{:>6}  {:<24}  {:<16}  {:<26}  {:<36}  {}",
                e.seq,
                e.time,
                e.author,
                e.kind,
                e.record.as_deref().unwrap_or("-"),
                details(&e)
            )
            .map_err(io)?;
        }
        shown += 1;
        Ok(())
    })?;
    if json {
        writeln!(out, "{}]", if shown == 0 { "" } else { "\n" }).map_err(io)?;
    } else {
        writeln!(
            out,
            "{shown} audit entr{} of {size} ledger entries. Each is signed and hash-chained: \
             `qantar verify` proves none was changed or removed.",
            if shown == 1 { "y" } else { "ies" }
        )
        .map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::kind_matches;

    #[test]
    fn kinds_match_in_full_by_prefix_or_by_their_short_name() {
        assert!(kind_matches("audit.granted", "audit.granted"));
        assert!(kind_matches("audit.granted", "audit."));
        assert!(kind_matches("audit.granted", "granted"));
        assert!(kind_matches("record.erased", "erased"));
        assert!(!kind_matches("audit.granted", "revoked"));
        assert!(!kind_matches("audit.unsealed", "record."));
    }
}
