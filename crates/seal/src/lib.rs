//! Sealing of confidential payloads (issue 6): envelope encryption with
//! compartments, named handlers, key rotation, crypto-erasure and key
//! backups.
//!
//! Boundaries: this crate is pure. Callers pass bytes and get bytes; it
//! reads no files, no clock and no network. Its only contact with the
//! system is the random generator (`getrandom`) for keys and nonces. The
//! store decides where each piece is kept, the web and CLI decide who may
//! ask for what and read passphrases and key files.
//!
//! # Key hierarchy
//!
//! ```text
//! handler passphrase ──Argon2id──┐
//!          or key file ──────────┴─> KEK ──wraps──> compartment key (CK) ──wraps──> data key (DEK) ──seals──> value
//!                                    (Grant: one per              (one per            (WrappedDataKey:     (Sealed,
//!                                     handler × compartment)       compartment)        one per record)      in the ledger)
//! ```
//!
//! - A [`DataKey`] is random, **one per record**: every sealed field of every
//!   version of a record is under it. Consent withdrawal is about a record,
//!   so erasing that one key erases all of it; a key per version would make
//!   erasure a hunt for every version's key. Nonces are 24 random bytes, so
//!   reusing a key for many values is safe. A data key knows its record and
//!   refuses to seal another record's value.
//! - A [`CompartmentKey`] (e.g. `sources-almaty`) wraps the data keys of its
//!   records ([`wrap_data_key`]). Rotation is a new key generation for the
//!   same name plus [`rewrap`] of every data key and new grants.
//! - A [`Grant`] wraps a compartment key for one named handler under that
//!   handler's [`Kek`], from a passphrase (Argon2id, parameters and salt
//!   stored in the grant; [`KdfParams::DEFAULT`] is 64 MiB, t=3, p=1) or a
//!   key file ([`Kek::generate_key_file`]; versioned and checksummed, so a
//!   damaged file is [`KeyFileError::Damaged`], never a different key).
//!   Roles play no part: an admin or editor without a grant holds nothing
//!   that opens the compartment.
//!
//! # Where things live (a change from the first sketch)
//!
//! The first sketch put the wrapped data key inside [`Sealed`]. But the
//! ledger only grows and its leaves are hashes of entries: a key inside an
//! entry could be neither re-wrapped on rotation nor destroyed on erasure.
//! So the two are split:
//!
//! - [`Sealed`] (nonce + ciphertext, canonical JSON) goes in the ledger
//!   entry. It holds no key and no compartment name. Mirrors hash and
//!   verify it without being able to read it.
//! - [`WrappedDataKey`] is a row of a mutable key table outside the ledger.
//!   Rotation replaces the row; erasure deletes it and appends an
//!   [`Erasure`] tombstone entry. The ledger is never rewritten and sealed
//!   bytes never change.
//!
//! # A round
//!
//! ```
//! use qantar_seal::*;
//! # fn main() -> Result<(), SealError> {
//! # let kdf = KdfParams::new(256, 1, 1)?; // tiny for the example; use KdfParams::DEFAULT
//! // Once per compartment, and once per handler (the grant is stored).
//! let ck = CompartmentKey::generate("sources-almaty")?;
//! let aigerim = Kek::from_passphrase("six random words go right here", &kdf, &Salt::generate()?)?;
//! let g = grant(&ck, "aigerim", &aigerim)?;
//!
//! // Writing a record: a data key (its row goes in the key table) and
//! // sealed values (they go in the ledger entry).
//! let dek = DataKey::generate("0190c0de-0000-7000-8000-000000000001")?;
//! let row = wrap_data_key(&ck, &dek)?;
//! let aad = Aad::new(dek.record_id(), "identity.name", 1);
//! let sealed = seal(&dek, &aad, "Айгерим".as_bytes())?;
//! let leaf_bytes = sealed.to_json();
//!
//! // Reading it back as the handler.
//! let ck = g.open_with_passphrase("six random words go right here")?;
//! let plain = open(&ck, &row, &Sealed::from_json(&leaf_bytes)?, &aad)?;
//! assert_eq!(plain.as_slice(), "Айгерим".as_bytes());
//! # Ok(())
//! # }
//! ```
//!
//! # Binding
//!
//! Every ciphertext authenticates a length-prefixed context under the
//! domain `qantar-seal-v1` ([`Aad`]): a value is bound to its record id,
//! field path and version; a wrapped data key to its compartment and
//! record; a grant to its compartment and handler; a backup to its header.
//! The caller builds the [`Aad`] from the entry it is reading, so a
//! ciphertext copied elsewhere fails with [`SealError::Integrity`], which
//! names the record, field and version but nothing of the content.
//!
//! # What a stolen archive shows
//!
//! Someone holding the ledger, the key table and every grant and backup,
//! but no passphrase or key file, **cannot** read any sealed value, data
//! key or compartment key, nor tell whether two values are equal (each has
//! its own random nonce). Their only way in is guessing passphrases, each
//! guess costing an Argon2id run (64 MiB, 3 passes by default): a long
//! passphrase (six or more random words) is out of reach; a short one is not.
//!
//! They **can** learn:
//! - the length of every sealed value (ciphertext = plaintext + 16 bytes;
//!   no padding), hence rough hints such as "a long testimony";
//! - how many records, fields and versions are sealed, and which record ids
//!   and field paths (those are in the ledger entries around the values);
//! - compartment names, which records are in which compartment, handler
//!   names and who holds a grant to what (key table and grants), and the
//!   creation time of each backup — name compartments and handlers with
//!   that in mind;
//! - when each value was written and each key rotated or erased (ledger
//!   times, key-table changes), and which records were erased (tombstones).
//!
//! Timing: unsealing takes time proportional to the length, and a wrong key
//! fails before decrypting; neither reveals content. Tags are compared in
//! constant time by the cipher.
//!
//! # Losing keys
//!
//! If every handler of a compartment loses their passphrase or key file
//! **and** no key backup can be opened, the compartment key is gone, and
//! with it every sealed value in that compartment. There is no recovery,
//! no back door and no reset: the data is lost for good. Keep a [`backup`]
//! under an escrow passphrase or key file, in more than one place, outside
//! the jurisdiction, and test [`restore`] regularly.
//!
//! # Erasure, honestly
//!
//! [`erase`] consumes the wrapped data key and returns the tombstone; the
//! caller deletes the key-table row. The record is unreadable only once
//! every copy of that row is gone: replicas, and database backups made
//! before the erasure. Key backups hold compartment keys, not data keys, so
//! they never bring an erased record back — but an old database backup
//! plus a compartment key does. To close that door, rotate the compartment
//! after erasures and destroy old grants and key backups of the previous
//! generation.
//!
//! Key material is wiped from memory when dropped (`zeroize`), and unsealed
//! plaintext is returned as `Zeroizing<Vec<u8>>`. Copies the caller makes
//! (strings, rendered pages) are the caller's to guard.

mod aad;
mod backup;
mod datakey;
mod erasure;
mod error;
mod grant;
mod kek;
mod key;
mod sealed;
mod wrap;

#[cfg(test)]
mod tests;

pub use aad::{Aad, DOMAIN};
pub use backup::{KeyBackup, backup, backup_kek_spec, restore, restore_with_passphrase};
pub use datakey::{WrappedDataKey, open_data_key, rewrap, wrap_data_key};
pub use erasure::{ErasedPayload, Erasure, erase};
pub use error::{BackupError, IntegrityCheck, KeyFileError, SealError};
pub use grant::{Grant, grant, open_grant};
pub use kek::{KdfParams, Kek, KekSpec, Salt};
pub use key::{CompartmentKey, DataKey, SecretKey, check_compartment};
pub use sealed::{Sealed, seal, unseal};
pub use wrap::WrappedKey;
pub use zeroize::Zeroizing;

/// Opens one sealed value from its compartment key: the data key from its
/// key-table row, then the value.
///
/// # Errors
/// As [`open_data_key`] and [`unseal`].
pub fn open(
    ck: &CompartmentKey,
    wrapped: &WrappedDataKey,
    sealed: &Sealed,
    aad: &Aad<'_>,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let dek = open_data_key(ck, wrapped, aad.record_id)?;
    unseal(&dek, sealed, aad)
}
