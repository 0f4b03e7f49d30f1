//! Running the linkage over an archive, and reading its outcome back: the
//! register and the pairs waiting for review.

use std::collections::{HashMap, HashSet};

use qantar_link::{FieldWarning, LinkConfig, LinkMode, Linker, prepare_all};
use qantar_model::{Kind, vocab};
use qantar_store::{LinkPair, LinkRun, Store};
use serde::Serialize;
use serde_json::{Value, json};

use crate::RegisterError;
use crate::cluster::{Links, cluster};
use crate::load::{Item, ListInfo, decisions, load, pair_of};

/// How to link.
#[derive(Debug, Clone, Serialize)]
pub struct LinkSettings {
    /// Pairs at or above this match probability are the same person,
    /// unless a reviewer decided otherwise.
    pub match_probability: f64,
    /// Pairs at or above this are kept, for review and explanation.
    pub review_floor: f64,
    /// Seed of the linkage's random sample (u probabilities).
    pub seed: u64,
    /// The year ages in lists refer to.
    pub age_as_of: i16,
    /// The guard refuses to join two groups if any pair across them scores
    /// below this.
    pub guard_probability: f64,
    /// No person may gather more records than this.
    pub max_person_records: usize,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings {
            match_probability: 0.5,
            review_floor: 0.05,
            seed: LinkConfig::default().seed,
            age_as_of: 2022,
            guard_probability: 0.01,
            max_person_records: 50,
        }
    }
}

/// Reviewers' decisions the run applied.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DecisionCounts {
    pub same: u64,
    pub different: u64,
    pub unsure: u64,
    /// Decisions naming a record that is retracted or not linkable.
    pub not_applicable: u64,
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct LinkSummary {
    pub run: u64,
    pub created_at: String,
    pub ledger_size: u64,
    pub lists: Vec<ListInfo>,
    pub records: u64,
    /// Distinct persons in the register.
    pub persons: u64,
    /// Persons named by more than one record.
    pub linked_persons: u64,
    pub candidate_pairs: u64,
    pub matched_pairs: u64,
    /// Undecided pairs in the review band ([`REVIEW_BAND`]).
    pub to_review: u64,
    pub decisions: DecisionCounts,
    pub refused_by_decision: u64,
    pub refused_by_guard: u64,
    pub warnings: u64,
    pub first_warnings: Vec<FieldWarning>,
    /// Sealed list entries and persons that were not linked: their content
    /// may not be copied into the linkage tables.
    pub sealed_skipped: u64,
    pub settings: LinkSettings,
    pub model: Value,
}

/// The band of match probabilities a reviewer is shown by default: below
/// it the model is sure they differ, above it that they match.
pub const REVIEW_BAND: (f64, f64) = (0.2, 0.95);

fn in_band(p: f64) -> bool {
    (REVIEW_BAND.0..=REVIEW_BAND.1).contains(&p)
}

fn pair_key(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

/// Link every list entry and every documented victim of the archive, apply
/// the reviewers' decisions, and store the outcome as the register.
/// `progress` hears what stage the run is at.
pub fn link_archive(
    store: &Store,
    settings: &LinkSettings,
    created_at: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<LinkSummary, RegisterError> {
    let ledger_size = store.size()?;
    progress("reading list entries and persons");
    let mut loaded = load(store)?;
    if loaded.items.is_empty() && loaded.sealed > 0 {
        return Err(RegisterError::Input(format!(
            "the archive's {} list entries and persons to link are all sealed, and sealed \
             records are not linked (their content would be copied into the linkage tables in \
             clear)",
            loaded.sealed
        )));
    }
    if loaded.items.is_empty() {
        return Err(RegisterError::Nothing);
    }
    progress("preparing names, dates and places");
    let persons_ids: HashSet<String> = loaded
        .items
        .iter()
        .filter(|i| i.kind == Kind::Person)
        .map(|i| i.id.clone())
        .collect();
    // The raw inputs are not needed once prepared; dropping them keeps a
    // large register's peak memory down.
    let inputs: Vec<_> = std::mem::take(&mut loaded.items)
        .into_iter()
        .map(|i| i.input)
        .collect();
    let mut warnings = Vec::new();
    let records = prepare_all(&inputs, settings.age_as_of, &mut warnings);
    drop(inputs);
    let config = LinkConfig {
        mode: LinkMode::Dedupe,
        threshold: settings.review_floor,
        seed: settings.seed,
        text_fields: loaded.text_fields.clone(),
        ..LinkConfig::default()
    };
    let linker = Linker::new(records, config)?;
    progress("blocking, training the model (EM) and scoring pairs");
    let result = linker.run();
    let model = &result.model;

    let index: HashMap<&str, u32> = linker
        .records()
        .iter()
        .enumerate()
        .map(|(i, r)| (&*r.id, i as u32))
        .collect();

    let mut counts = DecisionCounts::default();
    let mut decided: HashMap<(u32, u32), &str> = HashMap::new();
    for ((left, right), verdict) in &loaded.decisions {
        match (index.get(left.as_str()), index.get(right.as_str())) {
            (Some(&a), Some(&b)) if a != b => {
                decided.insert(pair_key(a, b), verdict.as_str());
            }
            _ => counts.not_applicable += 1,
        }
    }
    let (mut same, mut different) = (Vec::new(), Vec::new());
    for (&(a, b), &v) in &decided {
        match v {
            "same" => {
                counts.same += 1;
                same.push((a, b));
            }
            "different" => {
                counts.different += 1;
                different.push((a, b));
            }
            _ => counts.unsure += 1,
        }
    }
    same.sort_unstable();
    different.sort_unstable();

    progress("clustering pairs into persons");
    let matched: Vec<(u32, u32, f64)> = result
        .pairs
        .iter()
        .filter(|p| {
            p.probability >= settings.match_probability
                && !matches!(
                    decided.get(&pair_key(p.left, p.right)),
                    Some(&"different") | Some(&"same")
                )
        })
        .map(|p| (p.left, p.right, p.weight))
        .collect();
    let records = linker.records();
    let clusters = cluster(
        records.len(),
        &Links {
            matched: &matched,
            same: &same,
            different: &different,
            max_size: settings.max_person_records,
        },
        &mut |i, j| {
            model
                .explain(&records[i as usize], &records[j as usize])
                .probability
                >= settings.guard_probability
        },
    );

    // A person is named after a person record in it if there is one, else
    // after its first list entry: stable across runs as long as the
    // grouping is.
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &r) in clusters.root.iter().enumerate() {
        groups.entry(r).or_default().push(i as u32);
    }
    let mut members: Vec<(String, String)> = Vec::with_capacity(records.len());
    let mut linked_persons = 0;
    for group in groups.values() {
        let ids: Vec<&str> = group.iter().map(|&i| &*records[i as usize].id).collect();
        let person = ids
            .iter()
            .filter(|id| persons_ids.contains(**id))
            .min()
            .or_else(|| ids.iter().min())
            .map(|s| (*s).to_owned())
            .unwrap_or_default();
        if ids.len() > 1 {
            linked_persons += 1;
        }
        for id in ids {
            members.push((id.to_owned(), person.clone()));
        }
    }
    members.sort();

    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut pairs: Vec<LinkPair> = Vec::with_capacity(result.pairs.len());
    let mut to_review = 0;
    let explain = |a: u32, b: u32| {
        serde_json::to_value(model.explain(&records[a as usize], &records[b as usize]))
            .unwrap_or(Value::Null)
    };
    for p in &result.pairs {
        let key = pair_key(p.left, p.right);
        seen.insert(key);
        let decision = decided.get(&key).map(|v| (*v).to_owned());
        if decision.is_none() && in_band(p.probability) {
            to_review += 1;
        }
        // Explanations are kept for the pairs a reviewer will be shown (the
        // review band) and decided ones: for every stored pair they would
        // cost far more memory and disk than the register itself.
        let explanation = if in_band(p.probability) || decision.is_some() {
            explain(p.left, p.right)
        } else {
            Value::Null
        };
        let (l, r) = (&*records[key.0 as usize].id, &*records[key.1 as usize].id);
        pairs.push(LinkPair {
            left: l.to_owned(),
            right: r.to_owned(),
            weight: p.weight,
            probability: p.probability,
            decision,
            explanation,
        });
    }
    // Decided pairs the blocking never put side by side are kept too, so
    // the review page can show them with their decision.
    let mut extra: Vec<(&(u32, u32), &&str)> =
        decided.iter().filter(|(k, _)| !seen.contains(k)).collect();
    extra.sort();
    for (&(a, b), v) in extra {
        let e = model.explain(&records[a as usize], &records[b as usize]);
        pairs.push(LinkPair {
            left: records[a as usize].id.to_string(),
            right: records[b as usize].id.to_string(),
            weight: e.weight,
            probability: e.probability,
            decision: Some((*v).to_owned()),
            explanation: serde_json::to_value(&e).unwrap_or(Value::Null),
        });
    }

    let persons = groups.len() as u64;
    let first_warnings: Vec<FieldWarning> = warnings.iter().take(20).cloned().collect();
    let mut summary = LinkSummary {
        run: 0,
        created_at: created_at.to_owned(),
        ledger_size,
        lists: loaded.lists,
        records: records.len() as u64,
        persons,
        linked_persons,
        candidate_pairs: result.candidate_pairs,
        matched_pairs: matched.len() as u64 + counts.same,
        to_review,
        decisions: counts,
        refused_by_decision: clusters.refused_by_decision,
        refused_by_guard: clusters.refused_by_guard,
        warnings: warnings.len() as u64,
        first_warnings,
        sealed_skipped: loaded.sealed,
        settings: settings.clone(),
        model: serde_json::to_value(model).unwrap_or(Value::Null),
    };
    progress("saving the register");
    let stored = serde_json::to_value(&summary).unwrap_or(Value::Null);
    summary.run = store.save_linkage(created_at, ledger_size, &stored, &pairs, &members)?;
    Ok(summary)
}

/// One record of a person in the register.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: String,
    pub kind: Kind,
    /// The list it came from: a source id, or `archive`.
    pub list: String,
    pub label: String,
}

/// One person of the register.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterPerson {
    /// The id of a person record in the group, or of its first list entry.
    pub person: String,
    pub label: String,
    /// The lists that name this person, in list order.
    pub lists: Vec<String>,
    pub records: Vec<Member>,
    /// The region (place id) the person's records point to, if any.
    pub region: Option<String>,
    /// The gravest act type any record gives (the vocabulary's order).
    pub act_type: Option<String>,
    /// The earliest date of the violation any record gives (ISO).
    pub date: Option<String>,
}

/// The register: every person, with the lists that name them.
#[derive(Debug, Clone, Serialize)]
pub struct Register {
    pub run: LinkRun,
    /// Ledger entries written since the run; the register may be out of
    /// date if any of them is a list entry, person or decision.
    pub entries_since_run: u64,
    /// Linkable records that came after the run: each counts as a person
    /// of its own until `qantar link` runs again.
    pub unlinked_records: u64,
    pub lists: Vec<ListInfo>,
    pub persons: Vec<RegisterPerson>,
}

fn act_rank(term: &str) -> usize {
    vocab::get(vocab::ACT_TYPES)
        .and_then(|v| v.terms.iter().position(|t| t.id == term))
        .unwrap_or(usize::MAX)
}

/// The register as of the latest run.
pub fn register(store: &Store) -> Result<Register, RegisterError> {
    Ok(register_with_places(store)?.0)
}

/// The register, and the places it was read with (for naming regions).
pub(crate) fn register_with_places(
    store: &Store,
) -> Result<(Register, crate::places::PlaceBook), RegisterError> {
    let run = store.linkage_run()?.ok_or(RegisterError::NotLinked)?;
    let loaded = load(store)?;
    let members: HashMap<String, String> = store.linkage_members()?.into_iter().collect();
    let mut order: Vec<String> = Vec::new();
    let mut by_person: HashMap<String, Vec<&Item>> = HashMap::new();
    let mut unlinked = 0;
    for item in &loaded.items {
        let person = match members.get(&item.id) {
            Some(p) => p.clone(),
            None => {
                unlinked += 1;
                item.id.clone()
            }
        };
        let group = by_person.entry(person.clone()).or_default();
        if group.is_empty() {
            order.push(person);
        }
        group.push(item);
    }
    let persons = order
        .into_iter()
        .map(|person| {
            let items = &by_person[&person];
            let mut lists: Vec<u16> = items.iter().map(|i| i.list).collect();
            lists.sort_unstable();
            lists.dedup();
            // A person record's label first: it is the documented name.
            let label = items
                .iter()
                .find(|i| i.kind == Kind::Person)
                .or(items.first())
                .map(|i| i.label.clone())
                .unwrap_or_default();
            let region = items
                .iter()
                .filter_map(|i| i.place.as_deref())
                .find_map(|p| loaded.places.region(p))
                .map(str::to_owned);
            let act_type = items
                .iter()
                .filter_map(|i| i.act_type.as_deref())
                .min_by_key(|t| act_rank(t))
                .map(str::to_owned);
            let date = items.iter().filter_map(|i| i.date.clone()).min();
            RegisterPerson {
                label,
                lists: lists
                    .iter()
                    .map(|&l| loaded.lists[usize::from(l)].id.clone())
                    .collect(),
                records: items
                    .iter()
                    .map(|i| Member {
                        id: i.id.clone(),
                        kind: i.kind,
                        list: loaded.lists[usize::from(i.list)].id.clone(),
                        label: i.label.clone(),
                    })
                    .collect(),
                person,
                region,
                act_type,
                date,
            }
        })
        .collect();
    let register = Register {
        entries_since_run: store.size()?.saturating_sub(run.ledger_size),
        unlinked_records: unlinked,
        run,
        lists: loaded.lists,
        persons,
    };
    Ok((register, loaded.places))
}

/// A pair waiting for a reviewer, with both records as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub pair: LinkPair,
    pub left: Value,
    pub right: Value,
}

/// Undecided pairs (and deferred ones, after them) with a match probability
/// in `[low, high]`, the most uncertain first.
pub fn review_queue(
    store: &Store,
    low: f64,
    high: f64,
    limit: usize,
) -> Result<Vec<ReviewItem>, RegisterError> {
    if store.linkage_run()?.is_none() {
        return Err(RegisterError::NotLinked);
    }
    // Decisions are read from the ledger, not from the run: a pair decided
    // after the last run leaves the queue at once.
    let current = decisions(store)?;
    let mut pairs: Vec<LinkPair> = store
        .linkage_pairs()?
        .into_iter()
        .map(|mut p| {
            p.decision = current.get(&pair_of(&p.left, &p.right)).cloned();
            p
        })
        .filter(|p| {
            matches!(p.decision.as_deref(), None | Some("unsure"))
                && p.probability >= low
                && p.probability <= high
        })
        .collect();
    pairs.sort_by(|a, b| {
        a.decision
            .is_some()
            .cmp(&b.decision.is_some())
            .then(
                (a.probability - 0.5)
                    .abs()
                    .total_cmp(&(b.probability - 0.5).abs()),
            )
            .then_with(|| (&a.left, &a.right).cmp(&(&b.left, &b.right)))
    });
    pairs.truncate(limit);
    let record = |id: &str| -> Result<Value, RegisterError> {
        Ok(store
            .get(id)?
            .map(|r| {
                json!({"id": r.id, "kind": r.kind, "label": r.label, "data": r.data, "retracted": r.retracted})
            })
            .unwrap_or(Value::Null))
    };
    pairs
        .into_iter()
        .map(|pair| {
            Ok(ReviewItem {
                left: record(&pair.left)?,
                right: record(&pair.right)?,
                pair,
            })
        })
        .collect()
}
