//! Enlarging the demo archive with made-up people, for load tests and
//! benchmarks of the web site and the store at realistic sizes.
//!
//! The people are synthetic and say so: each is cited to one synthetic
//! source titled as such, so nobody can mistake them for the documented
//! victims. The same `count` and `seed` always give the same records.

use serde_json::{Value, json};

const GIVEN_M: &[&str] = &[
    "Ерлан",
    "Нурлан",
    "Асқар",
    "Бауыржан",
    "Данияр",
    "Ержан",
    "Қайрат",
    "Мұрат",
    "Серік",
    "Талғат",
    "Әділет",
    "Жомарт",
    "Ғалымжан",
    "Руслан",
    "Тимур",
];
const GIVEN_F: &[&str] = &[
    "Айгүл",
    "Дина",
    "Гүлнар",
    "Жанар",
    "Әсем",
    "Мадина",
    "Сәуле",
    "Ләззат",
    "Аружан",
    "Динара",
];
const SURNAMES: &[&str] = &[
    "Ахметов",
    "Омаров",
    "Сейітов",
    "Жұмабаев",
    "Қасымов",
    "Әбдірахманов",
    "Нұрланов",
    "Серікбаев",
    "Төлеуов",
    "Исаев",
    "Байтұрсынов",
    "Мұхаметов",
    "Сұлтанов",
    "Есенов",
];
const CITIES: &[&str] = &["almaty", "shymkent", "taraz", "zhanaozen"];
const ACTS: &[&str] = &[
    "arbitrary_arrest",
    "detention",
    "injury",
    "ill_treatment",
    "torture",
    "killing",
];

/// A small, fixed generator so the synthetic people are the same every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// `count` synthetic people, each with one act and, for every third, a
/// complaint; preceded by the synthetic source they cite.
pub fn synthetic_records(count: u64, seed: u64) -> Vec<Value> {
    let mut rng = SplitMix(seed);
    let mut out = Vec::with_capacity(count as usize * 2 + 1);
    out.push(json!({
        "kind": "source", "ref": "synthetic-load-test", "source_kind": "list",
        "title": {"en": "SYNTHETIC people made up for load tests (not real victims)"},
        "confidentiality": "public", "reliability": "unknown",
    }));
    for i in 0..count {
        let female = rng.next().is_multiple_of(3);
        let given = if female {
            rng.pick(GIVEN_F)
        } else {
            rng.pick(GIVEN_M)
        };
        let surname = rng.pick(SURNAMES);
        let surname = if female {
            format!("{surname}а")
        } else {
            surname.to_string()
        };
        let city = rng.pick(CITIES);
        let act_type = rng.pick(ACTS);
        let day = 4 + rng.next() % 12;
        let person = format!("synthetic-person-{i}");
        out.push(json!({
            "kind": "person", "ref": person, "confidentiality": "public",
            "names": [{"value": format!("{given} {surname}"), "lang": "kk", "script": "Cyrl", "given": given, "surname": surname}],
            "sex": if female { "female" } else { "male" },
            "age": 18 + rng.next() % 50, "age_as_of": "2022-01",
            "residence": city, "roles": ["victim"],
            "status": if act_type == "killing" { "killed" } else { "alive" },
            "sources": ["synthetic-load-test"],
        }));
        out.push(json!({
            "kind": "act", "ref": format!("synthetic-act-{i}"), "confidentiality": "public",
            "act_type": act_type, "victim": person, "date": format!("2022-01-{day:02}"), "place": city,
            "sources": ["synthetic-load-test"],
        }));
        if i.is_multiple_of(3) {
            out.push(json!({
                "kind": "proceeding", "confidentiality": "public", "proceeding_kind": "complaint",
                "persons": [{"person": person, "role": "complainant"}],
                "acts": [format!("synthetic-act-{i}")],
                "status_history": [{"status": "filed", "date": "2022-03"}, {"status": "closed_lack_of_evidence", "date": "2022-09"}],
                "sources": ["synthetic-load-test"],
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        assert_eq!(synthetic_records(50, 7), synthetic_records(50, 7));
        assert_ne!(synthetic_records(50, 7), synthetic_records(50, 8));
        let records = synthetic_records(30, 1);
        let persons = records.iter().filter(|r| r["kind"] == "person").count();
        assert_eq!(persons, 30);
        // Every record but the source cites the synthetic source.
        assert!(
            records[1..]
                .iter()
                .all(|r| r["sources"] == json!(["synthetic-load-test"]))
        );
    }
}
