//! Sealed confidential records (issue 6): where `qantar-seal`'s pieces are
//! kept, and the store operations that use them.
//!
//! Sealing is opt-in: it starts when the archive's first compartment is
//! created. From then on every *record-carrying* draft (`<kind>.recorded`,
//! `<kind>.amended`) marked `confidential` must be written with a
//! compartment unlocked ([`Store::append_sealed`]); plain [`Store::append`]
//! refuses it rather than write it in clear. An archive with no compartment
//! behaves exactly as before.
//!
//! # What goes where
//!
//! - The ledger entry keeps its envelope (seq, time, author, kind, record
//!   id, confidentiality) and its payload becomes
//!   `{"sealed":{"ct":…,"nonce":…,"v":1},"version":N}`: the whole payload
//!   (for an amendment, the new version *and* its reason) encrypted under
//!   the record's data key and bound to `Aad{record, "payload", N}`, where
//!   `N` is the record version (1 when recorded, +1 per amendment). The
//!   Merkle leaf is over these bytes, so mirrors verify what they cannot
//!   read.
//! - The key tables (`compartments`, `grants`, `record_keys`, migration
//!   `0002_keys.sql`) hold the wrapped keys. They are not ledger tables and
//!   not in the projection digest, because rotation replaces their rows and
//!   erasure deletes them; the ledger can do neither.
//! - The projection row of a sealed record keeps only what its ledger entry
//!   already shows in clear: id, kind, confidentiality, version, created
//!   and updated seq and time, retraction. `ref` and every index column
//!   (place, parent, dates, act type, status, type term) are NULL, the
//!   label is [`SEALED_LABEL`], `data` is the sealed payload, and it has no
//!   links. A ref names people (`p-ermek-abdreshev`) and a place or date
//!   narrows who a witness is, so none is kept: sealed records are found
//!   and referenced by UUID only. The kind stays so that references to a
//!   sealed person or source still check their kind.
//!
//! Not sealed, by design: retraction reasons (`record.retracted` carries a
//! free-text reason in clear; say nothing identifying there), the audit
//! and erasure entries (they carry no content), and entries written before
//! a record became confidential or before sealing was set up (the ledger
//! only grows; those stay as they were).

use qantar_ledger::{Entry, NoteSigner};
use qantar_seal::{
    Aad, CompartmentKey, Kek, KekSpec, KeyBackup, Sealed, WrappedDataKey, Zeroizing,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::db::{Db, Param};
use crate::{Draft, Receipt, Stamp, Store, StoreError, StoredRecord};

/// Label of a sealed record in the projection.
pub const SEALED_LABEL: &str = "[sealed]";
/// Label of a crypto-erased record in the projection.
pub const ERASED_LABEL: &str = "[erased]";
/// The `field` of every payload's [`Aad`]: the whole payload is one value.
pub const PAYLOAD_FIELD: &str = "payload";
/// Entry kind of the tombstone of a crypto-erased record.
pub const ERASED_KIND: &str = "record.erased";
/// Entry kind of the audit entry written for every unsealing.
pub const UNSEALED_KIND: &str = "audit.unsealed";
/// Handler name of a compartment key that came from a key backup.
pub const BACKUP_HANDLER: &str = "key-backup";

/// What to tell people before they create a compartment or hold its keys.
pub const LOST_KEY_WARNING: &str = "If every handler of a compartment loses their passphrase or \
key file AND no key backup of it can be opened, every sealed record in that compartment is \
lost for good: there is no recovery, no reset and no back door. Keep a key backup under an \
escrow passphrase or key file, in more than one place, and test restoring it.";

/// A compartment key, opened by one handler (or from a key backup). Held
/// in memory only, wiped when dropped; it never reaches the database.
pub struct Unlocked {
    ck: CompartmentKey,
    handler: String,
}

impl Unlocked {
    pub fn compartment(&self) -> &str {
        self.ck.name()
    }

    /// Who opened it ([`BACKUP_HANDLER`] when restored from a backup).
    pub fn handler(&self) -> &str {
        &self.handler
    }

    /// Public id of the key generation.
    pub fn fingerprint(&self) -> String {
        self.ck.fingerprint()
    }
}

impl std::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unlocked")
            .field("compartment", &self.compartment())
            .field("handler", &self.handler)
            .finish_non_exhaustive()
    }
}

/// A compartment as the key tables describe it.
#[derive(Clone, Debug, Serialize)]
pub struct CompartmentInfo {
    pub name: String,
    pub created_at: String,
    /// The current key generation.
    pub fingerprint: String,
    pub handlers: Vec<String>,
    /// Records whose data key is wrapped under it (erased ones excluded).
    pub records: u64,
}

/// Why a record was erased. A fixed list, not free text: the tombstone is
/// permanent and public to every mirror, and a sentence there could say
/// what the erased record was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErasureReason {
    ConsentWithdrawn,
    Safety,
    LegalOrder,
    Mistake,
}

impl ErasureReason {
    pub const ALL: [ErasureReason; 4] = [
        Self::ConsentWithdrawn,
        Self::Safety,
        Self::LegalOrder,
        Self::Mistake,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConsentWithdrawn => "consent_withdrawn",
            Self::Safety => "safety",
            Self::LegalOrder => "legal_order",
            Self::Mistake => "mistake",
        }
    }
}

impl std::str::FromStr for ErasureReason {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, StoreError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                crate::InputErrors::one(
                    "reason",
                    "use consent_withdrawn, safety, legal_order or mistake",
                )
                .into()
            })
    }
}

/// What a key backup gave back.
#[derive(Debug)]
pub struct RestoredKeys {
    /// Current key generations: usable now (e.g. to grant a new handler).
    pub unlocked: Vec<Unlocked>,
    /// Compartments rotated since the backup: their data keys are under a
    /// newer key, so this backup no longer opens them.
    pub stale: Vec<String>,
    /// Compartments this archive does not have.
    pub unknown: Vec<String>,
}

/// Does the archive seal confidential records (has any compartment)?
pub(crate) fn enabled(db: &Db) -> Result<bool, StoreError> {
    Ok(db
        .query_opt("SELECT 1 FROM compartments LIMIT 1", &[])?
        .is_some())
}

/// Whether this draft must be sealed: a confidential record version.
fn carries_confidential_record(draft: &Draft) -> bool {
    draft.confidentiality == "confidential"
        && draft.record.is_some()
        && draft.kind.split_once('.').is_some_and(|(kind, action)| {
            !matches!(kind, "record" | "audit" | "archive")
                && matches!(action, "recorded" | "amended")
        })
}

/// Is this entry payload a sealed one?
pub(crate) fn is_sealed_payload(payload: &Value) -> bool {
    payload.get("sealed").is_some()
}

/// The sealed payload and its record version, read back from an entry.
pub(crate) fn sealed_parts(payload: &Value) -> Result<(Sealed, u64), String> {
    let sealed = payload
        .get("sealed")
        .ok_or("the payload is not sealed")?
        .to_string();
    let sealed = Sealed::from_json(&sealed).map_err(|e| e.to_string())?;
    let version = payload
        .get("version")
        .and_then(Value::as_u64)
        .filter(|v| *v >= 1)
        .ok_or("a sealed payload needs its record version (a positive integer)")?;
    if payload.as_object().map(|o| o.len()) != Some(2) {
        return Err("a sealed payload has only `sealed` and `version`".into());
    }
    Ok((sealed, version))
}

/// The projection's `data` for a sealed payload: its canonical text.
pub(crate) fn sealed_data(sealed: &Sealed, version: u64) -> String {
    format!(r#"{{"sealed":{},"version":{version}}}"#, sealed.to_json())
}

fn wrapped_row(db: &Db, record: &str) -> Result<Option<WrappedDataKey>, StoreError> {
    db.query_opt(
        "SELECT wrapped_json FROM record_keys WHERE record = ?1",
        &[Param::Text(record)],
    )?
    .map(|r| -> Result<_, StoreError> {
        WrappedDataKey::from_json(&r.text(0)?).map_err(|e| StoreError::Corrupt {
            seq: None,
            what: format!("the key-table row of record {record} is damaged: {e}"),
        })
    })
    .transpose()
}

/// Inside the append transaction: the sealed payload for `draft`, or
/// `None` when it is written as it is. Creates the record's data key (and
/// its key-table row) on its first sealed version.
pub(crate) fn seal_draft(
    db: &Db,
    sealing_on: bool,
    keys: Option<&Unlocked>,
    draft: &Draft,
) -> Result<Option<Value>, StoreError> {
    if !sealing_on || !carries_confidential_record(draft) {
        return Ok(None);
    }
    let id = draft.record.as_deref().unwrap_or_default();
    let Some(keys) = keys else {
        return Err(StoreError::Sealing(format!(
            "record {id} is confidential and this archive seals confidential records: unlock a \
             compartment to write it (nothing was written)"
        )));
    };
    let dek = match wrapped_row(db, id)? {
        Some(row) if row.compartment() != keys.compartment() => {
            return Err(StoreError::Sealing(format!(
                "record {id} is sealed in compartment {}; unlock that compartment to write it \
                 (nothing was written)",
                row.compartment()
            )));
        }
        Some(row) => qantar_seal::open_data_key(&keys.ck, &row, id)?,
        None => {
            let dek = qantar_seal::DataKey::generate(id)?;
            let row = qantar_seal::wrap_data_key(&keys.ck, &dek)?;
            db.exec(
                "INSERT INTO record_keys (record, compartment, wrapped_json) VALUES (?1, ?2, ?3)",
                &[
                    Param::Text(id),
                    Param::Text(keys.compartment()),
                    Param::Text(&row.to_json()),
                ],
            )?;
            dek
        }
    };
    let version = if draft.kind.ends_with(".amended") {
        // The projection is current inside the transaction, even for
        // earlier drafts of this batch.
        db.query_opt(
            "SELECT version FROM records WHERE id = ?1",
            &[Param::Text(id)],
        )?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?
        .u64(0)?
            + 1
    } else {
        1
    };
    let plain =
        Zeroizing::new(serde_json::to_vec(&draft.payload).map_err(|e| {
            StoreError::Archive(format!("cannot serialise the payload of {id}: {e}"))
        })?);
    let sealed = qantar_seal::seal(&dek, &Aad::new(id, PAYLOAD_FIELD, version), &plain)?;
    let text = sealed_data(&sealed, version);
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Archive(format!("cannot build the sealed payload: {e}")))
}

/// Copy the key tables, for [`Store::copy_into`] (inside its transaction).
pub(crate) fn copy_key_tables(from: &Db, to: &Db) -> Result<(), StoreError> {
    for r in from.query(
        "SELECT name, created_at, fingerprint FROM compartments",
        &[],
    )? {
        let (a, b, c) = (r.text(0)?, r.text(1)?, r.text(2)?);
        to.exec(
            "INSERT INTO compartments (name, created_at, fingerprint) VALUES (?1, ?2, ?3)",
            &[Param::Text(&a), Param::Text(&b), Param::Text(&c)],
        )?;
    }
    for r in from.query("SELECT compartment, handler, grant_json FROM grants", &[])? {
        let (a, b, c) = (r.text(0)?, r.text(1)?, r.text(2)?);
        to.exec(
            "INSERT INTO grants (compartment, handler, grant_json) VALUES (?1, ?2, ?3)",
            &[Param::Text(&a), Param::Text(&b), Param::Text(&c)],
        )?;
    }
    for r in from.query(
        "SELECT record, compartment, wrapped_json FROM record_keys",
        &[],
    )? {
        let (a, b, c) = (r.text(0)?, r.text(1)?, r.text(2)?);
        to.exec(
            "INSERT INTO record_keys (record, compartment, wrapped_json) VALUES (?1, ?2, ?3)",
            &[Param::Text(&a), Param::Text(&b), Param::Text(&c)],
        )?;
    }
    Ok(())
}

fn no_compartment(name: &str) -> StoreError {
    StoreError::Sealing(format!(
        "this archive has no compartment {name:?}; list them with `qantar keys list`"
    ))
}

impl Store {
    /// Whether the archive seals confidential records (it has a compartment).
    pub fn sealing_enabled(&self) -> Result<bool, StoreError> {
        enabled(self.db())
    }

    /// Every compartment with its handlers and record count, by name.
    pub fn compartments(&self) -> Result<Vec<CompartmentInfo>, StoreError> {
        let db = self.db();
        let mut out = Vec::new();
        for r in db.query(
            "SELECT name, created_at, fingerprint FROM compartments ORDER BY name",
            &[],
        )? {
            let name = r.text(0)?;
            let handlers = db
                .query(
                    "SELECT handler FROM grants WHERE compartment = ?1 ORDER BY handler",
                    &[Param::Text(&name)],
                )?
                .iter()
                .map(|h| h.text(0))
                .collect::<Result<_, _>>()?;
            let records = db
                .query_one(
                    "SELECT COUNT(*) FROM record_keys WHERE compartment = ?1",
                    &[Param::Text(&name)],
                )?
                .u64(0)?;
            out.push(CompartmentInfo {
                name,
                created_at: r.text(1)?,
                fingerprint: r.text(2)?,
                handlers,
                records,
            });
        }
        Ok(out)
    }

    /// The compartment a sealed record's data key is under, if it has one
    /// (`None` for records in clear and for erased records).
    pub fn sealed_compartment(&self, target: &str) -> Result<Option<String>, StoreError> {
        let Some(known) = self.lookup(target)? else {
            return Err(StoreError::NotFound(target.to_string()));
        };
        Ok(wrapped_row(self.db(), &known.id)?.map(|w| w.compartment().to_string()))
    }

    /// Create a compartment with its first handler, who gets the key back
    /// unlocked. This switches sealing on for the whole archive (see the
    /// module docs). Show [`LOST_KEY_WARNING`] first, and make a key
    /// backup ([`Store::backup_keys`]) right after.
    pub fn create_compartment(
        &mut self,
        name: &str,
        first_handler: &str,
        kek: &Kek,
        created_at: &str,
    ) -> Result<Unlocked, StoreError> {
        let ck = CompartmentKey::generate(name)?;
        let grant = qantar_seal::grant(&ck, first_handler, kek)?;
        let db = self.db();
        let tx = db.begin_write()?;
        if db
            .query_opt(
                "SELECT 1 FROM compartments WHERE name = ?1",
                &[Param::Text(name)],
            )?
            .is_some()
        {
            return Err(StoreError::Sealing(format!(
                "compartment {name:?} already exists; grant it to more handlers instead"
            )));
        }
        db.exec(
            "INSERT INTO compartments (name, created_at, fingerprint) VALUES (?1, ?2, ?3)",
            &[
                Param::Text(name),
                Param::Text(created_at),
                Param::Text(&ck.fingerprint()),
            ],
        )?;
        db.exec(
            "INSERT INTO grants (compartment, handler, grant_json) VALUES (?1, ?2, ?3)",
            &[
                Param::Text(name),
                Param::Text(first_handler),
                Param::Text(&grant.to_json()),
            ],
        )?;
        tx.commit()?;
        Ok(Unlocked {
            ck,
            handler: first_handler.to_string(),
        })
    }

    fn grant_row(
        &self,
        compartment: &str,
        handler: &str,
    ) -> Result<qantar_seal::Grant, StoreError> {
        let db = self.db();
        let row = db.query_opt(
            "SELECT grant_json FROM grants WHERE compartment = ?1 AND handler = ?2",
            &[Param::Text(compartment), Param::Text(handler)],
        )?;
        let Some(row) = row else {
            if db
                .query_opt(
                    "SELECT 1 FROM compartments WHERE name = ?1",
                    &[Param::Text(compartment)],
                )?
                .is_none()
            {
                return Err(no_compartment(compartment));
            }
            return Err(StoreError::NoGrant {
                compartment: compartment.to_string(),
                handler: handler.to_string(),
            });
        };
        qantar_seal::Grant::from_json(&row.text(0)?).map_err(|e| StoreError::Corrupt {
            seq: None,
            what: format!("the grant of {compartment} to {handler} is damaged: {e}; grant anew"),
        })
    }

    /// How `handler` opens `compartment`: a passphrase (with the stored
    /// Argon2id parameters and salt) or which key file.
    pub fn grant_kek_spec(&self, compartment: &str, handler: &str) -> Result<KekSpec, StoreError> {
        Ok(self.grant_row(compartment, handler)?.kek_spec().clone())
    }

    fn current_fingerprint(&self, compartment: &str) -> Result<String, StoreError> {
        self.db()
            .query_opt(
                "SELECT fingerprint FROM compartments WHERE name = ?1",
                &[Param::Text(compartment)],
            )?
            .ok_or_else(|| no_compartment(compartment))?
            .text(0)
    }

    fn check_current(&self, keys: &Unlocked) -> Result<(), StoreError> {
        if self.current_fingerprint(keys.compartment())? != keys.fingerprint() {
            return Err(StoreError::Sealing(format!(
                "the key of compartment {} held here is an older generation (the compartment \
                 was rotated since it was unlocked); unlock it again",
                keys.compartment()
            )));
        }
        Ok(())
    }

    /// Open `compartment` as `handler` with their key-encryption key (from a
    /// key file, or [`Kek::derive`] with [`Store::grant_kek_spec`]). A wrong
    /// passphrase or key file is a clear error and changes nothing.
    pub fn unlock(
        &self,
        compartment: &str,
        handler: &str,
        kek: &Kek,
    ) -> Result<Unlocked, StoreError> {
        let grant = self.grant_row(compartment, handler)?;
        let ck = qantar_seal::open_grant(&grant, kek)?;
        let keys = Unlocked {
            ck,
            handler: handler.to_string(),
        };
        self.check_current(&keys)?;
        Ok(keys)
    }

    /// [`Store::unlock`] from a passphrase (one Argon2id run).
    pub fn unlock_with_passphrase(
        &self,
        compartment: &str,
        handler: &str,
        passphrase: &str,
    ) -> Result<Unlocked, StoreError> {
        let spec = self.grant_kek_spec(compartment, handler)?;
        let kek = Kek::derive(&spec, passphrase)?;
        self.unlock(compartment, handler, &kek)
    }

    /// Grant the unlocked compartment to `handler` (or replace their grant,
    /// e.g. after they change passphrase). Only a holder of the key can
    /// grant it; roles play no part.
    pub fn grant(&mut self, by: &Unlocked, handler: &str, kek: &Kek) -> Result<(), StoreError> {
        self.check_current(by)?;
        let grant = qantar_seal::grant(&by.ck, handler, kek)?;
        let db = self.db();
        db.secure_delete(true)?;
        let written = db.exec(
            "INSERT INTO grants (compartment, handler, grant_json) VALUES (?1, ?2, ?3)
             ON CONFLICT (compartment, handler) DO UPDATE SET grant_json = excluded.grant_json",
            &[
                Param::Text(by.compartment()),
                Param::Text(handler),
                Param::Text(&grant.to_json()),
            ],
        );
        db.secure_delete(false)?;
        written?;
        Ok(())
    }

    /// Remove `handler`'s grant. The last grant cannot go (the compartment
    /// would be locked for good). A revoked handler who kept a copy of the
    /// key still has it: rotate the compartment to shut them out.
    pub fn revoke(&mut self, compartment: &str, handler: &str) -> Result<(), StoreError> {
        self.grant_row(compartment, handler)?;
        let db = self.db();
        let n = db
            .query_one(
                "SELECT COUNT(*) FROM grants WHERE compartment = ?1",
                &[Param::Text(compartment)],
            )?
            .u64(0)?;
        if n <= 1 {
            return Err(StoreError::Sealing(format!(
                "{handler:?} is the last handler of compartment {compartment:?}; grant it to \
                 someone else first, or its records could never be opened again"
            )));
        }
        db.secure_delete(true)?;
        let done = db.exec(
            "DELETE FROM grants WHERE compartment = ?1 AND handler = ?2",
            &[Param::Text(compartment), Param::Text(handler)],
        );
        db.secure_delete(false)?;
        done?;
        db.scrub_key_tables()
    }

    /// Append drafts as [`Store::append`] does, sealing every confidential
    /// record version into the unlocked compartment (a record already
    /// sealed must be in that compartment).
    pub fn append_sealed(
        &mut self,
        drafts: Vec<Draft>,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
        keys: &Unlocked,
    ) -> Result<Receipt, StoreError> {
        self.check_current(keys)?;
        self.append_inner(drafts, stamp, signer, origin, Some(keys), &mut |_| Ok(()))
    }

    /// The latest entry that carries a version of the record.
    fn latest_version_entry(&self, id: &str) -> Result<Option<Entry>, StoreError> {
        let seqs = self.db().query(
            "SELECT seq FROM record_entries WHERE record = ?1 ORDER BY seq DESC",
            &[Param::Text(id)],
        )?;
        for r in seqs {
            let e = self.entry(r.u64(0)?)?;
            if e.kind.ends_with(".recorded") || e.kind.ends_with(".amended") {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }

    fn erased_at(&self, record: &StoredRecord) -> Option<String> {
        record
            .data
            .get("erased")
            .and_then(|e| e.get("at"))
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// Read a record in clear. For a sealed record this needs its
    /// compartment unlocked and appends an `audit.unsealed` entry (record
    /// id, reader, handler; no content) **before** the plaintext is
    /// returned: no read goes unrecorded. Records in clear come back as
    /// [`Store::get`] gives them, with no audit entry.
    ///
    /// The returned record's `data`, `label` and `ref` are in clear; the
    /// caller must not write them anywhere (logs, caches, other tables).
    #[allow(clippy::too_many_arguments)]
    pub fn get_unsealed(
        &mut self,
        target: &str,
        keys: &Unlocked,
        reader: &str,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<StoredRecord, StoreError> {
        let mut record = self
            .get(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        if let Some(erased_at) = self.erased_at(&record) {
            return Err(StoreError::Erased {
                record: record.id,
                erased_at,
            });
        }
        if !record.is_sealed() {
            return Ok(record);
        }
        let id = record.id.clone();
        let row = wrapped_row(self.db(), &id)?.ok_or_else(|| {
            StoreError::Sealing(format!(
                "the data key of sealed record {id} is not in the key table (was the database \
                 restored from a copy without it?); it cannot be opened"
            ))
        })?;
        if row.compartment() != keys.compartment() {
            return Err(StoreError::Sealing(format!(
                "record {id} is sealed in compartment {}; unlock that compartment to read it",
                row.compartment()
            )));
        }
        self.check_current(keys)?;
        let entry = self
            .latest_version_entry(&id)?
            .ok_or_else(|| StoreError::Corrupt {
                seq: None,
                what: format!("record {id} has no recorded version in the ledger"),
            })?;
        let (sealed, version) =
            sealed_parts(&entry.payload).map_err(|what| StoreError::Corrupt {
                seq: Some(entry.seq),
                what,
            })?;
        let plain = qantar_seal::open(
            &keys.ck,
            &row,
            &sealed,
            &Aad::new(&id, PAYLOAD_FIELD, version),
        )?;
        let mut payload: Value =
            serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
                seq: Some(entry.seq),
                what: format!("the unsealed payload is not JSON: {e}"),
            })?;
        drop(plain);
        let body = if entry.kind.ends_with(".amended") {
            payload
                .get_mut("record")
                .map(Value::take)
                .unwrap_or(Value::Null)
        } else {
            payload
        };
        let parsed = qantar_model::Record::from_json(&body, &mut uuid::Uuid::nil).map_err(|e| {
            StoreError::Corrupt {
                seq: Some(entry.seq),
                what: format!("the unsealed record is not valid: {e}"),
            }
        })?;
        let audit = Draft {
            kind: UNSEALED_KIND.into(),
            record: Some(id),
            confidentiality: "restricted".into(),
            payload: json!({ "handler": keys.handler(), "reader": reader }),
            parsed: None,
        };
        self.append(vec![audit], stamp, signer, origin)?;
        record.label = parsed.index().label;
        record.r#ref = parsed.r#ref;
        record.data = body;
        Ok(record)
    }

    /// Crypto-erase a sealed record (e.g. consent withdrawn): its data key
    /// row is deleted and a `record.erased` tombstone appended, in one
    /// transaction. The tombstone names the record, the SHA-256 of each
    /// sealed version and of the destroyed key, the time and the reason
    /// code; nothing of the content. Needs no key: destroying is not
    /// reading. Afterwards nothing opens the record, with any key, and the
    /// projection shows it retracted, labelled [`ERASED_LABEL`].
    ///
    /// Copies of the database made before (backups, replicas) still hold
    /// the row; see `qantar_seal`'s "Erasure, honestly".
    pub fn erase_record(
        &mut self,
        target: &str,
        reason: ErasureReason,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<Receipt, StoreError> {
        let record = self
            .get(target)?
            .ok_or_else(|| StoreError::NotFound(target.to_string()))?;
        if let Some(erased_at) = self.erased_at(&record) {
            return Err(StoreError::Erased {
                record: record.id,
                erased_at,
            });
        }
        let id = record.id.clone();
        let Some(row) = wrapped_row(self.db(), &id)? else {
            return Err(StoreError::Sealing(format!(
                "record {id} is not sealed: its content is in the ledger in clear and cannot be \
                 crypto-erased; retract it instead"
            )));
        };
        let mut versions: Vec<(u64, Sealed)> = Vec::new();
        for r in self.db().query(
            "SELECT seq FROM record_entries WHERE record = ?1 ORDER BY seq",
            &[Param::Text(&id)],
        )? {
            let e = self.entry(r.u64(0)?)?;
            if is_sealed_payload(&e.payload) {
                let (sealed, version) =
                    sealed_parts(&e.payload).map_err(|what| StoreError::Corrupt {
                        seq: Some(e.seq),
                        what,
                    })?;
                versions.push((version, sealed));
            }
        }
        let pairs: Vec<(Aad<'_>, &Sealed)> = versions
            .iter()
            .map(|(v, s)| (Aad::new(&id, PAYLOAD_FIELD, *v), s))
            .collect();
        let erasure = qantar_seal::erase(row, &pairs, &stamp.time)?;
        let erasure: Value = serde_json::from_str(&erasure.to_json())
            .map_err(|e| StoreError::Archive(format!("cannot build the tombstone: {e}")))?;
        let draft = Draft {
            kind: ERASED_KIND.into(),
            record: Some(id.clone()),
            confidentiality: record.confidentiality.clone(),
            payload: json!({ "erasure": erasure, "reason": reason.as_str() }),
            parsed: None,
        };
        self.db().secure_delete(true)?;
        let receipt = self.append_inner(vec![draft], stamp, signer, origin, None, &mut |db| {
            let n = db.exec(
                "DELETE FROM record_keys WHERE record = ?1",
                &[Param::Text(&id)],
            )?;
            if n != 1 {
                return Err(StoreError::Sealing(format!(
                    "the key of record {id} changed while erasing; try again"
                )));
            }
            Ok(())
        });
        self.db().secure_delete(false)?;
        let receipt = receipt?;
        self.db().scrub_key_tables()?;
        Ok(receipt)
    }

    /// Rotate a compartment: a new key generation, every data key in it
    /// re-wrapped, and every grant replaced by grants of the new key to
    /// `handlers` (at least one). The ledger is not touched. Old grants and
    /// key backups stop working; make a new backup. Returns the new key,
    /// opened as the first handler listed.
    pub fn rotate_compartment(
        &mut self,
        keys: &Unlocked,
        handlers: &[(&str, &Kek)],
    ) -> Result<Unlocked, StoreError> {
        self.check_current(keys)?;
        let name = keys.compartment().to_string();
        let Some((first, _)) = handlers.first() else {
            return Err(StoreError::Sealing(format!(
                "name at least one handler for the new key of compartment {name:?}"
            )));
        };
        let new = CompartmentKey::generate(&name)?;
        let grants = handlers
            .iter()
            .map(|(h, kek)| Ok((h.to_string(), qantar_seal::grant(&new, h, kek)?.to_json())))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let db = self.db();
        db.secure_delete(true)?;
        let tx = db.begin_write()?;
        let result = (|| -> Result<(), StoreError> {
            let rows = db.query(
                "SELECT record, wrapped_json FROM record_keys WHERE compartment = ?1",
                &[Param::Text(&name)],
            )?;
            for r in rows {
                let record = r.text(0)?;
                let row =
                    WrappedDataKey::from_json(&r.text(1)?).map_err(|e| StoreError::Corrupt {
                        seq: None,
                        what: format!("the key-table row of record {record} is damaged: {e}"),
                    })?;
                let rewrapped = qantar_seal::rewrap(&row, &keys.ck, &new)?;
                db.exec(
                    "UPDATE record_keys SET wrapped_json = ?2 WHERE record = ?1",
                    &[Param::Text(&record), Param::Text(&rewrapped.to_json())],
                )?;
            }
            db.exec(
                "DELETE FROM grants WHERE compartment = ?1",
                &[Param::Text(&name)],
            )?;
            for (handler, json) in &grants {
                db.exec(
                    "INSERT INTO grants (compartment, handler, grant_json) VALUES (?1, ?2, ?3)",
                    &[Param::Text(&name), Param::Text(handler), Param::Text(json)],
                )?;
            }
            db.exec(
                "UPDATE compartments SET fingerprint = ?2 WHERE name = ?1",
                &[Param::Text(&name), Param::Text(&new.fingerprint())],
            )?;
            Ok(())
        })();
        let result = result.and_then(|()| tx.commit());
        db.secure_delete(false)?;
        result?;
        db.scrub_key_tables()?;
        Ok(Unlocked {
            ck: new,
            handler: first.to_string(),
        })
    }

    /// A key backup of the given (current) compartment keys, encrypted
    /// under `kek` (an escrow passphrase or key file). The caller writes
    /// the bytes to a file. It holds compartment keys only, so it never
    /// brings back an erased record; it stops working when the compartment
    /// is rotated.
    pub fn backup_keys(
        &self,
        keys: &[&Unlocked],
        created_at: &str,
        kek: &Kek,
    ) -> Result<Vec<u8>, StoreError> {
        for k in keys {
            self.check_current(k)?;
        }
        let backup = KeyBackup {
            created_at: created_at.to_string(),
            compartments: keys.iter().map(|k| k.ck.clone()).collect(),
        };
        Ok(qantar_seal::backup(&backup, kek)?)
    }

    /// Open a key backup. Nothing in the archive changes; grant the keys
    /// to handlers ([`Store::grant`]) to restore their access.
    pub fn restore_keys(&self, bytes: &[u8], kek: &Kek) -> Result<RestoredKeys, StoreError> {
        self.sort_restored(qantar_seal::restore(bytes, kek)?)
    }

    /// [`Store::restore_keys`] with the backup's passphrase.
    pub fn restore_keys_with_passphrase(
        &self,
        bytes: &[u8],
        passphrase: &str,
    ) -> Result<RestoredKeys, StoreError> {
        self.sort_restored(qantar_seal::restore_with_passphrase(bytes, passphrase)?)
    }

    fn sort_restored(&self, backup: KeyBackup) -> Result<RestoredKeys, StoreError> {
        let mut out = RestoredKeys {
            unlocked: Vec::new(),
            stale: Vec::new(),
            unknown: Vec::new(),
        };
        for ck in backup.compartments {
            let current = self
                .db()
                .query_opt(
                    "SELECT fingerprint FROM compartments WHERE name = ?1",
                    &[Param::Text(ck.name())],
                )?
                .map(|r| r.text(0))
                .transpose()?;
            match current {
                None => out.unknown.push(ck.name().to_string()),
                Some(f) if f != ck.fingerprint() => out.stale.push(ck.name().to_string()),
                Some(_) => out.unlocked.push(Unlocked {
                    ck,
                    handler: BACKUP_HANDLER.to_string(),
                }),
            }
        }
        Ok(out)
    }
}

impl StoredRecord {
    /// Whether the projection holds this record sealed (`data` is the
    /// sealed payload; read it with [`Store::get_unsealed`]).
    pub fn is_sealed(&self) -> bool {
        is_sealed_payload(&self.data)
    }

    /// Whether the record was crypto-erased.
    pub fn is_erased(&self) -> bool {
        self.data.get("erased").is_some()
    }
}
