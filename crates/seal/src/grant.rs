//! Grants: a compartment key wrapped for one named handler.

use serde::{Deserialize, Serialize};

use crate::aad::Context;
use crate::error::{IntegrityCheck, SealError};
use crate::kek::{Kek, KekSpec};
use crate::key::{CompartmentKey, check_compartment, check_text};
use crate::wrap::WrappedKey;

const GRANT_V: u8 = 1;

/// Compartment `compartment`'s key, wrapped under handler `handler`'s KEK.
/// Holding a grant and the handler's passphrase (or key file) is the only
/// way to obtain a compartment key; roles such as admin or editor have no
/// bearing here. The wrap is bound to the compartment and the handler, so a
/// grant relabelled to another handler does not open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    compartment: String,
    handler: String,
    kek: KekSpec,
    v: u8,
    wrapped: WrappedKey,
}

fn context(compartment: &str, handler: &str) -> Vec<u8> {
    let mut ctx = Context::new("grant");
    ctx.text(compartment).text(handler);
    ctx.finish()
}

impl Grant {
    pub fn compartment(&self) -> &str {
        &self.compartment
    }

    pub fn handler(&self) -> &str {
        &self.handler
    }

    /// How to obtain the KEK that opens this grant.
    pub fn kek_spec(&self) -> &KekSpec {
        &self.kek
    }

    /// Derives the handler's KEK from `passphrase` with the stored
    /// parameters and opens the grant. A handler with several grants should
    /// derive once ([`Kek::derive`]) and call [`open_grant`] for each.
    ///
    /// # Errors
    /// As [`Kek::derive`] and [`open_grant`].
    pub fn open_with_passphrase(&self, passphrase: &str) -> Result<CompartmentKey, SealError> {
        let kek = Kek::derive(&self.kek, passphrase)?;
        open_grant(self, &kek)
    }

    /// Canonical JSON (fields sorted, no whitespace).
    pub fn to_json(&self) -> String {
        // Strings, numbers and a tagged enum of those always serialise.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// # Errors
    /// [`SealError::Malformed`], [`SealError::UnsupportedVersion`],
    /// [`SealError::InvalidName`].
    pub fn from_json(text: &str) -> Result<Self, SealError> {
        let grant: Self = serde_json::from_str(text).map_err(|e| SealError::Malformed {
            what: "grant",
            reason: e.to_string(),
        })?;
        if grant.v != GRANT_V {
            return Err(SealError::UnsupportedVersion {
                what: "grant",
                found: u32::from(grant.v),
            });
        }
        check_compartment(&grant.compartment)?;
        check_text("handler", &grant.handler, 256)?;
        Ok(grant)
    }

    #[cfg(test)]
    pub(crate) fn set_handler(&mut self, handler: &str) {
        self.handler = handler.to_owned();
    }
}

/// Grants compartment key `ck` to `handler`, wrapped under their KEK.
///
/// # Errors
/// [`SealError::InvalidName`] for a bad handler name; [`SealError::Randomness`].
pub fn grant(ck: &CompartmentKey, handler: &str, kek: &Kek) -> Result<Grant, SealError> {
    check_text("handler", handler, 256)?;
    let wrapped = WrappedKey::wrap(&kek.key, &context(&ck.name, handler), &ck.key)?;
    Ok(Grant {
        compartment: ck.name.clone(),
        handler: handler.to_owned(),
        kek: kek.spec().clone(),
        v: GRANT_V,
        wrapped,
    })
}

/// Opens a grant with the handler's KEK.
///
/// # Errors
/// [`SealError::WrongPassphrase`] when a passphrase KEK does not open it,
/// [`SealError::WrongKeyFile`] for another key file,
/// [`SealError::KekMismatch`] for a KEK of the wrong kind or parameters,
/// [`SealError::Integrity`] when the right key file fails (the grant was
/// altered).
pub fn open_grant(grant: &Grant, kek: &Kek) -> Result<CompartmentKey, SealError> {
    kek.check_matches(&grant.kek)?;
    let key = grant
        .wrapped
        .unwrap_key(&kek.key, &context(&grant.compartment, &grant.handler))
        .ok_or_else(|| match grant.kek {
            KekSpec::Passphrase { .. } => SealError::WrongPassphrase {
                compartment: grant.compartment.clone(),
                handler: grant.handler.clone(),
            },
            KekSpec::KeyFile { .. } => SealError::Integrity(IntegrityCheck::Grant {
                compartment: grant.compartment.clone(),
                handler: grant.handler.clone(),
            }),
        })?;
    Ok(CompartmentKey {
        name: grant.compartment.clone(),
        key,
    })
}
