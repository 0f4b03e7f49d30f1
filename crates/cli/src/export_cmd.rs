//! `qantar export --public`: the public snapshot, to files.
//!
//! What is exported is exactly what the public site shows: it is built
//! with the site's own [`Snapshot`] (public, unretracted records that
//! consent allows, sanitised), and the JSON Lines bytes are the ones
//! `GET /export/public.jsonl` serves for the same ledger. Beside the data
//! goes a manifest: the ledger size, the signed checkpoint of that size
//! (so a reader can tie the export to the log), counts per kind and the
//! SHA-256 of every file. Files are written under temporary names in the
//! destination's directory and renamed into place, so a crash leaves the
//! old export or the new one, never half of one. The export is recorded
//! in the ledger as an `audit.exported` entry (counts and digest only).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use qantar_model::Kind;
use qantar_store::StoreError;
use qantar_store::export_audit::{ExportSummary, export_draft};
use qantar_web::export::{counts, public_jsonl, sha256_hex};
use qantar_web::public::Snapshot;
use serde_json::{Value, json};

use crate::Failure;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Export what the public site shows (the only export there is, so the choice is explicit).
    #[arg(long)]
    pub public: bool,
    /// jsonl: one file of JSON Lines at PATH (its manifest at PATH.manifest.json);
    /// csv: a new directory PATH with one file per kind and manifest.json.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// jsonl or csv.
    #[arg(long, default_value = "jsonl")]
    pub format: String,
}

/// One file of an export, before it is written.
struct File {
    name: String,
    bytes: Vec<u8>,
    records: u64,
}

/// A cell of a CSV export: text as it is, anything else as compact JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One CSV file per kind: the columns are the kind's contract fields that
/// any public record of it has, in contract order.
fn csv_files(snap: &Snapshot) -> anyhow::Result<Vec<File>> {
    let mut by_kind: BTreeMap<Kind, Vec<Value>> = BTreeMap::new();
    for r in snap.sorted() {
        by_kind.entry(r.kind()).or_default().push(r.to_json());
    }
    let mut files = Vec::new();
    for (kind, rows) in by_kind {
        let columns: Vec<&str> = qantar_model::allowed_fields(kind)
            .into_iter()
            .filter(|f| rows.iter().any(|r| r.get(*f).is_some()))
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&columns)?;
        for row in &rows {
            w.write_record(
                columns
                    .iter()
                    .map(|c| row.get(*c).map(cell).unwrap_or_default()),
            )?;
        }
        let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        files.push(File {
            name: format!("{}.csv", kind.as_str()),
            bytes,
            records: rows.len() as u64,
        });
    }
    Ok(files)
}

/// Write `bytes` to a new temporary file in `dir`, synced, and return its path.
fn temp_in(dir: &Path, stem: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let path = dir.join(format!(".{stem}.{tag}.tmp"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into())
}

pub(crate) fn run(
    args: &ExportArgs,
    dir: &Option<PathBuf>,
    author: &Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    if !args.public {
        return Err(crate::bad_input(
            "--public",
            "only the public export exists: pass --public (it holds exactly what the public site shows)",
        ));
    }
    let csv = match args.format.as_str() {
        "jsonl" => false,
        "csv" => true,
        other => {
            return Err(crate::bad_input(
                "--format",
                format!("{other:?}: use jsonl or csv"),
            ));
        }
    };
    let parent = parent_of(&args.out);
    if !parent.is_dir() {
        return Err(crate::bad_input(
            "--out",
            format!(
                "{} is not a directory; create it first or choose another --out",
                parent.display()
            ),
        ));
    }
    if args.out.is_dir() && !csv {
        return Err(crate::bad_input(
            "--out",
            format!(
                "{} is a directory; give the path of the .jsonl file to write",
                args.out.display()
            ),
        ));
    }
    if csv && args.out.exists() {
        return Err(crate::bad_input(
            "--out",
            format!(
                "{} exists; a CSV export goes into a new directory (choose another --out, or \
                 remove the old export first)",
                args.out.display()
            ),
        ));
    }
    let mut archive = crate::open(dir)?;
    let snap = Snapshot::load(&archive.store)?;
    let checkpoint =
        archive
            .store
            .checkpoint_at(snap.size)?
            .ok_or_else(|| StoreError::Corrupt {
                seq: None,
                what: format!("no signed checkpoint of tree size {}", snap.size),
            })?;
    let counts = counts(&snap);
    let files = if csv {
        csv_files(&snap)?
    } else {
        let bytes = public_jsonl(&snap);
        vec![File {
            name: file_name(&args.out),
            records: counts.values().sum(),
            bytes,
        }]
    };
    let listed: Vec<Value> = files
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "sha256": sha256_hex(&f.bytes),
                "bytes": f.bytes.len(),
                "records": f.records,
            })
        })
        .collect();
    let manifest = json!({
        "format": "qantar-public-export/1",
        "what": "public",
        "data_format": args.format,
        "ledger_size": snap.size,
        "checkpoint": checkpoint,
        "counts": counts,
        "files": listed,
        "exported_at": crate::clock::now_utc(),
    });
    let manifest_bytes = {
        let mut b = serde_json::to_vec_pretty(&manifest).map_err(anyhow::Error::from)?;
        b.push(b'\n');
        b
    };
    let manifest_sha = sha256_hex(&manifest_bytes);
    let manifest_path = if csv {
        args.out.join("manifest.json")
    } else {
        PathBuf::from(format!("{}.manifest.json", args.out.display()))
    };
    if csv {
        // The whole directory is built aside and renamed into place.
        let tag = uuid::Uuid::now_v7().simple().to_string();
        let staging = parent.join(format!(".{}.{tag}.tmp", file_name(&args.out)));
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        let written = (|| -> anyhow::Result<()> {
            for f in &files {
                let tmp = temp_in(&staging, &f.name, &f.bytes)?;
                std::fs::rename(&tmp, staging.join(&f.name))?;
            }
            let tmp = temp_in(&staging, "manifest.json", &manifest_bytes)?;
            std::fs::rename(&tmp, staging.join("manifest.json"))?;
            std::fs::rename(&staging, &args.out)
                .with_context(|| format!("cannot move the export to {}", args.out.display()))?;
            Ok(())
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e.into());
        }
    } else {
        let data_tmp = temp_in(&parent, &files[0].name, &files[0].bytes)?;
        let manifest_tmp = match temp_in(&parent, &file_name(&manifest_path), &manifest_bytes) {
            Ok(p) => p,
            Err(e) => {
                let _ = std::fs::remove_file(&data_tmp);
                return Err(e.into());
            }
        };
        let moved = std::fs::rename(&data_tmp, &args.out)
            .with_context(|| format!("cannot write {}", args.out.display()))
            .and_then(|()| {
                std::fs::rename(&manifest_tmp, &manifest_path)
                    .with_context(|| format!("cannot write {}", manifest_path.display()))
            });
        if let Err(e) = moved {
            let _ = std::fs::remove_file(&data_tmp);
            let _ = std::fs::remove_file(&manifest_tmp);
            return Err(e.into());
        }
    }
    let summary = ExportSummary {
        what: "public".into(),
        format: args.format.clone(),
        ledger_size: snap.size,
        counts: counts.clone(),
        manifest_sha256: manifest_sha.clone(),
    };
    let receipt = archive.append(vec![export_draft(&summary)], &crate::stamp(author))?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "ok": true,
                "out": args.out,
                "manifest": manifest_path,
                "manifest_sha256": manifest_sha,
                "format": args.format,
                "ledger_size": snap.size,
                "counts": counts,
                "files": manifest["files"],
                "audit_entry": receipt.first_seq,
            }))
            .map_err(anyhow::Error::from)?
        );
    } else {
        let total: u64 = counts.values().sum();
        println!(
            "Exported {total} public records at ledger size {} to {} ({}).",
            snap.size,
            args.out.display(),
            args.format
        );
        for (k, n) in &counts {
            println!("  {k}: {n}");
        }
        println!(
            "Manifest: {} (SHA-256 {manifest_sha}); recorded in ledger entry {} (audit.exported).",
            manifest_path.display(),
            receipt.first_seq
        );
    }
    Ok(ExitCode::SUCCESS)
}
