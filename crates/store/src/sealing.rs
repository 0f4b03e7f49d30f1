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
/// Entry kind of the audit entry for a new compartment (and its first handler).
pub const COMPARTMENT_CREATED_KIND: &str = "audit.compartment_created";
/// Entry kind of the audit entry for a grant (new, or replacing one).
pub const GRANTED_KIND: &str = "audit.granted";
/// Entry kind of the audit entry for a revoked grant.
pub const REVOKED_KIND: &str = "audit.revoked";
/// Entry kind of the audit entry for a compartment key rotation.
pub const ROTATED_KIND: &str = "audit.rotated";
/// Entry kind of the audit entry for a key backup opened against the archive.
pub const KEYS_RESTORED_KIND: &str = "audit.keys_restored";
/// Every audit entry kind starts with this.
pub const AUDIT_PREFIX: &str = "audit.";

/// Whether entries of this kind belong in the audit trail (`qantar
/// audit`): every `audit.*` entry (reads, exports, permission changes) and
/// the entries that take content away (erasure, retraction).
pub fn is_audit_kind(kind: &str) -> bool {
    kind.starts_with(AUDIT_PREFIX) || kind == ERASED_KIND || kind == "record.retracted"
}

/// The ledger entry of a permission change. `restricted`: names of
/// compartments and handlers are visible to every reviewer of the archive
/// (the second person R10 asks for) but not published. The payload never
/// holds key material or anything derived from a passphrase; a key
/// generation's fingerprint is already shown by `qantar seal list`.
fn audit_draft(kind: &str, payload: Value) -> Draft {
    Draft {
        kind: kind.into(),
        record: None,
        confidentiality: "restricted".into(),
        payload,
        parsed: None,
    }
}

/// How a grant is opened, without the key file's id or any KDF parameter.
fn opens_with(kek: &Kek) -> &'static str {
    match kek.spec() {
        KekSpec::Passphrase { .. } => "passphrase",
        KekSpec::KeyFile { .. } => "key-file",
    }
}

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
    ///
    /// The key-table rows and an `audit.compartment_created` entry (actor:
    /// the stamp's author) commit together or not at all.
    pub fn create_compartment(
        &mut self,
        name: &str,
        first_handler: &str,
        kek: &Kek,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<Unlocked, StoreError> {
        let ck = CompartmentKey::generate(name)?;
        let grant = qantar_seal::grant(&ck, first_handler, kek)?;
        let fingerprint = ck.fingerprint();
        let draft = audit_draft(
            COMPARTMENT_CREATED_KIND,
            json!({
                "compartment": name,
                "handler": first_handler,
                "actor": stamp.author,
                "fingerprint": fingerprint,
                "opens_with": opens_with(kek),
            }),
        );
        self.append_inner(vec![draft], stamp, signer, origin, None, &mut |db| {
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
                    Param::Text(&stamp.time),
                    Param::Text(&fingerprint),
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
            Ok(())
        })?;
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
    /// grant it; roles play no part. The grant row and its `audit.granted`
    /// entry (granted by whom, actor, whether it replaced a grant) commit
    /// together.
    pub fn grant(
        &mut self,
        by: &Unlocked,
        handler: &str,
        kek: &Kek,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<Receipt, StoreError> {
        self.check_current(by)?;
        let grant = qantar_seal::grant(&by.ck, handler, kek)?;
        let compartment = by.compartment();
        let replaced = self
            .db()
            .query_opt(
                "SELECT 1 FROM grants WHERE compartment = ?1 AND handler = ?2",
                &[Param::Text(compartment), Param::Text(handler)],
            )?
            .is_some();
        let draft = audit_draft(
            GRANTED_KIND,
            json!({
                "compartment": compartment,
                "handler": handler,
                "granted_by": by.handler(),
                "actor": stamp.author,
                "fingerprint": by.fingerprint(),
                "opens_with": opens_with(kek),
                "replaced": replaced,
            }),
        );
        let fingerprint = by.fingerprint();
        // A replaced grant's old row is overwritten with zeroes on SQLite.
        self.db().secure_delete(true)?;
        let written = self.append_inner(vec![draft], stamp, signer, origin, None, &mut |db| {
            // The key may have been rotated since `check_current`.
            let current = db
                .query_opt(
                    "SELECT fingerprint FROM compartments WHERE name = ?1",
                    &[Param::Text(compartment)],
                )?
                .map(|r| r.text(0))
                .transpose()?;
            if current.as_deref() != Some(fingerprint.as_str()) {
                return Err(StoreError::Sealing(format!(
                    "compartment {compartment} was rotated while granting; unlock it again"
                )));
            }
            db.exec(
                "INSERT INTO grants (compartment, handler, grant_json) VALUES (?1, ?2, ?3)
                 ON CONFLICT (compartment, handler) DO UPDATE SET grant_json = excluded.grant_json",
                &[
                    Param::Text(compartment),
                    Param::Text(handler),
                    Param::Text(&grant.to_json()),
                ],
            )?;
            Ok(())
        });
        self.db().secure_delete(false)?;
        let receipt = written?;
        if replaced {
            self.db().scrub_key_tables()?;
        }
        Ok(receipt)
    }

    /// Remove `handler`'s grant. The last grant cannot go (the compartment
    /// would be locked for good). A revoked handler who kept a copy of the
    /// key still has it: rotate the compartment to shut them out. The
    /// deletion and its `audit.revoked` entry commit together.
    pub fn revoke(
        &mut self,
        compartment: &str,
        handler: &str,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<Receipt, StoreError> {
        self.grant_row(compartment, handler)?;
        let last_handler = || {
            StoreError::Sealing(format!(
                "{handler:?} is the last handler of compartment {compartment:?}; grant it to \
                 someone else first, or its records could never be opened again"
            ))
        };
        let handlers = |db: &Db| -> Result<u64, StoreError> {
            db.query_one(
                "SELECT COUNT(*) FROM grants WHERE compartment = ?1",
                &[Param::Text(compartment)],
            )?
            .u64(0)
        };
        // Said before the write lock is taken; checked again under it.
        if handlers(self.db())? <= 1 {
            return Err(last_handler());
        }
        let fingerprint = self.current_fingerprint(compartment)?;
        let draft = audit_draft(
            REVOKED_KIND,
            json!({
                "compartment": compartment,
                "handler": handler,
                "actor": stamp.author,
                "fingerprint": fingerprint,
            }),
        );
        self.db().secure_delete(true)?;
        let done = self.append_inner(vec![draft], stamp, signer, origin, None, &mut |db| {
            if handlers(db)? <= 1 {
                return Err(last_handler());
            }
            let n = db.exec(
                "DELETE FROM grants WHERE compartment = ?1 AND handler = ?2",
                &[Param::Text(compartment), Param::Text(handler)],
            )?;
            if n != 1 {
                return Err(StoreError::NoGrant {
                    compartment: compartment.to_string(),
                    handler: handler.to_string(),
                });
            }
            Ok(())
        });
        self.db().secure_delete(false)?;
        let receipt = done?;
        self.db().scrub_key_tables()?;
        Ok(receipt)
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

    /// Open every current sealed record of `kind` whose key is in the
    /// unlocked compartment and hand each, in clear, to `f` (id, record
    /// JSON), in ledger order. For work that must compare content in memory
    /// and keep none of it, such as finding rows a list import already
    /// holds. One `audit.unsealed` entry (reader, handler, compartment,
    /// kind, how many records, `purpose`) is appended **before** the first
    /// record is opened; none when there is nothing to open. Returns how
    /// many records were opened.
    #[allow(clippy::too_many_arguments)]
    pub fn unseal_each(
        &mut self,
        kind: qantar_model::Kind,
        keys: &Unlocked,
        reader: &str,
        purpose: &str,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
        f: &mut dyn FnMut(&str, Value) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.check_current(keys)?;
        let params = [Param::Text(kind.as_str()), Param::Text(keys.compartment())];
        let n = self
            .db()
            .query_one(
                "SELECT COUNT(*) FROM records r JOIN record_keys k ON k.record = r.id
                  WHERE r.kind = ?1 AND k.compartment = ?2 AND r.retracted = 0",
                &params,
            )?
            .u64(0)?;
        if n == 0 {
            return Ok(0);
        }
        let audit = Draft {
            kind: UNSEALED_KIND.into(),
            record: None,
            confidentiality: "restricted".into(),
            payload: json!({
                "handler": keys.handler(),
                "reader": reader,
                "compartment": keys.compartment(),
                "kind": kind.as_str(),
                "records": n,
                "purpose": purpose,
            }),
            parsed: None,
        };
        self.append(vec![audit], stamp, signer, origin)?;
        let mut opened = 0;
        self.db().for_each(
            "SELECT r.id, r.data, k.wrapped_json, r.updated_seq FROM records r
               JOIN record_keys k ON k.record = r.id
              WHERE r.kind = ?1 AND k.compartment = ?2 AND r.retracted = 0
              ORDER BY r.created_seq",
            &params,
            |r| {
                let id = r.text(0)?;
                let seq = Some(r.u64(3)?);
                let fault = |what: String| StoreError::Corrupt { seq, what };
                let data: Value = serde_json::from_str(&r.text(1)?)
                    .map_err(|e| fault(format!("record {id} holds data that is not JSON: {e}")))?;
                let (sealed, version) = sealed_parts(&data).map_err(fault)?;
                let row = WrappedDataKey::from_json(&r.text(2)?).map_err(|e| {
                    fault(format!("the key-table row of record {id} is damaged: {e}"))
                })?;
                let plain = qantar_seal::open(
                    &keys.ck,
                    &row,
                    &sealed,
                    &Aad::new(&id, PAYLOAD_FIELD, version),
                )?;
                let mut payload: Value = serde_json::from_slice(&plain)
                    .map_err(|e| fault(format!("the unsealed payload is not JSON: {e}")))?;
                drop(plain);
                // An amendment's payload holds the new version beside its reason.
                let body = match payload.get_mut("record") {
                    Some(record) if version > 1 => record.take(),
                    _ => payload,
                };
                opened += 1;
                f(&id, body)
            },
        )?;
        Ok(opened)
    }

    /// Stream the audit trail (entries [`is_audit_kind`] accepts) from
    /// sequence number `since` on, in ledger order. Entries are parsed one
    /// at a time, so a large ledger is never held whole; most are skipped
    /// on a byte test before any parsing.
    pub fn audit_trail(
        &self,
        since: u64,
        mut f: impl FnMut(Entry) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // Canonical JSON writes `"kind":"…"` with no space; a payload may
        // hold the same bytes, so a hit is confirmed after parsing.
        let probes: [&[u8]; 3] = [
            b"\"kind\":\"audit.",
            b"\"kind\":\"record.erased\"",
            b"\"kind\":\"record.retracted\"",
        ];
        self.db().for_each(
            "SELECT seq, bytes FROM ledger_entries WHERE seq >= ?1 ORDER BY seq",
            &[Param::from(since)],
            |r| {
                let bytes = r.blob(1)?;
                if !probes
                    .iter()
                    .any(|p| bytes.windows(p.len()).any(|w| w == *p))
                {
                    return Ok(());
                }
                let entry =
                    Entry::from_canonical_bytes(bytes).map_err(|e| StoreError::Corrupt {
                        seq: r.u64(0).ok(),
                        what: e.to_string(),
                    })?;
                if is_audit_kind(&entry.kind) {
                    f(entry)?;
                }
                Ok(())
            },
        )
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
    /// `handlers` (at least one). The key tables change and an
    /// `audit.rotated` entry (old and new fingerprint, who keeps access,
    /// who lost it) is appended, in one transaction. Old grants and key
    /// backups stop working; make a new backup. Returns the new key, opened
    /// as the first handler listed.
    pub fn rotate_compartment(
        &mut self,
        keys: &Unlocked,
        handlers: &[(&str, &Kek)],
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
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
        let before: Vec<String> = self
            .db()
            .query(
                "SELECT handler FROM grants WHERE compartment = ?1 ORDER BY handler",
                &[Param::Text(&name)],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<_, _>>()?;
        let mut kept: Vec<&str> = handlers.iter().map(|(h, _)| *h).collect();
        kept.sort_unstable();
        kept.dedup();
        let dropped: Vec<&String> = before
            .iter()
            .filter(|h| !kept.contains(&h.as_str()))
            .collect();
        let rewrapped = self
            .db()
            .query_one(
                "SELECT COUNT(*) FROM record_keys WHERE compartment = ?1",
                &[Param::Text(&name)],
            )?
            .u64(0)?;
        let draft = audit_draft(
            ROTATED_KIND,
            json!({
                "compartment": name,
                "handler": keys.handler(),
                "actor": stamp.author,
                "old_fingerprint": keys.fingerprint(),
                "fingerprint": new.fingerprint(),
                "handlers": kept,
                "dropped": dropped,
                "records_rewrapped": rewrapped,
            }),
        );
        let old_fingerprint = keys.fingerprint();
        self.db().secure_delete(true)?;
        let result = self.append_inner(vec![draft], stamp, signer, origin, None, &mut |db| {
            let changed = db.exec(
                "UPDATE compartments SET fingerprint = ?2 WHERE name = ?1 AND fingerprint = ?3",
                &[
                    Param::Text(&name),
                    Param::Text(&new.fingerprint()),
                    Param::Text(&old_fingerprint),
                ],
            )?;
            if changed != 1 {
                return Err(StoreError::Sealing(format!(
                    "compartment {name} was rotated by someone else meanwhile; unlock it again"
                )));
            }
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
            Ok(())
        });
        self.db().secure_delete(false)?;
        result?;
        self.db().scrub_key_tables()?;
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

    /// Open a key backup. The key tables do not change; grant the keys to
    /// handlers ([`Store::grant`]) to restore their access. Opening a
    /// backup that holds a current key of this archive is itself recorded,
    /// as an `audit.keys_restored` entry naming the compartments and the
    /// actor: whoever opened it has had the key in hand. A backup that
    /// does not open, or opens only keys rotated away since (refused, so
    /// nothing is written), adds nothing.
    pub fn restore_keys(
        &mut self,
        bytes: &[u8],
        kek: &Kek,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<RestoredKeys, StoreError> {
        let backup = qantar_seal::restore(bytes, kek)?;
        self.record_restore(backup, stamp, signer, origin)
    }

    /// [`Store::restore_keys`] with the backup's passphrase.
    pub fn restore_keys_with_passphrase(
        &mut self,
        bytes: &[u8],
        passphrase: &str,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<RestoredKeys, StoreError> {
        let backup = qantar_seal::restore_with_passphrase(bytes, passphrase)?;
        self.record_restore(backup, stamp, signer, origin)
    }

    fn record_restore(
        &mut self,
        backup: KeyBackup,
        stamp: &Stamp,
        signer: &NoteSigner,
        origin: &str,
    ) -> Result<RestoredKeys, StoreError> {
        let backup_created = backup.created_at.clone();
        let restored = self.sort_restored(backup)?;
        if restored.unlocked.is_empty() {
            return Ok(restored);
        }
        let current: Vec<Value> = restored
            .unlocked
            .iter()
            .map(|k| json!({ "compartment": k.compartment(), "fingerprint": k.fingerprint() }))
            .collect();
        let draft = audit_draft(
            KEYS_RESTORED_KIND,
            json!({
                "actor": stamp.author,
                "backup_created_at": backup_created,
                "compartments": current,
                "stale": restored.stale,
            }),
        );
        self.append_inner(vec![draft], stamp, signer, origin, None, &mut |_| Ok(()))?;
        Ok(restored)
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

impl Store {
    /// The data key of sealed record `id`, opened with `keys`: for values
    /// sealed beside the record's versions under the same key (the file
    /// keys of its attachments, `crate::evidence`), so that rotating or
    /// erasing the record key covers them too.
    pub(crate) fn record_data_key(
        &self,
        id: &str,
        keys: &Unlocked,
    ) -> Result<qantar_seal::DataKey, StoreError> {
        self.check_current(keys)?;
        let row = wrapped_row(self.db(), id)?.ok_or_else(|| {
            StoreError::Sealing(format!(
                "record {id} has no data key in the key table (not sealed, or erased)"
            ))
        })?;
        if row.compartment() != keys.compartment() {
            return Err(StoreError::Sealing(format!(
                "record {id} is sealed in compartment {}; unlock that compartment",
                row.compartment()
            )));
        }
        Ok(qantar_seal::open_data_key(&keys.ck, &row, id)?)
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
