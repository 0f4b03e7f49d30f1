//! The register commands: `import` a list, `link` an archive, `review`
//! uncertain pairs, read the `register` and its `overlaps`. The work is
//! done by `qantar-register`; this module reads files and the terminal,
//! shows progress, and renders the results as text or JSON.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use qantar_model::Confidentiality;
use qantar_register::{
    ImportOptions, LinkSettings, RegisterError, ReviewItem, Stratifier, import_fields,
};
use qantar_store::{Archive, Stamp};
use qantar_table::{Mapping, ReadOptions, Table};
use serde_json::{Value, json};

use crate::output::Progress;

/// Where a register error belongs: the user's input (exit 2) or not.
pub fn is_input(e: &RegisterError) -> bool {
    match e {
        RegisterError::Store(s) => s.is_input(),
        RegisterError::Link(_) | RegisterError::Input(_) => true,
        RegisterError::NotLinked | RegisterError::Nothing => true,
    }
}

/// Arguments of `qantar import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The list: CSV (any delimiter; UTF-8, UTF-8 with BOM, UTF-16, Windows-1251), XLSX or JSON.
    pub file: PathBuf,
    /// The list's source record (id or ref), e.g. a `source` with source_kind `list`.
    #[arg(long)]
    pub source: String,
    /// Field=column pairs: `given=Имя,surname=Фамилия,age=Возраст`. Join columns with `+`
    /// (`address=street+house`) or `>` for a place hierarchy (`place=Область>Город`).
    /// Fields: given, surname, patronymic, full_name, birth_date, birth_year, age, sex, place,
    /// address, postcode, id_number, event_date, act_type, status, text:<name>.
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Vec<String>,
    /// A mapping file instead of --map: TOML `[map]` or a JSON object of field → column(s).
    #[arg(long, value_name = "FILE", conflicts_with = "map")]
    pub mapping: Option<PathBuf>,
    /// Field delimiter of a CSV (default: sniffed).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    /// Text encoding (default: detected): utf-8, utf-8-bom, utf-16le, utf-16be, windows-1251.
    #[arg(long)]
    pub encoding: Option<String>,
    /// The sheet of a workbook (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// An act type for every row, e.g. `killing` for a list of the dead.
    #[arg(long)]
    pub act_type: Option<String>,
    /// A person status for every row, e.g. `killed`.
    #[arg(long)]
    pub status: Option<String>,
    /// A date of the violation for every row, e.g. 2022-01.
    #[arg(long)]
    pub date: Option<String>,
    /// Confidentiality of the entries (default: restricted; confidential with --compartment).
    #[arg(long)]
    pub confidentiality: Option<String>,
    /// Seal the rows into this compartment (needed for confidential rows once the archive
    /// seals; see `qantar seal list`). The handler's passphrase is read from standard input.
    #[arg(long, requires = "handler")]
    pub compartment: Option<String>,
    /// The handler who opens the compartment.
    #[arg(long, requires = "compartment")]
    pub handler: Option<String>,
    /// The handler's key file, if they use one instead of a passphrase.
    #[arg(long, value_name = "FILE", requires = "compartment")]
    pub key_file: Option<PathBuf>,
    /// Rows committed per transaction.
    #[arg(long, default_value_t = 5000)]
    pub batch_size: usize,
    /// Read and check the whole file, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn input_error(field: &str, reason: impl Into<String>) -> anyhow::Error {
    qantar_store::InputErrors::one(field, reason).into()
}

pub fn import(
    archive: &mut Archive,
    args: &ImportArgs,
    stamp: &Stamp,
    json: bool,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let fields = import_fields();
    let mapping = match &args.mapping {
        Some(path) => Mapping::from_file(path, &fields),
        None if args.map.is_empty() => {
            return Err(input_error(
                "--map",
                "say which columns hold what: --map given=Имя,surname=Фамилия,… (or --mapping FILE)",
            ));
        }
        None => Mapping::parse(&args.map, &fields),
    }
    .map_err(|e| input_error("--map", e.to_string()))?;
    let mut options = ReadOptions::default();
    if let Some(d) = args.delimiter {
        options.delimiter = Some(
            u8::try_from(d)
                .ok()
                .filter(u8::is_ascii)
                .ok_or_else(|| input_error("--delimiter", "use a single ASCII character"))?,
        );
    }
    if let Some(e) = &args.encoding {
        options.encoding = Some(e.parse().map_err(
            |e: <qantar_table::Encoding as std::str::FromStr>::Err| {
                input_error("--encoding", e.to_string())
            },
        )?);
    }
    options.sheet = args.sheet.clone();
    let mut table = Table::open(&args.file, &options)
        .map_err(|e| input_error(&args.file.display().to_string(), e.to_string()))?;
    let bound = mapping
        .bind(table.headers())
        .map_err(|e| input_error("--map", e.to_string()))?;
    let confidentiality = match &args.confidentiality {
        Some(c) => Some(
            c.parse::<Confidentiality>()
                .map_err(|e| input_error("--confidentiality", e.to_string()))?,
        ),
        // A list sealed into a compartment is confidential unless said otherwise.
        None if args.compartment.is_some() => Some(Confidentiality::Confidential),
        None => None,
    };
    let opts = ImportOptions {
        source: args.source.clone(),
        act_type: args.act_type.clone(),
        status: args.status.clone(),
        date: args.date.clone(),
        confidentiality,
        batch_size: args.batch_size,
        dry_run: args.dry_run,
    };
    // Asked for only once the file and the mapping are known to be good.
    let keys = match (&args.compartment, &args.handler) {
        (Some(compartment), Some(handler)) => {
            let by = crate::seal_cmd::HandlerArgs {
                compartment: compartment.clone(),
                handler: handler.clone(),
                key_file: args.key_file.clone(),
            };
            Some(crate::seal_cmd::unlock(archive, &by)?.0)
        }
        _ => None,
    };
    let bar = Progress::new("import", quiet, false);
    let report = qantar_register::import_sealed(
        archive,
        &mut table,
        &bound,
        &opts,
        keys.as_ref(),
        stamp,
        &mut uuid::Uuid::now_v7,
        &mut |p| {
            if let Some(total) = p.total {
                bar.update("reading", p.done, total);
            }
        },
    );
    bar.finish();
    let report = report.map_err(register_error)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let verb = if report.dry_run {
            "would import"
        } else {
            "imported"
        };
        println!(
            "{} ({}{}{}): {} rows read, {verb} {}, {} already present, {} not readable",
            args.file.display(),
            report.format,
            report
                .encoding
                .as_deref()
                .map(|e| format!(", {e}"))
                .unwrap_or_default(),
            report
                .delimiter
                .as_deref()
                .map(|d| format!(", delimiter {d:?}"))
                .unwrap_or_default(),
            report.rows_read,
            report.imported,
            report.already_present,
            report.bad_rows.len()
        );
        if let Some(c) = &report.compartment {
            println!(
                "  {} sealed into compartment {c}; {} earlier sealed rows were opened to find \
                 those already present (recorded as one audit.unsealed entry)",
                count(report.sealed, "row", "rows"),
                report.sealed_compared
            );
        }
        for w in &report.warnings {
            println!("  warning: {w}");
        }
        for b in report.bad_rows.iter().take(50) {
            println!("  line {}: {}", b.line, b.reason);
        }
        if report.bad_rows.len() > 50 {
            println!("  … and {} more (see --json)", report.bad_rows.len() - 50);
        }
        println!("  places recognised: {}", report.places_recognised);
        if !report.unrecognised.is_empty() {
            println!("  kept as written but not recognised (field: value × rows):");
            for u in &report.unrecognised {
                println!("    {}: {:?} × {}", u.field, u.value, u.rows);
            }
        }
        if !report.dry_run && report.imported > 0 {
            println!("next: `qantar link` to find who is who across the lists");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A register error as an anyhow error that keeps its exit-code class.
pub fn register_error(e: RegisterError) -> anyhow::Error {
    if is_input(&e) {
        input_error("register", e.to_string())
    } else {
        anyhow::Error::from(e)
    }
}

/// `qantar link` on the archive itself.
pub fn link_archive(
    archive: &Archive,
    settings: &LinkSettings,
    created_at: &str,
    json: bool,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let summary =
        qantar_register::link_archive(&archive.store, settings, created_at, &mut |stage| {
            if !quiet {
                eprintln!("link: {stage}…");
            }
        })
        .map_err(register_error)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "linked {} from {} into {} ({} named by more than one record)",
        count(summary.records, "record", "records"),
        count(summary.lists.len() as u64, "list", "lists"),
        count(summary.persons, "person", "persons"),
        summary.linked_persons
    );
    for l in &summary.lists {
        println!("  {:>8}  {}  ({})", l.entries, l.label, l.id);
    }
    if summary.sealed_skipped > 0 {
        println!(
            "  {} not linked: sealed records are left out of linkage, so their content never \
             reaches the linkage tables in clear",
            count(
                summary.sealed_skipped,
                "sealed list entry or person was",
                "sealed list entries and persons were"
            )
        );
    }
    println!(
        "  {} candidate pairs compared, {} matched; {} waiting for review (`qantar review`)",
        summary.candidate_pairs, summary.matched_pairs, summary.to_review
    );
    let d = &summary.decisions;
    if d.same + d.different + d.unsure + d.not_applicable > 0 {
        println!(
            "  reviewers' decisions applied: {} same, {} different, {} unsure; {} no longer apply",
            d.same, d.different, d.unsure, d.not_applicable
        );
    }
    if summary.refused_by_guard + summary.refused_by_decision > 0 {
        println!(
            "  merges refused: {} by the chaining guard, {} by decisions",
            summary.refused_by_guard, summary.refused_by_decision
        );
    }
    if summary.warnings > 0 {
        println!(
            "  {} values could not be read and were left out, e.g.:",
            summary.warnings
        );
        for w in summary.first_warnings.iter().take(5) {
            println!("    {} {}: {}", w.record, w.field, w.message);
        }
    }
    println!("next: `qantar register`, `qantar overlaps`, `qantar estimate --by region`");
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qantar register`.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// Only persons named by at least this many lists.
    #[arg(long, default_value_t = 1)]
    pub min_lists: usize,
    /// Show at most this many persons (0: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
}

fn stale_note(entries_since: u64, unlinked: u64) -> Option<String> {
    (entries_since > 0).then(|| {
        format!(
            "note: {entries_since} ledger entries were written after the last linkage run ({unlinked} records not yet linked); run `qantar link` again"
        )
    })
}

pub fn register(archive: &Archive, args: &RegisterArgs, json: bool) -> anyhow::Result<ExitCode> {
    let reg = qantar_register::register(&archive.store).map_err(register_error)?;
    let persons: Vec<_> = reg
        .persons
        .iter()
        .filter(|p| p.lists.len() >= args.min_lists)
        .take(if args.limit == 0 {
            usize::MAX
        } else {
            args.limit
        })
        .collect();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "run": reg.run.run,
                "linked_at": reg.run.created_at,
                "entries_since_run": reg.entries_since_run,
                "unlinked_records": reg.unlinked_records,
                "lists": reg.lists,
                "persons": persons,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = (1..=reg.lists.len()).map(|i| format!("L{i}")).collect();
    println!("lists:");
    for (n, l) in names.iter().zip(&reg.lists) {
        println!("  {n}  {}  ({} records)", l.label, l.entries);
    }
    println!(
        "{} persons in the register (linked at {}); showing {}:",
        reg.persons.len(),
        reg.run.created_at,
        persons.len()
    );
    for p in &persons {
        let on: Vec<&str> = reg
            .lists
            .iter()
            .zip(&names)
            .filter(|(l, _)| p.lists.contains(&l.id))
            .map(|(_, n)| n.as_str())
            .collect();
        println!(
            "  {:<40} {:<12} {} record{}  {}",
            p.label,
            on.join(","),
            p.records.len(),
            if p.records.len() == 1 { "" } else { "s" },
            p.person
        );
    }
    if let Some(n) = stale_note(reg.entries_since_run, reg.unlinked_records) {
        eprintln!("{n}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The register's overlap tables, by stratum.
pub fn strata(
    archive: &Archive,
    by: Option<&str>,
) -> anyhow::Result<Vec<qantar_estimate::Stratum>> {
    let by: Option<Stratifier> = match by {
        Some(b) => Some(b.parse().map_err(|e: String| input_error("--by", e))?),
        None => None,
    };
    qantar_register::overlaps(&archive.store, by).map_err(register_error)
}

pub fn overlaps(archive: &Archive, by: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let strata = strata(archive, by)?;
    if json {
        let v = qantar_register::overlaps_json(&strata, by.is_some());
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    for s in &strata {
        let lists = s.overlaps.lists();
        println!(
            "{} — {} persons documented",
            s.name,
            s.overlaps.documented()
        );
        for (i, l) in lists.iter().enumerate() {
            println!("  L{}  {l}", i + 1);
        }
        let header: Vec<String> = (1..=lists.len()).map(|i| format!("L{i}")).collect();
        println!("  {}  count", header.join(" "));
        for p in s.overlaps.patterns() {
            let cells: Vec<String> =
                p.on.iter()
                    .zip(&header)
                    .map(|(on, h)| format!("{:>w$}", if *on { "x" } else { "." }, w = h.len()))
                    .collect();
            println!("  {}  {}", cells.join(" "), p.count);
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qantar review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Review pairs with a match probability at or above this.
    #[arg(long, default_value_t = qantar_register::REVIEW_BAND.0)]
    pub low: f64,
    /// … and at or below this.
    #[arg(long, default_value_t = qantar_register::REVIEW_BAND.1)]
    pub high: f64,
    /// At most this many pairs.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Record one decision without prompting: LEFT RIGHT same|different|unsure (ids or refs).
    #[arg(long, num_args = 3, value_names = ["LEFT", "RIGHT", "VERDICT"])]
    pub decide: Option<Vec<String>>,
    /// The reason for a decision made with --decide.
    #[arg(long)]
    pub reason: Option<String>,
    /// Only print the queue (the default when standard input is not a terminal).
    #[arg(long)]
    pub list: bool,
}

fn decision_record(left: &str, right: &str, verdict: &str, reason: Option<&str>) -> Value {
    let mut v = json!({"kind": "link_decision", "left": left, "right": right, "verdict": verdict});
    if let Some(r) = reason.filter(|r| !r.trim().is_empty()) {
        v["reason"] = json!({"en": r});
    }
    v
}

fn record_decision(archive: &mut Archive, record: Value, stamp: &Stamp) -> anyhow::Result<String> {
    let drafts = archive
        .store
        .prepare_records(&[record], &mut uuid::Uuid::now_v7)?;
    let id = drafts
        .first()
        .and_then(|d| d.record.clone())
        .unwrap_or_default();
    archive.append(drafts, stamp)?;
    Ok(id)
}

fn side(v: &Value) -> Vec<String> {
    let mut lines = vec![format!(
        "{} ({})",
        v.get("label").and_then(Value::as_str).unwrap_or("?"),
        v.get("kind").and_then(Value::as_str).unwrap_or("?")
    )];
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    let shown = data.get("values").or_else(|| data.get("fields"));
    match shown {
        Some(Value::Object(m)) => {
            for (k, val) in m {
                lines.push(format!("  {k}: {}", val.as_str().unwrap_or_default()));
            }
        }
        _ => {
            for k in ["names", "sex", "birth_date", "age", "residence", "status"] {
                if let Some(val) = data.get(k) {
                    let text = match val {
                        Value::String(s) => s.clone(),
                        Value::Array(a) => a
                            .iter()
                            .filter_map(|n| n.get("value").and_then(Value::as_str).or(n.as_str()))
                            .collect::<Vec<_>>()
                            .join(" / "),
                        other => other.to_string(),
                    };
                    lines.push(format!("  {k}: {text}"));
                }
            }
        }
    }
    lines
}

fn print_item(i: usize, item: &ReviewItem) {
    let (l, r) = (side(&item.left), side(&item.right));
    println!(
        "\n#{} probability {:.3}, weight {:+.2} bits{}",
        i + 1,
        item.pair.probability,
        item.pair.weight,
        if item.pair.decision.is_some() {
            " (deferred before)"
        } else {
            ""
        }
    );
    let width = l
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(20, 50);
    for k in 0..l.len().max(r.len()) {
        let a = l.get(k).map(String::as_str).unwrap_or("");
        let b = r.get(k).map(String::as_str).unwrap_or("");
        let pad = width.saturating_sub(a.chars().count());
        println!("  {a}{}  │ {b}", " ".repeat(pad));
    }
    if let Some(cs) = item
        .pair
        .explanation
        .get("contributions")
        .and_then(Value::as_array)
    {
        println!("  why:");
        for c in cs {
            println!(
                "    {:<14} {:<22} {:+6.2}",
                c.get("field").and_then(Value::as_str).unwrap_or(""),
                c.get("level").and_then(Value::as_str).unwrap_or(""),
                c.get("weight").and_then(Value::as_f64).unwrap_or(0.0)
            );
        }
    }
}

pub fn review(
    archive: &mut Archive,
    args: &ReviewArgs,
    stamp: &Stamp,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if let Some(d) = &args.decide {
        let [left, right, verdict] = d.as_slice() else {
            return Err(input_error("--decide", "give LEFT RIGHT VERDICT"));
        };
        let id = record_decision(
            archive,
            decision_record(left, right, verdict, args.reason.as_deref()),
            stamp,
        )?;
        if json {
            println!("{}", json!({"ok": true, "decision": id}));
        } else {
            println!(
                "recorded decision {id}: {left} {verdict} {right}; it applies from the next `qantar link`"
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !(0.0..=1.0).contains(&args.low) || !(0.0..=1.0).contains(&args.high) || args.low > args.high
    {
        return Err(input_error(
            "--low/--high",
            "give probabilities with 0 ≤ low ≤ high ≤ 1",
        ));
    }
    let queue = qantar_register::review_queue(&archive.store, args.low, args.high, args.limit)
        .map_err(register_error)?;
    let interactive = !json && !args.list && std::io::IsTerminal::is_terminal(&std::io::stdin());
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"pairs": queue}))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if queue.is_empty() {
        println!("nothing to review between {} and {}", args.low, args.high);
        return Ok(ExitCode::SUCCESS);
    }
    if !interactive {
        for (i, item) in queue.iter().enumerate() {
            print_item(i, item);
        }
        println!(
            "\nrecord a decision with `qantar review --decide LEFT RIGHT same|different|unsure`"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut decided = 0;
    for (i, item) in queue.iter().enumerate() {
        print_item(i, item);
        print!("  [s]ame person, [d]ifferent people, [u]nsure, [n]ext, [q]uit > ");
        std::io::stdout().flush()?;
        let Some(answer) = lines.next().transpose().context("reading your answer")? else {
            break;
        };
        let verdict = match answer.trim() {
            "s" | "same" => "same",
            "d" | "different" => "different",
            "u" | "unsure" => "unsure",
            "q" | "quit" => break,
            _ => continue,
        };
        print!("  reason (optional) > ");
        std::io::stdout().flush()?;
        let reason = lines.next().transpose()?.unwrap_or_default();
        record_decision(
            archive,
            decision_record(&item.pair.left, &item.pair.right, verdict, Some(&reason)),
            stamp,
        )?;
        decided += 1;
    }
    println!("\n{decided} decisions recorded; they apply from the next `qantar link`");
    Ok(ExitCode::SUCCESS)
}
