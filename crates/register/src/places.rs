//! Places as lists write them ("г. Алматы", "Almaty city", "Жамбылская
//! обл.") recognised as the archive's place records, and the region each
//! place lies in, for strata.

use std::collections::HashMap;

use qantar_link::fold_text;

/// Words that say what kind of place a name is, not which: dropped before
/// names are compared, in the three languages of the archive.
const PLACE_WORDS: &[&str] = &[
    "г",
    "гор",
    "город",
    "city",
    "қ",
    "қаласы",
    "kalasy",
    "qalasy",
    "обл",
    "область",
    "облысы",
    "oblast",
    "oblysy",
    "region",
    "province",
    "р-н",
    "район",
    "ауданы",
    "district",
    "audany",
    "с",
    "село",
    "ауылы",
    "village",
    "пос",
    "посёлок",
    "поселок",
    "кент",
    "of",
];

/// A place name folded for comparison: case and punctuation gone, the kind
/// words ("city", "область", "қаласы") dropped.
pub fn fold_place_name(name: &str) -> String {
    let folded = fold_text(name);
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !PLACE_WORDS.contains(w))
        .collect();
    if words.is_empty() {
        folded
    } else {
        words.join(" ")
    }
}

#[derive(Debug, Clone)]
struct PlaceInfo {
    parent: Option<String>,
    place_type: String,
    label: String,
}

/// The archive's places, by id and by every name they carry.
#[derive(Debug, Clone, Default)]
pub struct PlaceBook {
    places: HashMap<String, PlaceInfo>,
    by_name: HashMap<String, Vec<String>>,
    /// Names that are exactly a place's name, with no kind word dropped
    /// ("Almaty", not "Almaty Region" folded to "almaty").
    literal: HashMap<String, Vec<String>>,
}

const REGION_WORDS: &[&str] = &[
    "обл",
    "область",
    "облысы",
    "oblast",
    "oblysy",
    "region",
    "province",
];
const CITY_WORDS: &[&str] = &[
    "г",
    "гор",
    "город",
    "city",
    "қ",
    "қаласы",
    "kalasy",
    "qalasy",
];

impl PlaceBook {
    /// Add a place with its names in every language.
    pub fn add(
        &mut self,
        id: &str,
        parent: Option<&str>,
        place_type: &str,
        label: &str,
        names: &[&str],
    ) {
        self.places.insert(
            id.to_owned(),
            PlaceInfo {
                parent: parent.map(str::to_owned),
                place_type: place_type.to_owned(),
                label: label.to_owned(),
            },
        );
        for n in names {
            let key = fold_place_name(n);
            if key.is_empty() {
                continue;
            }
            if fold_text(n) == key {
                let ids = self.literal.entry(key.clone()).or_default();
                if !ids.iter().any(|i| i == id) {
                    ids.push(id.to_owned());
                }
            }
            let ids = self.by_name.entry(key).or_default();
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_owned());
            }
        }
    }

    pub fn label(&self, id: &str) -> Option<&str> {
        self.places.get(id).map(|p| p.label.as_str())
    }

    fn ancestors(&self, id: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut cur = self.places.get(id).and_then(|p| p.parent.as_deref());
        while let Some(c) = cur {
            if out.contains(&c) || out.len() > 32 {
                break; // a cycle in bad data must not hang us
            }
            out.push(c);
            cur = self.places.get(c).and_then(|p| p.parent.as_deref());
        }
        out
    }

    /// The place a list's text names, if exactly one place fits. A path
    /// (`Алматинская обл. > Талгар`, levels split by `>` or `,`) uses the
    /// broader levels to tell apart places that share a name.
    pub fn recognise(&self, text: &str) -> Option<String> {
        let levels: Vec<String> = text
            .split(['>', ','])
            .map(fold_place_name)
            .filter(|l| !l.is_empty())
            .collect();
        let (leaf, broader) = levels.split_last()?;
        let mut candidates: Vec<&String> = self.by_name.get(leaf)?.iter().collect();
        if candidates.len() > 1 {
            // "Almaty" is both a city and, with "Region", a region: the
            // words the list used decide, and without any the place whose
            // name is exactly the text wins.
            let words = fold_text(text.rsplit(['>', ',']).next().unwrap_or(text));
            let has = |list: &[&str]| words.split(' ').any(|w| list.contains(&w));
            let wanted: Option<&[&str]> = if has(REGION_WORDS) {
                Some(&["region"])
            } else if has(CITY_WORDS) {
                Some(&["city", "town"])
            } else {
                None
            };
            let narrowed: Vec<&String> = match wanted {
                Some(types) => candidates
                    .iter()
                    .copied()
                    .filter(|c| {
                        self.places
                            .get(*c)
                            .is_some_and(|p| types.contains(&p.place_type.as_str()))
                    })
                    .collect(),
                None => candidates
                    .iter()
                    .copied()
                    .filter(|c| self.literal.get(leaf).is_some_and(|l| l.contains(c)))
                    .collect(),
            };
            if !narrowed.is_empty() {
                candidates = narrowed;
            }
        }
        if candidates.len() == 1 {
            return candidates.first().map(|c| (*c).clone());
        }
        let fits: Vec<&String> = candidates
            .iter()
            .copied()
            .filter(|c| {
                let anc = self.ancestors(c);
                broader.iter().all(|b| {
                    self.by_name
                        .get(b)
                        .is_some_and(|ids| ids.iter().any(|i| anc.contains(&i.as_str())))
                })
            })
            .collect();
        match fits.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    }

    /// The region a place lies in: its ancestor just below the country (a
    /// region, or a city of republican status such as Almaty). A region is
    /// its own region; a country, or an unknown place, has none.
    pub fn region<'a>(&'a self, id: &'a str) -> Option<&'a str> {
        let info = self.places.get(id)?;
        if info.place_type == "country" {
            return None;
        }
        let mut chain = vec![id];
        chain.extend(self.ancestors(id));
        // The last element below a country, or the top if there is none.
        let top = chain
            .iter()
            .position(|p| {
                self.places
                    .get(*p)
                    .is_some_and(|i| i.place_type == "country")
            })
            .unwrap_or(chain.len());
        if top == 0 {
            return None;
        }
        Some(chain[top - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> PlaceBook {
        let mut b = PlaceBook::default();
        b.add(
            "kz",
            None,
            "country",
            "Kazakhstan",
            &["Kazakhstan", "Казахстан"],
        );
        b.add("alm", Some("kz"), "city", "Almaty", &["Almaty", "Алматы"]);
        b.add(
            "alm-reg",
            Some("kz"),
            "region",
            "Almaty Region",
            &["Almaty Region", "Алматинская область"],
        );
        b.add(
            "talgar",
            Some("alm-reg"),
            "town",
            "Talgar",
            &["Talgar", "Талгар"],
        );
        b.add(
            "zham",
            Some("kz"),
            "region",
            "Zhambyl Region",
            &["Zhambyl Region", "Жамбылская область"],
        );
        b.add("talgar2", Some("zham"), "village", "Talgar", &["Talgar"]);
        b
    }

    #[test]
    fn kind_words_and_case_do_not_matter() {
        let b = book();
        assert_eq!(b.recognise("г. Алматы").as_deref(), Some("alm"));
        assert_eq!(b.recognise("ALMATY CITY").as_deref(), Some("alm"));
        assert_eq!(b.recognise("Жамбылская обл.").as_deref(), Some("zham"));
        assert_eq!(b.recognise("Жамбылская область").as_deref(), Some("zham"));
        assert_eq!(b.recognise("Shymkent"), None);
        // A city and a region share a name: the list's own words decide.
        assert_eq!(b.recognise("Almaty").as_deref(), Some("alm"));
        assert_eq!(b.recognise("Almaty region").as_deref(), Some("alm-reg"));
        assert_eq!(b.recognise("Алматинская обл.").as_deref(), Some("alm-reg"));
    }

    #[test]
    fn a_path_tells_apart_places_that_share_a_name() {
        let b = book();
        assert_eq!(b.recognise("Talgar"), None, "two places are called Talgar");
        assert_eq!(
            b.recognise("Almaty Region > Talgar").as_deref(),
            Some("talgar")
        );
        assert_eq!(
            b.recognise("Жамбылская область, Talgar").as_deref(),
            Some("talgar2")
        );
    }

    #[test]
    fn regions_are_the_level_below_the_country() {
        let b = book();
        assert_eq!(b.region("talgar"), Some("alm-reg"));
        assert_eq!(b.region("alm"), Some("alm"));
        assert_eq!(b.region("alm-reg"), Some("alm-reg"));
        assert_eq!(b.region("kz"), None);
        assert_eq!(b.region("nowhere"), None);
    }
}
