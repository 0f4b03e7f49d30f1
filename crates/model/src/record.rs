//! Records: the eleven kinds, their JSON form, and the checks that need no
//! other record.

use serde_json::{Map, Value};

use crate::count::CountRange;
use crate::date::{ApproxDate, CivilDate, definitely_before};
use crate::error::{FieldError, FieldErrors};
use crate::fields::{
    Bool, Count, Date, Day, Degrees, Fields, Id, Int, LanguageTag, OneOf, RefName, Str, Target,
    Term, Text, Url,
};
use crate::kind::{Confidentiality, Kind};
use crate::text::LangText;
use crate::vocab::{self, named};

/// A citation of the source a record's facts come from.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// Reference to a record of kind `source`.
    pub source: String,
    /// Where in the source: "p. 4", "00:12:30", "para. 17".
    pub locator: Option<String>,
    pub note: Option<LangText>,
}

impl Citation {
    pub fn new(source: impl Into<String>) -> Citation {
        Citation {
            source: source.into(),
            locator: None,
            note: None,
        }
    }

    /// Written as a bare reference string when nothing else is said.
    fn is_bare(&self) -> bool {
        self.locator.is_none() && self.note.is_none()
    }
}

/// One name of a person, in one script, as one source wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonName {
    pub value: String,
    /// `kk`, `ru` or `en`.
    pub lang: Option<String>,
    /// `Cyrl` or `Latn` (ISO 15924).
    pub script: Option<String>,
    pub given: Option<String>,
    pub surname: Option<String>,
    pub patronymic: Option<String>,
    /// A spelling as a source wrote it, not the preferred form.
    pub variant: bool,
    /// Reference to the source that used this spelling.
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// At least one; the first is the display name.
    pub names: Vec<PersonName>,
    pub sex: Option<String>,
    pub birth_date: Option<ApproxDate>,
    pub age: Option<u8>,
    /// When `age` was true; present whenever `age` is.
    pub age_as_of: Option<ApproxDate>,
    pub occupation: Option<LangText>,
    /// Reference to a place.
    pub residence: Option<String>,
    pub roles: Vec<String>,
    pub status: Option<String>,
    pub portrait: Option<LangText>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub title: LangText,
    pub description: Option<LangText>,
    pub date: ApproxDate,
    pub place: Option<String>,
    /// Reference to the event this one is part of.
    pub parent: Option<String>,
}

/// Who committed an act: a known person, a unit, a description, or several
/// of these.
#[derive(Clone, Debug, PartialEq)]
pub struct Perpetrator {
    pub person: Option<String>,
    pub unit: Option<String>,
    pub description: Option<LangText>,
}

/// One violation against one victim.
#[derive(Clone, Debug, PartialEq)]
pub struct Act {
    pub act_type: String,
    /// Reference to a person.
    pub victim: String,
    pub date: Option<ApproxDate>,
    pub place: Option<String>,
    pub event: Option<String>,
    pub means: Vec<String>,
    pub outcomes: Vec<String>,
    pub perpetrators: Vec<Perpetrator>,
    pub description: Option<LangText>,
}

/// WGS84 degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// Always per-language; a plain string in the input is read as English.
    pub name: LangText,
    pub place_type: String,
    pub parent: Option<String>,
    pub coordinates: Option<Coordinates>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub source_kind: String,
    pub title: LangText,
    pub author: Option<LangText>,
    pub url: Option<String>,
    pub published: Option<ApproxDate>,
    pub received: Option<ApproxDate>,
    /// BCP 47 tag.
    pub language: Option<String>,
    pub reliability: Option<String>,
    /// Reference to the source through which this one became known.
    pub reported_in: Option<String>,
}

/// A source's assertion: a number (`claim_type` `count`) or a fact.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// `count` or `fact` (vocabulary `claim_types`).
    pub claim_type: String,
    /// Present for count claims.
    pub metric: Option<String>,
    /// Present for count claims.
    pub value: Option<CountRange>,
    /// Present for fact claims.
    pub statement: Option<LangText>,
    pub subject: Option<LangText>,
    pub claimant: Option<LangText>,
    pub place: Option<String>,
    pub period: Option<ApproxDate>,
    pub stated_on: Option<ApproxDate>,
    /// References to records of any kind.
    pub about: Vec<String>,
    /// References to claims.
    pub supersedes: Vec<String>,
    /// References to claims.
    pub retracts: Vec<String>,
}

impl Claim {
    pub fn is_count(&self) -> bool {
        self.claim_type == "count"
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProceedingPerson {
    pub person: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub status: String,
    pub date: Option<ApproxDate>,
    pub note: Option<LangText>,
}

/// A complaint, a case or an amnesty, with its history.
#[derive(Clone, Debug, PartialEq)]
pub struct Proceeding {
    pub proceeding_kind: String,
    pub title: Option<LangText>,
    pub persons: Vec<ProceedingPerson>,
    pub authority: Option<LangText>,
    pub charge: Option<LangText>,
    /// References to acts.
    pub acts: Vec<String>,
    /// At least one entry; dated entries never go backwards.
    pub status_history: Vec<StatusChange>,
}

impl Proceeding {
    /// The current status: the last entry of the history.
    pub fn current_status(&self) -> Option<&str> {
        self.status_history.last().map(|s| s.status.as_str())
    }
}

/// `from` is the `relation` of `to` (or of the unit `to_unit`).
#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    pub relation: String,
    pub from: String,
    pub to: Option<String>,
    pub to_unit: Option<String>,
}

/// The fields a list entry may map its cells to: the fields record linkage
/// compares (the same names `import` and `link` take), plus `text:<name>`.
pub const LINKAGE_FIELDS: &[&str] = &[
    "given",
    "surname",
    "patronymic",
    "full_name",
    "birth_date",
    "birth_year",
    "age",
    "sex",
    "place",
    "address",
    "postcode",
    "id_number",
    "event_date",
];

/// Whether `field` is a linkage field or a `text:<name>` field.
pub fn is_linkage_field(field: &str) -> bool {
    LINKAGE_FIELDS.contains(&field)
        || field
            .strip_prefix("text:")
            .is_some_and(|n| !n.trim().is_empty())
}

/// One row of a list of victims (the dead, the injured, the detained) as a
/// source published it. The row is kept as written, so that a later reader
/// can check every reading of it; what the archive understood of it is kept
/// beside, in `fields` and the indexed values.
#[derive(Clone, Debug, PartialEq)]
pub struct ListEntry {
    /// The row's line in the file it was imported from.
    pub row: Option<u64>,
    /// The row's cells as the list wrote them: column, value; by column
    /// name (the order of the ledger's canonical bytes).
    pub values: Vec<(String, String)>,
    /// The cells as linkage fields: field (`given`, `surname`, …), value.
    pub fields: Vec<(String, String)>,
    /// The place the entry is about, when it was recognised as a place record.
    pub place: Option<String>,
    /// What happened to the person (vocabulary `act_types`).
    pub act_type: Option<String>,
    /// When it happened.
    pub date: Option<ApproxDate>,
    /// The person's status as the list gives it (vocabulary `person_statuses`).
    pub status: Option<String>,
}

impl ListEntry {
    /// The value of a linkage field, if the row has one.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The name as the list gave it: the full name, or the parts joined.
    pub fn name(&self) -> Option<String> {
        if let Some(full) = self.field("full_name") {
            return Some(full.to_owned());
        }
        let parts: Vec<&str> = ["surname", "given", "patronymic"]
            .iter()
            .filter_map(|f| self.field(f))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A reviewer's verdict on whether two records (list entries or persons)
/// name the same person. Decisions override the linkage model and survive
/// every re-run of it.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkDecision {
    pub left: String,
    pub right: String,
    /// `same`, `different` or `unsure` (deferred).
    pub verdict: String,
    pub reason: Option<LangText>,
}

/// The verdicts a reviewer can give on a pair.
pub const VERDICTS: &[&str] = &["same", "different", "unsure"];

/// What a person, or the giver of a testimony, agreed to: who may see the
/// record about them, and whether with their name. Publishing checks it
/// (see [`crate::consent`]); a withdrawal is an amendment that sets
/// `withdrawn_on`, so the consent's history stays in the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct Consent {
    /// Reference to a person or a source (typically a testimony).
    pub subject: String,
    /// `internal`, `partners` or `public` (vocabulary `consent_audiences`).
    pub audience: String,
    /// `named` or `anonymised` (vocabulary `consent_identities`).
    pub identity: String,
    pub given_on: CivilDate,
    pub withdrawn_on: Option<CivilDate>,
    /// Which partners, when the audience is `partners`.
    pub partners: Option<String>,
    /// `written`, `oral` or `recorded` (vocabulary `consent_methods`).
    pub method: Option<String>,
}

impl Consent {
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn_on.is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Person(Person),
    Event(Event),
    Act(Act),
    Place(Place),
    Source(Source),
    Claim(Claim),
    Proceeding(Proceeding),
    Relationship(Relationship),
    ListEntry(ListEntry),
    LinkDecision(LinkDecision),
    Consent(Consent),
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Person(_) => Kind::Person,
            Body::Event(_) => Kind::Event,
            Body::Act(_) => Kind::Act,
            Body::Place(_) => Kind::Place,
            Body::Source(_) => Kind::Source,
            Body::Claim(_) => Kind::Claim,
            Body::Proceeding(_) => Kind::Proceeding,
            Body::Relationship(_) => Kind::Relationship,
            Body::ListEntry(_) => Kind::ListEntry,
            Body::LinkDecision(_) => Kind::LinkDecision,
            Body::Consent(_) => Kind::Consent,
        }
    }
}

/// One record of the archive.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: uuid::Uuid,
    pub r#ref: Option<String>,
    pub confidentiality: Confidentiality,
    /// The record this one is a redacted public version of (same kind).
    /// The original stays as it was; this one is what may be published.
    pub derived_from: Option<String>,
    pub sources: Vec<Citation>,
    pub notes: Option<LangText>,
    pub body: Body,
}

/// A reference field of a record, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Path of the field, e.g. `"victim"`, `"sources[0]"`, `"persons[1].person"`.
    pub field: String,
    /// A UUID or a ref.
    pub target: String,
    /// The kind the target must have; `None` for any kind (`claim.about`)
    /// or for one of `alternatives`.
    pub expected: Option<Kind>,
    /// When not empty, the kinds the target may have (a consent's subject
    /// is a person or a source); `expected` is `None` then.
    pub alternatives: &'static [Kind],
}

impl Reference {
    /// Whether a target of `kind` may stand in this field.
    pub fn accepts(&self, kind: Kind) -> bool {
        match self.expected {
            Some(k) => k == kind,
            None => self.alternatives.is_empty() || self.alternatives.contains(&kind),
        }
    }

    /// What the field takes, for "but this field needs …" messages.
    pub fn wanted(&self) -> String {
        match (self.expected, self.alternatives) {
            (Some(k), _) => k.as_str().to_owned(),
            (None, []) => "record of any kind".to_owned(),
            (None, alts) => alts
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

/// The fields the store indexes for `list` filters and `stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordIndex {
    /// Display name in English-first fallback.
    pub label: String,
    /// The record's place reference: where an act, event or claim happened,
    /// a person's residence, a place's parent.
    pub place: Option<String>,
    pub date_earliest: Option<CivilDate>,
    pub date_latest: Option<CivilDate>,
    pub act_type: Option<String>,
    /// A person's status, or a proceeding's current status.
    pub status: Option<String>,
    /// The kind's main vocabulary term: source_kind, place_type,
    /// proceeding_kind, metric (or claim_type for fact claims), relation.
    pub type_term: Option<String>,
}

const COMMON_FIELDS: [&str; 7] = [
    "kind",
    "id",
    "ref",
    "confidentiality",
    "derived_from",
    "sources",
    "notes",
];
/// How many of [`COMMON_FIELDS`] come before the kind's own fields.
const LEADING_FIELDS: usize = 5;

fn kind_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Person => &[
            "names",
            "sex",
            "birth_date",
            "age",
            "age_as_of",
            "occupation",
            "residence",
            "roles",
            "status",
            "portrait",
        ],
        Kind::Event => &["title", "description", "date", "place", "parent"],
        Kind::Act => &[
            "act_type",
            "victim",
            "date",
            "place",
            "event",
            "means",
            "outcomes",
            "perpetrators",
            "description",
        ],
        Kind::Place => &["name", "place_type", "parent", "lat", "lon"],
        Kind::Source => &[
            "source_kind",
            "title",
            "author",
            "url",
            "published",
            "received",
            "language",
            "reliability",
            "reported_in",
        ],
        Kind::Claim => &[
            "claim_type",
            "metric",
            "value",
            "statement",
            "subject",
            "claimant",
            "place",
            "period",
            "stated_on",
            "about",
            "supersedes",
            "retracts",
        ],
        Kind::Proceeding => &[
            "proceeding_kind",
            "title",
            "persons",
            "authority",
            "charge",
            "acts",
            "status_history",
        ],
        Kind::Relationship => &["relation", "from", "to", "to_unit"],
        Kind::ListEntry => &[
            "row", "values", "fields", "place", "act_type", "date", "status",
        ],
        Kind::LinkDecision => &["left", "right", "verdict", "reason"],
        Kind::Consent => &[
            "subject",
            "audience",
            "identity",
            "given_on",
            "withdrawn_on",
            "partners",
            "method",
        ],
    }
}

/// The keys a record of `kind` may have, in the order `to_json` writes them.
pub fn allowed_fields(kind: Kind) -> Vec<&'static str> {
    let mut all: Vec<&'static str> = COMMON_FIELDS[..LEADING_FIELDS].to_vec();
    all.extend_from_slice(kind_fields(kind));
    all.extend_from_slice(&COMMON_FIELDS[LEADING_FIELDS..]);
    all
}

/// Whether a record of this kind states facts and so must cite a source.
/// Sources are the citations themselves; places are geography; a link
/// decision is the reviewer's own judgement; a consent record is the
/// person's own word, recorded by the archive.
pub fn needs_sources(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Source | Kind::Place | Kind::LinkDecision | Kind::Consent
    )
}

/// The kinds a reference field accepts when it takes more than one (it
/// reports `expected: None` then). Only a consent's subject does: a
/// person, or a source such as a testimony.
pub fn reference_alternatives(kind: Kind, field: &str) -> &'static [Kind] {
    match (kind, field) {
        (Kind::Consent, "subject") => &[Kind::Person, Kind::Source],
        _ => &[],
    }
}

impl Record {
    pub fn kind(&self) -> Kind {
        self.body.kind()
    }

    /// Parse one record object and check everything that needs no other
    /// record: types, required fields, unknown fields (refused), vocabulary
    /// terms, dates, counts, ranges, the "every fact names a Source" rule,
    /// and defaults (confidentiality). Collects all field errors. `mint` is
    /// called once, and only for a valid record, when `id` is absent.
    pub fn from_json(
        value: &Value,
        mint: &mut dyn FnMut() -> uuid::Uuid,
    ) -> Result<Record, FieldErrors> {
        let Value::Object(map) = value else {
            return Err(FieldErrors::one(
                "record",
                format!(
                    "expected a record object such as {{\"kind\": \"person\", …}}, got {}",
                    crate::fields::describe(value)
                ),
            ));
        };
        let kind = match map.get("kind") {
            None | Some(Value::Null) => {
                return Err(FieldErrors::one(
                    "kind",
                    "required; expected one of: person, event, act, place, source, claim, proceeding, relationship, list_entry, link_decision, consent",
                ));
            }
            Some(Value::String(s)) => match s.parse::<Kind>() {
                Ok(k) if k.as_str() == s => k,
                // The plural is for command lines; a record names its kind.
                Ok(k) => {
                    return Err(FieldErrors::one(
                        "kind",
                        format!("write the singular: \"{}\", not \"{s}\"", k.as_str()),
                    ));
                }
                Err(_) => {
                    return Err(FieldErrors::one(
                        "kind",
                        format!(
                            "unknown kind {}; expected one of: person, event, act, place, source, claim, proceeding, relationship, list_entry, link_decision, consent",
                            crate::fields::quote(s)
                        ),
                    ));
                }
            },
            Some(other) => {
                return Err(FieldErrors::one(
                    "kind",
                    format!(
                        "expected a string such as \"person\", got {}",
                        crate::fields::describe(other)
                    ),
                ));
            }
        };

        let mut errors = Vec::new();
        let mut f = Fields::new(map, String::new(), kind.with_article(), &mut errors);
        f.allow_only(&allowed_fields(kind));
        let id = f.opt("id", Id);
        let r#ref = f.opt("ref", RefName);
        let confidentiality = f.opt(
            "confidentiality",
            OneOf(&["public", "restricted", "confidential"]),
        );
        let derived_from = f.opt("derived_from", Target(Some(kind)));
        if let Some(d) = &derived_from {
            if kind == Kind::Consent {
                f.error(
                    "derived_from",
                    "a consent record has no public version; leave \"derived_from\" out",
                );
            } else if Some(d) == r#ref.as_ref() || Some(d) == id.map(|u| u.to_string()).as_ref() {
                f.error(
                    "derived_from",
                    "a record cannot be derived from itself; name the original record",
                );
            }
        }
        let sources = read_citations(&mut f);
        let notes = f.opt("notes", Text);
        let body = match kind {
            Kind::Person => read_person(&mut f).map(Body::Person),
            Kind::Event => read_event(&mut f, r#ref.as_deref()).map(Body::Event),
            Kind::Act => read_act(&mut f).map(Body::Act),
            Kind::Place => read_place(&mut f, r#ref.as_deref()).map(Body::Place),
            Kind::Source => read_source(&mut f).map(Body::Source),
            Kind::Claim => read_claim(&mut f, r#ref.as_deref()).map(Body::Claim),
            Kind::Proceeding => read_proceeding(&mut f).map(Body::Proceeding),
            Kind::Relationship => read_relationship(&mut f).map(Body::Relationship),
            Kind::ListEntry => read_list_entry(&mut f).map(Body::ListEntry),
            Kind::LinkDecision => read_link_decision(&mut f).map(Body::LinkDecision),
            Kind::Consent => read_consent(&mut f).map(Body::Consent),
        };
        if needs_sources(kind) && sources.is_empty() && !f.has_error("sources") {
            f.error(
                "sources",
                format!(
                    "every {} must name at least one source (add \"sources\": [\"<source ref>\"])",
                    kind.as_str()
                ),
            );
        }
        let confidentiality = match confidentiality.as_deref() {
            Some(c) => c.parse().unwrap_or_default(),
            None => default_confidentiality(body.as_ref()),
        };
        if kind == Kind::Consent && confidentiality != Confidentiality::Restricted {
            f.error(
                "confidentiality",
                format!(
                    "a consent record is \"restricted\" (the default), not \"{confidentiality}\": \
                     it is never published, and publishing must be able to read it without a \
                     compartment key; leave \"confidentiality\" out"
                ),
            );
        }
        match body {
            Some(body) if errors.is_empty() => Ok(Record {
                id: id.unwrap_or_else(mint),
                r#ref,
                confidentiality,
                derived_from,
                sources,
                notes,
                body,
            }),
            _ => Err(FieldErrors(errors)),
        }
    }

    /// The shape of `docs/record-format.md`, with `kind` and `id` first and
    /// absent or empty fields left out. `from_json(&r.to_json(), …) == Ok(r)`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::String(self.kind().as_str().into()));
        m.insert("id".into(), Value::String(self.id.to_string()));
        put(&mut m, "ref", self.r#ref.as_deref().map(string));
        m.insert(
            "confidentiality".into(),
            Value::String(self.confidentiality.as_str().into()),
        );
        put(
            &mut m,
            "derived_from",
            self.derived_from.as_deref().map(string),
        );
        match &self.body {
            Body::Person(p) => write_person(&mut m, p),
            Body::Event(e) => {
                m.insert("title".into(), e.title.to_json());
                put(
                    &mut m,
                    "description",
                    e.description.as_ref().map(LangText::to_json),
                );
                m.insert("date".into(), Value::String(e.date.to_string()));
                put(&mut m, "place", e.place.as_deref().map(string));
                put(&mut m, "parent", e.parent.as_deref().map(string));
            }
            Body::Act(a) => write_act(&mut m, a),
            Body::Place(p) => {
                m.insert("name".into(), p.name.to_json());
                m.insert("place_type".into(), string(&p.place_type));
                put(&mut m, "parent", p.parent.as_deref().map(string));
                if let Some(c) = p.coordinates {
                    m.insert("lat".into(), number(c.lat));
                    m.insert("lon".into(), number(c.lon));
                }
            }
            Body::Source(s) => write_source(&mut m, s),
            Body::Claim(c) => write_claim(&mut m, c),
            Body::Proceeding(p) => write_proceeding(&mut m, p),
            Body::Relationship(r) => {
                m.insert("relation".into(), string(&r.relation));
                m.insert("from".into(), string(&r.from));
                put(&mut m, "to", r.to.as_deref().map(string));
                put(&mut m, "to_unit", r.to_unit.as_deref().map(string));
            }
            Body::ListEntry(e) => write_list_entry(&mut m, e),
            Body::LinkDecision(d) => {
                m.insert("left".into(), string(&d.left));
                m.insert("right".into(), string(&d.right));
                m.insert("verdict".into(), string(&d.verdict));
                put_text(&mut m, "reason", d.reason.as_ref());
            }
            Body::Consent(c) => write_consent(&mut m, c),
        }
        if !self.sources.is_empty() {
            let list = self.sources.iter().map(citation_json).collect();
            m.insert("sources".into(), Value::Array(list));
        }
        put(&mut m, "notes", self.notes.as_ref().map(LangText::to_json));
        Value::Object(m)
    }

    /// Every reference field, with its path and the kind it must point to.
    pub fn references(&self) -> Vec<Reference> {
        let kind = self.kind();
        let mut copy = self.clone();
        copy.ref_slots()
            .into_iter()
            .map(|(field, expected, target)| Reference {
                alternatives: reference_alternatives(kind, &field),
                field,
                target: target.clone(),
                expected,
            })
            .collect()
    }

    /// Replaces every reference target with what `resolve` returns. The
    /// store maps refs and UUIDs to canonical UUID strings and checks the
    /// kind; its error messages are returned with the field path. On error
    /// the record may be partly resolved and should be dropped.
    pub fn resolve_references(
        &mut self,
        resolve: &mut dyn FnMut(&Reference) -> Result<String, String>,
    ) -> Result<(), FieldErrors> {
        let mut errors = Vec::new();
        let kind = self.kind();
        for (field, expected, target) in self.ref_slots() {
            let reference = Reference {
                alternatives: reference_alternatives(kind, &field),
                field,
                target: target.clone(),
                expected,
            };
            match resolve(&reference) {
                Ok(resolved) => *target = resolved,
                Err(reason) => errors.push(FieldError::new(reference.field, reason)),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(errors))
        }
    }

    /// The parent link for hierarchy checks: a place's or an event's parent.
    pub fn parent(&self) -> Option<&str> {
        match &self.body {
            Body::Place(p) => p.parent.as_deref(),
            Body::Event(e) => e.parent.as_deref(),
            _ => None,
        }
    }

    /// The record's display name, in `lang` where the data allows.
    pub fn label(&self, lang: &str) -> String {
        match &self.body {
            Body::Person(p) => p.names.first().map(|n| n.value.clone()).unwrap_or_default(),
            Body::Event(e) => e.title.best(lang).to_owned(),
            Body::Act(a) => format!("{}: {}", a.act_type, a.victim),
            Body::Place(p) => p.name.best(lang).to_owned(),
            Body::Source(s) => s.title.best(lang).to_owned(),
            Body::Claim(c) => match (&c.metric, &c.value, &c.statement) {
                (Some(m), Some(v), _) => format!("{m}: {v}"),
                (_, _, Some(s)) => shorten(s.best(lang), 80),
                (m, _, None) => m.clone().unwrap_or_else(|| c.claim_type.clone()),
            },
            Body::Proceeding(p) => match (&p.title, p.persons.first()) {
                (Some(t), _) => t.best(lang).to_owned(),
                (None, Some(person)) => format!("{}: {}", p.proceeding_kind, person.person),
                (None, None) => p.proceeding_kind.clone(),
            },
            Body::Relationship(r) => {
                let to = r.to.as_deref().or(r.to_unit.as_deref()).unwrap_or_default();
                format!("{} {} of {to}", r.from, r.relation)
            }
            Body::ListEntry(e) => match (e.name(), e.row) {
                (Some(name), _) => name,
                (None, Some(row)) => format!("unnamed (row {row})"),
                (None, None) => "unnamed".to_owned(),
            },
            Body::LinkDecision(d) => format!("{} {} {}", d.left, d.verdict, d.right),
            Body::Consent(c) => match c.withdrawn_on {
                Some(w) => format!("consent of {}: withdrawn {w}", c.subject),
                None => format!("consent of {}: {}, {}", c.subject, c.audience, c.identity),
            },
        }
    }

    /// The fields the store indexes for `list` filters and `stats`.
    pub fn index(&self) -> RecordIndex {
        let mut ix = RecordIndex {
            label: self.label("en"),
            ..RecordIndex::default()
        };
        let mut span = |d: Option<&ApproxDate>| {
            if let Some(d) = d {
                ix.date_earliest = d.earliest();
                ix.date_latest = d.latest();
            }
        };
        match &self.body {
            Body::Person(_) | Body::Place(_) | Body::Relationship(_) | Body::LinkDecision(_) => {}
            Body::Consent(c) => {
                ix.date_earliest = Some(c.given_on);
                ix.date_latest = Some(c.withdrawn_on.unwrap_or(c.given_on));
            }
            Body::ListEntry(e) => span(e.date.as_ref()),
            Body::Event(e) => span(Some(&e.date)),
            Body::Act(a) => span(a.date.as_ref()),
            Body::Source(s) => span(s.published.as_ref().or(s.received.as_ref())),
            Body::Claim(c) => span(c.period.as_ref().or(c.stated_on.as_ref())),
            Body::Proceeding(p) => {
                // The case runs from its first dated step to its last.
                let mut dated = p.status_history.iter().filter_map(|s| s.date.as_ref());
                if let Some(first) = dated.next() {
                    ix.date_earliest = first.earliest();
                    ix.date_latest = dated.next_back().unwrap_or(first).latest();
                }
            }
        }
        match &self.body {
            Body::Person(p) => {
                ix.place = p.residence.clone();
                ix.status = p.status.clone();
            }
            Body::Event(e) => ix.place = e.place.clone(),
            Body::Act(a) => {
                ix.place = a.place.clone();
                ix.act_type = Some(a.act_type.clone());
            }
            Body::Place(p) => {
                ix.place = p.parent.clone();
                ix.type_term = Some(p.place_type.clone());
            }
            Body::Source(s) => ix.type_term = Some(s.source_kind.clone()),
            Body::Claim(c) => {
                ix.place = c.place.clone();
                ix.type_term = Some(c.metric.clone().unwrap_or_else(|| c.claim_type.clone()));
            }
            Body::Proceeding(p) => {
                ix.status = p.current_status().map(str::to_owned);
                ix.type_term = Some(p.proceeding_kind.clone());
            }
            Body::Relationship(r) => ix.type_term = Some(r.relation.clone()),
            Body::ListEntry(e) => {
                ix.place = e.place.clone();
                ix.act_type = e.act_type.clone();
                ix.status = e.status.clone();
            }
            Body::LinkDecision(d) => ix.type_term = Some(d.verdict.clone()),
            // Listing consents by audience is what `consent list` filters on.
            Body::Consent(c) => ix.type_term = Some(c.audience.clone()),
        }
        ix
    }

    /// Every reference field, mutably, in a fixed order: citations first,
    /// then the body's fields in contract order.
    fn ref_slots(&mut self) -> Vec<(String, Option<Kind>, &mut String)> {
        use Kind::*;
        let kind = self.kind();
        let mut slots: Vec<(String, Option<Kind>, &mut String)> = Vec::new();
        if let Some(d) = self.derived_from.as_mut() {
            slots.push(("derived_from".to_owned(), Some(kind), d));
        }
        for (i, c) in self.sources.iter_mut().enumerate() {
            let field = if c.is_bare() {
                format!("sources[{i}]")
            } else {
                format!("sources[{i}].source")
            };
            slots.push((field, Some(Source), &mut c.source));
        }
        fn one<'r>(
            slots: &mut Vec<(String, Option<Kind>, &'r mut String)>,
            field: &str,
            kind: Option<Kind>,
            target: Option<&'r mut String>,
        ) {
            if let Some(t) = target {
                slots.push((field.to_owned(), kind, t));
            }
        }
        fn many<'r>(
            slots: &mut Vec<(String, Option<Kind>, &'r mut String)>,
            field: &str,
            kind: Option<Kind>,
            targets: &'r mut [String],
        ) {
            for (i, t) in targets.iter_mut().enumerate() {
                slots.push((format!("{field}[{i}]"), kind, t));
            }
        }
        match &mut self.body {
            Body::Person(p) => {
                for (i, n) in p.names.iter_mut().enumerate() {
                    one(
                        &mut slots,
                        &format!("names[{i}].source"),
                        Some(Source),
                        n.source.as_mut(),
                    );
                }
                one(&mut slots, "residence", Some(Place), p.residence.as_mut());
            }
            Body::Event(e) => {
                one(&mut slots, "place", Some(Place), e.place.as_mut());
                one(&mut slots, "parent", Some(Event), e.parent.as_mut());
            }
            Body::Act(a) => {
                one(&mut slots, "victim", Some(Person), Some(&mut a.victim));
                one(&mut slots, "place", Some(Place), a.place.as_mut());
                one(&mut slots, "event", Some(Event), a.event.as_mut());
                for (i, p) in a.perpetrators.iter_mut().enumerate() {
                    one(
                        &mut slots,
                        &format!("perpetrators[{i}].person"),
                        Some(Person),
                        p.person.as_mut(),
                    );
                }
            }
            Body::Place(p) => one(&mut slots, "parent", Some(Place), p.parent.as_mut()),
            Body::Source(s) => one(
                &mut slots,
                "reported_in",
                Some(Source),
                s.reported_in.as_mut(),
            ),
            Body::Claim(c) => {
                one(&mut slots, "place", Some(Place), c.place.as_mut());
                many(&mut slots, "about", None, &mut c.about);
                many(&mut slots, "supersedes", Some(Claim), &mut c.supersedes);
                many(&mut slots, "retracts", Some(Claim), &mut c.retracts);
            }
            Body::Proceeding(p) => {
                for (i, pp) in p.persons.iter_mut().enumerate() {
                    one(
                        &mut slots,
                        &format!("persons[{i}].person"),
                        Some(Person),
                        Some(&mut pp.person),
                    );
                }
                many(&mut slots, "acts", Some(Act), &mut p.acts);
            }
            Body::Relationship(r) => {
                one(&mut slots, "from", Some(Person), Some(&mut r.from));
                one(&mut slots, "to", Some(Person), r.to.as_mut());
            }
            Body::ListEntry(e) => one(&mut slots, "place", Some(Place), e.place.as_mut()),
            // Either side may be a list entry or a person; the register
            // checks which.
            Body::LinkDecision(d) => {
                one(&mut slots, "left", None, Some(&mut d.left));
                one(&mut slots, "right", None, Some(&mut d.right));
            }
            // A person or a source: see `reference_alternatives`.
            Body::Consent(c) => one(&mut slots, "subject", None, Some(&mut c.subject)),
        }
        slots
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Testimony and confidential documents name or expose the people who gave
/// them, so they are sealed unless the documenter says otherwise.
fn default_confidentiality(body: Option<&Body>) -> Confidentiality {
    match body {
        Some(Body::Source(s))
            if s.source_kind == "testimony" || s.source_kind == "confidential_document" =>
        {
            Confidentiality::Confidential
        }
        _ => Confidentiality::Restricted,
    }
}

// ---- reading ----------------------------------------------------------------

fn read_citations(f: &mut Fields<'_, '_>) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    for (path, v) in f.items("sources", false, "citations") {
        let citation = match v {
            Value::Object(map) => {
                let mut c = f.nested(map, &path, "a citation");
                c.allow_only(&["source", "locator", "note"]);
                let source = c.req("source", Target(Some(Kind::Source)));
                let locator = c.opt("locator", Str);
                let note = c.opt("note", Text);
                source.map(|source| Citation {
                    source,
                    locator,
                    note,
                })
            }
            _ => match crate::fields::Conv::conv(&Target(Some(Kind::Source)), v) {
                Ok(source) => Some(Citation::new(source)),
                Err(_) => {
                    f.error_at(
                        path,
                        format!(
                            "expected a citation: a source reference such as \"s1\", or an object {{\"source\": \"s1\", \"locator\": \"p. 4\"}}; got {}",
                            crate::fields::describe(v)
                        ),
                    );
                    None
                }
            },
        };
        if let Some(c) = citation {
            out.push(c);
        }
    }
    out
}

fn read_person(f: &mut Fields<'_, '_>) -> Option<Person> {
    let names = f.objects("names", true, "a name", |n| {
        n.allow_only(&[
            "value",
            "lang",
            "script",
            "given",
            "surname",
            "patronymic",
            "variant",
            "source",
        ]);
        let value = n.req("value", Str);
        let lang = n.opt("lang", OneOf(&["kk", "ru", "en"]));
        let script = n.opt("script", OneOf(&["Cyrl", "Latn"]));
        let given = n.opt("given", Str);
        let surname = n.opt("surname", Str);
        let patronymic = n.opt("patronymic", Str);
        let variant = n.opt("variant", Bool).unwrap_or(false);
        let source = n.opt("source", Target(Some(Kind::Source)));
        Some(PersonName {
            value: value?,
            lang,
            script,
            given,
            surname,
            patronymic,
            variant,
            source,
        })
    });
    let sex = f.opt("sex", Term(named(vocab::SEXES)));
    let birth_date = f.opt("birth_date", Date);
    let age = f.opt("age", Int(0, 130)).and_then(|a| u8::try_from(a).ok());
    let age_as_of = f.opt("age_as_of", Date);
    if f.present("age") && !f.present("age_as_of") {
        f.error(
            "age_as_of",
            "required when \"age\" is given: the date the age was true, e.g. \"2022-01\"",
        );
    }
    let occupation = f.opt("occupation", Text);
    let residence = f.opt("residence", Target(Some(Kind::Place)));
    let roles = f.list("roles", false, Term(named(vocab::ROLES)));
    let status = f.opt("status", Term(named(vocab::PERSON_STATUSES)));
    let portrait = f.opt("portrait", Text);
    if names.is_empty() {
        return None;
    }
    Some(Person {
        names,
        sex,
        birth_date,
        age,
        age_as_of,
        occupation,
        residence,
        roles,
        status,
        portrait,
    })
}

/// A record whose parent is itself is the shortest cycle, and the only one
/// visible without other records.
fn refuse_self_parent(f: &mut Fields<'_, '_>, own_ref: Option<&str>, parent: Option<&str>) {
    if own_ref.is_some() && parent == own_ref {
        f.error(
            "parent",
            "a record cannot be its own parent; name the enclosing one",
        );
    }
}

fn read_event(f: &mut Fields<'_, '_>, own_ref: Option<&str>) -> Option<Event> {
    let title = f.req("title", Text);
    let description = f.opt("description", Text);
    let date = f.req("date", Date);
    let place = f.opt("place", Target(Some(Kind::Place)));
    let parent = f.opt("parent", Target(Some(Kind::Event)));
    refuse_self_parent(f, own_ref, parent.as_deref());
    Some(Event {
        title: title?,
        description,
        date: date?,
        place,
        parent,
    })
}

fn read_act(f: &mut Fields<'_, '_>) -> Option<Act> {
    let act_type = f.req("act_type", Term(named(vocab::ACT_TYPES)));
    let victim = f.req("victim", Target(Some(Kind::Person)));
    let date = f.opt("date", Date);
    let place = f.opt("place", Target(Some(Kind::Place)));
    let event = f.opt("event", Target(Some(Kind::Event)));
    let means = f.list("means", false, Term(named(vocab::MEANS)));
    let outcomes = f.list("outcomes", false, Term(named(vocab::OUTCOMES)));
    let perpetrators = f.objects("perpetrators", false, "a perpetrator", |p| {
        p.allow_only(&["person", "unit", "description"]);
        let person = p.opt("person", Target(Some(Kind::Person)));
        let unit = p.opt("unit", Str);
        let description = p.opt("description", Text);
        if !(p.present("person") || p.present("unit") || p.present("description")) {
            let field = p.path("").trim_end_matches('.').to_owned();
            p.error_at(
                field,
                "a perpetrator needs at least one of \"person\", \"unit\", \"description\" (e.g. {\"description\": \"masked armed security officers\"})",
            );
            return None;
        }
        Some(Perpetrator {
            person,
            unit,
            description,
        })
    });
    let description = f.opt("description", Text);
    Some(Act {
        act_type: act_type?,
        victim: victim?,
        date,
        place,
        event,
        means,
        outcomes,
        perpetrators,
        description,
    })
}

fn read_place(f: &mut Fields<'_, '_>, own_ref: Option<&str>) -> Option<Place> {
    let name = f.req("name", Text).map(LangText::plain_as_english);
    let place_type = f.req("place_type", Term(named(vocab::PLACE_TYPES)));
    let parent = f.opt("parent", Target(Some(Kind::Place)));
    refuse_self_parent(f, own_ref, parent.as_deref());
    let lat = f.opt("lat", Degrees(90.0));
    let lon = f.opt("lon", Degrees(180.0));
    let coordinates = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
        _ => {
            for (has, lacks) in [("lat", "lon"), ("lon", "lat")] {
                if f.present(has) && !f.present(lacks) {
                    f.error(
                        lacks,
                        format!("required when \"{has}\" is given: give both \"lat\" and \"lon\", or neither"),
                    );
                }
            }
            None
        }
    };
    Some(Place {
        name: name?,
        place_type: place_type?,
        parent,
        coordinates,
    })
}

fn read_source(f: &mut Fields<'_, '_>) -> Option<Source> {
    let source_kind = f.req("source_kind", Term(named(vocab::SOURCE_KINDS)));
    let title = f.req("title", Text);
    let author = f.opt("author", Text);
    let url = f.opt("url", Url);
    let published = f.opt("published", Date);
    let received = f.opt("received", Date);
    let language = f.opt("language", LanguageTag);
    let reliability = f.opt("reliability", Term(named(vocab::RELIABILITY)));
    let reported_in = f.opt("reported_in", Target(Some(Kind::Source)));
    Some(Source {
        source_kind: source_kind?,
        title: title?,
        author,
        url,
        published,
        received,
        language,
        reliability,
        reported_in,
    })
}

fn read_claim(f: &mut Fields<'_, '_>, own_ref: Option<&str>) -> Option<Claim> {
    let claim_type = f.req("claim_type", Term(named(vocab::CLAIM_TYPES)));
    let metric = f.opt("metric", Term(named(vocab::METRICS)));
    let value = f.opt("value", Count);
    let statement = f.opt("statement", Text);
    match claim_type.as_deref() {
        Some("count") => {
            for (key, example) in [
                (
                    "metric",
                    format!("one of: {}", named(vocab::METRICS).id_list()),
                ),
                (
                    "value",
                    "a count such as \"238\" or \"more than 4,500\"".to_owned(),
                ),
            ] {
                if !f.present(key) {
                    f.error(
                        key,
                        format!("required for a count claim; expected {example}"),
                    );
                }
            }
        }
        Some("fact") if !f.present("statement") => {
            f.error(
                "statement",
                "required for a fact claim: the assertion in the source's words, e.g. {\"en\": \"…\"}",
            );
        }
        _ => {}
    }
    let subject = f.opt("subject", Text);
    let claimant = f.opt("claimant", Text);
    let place = f.opt("place", Target(Some(Kind::Place)));
    let period = f.opt("period", Date);
    let stated_on = f.opt("stated_on", Date);
    let about = f.list("about", false, Target(None));
    let supersedes = f.list("supersedes", false, Target(Some(Kind::Claim)));
    let retracts = f.list("retracts", false, Target(Some(Kind::Claim)));
    if let Some(own) = own_ref {
        for (key, list) in [("supersedes", &supersedes), ("retracts", &retracts)] {
            if let Some(i) = list.iter().position(|t| t == own) {
                f.error(
                    &format!("{key}[{i}]"),
                    format!("a claim cannot name itself in \"{key}\""),
                );
            }
        }
    }
    Some(Claim {
        claim_type: claim_type?,
        metric,
        value,
        statement,
        subject,
        claimant,
        place,
        period,
        stated_on,
        about,
        supersedes,
        retracts,
    })
}

fn read_proceeding(f: &mut Fields<'_, '_>) -> Option<Proceeding> {
    let proceeding_kind = f.req("proceeding_kind", Term(named(vocab::PROCEEDING_KINDS)));
    let title = f.opt("title", Text);
    let persons = f.objects("persons", false, "a person in a proceeding", |p| {
        p.allow_only(&["person", "role"]);
        let person = p.req("person", Target(Some(Kind::Person)));
        let role = p.req("role", Term(named(vocab::PROCEEDING_ROLES)));
        Some(ProceedingPerson {
            person: person?,
            role: role?,
        })
    });
    let authority = f.opt("authority", Text);
    let charge = f.opt("charge", Text);
    let acts = f.list("acts", false, Target(Some(Kind::Act)));
    let status_path = f.path("status_history");
    let mut dated: Vec<(usize, ApproxDate)> = Vec::new();
    let mut index = 0;
    let status_history = f.objects("status_history", true, "a status_history entry", |s| {
        s.allow_only(&["status", "date", "note"]);
        let status = s.req("status", Term(named(vocab::PROCEEDING_STATUSES)));
        let date = s.opt("date", Date);
        let note = s.opt("note", Text);
        if let Some(d) = date {
            dated.push((index, d));
        }
        index += 1;
        Some(StatusChange {
            status: status?,
            date,
            note,
        })
    });
    for pair in dated.windows(2) {
        let ((_, prev), (i, cur)) = (pair[0], pair[1]);
        if definitely_before(cur.latest(), prev.earliest()) {
            f.error_at(
                format!("{status_path}[{i}].date"),
                format!(
                    "\"{cur}\" is before the previous step's date \"{prev}\"; list status_history in the order things happened"
                ),
            );
        }
    }
    if status_history.is_empty() {
        return None;
    }
    Some(Proceeding {
        proceeding_kind: proceeding_kind?,
        title,
        persons,
        authority,
        charge,
        acts,
        status_history,
    })
}

fn read_relationship(f: &mut Fields<'_, '_>) -> Option<Relationship> {
    let relation = f.req("relation", Term(named(vocab::RELATIONS)));
    let from = f.req("from", Target(Some(Kind::Person)));
    let to = f.opt("to", Target(Some(Kind::Person)));
    let to_unit = f.opt("to_unit", Str);
    match (f.present("to"), f.present("to_unit")) {
        (false, false) => f.error(
            "to",
            "required for a relationship: \"to\" (a person reference) or \"to_unit\" (a unit's name)",
        ),
        (true, true) => f.error(
            "to_unit",
            "give either \"to\" (a person) or \"to_unit\" (a unit), not both; record a second relationship for the other",
        ),
        _ => {}
    }
    if from.is_some() && from == to {
        f.error(
            "to",
            "a person cannot be related to themselves; check \"from\" and \"to\"",
        );
    }
    Some(Relationship {
        relation: relation?,
        from: from?,
        to,
        to_unit,
    })
}

// ---- writing ----------------------------------------------------------------

/// An object of strings (`{"Фамилия": "Оналтаев", …}`), in written order.
/// Numbers are accepted and kept as written, since spreadsheets turn
/// columns of digits into numbers.
fn read_string_map(
    f: &mut Fields<'_, '_>,
    key: &str,
    check_key: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let Some(v) = f.get(key) else {
        return Vec::new();
    };
    let Value::Object(map) = v else {
        if !v.is_null() {
            f.error(
                key,
                format!(
                    "expected an object of column names and values, got {}",
                    crate::fields::describe(v)
                ),
            );
        }
        return Vec::new();
    };
    let mut out = Vec::with_capacity(map.len());
    let mut errors = Vec::new();
    for (k, v) in map {
        if let Some(reason) = check_key(k) {
            errors.push((format!("{key}.{k}"), reason));
            continue;
        }
        match v {
            Value::String(s) => out.push((k.clone(), s.clone())),
            Value::Number(n) => out.push((k.clone(), n.to_string())),
            Value::Null => out.push((k.clone(), String::new())),
            other => errors.push((
                format!("{key}.{k}"),
                format!(
                    "expected the cell's text, got {}",
                    crate::fields::describe(other)
                ),
            )),
        }
    }
    for (field, reason) in errors {
        let path = f.path(&field);
        f.error_at(path, reason);
    }
    // By key, as the ledger's canonical bytes have them: a record parsed
    // from its input and the same record parsed back from the ledger must
    // be equal, or a live projection row and a replayed one would differ.
    out.sort();
    out
}

fn read_list_entry(f: &mut Fields<'_, '_>) -> Option<ListEntry> {
    let row = f.opt("row", Int(1, u64::MAX));
    let values = read_string_map(f, "values", &|_| None);
    let fields = read_string_map(f, "fields", &|k| {
        (!is_linkage_field(k)).then(|| {
            format!(
                "not a linkage field; use one of {}, or text:<name>",
                LINKAGE_FIELDS.join(", ")
            )
        })
    });
    let place = f.opt("place", Target(Some(Kind::Place)));
    let act_type = f.opt("act_type", Term(named(vocab::ACT_TYPES)));
    let date = f.opt("date", Date);
    let status = f.opt("status", Term(named(vocab::PERSON_STATUSES)));
    if values.is_empty() && fields.is_empty() && !f.has_error("values") && !f.has_error("fields") {
        f.error(
            "values",
            "a list entry needs the row's cells (\"values\") or its mapped \"fields\"",
        );
    }
    Some(ListEntry {
        row,
        values,
        fields,
        place,
        act_type,
        date,
        status,
    })
}

fn read_link_decision(f: &mut Fields<'_, '_>) -> Option<LinkDecision> {
    let left = f.req("left", Target(None));
    let right = f.req("right", Target(None));
    let verdict = f.req("verdict", OneOf(VERDICTS));
    let reason = f.opt("reason", Text);
    if let (Some(l), Some(r)) = (&left, &right)
        && l == r
    {
        f.error(
            "right",
            "a record cannot be compared with itself; name two records",
        );
    }
    Some(LinkDecision {
        left: left?,
        right: right?,
        verdict: verdict?,
        reason,
    })
}

fn read_consent(f: &mut Fields<'_, '_>) -> Option<Consent> {
    let subject = f.req("subject", Target(None));
    let audience = f.req("audience", Term(named(vocab::CONSENT_AUDIENCES)));
    let identity = f.req("identity", Term(named(vocab::CONSENT_IDENTITIES)));
    let given_on = f.req("given_on", Day);
    let withdrawn_on = f.opt("withdrawn_on", Day);
    let partners = f.opt("partners", Str);
    let method = f.opt("method", Term(named(vocab::CONSENT_METHODS)));
    if let (Some(g), Some(w)) = (given_on, withdrawn_on)
        && w < g
    {
        f.error(
            "withdrawn_on",
            format!("{w} is before the consent was given ({g}); check both dates"),
        );
    }
    if partners.is_some() && audience.as_deref().is_some_and(|a| a != "partners") {
        f.error(
            "partners",
            "names partners, but the audience is not \"partners\"; set audience to partners or leave \"partners\" out",
        );
    }
    Some(Consent {
        subject: subject?,
        audience: audience?,
        identity: identity?,
        given_on: given_on?,
        withdrawn_on,
        partners,
        method,
    })
}

fn write_consent(m: &mut Map<String, Value>, c: &Consent) {
    m.insert("subject".into(), string(&c.subject));
    m.insert("audience".into(), string(&c.audience));
    m.insert("identity".into(), string(&c.identity));
    m.insert("given_on".into(), Value::String(c.given_on.to_string()));
    put(
        m,
        "withdrawn_on",
        c.withdrawn_on.map(|d| Value::String(d.to_string())),
    );
    put(m, "partners", c.partners.as_deref().map(string));
    put(m, "method", c.method.as_deref().map(string));
}

fn write_list_entry(m: &mut Map<String, Value>, e: &ListEntry) {
    put(m, "row", e.row.map(Value::from));
    let object = |pairs: &[(String, String)]| {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    };
    if !e.values.is_empty() {
        m.insert("values".into(), object(&e.values));
    }
    if !e.fields.is_empty() {
        m.insert("fields".into(), object(&e.fields));
    }
    put(m, "place", e.place.as_deref().map(string));
    put(m, "act_type", e.act_type.as_deref().map(string));
    put_date(m, "date", e.date.as_ref());
    put(m, "status", e.status.as_deref().map(string));
}

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn put(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.to_owned(), v);
    }
}

fn put_list(m: &mut Map<String, Value>, key: &str, items: &[String]) {
    if !items.is_empty() {
        m.insert(
            key.to_owned(),
            Value::Array(items.iter().map(|s| string(s)).collect()),
        );
    }
}

fn put_date(m: &mut Map<String, Value>, key: &str, d: Option<&ApproxDate>) {
    put(m, key, d.map(|d| Value::String(d.to_string())));
}

fn put_text(m: &mut Map<String, Value>, key: &str, t: Option<&LangText>) {
    put(m, key, t.map(LangText::to_json));
}

fn citation_json(c: &Citation) -> Value {
    if c.is_bare() {
        return string(&c.source);
    }
    let mut m = Map::new();
    m.insert("source".into(), string(&c.source));
    put(&mut m, "locator", c.locator.as_deref().map(string));
    put_text(&mut m, "note", c.note.as_ref());
    Value::Object(m)
}

fn write_person(m: &mut Map<String, Value>, p: &Person) {
    let names = p
        .names
        .iter()
        .map(|n| {
            let mut o = Map::new();
            o.insert("value".into(), string(&n.value));
            put(&mut o, "lang", n.lang.as_deref().map(string));
            put(&mut o, "script", n.script.as_deref().map(string));
            put(&mut o, "given", n.given.as_deref().map(string));
            put(&mut o, "surname", n.surname.as_deref().map(string));
            put(&mut o, "patronymic", n.patronymic.as_deref().map(string));
            if n.variant {
                o.insert("variant".into(), Value::Bool(true));
            }
            put(&mut o, "source", n.source.as_deref().map(string));
            Value::Object(o)
        })
        .collect();
    m.insert("names".into(), Value::Array(names));
    put(m, "sex", p.sex.as_deref().map(string));
    put_date(m, "birth_date", p.birth_date.as_ref());
    put(m, "age", p.age.map(Value::from));
    put_date(m, "age_as_of", p.age_as_of.as_ref());
    put_text(m, "occupation", p.occupation.as_ref());
    put(m, "residence", p.residence.as_deref().map(string));
    put_list(m, "roles", &p.roles);
    put(m, "status", p.status.as_deref().map(string));
    put_text(m, "portrait", p.portrait.as_ref());
}

fn write_act(m: &mut Map<String, Value>, a: &Act) {
    m.insert("act_type".into(), string(&a.act_type));
    m.insert("victim".into(), string(&a.victim));
    put_date(m, "date", a.date.as_ref());
    put(m, "place", a.place.as_deref().map(string));
    put(m, "event", a.event.as_deref().map(string));
    put_list(m, "means", &a.means);
    put_list(m, "outcomes", &a.outcomes);
    if !a.perpetrators.is_empty() {
        let list = a
            .perpetrators
            .iter()
            .map(|p| {
                let mut o = Map::new();
                put(&mut o, "person", p.person.as_deref().map(string));
                put(&mut o, "unit", p.unit.as_deref().map(string));
                put_text(&mut o, "description", p.description.as_ref());
                Value::Object(o)
            })
            .collect();
        m.insert("perpetrators".into(), Value::Array(list));
    }
    put_text(m, "description", a.description.as_ref());
}

fn write_source(m: &mut Map<String, Value>, s: &Source) {
    m.insert("source_kind".into(), string(&s.source_kind));
    m.insert("title".into(), s.title.to_json());
    put_text(m, "author", s.author.as_ref());
    put(m, "url", s.url.as_deref().map(string));
    put_date(m, "published", s.published.as_ref());
    put_date(m, "received", s.received.as_ref());
    put(m, "language", s.language.as_deref().map(string));
    put(m, "reliability", s.reliability.as_deref().map(string));
    put(m, "reported_in", s.reported_in.as_deref().map(string));
}

fn write_claim(m: &mut Map<String, Value>, c: &Claim) {
    m.insert("claim_type".into(), string(&c.claim_type));
    put(m, "metric", c.metric.as_deref().map(string));
    put(m, "value", c.value.map(|v| Value::String(v.to_string())));
    put_text(m, "statement", c.statement.as_ref());
    put_text(m, "subject", c.subject.as_ref());
    put_text(m, "claimant", c.claimant.as_ref());
    put(m, "place", c.place.as_deref().map(string));
    put_date(m, "period", c.period.as_ref());
    put_date(m, "stated_on", c.stated_on.as_ref());
    put_list(m, "about", &c.about);
    put_list(m, "supersedes", &c.supersedes);
    put_list(m, "retracts", &c.retracts);
}

fn write_proceeding(m: &mut Map<String, Value>, p: &Proceeding) {
    m.insert("proceeding_kind".into(), string(&p.proceeding_kind));
    put_text(m, "title", p.title.as_ref());
    if !p.persons.is_empty() {
        let list = p
            .persons
            .iter()
            .map(|pp| {
                let mut o = Map::new();
                o.insert("person".into(), string(&pp.person));
                o.insert("role".into(), string(&pp.role));
                Value::Object(o)
            })
            .collect();
        m.insert("persons".into(), Value::Array(list));
    }
    put_text(m, "authority", p.authority.as_ref());
    put_text(m, "charge", p.charge.as_ref());
    put_list(m, "acts", &p.acts);
    let history = p
        .status_history
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert("status".into(), string(&s.status));
            put_date(&mut o, "date", s.date.as_ref());
            put_text(&mut o, "note", s.note.as_ref());
            Value::Object(o)
        })
        .collect();
    m.insert("status_history".into(), Value::Array(history));
}
