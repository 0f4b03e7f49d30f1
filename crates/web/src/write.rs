//! The one way the web writes to the archive, shared by the workspace's
//! forms and the API: the store's own commands (`prepare_records`,
//! `prepare_amend`, `prepare_retract`) followed by one signed append, so
//! the web refuses exactly what the CLI refuses and bad input is never
//! stored. Writes are serialised in this process; the database's own lock
//! orders them against the CLI.
//!
//! Once the archive seals confidential records, a confidential record is
//! written only with a compartment the author holds a grant in, opened for
//! this one request ([`SealWith`]); without one it is refused as an input
//! error on `confidentiality`, before anything is appended.

use qantar_store::{Archive, InputError, InputErrors, Stamp, StoreError, StoredRecord};
use serde_json::Value;

use crate::sealed_view::Secret;
use crate::{AppState, WebError};

/// Why a confidential record without a compartment is refused once the
/// archive seals them.
pub const NEEDS_COMPARTMENT: &str = "this archive seals confidential records, and only a handler \
of a compartment can write one: choose the compartment and give your passphrase or key file \
below (your account must hold a grant in it), or choose restricted (nothing was saved)";

/// Ledger entry kind of a change to a web account's rights.
pub const ACCOUNT_CHANGED_KIND: &str = "audit.account_changed";

/// The compartment to seal a form's confidential records into, and the
/// secret that opens the author's grant in it.
pub struct SealWith {
    pub compartment: String,
    pub secret: Secret,
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The input was refused, field by field; nothing was written.
    #[error("{0}")]
    Input(InputErrors),
    /// No such record (or one the writer may not see).
    #[error("no record {0:?}")]
    NotFound(String),
    #[error("{0}")]
    Failed(String),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> WriteError {
        match e {
            StoreError::Input(i) => WriteError::Input(i),
            StoreError::NotFound(id) => WriteError::NotFound(id),
            // The store refuses to write a confidential record in clear
            // once sealing is on (e.g. a record made confidential through
            // the switch): the user's choice, not a fault of the archive.
            StoreError::Sealing(why) => WriteError::input("confidentiality", why),
            other => WriteError::Failed(other.to_string()),
        }
    }
}

impl From<WebError> for WriteError {
    fn from(e: WebError) -> WriteError {
        match e {
            WebError::Store(s) => s.into(),
            other => WriteError::Failed(other.to_string()),
        }
    }
}

impl WriteError {
    pub fn input(field: &str, reason: impl Into<String>) -> WriteError {
        WriteError::Input(InputErrors(vec![InputError {
            record: None,
            field: field.to_string(),
            reason: reason.into(),
        }]))
    }
}

/// RFC 3339 UTC with milliseconds, as the ledger's `time`.
pub fn now_rfc3339() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(d.as_secs() as i64, d.subsec_millis())
}

/// Seconds since 1970 (UTC) and milliseconds, as RFC 3339.
pub fn rfc3339(secs: i64, millis: u32) -> String {
    qantar_model::time::format_utc(secs, millis)
}

impl AppState {
    /// Run `f` with the archive open for writing, one writer at a time.
    pub(crate) async fn with_archive<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Archive) -> Result<T, WriteError> + Send + 'static,
    ) -> Result<T, WriteError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let _guard = inner
                .writer
                .lock()
                .map_err(|_| WriteError::Failed("a previous write panicked".into()))?;
            let mut archive = Archive::open(&inner.dir)?;
            let out = f(&mut archive);
            // The next public page must see this write at once.
            inner.forget_freshness();
            out
        })
        .await
        .map_err(|e| WriteError::Failed(e.to_string()))?
    }

    /// Record new records (one or many, referencing each other by `ref`).
    /// Returns their ids in input order.
    pub async fn record(
        &self,
        records: Vec<Value>,
        author: &str,
    ) -> Result<Vec<String>, WriteError> {
        self.record_sealed(records, author, None).await
    }

    /// [`AppState::record`], sealing the confidential records into
    /// `seal`'s compartment when the archive seals them. The author is the
    /// handler whose grant `seal` opens. The key is opened only when a
    /// confidential record needs it, and dropped before this returns.
    pub async fn record_sealed(
        &self,
        records: Vec<Value>,
        author: &str,
        seal: Option<SealWith>,
    ) -> Result<Vec<String>, WriteError> {
        let author = author.to_string();
        self.with_archive(move |a| {
            let drafts = a.store.prepare_records(&records, &mut uuid::Uuid::now_v7)?;
            let ids = drafts.iter().filter_map(|d| d.record.clone()).collect();
            let stamp = Stamp {
                author: author.clone(),
                time: now_rfc3339(),
            };
            // Drafts come in input order, one per record, so the position
            // names the input record as the store's own errors do.
            let confidential: Vec<String> = drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| d.confidentiality == "confidential")
                .map(
                    |(i, _)| match records[i].get("ref").and_then(Value::as_str) {
                        Some(r) => format!("records[{i}] ({r})"),
                        None => format!("records[{i}]"),
                    },
                )
                .collect();
            if confidential.is_empty() || !a.store.sealing_enabled()? {
                a.append(drafts, &stamp)?;
                return Ok(ids);
            }
            let Some(seal) = seal else {
                return Err(WriteError::Input(InputErrors(
                    confidential
                        .iter()
                        .map(|label| InputError {
                            record: (records.len() > 1).then(|| label.clone()),
                            field: "confidentiality".into(),
                            reason: NEEDS_COMPARTMENT.into(),
                        })
                        .collect(),
                )));
            };
            let keys =
                crate::sealed_view::unlock(&a.store, &seal.compartment, &author, &seal.secret)
                    .map_err(WriteError::from)?;
            a.append_sealed(drafts, &stamp, &keys)?;
            Ok(ids)
        })
        .await
    }

    /// Apply a JSON merge patch to a record the author may read.
    pub async fn amend(
        &self,
        id: &str,
        patch: Value,
        reason: Option<String>,
        author: &str,
        can_read: impl Fn(&str) -> bool + Send + 'static,
    ) -> Result<String, WriteError> {
        let (id, author) = (id.to_string(), author.to_string());
        self.with_archive(move |a| {
            let current = a
                .store
                .get(&id)?
                .filter(|r| can_read(&r.confidentiality))
                .ok_or_else(|| WriteError::NotFound(id.clone()))?;
            let d = a
                .store
                .prepare_amend(&current.id, &patch, reason.as_deref())?;
            a.append(
                vec![d],
                &Stamp {
                    author,
                    time: now_rfc3339(),
                },
            )?;
            Ok(current.id)
        })
        .await
    }

    /// Withdraw a record the author may read.
    pub async fn retract(
        &self,
        id: &str,
        reason: &str,
        author: &str,
        can_read: impl Fn(&str) -> bool + Send + 'static,
    ) -> Result<String, WriteError> {
        let (id, reason, author) = (id.to_string(), reason.to_string(), author.to_string());
        self.with_archive(move |a| {
            let current = a
                .store
                .get(&id)?
                .filter(|r| can_read(&r.confidentiality))
                .ok_or_else(|| WriteError::NotFound(id.clone()))?;
            let d = a.store.prepare_retract(&current.id, &reason)?;
            a.append(
                vec![d],
                &Stamp {
                    author,
                    time: now_rfc3339(),
                },
            )?;
            Ok(current.id)
        })
        .await
    }

    /// Append the public version of a record in clear
    /// ([`crate::redaction`]: the sensitive fields dropped, consent obeyed).
    /// A sealed original is redacted with `qantar redact`, which unseals it
    /// with the handler's key; here it is refused. Returns the new id.
    pub async fn redact(
        &self,
        id: &str,
        author: &str,
        can_read: impl Fn(&str) -> bool + Send + 'static,
    ) -> Result<String, WriteError> {
        let (id, author) = (id.to_string(), author.to_string());
        self.with_archive(move |a| {
            a.store
                .get(&id)?
                .filter(|r| can_read(&r.confidentiality))
                .ok_or_else(|| WriteError::NotFound(id.clone()))?;
            let how = qantar_model::consent::Redaction::default();
            let plan = crate::redaction::plan(&a.store, &id, &how)?;
            if plan.stored.is_sealed() {
                return Err(WriteError::input(
                    "id",
                    "this record is sealed: make its public version with `qantar redact` and \
                     the handler's key (the reading is recorded); nothing was derived",
                ));
            }
            let derived = crate::redaction::derive(&plan, &plan.stored.data, &how)?;
            let drafts = a.store.prepare_records(
                std::slice::from_ref(&derived.input),
                &mut uuid::Uuid::now_v7,
            )?;
            let new_id = drafts[0].record.clone().unwrap_or_default();
            a.append(
                drafts,
                &Stamp {
                    author,
                    time: now_rfc3339(),
                },
            )?;
            Ok(new_id)
        })
        .await
    }

    /// Record a change of who may do what (made on the accounts page) in
    /// the ledger as an [`ACCOUNT_CHANGED_KIND`] entry: the account, the
    /// change and who made it (also the entry's author). Never a password,
    /// token or second-factor secret. `restricted`, like the store's own
    /// permission entries: reviewers see it, the public site does not.
    pub async fn audit_account_change(
        &self,
        by: &str,
        account: &str,
        change: &str,
        detail: Option<(&str, &str)>,
    ) -> Result<(), WriteError> {
        let mut payload = serde_json::json!({ "account": account, "change": change, "by": by });
        if let Some((key, value)) = detail {
            payload[key] = Value::from(value);
        }
        let author = by.to_string();
        self.with_archive(move |a| {
            a.append(
                vec![qantar_store::Draft {
                    kind: ACCOUNT_CHANGED_KIND.into(),
                    record: None,
                    confidentiality: "restricted".into(),
                    payload,
                    parsed: None,
                }],
                &Stamp {
                    author,
                    time: now_rfc3339(),
                },
            )?;
            Ok(())
        })
        .await
    }

    /// One record as the projection holds it, retracted or not.
    pub async fn stored(&self, id: &str) -> Result<Option<StoredRecord>, WebError> {
        let id = id.to_string();
        self.with_store(move |s| s.get(&id).map_err(WebError::from))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn instants_format_as_rfc3339() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        // 2000-02-29 (a leap day in a century leap year), 12:34:56.
        assert_eq!(rfc3339(951_827_696, 7), "2000-02-29T12:34:56.007Z");
        // Midnight at the start of 5 January 2022.
        assert_eq!(rfc3339(1_641_340_800, 999), "2022-01-05T00:00:00.999Z");
        assert_eq!(rfc3339(4_107_542_399, 0), "2100-02-28T23:59:59.000Z");
    }
}
