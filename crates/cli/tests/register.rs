//! The register end to end through the real binary: import lists (a
//! Windows-1251 CSV with bad rows, synthetic lists with known truth), link
//! the archive, review and decide, read the register and its overlaps, and
//! estimate from them.

mod util;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};
use util::{Scratch, assert_ok, json as parse, qantar};

fn add_file(s: &Scratch, records: Value) {
    let path = s.path("records.json");
    std::fs::write(&path, records.to_string()).unwrap();
    assert_ok(&qantar(
        &["add", "--file", path.to_str().unwrap()],
        Some(&s.archive()),
    ));
}

fn setup() -> Scratch {
    let s = Scratch::new();
    s.init();
    add_file(
        &s,
        json!([
            {"kind": "place", "ref": "kz", "name": {"en": "Kazakhstan", "ru": "Казахстан"}, "place_type": "country"},
            {"kind": "place", "ref": "almaty", "name": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "place_type": "city", "parent": "kz"},
            {"kind": "place", "ref": "taraz", "name": {"en": "Taraz", "ru": "Тараз"}, "place_type": "city", "parent": "zhambyl"},
            {"kind": "place", "ref": "zhambyl", "name": {"en": "Zhambyl Region", "ru": "Жамбылская область"}, "place_type": "region", "parent": "kz"},
            {"kind": "source", "ref": "gp-list", "source_kind": "list", "title": {"en": "Prosecutor General's list"}},
            {"kind": "source", "ref": "ngo-list", "source_kind": "list", "title": {"en": "NGO list"}},
        ]),
    );
    s
}

#[test]
fn a_windows_1251_list_imports_once_with_bad_rows_reported() {
    let s = setup();
    let text = "Фамилия;Имя;Отчество;Возраст;Город;Дата;Примечание\r\n\
                Оналтаев;Багдат;Ерланович;37;г. Алматы;06.01.2022\r\n\
                Иванов;Сергей;;28;Тараз;07.01.2022;;лишнее\r\n\
                Абдрешев;Ермек;;;Алматы;05.01.2022\r\n\
                ;;;;;;без имени\r\n\
                Сериков;Нурлан;;45;Шымкент;январь\r\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!lossy, "the fixture is all Russian letters");
    let file = s.path("gp.csv");
    std::fs::write(&file, &bytes).unwrap();
    let args = [
        "import",
        file.to_str().unwrap(),
        "--source",
        "gp-list",
        "--map",
        "surname=Фамилия,given=Имя,patronymic=Отчество,age=Возраст,place=Город,event_date=Дата",
        "--act-type",
        "killing",
        "--json",
    ];
    let out = qantar(&args, Some(&s.archive()));
    assert_ok(&out);
    let r = parse(&out);
    assert_eq!(r["encoding"], "Windows-1251");
    assert_eq!(r["delimiter"], ";");
    assert_eq!(r["imported"], 3, "{r:#}");
    // The row with an extra cell and the empty row are reported by line.
    let bad: BTreeMap<u64, String> = r["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["line"].as_u64().unwrap(),
                b["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(bad.keys().copied().collect::<Vec<_>>(), [3, 5], "{bad:?}");
    assert_eq!(
        r["places_recognised"], 2,
        "г. Алматы and Алматы, not Шымкент: {r:#}"
    );
    let unrecognised = r["unrecognised"].to_string();
    assert!(
        unrecognised.contains("Шымкент") && unrecognised.contains("январь"),
        "{unrecognised}"
    );

    // Each entry keeps the row verbatim and cites its list and line.
    let out = qantar(&["list", "list_entries", "--json"], Some(&s.archive()));
    assert_ok(&out);
    let entries = parse(&out);
    let bagdat = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["data"]["values"]["Фамилия"] == "Оналтаев")
        .expect("Onaltayev imported");
    let d = &bagdat["data"];
    assert_eq!(d["values"]["Город"], "г. Алматы");
    assert_eq!(d["fields"]["given"], "Багдат");
    assert_eq!(d["date"], "2022-01-06");
    assert_eq!(d["act_type"], "killing");
    assert_eq!(d["row"], 2);
    assert_eq!(d["sources"][0]["locator"], "line 2");

    // Importing the same file again adds nothing.
    let out = qantar(&args, Some(&s.archive()));
    assert_ok(&out);
    let again = parse(&out);
    assert_eq!(again["imported"], 0);
    assert_eq!(again["already_present"], 3);

    // Bad input names the field and writes nothing.
    let size = |s: &Scratch| {
        let out = qantar(&["stats", "--json"], Some(&s.archive()));
        parse(&out)["entries"].clone()
    };
    let before = size(&s);
    for (flag, value, needle) in [
        ("--map", "surname=Fam", "Fam"),
        ("--map", "nickname=Имя", "nickname"),
        ("--source", "no-such-list", "no-such-list"),
        ("--act-type", "shooting", "shooting"),
    ] {
        let mut a: Vec<&str> = vec!["import", file.to_str().unwrap(), "--source", "gp-list"];
        if flag != "--map" {
            a.extend(["--map", "surname=Фамилия"]);
        }
        if flag == "--source" {
            a[3] = value;
        } else {
            a.extend([flag, value]);
        }
        let out = qantar(&a, Some(&s.archive()));
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{flag}: {err}");
    }
    assert_eq!(size(&s), before);
}

/// F1 of the register's pairs against the truth, over list entries.
fn pair_f1(register: &Value, truth: &HashMap<String, String>) -> f64 {
    let pairs = |groups: Vec<Vec<String>>| -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for g in groups {
            for i in 0..g.len() {
                for j in i + 1..g.len() {
                    let (a, b) = (g[i].clone(), g[j].clone());
                    out.insert(if a < b { (a, b) } else { (b, a) });
                }
            }
        }
        out
    };
    let found: Vec<Vec<String>> = register["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["label_key"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .collect();
    let mut by_person: HashMap<&str, Vec<String>> = HashMap::new();
    for (record, person) in truth {
        by_person.entry(person).or_default().push(record.clone());
    }
    let (found, truth) = (pairs(found), pairs(by_person.into_values().collect()));
    let tp = found.intersection(&truth).count() as f64;
    let (p, r) = (
        tp / found.len().max(1) as f64,
        tp / truth.len().max(1) as f64,
    );
    2.0 * p * r / (p + r).max(1e-12)
}

#[test]
fn synthetic_lists_link_into_a_register_that_decisions_override() {
    let s = setup();
    let dir = s.path("synth");
    assert_ok(&qantar(
        &[
            "synth",
            "--persons",
            "400",
            "--lists",
            "3",
            "--seed",
            "7",
            "--out",
            dir.to_str().unwrap(),
        ],
        None,
    ));
    add_file(
        &s,
        json!([{"kind": "source", "ref": "media-list", "source_kind": "list", "title": {"en": "Media list"}}]),
    );
    for (i, source) in ["gp-list", "ngo-list", "media-list"].iter().enumerate() {
        let f = dir.join(format!("list_{}.csv", i + 1));
        let out = qantar(
            &[
                "import",
                f.to_str().unwrap(),
                "--source",
                source,
                "--map",
                "full_name=full_name,birth_date=birth_date,age=age,sex=sex,place=city,text:record_id=record_id",
                "--json",
            ],
            Some(&s.archive()),
        );
        assert_ok(&out);
        assert!(parse(&out)["imported"].as_u64().unwrap() > 100);
    }
    // `register` before `link` says what to do.
    let out = qantar(&["register"], Some(&s.archive()));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("qantar link"));

    let out = qantar(&["link", "--json"], Some(&s.archive()));
    assert_ok(&out);
    let summary = parse(&out);
    assert_eq!(summary["lists"].as_array().unwrap().len(), 3);

    // Map entry ids to the synthetic record ids, then score against truth.
    let out = qantar(&["list", "list_entries", "--json"], Some(&s.archive()));
    let entry_record: HashMap<String, String> = parse(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["data"]["values"]["record_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    let truth: HashMap<String, String> = std::fs::read_to_string(dir.join("truth.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0].to_owned(), c[2].to_owned())
        })
        .collect();
    let register = |s: &Scratch| {
        let out = qantar(&["register", "--json"], Some(&s.archive()));
        assert_ok(&out);
        let mut reg = parse(&out);
        for p in reg["persons"].as_array_mut().unwrap() {
            for r in p["records"].as_array_mut().unwrap() {
                let id = r["id"].as_str().unwrap().to_owned();
                r["label_key"] = json!(entry_record[&id]);
            }
        }
        reg
    };
    let reg = register(&s);
    let f1 = pair_f1(&reg, &truth);
    // The plain-file linkage of the same lists reaches this too (tests/link.rs);
    // the archive path must not lose quality on the way.
    eprintln!("register F1 against the truth: {f1:.4}");
    assert!(f1 > 0.95, "register F1 {f1}");

    // Overlaps: the MSE format, counts adding up to the register.
    let out = qantar(&["overlaps", "--json"], Some(&s.archive()));
    assert_ok(&out);
    let ov = parse(&out);
    assert_eq!(ov["lists"].as_array().unwrap().len(), 3);
    let total: u64 = ov["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, reg["persons"].as_array().unwrap().len() as u64);
    // And estimation reads it straight from the archive.
    let out = qantar(&["estimate", "--no-lcmcr", "--json"], Some(&s.archive()));
    assert_ok(&out);
    let est = parse(&out).to_string();
    assert!(
        est.contains("loglinear") || est.contains("log_linear"),
        "{est}"
    );

    // A reviewer splits one linked person: after the next run they are two.
    let linked = reg["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["records"].as_array().unwrap().len() == 2)
        .expect("some person is on two lists");
    let (a, b) = (
        linked["records"][0]["id"].as_str().unwrap().to_owned(),
        linked["records"][1]["id"].as_str().unwrap().to_owned(),
    );
    let out = qantar(
        &[
            "review",
            "--decide",
            &a,
            &b,
            "different",
            "--reason",
            "different fathers' names in the court file",
        ],
        Some(&s.archive()),
    );
    assert_ok(&out);
    let stale = qantar(&["register"], Some(&s.archive()));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("run `qantar link` again"));
    assert_ok(&qantar(&["link"], Some(&s.archive())));
    let reg2 = register(&s);
    let person_of = |reg: &Value, id: &str| -> String {
        reg["persons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| {
                p["records"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["id"] == id)
            })
            .map(|p| p["person"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_ne!(person_of(&reg2, &a), person_of(&reg2, &b));
    // … and a "same" decision joins two the model kept apart.
    let singles: Vec<String> = reg2["persons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["records"].as_array().unwrap().len() == 1)
        .take(2)
        .map(|p| p["records"][0]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_ok(&qantar(
        &["review", "--decide", &singles[0], &singles[1], "same"],
        Some(&s.archive()),
    ));
    let out = qantar(&["link", "--json"], Some(&s.archive()));
    assert_ok(&out);
    assert_eq!(parse(&out)["decisions"]["same"], 1);
    assert_eq!(parse(&out)["decisions"]["different"], 1);
    let reg3 = register(&s);
    assert_eq!(person_of(&reg3, &singles[0]), person_of(&reg3, &singles[1]));
    // The same data and seed give the same register.
    let again = qantar(&["link", "--json"], Some(&s.archive()));
    assert_ok(&again);
    let reg4 = register(&s);
    assert_eq!(reg3["persons"], reg4["persons"]);

    // The review queue lists pairs with both records and an explanation,
    // and a pair leaves it as soon as a reviewer decides it, before any run.
    let queue = |s: &Scratch| {
        let out = qantar(
            &[
                "review", "--json", "--low", "0.2", "--high", "0.95", "--limit", "1000",
            ],
            Some(&s.archive()),
        );
        assert_ok(&out);
        parse(&out)["pairs"].as_array().unwrap().clone()
    };
    let q = queue(&s);
    let first = q
        .first()
        .expect("some pairs are uncertain in synthetic lists");
    assert!(first["left"]["data"].is_object() && first["right"]["data"].is_object());
    assert!(
        first["pair"]["explanation"]["contributions"].is_array(),
        "{first:#}"
    );
    let (l, r) = (
        first["pair"]["left"].as_str().unwrap().to_owned(),
        first["pair"]["right"].as_str().unwrap().to_owned(),
    );
    assert_ok(&qantar(
        &["review", "--decide", &r, &l, "same"],
        Some(&s.archive()),
    ));
    let q2 = queue(&s);
    assert_eq!(q2.len(), q.len() - 1);
    assert!(
        !q2.iter()
            .any(|p| p["pair"]["left"] == l.as_str() && p["pair"]["right"] == r.as_str())
    );
}
