//! The public view of an archive: the only data the public site and the
//! anonymous API ever see.
//!
//! A [`Snapshot`] is built from the projection's **public, unretracted**
//! records and then *sanitised*: documenters' notes are dropped, and every
//! reference to a record outside the snapshot is cut (a citation of a
//! confidential source, a relative who is restricted, a parent place that
//! is not public). Records whose meaning hangs on a hidden record go as a
//! whole: an act against a victim who is not public, a relationship to a
//! hidden person, a proceeding person entry of a hidden person. Claims
//! retracted by a public claim go too. The views render from this value
//! alone, so nothing hidden can reach a page by a missed check in a
//! template, and every count is a count of public records.
//!
//! Consent comes before all of that: the archive's consent records (never
//! public themselves) are read into a [`ConsentBook`], and every public
//! record it withholds is dropped first (a withdrawn consent, an audience
//! short of the public, an anonymised consent for anything but a redacted
//! derived record), so the sanitising above then cuts what referred to it.
//! A derived record is judged by its original's consent; its
//! `derived_from` is cut, since it names a hidden record.

use std::collections::{BTreeMap, HashMap, HashSet};

use qantar_model::{Body, ConsentBook, Kind, Record};
use qantar_store::{Filter, Store, StoreError};

/// The sanitised public records of an archive at one ledger size.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The ledger size this was built at; the cache reloads when it grows.
    pub size: u64,
    records: HashMap<String, Record>,
    refs: HashMap<String, String>,
    /// Ids in the store's list order (by date, undated last, then label).
    order: Vec<String>,
    /// The same order, per kind: pages of one kind cost their length, not
    /// a scan of every public record.
    by_kind: HashMap<Kind, Vec<String>>,
    /// Who is linked to what, so a profile page costs its own size: acts
    /// by victim, proceedings by person and by act, relationships by person.
    /// Each id's position in `order`.
    rank: HashMap<String, usize>,
    acts_by_victim: HashMap<String, Vec<String>>,
    proceedings_by_person: HashMap<String, Vec<String>>,
    proceedings_by_act: HashMap<String, Vec<String>>,
    relationships_by_person: HashMap<String, Vec<String>>,
    /// Pages rendered from this snapshot, by language and path: a page
    /// depends on nothing else, and whole-archive pages (numbers, map) are
    /// costly. Bounded; dropped with the snapshot when the ledger grows.
    rendered: std::sync::Mutex<HashMap<String, std::sync::Arc<(String, String)>>>,
    /// The search index of exactly these records, built once on first use
    /// (or in the background when the snapshot is made; see
    /// [`crate::search::index_of`]).
    pub(crate) search: std::sync::OnceLock<std::sync::Arc<crate::search::Index>>,
}

/// How many rendered pages one snapshot keeps.
const RENDERED_PAGES: usize = 4096;

impl Snapshot {
    /// Load the public records of `store`, as its consent records allow.
    pub fn load(store: &Store) -> Result<Snapshot, StoreError> {
        let size = store.size()?;
        let book = consent_book(store)?;
        let rows = store.list(&Filter {
            confidentiality: Some("public".into()),
            include_retracted: false,
            ..Filter::default()
        })?;
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            // Defence in depth: the filter already did this.
            if row.retracted || row.confidentiality != "public" {
                continue;
            }
            match Record::from_json(&row.data, &mut uuid::Uuid::nil) {
                Ok(r) => records.push(r),
                Err(e) => {
                    return Err(StoreError::Corrupt {
                        seq: Some(row.updated_seq),
                        what: format!("record {} does not parse: {e}", row.id),
                    });
                }
            }
        }
        Ok(Snapshot::from_records_with_consent(size, records, &book))
    }

    /// Sanitise public records (in display order) into a snapshot. Records
    /// that are not public are dropped here too, so a caller cannot forget.
    /// No consent is known: see [`Snapshot::from_records_with_consent`].
    pub fn from_records(size: u64, records: Vec<Record>) -> Snapshot {
        Snapshot::from_records_with_consent(size, records, &ConsentBook::default())
    }

    /// [`Snapshot::from_records`], dropping first every record that `book`
    /// does not allow to be published.
    pub fn from_records_with_consent(
        size: u64,
        records: Vec<Record>,
        book: &ConsentBook,
    ) -> Snapshot {
        let mut records: Vec<Record> = records
            .into_iter()
            .filter(|r| r.confidentiality == qantar_model::Confidentiality::Public)
            // Raw list rows and reviewers' decisions are working material:
            // the public sees the register's counts, never the rows.
            // Consent records are never public (the model refuses it).
            .filter(|r| {
                !matches!(
                    r.body,
                    Body::ListEntry(_) | Body::LinkDecision(_) | Body::Consent(_)
                )
            })
            .filter(|r| book.may_publish(r))
            .collect();
        // Claims retracted by a public claim are no longer asserted.
        let retracted: HashSet<String> = records
            .iter()
            .filter_map(|r| match &r.body {
                Body::Claim(c) => Some(c.retracts.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        records.retain(|r| !retracted.contains(&r.id.to_string()));

        // Dropping a record can strand another (an act's victim gone, then a
        // proceeding's only act gone is still fine); iterate to a fixpoint.
        loop {
            let visible: HashSet<String> = records.iter().map(|r| r.id.to_string()).collect();
            let before = records.len();
            records.retain(|r| match &r.body {
                Body::Act(a) => visible.contains(&a.victim),
                Body::Relationship(rel) => {
                    visible.contains(&rel.from)
                        && rel.to.as_ref().is_none_or(|t| visible.contains(t))
                }
                _ => true,
            });
            if records.len() == before {
                break;
            }
        }
        let visible: HashSet<String> = records.iter().map(|r| r.id.to_string()).collect();
        let keep = |id: &String| visible.contains(id);
        let keep_opt = |o: &mut Option<String>| {
            if o.as_ref().is_some_and(|id| !visible.contains(id)) {
                *o = None;
            }
        };
        for r in &mut records {
            r.notes = None;
            r.derived_from = None;
            r.sources.retain(|c| keep(&c.source));
            match &mut r.body {
                Body::Person(p) => {
                    keep_opt(&mut p.residence);
                    // A spelling as a hidden source wrote it tells what that
                    // source says; keep at least one name to show.
                    let first = p.names.first().cloned();
                    p.names
                        .retain(|n| n.source.as_ref().is_none_or(|s| visible.contains(s)));
                    if p.names.is_empty()
                        && let Some(mut n) = first
                    {
                        n.source = None;
                        p.names.push(n);
                    }
                }
                Body::Event(e) => {
                    keep_opt(&mut e.place);
                    keep_opt(&mut e.parent);
                }
                Body::Act(a) => {
                    keep_opt(&mut a.place);
                    keep_opt(&mut a.event);
                    for p in &mut a.perpetrators {
                        keep_opt(&mut p.person);
                    }
                    a.perpetrators.retain(|p| {
                        p.person.is_some() || p.unit.is_some() || p.description.is_some()
                    });
                }
                Body::Place(p) => keep_opt(&mut p.parent),
                Body::Source(s) => keep_opt(&mut s.reported_in),
                Body::Claim(c) => {
                    keep_opt(&mut c.place);
                    c.about.retain(keep);
                    c.supersedes.retain(keep);
                    c.retracts.retain(keep);
                }
                Body::Proceeding(p) => {
                    p.persons.retain(|pp| keep(&pp.person));
                    p.acts.retain(keep);
                }
                Body::Relationship(_)
                | Body::ListEntry(_)
                | Body::LinkDecision(_)
                | Body::Consent(_) => {}
            }
        }
        let mut snap = Snapshot {
            size,
            ..Snapshot::default()
        };
        for r in records {
            let id = r.id.to_string();
            if let Some(rf) = &r.r#ref {
                snap.refs.insert(rf.clone(), id.clone());
            }
            snap.rank.insert(id.clone(), snap.order.len());
            snap.order.push(id.clone());
            snap.by_kind.entry(r.kind()).or_default().push(id.clone());
            match &r.body {
                Body::Act(a) => snap
                    .acts_by_victim
                    .entry(a.victim.clone())
                    .or_default()
                    .push(id.clone()),
                Body::Proceeding(p) => {
                    for pp in &p.persons {
                        snap.proceedings_by_person
                            .entry(pp.person.clone())
                            .or_default()
                            .push(id.clone());
                    }
                    for a in &p.acts {
                        snap.proceedings_by_act
                            .entry(a.clone())
                            .or_default()
                            .push(id.clone());
                    }
                }
                Body::Relationship(rel) => {
                    snap.relationships_by_person
                        .entry(rel.from.clone())
                        .or_default()
                        .push(id.clone());
                    if let Some(to) = &rel.to {
                        snap.relationships_by_person
                            .entry(to.clone())
                            .or_default()
                            .push(id.clone());
                    }
                }
                _ => {}
            }
            snap.records.insert(id, r);
        }
        snap
    }

    /// Every public record, sorted by kind (in contract order) then id: the
    /// order of the public export, which must not change between two
    /// exports of the same snapshot.
    pub fn sorted(&self) -> Vec<&Record> {
        let mut all: Vec<&Record> = self.records.values().collect();
        all.sort_by_key(|r| (r.kind(), r.id));
        all
    }

    fn linked<'a>(&'a self, index: &'a HashMap<String, Vec<String>>, key: &str) -> Vec<&'a Record> {
        let mut seen = HashSet::new();
        // The index lists were filled in display order already.
        index
            .get(key)
            .into_iter()
            .flatten()
            .filter(|id| seen.insert(id.as_str()))
            .filter_map(|id| self.records.get(id))
            .collect()
    }

    /// Public acts against this person.
    pub fn acts_against(&self, person: &str) -> Vec<&Record> {
        self.linked(&self.acts_by_victim, person)
    }

    /// Public proceedings naming this person or concerning one of these acts.
    pub fn proceedings_about(&self, person: &str, acts: &HashSet<String>) -> Vec<&Record> {
        let mut ids: Vec<&String> = self
            .proceedings_by_person
            .get(person)
            .into_iter()
            .flatten()
            .collect();
        for a in acts {
            ids.extend(self.proceedings_by_act.get(a).into_iter().flatten());
        }
        ids.sort_by_key(|id| self.rank.get(id.as_str()).copied().unwrap_or(usize::MAX));
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.records.get(id))
            .collect()
    }

    /// Public relationships from or to this person.
    pub fn relationships_of(&self, person: &str) -> Vec<&Record> {
        self.linked(&self.relationships_by_person, person)
    }

    /// A page rendered from this snapshot, from the cache or by `render`.
    pub fn rendered(
        &self,
        key: String,
        render: impl FnOnce() -> Option<(String, String)>,
    ) -> Option<std::sync::Arc<(String, String)>> {
        if let Some(hit) = self.rendered.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Some(hit);
        }
        let page = std::sync::Arc::new(render()?);
        if let Ok(mut c) = self.rendered.lock()
            && c.len() < RENDERED_PAGES
        {
            c.insert(key, page.clone());
        }
        Some(page)
    }

    /// One page of public records (of one kind, or all), and how many there are.
    pub fn page(&self, kind: Option<Kind>, offset: usize, limit: usize) -> (usize, Vec<&Record>) {
        let ids: &[String] = match kind {
            Some(k) => self.by_kind.get(&k).map(Vec::as_slice).unwrap_or(&[]),
            None => &self.order,
        };
        let page = ids
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|id| self.records.get(id))
            .collect();
        (ids.len(), page)
    }

    /// A public record by UUID or ref.
    pub fn get(&self, target: &str) -> Option<&Record> {
        self.records
            .get(target)
            .or_else(|| self.refs.get(target).and_then(|id| self.records.get(id)))
    }

    /// Every public record of `kind`, in display order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Record> {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .filter_map(|id| self.records.get(id))
    }

    /// Every public record, in display order.
    pub fn all(&self) -> impl Iterator<Item = &Record> {
        self.order.iter().filter_map(|id| self.records.get(id))
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The place itself and every public place inside it.
    pub fn places_within(&self, place: &str) -> HashSet<String> {
        let mut out: HashSet<String> = HashSet::new();
        let Some(root) = self.get(place) else {
            return out;
        };
        out.insert(root.id.to_string());
        loop {
            let before = out.len();
            for p in self.of_kind(Kind::Place) {
                if let Body::Place(pl) = &p.body
                    && pl.parent.as_ref().is_some_and(|par| out.contains(par))
                {
                    out.insert(p.id.to_string());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// The city (or the highest place below the country) a place lies in,
    /// so sites and facilities count towards their city on the map.
    pub fn city_of(&self, place: &str) -> Option<&Record> {
        let mut cur = self.get(place)?;
        for _ in 0..32 {
            let Body::Place(p) = &cur.body else {
                return None;
            };
            if matches!(p.place_type.as_str(), "city" | "town" | "village") {
                return Some(cur);
            }
            match p.parent.as_deref().and_then(|id| self.get(id)) {
                Some(parent) => match &parent.body {
                    Body::Place(pp) if pp.place_type == "country" => return Some(cur),
                    _ => cur = parent,
                },
                None => return Some(cur),
            }
        }
        Some(cur)
    }

    /// Records that cite `source`, by kind.
    pub fn citing(&self, source: &str) -> BTreeMap<&'static str, Vec<&Record>> {
        let mut out: BTreeMap<&'static str, Vec<&Record>> = BTreeMap::new();
        for r in self.all() {
            let cites = r.sources.iter().any(|c| c.source == source)
                || matches!(&r.body, Body::Person(p) if p.names.iter().any(|n| n.source.as_deref() == Some(source)));
            if cites {
                out.entry(r.kind().as_str()).or_default().push(r);
            }
        }
        out
    }
}

/// The consent records of `store` (current versions, not retracted), for
/// publishing checks. They are restricted, never sealed (the model refuses
/// any other level), so reading them needs no key.
pub fn consent_book(store: &Store) -> Result<ConsentBook, StoreError> {
    let rows = store.list(&Filter {
        kind: Some(Kind::Consent),
        include_retracted: false,
        ..Filter::default()
    })?;
    let mut consents = Vec::with_capacity(rows.len());
    for row in rows {
        match Record::from_json(&row.data, &mut uuid::Uuid::nil) {
            Ok(r) => consents.push(r),
            // A consent that cannot be read cannot be honoured; refusing
            // to build the public view is the only safe answer.
            Err(e) => {
                return Err(StoreError::Corrupt {
                    seq: Some(row.updated_seq),
                    what: format!("consent record {} does not parse: {e}", row.id),
                });
            }
        }
    }
    Ok(ConsentBook::new(&consents))
}
