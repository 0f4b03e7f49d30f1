//! Keeping the latest record linkage beside the projection: the run's
//! summary, its scored pairs and who belongs to which person. The linkage
//! itself is computed elsewhere (`qantar-register`); this module only stores
//! and reads it, in one transaction per run so that a reader never sees half
//! of one run and half of another.

use serde::Serialize;
use serde_json::Value;

use crate::db::{Backend, Param};
use crate::{Store, StoreError};

/// The SQL that creates the linkage tables (idempotent).
pub(crate) fn schema(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/linkage.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/linkage.sql"),
    }
}

/// The summary of the latest run.
#[derive(Clone, Debug, Serialize)]
pub struct LinkRun {
    pub run: u64,
    pub created_at: String,
    /// The ledger size the run read: entries added later are not in it.
    pub ledger_size: u64,
    pub summary: Value,
}

/// One scored candidate pair.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkPair {
    pub left: String,
    pub right: String,
    pub weight: f64,
    pub probability: f64,
    /// The reviewer's verdict on this pair, if any: `same`, `different`,
    /// `unsure`.
    pub decision: Option<String>,
    pub explanation: Value,
}

impl Store {
    /// Replace the stored linkage with a new run's. Returns the run number.
    pub fn save_linkage(
        &self,
        created_at: &str,
        ledger_size: u64,
        summary: &Value,
        pairs: &[LinkPair],
        members: &[(String, String)],
    ) -> Result<u64, StoreError> {
        let db = self.db();
        let tx = db.begin_write()?;
        let run = db
            .query_one("SELECT COALESCE(MAX(run), 0) + 1 FROM link_runs", &[])?
            .u64(0)?;
        db.exec("DELETE FROM link_pairs", &[])?;
        db.exec("DELETE FROM link_members", &[])?;
        db.exec("DELETE FROM link_runs", &[])?;
        db.exec(
            "INSERT INTO link_runs (run, created_at, ledger_size, summary) VALUES (?1, ?2, ?3, ?4)",
            &[
                run.into(),
                created_at.into(),
                ledger_size.into(),
                Param::Text(&summary.to_string()),
            ],
        )?;
        for p in pairs {
            let (w, pr) = (p.weight.to_string(), p.probability.to_string());
            let explanation = p.explanation.to_string();
            db.exec(
                "INSERT INTO link_pairs (left_id, right_id, weight, probability, decision, explanation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[
                    p.left.as_str().into(),
                    p.right.as_str().into(),
                    Param::Text(&w),
                    Param::Text(&pr),
                    p.decision.as_deref().into(),
                    Param::Text(&explanation),
                ],
            )?;
        }
        for (record, person) in members {
            db.exec(
                "INSERT INTO link_members (record, person) VALUES (?1, ?2)",
                &[record.as_str().into(), person.as_str().into()],
            )?;
        }
        tx.commit()?;
        Ok(run)
    }

    /// The latest run, if `qantar link` has been run on this archive.
    pub fn linkage_run(&self) -> Result<Option<LinkRun>, StoreError> {
        let Some(r) = self.db().query_opt(
            "SELECT run, created_at, ledger_size, summary FROM link_runs ORDER BY run DESC LIMIT 1",
            &[],
        )?
        else {
            return Ok(None);
        };
        let summary = serde_json::from_str(&r.text(3)?).map_err(|e| StoreError::Corrupt {
            seq: None,
            what: format!("the stored linkage summary is not JSON ({e}); run `qantar link` again"),
        })?;
        Ok(Some(LinkRun {
            run: r.u64(0)?,
            created_at: r.text(1)?,
            ledger_size: r.u64(2)?,
            summary,
        }))
    }

    /// Every stored pair, strongest first (ties in id order).
    pub fn linkage_pairs(&self) -> Result<Vec<LinkPair>, StoreError> {
        let mut out = Vec::new();
        self.db().for_each(
            "SELECT left_id, right_id, weight, probability, decision, explanation FROM link_pairs",
            &[],
            |r| {
                let number = |i: usize| -> Result<f64, StoreError> {
                    let t = r.text(i)?;
                    t.parse().map_err(|_| StoreError::Corrupt {
                        seq: None,
                        what: format!("link pair weight {t:?} is not a number"),
                    })
                };
                out.push(LinkPair {
                    left: r.text(0)?,
                    right: r.text(1)?,
                    weight: number(2)?,
                    probability: number(3)?,
                    decision: r.opt_text(4)?,
                    explanation: serde_json::from_str(&r.text(5)?).unwrap_or(Value::Null),
                });
                Ok(())
            },
        )?;
        out.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| (&a.left, &a.right).cmp(&(&b.left, &b.right)))
        });
        Ok(out)
    }

    /// `(record, person)` for every linked record, in record order.
    pub fn linkage_members(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        self.db()
            .for_each("SELECT record, person FROM link_members", &[], |r| {
                out.push((r.text(0)?, r.text(1)?));
                Ok(())
            })?;
        out.sort();
        Ok(out)
    }
}

/// A current record as linkage reads it, one at a time.
#[derive(Clone, Debug)]
pub struct RecordRow {
    pub id: String,
    pub r#ref: Option<String>,
    pub label: String,
    pub created_seq: u64,
    pub updated_seq: u64,
    pub data: Value,
}

impl Store {
    /// Every current (not retracted) record of `kind`, in ledger order,
    /// streamed: a list of a million rows is never held whole.
    pub fn each_record(
        &self,
        kind: qantar_model::Kind,
        mut f: impl FnMut(RecordRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.db().for_each(
            "SELECT id, ref, label, created_seq, updated_seq, data FROM records
              WHERE kind = ?1 AND retracted = 0 ORDER BY created_seq",
            &[kind.as_str().into()],
            |r| {
                let data = serde_json::from_str(&r.text(5)?).map_err(|e| StoreError::Corrupt {
                    seq: None,
                    what: format!(
                        "record {} holds data that is not JSON ({e}); run `qantar rebuild`",
                        r.text(0).unwrap_or_default()
                    ),
                })?;
                f(RecordRow {
                    id: r.text(0)?,
                    r#ref: r.opt_text(1)?,
                    label: r.text(2)?,
                    created_seq: r.u64(3)?,
                    updated_seq: r.u64(4)?,
                    data,
                })
            },
        )
    }
}
