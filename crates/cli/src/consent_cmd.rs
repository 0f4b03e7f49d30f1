//! `qantar consent …`: what each person and testimony agreed may be
//! published, and its withdrawal.
//!
//! Consent records are ordinary ledger records (kind `consent`), so their
//! history is kept: a withdrawal is an amendment that sets `withdrawn_on`.
//! The rule that turns them into a publishing decision lives in
//! `qantar_model::consent`; the public site and the export apply it.

use std::path::PathBuf;
use std::process::ExitCode;

use qantar_model::{CivilDate, ConsentBook, Kind, Verdict};
use qantar_store::{Archive, ErasureReason, Filter, StoreError, StoredRecord};
use serde_json::{Value, json};

use crate::Failure;

/// The `consent` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ConsentCommand {
    /// Record a consent for a person or a source (a testimony).
    Add {
        /// The person or source it is about (id or ref).
        subject: String,
        /// internal, partners or public.
        #[arg(long)]
        audience: String,
        /// named or anonymised.
        #[arg(long)]
        identity: String,
        /// The day consent was given (YYYY-MM-DD).
        #[arg(long)]
        given_on: String,
        /// Which partners may see it (with --audience partners).
        #[arg(long)]
        partners: Option<String>,
        /// written, oral or recorded.
        #[arg(long)]
        method: Option<String>,
    },
    /// Withdraw the consent that governs SUBJECT; the subject leaves every public output.
    Withdraw {
        /// The person or source whose consent is withdrawn (id or ref).
        subject: String,
        /// The day consent was withdrawn (YYYY-MM-DD).
        #[arg(long)]
        on: String,
        /// Also crypto-erase the subject (it must be sealed) and retract its public versions.
        #[arg(long)]
        erase: bool,
        /// Why, kept beside the amended consent (default: "consent withdrawn").
        #[arg(long)]
        reason: Option<String>,
    },
    /// List consent records, or (--missing) public persons and testimonies without one.
    List {
        /// Only public persons and testimony sources that have no consent record.
        #[arg(long)]
        missing: bool,
    },
}

pub(crate) fn run(
    cmd: &ConsentCommand,
    dir: &Option<PathBuf>,
    author: &Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let mut archive = crate::open(dir)?;
    match cmd {
        ConsentCommand::Add {
            subject,
            audience,
            identity,
            given_on,
            partners,
            method,
        } => {
            let mut v = json!({
                "kind": "consent",
                "subject": subject,
                "audience": audience,
                "identity": identity,
                "given_on": given_on,
            });
            if let Some(p) = partners {
                v["partners"] = json!(p);
            }
            if let Some(m) = method {
                v["method"] = json!(m);
            }
            add(&mut archive, v, author, json)
        }
        ConsentCommand::Withdraw {
            subject,
            on,
            erase,
            reason,
        } => withdraw(
            &mut archive,
            subject,
            on,
            *erase,
            reason.as_deref(),
            author,
            json,
        ),
        ConsentCommand::List { missing } => list(&archive, *missing, json),
    }
}

/// The consent records of the archive, as the public site reads them.
pub(crate) fn book(archive: &Archive) -> Result<ConsentBook, Failure> {
    Ok(qantar_web::public::consent_book(&archive.store)?)
}

fn print(v: &Value) -> Result<(), Failure> {
    println!(
        "{}",
        serde_json::to_string_pretty(v).map_err(anyhow::Error::from)?
    );
    Ok(())
}

fn add(
    archive: &mut Archive,
    input: Value,
    author: &Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let drafts = archive
        .store
        .prepare_records(std::slice::from_ref(&input), &mut uuid::Uuid::now_v7)?;
    let id = drafts[0].record.clone().unwrap_or_default();
    let receipt = archive.append(drafts, &crate::stamp(author))?;
    let consent = archive
        .store
        .get(&id)?
        .ok_or_else(|| StoreError::NotFound(id.clone()))?;
    let subject = consent.data["subject"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let decision = book(archive)?.decide(&subject);
    let mentioned = if decision.verdict == Verdict::Publish {
        Vec::new()
    } else {
        mentions_of(archive, &subject)?
    };
    if json {
        print(&json!({
            "ok": true,
            "consent": id,
            "subject": subject,
            "seq": receipt.first_seq,
            "record": consent.data,
            "governs": decision.consent.as_deref() == Some(id.as_str()),
            "verdict": decision.verdict.as_str(),
            "why": decision.why,
            "mentioned_in": mentioned,
        }))?;
    } else {
        println!(
            "Recorded consent {id} for {subject} (ledger entry {}).",
            receipt.first_seq
        );
        println!(
            "Publishing now: {} — {}.",
            decision.verdict.as_str(),
            decision.why
        );
        print_mentions(&mentioned);
    }
    Ok(ExitCode::SUCCESS)
}

/// Public records that still name the subject in their own words (a
/// description, a title): consent withholds the subject's records, not
/// mentions elsewhere. Names are read from the subject in clear; a sealed
/// subject's names are not read (that would need its key and an audit
/// entry), so none are reported for it.
fn mentions_of(archive: &Archive, subject: &str) -> Result<Vec<Value>, Failure> {
    let Some(stored) = archive.store.get(subject)? else {
        return Ok(Vec::new());
    };
    if stored.is_sealed() {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(list) = stored.data.get("names").and_then(Value::as_array) {
        names.extend(
            list.iter()
                .filter_map(|n| n.get("value").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
    let snap = qantar_web::public::Snapshot::load(&archive.store)?;
    let mut except = vec![stored.id.clone()];
    except.extend(
        derived_records(archive, &stored.id)?
            .into_iter()
            .map(|r| r.id),
    );
    Ok(qantar_web::search::mentions(&snap, &names, &except)
        .into_iter()
        .map(|r| json!({ "id": r.id.to_string(), "kind": r.kind().as_str(), "ref": r.r#ref }))
        .collect())
}

fn print_mentions(mentioned: &[Value]) {
    if mentioned.is_empty() {
        return;
    }
    println!(
        "Warning: {} public records still name this person in their own text; consent does not \
         reach into them. Amend or redact them:",
        mentioned.len()
    );
    for m in mentioned {
        println!(
            "  {}  {}  {}",
            m["id"].as_str().unwrap_or_default(),
            m["kind"].as_str().unwrap_or_default(),
            m["ref"].as_str().unwrap_or_default()
        );
    }
}

fn parse_day(flag: &str, s: &str) -> Result<CivilDate, Failure> {
    s.parse::<CivilDate>()
        .map_err(|e| crate::bad_input(flag, e.to_string()))
}

/// Records derived from `original` that are still current.
fn derived_records(archive: &Archive, original: &str) -> Result<Vec<StoredRecord>, Failure> {
    let all = archive.store.list(&Filter::default())?;
    Ok(all
        .into_iter()
        .filter(|r| r.data.get("derived_from").and_then(Value::as_str) == Some(original))
        .collect())
}

fn withdraw(
    archive: &mut Archive,
    subject: &str,
    on: &str,
    erase: bool,
    reason: Option<&str>,
    author: &Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let on = parse_day("--on", on)?;
    let known = archive
        .store
        .lookup(subject)?
        .ok_or_else(|| StoreError::NotFound(subject.to_string()))?;
    let book = book(archive)?;
    let governing = book.governing(&known.id).ok_or_else(|| {
        crate::bad_input(
            "subject",
            format!(
                "no consent is recorded for {subject}; there is nothing to withdraw (record \
                 what was agreed first with `qantar consent add`)"
            ),
        )
    })?;
    if let Some(why) = qantar_model::consent::withdrawal_error(&governing.consent, on) {
        return Err(crate::bad_input("--on", why));
    }
    // Everything that could refuse is checked before the first write.
    let record = archive
        .store
        .get(&known.id)?
        .ok_or_else(|| StoreError::NotFound(subject.to_string()))?;
    if erase {
        if record.is_erased() {
            return Err(crate::bad_input(
                "--erase",
                format!(
                    "record {} is already crypto-erased; drop --erase",
                    record.id
                ),
            ));
        }
        if !record.is_sealed() {
            return Err(StoreError::Sealing(format!(
                "--erase: record {} is not sealed, so its content is in the ledger in clear and \
                 cannot be crypto-erased; withdraw without --erase (it leaves every public \
                 output all the same) and retract it with `qantar retract {} --reason …`",
                record.id, record.id
            ))
            .into());
        }
    }
    let consent_id = governing.id.clone();
    let reason = reason.unwrap_or("consent withdrawn");
    let mut drafts = vec![archive.store.prepare_amend(
        &consent_id,
        &json!({ "withdrawn_on": on.to_string() }),
        Some(reason),
    )?];
    let derived = if erase {
        derived_records(archive, &known.id)?
    } else {
        Vec::new()
    };
    for d in &derived {
        drafts.push(
            archive
                .store
                .prepare_retract(&d.id, "consent withdrawn: the original was erased")?,
        );
    }
    let stamp = crate::stamp(author);
    let receipt = archive.append(drafts, &stamp)?;
    let tombstone = if erase {
        let r = archive.erase_record(&known.id, ErasureReason::ConsentWithdrawn, &stamp)?;
        Some(r.first_seq)
    } else {
        None
    };
    let after = book_after(archive, &known.id)?;
    let retracted: Vec<&str> = derived.iter().map(|d| d.id.as_str()).collect();
    if json {
        print(&json!({
            "ok": true,
            "consent": consent_id,
            "subject": known.id,
            "withdrawn_on": on.to_string(),
            "seq": receipt.first_seq,
            "retracted": retracted,
            "tombstone_entry": tombstone,
            "verdict": after.as_str(),
        }))?;
    } else {
        println!(
            "Withdrew consent {consent_id} of {} on {on} (ledger entry {}): it leaves every public output.",
            known.id, receipt.first_seq
        );
        if !retracted.is_empty() {
            println!("Retracted its public versions: {}.", retracted.join(", "));
        }
        if let Some(seq) = tombstone {
            println!(
                "Crypto-erased {}: tombstone in ledger entry {seq} (record.erased, consent_withdrawn).",
                known.id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn book_after(archive: &Archive, subject: &str) -> Result<Verdict, Failure> {
    Ok(book(archive)?.decide(subject).verdict)
}

fn list(archive: &Archive, missing: bool, json: bool) -> Result<ExitCode, Failure> {
    let book = book(archive)?;
    if missing {
        return list_missing(archive, &book, json);
    }
    let rows = archive.store.list(&Filter {
        kind: Some(Kind::Consent),
        ..Filter::default()
    })?;
    let mut items = Vec::new();
    for r in &rows {
        let subject = r.data["subject"].as_str().unwrap_or_default();
        let governs = book.governing(subject).is_some_and(|g| g.id == r.id);
        let label = archive
            .store
            .get(subject)?
            .map(|s| s.label)
            .unwrap_or_default();
        items.push(json!({
            "id": r.id,
            "subject": subject,
            "subject_label": label,
            "audience": r.data["audience"],
            "identity": r.data["identity"],
            "given_on": r.data["given_on"],
            "withdrawn_on": r.data.get("withdrawn_on"),
            "partners": r.data.get("partners"),
            "method": r.data.get("method"),
            "governs": governs,
            "verdict": book.decide(subject).verdict.as_str(),
        }));
    }
    if json {
        print(&json!({ "consents": items }))?;
    } else if items.is_empty() {
        println!("No consent records. `qantar consent list --missing` shows who needs one.");
    } else {
        for i in &items {
            println!(
                "{}  {} ({})  {} / {}  given {}{}{}  → {}",
                i["id"].as_str().unwrap_or_default(),
                i["subject_label"].as_str().unwrap_or_default(),
                i["subject"].as_str().unwrap_or_default(),
                i["audience"].as_str().unwrap_or_default(),
                i["identity"].as_str().unwrap_or_default(),
                i["given_on"].as_str().unwrap_or_default(),
                i["withdrawn_on"]
                    .as_str()
                    .map(|w| format!(", withdrawn {w}"))
                    .unwrap_or_default(),
                if i["governs"] == true {
                    ""
                } else {
                    " (superseded)"
                },
                i["verdict"].as_str().unwrap_or_default(),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Public persons and testimony sources (and sealed sources, whose kind
/// of source cannot be read without a key) that no consent names. Derived
/// public versions are left out: their original's consent is what counts.
fn list_missing(archive: &Archive, book: &ConsentBook, json: bool) -> Result<ExitCode, Failure> {
    let persons = archive.store.list(&Filter {
        kind: Some(Kind::Person),
        confidentiality: Some("public".into()),
        ..Filter::default()
    })?;
    let sources = archive.store.list(&Filter {
        kind: Some(Kind::Source),
        ..Filter::default()
    })?;
    let mut items = Vec::new();
    for r in persons.iter().chain(sources.iter()) {
        let is_testimony = r.data.get("source_kind").and_then(Value::as_str) == Some("testimony");
        let wanted = r.kind == "person" || is_testimony || r.is_sealed();
        if !wanted
            || r.is_erased()
            || r.data.get("derived_from").is_some()
            || book.governing(&r.id).is_some()
        {
            continue;
        }
        items.push(json!({
            "id": r.id,
            "kind": r.kind,
            "ref": r.r#ref,
            "label": r.label,
            "confidentiality": r.confidentiality,
            "why": if r.kind == "person" {
                "a public person"
            } else if r.is_sealed() {
                "a sealed source (a testimony or confidential document)"
            } else {
                "a testimony"
            },
        }));
    }
    if json {
        print(&json!({ "missing": items }))?;
    } else if items.is_empty() {
        println!("Every public person and every testimony has a consent record.");
    } else {
        println!(
            "{} without a consent record (their confidentiality alone decides what is published):",
            items.len()
        );
        for i in &items {
            println!(
                "  {}  {}  {}  ({})",
                i["id"].as_str().unwrap_or_default(),
                i["kind"].as_str().unwrap_or_default(),
                i["label"].as_str().unwrap_or_default(),
                i["why"].as_str().unwrap_or_default()
            );
        }
        println!(
            "Record one with `qantar consent add SUBJECT --audience … --identity … --given-on …`."
        );
    }
    Ok(ExitCode::SUCCESS)
}
