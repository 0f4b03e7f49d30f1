//! The qantar data model: what a record of the archive is, and what makes
//! one valid.
//!
//! The archive documents a mass crackdown in the way human-rights
//! documentation has long been done (the HURIDOCS "who did what to whom"
//! model): **persons** suffer **acts** (one violation against one victim)
//! within **events** at **places**; **sources** back every fact; **claims**
//! record what a source asserted, so that conflicting figures stand side by
//! side instead of being averaged; **proceedings** follow complaints and
//! cases through their status history; **relationships** tie persons to
//! each other and to units. For counting, **list entries** keep each row of
//! an imported list of victims as the list wrote it, and **link decisions**
//! record a reviewer's verdict that two records are, or are not, one person.
//! **Consent** records say what a person, or the giver of a testimony,
//! agreed may be published ([`consent`]).
//! A [`Record`] is one of these eleven [`Kind`]s: a
//! common envelope (id, ref, [`Confidentiality`], `derived_from`, citations,
//! notes) around a [`Body`].
//!
//! The JSON shape is the contract in `docs/record-format.md`.
//! [`Record::from_json`] checks everything that can be checked from the
//! record alone: types, required and unknown fields, vocabulary terms,
//! dates, counts, coordinates, the rule that every fact names a source, and
//! the defaults. It reports every problem at once as [`FieldErrors`], each
//! naming the field's path and what would be accepted. [`Record::to_json`]
//! writes the same shape back, and the two round-trip exactly.
//!
//! Uncertainty is first-class. [`ApproxDate`] holds what a witness actually
//! said ("early February", "about 5 January", "from 8 January on") and
//! [`CountRange`] what an official actually published ("more than 4,500",
//! "15–18"); both keep their text form unchanged and expose the range they
//! allow. [`LangText`] carries content in English, Russian and Kazakh with a
//! fixed fallback. The closed term lists (act types, means, metrics, …) are
//! data files with labels in the three languages; see [`vocab`].
//!
//! Boundaries: this crate is pure. It does no I/O, reads no clock and draws
//! no randomness: new ids come from a closure the caller passes. Checks that
//! need other records (does the reference exist, is it of the right kind,
//! does a parent chain loop) belong to the store; [`Record::references`]
//! and [`Record::resolve_references`] hand it every reference field with its
//! path and expected kind, so those checks report errors in the same shape.

pub mod consent;
pub mod count;
pub mod date;
pub mod document;
pub mod error;
mod fields;
pub mod kind;
pub mod record;
pub mod text;
pub mod time;
pub mod vocab;

pub use consent::{
    ConsentBook, Decision, Redaction, Verdict, check_redaction, identifying_fields, redact,
};
pub use count::{CountError, CountRange};
pub use date::{ApproxDate, CivilDate, DateError};
pub use document::{TomlDocumentError, document_records, toml_document};
pub use error::{FieldError, FieldErrors};
pub use fields::is_valid_ref;
pub use kind::{Confidentiality, Kind, UnknownConfidentiality, UnknownKind};
pub use record::{
    Act, Body, Citation, Claim, Consent, Coordinates, Event, LINKAGE_FIELDS, LinkDecision,
    ListEntry, Perpetrator, Person, PersonName, Place, Proceeding, ProceedingPerson, Record,
    RecordIndex, Reference, Relationship, Source, StatusChange, VERDICTS, allowed_fields,
    is_linkage_field, needs_sources, reference_alternatives,
};
pub use text::{LangText, TextError};
