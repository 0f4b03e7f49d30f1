//! Pages of a large archive stay small: long lists are paged, so no page of
//! the public site passes the 100 KB budget however many people it holds.

use qantar_model::Record;
use qantar_web::i18n::Lang;
use qantar_web::pages::{self, PAGE_SIZE, TimelineQuery};
use qantar_web::public::Snapshot;
use serde_json::json;

fn big_snapshot(people: usize) -> Snapshot {
    let mut n = 0u128;
    let mut mint = move || {
        n += 1;
        uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
    };
    let mut records = Vec::new();
    let src = Record::from_json(
        &json!({"kind": "source", "source_kind": "list", "title": "A list", "confidentiality": "public"}),
        &mut mint,
    )
    .unwrap();
    let src_id = src.id.to_string();
    records.push(src);
    for i in 0..people {
        let p = Record::from_json(
            &json!({"kind": "person", "names": [{"value": format!("Person number {i}")}], "sources": [src_id], "confidentiality": "public"}),
            &mut mint,
        )
        .unwrap();
        let act = Record::from_json(
            &json!({"kind": "act", "act_type": "detention", "victim": p.id.to_string(), "date": format!("2022-01-{:02}", 4 + i % 10), "sources": [src_id], "confidentiality": "public"}),
            &mut mint,
        )
        .unwrap();
        records.push(p);
        records.push(act);
    }
    Snapshot::from_records(records.len() as u64, records)
}

#[test]
fn long_lists_are_paged_under_the_page_budget() {
    let people = PAGE_SIZE * 5 + 7;
    let snap = big_snapshot(people);
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let first = pages::people(lang, &snap, 1);
        assert!(
            first.len() < 100_000,
            "people page 1 is {} bytes",
            first.len()
        );
        assert!(first.contains("page=2"), "a link to the next page");
        let last = pages::people(lang, &snap, 6);
        assert_eq!(
            last.matches("<li>").count(),
            7,
            "the last page holds the rest"
        );
        assert!(!last.contains("page=7"));
        let timeline = pages::timeline(
            lang,
            &snap,
            &TimelineQuery {
                page: Some(3),
                ..Default::default()
            },
        );
        assert!(
            timeline.len() < 100_000,
            "timeline page is {} bytes",
            timeline.len()
        );
        assert!(
            timeline.contains("page=2") && timeline.contains("page=4"),
            "links both ways"
        );
    }
}
