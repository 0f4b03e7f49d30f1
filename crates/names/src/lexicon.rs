//! The given-name lexicon (`tables/given_names.tsv`), looked up by match key
//! so that Жомарт, Jomart and Zhomart are all found.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::NameError;
use crate::key::{Key, Role, Scratch};

/// The sex a given name is usually borne by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameSex {
    Male,
    Female,
    Both,
}

const GIVEN_NAMES: &str = include_str!("../tables/given_names.tsv");

pub(crate) fn parse_lexicon(text: &str) -> Result<HashMap<Key, NameSex>, NameError> {
    let mut map = HashMap::new();
    let mut scratch = Scratch::default();
    for (idx, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| NameError::BadTable {
            line: idx + 1,
            reason: why.to_string(),
        };
        let (name, sex) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected name<TAB>sex"))?;
        let sex = match sex {
            "m" => NameSex::Male,
            "f" => NameSex::Female,
            "u" => NameSex::Both,
            _ => return Err(bad("sex must be m, f or u")),
        };
        let (k, _) = scratch.part_key(name, Role::Plain);
        if k.is_empty() {
            return Err(bad("name has no letters"));
        }
        // Two names with one key but different sexes make the key unisex.
        map.entry(k)
            .and_modify(|old: &mut NameSex| {
                if *old != sex {
                    *old = NameSex::Both;
                }
            })
            .or_insert(sex);
    }
    Ok(map)
}

fn lexicon() -> &'static HashMap<Key, NameSex> {
    static LEXICON: OnceLock<HashMap<Key, NameSex>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        // The table ships with the crate and the unit test below parses it.
        parse_lexicon(GIVEN_NAMES).unwrap_or_else(|e| panic!("tables/given_names.tsv: {e}"))
    })
}

/// Look up a given name by its plain match key.
pub(crate) fn given_name_sex(k: &Key) -> Option<NameSex> {
    lexicon().get(k).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::key;

    #[test]
    fn lexicon_parses_and_finds_names_in_any_script() {
        let map = parse_lexicon(GIVEN_NAMES).expect("lexicon parses");
        assert!(map.len() > 250, "{} names", map.len());
        assert_eq!(given_name_sex(&key("Jomart")), Some(NameSex::Male));
        assert_eq!(given_name_sex(&key("Zhomart")), Some(NameSex::Male));
        assert_eq!(given_name_sex(&key("Ainur")), Some(NameSex::Female));
        assert_eq!(given_name_sex(&key("Yerlan")), Some(NameSex::Male));
        assert_eq!(given_name_sex(&key("Baitkhan")), None);
    }

    #[test]
    fn bad_lexicon_lines_are_refused() {
        let err = parse_lexicon("Жомарт\tx\n").unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("m, f or u"), "{err}");
        assert!(parse_lexicon("Жомарт\n").is_err());
    }
}
