//! The eleven kinds of record and the three confidentiality levels.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a record is. The order is the order of the record-format contract and
/// is used wherever kinds are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Event,
    Act,
    Place,
    Source,
    Claim,
    Proceeding,
    Relationship,
    /// One row of an imported list of victims, as the list wrote it.
    ListEntry,
    /// A reviewer's decision that two records are, or are not, one person.
    LinkDecision,
    /// What a person (or the giver of a testimony) agreed to: who may see
    /// the record about them, and whether named or anonymised.
    Consent,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Person,
        Kind::Event,
        Kind::Act,
        Kind::Place,
        Kind::Source,
        Kind::Claim,
        Kind::Proceeding,
        Kind::Relationship,
        Kind::ListEntry,
        Kind::LinkDecision,
        Kind::Consent,
    ];

    /// The name used in JSON (`"kind": "person"`) and in entry kinds
    /// (`person.recorded`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Event => "event",
            Kind::Act => "act",
            Kind::Place => "place",
            Kind::Source => "source",
            Kind::Claim => "claim",
            Kind::Proceeding => "proceeding",
            Kind::Relationship => "relationship",
            Kind::ListEntry => "list_entry",
            Kind::LinkDecision => "link_decision",
            Kind::Consent => "consent",
        }
    }

    /// The plural, as used in command lines (`qantar list persons`) and URLs.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Person => "persons",
            Kind::Event => "events",
            Kind::Act => "acts",
            Kind::Place => "places",
            Kind::Source => "sources",
            Kind::Claim => "claims",
            Kind::Proceeding => "proceedings",
            Kind::Relationship => "relationships",
            Kind::ListEntry => "list_entries",
            Kind::LinkDecision => "link_decisions",
            Kind::Consent => "consents",
        }
    }

    /// The name with its English article, for messages: "an act", "a person".
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Person => "a person",
            Kind::Event => "an event",
            Kind::Act => "an act",
            Kind::Place => "a place",
            Kind::Source => "a source",
            Kind::Claim => "a claim",
            Kind::Proceeding => "a proceeding",
            Kind::Relationship => "a relationship",
            Kind::ListEntry => "a list entry",
            Kind::LinkDecision => "a link decision",
            Kind::Consent => "a consent record",
        }
    }

    /// The fields that identify a person or a source: what redaction
    /// drops from a derived public record unless told to keep it. Required
    /// fields among them (a person's `names`, a source's `title`) are
    /// replaced by a neutral placeholder instead, since the record needs
    /// one. Kinds whose identifying content is only references (acts point
    /// to a victim, relationships to persons) have none: the public
    /// snapshot cuts references to hidden records already.
    pub fn sensitive_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Person => &["names", "birth_date", "residence", "occupation", "portrait"],
            // The author of a testimony is the informant; its url or
            // archive locator leads to the recording; `received` and
            // `reported_in` say when and through whom it came.
            Kind::Source => &["title", "author", "url", "received", "reported_in"],
            Kind::Act => &["description"],
            Kind::Event => &[],
            Kind::Place => &[],
            Kind::Claim => &["claimant"],
            Kind::Proceeding => &["title", "charge"],
            Kind::Relationship => &[],
            Kind::ListEntry => &["values", "fields"],
            Kind::LinkDecision => &["reason"],
            Kind::Consent => &["partners"],
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not the name of a kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind \"{0}\"; expected one of: person, event, act, place, source, claim, proceeding, relationship, list_entry, link_decision, consent (or the plural)"
)]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.plural() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Who may read a record. Ordered by secrecy, so `max` gives the stricter of
/// two levels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidentiality {
    /// May be published.
    Public,
    /// Staff only. The default for new material.
    #[default]
    Restricted,
    /// Sealed: readable only by named handlers.
    Confidential,
}

impl Confidentiality {
    pub const ALL: [Confidentiality; 3] = [
        Confidentiality::Public,
        Confidentiality::Restricted,
        Confidentiality::Confidential,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidentiality::Public => "public",
            Confidentiality::Restricted => "restricted",
            Confidentiality::Confidential => "confidential",
        }
    }
}

impl fmt::Display for Confidentiality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not a confidentiality level.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown confidentiality \"{0}\"; expected one of: public, restricted, confidential")]
pub struct UnknownConfidentiality(pub String);

impl FromStr for Confidentiality {
    type Err = UnknownConfidentiality;
    fn from_str(s: &str) -> Result<Confidentiality, UnknownConfidentiality> {
        Confidentiality::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownConfidentiality(s.to_owned()))
    }
}

impl Serialize for Confidentiality {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Confidentiality {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Confidentiality, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_singular_and_plural() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>(), Ok(k));
            assert_eq!(k.plural().parse::<Kind>(), Ok(k));
        }
        let err = "persone".parse::<Kind>().unwrap_err().to_string();
        assert!(
            err.contains("\"persone\"") && err.contains("relationship"),
            "{err}"
        );
    }

    #[test]
    fn confidentiality_is_ordered_by_secrecy() {
        assert!(Confidentiality::Public < Confidentiality::Restricted);
        assert!(Confidentiality::Restricted < Confidentiality::Confidential);
        assert_eq!(Confidentiality::default(), Confidentiality::Restricted);
        for c in Confidentiality::ALL {
            assert_eq!(c.as_str().parse::<Confidentiality>(), Ok(c));
        }
        assert!("secret".parse::<Confidentiality>().is_err());
    }
}
