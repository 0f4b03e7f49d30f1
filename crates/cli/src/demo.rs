//! The demo archive: the January 2022 events in Kazakhstan ("Qandy Qantar",
//! Bloody January), ready to load into an empty archive.
//!
//! New users learn the archive fastest on real material: people with names,
//! acts with dates and places, proceedings that were closed "for lack of
//! evidence", and death tolls that disagree. This module hands the CLI that
//! material as plain records in the shape of `docs/record-format.md`, so that
//! loading the demo goes through exactly the same validation and ledger path
//! as any documenter's `qantar add --file`.
//!
//! The data comes from two files in `crates/cli/demo/`, compiled into the
//! binary so that the demo works offline and cannot drift from the code:
//!
//! - `qandy-qantar.records.json` is written by hand. It restates, in the
//!   project's own words, the facts of two published articles: Meduza's
//!   portraits from the photo series "20,000" and The Diplomat/Orda.kz series
//!   "Kazakhstan's Bloody January" (day 5, Taraz to Shymkent). It holds the
//!   six sources (one of them a confidential document), the places from
//!   country to street corner, the nested events, sixteen people from the
//!   articles plus two relatives, their acts, relationships and proceedings,
//!   and every figure the articles give as a claim.
//! - `public-record-claims.json` is a verbatim copy of a data set of 80
//!   published figures (who said how many were killed, injured, detained...,
//!   where, for which period, and when). [`demo_records`] turns each entry
//!   into records: one `source` per distinct (name, address) pair, a `place`
//!   for any place name the hand-written file does not already have, and one
//!   `claim`. Conflicting figures stay side by side, as the archive requires.
//!
//! The conversion maps the data set's free metric names onto the `metrics`
//! vocabulary and its open-ended value pairs onto `CountRange` text, and keeps
//! whatever it cannot map exactly (the original metric, a vague place, a
//! hedged period) in the claim's notes, so nothing said by a source is lost.
//! The records are returned in an order where every reference points to a
//! record earlier in the list, so they can be appended one by one.
//!
//! This module does no I/O and uses only `serde_json` and `anyhow`; the
//! model crate validates the records when they are added.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Map, Value, json};

/// The hand-written records: sources, places, events, people, acts,
/// relationships, proceedings and claims from the two seed articles.
const QANDY_QANTAR_RECORDS: &str = include_str!("../demo/qandy-qantar.records.json");

/// Verbatim copy of `shared/data/seed-facts/public-record-claims.json`.
const PUBLIC_RECORD_CLAIMS: &str = include_str!("../demo/public-record-claims.json");

/// All demo records, in an order where every reference points to a record earlier in the list.
pub fn demo_records() -> Result<Vec<Value>> {
    let mut records: Vec<Value> = serde_json::from_str(QANDY_QANTAR_RECORDS).context(
        "crates/cli/demo/qandy-qantar.records.json is not a JSON array of records; \
         fix the file so that it parses (e.g. check it with `python3 -m json.tool`)",
    )?;
    let entries: Vec<Value> = serde_json::from_str(PUBLIC_RECORD_CLAIMS).context(
        "crates/cli/demo/public-record-claims.json is not a JSON array; \
         copy it again from shared/data/seed-facts/public-record-claims.json",
    )?;
    let converted = records_from_public_claims(&entries, &records)?;
    records.extend(converted);
    Ok(records)
}

/// One entry of `public-record-claims.json`, with its fields checked.
struct PublicClaim<'a> {
    subject: &'a str,
    metric: &'a str,
    value: &'a Value,
    place: &'a str,
    period: &'a str,
    source_name: &'a str,
    source_url: &'a str,
    published: Option<&'a str>,
    note: Option<&'a str>,
    uncertain: bool,
}

impl<'a> PublicClaim<'a> {
    fn from_entry(entry: &'a Value, index: usize) -> Result<PublicClaim<'a>> {
        let object = entry.as_object().with_context(|| {
            format!("public-record-claims.json entry {index} is not a JSON object; each entry must be {{\"metric\": …, \"value\": …, …}}")
        })?;
        let text = |field: &str| -> Result<&'a str> {
            match object.get(field) {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.as_str()),
                Some(_) => bail!(
                    "public-record-claims.json entry {index}: field `{field}` must be a non-empty string"
                ),
                None => bail!(
                    "public-record-claims.json entry {index}: field `{field}` is missing; add it"
                ),
            }
        };
        let optional_text = |field: &str| -> Result<Option<&'a str>> {
            match object.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(_) => bail!(
                    "public-record-claims.json entry {index}: field `{field}` must be a string"
                ),
            }
        };
        let value = object.get("value").with_context(|| {
            format!("public-record-claims.json entry {index}: field `value` is missing; give a number or [low, high]")
        })?;
        let uncertain = match object.get("uncertain") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => bail!(
                "public-record-claims.json entry {index}: field `uncertain` must be true or false"
            ),
        };
        Ok(PublicClaim {
            subject: text("subject")?,
            metric: text("metric")?,
            value,
            place: text("place")?,
            period: text("period")?,
            source_name: text("source_name")?,
            source_url: text("source_url")?,
            published: optional_text("published")?,
            note: optional_text("note")?,
            uncertain,
        })
    }
}

/// Converts the public-record entries into source, place and claim records
/// (in that order), resolving place names against the hand-written places.
fn records_from_public_claims(entries: &[Value], hand_written: &[Value]) -> Result<Vec<Value>> {
    let claims = entries
        .iter()
        .enumerate()
        .map(|(i, e)| PublicClaim::from_entry(e, i))
        .collect::<Result<Vec<_>>>()?;
    let places = KnownPlaces::from_records(hand_written)?;

    let mut sources = Vec::new();
    let mut source_refs: HashMap<(&str, &str), String> = HashMap::new();
    let mut new_places = Vec::new();
    let mut new_place_refs: HashMap<String, String> = HashMap::new();
    let mut claim_records = Vec::with_capacity(claims.len());

    for (index, claim) in claims.iter().enumerate() {
        let key = (claim.source_name, claim.source_url);
        let source_ref = match source_refs.get(&key) {
            Some(r) => r.clone(),
            None => {
                let r = format!("prc-src-{}", sources.len() + 1);
                sources.push(source_record(&r, claim));
                source_refs.insert(key, r.clone());
                r
            }
        };

        let (place_ref, place_note) = match places.resolve(claim.place) {
            PlaceMatch::Known(r) => (r, None),
            PlaceMatch::Vague(r) => (r, Some(claim.place)),
            PlaceMatch::New => {
                let name = claim.place.trim();
                let key = name.to_lowercase();
                let r = match new_place_refs.get(&key) {
                    Some(r) => r.clone(),
                    None => {
                        // Names that slug alike ("Өскемен" and "Орал" both
                        // have no ASCII letters) get a counter.
                        let base = format!("prc-place-{}", slug(name));
                        let mut r = base.clone();
                        let mut n = 2;
                        while places.has_ref(&r) || new_place_refs.values().any(|v| *v == r) {
                            r = format!("{base}-{n}");
                            n += 1;
                        }
                        new_places.push(place_record(&r, name, &places.country));
                        new_place_refs.insert(key, r.clone());
                        r
                    }
                };
                (r, None)
            }
        };

        claim_records.push(
            claim_record(index, claim, &source_ref, &place_ref, place_note).with_context(|| {
                format!(
                    "public-record-claims.json entry {index} ({} for {})",
                    claim.metric, claim.place
                )
            })?,
        );
    }

    let mut out = sources;
    out.extend(new_places);
    out.extend(claim_records);
    Ok(out)
}

fn source_record(reference: &str, claim: &PublicClaim) -> Value {
    let mut record = Map::new();
    record.insert("kind".into(), json!("source"));
    record.insert("ref".into(), json!(reference));
    record.insert(
        "source_kind".into(),
        json!(source_kind_for(claim.source_name)),
    );
    record.insert("title".into(), json!({ "en": claim.source_name }));
    record.insert("url".into(), json!(claim.source_url));
    if let Some(published) = claim.published.filter(|p| is_point_date(p)) {
        record.insert("published".into(), json!(published));
    }
    record.insert("confidentiality".into(), json!("public"));
    record.insert(
        "notes".into(),
        json!("From the data set of published figures (public-record-claims.json); the kind of source is inferred from its name."),
    );
    Value::Object(record)
}

fn place_record(reference: &str, name: &str, country: &str) -> Value {
    // Only a region or a settlement can reach this point (vague strings fall
    // back to the country), and a name ending in "region" says which.
    let place_type = if name.to_lowercase().ends_with(" region") {
        "region"
    } else {
        "city"
    };
    json!({
        "kind": "place",
        "ref": reference,
        "name": { "en": name },
        "place_type": place_type,
        "parent": country,
        "confidentiality": "public",
        "notes": "Named in the data set of published figures; the place type is inferred from the name and the coordinates are unknown.",
    })
}

fn claim_record(
    index: usize,
    claim: &PublicClaim,
    source_ref: &str,
    place_ref: &str,
    place_note: Option<&str>,
) -> Result<Value> {
    let metric = metric_for(claim.metric, claim.subject);
    let value = count_text(claim.value, claim.note)?;
    let period = period_text(claim.period);
    let subject = match place_note {
        Some(text) => format!("{}; place given as: {}", claim.subject, text.trim()),
        None => claim.subject.to_owned(),
    };

    let mut notes = Vec::new();
    if let Some(note) = claim.note.filter(|n| !n.trim().is_empty()) {
        notes.push(format!(
            "Note in the data set: {}.",
            note.trim().trim_end_matches('.')
        ));
    }
    if metric != claim.metric {
        notes.push(format!("Metric in the data set: {}.", claim.metric));
    }
    if let Some(text) = place_note {
        notes.push(format!(
            "Place in the data set: \"{}\"; recorded here under a wider place.",
            text.trim()
        ));
    }
    if period.as_deref() != Some(claim.period) {
        notes.push(format!("Period in the data set: \"{}\".", claim.period));
    }
    match claim.published {
        Some(p) if is_point_date(p) => {}
        Some(p) => notes.push(format!("Date stated in the data set: \"{p}\".")),
        None => {}
    }
    if claim.uncertain {
        notes.push("The data set marks this figure as uncertain.".to_owned());
    }

    let mut record = Map::new();
    record.insert("kind".into(), json!("claim"));
    record.insert("ref".into(), json!(format!("prc-claim-{index}")));
    record.insert("claim_type".into(), json!("count"));
    record.insert("metric".into(), json!(metric));
    record.insert("value".into(), json!(value));
    record.insert("subject".into(), json!({ "en": subject }));
    record.insert("claimant".into(), json!({ "en": claim.source_name }));
    record.insert("place".into(), json!(place_ref));
    if let Some(period) = period {
        record.insert("period".into(), json!(period));
    }
    if let Some(published) = claim.published.filter(|p| is_point_date(p)) {
        record.insert("stated_on".into(), json!(published));
    }
    record.insert("sources".into(), json!([source_ref]));
    record.insert("confidentiality".into(), json!("public"));
    if !notes.is_empty() {
        record.insert("notes".into(), json!(notes.join(" ")));
    }
    Ok(Value::Object(record))
}

/// Chooses a `source_kinds` term from a source's name. A list is a list
/// whoever keeps it; otherwise the keyword that comes first in the name wins,
/// because names read "who said it (how we heard it)": "Ministry of Health
/// (via media)" is an official statement, "Human Rights Watch (citing
/// official figures)" an NGO report.
fn source_kind_for(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    if lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "list")
    {
        return "list";
    }
    const KEYWORDS: &[(&str, &str)] = &[
        ("media", "media_report"),
        ("the diplomat", "media_report"),
        ("wiki", "media_report"),
        ("human rights watch", "ngo_report"),
        ("human rights defenders", "ngo_report"),
        ("human rights alliance", "ngo_report"),
        ("fidh", "ngo_report"),
        ("foundation", "ngo_report"),
        ("volunteer", "ngo_report"),
        ("ministry", "official_statement"),
        ("minister", "official_statement"),
        ("prosecutor", "official_statement"),
        ("police", "official_statement"),
        ("commandant", "official_statement"),
        ("president", "official_statement"),
        ("authorities", "official_statement"),
        ("officials", "official_statement"),
        ("ohchr", "official_statement"),
        ("high commissioner", "official_statement"),
    ];
    KEYWORDS
        .iter()
        .filter_map(|(word, kind)| lower.find(word).map(|at| (at, *kind)))
        .min_by_key(|(at, _)| *at)
        .map_or("media_report", |(_, kind)| kind)
}

/// Maps a metric name of the data set onto the `metrics` vocabulary; names
/// with no close term become `other` (the caller keeps the original in the
/// notes, and the subject says what is counted).
fn metric_for(metric: &str, subject: &str) -> &'static str {
    let subject = subject.to_lowercase();
    let about_security_forces = [
        "security",
        "law enforcement",
        "police",
        "national guard",
        "military",
    ]
    .iter()
    .any(|w| subject.contains(w));
    match metric {
        "killed" => "killed",
        "died_in_custody" => "died_in_custody",
        "tortured_to_death_in_custody" => "tortured_to_death",
        "killed_by_excessive_force_of_law_enforcement" => "killed_by_excessive_force",
        "injured" if about_security_forces => "injured_security_forces",
        "injured" => "injured",
        "severely_injured" => "severely_injured",
        "injured_or_victims" => "injured_or_victims",
        "detained" => "detained",
        "arrested" => "arrested",
        "tortured" => "tortured",
        "missing" => "missing",
        "convicted" => "convicted",
        "criminally_prosecuted" => "criminally_prosecuted",
        "participated" => "participants",
        "deployed" => "troops_deployed",
        "opened" => "cases_opened",
        "under_investigation" => "cases_under_investigation",
        "documented" => "documented_cases",
        "economic_loss_usd" => "economic_loss_usd",
        "count" if subject.contains("localit") => "protest_localities",
        // "stolen" in the data set counts bodies taken from a morgue, which
        // the vocabulary's "items stolen" must not label.
        _ => "other",
    }
}

/// How a source hedged a number, read from a quoted phrase in the note such
/// as "'more than 3 thousand'" or "'almost 8000'".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hedge {
    MoreThan,
    AtLeast,
    About,
}

fn hedge_in(note: Option<&str>) -> Option<Hedge> {
    // Only quotations are the source's own words; the rest of a note is the
    // compiler's commentary, where "~80% of all injured" hedges another number.
    const WORDS: &[(&str, Hedge)] = &[
        ("more than", Hedge::MoreThan),
        ("over ", Hedge::MoreThan),
        ("at least", Hedge::AtLeast),
        ("almost", Hedge::About),
        ("nearly", Hedge::About),
        ("about", Hedge::About),
        ("around", Hedge::About),
        ("approximately", Hedge::About),
        ("~", Hedge::About),
    ];
    quoted_phrases(note?)
        .into_iter()
        .filter(|phrase| phrase.chars().any(|c| c.is_ascii_digit()))
        .find_map(|phrase| {
            let phrase = phrase.to_lowercase();
            WORDS
                .iter()
                .filter_map(|(word, hedge)| phrase.find(word).map(|at| (at, *hedge)))
                .min_by_key(|(at, _)| *at)
                .map(|(_, hedge)| hedge)
        })
}

/// Phrases in single quotes. An apostrophe inside a word ("Tokayev's") opens
/// or closes nothing.
fn quoted_phrases(text: &str) -> Vec<&str> {
    let mut phrases = Vec::new();
    let mut open: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c == '\'' {
            match open {
                None if !previous.is_some_and(char::is_alphanumeric) => open = Some(at + 1),
                Some(start) if !next.is_some_and(char::is_alphanumeric) => {
                    phrases.push(&text[start..at]);
                    open = None;
                }
                _ => {}
            }
        }
        previous = Some(c);
    }
    phrases
}

/// `CountRange` text for a value of the data set: a number, or `[low, high]`
/// with `high` null for "no upper bound".
fn count_text(value: &Value, note: Option<&str>) -> Result<String> {
    let number = |v: &Value| -> Result<u64> {
        v.as_u64()
            .with_context(|| format!("field `value`: {v} is not a whole number of zero or more"))
    };
    let hedged = |n: u64, default: Option<Hedge>| -> String {
        match hedge_in(note).or(default) {
            Some(Hedge::MoreThan) => format!("more than {}", thousands(n)),
            Some(Hedge::AtLeast) => format!("at least {}", thousands(n)),
            Some(Hedge::About) => format!("about {}", thousands(n)),
            None => thousands(n),
        }
    };
    match value {
        Value::Number(_) => Ok(hedged(number(value)?, None)),
        Value::Array(pair) => match pair.as_slice() {
            [low, Value::Null] => Ok(hedged(number(low)?, Some(Hedge::AtLeast))),
            [low, high] => {
                let (low, high) = (number(low)?, number(high)?);
                ensure!(
                    low <= high,
                    "field `value`: [{low}, {high}] has its low end above its high end; swap them"
                );
                if low == high {
                    Ok(thousands(low))
                } else {
                    Ok(format!("{}–{}", thousands(low), thousands(high)))
                }
            }
            _ => bail!("field `value`: {value} must be [low, high] with two entries"),
        },
        _ => bail!("field `value`: {value} must be a number or [low, high]"),
    }
}

/// 4578 → "4,578": the thousands separators `CountRange` keeps as written.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `ApproxDate` text for a period of the data set ("to 2022-01-07",
/// "2022-01-04..2022-01-15", "as of ~2022-01-15", "2022-2023"), or `None` if
/// it names no date at all. Free text around a date ("state of emergency …,
/// 2022-01") is reduced to the date; the caller keeps the original in notes.
fn period_text(period: &str) -> Option<String> {
    let period = period.trim();
    if let Some(point) = point_text(period) {
        return Some(point);
    }
    for prefix in ["to ", "as of ", "until "] {
        if let Some(rest) = period.strip_prefix(prefix) {
            return point_text(rest).map(|p| format!("../{p}"));
        }
    }
    if let Some(rest) = period.strip_prefix("from ") {
        return point_text(rest).map(|p| format!("{p}/.."));
    }
    if let Some((from, to)) = period.split_once("..") {
        let end = |s: &str| {
            if s.trim().is_empty() {
                Some("..".to_owned())
            } else {
                point_text(s)
            }
        };
        let (from, to) = (end(from)?, end(to)?);
        if from == ".." && to == ".." {
            return None;
        }
        return Some(format!("{from}/{to}"));
    }
    if let Some((a, b)) = period.split_once('-')
        && a.len() == 4
        && b.len() == 4
        && is_point_date(a)
        && is_point_date(b)
    {
        return Some(format!("{a}/{b}"));
    }
    period
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .rev()
        .find_map(point_text)
}

/// A single date, with "~" read as "about".
fn point_text(text: &str) -> Option<String> {
    let text = text.trim();
    match text.strip_prefix('~') {
        Some(rest) if is_point_date(rest.trim()) => Some(format!("about {}", rest.trim())),
        Some(_) => None,
        None if is_point_date(text) => Some(text.to_owned()),
        None => None,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a month 01–12 and a day 01–31; the
/// model checks the calendar in full.
fn is_point_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, width: usize| -> Option<u32> {
        (s.len() == width && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    match parts.as_slice() {
        [y] => number(y, 4).is_some(),
        [y, m] => number(y, 4).is_some() && number(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

/// The readable part of a `prc-place-…` handle: lower-case ASCII letters and
/// digits, every run of other characters turned into one hyphen, cut short
/// enough to fit the 64-character limit with a counter.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut s = out.trim_end_matches('-').to_owned();
    // Room for "prc-place-" and a "-NN" counter within the 64-character limit.
    s.truncate(64 - "prc-place-".len() - 4);
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "unnamed".to_owned()
    } else {
        s.to_owned()
    }
}

enum PlaceMatch {
    /// The name of a hand-written place.
    Known(String),
    /// Not a single place ("7 other regions (not named)"): recorded under the
    /// place it narrows, or the country, with the text kept.
    Vague(String),
    /// A plain place name the hand-written file lacks.
    New,
}

/// The hand-written places, by their English name.
struct KnownPlaces {
    by_name: HashMap<String, String>,
    refs: HashSet<String>,
    country: String,
}

impl KnownPlaces {
    fn from_records(records: &[Value]) -> Result<KnownPlaces> {
        let mut by_name = HashMap::new();
        let mut refs = HashSet::new();
        let mut country = None;
        for record in records {
            if let Some(r) = record.get("ref").and_then(Value::as_str) {
                refs.insert(r.to_owned());
            }
            if record.get("kind").and_then(Value::as_str) != Some("place") {
                continue;
            }
            let Some(reference) = record.get("ref").and_then(Value::as_str) else {
                continue;
            };
            let name = match record.get("name") {
                Some(Value::String(s)) => Some(s.as_str()),
                Some(Value::Object(o)) => o.get("en").and_then(Value::as_str),
                _ => None,
            };
            if let Some(name) = name {
                by_name.insert(name.trim().to_lowercase(), reference.to_owned());
            }
            if record.get("place_type").and_then(Value::as_str) == Some("country")
                && country.is_none()
            {
                country = Some(reference.to_owned());
            }
        }
        let country = country.context(
            "the hand-written demo records have no place of type \"country\"; add Kazakhstan (ref `kz`) to crates/cli/demo/qandy-qantar.records.json",
        )?;
        Ok(KnownPlaces {
            by_name,
            refs,
            country,
        })
    }

    fn has_ref(&self, reference: &str) -> bool {
        self.refs.contains(reference)
    }

    fn resolve(&self, text: &str) -> PlaceMatch {
        let lower = text.trim().to_lowercase();
        if let Some(r) = self.by_name.get(&lower) {
            return PlaceMatch::Known(r.clone());
        }
        // "Kazakhstan (11 regions)" narrows a known place.
        if let Some((head, _)) = lower.split_once('(') {
            return match self.by_name.get(head.trim()) {
                Some(r) => PlaceMatch::Vague(r.clone()),
                None => PlaceMatch::Vague(self.country.clone()),
            };
        }
        let vague = lower
            .chars()
            .any(|c| c.is_ascii_digit() || "/?~".contains(c))
            || ["other ", "not ", "likely", "unknown", "several", "various"]
                .iter()
                .any(|w| lower.contains(w));
        if vague {
            PlaceMatch::Vague(self.country.clone())
        } else {
            PlaceMatch::New
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Vec<Value> {
        demo_records().expect("the demo records must load")
    }

    fn str_field<'a>(record: &'a Value, field: &str) -> Option<&'a str> {
        record.get(field).and_then(Value::as_str)
    }

    fn by_ref<'a>(records: &'a [Value], reference: &str) -> &'a Value {
        records
            .iter()
            .find(|r| str_field(r, "ref") == Some(reference))
            .unwrap_or_else(|| panic!("no record with ref `{reference}`"))
    }

    fn cited_sources(record: &Value) -> Vec<&str> {
        record
            .get("sources")
            .and_then(Value::as_array)
            .map(|citations| {
                citations
                    .iter()
                    .filter_map(|c| {
                        c.as_str()
                            .or_else(|| c.get("source").and_then(Value::as_str))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The model's own checks, record by record, and its list of reference
    /// fields: each must name a record earlier in the list, of the kind the
    /// field needs, so that the records can be appended one by one.
    #[test]
    fn every_record_passes_the_model_and_refers_only_backwards() {
        let mut earlier: HashMap<String, qantar_model::Kind> = HashMap::new();
        for (i, value) in records().iter().enumerate() {
            let record = qantar_model::Record::from_json(value, &mut uuid::Uuid::nil)
                .unwrap_or_else(|errors| panic!("records[{i}] ({}): {errors:?}", value["ref"]));
            let reference = record
                .r#ref
                .clone()
                .unwrap_or_else(|| panic!("records[{i}] has no ref"));
            for r in record.references() {
                let found = earlier.get(&r.target).unwrap_or_else(|| {
                    panic!(
                        "`{reference}`.{} names `{}`, which is not an earlier record",
                        r.field, r.target
                    )
                });
                if let Some(want) = r.expected {
                    assert!(
                        *found == want,
                        "`{reference}`.{} names `{}`, of the wrong kind",
                        r.field,
                        r.target
                    );
                }
            }
            assert!(
                earlier.insert(reference.clone(), record.kind()).is_none(),
                "ref `{reference}` is used twice"
            );
        }
    }

    #[test]
    fn refs_are_well_formed() {
        for record in records() {
            let r = str_field(&record, "ref").expect("every demo record has a ref");
            let ok = r.len() <= 64
                && r.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
            assert!(ok, "ref `{r}` does not match [a-z0-9][a-z0-9._-]{{0,63}}");
        }
    }

    #[test]
    fn every_record_except_sources_and_places_cites_a_source() {
        for record in records() {
            let kind = str_field(&record, "kind").unwrap_or_default();
            if kind != "source" && kind != "place" {
                assert!(
                    !cited_sources(&record).is_empty(),
                    "`{}` cites no source",
                    record["ref"]
                );
            }
        }
    }

    #[test]
    fn confidential_material_stays_out_of_public_records() {
        let records = records();
        let level: HashMap<&str, &str> = records
            .iter()
            .map(|r| {
                (
                    str_field(r, "ref").unwrap_or_default(),
                    str_field(r, "confidentiality").unwrap_or("restricted"),
                )
            })
            .collect();
        for record in &records {
            let cited = cited_sources(record);
            if cited.is_empty() {
                continue;
            }
            let own = level[str_field(record, "ref").unwrap_or_default()];
            let all_confidential = cited.iter().all(|s| level[s] == "confidential");
            if own == "public" {
                for s in &cited {
                    assert_eq!(
                        level[s], "public",
                        "public `{}` cites non-public source `{s}`",
                        record["ref"]
                    );
                }
            }
            if all_confidential {
                assert_eq!(
                    own, "confidential",
                    "`{}` rests only on confidential sources",
                    record["ref"]
                );
            }
        }
        assert_eq!(
            str_field(by_ref(&records, "s4"), "source_kind"),
            Some("confidential_document")
        );
    }

    #[test]
    fn conflicting_zhambyl_tolls_stand_side_by_side() {
        let records = records();
        let zhambyl_killed: Vec<(&str, Vec<&str>)> = records
            .iter()
            .filter(|r| str_field(r, "kind") == Some("claim"))
            .filter(|r| {
                str_field(r, "place") == Some("zhambyl-region")
                    && str_field(r, "metric") == Some("killed")
            })
            .map(|r| (str_field(r, "value").unwrap_or_default(), cited_sources(r)))
            .collect();
        assert!(
            zhambyl_killed
                .iter()
                .any(|(v, s)| *v == "15" && s.contains(&"s5")),
            "{zhambyl_killed:?}"
        );
        assert!(
            zhambyl_killed
                .iter()
                .any(|(v, s)| *v == "18" && s.contains(&"s6")),
            "{zhambyl_killed:?}"
        );
        // Neither figure may replace the other.
        for reference in ["claim-zhambyl-killed-15-s5", "claim-zhambyl-killed-18-s6"] {
            let claim = by_ref(&records, reference);
            assert!(
                claim.get("supersedes").is_none() && claim.get("retracts").is_none(),
                "{reference}"
            );
        }
    }

    /// The hand-written file against the seed facts it restates, when the
    /// shared data folder is present.
    #[test]
    fn hand_written_records_cover_the_seed_facts() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/seed-facts/qandy-qantar.json"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping: {path} not found");
            return;
        };
        let seed: Value = serde_json::from_str(&text).expect("seed facts parse");
        let records = records();
        let of_kind = |kind: &'static str| {
            records
                .iter()
                .filter(move |r| str_field(r, "kind") == Some(kind))
        };

        let sources = seed["sources"].as_array().expect("seed sources");
        for s in sources {
            let id = s["id"].as_str().expect("seed source id").to_lowercase();
            assert_eq!(str_field(by_ref(&records, &id), "kind"), Some("source"));
        }
        assert_eq!(
            of_kind("source")
                .filter(|r| !str_field(r, "ref").unwrap_or("").starts_with("prc-"))
                .count(),
            sources.len()
        );

        for person in seed["people"].as_array().expect("seed people") {
            let id = person["id"]
                .as_str()
                .expect("seed person id")
                .to_lowercase();
            let record = by_ref(&records, &id);
            assert_eq!(str_field(record, "kind"), Some("person"), "{id}");
            let seed_acts = person
                .get("acts")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let acts = of_kind("act")
                .filter(|a| str_field(a, "victim") == Some(id.as_str()))
                .count();
            assert_eq!(acts, seed_acts, "acts of {id}");
            let seed_proceedings = person
                .get("proceedings")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let proceedings = of_kind("proceeding")
                .filter(|p| {
                    p["persons"].as_array().is_some_and(|ps| {
                        ps.iter().any(|x| x["person"].as_str() == Some(id.as_str()))
                    })
                })
                .count();
            assert!(
                proceedings >= seed_proceedings,
                "{id}: {proceedings} proceedings, seed has {seed_proceedings}"
            );
            let seed_relatives = person
                .get("relatives")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let relationships = of_kind("relationship")
                .filter(|r| {
                    str_field(r, "from") == Some(id.as_str())
                        || str_field(r, "to") == Some(id.as_str())
                })
                .count();
            assert!(relationships >= seed_relatives, "{id}: relationships");
        }

        let seed_events = seed["events"].as_array().expect("seed events").len();
        // The seed's events plus the top event and the city-level ones.
        assert!(of_kind("event").count() > seed_events);
        let top = by_ref(&records, "ev-january-2022");
        assert!(top.get("parent").is_none());
        for event in of_kind("event").filter(|e| str_field(e, "ref") != Some("ev-january-2022")) {
            assert!(
                event.get("parent").is_some(),
                "{} is not nested",
                event["ref"]
            );
        }

        // Each breakdown component is its own claim, so at least as many.
        let seed_claims = seed["aggregate_claims"]
            .as_array()
            .expect("seed claims")
            .len();
        let hand_claims = of_kind("claim")
            .filter(|c| str_field(c, "ref").is_some_and(|r| r.starts_with("claim-")))
            .count();
        assert!(
            hand_claims >= seed_claims,
            "{hand_claims} claims for {seed_claims} seed claims"
        );

        let amnesty =
            of_kind("proceeding").find(|p| str_field(p, "proceeding_kind") == Some("amnesty"));
        assert!(amnesty.is_some(), "the November 2022 amnesty is missing");
    }

    #[test]
    fn the_public_record_copy_is_byte_for_byte_the_shared_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/seed-facts/public-record-claims.json"
        );
        let Ok(shared) = std::fs::read(path) else {
            eprintln!("skipping: {path} not found");
            return;
        };
        assert!(
            shared == PUBLIC_RECORD_CLAIMS.as_bytes(),
            "crates/cli/demo/public-record-claims.json differs from {path}; copy it again"
        );
    }

    #[test]
    fn every_public_record_entry_becomes_one_claim_citing_its_source() {
        let entries: Vec<Value> =
            serde_json::from_str(PUBLIC_RECORD_CLAIMS).expect("entries parse");
        let records = records();
        for (i, entry) in entries.iter().enumerate() {
            let claim = by_ref(&records, &format!("prc-claim-{i}"));
            assert_eq!(str_field(claim, "kind"), Some("claim"));
            assert_eq!(str_field(claim, "claim_type"), Some("count"));
            assert_eq!(str_field(claim, "confidentiality"), Some("public"));
            let cited = cited_sources(claim);
            assert_eq!(cited.len(), 1, "prc-claim-{i}");
            let source = by_ref(&records, cited[0]);
            assert_eq!(str_field(source, "kind"), Some("source"));
            assert_eq!(
                str_field(source, "url"),
                entry["source_url"].as_str(),
                "prc-claim-{i} cites the wrong source"
            );
            assert_eq!(source["title"]["en"], entry["source_name"], "prc-claim-{i}");
            assert_eq!(claim["claimant"]["en"], entry["source_name"]);
        }
        let claims = records
            .iter()
            .filter(|r| str_field(r, "ref").is_some_and(|r| r.starts_with("prc-claim-")))
            .count();
        assert_eq!(claims, entries.len());

        let pairs: HashSet<(&str, &str)> = entries
            .iter()
            .map(|e| {
                (
                    e["source_name"].as_str().unwrap_or(""),
                    e["source_url"].as_str().unwrap_or(""),
                )
            })
            .collect();
        let sources = records
            .iter()
            .filter(|r| str_field(r, "ref").is_some_and(|r| r.starts_with("prc-src-")))
            .count();
        assert_eq!(
            sources,
            pairs.len(),
            "one source per distinct (source_name, source_url)"
        );
    }

    #[test]
    fn known_entries_get_the_expected_values_places_and_periods() {
        let entries: Vec<Value> =
            serde_json::from_str(PUBLIC_RECORD_CLAIMS).expect("entries parse");
        let records = records();
        // Finds an entry by what it says, not by position, so that the test
        // survives a re-ordered data set.
        let claim_for = |pred: &dyn Fn(&Value) -> bool| -> &Value {
            let i = entries
                .iter()
                .position(pred)
                .expect("entry present in the data set");
            by_ref(&records, &format!("prc-claim-{i}"))
        };
        let value_is = |e: &Value, v: Value| e["value"] == v;

        let more_than =
            claim_for(&|e| value_is(e, json!([3000, null])) && e["metric"] == "detained");
        assert_eq!(more_than["value"], "more than 3,000");
        assert_eq!(more_than["period"], "../2022-01-07");
        assert_eq!(more_than["metric"], "detained");

        let almost = claim_for(&|e| value_is(e, json!([8000, null])));
        assert_eq!(almost["value"], "about 8,000");

        let at_least = claim_for(&|e| value_is(e, json!([3500, null])));
        assert_eq!(
            at_least["value"], "at least 3,500",
            "a '~' outside quotes must not hedge the figure"
        );
        assert_eq!(at_least["metric"], "injured_security_forces");

        let range = claim_for(&|e| value_is(e, json!([3000, 5000])));
        assert_eq!(range["value"], "3,000–5,000");
        assert_eq!(range["period"], "2022-01-06/..");

        let same_ends = claim_for(&|e| value_is(e, json!([227, 227])));
        assert_eq!(same_ends["value"], "227");
        assert!(
            same_ends.get("stated_on").is_none(),
            "\"unknown\" is not a date"
        );

        let morgue = claim_for(&|e| value_is(e, json!(225)));
        assert_eq!(morgue["period"], "2022-01-04/2022-01-15");
        assert_eq!(morgue["stated_on"], "2022-01-15");
        assert_eq!(morgue["place"], "kz");

        let almaty = claim_for(&|e| value_is(e, json!(103)));
        assert_eq!(almaty["place"], "almaty");

        let vague = claim_for(&|e| e["place"] == "7 other regions (not named)");
        assert_eq!(vague["place"], "kz");
        assert!(
            vague["subject"]["en"]
                .as_str()
                .is_some_and(|s| s.contains("7 other regions (not named)"))
        );
        assert!(
            vague["notes"]
                .as_str()
                .is_some_and(|s| s.contains("7 other regions (not named)"))
        );

        let region = claim_for(&|e| e["place"] == "Almaty region");
        assert_eq!(region["place"], "almaty-region");

        let uncertain = claim_for(&|e| value_is(e, json!(5969)));
        assert_eq!(uncertain["value"], "5,969");
        assert!(
            uncertain["notes"]
                .as_str()
                .is_some_and(|s| s.contains("uncertain"))
        );

        let custody =
            claim_for(&|e| e["metric"] == "died_in_custody" && value_is(e, json!([6, null])));
        assert_eq!(custody["metric"], "died_in_custody");
        assert!(
            custody["notes"]
                .as_str()
                .is_none_or(|s| !s.contains("Metric in the data set"))
        );

        let renamed = claim_for(&|e| e["metric"] == "tortured_to_death_in_custody");
        assert_eq!(renamed["metric"], "tortured_to_death");
        assert!(
            renamed["notes"]
                .as_str()
                .is_some_and(|s| s.contains("tortured_to_death_in_custody"))
        );

        let bodies = claim_for(&|e| e["metric"] == "stolen");
        assert_eq!(bodies["metric"], "other");
        assert!(
            bodies["subject"]["en"]
                .as_str()
                .is_some_and(|s| s.contains("bodies"))
        );
    }

    #[test]
    fn counts_read_hedges_only_from_quotations() {
        let n = |v: Value, note: Option<&str>| count_text(&v, note).expect("valid value");
        assert_eq!(n(json!(238), None), "238");
        assert_eq!(n(json!(209000000), None), "209,000,000");
        assert_eq!(
            n(json!(50), Some("'about 50', more than half still missing")),
            "about 50"
        );
        assert_eq!(
            n(
                json!(1400),
                Some("'nearly 1,400'; at least 6 died in custody")
            ),
            "about 1,400"
        );
        assert_eq!(
            n(
                json!([88, null]),
                Some("'48 cities and over 40 localities'")
            ),
            "more than 88"
        );
        assert_eq!(
            n(
                json!([238, null]),
                Some("'at least 238', incl. 19 law enforcement")
            ),
            "at least 238"
        );
        assert_eq!(
            n(
                json!([4500, null]),
                Some("also ~10,000 detained, 'several hundred reportedly tortured'")
            ),
            "at least 4,500"
        );
        assert_eq!(
            n(json!([10000, null]), Some("'around 10,000'")),
            "about 10,000"
        );
        assert_eq!(
            n(
                json!([3000, 5000]),
                Some("3,000 first, 'later about 5,000' reported; disagrees with Tokayev's 2,030")
            ),
            "3,000–5,000"
        );
        assert!(count_text(&json!([5, 3]), None).is_err());
        assert!(count_text(&json!(-4), None).is_err());
        assert!(count_text(&json!("many"), None).is_err());
        assert!(count_text(&json!([1, 2, 3]), None).is_err());
    }

    #[test]
    fn apostrophes_inside_words_do_not_open_quotations() {
        assert_eq!(
            quoted_phrases("Tokayev's figure, 'later about 5,000' reported"),
            vec!["later about 5,000"]
        );
        assert_eq!(
            quoted_phrases("the GPO's 'attackers' and the MVD's"),
            vec!["attackers"]
        );
        assert!(quoted_phrases("no quotes here").is_empty());
    }

    #[test]
    fn periods_become_approximate_dates() {
        let p = |s: &str| period_text(s);
        assert_eq!(p("2022-01").as_deref(), Some("2022-01"));
        assert_eq!(p("to 2022-01-07").as_deref(), Some("../2022-01-07"));
        assert_eq!(p("to ~2022-01-16").as_deref(), Some("../about 2022-01-16"));
        assert_eq!(
            p("as of ~2022-01-15").as_deref(),
            Some("../about 2022-01-15")
        );
        assert_eq!(p("from 2022-01-11").as_deref(), Some("2022-01-11/.."));
        assert_eq!(
            p("2022-01-04..2022-01-15").as_deref(),
            Some("2022-01-04/2022-01-15")
        );
        assert_eq!(p("2022-04..2023-01").as_deref(), Some("2022-04/2023-01"));
        assert_eq!(p("2022-01-06..").as_deref(), Some("2022-01-06/.."));
        assert_eq!(p("2022-2023").as_deref(), Some("2022/2023"));
        assert_eq!(
            p("state of emergency / counter-terror operation, 2022-01").as_deref(),
            Some("2022-01")
        );
        assert_eq!(p("during the unrest"), None);
        assert_eq!(p("2022-13"), None);
    }

    #[test]
    fn source_kinds_follow_the_name() {
        let cases = [
            ("Ministry of Health (via media)", "official_statement"),
            ("media citing authorities", "media_report"),
            ("Human Rights Watch (citing official figures)", "ngo_report"),
            (
                "General Prosecutor's Office, reply to Human Rights Watch",
                "official_statement",
            ),
            (
                "General Prosecutor's Office (list of names published on GPO website)",
                "list",
            ),
            (
                "Radio Azattyq (RFE/RL Kazakh service) list / minisite",
                "list",
            ),
            (
                "UN High Commissioner for Human Rights Volker Türk",
                "official_statement",
            ),
            (
                "Qantar 2022 volunteer initiative (The Village KZ)",
                "ngo_report",
            ),
            ("Swedish wiki mirror of Wikipedia infobox", "media_report"),
            ("Some outlet", "media_report"),
        ];
        for (name, kind) in cases {
            assert_eq!(source_kind_for(name), kind, "{name}");
        }
    }

    fn hand_written_places() -> Vec<Value> {
        vec![
            json!({"kind": "place", "ref": "kz", "name": {"en": "Kazakhstan"}, "place_type": "country"}),
            json!({"kind": "place", "ref": "almaty", "name": {"en": "Almaty"}, "place_type": "city", "parent": "kz"}),
        ]
    }

    fn entry(place: &str, source: &str) -> Value {
        json!({"subject": "people", "metric": "killed", "value": 3, "place": place, "period": "2022-01",
               "source_name": source, "source_url": format!("https://example.invalid/{source}"), "published": "2022-02"})
    }

    #[test]
    fn unknown_place_names_become_places_once_and_vague_ones_fall_back() {
        let entries = vec![
            entry("Aktobe", "a"),
            entry("aktobe", "b"),
            entry("Mangystau region", "a"),
            entry("(city not in excerpt - likely Zhanaozen/Aktau)", "a"),
            entry("Almaty (two districts)", "a"),
            entry("Өскемен", "a"),
            entry("Орал", "a"),
        ];
        let out = records_from_public_claims(&entries, &hand_written_places()).expect("converts");
        let kinds: Vec<&str> = out.iter().filter_map(|r| str_field(r, "kind")).collect();
        assert_eq!(
            kinds,
            [
                "source", "source", "place", "place", "place", "place", "claim", "claim", "claim",
                "claim", "claim", "claim", "claim"
            ]
        );
        assert_eq!(by_ref(&out, "prc-claim-5")["place"], "prc-place-unnamed");
        assert_eq!(by_ref(&out, "prc-claim-6")["place"], "prc-place-unnamed-2");
        let aktobe = by_ref(&out, "prc-place-aktobe");
        assert_eq!(aktobe["place_type"], "city");
        assert_eq!(aktobe["parent"], "kz");
        assert_eq!(
            by_ref(&out, "prc-place-mangystau-region")["place_type"],
            "region"
        );
        assert_eq!(by_ref(&out, "prc-claim-1")["place"], "prc-place-aktobe");
        assert_eq!(by_ref(&out, "prc-claim-1")["sources"], json!(["prc-src-2"]));
        assert_eq!(by_ref(&out, "prc-claim-3")["place"], "kz");
        assert_eq!(by_ref(&out, "prc-claim-4")["place"], "almaty");
        assert!(
            by_ref(&out, "prc-claim-4")["subject"]["en"]
                .as_str()
                .is_some_and(|s| s.contains("two districts"))
        );
    }

    #[test]
    fn bad_entries_are_refused_with_the_entry_and_field_named() {
        let mut missing = entry("Almaty", "a");
        missing.as_object_mut().expect("object").remove("metric");
        let err = records_from_public_claims(&[missing], &hand_written_places())
            .expect_err("missing metric");
        assert!(
            format!("{err:#}").contains("entry 0") && format!("{err:#}").contains("`metric`"),
            "{err:#}"
        );

        let mut bad_value = entry("Almaty", "a");
        bad_value["value"] = json!([10, 2]);
        let err =
            records_from_public_claims(&[entry("Almaty", "a"), bad_value], &hand_written_places())
                .expect_err("backwards range");
        assert!(
            format!("{err:#}").contains("entry 1") && format!("{err:#}").contains("[10, 2]"),
            "{err:#}"
        );

        let no_country =
            vec![json!({"kind": "place", "ref": "almaty", "name": "Almaty", "place_type": "city"})];
        let err = records_from_public_claims(&[entry("Almaty", "a")], &no_country)
            .expect_err("no country");
        assert!(format!("{err:#}").contains("country"), "{err:#}");
    }

    #[test]
    fn thousands_separators_and_slugs() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(4578), "4,578");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(slug("Ust-Kamenogorsk (Oskemen)"), "ust-kamenogorsk-oskemen");
        assert_eq!(slug("Өскемен"), "unnamed");
        assert!(slug(&"a".repeat(100)).len() + "prc-place-".len() + "-99".len() <= 64);
    }

    #[test]
    fn loading_twice_gives_the_same_records() {
        assert_eq!(records(), records());
    }
}
