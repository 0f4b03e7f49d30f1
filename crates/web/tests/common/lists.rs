//! Archives with imported lists for the review, import, register and
//! estimate tests: list sources, list entries (one person spelled in
//! Kazakh Cyrillic on one list and in Latin on another), a linkage run;
//! on SQLite, and on PostgreSQL when a test server is reachable.

use std::path::Path;

use qantar_register::{LinkSettings, link_archive};
use qantar_store::Archive;
use qantar_store::db::{ScratchSchema, test_postgres_url};
use serde_json::{Value, json};

use super::stamp;

/// Where the archive's ledger lives.
pub enum Backend {
    Sqlite,
    Postgres(ScratchSchema),
}

impl Backend {
    /// SQLite always; PostgreSQL too when `QANTAR_TEST_PG_URL` (or the
    /// default local server) answers, otherwise it says it skips.
    pub fn all(tag: &str) -> Vec<Backend> {
        let mut v = vec![Backend::Sqlite];
        match test_postgres_url() {
            Ok(url) => v.push(Backend::Postgres(ScratchSchema::new(&url, tag))),
            Err(why) => eprintln!("skipping the PostgreSQL half of {tag}: {why}"),
        }
        v
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    pub fn url(&self) -> Option<&str> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres(s) => Some(&s.url),
        }
    }
}

/// A new archive at `dir` holding `records`.
pub fn archive(dir: &Path, backend: &Backend, records: &[Value]) -> Archive {
    let mut a = Archive::init(
        dir,
        "lists",
        [9u8; 32],
        "web-lists",
        &stamp(),
        backend.url(),
    )
    .expect("init archive");
    let drafts = a
        .store
        .prepare_records(records, &mut uuid::Uuid::now_v7)
        .unwrap_or_else(|e| panic!("test records are invalid: {e}"));
    a.append(drafts, &stamp()).expect("append");
    a
}

pub fn link(a: &Archive) -> qantar_register::LinkSummary {
    link_archive(
        &a.store,
        &LinkSettings::default(),
        "2026-01-05T11:00:00.000Z",
        &mut |_| {},
    )
    .expect("link the archive")
}

/// One list entry.
pub fn entry(list: &str, row: u64, given: &str, surname: &str, year: &str) -> Value {
    json!({
        "kind": "list_entry",
        "ref": format!("{list}-row-{row}"),
        "row": row,
        "values": {"Фамилия": surname, "Имя": given, "Год": year},
        "fields": {"surname": surname, "given": given, "birth_year": year},
        "act_type": "detention",
        "sources": [{"source": list, "locator": format!("line {row}")}],
    })
}

/// Two lists; Ерлан Қасымов on the first is Erlan Kassymov on the second.
pub fn two_lists() -> Vec<Value> {
    let mut r = vec![
        json!({"kind": "source", "ref": "list-a", "source_kind": "list", "title": "Тізім А", "confidentiality": "public"}),
        json!({"kind": "source", "ref": "list-b", "source_kind": "list", "title": "List B"}),
        entry("list-a", 2, "Ерлан", "Қасымов", "1990"),
        entry("list-b", 2, "Erlan", "Kassymov", "1990"),
    ];
    let others = [
        ("Айгүл", "Сейітова", "1985"),
        ("Болат", "Жұмабаев", "1979"),
        ("Динара", "Оспанова", "1992"),
        ("Марат", "Төлеуов", "1970"),
        ("Нұрлан", "Әбенов", "1988"),
        ("Сәуле", "Мұқанова", "1995"),
    ];
    for (i, (g, s, y)) in others.iter().enumerate() {
        r.push(entry("list-a", 3 + i as u64, g, s, y));
    }
    let others_b = [
        ("Timur", "Akhmetov", "1983"),
        ("Gulnara", "Bekova", "1991"),
        ("Yerzhan", "Sultanov", "1975"),
        ("Aliya", "Nurpeisova", "1999"),
    ];
    for (i, (g, s, y)) in others_b.iter().enumerate() {
        r.push(entry("list-b", 3 + i as u64, g, s, y));
    }
    // People both lists name alike: what the model learns agreement from.
    let both = [
        ("Arman", "Dzhaksybekov"),
        ("Bakhyt", "Omarov"),
        ("Dana", "Iskakova"),
        ("Galym", "Rakhimov"),
        ("Kanat", "Zhunusov"),
        ("Laura", "Seitkali"),
        ("Miras", "Utepov"),
        ("Nazira", "Kaliyeva"),
        ("Ruslan", "Beisenov"),
        ("Saule", "Tokayeva"),
        ("Talgat", "Yesimov"),
        ("Zhanna", "Mukhanova"),
    ];
    for (i, (g, s)) in both.iter().enumerate() {
        let year = (1960 + 3 * i).to_string();
        r.push(entry("list-a", 20 + i as u64, g, s, &year));
        r.push(entry("list-b", 20 + i as u64, g, s, &year));
    }
    // A reviewer deferred the two spellings earlier, so the pair waits in
    // the queue whatever the model makes of so small an archive.
    r.push(json!({"kind": "link_decision", "left": "list-a-row-2", "right": "list-b-row-2", "verdict": "unsure"}));
    r
}

/// Three lists over `people` persons with a known, deterministic pattern
/// of who is on which; half the people are in Almaty (a public place).
pub fn three_lists(people: usize) -> Vec<Value> {
    let given = [
        "Асқар",
        "Бауыржан",
        "Ғалым",
        "Дәурен",
        "Ержан",
        "Жанар",
        "Зарина",
        "Ілияс",
        "Қайрат",
        "Ләззат",
        "Мадина",
        "Нұржан",
        "Олжас",
        "Самал",
        "Тимур",
    ];
    let surname = [
        "Абдрахманов",
        "Байжанов",
        "Есенов",
        "Жақыпов",
        "Иманов",
        "Кенжебаев",
        "Мамыров",
        "Нұрғалиев",
        "Оразов",
        "Сапаров",
        "Тұрсынов",
        "Ұлықбеков",
    ];
    let mut r = vec![
        json!({"kind": "place", "ref": "kz", "name": {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}, "place_type": "country", "confidentiality": "public"}),
        json!({"kind": "place", "ref": "almaty", "name": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "place_type": "city", "parent": "kz", "confidentiality": "public"}),
    ];
    for l in ["l1", "l2", "l3"] {
        r.push(json!({"kind": "source", "ref": l, "source_kind": "list", "title": format!("List {l}")}));
    }
    // A small linear congruential generator: the same lists every run.
    let mut state: u64 = 42;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut row = 1;
    let mut decisions = Vec::new();
    for i in 0..people {
        let mut mine: Vec<String> = Vec::new();
        let g = given[i % given.len()];
        let s = surname[(i / given.len()) % surname.len()];
        let year = format!("{}", 1950 + (i * 7) % 50);
        let mut on_any = false;
        for (j, l) in ["l1", "l2", "l3"].into_iter().enumerate() {
            let last = j == 2 && !on_any;
            if last || next() < 0.55 {
                on_any = true;
                row += 1;
                let mut e = entry(l, row, g, s, &year);
                if i % 2 == 0 {
                    e["place"] = json!("almaty");
                }
                mine.push(format!("{l}-row-{row}"));
                r.push(e);
            }
        }
        // Reviewers' decisions make the overlaps known exactly, whatever
        // the model learns from names this regular.
        for w in mine.windows(2) {
            decisions.push(
                json!({"kind": "link_decision", "left": w[0], "right": w[1], "verdict": "same"}),
            );
        }
    }
    r.extend(decisions);
    r
}
