//! Reading the projection: one record, filtered lists, a record's history
//! and the archive's counts.

use std::collections::BTreeMap;

use qantar_model::Kind;
use serde::Serialize;
use serde_json::Value;

use crate::db::{Backend, Param, Row};
use crate::{Store, StoreError};

/// A record as the projection holds it now.
#[derive(Clone, Debug, Serialize)]
pub struct StoredRecord {
    pub id: String,
    pub kind: String,
    #[serde(rename = "ref")]
    pub r#ref: Option<String>,
    pub confidentiality: String,
    pub version: u64,
    pub label: String,
    pub created_seq: u64,
    pub updated_seq: u64,
    pub created_at: String,
    pub updated_at: String,
    pub retracted: bool,
    pub retract_reason: Option<String>,
    pub data: Value,
}

const COLUMNS: &str = "id, kind, ref, confidentiality, version, label, created_seq, updated_seq, created_at, updated_at, retracted, retract_reason, data";

fn stored(r: Row) -> Result<StoredRecord, StoreError> {
    let data = r.text(12)?;
    Ok(StoredRecord {
        id: r.text(0)?,
        kind: r.text(1)?,
        r#ref: r.opt_text(2)?,
        confidentiality: r.text(3)?,
        version: r.u64(4)?,
        label: r.text(5)?,
        created_seq: r.u64(6)?,
        updated_seq: r.u64(7)?,
        created_at: r.text(8)?,
        updated_at: r.text(9)?,
        retracted: r.bool(10)?,
        retract_reason: r.opt_text(11)?,
        data: serde_json::from_str(&data).unwrap_or(Value::Null),
    })
}

/// Filters for `list`. Empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub kind: Option<Kind>,
    /// A place id or ref; matches records at that place or anywhere inside it.
    pub place: Option<String>,
    /// ISO dates; a record matches when its date range overlaps [from, to].
    pub from: Option<String>,
    pub to: Option<String>,
    pub act_type: Option<String>,
    pub status: Option<String>,
    pub confidentiality: Option<String>,
    /// source_kind, place_type, proceeding_kind, metric, relation or claim_type.
    pub type_term: Option<String>,
    pub include_retracted: bool,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// One line of a record's history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryItem {
    pub seq: u64,
    pub time: String,
    pub author: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Top-level fields that this entry set, changed or removed.
    pub changed: Vec<String>,
}

/// Counts for `qantar stats`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub entries: u64,
    pub records: u64,
    pub retracted: u64,
    pub by_kind: BTreeMap<String, u64>,
    pub acts_by_type: BTreeMap<String, u64>,
    /// Acts counted at the place where they happened, rolled up to the city
    /// (or the highest level below the country).
    pub acts_by_place: BTreeMap<String, u64>,
    pub by_confidentiality: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Store {
    /// One record by UUID or ref, retracted or not.
    pub fn get(&self, target: &str) -> Result<Option<StoredRecord>, StoreError> {
        let Some(known) = self.lookup(target)? else {
            return Ok(None);
        };
        self.db()
            .query_opt(
                &format!("SELECT {COLUMNS} FROM records WHERE id = ?1"),
                &[Param::Text(&known.id)],
            )?
            .map(stored)
            .transpose()
    }

    /// Records that pass the filter, ordered by date (undated last), then label.
    pub fn list(&self, f: &Filter) -> Result<Vec<StoredRecord>, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        let arg = |v: String, args: &mut Vec<String>| {
            args.push(v);
            format!("?{}", args.len())
        };
        let mut with = String::new();
        if let Some(k) = f.kind {
            clauses.push(format!("kind = {}", arg(k.as_str().into(), &mut args)));
        }
        if let Some(p) = &f.place {
            let place = self
                .lookup(p)?
                .filter(|k| k.kind == Kind::Place)
                .ok_or_else(|| {
                    StoreError::Input(crate::InputErrors::one(
                        "place",
                        format!("no place {p:?} in this archive"),
                    ))
                })?;
            let a = arg(place.id, &mut args);
            with = format!(
                "WITH RECURSIVE within(id) AS (SELECT {a} UNION SELECT r.id FROM records r JOIN within w ON r.parent = w.id WHERE r.kind = 'place') "
            );
            clauses.push("(place IN (SELECT id FROM within) OR (kind = 'place' AND id IN (SELECT id FROM within)))".into());
        }
        if let Some(d) = &f.from {
            clauses.push(format!("date_hi >= {}", arg(d.clone(), &mut args)));
        }
        if let Some(d) = &f.to {
            clauses.push(format!("date_lo <= {}", arg(d.clone(), &mut args)));
        }
        if let Some(v) = &f.act_type {
            clauses.push(format!("act_type = {}", arg(v.clone(), &mut args)));
        }
        if let Some(v) = &f.status {
            clauses.push(format!("status = {}", arg(v.clone(), &mut args)));
        }
        if let Some(v) = &f.confidentiality {
            clauses.push(format!("confidentiality = {}", arg(v.clone(), &mut args)));
        }
        if let Some(v) = &f.type_term {
            clauses.push(format!("type_term = {}", arg(v.clone(), &mut args)));
        }
        if !f.include_retracted {
            clauses.push("retracted = 0".into());
        }
        let where_ = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let page = match (f.limit, f.offset) {
            (None, 0) => String::new(),
            (Some(l), o) => format!(" LIMIT {l} OFFSET {o}"),
            (None, o) => format!(" LIMIT {} OFFSET {o}", i64::MAX),
        };
        // Byte order on both backends, so the same archive lists the same way.
        let c = match self.backend() {
            Backend::Postgres => " COLLATE \"C\"",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "{with}SELECT {COLUMNS} FROM records {where_} ORDER BY date_lo IS NULL, date_lo{c}, label{c}, id{c}{page}"
        );
        let params: Vec<Param<'_>> = args.iter().map(|a| Param::Text(a)).collect();
        self.db()
            .query(&sql, &params)?
            .into_iter()
            .map(stored)
            .collect()
    }

    /// Every entry that touched a record, oldest first, with what each changed.
    pub fn history(&self, target: &str) -> Result<Vec<HistoryItem>, StoreError> {
        let known = self
            .lookup(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        let seqs: Vec<i64> = self
            .db()
            .query(
                "SELECT seq FROM record_entries WHERE record = ?1 ORDER BY seq",
                &[Param::Text(&known.id)],
            )?
            .iter()
            .map(|r| r.int(0))
            .collect::<Result<_, _>>()?;
        let mut previous: Option<Value> = None;
        let mut out = Vec::new();
        for seq in seqs {
            let e = self.entry(seq as u64)?;
            let sealed = crate::sealing::is_sealed_payload(&e.payload)
                || crate::sealing::is_sealed_payload(&e.payload["record"]);
            if sealed {
                // What a sealed version changed is itself sealed.
                previous = None;
            }
            let (version, reason) = if sealed || e.kind.starts_with("audit.") {
                (None, None)
            } else if e.kind == "record.retracted" || e.kind == crate::sealing::ERASED_KIND {
                (
                    None,
                    e.payload
                        .get("reason")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                )
            } else if e.kind.ends_with(".amended") {
                (
                    e.payload.get("record").cloned(),
                    e.payload
                        .get("reason")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                )
            } else {
                (Some(e.payload.clone()), None)
            };
            let changed = match (&previous, &version) {
                (_, None) => vec![],
                (None, Some(v)) => keys(v),
                (Some(p), Some(v)) => {
                    let mut all: Vec<String> = keys(p).into_iter().chain(keys(v)).collect();
                    all.sort();
                    all.dedup();
                    all.into_iter().filter(|k| p.get(k) != v.get(k)).collect()
                }
            };
            if version.is_some() {
                previous = version;
            }
            out.push(HistoryItem {
                seq: e.seq,
                time: e.time,
                author: e.author,
                kind: e.kind,
                reason,
                changed,
            });
        }
        Ok(out)
    }

    /// Records that reference this one, with the field they reference it from.
    pub fn referenced_by(&self, id: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.db()
            .query(
                "SELECT from_id, field FROM record_links WHERE to_id = ?1 ORDER BY from_id, field",
                &[Param::Text(id)],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?)))
            .collect()
    }

    pub fn stats(&self) -> Result<Stats, StoreError> {
        let db = self.db();
        let mut s = Stats {
            entries: self.size()?,
            ..Stats::default()
        };
        for r in db.query(
            "SELECT kind, confidentiality, retracted, COUNT(*) FROM records GROUP BY kind, confidentiality, retracted",
            &[],
        )? {
            let (kind, conf, retracted, n) = (r.text(0)?, r.text(1)?, r.bool(2)?, r.int(3)?);
            if retracted {
                s.retracted += n as u64;
                continue;
            }
            s.records += n as u64;
            *s.by_kind.entry(kind.clone()).or_default() += n as u64;
            *s.by_confidentiality
                .entry(kind)
                .or_default()
                .entry(conf)
                .or_default() += n as u64;
        }
        for r in db.query(
            "SELECT act_type, COUNT(*) FROM records WHERE kind = 'act' AND retracted = 0 GROUP BY act_type",
            &[],
        )? {
            s.acts_by_type
                .insert(r.opt_text(0)?.unwrap_or_else(|| "unknown".into()), r.u64(1)?);
        }
        // Roll each act's place up to the ancestor just below the top of the
        // hierarchy (the city or region), so sites count towards their city.
        let rollup = db.query(
            "WITH RECURSIVE up(act, place, parent, depth) AS (
                 SELECT a.id, p.id, p.parent, 0 FROM records a JOIN records p ON p.id = a.place
                   WHERE a.kind = 'act' AND a.retracted = 0
                 UNION ALL
                 SELECT up.act, p.id, p.parent, up.depth + 1 FROM up JOIN records p ON p.id = up.parent
                   JOIN records gp ON gp.id = p.parent
             )
             SELECT (SELECT label FROM records WHERE id = u.place), COUNT(*) FROM up u
               WHERE u.depth = (SELECT MAX(depth) FROM up u2 WHERE u2.act = u.act)
               GROUP BY u.place",
            &[],
        )?;
        for r in rollup {
            *s.acts_by_place
                .entry(r.opt_text(0)?.unwrap_or_default())
                .or_default() += r.u64(1)?;
        }
        let unplaced = db
            .query_one(
                "SELECT COUNT(*) FROM records WHERE kind = 'act' AND retracted = 0 AND place IS NULL",
                &[],
            )?
            .int(0)?;
        if unplaced > 0 {
            s.acts_by_place
                .insert("(no place recorded)".into(), unplaced as u64);
        }
        Ok(s)
    }
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}
