//! Everything the CLI prints: a text form for people and a `--json` twin for
//! machines, side by side so they cannot drift apart.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use qantar_ledger::VerifiedProof;
use qantar_store::query::{HistoryItem, Stats};
use qantar_store::{Archive, Receipt, StoredRecord, VerifyReport};
use serde::Serialize;
use serde_json::{Value, json};

pub struct Out {
    json: bool,
}

fn print_json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// Progress bars only for a person watching a terminal.
    pub fn quiet_progress(&self) -> bool {
        self.json || !std::io::stderr().is_terminal()
    }

    pub fn created(&self, archive: &Archive) {
        if self.json {
            let _ = print_json(&json!({
                "ok": true,
                "archive": archive.dir,
                "origin": archive.config.origin,
                "public_key": archive.verifier().to_text(),
            }));
            return;
        }
        println!("Created an empty archive in {}", archive.dir.display());
        println!("  log origin:  {}", archive.config.origin);
        println!("  public key:  {}", archive.verifier().to_text());
        println!(
            "  signing key: {} (readable only by you; back it up)",
            qantar_store::archive::KEY_FILE
        );
        println!();
        println!(
            "Next: qantar add source --archive {} --type media_report --title \"…\" --ref s1",
            archive.dir.display()
        );
    }

    pub fn added(&self, archive: &Archive, ids: &[String]) -> anyhow::Result<()> {
        let size = archive.store.size()?;
        if self.json {
            return print_json(&json!({ "ok": true, "recorded": ids, "entries": size }));
        }
        if ids.len() == 1 {
            println!("Recorded {}", ids[0]);
        } else {
            println!("Recorded {} records", ids.len());
        }
        println!("The ledger now holds {size} entries, covered by a signed checkpoint.");
        Ok(())
    }

    pub fn changed(&self, what: &str, id: &str, receipt: &Receipt) {
        if self.json {
            let _ = print_json(
                &json!({ "ok": true, "action": what, "record": id, "entry": receipt.first_seq, "entries": receipt.size }),
            );
            return;
        }
        println!("{id} {what} in ledger entry {}", receipt.first_seq);
    }

    pub fn show(
        &self,
        archive: &Archive,
        r: &StoredRecord,
        cited_by: &[(String, String)],
    ) -> anyhow::Result<()> {
        if self.json {
            let mut v = serde_json::to_value(r)?;
            v["referenced_by"] = cited_by
                .iter()
                .map(|(id, field)| json!({ "id": id, "field": field }))
                .collect::<Vec<_>>()
                .into();
            return print_json(&v);
        }
        let handle = r
            .r#ref
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        println!("{} {}{handle}", r.kind, r.label);
        println!(
            "  id {} · {} · version {} · recorded in entry {}, last changed in entry {}",
            r.id, r.confidentiality, r.version, r.created_seq, r.updated_seq
        );
        if r.retracted {
            println!("  RETRACTED: {}", r.retract_reason.as_deref().unwrap_or(""));
        }
        println!();
        if let Value::Object(o) = &r.data {
            for (k, v) in o {
                if matches!(k.as_str(), "kind" | "id" | "ref" | "confidentiality") {
                    continue;
                }
                print_field(archive, 1, k, v);
            }
        }
        if !cited_by.is_empty() {
            println!();
            println!("  referenced by:");
            for (id, field) in cited_by {
                let label = archive
                    .store
                    .get(id)
                    .ok()
                    .flatten()
                    .map(|s| format!("{} {}", s.kind, s.label))
                    .unwrap_or_default();
                println!("    {id}  {label}  (as {field})");
            }
        }
        Ok(())
    }

    pub fn list(&self, records: &[StoredRecord]) -> anyhow::Result<()> {
        if self.json {
            let rows: Vec<Value> = records
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id, "ref": r.r#ref, "kind": r.kind, "label": r.label,
                        "confidentiality": r.confidentiality, "version": r.version,
                        "retracted": r.retracted, "data": r.data,
                    })
                })
                .collect();
            return print_json(&rows);
        }
        if records.is_empty() {
            println!("No records match.");
            return Ok(());
        }
        let w = records
            .iter()
            .map(|r| r.r#ref.as_deref().unwrap_or("").chars().count())
            .max()
            .unwrap_or(0);
        for r in records {
            let date = r
                .data
                .get("date")
                .or_else(|| r.data.get("stated_on"))
                .or_else(|| r.data.get("published"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let flag = if r.retracted { " [retracted]" } else { "" };
            println!(
                "{}  {:w$}  {:<12} {:<13} {}{flag}",
                r.id,
                r.r#ref.as_deref().unwrap_or(""),
                r.confidentiality,
                date,
                r.label
            );
        }
        println!("{} records", records.len());
        Ok(())
    }

    pub fn history(&self, id: &str, items: &[HistoryItem]) -> anyhow::Result<()> {
        if self.json {
            return print_json(items);
        }
        println!("History of {id}:");
        for h in items {
            let what = if h.changed.is_empty() {
                String::new()
            } else {
                format!(" — {}", h.changed.join(", "))
            };
            let why = h
                .reason
                .as_deref()
                .map(|r| format!(" (reason: {r})"))
                .unwrap_or_default();
            println!(
                "  entry {:>6}  {}  {:<20} {}{what}{why}",
                h.seq, h.time, h.kind, h.author
            );
        }
        Ok(())
    }

    pub fn verify(&self, r: &VerifyReport) -> anyhow::Result<()> {
        if self.json {
            return print_json(r);
        }
        println!("{}", if r.ok { "PASS" } else { "FAIL" });
        println!("  entries:     {}", r.entries);
        println!("  root:        {}", r.root);
        println!(
            "  checkpoints: {} signed, latest covers {} entries",
            r.checkpoints,
            r.latest_checkpoint
                .map(|n| n.to_string())
                .unwrap_or_else(|| "none".into())
        );
        if let (Some(a), Some(b)) = (&r.projection_digest, &r.replayed_digest) {
            println!("  projection:  {a}");
            println!(
                "  replayed:    {b}{}",
                if a == b {
                    " (identical)"
                } else {
                    " (DIFFERENT)"
                }
            );
        }
        for p in &r.problems {
            match p.seq {
                Some(s) => println!("  fault at entry {s}: {}", p.what),
                None => println!("  fault: {}", p.what),
            }
        }
        Ok(())
    }

    pub fn checkpoint(&self, archive: &Archive, size: u64, note: &str) -> anyhow::Result<()> {
        if self.json {
            return print_json(&json!({
                "ok": true, "tree_size": size, "checkpoint": note,
                "origin": archive.config.origin, "public_key": archive.verifier().to_text(),
            }));
        }
        print!("{note}");
        Ok(())
    }

    pub fn wrote(&self, path: &Path) {
        if self.json {
            let _ = print_json(&json!({ "ok": true, "wrote": path }));
        } else {
            eprintln!("wrote {}", path.display());
        }
    }

    pub fn proof_result(&self, r: &Result<VerifiedProof, String>) -> anyhow::Result<()> {
        if self.json {
            return print_json(&match r {
                Ok(v) => json!({
                    "ok": true, "origin": v.origin, "tree_size": v.tree_size,
                    "root": hex::encode(v.root), "summary": v.summary,
                    "entry": v.entry.as_ref().map(|e| json!({
                        "seq": e.seq, "time": e.time, "author": e.author, "kind": e.kind, "record": e.record,
                    })),
                }),
                Err(e) => json!({ "ok": false, "error": e }),
            });
        }
        match r {
            Ok(v) => {
                println!("PASS");
                println!("  {}", v.summary);
                println!(
                    "  log {} at size {}, root {}",
                    v.origin,
                    v.tree_size,
                    hex::encode(v.root)
                );
            }
            Err(e) => {
                println!("FAIL");
                println!("  {e}");
            }
        }
        Ok(())
    }

    pub fn rebuilt(&self, n: u64, digest: &str, took: Duration) -> anyhow::Result<()> {
        if self.json {
            return print_json(
                &json!({ "ok": true, "entries": n, "projection_digest": digest, "seconds": took.as_secs_f64() }),
            );
        }
        println!(
            "Rebuilt the projection from {n} entries in {:.2} s",
            took.as_secs_f64()
        );
        println!("  projection digest: {digest}");
        Ok(())
    }

    pub fn stats(&self, s: &Stats) -> anyhow::Result<()> {
        if self.json {
            return print_json(s);
        }
        println!(
            "{} records ({} retracted) in {} ledger entries",
            s.records, s.retracted, s.entries
        );
        let table = |title: &str, m: &std::collections::BTreeMap<String, u64>| {
            println!();
            println!("{title}:");
            let mut rows: Vec<_> = m.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (k, v) in rows {
                println!("  {v:>7}  {k}");
            }
        };
        table("By kind", &s.by_kind);
        table("Acts by type", &s.acts_by_type);
        table("Acts by place", &s.acts_by_place);
        println!();
        println!("By confidentiality:");
        for (kind, levels) in &s.by_confidentiality {
            let parts: Vec<String> = levels.iter().map(|(l, n)| format!("{n} {l}")).collect();
            println!("  {kind:<13} {}", parts.join(", "));
        }
        Ok(())
    }

    pub fn migrated(
        &self,
        from: &str,
        to: &str,
        n: u64,
        report: &VerifyReport,
    ) -> anyhow::Result<()> {
        if self.json {
            return print_json(
                &json!({ "ok": report.ok, "from": from, "to": to, "entries": n, "verify": report }),
            );
        }
        println!("Copied {n} entries from {from} to {to} and checked the copy:");
        self.verify(report)?;
        if report.ok {
            println!("The archive now uses {to}. The old database was left as it was.");
        }
        Ok(())
    }

    pub fn vocab(&self, name: Option<&str>) -> anyhow::Result<()> {
        let all = qantar_model::vocab::all();
        let Some(name) = name else {
            if self.json {
                let names: Vec<&str> = all.iter().map(|v| v.name.as_str()).collect();
                return print_json(&names);
            }
            for v in all {
                println!("{:<22} {} terms", v.name, v.terms.len());
            }
            println!("\nShow one with `qantar vocab <name>`.");
            return Ok(());
        };
        let v = qantar_model::vocab::get(name).ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|v| v.name.as_str()).collect();
            anyhow::Error::from(qantar_store::InputErrors::one(
                "name",
                format!("no vocabulary {name:?}; there are: {}", names.join(", ")),
            ))
        })?;
        if self.json {
            let terms: Vec<Value> = v
                .terms
                .iter()
                .map(|t| json!({ "id": t.id, "en": t.en, "ru": t.ru, "kk": t.kk }))
                .collect();
            return print_json(&json!({ "name": v.name, "terms": terms }));
        }
        let w = v.terms.iter().map(|t| t.id.len()).max().unwrap_or(0);
        for t in &v.terms {
            println!("{:w$}  {} · {} · {}", t.id, t.en, t.ru, t.kk);
        }
        Ok(())
    }

    pub fn demo(&self, archive: &Archive, fresh: bool) -> anyhow::Result<()> {
        let stats = archive.store.stats()?;
        let dir = archive.dir.display().to_string();
        if self.json {
            return print_json(&json!({
                "ok": true, "archive": archive.dir, "created": fresh,
                "records": stats.records, "entries": stats.entries,
            }));
        }
        if fresh {
            println!("Built the demo archive of the January 2022 events in {dir}");
        } else {
            println!("The demo archive is already in {dir}");
        }
        println!(
            "  {} records in {} signed ledger entries",
            stats.records, stats.entries
        );
        println!();
        println!("Try:");
        println!("  export QANTAR_ARCHIVE={dir}");
        println!("  qantar list person                       # the people whose stories it holds");
        println!(
            "  qantar show p-ermek-abdreshev            # one of them, with every record that cites him"
        );
        println!("  qantar list act --act-type torture       # every documented act of torture");
        println!(
            "  qantar list claim --type killed          # every death toll, side by side with its source"
        );
        println!("  qantar stats");
        println!("  qantar verify --full                     # prove nothing was changed");
        println!(
            "  qantar prove inclusion 5 -o proof.json && qantar verify-proof proof.json --key {dir}/keys/checkpoint.pub"
        );
        println!(
            "(With cargo, put `cargo run --release --` in front of `qantar`; while the site runs, use another terminal.)"
        );
        Ok(())
    }
}

fn print_field(archive: &Archive, depth: usize, key: &str, v: &Value) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let parts: Vec<String> = items.iter().map(|i| scalar(archive, i)).collect();
            println!("{pad}{key}: {}", parts.join(", "));
        }
        Value::Array(items) => {
            println!("{pad}{key}:");
            for (i, item) in items.iter().enumerate() {
                print_field(archive, depth + 1, &format!("[{i}]"), item);
            }
        }
        Value::Object(o) => {
            println!("{pad}{key}:");
            for (k, v) in o {
                print_field(archive, depth + 1, k, v);
            }
        }
        other => println!("{pad}{key}: {}", scalar(archive, other)),
    }
}

/// Scalars as text; a UUID that names a record gets that record's label.
fn scalar(archive: &Archive, v: &Value) -> String {
    match v {
        Value::String(s) => {
            if uuid::Uuid::parse_str(s).is_ok()
                && let Ok(Some(r)) = archive.store.get(s)
            {
                return match &r.r#ref {
                    Some(h) => format!("{} [{h}]", r.label),
                    None => format!("{} [{}]", r.label, r.id),
                };
            }
            s.clone()
        }
        other => other.to_string(),
    }
}

/// A progress bar on a terminal; plain lines when stderr is not a terminal
/// (so logs and crash tests can see what was committed).
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
}

impl Progress {
    /// `quiet`: no bar. `lines`: without a bar, print a line per commit
    /// when stderr is not a terminal (worth it for long jobs only).
    pub fn new(what: &str, quiet: bool, lines: bool) -> Progress {
        if quiet {
            return Progress {
                bar: None,
                plain: lines && !std::io::stderr().is_terminal(),
            };
        }
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} {msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(what.to_string());
        Progress {
            bar: Some(bar),
            plain: false,
        }
    }

    pub fn update(&self, stage: &str, n: u64, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
            b.set_position(n);
            b.set_message(stage.to_string());
        }
    }

    /// After each committed batch. Without a terminal, one line per commit.
    pub fn committed(&self, done: u64, total: u64, ledger_size: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
            b.set_position(done);
        } else if self.plain {
            eprintln!("committed {done} of {total} records (ledger size {ledger_size})");
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
