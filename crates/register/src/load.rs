//! Reading what linkage needs out of the store: the lists and their
//! entries, the archive's own victims, the places, and the reviewers'
//! decisions.

use std::collections::{BTreeMap, HashMap};

use qantar_link::RecordInput;
use qantar_model::{ApproxDate, Kind};
use qantar_store::{Filter, RecordRow, Store, StoredRecord};
use serde::Serialize;
use serde_json::Value;

use crate::RegisterError;
use crate::places::PlaceBook;

/// The name of the list made of the archive's own records: the persons
/// documented as victims from testimony and other sources.
pub const ARCHIVE_LIST: &str = "archive";

/// One list: a source whose rows were imported, or the archive's own.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListInfo {
    /// The source's id, or [`ARCHIVE_LIST`].
    pub id: String,
    pub label: String,
    /// Records linked from it.
    pub entries: u64,
}

/// One record to link.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: String,
    pub kind: Kind,
    pub list: u16,
    pub label: String,
    pub input: RecordInput,
    pub place: Option<String>,
    pub act_type: Option<String>,
    /// Earliest day of the violation, ISO.
    pub date: Option<String>,
}

pub(crate) struct Loaded {
    pub lists: Vec<ListInfo>,
    pub items: Vec<Item>,
    pub text_fields: Vec<String>,
    /// The reviewers' verdicts in force, by pair in id order.
    pub decisions: BTreeMap<(String, String), String>,
    pub places: PlaceBook,
    /// Sealed list entries and persons, left out (see [`load`]).
    pub sealed: u64,
}

/// Whether a projection row holds a sealed record (its `data` is the
/// sealed payload, not the record).
fn is_sealed(data: &Value) -> bool {
    data.get("sealed").is_some()
}

fn all(store: &Store, kind: Kind) -> Result<Vec<StoredRecord>, RegisterError> {
    Ok(store.list(&Filter {
        kind: Some(kind),
        ..Filter::default()
    })?)
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn first_source(data: &Value) -> Option<&str> {
    match data.get("sources")?.get(0)? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("source").and_then(Value::as_str),
        _ => None,
    }
}

/// The earliest day an approximate date allows, if it is a date at all.
pub(crate) fn earliest(date: Option<&str>) -> Option<String> {
    date?
        .parse::<ApproxDate>()
        .ok()?
        .earliest()
        .map(|d| d.to_string())
}

/// The archive's places, recognisable by every name they carry.
pub(crate) fn places(store: &Store) -> Result<PlaceBook, RegisterError> {
    let mut book = PlaceBook::default();
    for p in all(store, Kind::Place)? {
        let names: Vec<String> = match p.data.get("name") {
            Some(Value::Object(m)) => m
                .values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        book.add(
            &p.id,
            text(&p.data, "parent"),
            text(&p.data, "place_type").unwrap_or(""),
            &p.label,
            &refs,
        );
    }
    Ok(book)
}

/// The reviewers' verdicts in force: the latest decision on each pair
/// wins. Stored references are ids, so pairs are keyed by ids in order.
pub(crate) fn decisions(
    store: &Store,
) -> Result<BTreeMap<(String, String), String>, RegisterError> {
    let mut ds = Vec::new();
    store.each_record(Kind::LinkDecision, |d| {
        ds.push(d);
        Ok(())
    })?;
    ds.sort_by_key(|d| d.updated_seq);
    let mut out = BTreeMap::new();
    for d in ds {
        if let (Some(l), Some(r), Some(v)) = (
            text(&d.data, "left"),
            text(&d.data, "right"),
            text(&d.data, "verdict"),
        ) {
            out.insert(pair_of(l, r), v.to_owned());
        }
    }
    Ok(out)
}

/// Two record ids as an unordered pair.
pub(crate) fn pair_of(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

/// Everything linkage reads. Sealed records (list entries and persons) are
/// left out and only counted: linking them would need their content in
/// clear, and the linkage tables (`link_pairs` explanations hold field
/// values side by side) are neither sealed nor audited.
pub(crate) fn load(store: &Store) -> Result<Loaded, RegisterError> {
    let places = places(store)?;
    let mut lists: Vec<ListInfo> = Vec::new();
    let mut list_index: HashMap<String, u16> = HashMap::new();
    let mut items = Vec::new();
    let mut text_fields: Vec<String> = Vec::new();

    let sources: HashMap<String, StoredRecord> = all(store, Kind::Source)?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    // Streamed: a list of a million rows is turned into compact linkage
    // inputs one row at a time, never held as JSON whole.
    let mut failure: Option<RegisterError> = None;
    let mut sealed = 0;
    store.each_record(Kind::ListEntry, |e| {
        if is_sealed(&e.data) {
            sealed += 1;
        } else if failure.is_none()
            && let Err(err) = add_entry(
                e,
                &sources,
                &mut lists,
                &mut list_index,
                &mut items,
                &mut text_fields,
            )
        {
            failure = Some(err);
        }
        Ok(())
    })?;
    if let Some(e) = failure {
        return Err(e);
    }

    // The archive's own list: persons documented as victims, by role or as
    // the victim of a recorded act. Their strata come from their acts.
    let mut acts_of: HashMap<String, Vec<StoredRecord>> = HashMap::new();
    for a in all(store, Kind::Act)? {
        if let Some(v) = text(&a.data, "victim") {
            acts_of.entry(v.to_owned()).or_default().push(a);
        }
    }
    let mut archive_list: Option<u16> = None;
    let mut persons = all(store, Kind::Person)?;
    persons.sort_by_key(|p| p.created_seq);
    for p in persons {
        if p.is_sealed() {
            sealed += 1;
            continue;
        }
        let is_victim = p
            .data
            .get("roles")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|x| x == "victim"))
            || acts_of.contains_key(&p.id);
        if !is_victim {
            continue;
        }
        let list = match archive_list {
            Some(l) => l,
            None => {
                let l = u16::try_from(lists.len()).map_err(|_| {
                    RegisterError::Input("more than 65,535 lists cannot be linked at once".into())
                })?;
                lists.push(ListInfo {
                    id: ARCHIVE_LIST.to_owned(),
                    label: "the archive's own records".to_owned(),
                    entries: 0,
                });
                archive_list = Some(l);
                l
            }
        };
        lists[usize::from(list)].entries += 1;
        let mut input = RecordInput {
            id: p.id.clone(),
            list,
            ..RecordInput::default()
        };
        // The preferred name (the first); variants are the same person anyway.
        if let Some(n) = p.data.get("names").and_then(|n| n.get(0)) {
            let part = |k: &str| text(n, k).map(str::to_owned);
            input.given = part("given");
            input.surname = part("surname");
            input.patronymic = part("patronymic");
            if input.given.is_none() && input.surname.is_none() {
                input.full_name = part("value");
            }
        }
        input.birth_date = text(&p.data, "birth_date").and_then(|d| earliest(Some(d)));
        if input.birth_date.is_none()
            && let Some(age) = p.data.get("age").and_then(Value::as_u64)
        {
            input.age = Some(age.to_string());
        }
        input.sex = text(&p.data, "sex").map(str::to_owned);
        let acts = acts_of.get(&p.id).map(Vec::as_slice).unwrap_or_default();
        let first_act = acts.iter().min_by_key(|a| a.created_seq);
        let date = first_act.and_then(|a| earliest(text(&a.data, "date")));
        input.event_date = date.clone();
        let place = first_act
            .and_then(|a| text(&a.data, "place"))
            .or_else(|| text(&p.data, "residence"))
            .map(str::to_owned);
        items.push(Item {
            id: p.id.clone(),
            kind: Kind::Person,
            list,
            label: p.label.clone(),
            input,
            place,
            act_type: first_act.and_then(|a| text(&a.data, "act_type").map(str::to_owned)),
            date,
        });
    }

    let decisions = decisions(store)?;
    Ok(Loaded {
        lists,
        items,
        text_fields,
        decisions,
        places,
        sealed,
    })
}

#[allow(clippy::too_many_arguments)]
fn add_entry(
    e: RecordRow,
    sources: &HashMap<String, StoredRecord>,
    lists: &mut Vec<ListInfo>,
    list_index: &mut HashMap<String, u16>,
    items: &mut Vec<Item>,
    text_fields: &mut Vec<String>,
) -> Result<(), RegisterError> {
    let Some(source) = first_source(&e.data) else {
        return Ok(());
    };
    let list = match list_index.get(source) {
        Some(&i) => i,
        None => {
            let i = u16::try_from(lists.len()).map_err(|_| {
                RegisterError::Input("more than 65,535 lists cannot be linked at once".into())
            })?;
            lists.push(ListInfo {
                id: source.to_owned(),
                label: sources
                    .get(source)
                    .map(|s| s.label.clone())
                    .unwrap_or_else(|| source.to_owned()),
                entries: 0,
            });
            list_index.insert(source.to_owned(), i);
            i
        }
    };
    lists[usize::from(list)].entries += 1;
    let mut input = RecordInput {
        id: e.id.clone(),
        list,
        ..RecordInput::default()
    };
    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    if let Some(Value::Object(fields)) = e.data.get("fields") {
        for (k, v) in fields {
            let Some(v) = v.as_str().filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            let text = v.to_owned();
            let v = Some(text.clone());
            if !input.set(k, v)
                && let Some(name) = k.strip_prefix("text:")
            {
                let i = match text_fields.iter().position(|t| t == name) {
                    Some(i) => i,
                    None => {
                        text_fields.push(name.to_owned());
                        text_fields.len() - 1
                    }
                };
                texts.insert(i, text);
            }
        }
    }
    input.texts = texts.into_iter().fold(Vec::new(), |mut acc, (i, v)| {
        acc.resize(i, None);
        acc.push(Some(v));
        acc
    });
    items.push(Item {
        id: e.id.clone(),
        kind: Kind::ListEntry,
        list,
        label: e.label.clone(),
        input,
        place: text(&e.data, "place").map(str::to_owned),
        act_type: text(&e.data, "act_type").map(str::to_owned),
        date: earliest(text(&e.data, "date")),
    });
    Ok(())
}
