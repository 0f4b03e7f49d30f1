//! Consent and redaction: what may be published about a person or a
//! testimony, and the derived public version of a record.
//!
//! A [`ConsentBook`] holds the consent records of an archive and answers,
//! for one record, whether it may appear in public output. The rule is
//! pure and small on purpose, so the public site, the export and the CLI
//! cannot disagree about it:
//!
//! - Several consents may name one subject (renewed, narrowed). The one
//!   with the latest `given_on` governs; on the same day the stricter one
//!   does, so the answer never depends on the order records were read in.
//! - A governing consent that is withdrawn, or whose audience is
//!   `internal` or `partners`, **withholds** the subject and every record
//!   derived from it.
//! - Audience `public` with identity `anonymised` lets only a **derived**
//!   record whose identifying fields ([`Kind::sensitive_fields`]) are gone
//!   be published; the original never.
//! - No consent at all leaves the decision to the record's confidentiality
//!   level (many victims are dead; official lists of them are public).
//!
//! [`redact`] builds the derived record a documenter then appends: same
//! kind, `derived_from` the original, identifying fields dropped (or, when
//! the record needs them, replaced by a neutral placeholder), notes
//! dropped, confidentiality public.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::date::CivilDate;
use crate::error::{FieldError, FieldErrors};
use crate::kind::Kind;
use crate::record::{Body, Consent, Record, allowed_fields};
use crate::vocab::{self, named};

/// What a consent allows for one subject, from most to least open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Publish the record as it is (its confidentiality still applies).
    Publish,
    /// Only a derived record with the identifying fields dropped.
    PublishDerivedOnly,
    /// Nothing about the subject in any public output.
    Withhold,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Publish => "publish",
            Verdict::PublishDerivedOnly => "publish_derived_only",
            Verdict::Withhold => "withhold",
        }
    }
}

/// A verdict with the consent that decided it (none: no consent recorded)
/// and a sentence saying why, for error messages and `consent list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The id of the governing consent record.
    pub consent: Option<String>,
    pub why: String,
}

/// One consent record, as the book keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Governing {
    /// The consent record's id.
    pub id: String,
    pub consent: Consent,
}

impl Governing {
    fn verdict(&self) -> Verdict {
        let c = &self.consent;
        if c.is_withdrawn() || c.audience != "public" {
            Verdict::Withhold
        } else if c.identity == "anonymised" {
            Verdict::PublishDerivedOnly
        } else {
            Verdict::Publish
        }
    }

    /// Which of two consents of one subject governs: the later one; on the
    /// same day the stricter; then the greater id, only to be total.
    fn governs_over(&self, other: &Governing) -> bool {
        (self.consent.given_on, self.verdict(), &self.id)
            > (other.consent.given_on, other.verdict(), &other.id)
    }

    fn why(&self) -> String {
        let c = &self.consent;
        match c.withdrawn_on {
            Some(w) => format!("consent {} was withdrawn on {w}", self.id),
            None if c.audience == "internal" => format!(
                "consent {} (given {}) allows archive staff only",
                self.id, c.given_on
            ),
            None if c.audience == "partners" => format!(
                "consent {} (given {}) allows partner organisations only{}",
                self.id,
                c.given_on,
                c.partners
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
            None if c.identity == "anonymised" => format!(
                "consent {} (given {}) allows publication anonymised only: publish a redacted \
                 derived record, never the original",
                self.id, c.given_on
            ),
            None => format!(
                "consent {} (given {}) allows publication with the name",
                self.id, c.given_on
            ),
        }
    }
}

/// The consent records of an archive, by subject.
#[derive(Clone, Debug, Default)]
pub struct ConsentBook {
    by_subject: HashMap<String, Governing>,
}

impl ConsentBook {
    /// Build from records (the current version of each; others are
    /// skipped). Retracted consent records must not be passed: a retracted
    /// consent was never given.
    pub fn new<'a>(records: impl IntoIterator<Item = &'a Record>) -> ConsentBook {
        let mut book = ConsentBook::default();
        for r in records {
            if let Body::Consent(c) = &r.body {
                book.insert(r.id.to_string(), c.clone());
            }
        }
        book
    }

    /// Add one consent; it governs its subject if it is later (or, on the
    /// same day, stricter) than the one there.
    pub fn insert(&mut self, id: String, consent: Consent) {
        let g = Governing { id, consent };
        match self.by_subject.get(&g.consent.subject) {
            Some(cur) if !g.governs_over(cur) => {}
            _ => {
                self.by_subject.insert(g.consent.subject.clone(), g);
            }
        }
    }

    /// The consent that governs `subject` (a record id), if any.
    pub fn governing(&self, subject: &str) -> Option<&Governing> {
        self.by_subject.get(subject)
    }

    /// Subjects with a consent.
    pub fn subjects(&self) -> impl Iterator<Item = &str> {
        self.by_subject.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.by_subject.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_subject.is_empty()
    }

    /// What the consent of `subject` allows.
    pub fn decide(&self, subject: &str) -> Decision {
        match self.governing(subject) {
            Some(g) => Decision {
                verdict: g.verdict(),
                consent: Some(g.id.clone()),
                why: g.why(),
            },
            None => Decision {
                verdict: Verdict::Publish,
                consent: None,
                why: "no consent is recorded: the record's confidentiality decides".to_owned(),
            },
        }
    }

    /// The decision for a record: its own consent, and for a derived
    /// record also its original's, the stricter winning.
    pub fn decide_record(&self, record: &Record) -> Decision {
        let own = self.decide(&record.id.to_string());
        match &record.derived_from {
            Some(original) => {
                let of_original = self.decide(original);
                if of_original.verdict >= own.verdict {
                    of_original
                } else {
                    own
                }
            }
            None => own,
        }
    }

    /// Whether `record` may appear in public output as far as consent goes
    /// (its confidentiality is checked by the caller).
    pub fn may_publish(&self, record: &Record) -> bool {
        match self.decide_record(record).verdict {
            Verdict::Publish => true,
            Verdict::PublishDerivedOnly => {
                record.derived_from.is_some() && identifying_fields(record).is_empty()
            }
            Verdict::Withhold => false,
        }
    }
}

/// The sensitive fields of `record` that still carry a value. A required
/// field (a person's names, a source's title) counts as dropped only when
/// it holds exactly the redaction placeholder.
pub fn identifying_fields(record: &Record) -> Vec<&'static str> {
    let kind = record.kind();
    let json = record.to_json();
    kind.sensitive_fields()
        .iter()
        .copied()
        .filter(|field| match json.get(*field) {
            None => false,
            Some(v) => placeholder(record, field).as_ref() != Some(v),
        })
        .collect()
}

/// What a required sensitive field becomes in a derived record.
fn placeholder(record: &Record, field: &str) -> Option<Value> {
    match (&record.body, field) {
        (Body::Person(_), "names") => Some(json!([
            {"value": "Name withheld", "lang": "en"},
            {"value": "Имя не раскрывается", "lang": "ru"},
            {"value": "Аты-жөні жасырылған", "lang": "kk"},
        ])),
        // The kind's own labels ("Testimony", "Свидетельство", …): a
        // testimony's title often names the witness.
        (Body::Source(s), "title") => named(vocab::SOURCE_KINDS)
            .term(&s.source_kind)
            .map(|t| json!({"en": t.en, "ru": t.ru, "kk": t.kk})),
        _ => None,
    }
}

/// What to change when deriving a public record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Redaction {
    /// More fields to drop, beyond the sensitive ones.
    pub drop: Vec<String>,
    /// Sensitive fields to keep as they are.
    pub keep: Vec<String>,
    /// Fields to set in the derived record (after dropping).
    pub set: Vec<(String, Value)>,
}

/// Fields a redaction may not touch: they say what the derived record is.
const FIXED: &[&str] = &["kind", "id", "derived_from", "confidentiality"];

/// Check a redaction against the kind alone, before the original is read
/// (reading a sealed one leaves an audit entry, so a mistyped flag should
/// be said first).
pub fn check_redaction(kind: Kind, how: &Redaction) -> Result<(), FieldErrors> {
    let allowed = allowed_fields(kind);
    let sensitive = kind.sensitive_fields();
    let mut errors = Vec::new();
    let check = |flag: &str, field: &str, errors: &mut Vec<FieldError>| {
        if !allowed.contains(&field) {
            errors.push(FieldError::new(
                flag,
                format!(
                    "{field:?} is not a field of {}; fields are: {}",
                    kind.with_article(),
                    allowed.join(", ")
                ),
            ));
        } else if FIXED.contains(&field) {
            errors.push(FieldError::new(
                flag,
                format!("{field:?} is set by redaction itself and cannot be changed here"),
            ));
        }
    };
    for f in &how.keep {
        check("--keep", f, &mut errors);
        if allowed.contains(&f.as_str()) && !sensitive.contains(&f.as_str()) {
            errors.push(FieldError::new(
                "--keep",
                format!(
                    "{f:?} is not dropped by redaction (sensitive fields of {} are: {}); leave it out",
                    kind.with_article(),
                    sensitive.join(", ")
                ),
            ));
        }
    }
    for f in &how.drop {
        check("--drop", f, &mut errors);
        if how.keep.contains(f) {
            errors.push(FieldError::new(
                "--drop",
                format!("{f:?} is both dropped and kept; choose one"),
            ));
        }
    }
    for (f, _) in &how.set {
        check("--set", f, &mut errors);
    }
    if kind == Kind::Consent {
        errors.push(FieldError::new(
            "id",
            "a consent record is never published, so it has no public version",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors(errors))
    }
}

/// Build the input of the derived public version of `original` (which
/// must have its id): same kind, `derived_from` its id, `confidentiality`
/// public, no `ref` and no `notes` (a ref is often a name, notes are the
/// documenters' own), sensitive fields dropped or replaced by a
/// placeholder unless kept, then `drop` and `set` applied. The result is a
/// record input for the store, which checks it like any other; the
/// original is not changed.
pub fn redact(original: &Record, how: &Redaction) -> Result<Value, FieldErrors> {
    let kind = original.kind();
    let mut errors = match check_redaction(kind, how) {
        Ok(()) => Vec::new(),
        Err(e) => e.0,
    };
    if original.derived_from.is_some() {
        errors.push(FieldError::new(
            "id",
            "this record is already a derived public version; redact its original instead",
        ));
    }
    if !errors.is_empty() {
        return Err(FieldErrors(errors));
    }
    let sensitive = kind.sensitive_fields();
    let Value::Object(mut m) = original.to_json() else {
        unreachable!("to_json writes an object")
    };
    for f in ["id", "ref", "notes"] {
        m.remove(f);
    }
    for field in sensitive {
        if how.keep.iter().any(|k| k == field) {
            continue;
        }
        if m.remove(*field).is_some()
            && let Some(p) = placeholder(original, field)
        {
            m.insert((*field).to_owned(), p);
        }
    }
    for f in &how.drop {
        m.remove(f);
    }
    for (f, v) in &how.set {
        m.insert(f.clone(), v.clone());
    }
    m.insert(
        "derived_from".into(),
        Value::String(original.id.to_string()),
    );
    m.insert("confidentiality".into(), Value::String("public".into()));
    Ok(Value::Object(ordered(kind, m)))
}

/// The keys in contract order, so the derived record reads like any other.
fn ordered(kind: Kind, mut m: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for f in allowed_fields(kind) {
        if let Some(v) = m.remove(f) {
            out.insert(f.to_owned(), v);
        }
    }
    out.extend(m);
    out
}

/// The day a consent is withdrawn must not be before it was given; the
/// model checks this too, this says it before anything is built.
pub fn withdrawal_error(consent: &Consent, on: CivilDate) -> Option<String> {
    if on < consent.given_on {
        Some(format!(
            "{on} is before the consent was given ({}); give the day it was withdrawn",
            consent.given_on
        ))
    } else {
        consent
            .withdrawn_on
            .map(|w| format!("this consent was already withdrawn on {w}; nothing to do"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn consent(subject: &str, audience: &str, identity: &str, given: &str) -> Consent {
        Consent {
            subject: subject.into(),
            audience: audience.into(),
            identity: identity.into(),
            given_on: given.parse().unwrap(),
            withdrawn_on: None,
            partners: None,
            method: None,
        }
    }

    fn rec(v: Value) -> Record {
        Record::from_json(&v, &mut uuid::Uuid::nil).unwrap_or_else(|e| panic!("{e}\n{v}"))
    }

    const P: &str = "11111111-1111-4111-8111-111111111111";
    const S: &str = "22222222-2222-4222-8222-222222222222";

    fn person() -> Record {
        rec(json!({
            "kind": "person", "id": P, "ref": "p-marker",
            "names": [{"value": "Zmarker Name", "given": "Zmarker"}],
            "birth_date": "1990-02-03", "sex": "female", "roles": ["witness"],
            "occupation": "teacher at school 5", "confidentiality": "restricted",
            "sources": [S], "notes": "met at the cafe"
        }))
    }

    #[test]
    fn no_consent_leaves_it_to_confidentiality() {
        let book = ConsentBook::default();
        let d = book.decide(P);
        assert_eq!(d.verdict, Verdict::Publish);
        assert!(d.consent.is_none());
        assert!(book.may_publish(&person()));
    }

    #[test]
    fn the_latest_consent_governs_and_withdrawal_withholds() {
        let mut book = ConsentBook::default();
        book.insert("c1".into(), consent(P, "public", "named", "2023-01-01"));
        assert_eq!(book.decide(P).verdict, Verdict::Publish);
        book.insert("c2".into(), consent(P, "internal", "named", "2024-01-01"));
        assert_eq!(book.decide(P).verdict, Verdict::Withhold);
        assert!(book.decide(P).why.contains("archive staff only"));
        // An older consent read later does not take over.
        book.insert("c0".into(), consent(P, "public", "named", "2022-01-01"));
        assert_eq!(book.decide(P).consent.as_deref(), Some("c2"));
        let mut w = consent(P, "public", "named", "2025-01-01");
        w.withdrawn_on = Some("2025-02-01".parse().unwrap());
        book.insert("c3".into(), w);
        let d = book.decide(P);
        assert_eq!(d.verdict, Verdict::Withhold);
        assert!(d.why.contains("withdrawn on 2025-02-01"), "{}", d.why);
        assert!(!book.may_publish(&person()));
    }

    #[test]
    fn partners_audience_withholds_from_the_public() {
        let mut book = ConsentBook::default();
        let mut c = consent(P, "partners", "named", "2023-05-05");
        c.partners = Some("Kadyr-Kassiet".into());
        book.insert("c".into(), c);
        let d = book.decide(P);
        assert_eq!(d.verdict, Verdict::Withhold);
        assert!(d.why.contains("Kadyr-Kassiet"));
    }

    #[test]
    fn anonymised_consent_publishes_only_a_redacted_derived_record() {
        let mut book = ConsentBook::default();
        book.insert("c".into(), consent(P, "public", "anonymised", "2023-05-05"));
        let original = person();
        assert!(!book.may_publish(&original), "the original never");
        let mut derived_input = redact(&original, &Redaction::default()).unwrap();
        derived_input["id"] = json!("33333333-3333-4333-8333-333333333333");
        let text = derived_input.to_string();
        for secret in ["Zmarker", "1990-02-03", "school 5", "cafe", "p-marker"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let derived = rec(derived_input);
        assert_eq!(derived.derived_from.as_deref(), Some(P));
        assert_eq!(derived.confidentiality, crate::Confidentiality::Public);
        assert!(identifying_fields(&derived).is_empty());
        assert!(book.may_publish(&derived));
        // Keeping the name makes it identifying again: not publishable.
        let kept = redact(
            &original,
            &Redaction {
                keep: vec!["names".into()],
                ..Redaction::default()
            },
        )
        .unwrap();
        let mut kept = rec(json!(kept));
        kept.id = uuid::Uuid::from_u128(4);
        assert_eq!(identifying_fields(&kept), vec!["names"]);
        assert!(!book.may_publish(&kept));
    }

    #[test]
    fn a_derived_record_follows_its_originals_withdrawal() {
        let mut book = ConsentBook::default();
        book.insert("c".into(), consent(P, "public", "named", "2023-05-05"));
        let mut derived = rec(redact(&person(), &Redaction::default()).unwrap());
        derived.id = uuid::Uuid::from_u128(5);
        assert!(book.may_publish(&derived));
        let mut w = consent(P, "public", "named", "2023-05-05");
        w.withdrawn_on = Some("2024-01-01".parse().unwrap());
        book.insert("c".into(), w);
        assert!(!book.may_publish(&derived));
    }

    #[test]
    fn redaction_refuses_what_it_cannot_do() {
        let p = person();
        let e = redact(
            &p,
            &Redaction {
                drop: vec!["colour".into()],
                keep: vec!["sex".into()],
                set: vec![("confidentiality".into(), json!("restricted"))],
            },
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("--drop: \"colour\" is not a field"), "{text}");
        assert!(text.contains("--keep: \"sex\" is not dropped"), "{text}");
        assert!(
            text.contains("--set: \"confidentiality\" is set by redaction"),
            "{text}"
        );
        let set = redact(
            &p,
            &Redaction {
                set: vec![("ref".into(), json!("p-witness-a"))],
                drop: vec!["roles".into()],
                ..Redaction::default()
            },
        )
        .unwrap();
        assert_eq!(set["ref"], "p-witness-a");
        assert!(set.get("roles").is_none());
        assert_eq!(set["sex"], "female");
    }

    #[test]
    fn a_testimony_loses_its_title_author_and_locator() {
        let s = rec(json!({
            "kind": "source", "id": S, "source_kind": "testimony",
            "title": "Testimony of Zmarker", "author": "Zmarker",
            "url": "file:zmarker.mp4", "received": "2022-02-01", "language": "ru"
        }));
        let d = redact(&s, &Redaction::default()).unwrap();
        assert!(!d.to_string().contains("Zmarker"), "{d}");
        assert_eq!(d["title"]["en"], "Testimony");
        assert_eq!(d["language"], "ru");
        let mut d = rec(d);
        d.id = uuid::Uuid::from_u128(6);
        assert!(identifying_fields(&d).is_empty());
    }

    #[test]
    fn withdrawal_dates_are_checked() {
        let c = consent(P, "public", "named", "2023-05-05");
        assert!(withdrawal_error(&c, "2023-05-04".parse().unwrap()).is_some());
        assert!(withdrawal_error(&c, "2023-05-05".parse().unwrap()).is_none());
    }

    fn arb_consent() -> impl Strategy<Value = (String, Consent)> {
        (
            0u32..50,
            prop::sample::select(vec!["internal", "partners", "public"]),
            prop::sample::select(vec!["named", "anonymised"]),
            1u8..=28,
            prop::option::of(1u8..=28),
        )
            .prop_map(|(n, a, i, day, w)| {
                let mut c = consent(P, a, i, &format!("2023-03-{day:02}"));
                c.withdrawn_on = w.map(|w| format!("2023-04-{w:02}").parse().unwrap());
                (format!("c{n}"), c)
            })
    }

    proptest! {
        /// The order consents are read in never changes the answer, and the
        /// answer is always that of a latest-dated consent.
        #[test]
        fn the_book_does_not_depend_on_reading_order(
            mut consents in prop::collection::vec(arb_consent(), 1..8),
            seed in any::<u64>(),
        ) {
            consents.sort_by(|a, b| a.0.cmp(&b.0));
            consents.dedup_by(|a, b| a.0 == b.0);
            let mut forward = ConsentBook::default();
            for (id, c) in &consents {
                forward.insert(id.clone(), c.clone());
            }
            let mut shuffled = consents.clone();
            let n = shuffled.len();
            for i in 0..n {
                let j = ((seed.rotate_left(i as u32) ^ i as u64) % n as u64) as usize;
                shuffled.swap(i, j);
            }
            let mut backward = ConsentBook::default();
            for (id, c) in shuffled.iter().rev() {
                backward.insert(id.clone(), c.clone());
            }
            prop_assert_eq!(forward.decide(P), backward.decide(P));
            let latest = consents.iter().map(|(_, c)| c.given_on).max().unwrap();
            let g = forward.governing(P).unwrap();
            prop_assert_eq!(g.consent.given_on, latest);
            if g.consent.is_withdrawn() {
                prop_assert_eq!(forward.decide(P).verdict, Verdict::Withhold);
            }
        }
    }
}
