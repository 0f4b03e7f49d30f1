//! Synthetic people of Kazakhstan and overlapping lists of them, with the
//! errors real lists carry and the truth of who is who.
//!
//! Each person is a pure function of the seed and the person's number, and
//! each person's rows likewise, so a population of any size is produced as
//! a stream in constant memory and the same seed always gives the same
//! lists. Names are drawn from Kazakh and Russian name tables with Zipf-like
//! frequencies (common names are much commoner than rare ones, as in real
//! registers); the tables are the project's own short lists of names in
//! common use, not census counts.
//!
//! The errors: a list written in Latin letters uses one transliteration
//! scheme (Kazakh 2021, passport, press, BGN/PCGN, ICAO …); within a list,
//! rows get typos, missing fields, given name and surname swapped, a name
//! in the genitive with an age ("37-летнего Багдата Оналтаева"), an age
//! where the birth date should be, and birth dates with a digit wrong or day
//! and month swapped.

use qantar_names::{Scheme, transliterate};

use crate::record::PartialDate;
use crate::rng::SplitMix64;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthConfig {
    pub persons: u64,
    pub lists: u16,
    pub seed: u64,
    /// Chance that a person is on a given list.
    pub coverage: f64,
    /// Scale of all error rates (1.0 = the defaults below).
    pub error_scale: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            persons: 1000,
            lists: 2,
            seed: 1,
            coverage: 0.6,
            error_scale: 1.0,
        }
    }
}

/// A person of the population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: u64,
    pub given: String,
    pub surname: String,
    pub patronymic: String,
    pub female: bool,
    pub birth: PartialDate,
    pub city: &'static str,
    pub kazakh: bool,
}

/// One row of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub record_id: String,
    pub list: u16,
    pub person: u64,
    pub full_name: String,
    pub birth_date: String,
    pub age: String,
    pub sex: String,
    pub city: String,
}

/// The column names of a list file, in [`Row::cells`] order.
pub const LIST_COLUMNS: [&str; 6] = ["record_id", "full_name", "birth_date", "age", "sex", "city"];

impl Row {
    pub fn cells(&self) -> [&str; 6] {
        [
            &self.record_id,
            &self.full_name,
            &self.birth_date,
            &self.age,
            &self.sex,
            &self.city,
        ]
    }
}

const KZ_MALE: &[&str] = &[
    "Нұрлан",
    "Ерлан",
    "Асқар",
    "Серік",
    "Бауыржан",
    "Дәурен",
    "Ержан",
    "Мұрат",
    "Қайрат",
    "Жомарт",
    "Бағдат",
    "Айдос",
    "Ермек",
    "Дархан",
    "Нұрсұлтан",
    "Әділет",
    "Руслан",
    "Талғат",
    "Марат",
    "Арман",
    "Ербол",
    "Болат",
    "Ғалым",
    "Берік",
    "Жандос",
    "Қанат",
    "Самат",
    "Азамат",
    "Мейірхан",
    "Еркебұлан",
    "Ақжол",
    "Бекзат",
    "Олжас",
    "Дидар",
    "Санжар",
    "Темірлан",
    "Алмас",
    "Ілияс",
    "Құрманғазы",
    "Жасұлан",
];
const KZ_FEMALE: &[&str] = &[
    "Айнұр",
    "Гүлнара",
    "Әсел",
    "Динара",
    "Жанар",
    "Мадина",
    "Айгүл",
    "Сәуле",
    "Гүлмира",
    "Айжан",
    "Назерке",
    "Ақмарал",
    "Жансая",
    "Балжан",
    "Дана",
    "Әйгерім",
    "Мөлдір",
    "Салтанат",
    "Ботагөз",
    "Перизат",
    "Ләззат",
    "Қарлығаш",
    "Шынар",
    "Күләш",
    "Томирис",
];
const RU_MALE: &[&str] = &[
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Владимир",
    "Николай",
    "Евгений",
    "Игорь",
    "Павел",
    "Виктор",
    "Олег",
    "Юрий",
    "Артём",
    "Михаил",
    "Константин",
    "Денис",
    "Максим",
];
const RU_FEMALE: &[&str] = &[
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Анна",
    "Мария",
    "Юлия",
    "Екатерина",
    "Людмила",
    "Галина",
];
/// Kazakh surname stems (the male form adds -ов/-ев, the female -ова/-ева).
const KZ_SURNAME: &[&str] = &[
    "Ахмет",
    "Серік",
    "Нұрлан",
    "Жұмабай",
    "Тоқтар",
    "Оспан",
    "Сейіт",
    "Әбдіраш",
    "Байтхан",
    "Қасым",
    "Мұқан",
    "Есен",
    "Бекмұхамбет",
    "Омар",
    "Сәрсенбай",
    "Құдайберген",
    "Жақып",
    "Ермек",
    "Исабек",
    "Тұрсын",
    "Оналта",
    "Қожахмет",
    "Смағұл",
    "Әлімжан",
    "Дүйсен",
    "Айтбай",
    "Шәкен",
    "Нұрмағамбет",
    "Кенжебай",
    "Мырзахмет",
    "Рахым",
    "Садық",
    "Ыбырай",
    "Жандарбек",
    "Төлеген",
    "Бақыт",
    "Сапар",
    "Қали",
    "Мұсабек",
    "Әміре",
];
const RU_SURNAME: &[&str] = &[
    "Иван",
    "Смирн",
    "Кузнецо",
    "Попо",
    "Васильев",
    "Петр",
    "Соколо",
    "Михайло",
    "Новик",
    "Федоро",
    "Морозо",
    "Волко",
    "Алексеев",
    "Лебеде",
    "Семено",
    "Егоро",
];
const CITIES: &[&str] = &[
    "Алматы",
    "Жаңаөзен",
    "Ақтау",
    "Талдықорған",
    "Шымкент",
    "Тараз",
    "Қызылорда",
    "Ақтөбе",
    "Атырау",
    "Астана",
    "Қарағанды",
    "Талғар",
    "Есік",
];

/// Zipf-like draw: rank r has weight 1/(r+1).
fn zipf<'a>(rng: &mut SplitMix64, items: &'a [&'a str]) -> &'a str {
    let total: f64 = (1..=items.len()).map(|r| 1.0 / r as f64).sum();
    let mut x = rng.unit() * total;
    for (r, it) in items.iter().enumerate() {
        x -= 1.0 / (r + 1) as f64;
        if x <= 0.0 {
            return it;
        }
    }
    items[items.len() - 1]
}

fn mix(seed: u64, a: u64, b: u64) -> u64 {
    let mut r = SplitMix64::new(seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.rotate_left(32));
    r.next_u64()
}

/// Russian surname from a stem: Иван → Иванов/Иванова; stems already
/// ending in -о or -ев take only the ending's rest.
fn ru_surname(stem: &str, female: bool) -> String {
    let base = if stem.ends_with('о') {
        format!("{stem}в")
    } else if stem.ends_with("ев") {
        stem.to_string()
    } else {
        format!("{stem}ов")
    };
    if female { format!("{base}а") } else { base }
}

fn kz_surname(stem: &str, female: bool) -> String {
    let vowel_end = stem.ends_with(['а', 'е', 'і', 'ы', 'о', 'у', 'ә', 'ұ', 'ү']);
    let base = if vowel_end {
        format!("{stem}ев")
    } else {
        format!("{stem}ов")
    };
    if female { format!("{base}а") } else { base }
}

/// The person numbered `id`.
pub fn person(cfg: &SynthConfig, id: u64) -> Person {
    let mut rng = SplitMix64::new(mix(cfg.seed, id, 0x5045_5253));
    let kazakh = rng.chance(0.7);
    let female = rng.chance(0.35);
    let (given, surname, father) = if kazakh {
        let g = zipf(&mut rng, if female { KZ_FEMALE } else { KZ_MALE });
        let s = kz_surname(zipf(&mut rng, KZ_SURNAME), female);
        (g, s, zipf(&mut rng, KZ_MALE))
    } else {
        let g = zipf(&mut rng, if female { RU_FEMALE } else { RU_MALE });
        let s = ru_surname(zipf(&mut rng, RU_SURNAME), female);
        (g, s, zipf(&mut rng, RU_MALE))
    };
    let patronymic = if kazakh && rng.chance(0.5) {
        format!("{father}{}", if female { "қызы" } else { "ұлы" })
    } else {
        let stem = father.trim_end_matches(['й', 'ь']);
        let soft = father.ends_with(['й', 'ь']);
        let suffix = match (soft, female) {
            (false, false) => "ович",
            (false, true) => "овна",
            (true, false) => "евич",
            (true, true) => "евна",
        };
        format!("{stem}{suffix}")
    };
    let year = 1940 + rng.below(66) as i16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(28) as u8;
    Person {
        id,
        given: given.to_string(),
        surname,
        patronymic,
        female,
        birth: PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        },
        city: CITIES[rng.below(CITIES.len() as u64) as usize],
        kazakh,
    }
}

/// The scheme list `list` is written in; `None` for Cyrillic.
fn list_scheme(list: u16) -> Option<Scheme> {
    const SCHEMES: [Option<Scheme>; 6] = [
        None,
        Some(Scheme::KazakhPassport),
        None,
        Some(Scheme::Kazakh2021),
        Some(Scheme::BgnPcgn),
        Some(Scheme::KazakhPress),
    ];
    SCHEMES[usize::from(list) % SCHEMES.len()]
}

fn typo(rng: &mut SplitMix64, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 3 {
        return s.to_string();
    }
    let i = 1 + rng.below(c.len() as u64 - 2) as usize;
    match rng.below(3) {
        0 => {
            c.remove(i);
        }
        1 => c.swap(i, i + 1),
        _ => {
            let d = c[i];
            c.insert(i, d);
        }
    }
    c.into_iter().collect()
}

/// Russian genitive of a male name part, as news stories write it.
fn genitive(s: &str) -> String {
    if s.ends_with(['й', 'ь']) {
        format!(
            "{}я",
            &s[..s.len() - s.chars().last().map_or(0, char::len_utf8)]
        )
    } else if s.ends_with('а') {
        format!("{}ы", &s[..s.len() - 'а'.len_utf8()])
    } else {
        format!("{s}а")
    }
}

const AS_OF: i16 = 2022;

/// The rows of one person, on each list that has them.
pub fn rows(cfg: &SynthConfig, p: &Person) -> Vec<Row> {
    let e = cfg.error_scale;
    let mut out = Vec::new();
    for list in 0..cfg.lists {
        let mut rng = SplitMix64::new(mix(cfg.seed, p.id, 0x4C49_5354 + u64::from(list)));
        if !rng.chance(cfg.coverage) {
            continue;
        }
        let scheme = list_scheme(list);
        let mut given = p.given.clone();
        let mut surname = p.surname.clone();
        let mut patronymic = Some(p.patronymic.clone());
        let mut age = String::new();
        let mut birth_date = format!(
            "{:04}-{:02}-{:02}",
            p.birth.year,
            p.birth.month.unwrap_or(1),
            p.birth.day.unwrap_or(1)
        );
        let mut inflected = false;
        if rng.chance(0.03 * e) && !p.female {
            given = genitive(&given);
            surname = genitive(&surname);
            patronymic = None;
            inflected = true;
        }
        if rng.chance(0.08 * e) {
            surname = typo(&mut rng, &surname);
        }
        if rng.chance(0.06 * e) {
            given = typo(&mut rng, &given);
        }
        if rng.chance(0.3 * e) {
            patronymic = None;
        }
        let as_age = inflected || rng.chance(0.08 * e);
        if as_age {
            let a = AS_OF - p.birth.year - i16::from(rng.chance(0.5));
            age = a.to_string();
            birth_date.clear();
        } else if rng.chance(0.05 * e) {
            birth_date.clear();
        } else if rng.chance(0.05 * e) {
            let m = p.birth.month.unwrap_or(1);
            let d = p.birth.day.unwrap_or(1);
            birth_date = if d <= 12 && d != m && rng.chance(0.5) {
                format!("{:04}-{:02}-{:02}", p.birth.year, d, m)
            } else {
                format!("{:04}-{:02}-{:02}", p.birth.year, m, (d % 28) + 1)
            };
        }
        let mut full_name = if inflected {
            format!("{}-летнего {given} {surname}", age)
        } else {
            let mut parts = vec![surname.clone(), given.clone()];
            if rng.chance(0.05 * e) {
                parts.swap(0, 1);
            }
            if scheme.is_some() {
                // Latin lists write the given name first and no patronymic.
                parts.swap(0, 1);
            } else if let Some(pt) = &patronymic {
                parts.push(pt.clone());
            }
            parts.join(" ")
        };
        if let Some(s) = scheme
            && !inflected
        {
            full_name = transliterate(&full_name, s);
        }
        let sex = if rng.chance(0.1 * e) {
            String::new()
        } else if p.female {
            if scheme.is_some() { "F" } else { "Ж" }.to_string()
        } else {
            if scheme.is_some() { "M" } else { "М" }.to_string()
        };
        let city = if rng.chance(0.15 * e) {
            String::new()
        } else if let Some(s) = scheme {
            transliterate(p.city, s)
        } else {
            p.city.to_string()
        };
        out.push(Row {
            record_id: format!("L{}-{}", list + 1, p.id),
            list,
            person: p.id,
            full_name,
            birth_date,
            age,
            sex,
            city,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_people_and_rows() {
        let cfg = SynthConfig {
            persons: 50,
            lists: 3,
            seed: 42,
            ..SynthConfig::default()
        };
        for id in 0..50 {
            let (a, b) = (person(&cfg, id), person(&cfg, id));
            assert_eq!(a, b);
            assert_eq!(rows(&cfg, &a), rows(&cfg, &b));
        }
        let other = SynthConfig { seed: 43, ..cfg };
        let differ = (0..50)
            .filter(|&id| person(&cfg, id) != person(&other, id))
            .count();
        assert!(differ > 40, "another seed must give other people");
    }

    #[test]
    fn lists_overlap_and_carry_errors() {
        let cfg = SynthConfig {
            persons: 2000,
            lists: 2,
            seed: 7,
            ..SynthConfig::default()
        };
        let mut on = [0usize; 2];
        let mut both = 0;
        let mut latin = 0;
        let mut ages = 0;
        for id in 0..cfg.persons {
            let r = rows(&cfg, &person(&cfg, id));
            for x in &r {
                on[usize::from(x.list)] += 1;
                if x.list == 1 && x.full_name.is_ascii() {
                    latin += 1;
                }
                if !x.age.is_empty() {
                    ages += 1;
                }
            }
            if r.len() == 2 {
                both += 1;
            }
        }
        // Coverage 0.6: about 1,200 a list and 720 on both.
        assert!(
            (1050..1350).contains(&on[0]) && (1050..1350).contains(&on[1]),
            "{on:?}"
        );
        assert!((600..850).contains(&both), "{both}");
        assert!(
            latin > on[1] * 8 / 10,
            "list 2 is in Latin letters: {latin} of {}",
            on[1]
        );
        assert!(ages > 50 && ages < 400, "{ages} ages");
    }
}
