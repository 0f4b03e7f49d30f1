//! Controlled vocabularies: the closed lists of terms that fields such as
//! `act_type`, `means` or `metric` draw from, with labels in English,
//! Russian and Kazakh.
//!
//! The lists are data, not code: one TOML file per vocabulary in
//! `crates/model/vocab/`, embedded at compile time and parsed on first use.
//! A term id, once used in the ledger, must never be renamed or removed:
//! old entries are replayed through the same validation.

use std::sync::OnceLock;

use serde::Deserialize;

/// One term of a vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The stable identifier stored in records, e.g. `rubber_bullet`.
    pub id: String,
    pub en: String,
    pub ru: String,
    pub kk: String,
    /// What the term covers, where the label alone could mislead.
    #[serde(default)]
    pub description_en: Option<String>,
}

impl Term {
    /// The label in `lang` (`en`, `ru`, `kk`); English for any other language.
    pub fn label(&self, lang: &str) -> &str {
        match lang {
            "ru" => &self.ru,
            "kk" => &self.kk,
            _ => &self.en,
        }
    }
}

/// A named list of terms, in the order the file gives them (which is the
/// order forms and reports should show them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocabulary {
    pub name: String,
    pub terms: Vec<Term>,
}

impl Vocabulary {
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    /// The label of term `id` in `lang`, falling back to English for a
    /// language the vocabularies do not carry.
    pub fn label(&self, id: &str, lang: &str) -> Option<&str> {
        self.term(id).map(|t| t.label(lang))
    }

    pub fn contains(&self, id: &str) -> bool {
        self.term(id).is_some()
    }

    /// The ids, comma-separated, for "expected one of: …" messages.
    pub fn id_list(&self) -> String {
        let ids: Vec<&str> = self.terms.iter().map(|t| t.id.as_str()).collect();
        ids.join(", ")
    }
}

pub const SEXES: &str = "sexes";
pub const ROLES: &str = "roles";
pub const PERSON_STATUSES: &str = "person_statuses";
pub const ACT_TYPES: &str = "act_types";
pub const MEANS: &str = "means";
pub const OUTCOMES: &str = "outcomes";
pub const PLACE_TYPES: &str = "place_types";
pub const SOURCE_KINDS: &str = "source_kinds";
pub const RELIABILITY: &str = "reliability";
pub const METRICS: &str = "metrics";
pub const PROCEEDING_KINDS: &str = "proceeding_kinds";
pub const PROCEEDING_ROLES: &str = "proceeding_roles";
pub const PROCEEDING_STATUSES: &str = "proceeding_statuses";
pub const RELATIONS: &str = "relations";
pub const CLAIM_TYPES: &str = "claim_types";
pub const CONSENT_AUDIENCES: &str = "consent_audiences";
pub const CONSENT_IDENTITIES: &str = "consent_identities";
pub const CONSENT_METHODS: &str = "consent_methods";

macro_rules! embedded {
    ($($name:ident),* $(,)?) => {
        [$(($name, include_str!(concat!("../vocab/", stringify!($name), ".toml")))),*]
    };
}

/// The file contents, keyed by vocabulary name. The macro ties each name
/// constant to its file so the two cannot drift apart.
#[allow(non_upper_case_globals)]
fn sources() -> [(&'static str, &'static str); 18] {
    const sexes: &str = SEXES;
    const roles: &str = ROLES;
    const person_statuses: &str = PERSON_STATUSES;
    const act_types: &str = ACT_TYPES;
    const means: &str = MEANS;
    const outcomes: &str = OUTCOMES;
    const place_types: &str = PLACE_TYPES;
    const source_kinds: &str = SOURCE_KINDS;
    const reliability: &str = RELIABILITY;
    const metrics: &str = METRICS;
    const proceeding_kinds: &str = PROCEEDING_KINDS;
    const proceeding_roles: &str = PROCEEDING_ROLES;
    const proceeding_statuses: &str = PROCEEDING_STATUSES;
    const relations: &str = RELATIONS;
    const claim_types: &str = CLAIM_TYPES;
    const consent_audiences: &str = CONSENT_AUDIENCES;
    const consent_identities: &str = CONSENT_IDENTITIES;
    const consent_methods: &str = CONSENT_METHODS;
    embedded![
        sexes,
        roles,
        person_statuses,
        act_types,
        means,
        outcomes,
        place_types,
        source_kinds,
        reliability,
        metrics,
        proceeding_kinds,
        proceeding_roles,
        proceeding_statuses,
        relations,
        claim_types,
        consent_audiences,
        consent_identities,
        consent_methods,
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    term: Vec<Term>,
}

fn parse(name: &str, text: &str) -> Result<Vocabulary, String> {
    let file: File = toml::from_str(text).map_err(|e| format!("vocab/{name}.toml: {e}"))?;
    Ok(Vocabulary {
        name: name.to_owned(),
        terms: file.term,
    })
}

/// Every vocabulary, parsed once.
///
/// # Panics
/// If an embedded file is malformed. The files are part of the source tree
/// and the crate's tests parse all of them, so this cannot happen in a
/// tested build.
pub fn all() -> &'static [Vocabulary] {
    static ALL: OnceLock<Vec<Vocabulary>> = OnceLock::new();
    ALL.get_or_init(|| {
        sources()
            .into_iter()
            .map(|(name, text)| parse(name, text).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    })
}

pub fn get(name: &str) -> Option<&'static Vocabulary> {
    all().iter().find(|v| v.name == name)
}

/// A vocabulary the model itself names. Only called with the constants
/// above, which the tests check exist.
pub(crate) fn named(name: &str) -> &'static Vocabulary {
    get(name).unwrap_or_else(|| panic!("vocabulary {name} is not embedded"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_vocabulary_parses_and_is_named_after_its_file() {
        let names: Vec<&str> = all().iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names.len(), 18);
        for (name, text) in sources() {
            let parsed = parse(name, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!parsed.terms.is_empty(), "{name} has no terms");
            assert!(get(name).is_some(), "{name} is missing from all()");
        }
    }

    #[test]
    fn every_term_has_a_well_formed_unique_id_and_three_labels() {
        for v in all() {
            let mut seen = BTreeSet::new();
            for t in &v.terms {
                assert!(
                    seen.insert(t.id.as_str()),
                    "{}: duplicate id {}",
                    v.name,
                    t.id
                );
                assert!(
                    !t.id.is_empty()
                        && t.id
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}: id {:?} must be lower_snake_case",
                    v.name,
                    t.id
                );
                for (lang, label) in [("en", &t.en), ("ru", &t.ru), ("kk", &t.kk)] {
                    assert!(
                        !label.trim().is_empty(),
                        "{}: term {} has no {lang} label",
                        v.name,
                        t.id
                    );
                    assert_eq!(
                        label.trim(),
                        label,
                        "{}: {} {lang} label has stray spaces",
                        v.name,
                        t.id
                    );
                }
            }
        }
    }

    /// Catches a label pasted into the wrong language column: Russian and
    /// Kazakh labels are Cyrillic (abbreviations such as "США" included),
    /// English ones are Latin.
    #[test]
    fn labels_are_in_the_right_script() {
        let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let latin = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
        for v in all() {
            for t in &v.terms {
                assert!(
                    latin(&t.en) && !cyrillic(&t.en),
                    "{}: {} en {:?}",
                    v.name,
                    t.id,
                    t.en
                );
                assert!(
                    cyrillic(&t.ru) && !latin(&t.ru),
                    "{}: {} ru {:?}",
                    v.name,
                    t.id,
                    t.ru
                );
                assert!(
                    cyrillic(&t.kk) && !latin(&t.kk),
                    "{}: {} kk {:?}",
                    v.name,
                    t.id,
                    t.kk
                );
                // Letters that exist only in Kazakh must not leak into Russian.
                assert!(
                    !t.ru.chars().any(|c| "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c)),
                    "{}: {} ru label has Kazakh letters: {:?}",
                    v.name,
                    t.id,
                    t.ru
                );
            }
        }
    }

    #[test]
    fn contract_terms_are_present() {
        // The term lists of docs/record-format.md, which other crates and the
        // demo data rely on.
        let expect = [
            (
                ACT_TYPES,
                "killing injury torture ill_treatment arbitrary_arrest detention enforced_disappearance surveillance obstruction_of_journalist threat fine unfair_trial forced_confession denial_of_medical_care property_destruction",
            ),
            (
                SOURCE_KINDS,
                "testimony media_report official_statement official_document confidential_document list court_record ngo_report social_media photo_series",
            ),
            (
                PROCEEDING_STATUSES,
                "filed opened under_investigation refused not_pursued closed closed_lack_of_evidence materials_classified suspended charged trial convicted acquitted sentence_suspended fined amnestied released no_one_prosecuted pending",
            ),
            (
                METRICS,
                "killed injured detained tortured arrested charged convicted amnestied shot missing crowd_size alleged_attackers injured_security_forces vehicles_damaged complaints_filed cases_closed other died_in_custody tortured_to_death killed_by_excessive_force severely_injured participants troops_deployed economic_loss_usd items_stolen cases_opened cases_under_investigation criminally_prosecuted documented_cases killed_with_alcohol_traces killed_found_with_weapon administrative_fine_kzt injured_or_victims",
            ),
            (CLAIM_TYPES, "count fact"),
            (CONSENT_AUDIENCES, "internal partners public"),
            (CONSENT_IDENTITIES, "named anonymised"),
            (CONSENT_METHODS, "written oral recorded"),
        ];
        for (name, ids) in expect {
            let v = named(name);
            for id in ids.split_whitespace() {
                assert!(v.contains(id), "{name} lacks {id}");
            }
        }
        assert_eq!(
            named(MEANS).label("rubber_bullet", "kk"),
            Some("Резеңке оқ")
        );
        assert_eq!(
            named(MEANS).label("rubber_bullet", "de"),
            Some("Rubber bullet")
        );
        assert_eq!(named(MEANS).label("rubber", "en"), None);
    }
}
