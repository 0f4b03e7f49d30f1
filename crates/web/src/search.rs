//! Search over the public record: `/{lang}/search?q=…` and
//! `/api/v1/search?q=…`.
//!
//! The index is built in memory from a public [`Snapshot`] and nothing
//! else, so it can only ever hold what the public site already shows: there
//! is no index file on disk for a seized server to give up, and a sealed or
//! restricted record cannot be found because it was never indexed. It is
//! rebuilt when the snapshot is (the ledger grew).
//!
//! Names are matched across scripts and transliterations with the match
//! keys of `qantar-names`: "Zhomart", "Jomart" and "Жомарт" find one
//! another. Other words match by prefix of their normalised form. Every
//! word of the query must match (AND); persons come first.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use qantar_model::{Kind, Record};
use serde_json::Value;

use crate::html::{esc, href, label};
use crate::i18n::{Arg, Lang, t, ta};
use crate::public::Snapshot;

/// At most this many results are listed; the total is still counted.
pub const RESULT_LIMIT: usize = 200;
/// A query longer than this is cut (a search box, not a document).
pub const QUERY_MAX_CHARS: usize = 200;
/// Query words shorter than this are ignored: one letter matches everything.
const MIN_WORD_CHARS: usize = 2;

/// Fields whose strings are identifiers or codes, not words a reader types.
const SKIP_FIELDS: [&str; 5] = ["id", "kind", "confidentiality", "sources", "derived_from"];

/// One record's searchable words.
struct Entry {
    id: String,
    kind: Kind,
    /// Normalised words (lower case, cleaned), for prefix matches.
    words: Vec<String>,
    /// Cross-script match keys of the same words.
    keys: Vec<String>,
}

/// The search index of one snapshot.
pub struct Index {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "search::Index({} records)", self.entries.len())
    }
}

/// What a query found.
#[derive(Debug, serde::Serialize)]
pub struct Found<'a> {
    /// How many public records match, all of them counted.
    pub total: usize,
    /// The first [`RESULT_LIMIT`], persons first.
    #[serde(skip)]
    pub records: Vec<&'a Record>,
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !is_uuid(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => {
            for (k, v) in map {
                if !SKIP_FIELDS.contains(&k.as_str()) {
                    collect_strings(v, out);
                }
            }
        }
        _ => {}
    }
}

/// Split text into normalised words. The whole text is normalised once
/// (normalising is the costly part), then split.
fn words(text: &str) -> Vec<String> {
    qantar_names::normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Match keys are costly (script detection, transliteration); words repeat
/// across records, so each distinct word is keyed once per build.
fn key_of(word: &str, cache: &mut HashMap<String, String>) -> String {
    if let Some(k) = cache.get(word) {
        return k.clone();
    }
    let k = qantar_names::key(word).as_str().to_string();
    cache.insert(word.to_string(), k.clone());
    k
}

impl Index {
    /// Index every record of `snap`. The record JSON is the public one
    /// (notes and hidden references already gone); identifiers are left out.
    pub fn build(snap: &Snapshot) -> Index {
        let mut cache = HashMap::new();
        let mut entries = Vec::with_capacity(snap.len());
        for r in snap.all() {
            let mut texts = Vec::new();
            collect_strings(&r.to_json(), &mut texts);
            // Acts, relationships and claims are labelled with the names of
            // the people they concern and with vocabulary terms, which their
            // own JSON holds only as ids and codes; other kinds' labels are
            // made of their own strings.
            if matches!(r.kind(), Kind::Act | Kind::Relationship | Kind::Claim) {
                for lang in Lang::ALL {
                    texts.push(label(lang, snap, r));
                }
            }
            let mut ws: Vec<String> = words(&texts.join(" "));
            ws.sort();
            ws.dedup();
            let mut keys: Vec<String> = ws
                .iter()
                .map(|w| key_of(w, &mut cache))
                .filter(|k| !k.is_empty())
                .collect();
            keys.sort();
            keys.dedup();
            entries.push(Entry {
                id: r.id.to_string(),
                kind: r.kind(),
                words: ws,
                keys,
            });
        }
        Index { entries }
    }

    /// The public records matching every word of `query`.
    pub fn find<'s>(&self, snap: &'s Snapshot, query: &str) -> Found<'s> {
        let query: String = query.chars().take(QUERY_MAX_CHARS).collect();
        let mut cache = HashMap::new();
        let wanted: Vec<(String, String)> = words(&query)
            .into_iter()
            .filter(|w| w.chars().count() >= MIN_WORD_CHARS)
            .map(|w| {
                let k = key_of(&w, &mut cache);
                (w, k)
            })
            .collect();
        if wanted.is_empty() {
            return Found {
                total: 0,
                records: Vec::new(),
            };
        }
        let mut hits: Vec<(u8, usize, &'s Record)> = Vec::new();
        for e in &self.entries {
            let mut exact = 0;
            let all = wanted.iter().all(|(w, k)| {
                let by_key = !k.is_empty() && e.keys.binary_search(k).is_ok();
                exact += usize::from(by_key);
                by_key || prefix_hit(&e.words, w)
            });
            if !all {
                continue;
            }
            // The index came from this snapshot; looking the record up
            // again keeps the answer to what the snapshot holds even so.
            if let Some(r) = snap.get(&e.id) {
                let rank = match e.kind {
                    Kind::Person => 0,
                    Kind::Act => 1,
                    Kind::Source => 2,
                    _ => 3,
                };
                hits.push((rank, usize::MAX - exact, r));
            }
        }
        hits.sort_by_key(|h| (h.0, h.1));
        let total = hits.len();
        Found {
            total,
            records: hits
                .into_iter()
                .take(RESULT_LIMIT)
                .map(|(_, _, r)| r)
                .collect(),
        }
    }
}

/// Whether some word of the sorted list starts with `w`.
fn prefix_hit(sorted: &[String], w: &str) -> bool {
    let at = sorted.partition_point(|x| x.as_str() < w);
    sorted.get(at).is_some_and(|x| x.starts_with(w))
}

/// The index of `snap`, built on first use. Concurrent first searches
/// wait for one build rather than each building their own.
pub fn index_of(snap: &Snapshot) -> Arc<Index> {
    snap.search
        .get_or_init(|| Arc::new(Index::build(snap)))
        .clone()
}

/// The search page's body.
pub fn page(lang: Lang, snap: &Snapshot, index: &Index, query: &str) -> String {
    let mut h = format!(
        "<form method=\"get\" action=\"/{code}/search\" role=\"search\">\
         <label for=\"q\">{label}</label> \
         <input id=\"q\" name=\"q\" type=\"search\" value=\"{q}\" maxlength=\"{max}\"> \
         <button type=\"submit\">{go}</button></form>\n",
        code = lang.code(),
        label = esc(&t(lang, "search-label")),
        q = esc(query),
        max = QUERY_MAX_CHARS,
        go = esc(&t(lang, "search-button")),
    );
    if query.trim().is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "search-hint")));
        return h;
    }
    let found = index.find(snap, query);
    if found.total == 0 {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "search-none")));
        return h;
    }
    let _ = write!(
        h,
        "<p>{}</p>\n<ul class=\"results\">",
        esc(&ta(
            lang,
            "search-count",
            &[
                ("count", Arg::Num(found.total as u64)),
                ("shown", Arg::Num(found.records.len() as u64)),
            ]
        ))
    );
    for r in &found.records {
        let kind = esc(&t(lang, &format!("kind-{}", r.kind().as_str())));
        let name = esc(&label(lang, snap, r));
        let target = href(lang, r).or_else(|| match &r.body {
            // An act is shown on its victim's page.
            qantar_model::Body::Act(a) => snap.get(&a.victim).and_then(|v| href(lang, v)),
            _ => None,
        });
        let _ = match target {
            Some(link) => write!(
                h,
                "<li><span class=\"kind\">{kind}</span> <a href=\"{}\">{name}</a></li>",
                esc(&link)
            ),
            None => write!(
                h,
                "<li><span class=\"kind\">{kind}</span> {name} <a href=\"/api/v1/records/{}\">JSON</a></li>",
                r.id
            ),
        };
    }
    h.push_str("</ul>");
    h
}

/// Public records other than `except` whose words contain one of `names`
/// (every word of it, matched as search matches them, across scripts).
/// Consent withholds records, not mentions in the free text of others: a
/// protest's description may name a witness who later asks for anonymity.
/// This lists those records so a documenter can redact or amend them.
pub fn mentions<'s>(snap: &'s Snapshot, names: &[String], except: &[String]) -> Vec<&'s Record> {
    let index = index_of(snap);
    let mut found: Vec<&Record> = Vec::new();
    for name in names {
        // Whole names only: one given name alone would flag half the archive.
        if words(name).len() < 2 {
            continue;
        }
        for r in index.find(snap, name).records {
            let id = r.id.to_string();
            if !except.contains(&id) && !found.iter().any(|f| f.id == r.id) {
                found.push(r);
            }
        }
    }
    found
}
