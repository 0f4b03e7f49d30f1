//! Public search: names are found across scripts, every word must match,
//! and nothing that is not public can be found, by any word of it.

mod common;

use axum::http::StatusCode;
use common::fixture::{RETRACT, records};
use common::*;

async fn app() -> (tempfile::TempDir, axum::Router) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a");
    drop(archive_with(&dir, &records(), &RETRACT));
    let app = router_for(&dir);
    (tmp, app)
}

fn api_refs(got: &Got) -> Vec<String> {
    let v = got.json();
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["ref"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn names_are_found_in_either_script_and_every_word_must_match() {
    let (_tmp, app) = app().await;
    for q in [
        "Aset",
        "Асет",
        "publicov",
        "ПУБЛИКОВ",
        "Aset Publicov",
        "Asset",
        "Asel",
    ] {
        let got = get(
            &app,
            &format!("/api/v1/search?q={}", qantar_web::html::url_part(q)),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK);
        let refs = api_refs(&got);
        if q == "Asel" {
            // Another name finds nothing; a doubled letter ("Asset", as
            // from "Ассет") is a spelling of the same name and does.
            assert!(!refs.contains(&"p-pub".to_string()), "{q}: {refs:?}");
        } else {
            assert_eq!(
                refs.first().map(String::as_str),
                Some("p-pub"),
                "{q}: {refs:?}"
            );
        }
    }
    // Dana Openova, written in Cyrillic by the searcher.
    let got = get(
        &app,
        &format!("/api/v1/search?q={}", qantar_web::html::url_part("Дана")),
    )
    .await;
    assert!(api_refs(&got).contains(&"p-pub2".to_string()));
    // Every word must match: Dana was killed, not tortured; the
    // relationship record names both siblings.
    let got = get(&app, "/api/v1/search?q=Dana%20torture").await;
    assert_eq!(got.json()["total"], 0, "{}", got.body);
    let got = get(&app, "/api/v1/search?q=Aset%20Openova").await;
    assert_eq!(api_refs(&got), ["rel-pub"]);
    // Other kinds by their words: a place, a source, a claim.
    for (q, r) in [
        ("Taraz", "taraz"),
        ("report", "s-pub"),
        ("withdrawn", "claim-withdrawal"),
    ] {
        let got = get(&app, &format!("/api/v1/search?q={q}")).await;
        assert!(api_refs(&got).contains(&r.to_string()), "{q}: {}", got.body);
    }
    // The page shows the person with a link to their page.
    let page = get(&app, "/en/search?q=%D0%90%D1%81%D0%B5%D1%82").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/en/people/"), "{}", page.body);
    assert!(page.body.contains("Aset Publicov"), "{}", page.body);
    // In Kazakh and Russian, with the query kept in the box.
    for lang in ["kk", "ru"] {
        let page = get(&app, &format!("/{lang}/search?q=Aset")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("value=\"Aset\""), "{}", page.body);
        assert!(page.body.contains(&format!("/{lang}/people/")));
    }
    // An empty query is a hint, not an error; the API asks for one.
    let page = get(&app, "/en/search").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("public record"));
    let got = get(&app, "/api/v1/search").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn no_word_of_a_hidden_record_finds_anything_hidden() {
    let (_tmp, app) = app().await;
    // Every word of every hidden field, as the fixture marks them.
    let mut words: Vec<String> = Vec::new();
    for r in records() {
        for w in r
            .to_string()
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        {
            if w.contains("LEAK") || w.starts_with("leak-") {
                words.push(w.to_string());
                words.extend(w.split('-').map(str::to_string));
            }
        }
    }
    words.extend(RETRACT.iter().map(|(_, why)| why.to_string()));
    words.sort();
    words.dedup();
    assert!(words.len() > 30, "{words:?}");
    for w in &words {
        let q = qantar_web::html::url_part(w);
        let got = get(&app, &format!("/api/v1/search?q={q}")).await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(
            !got.body.to_lowercase().contains("leak"),
            "searching {w:?} finds: {}",
            got.body
        );
        let page = get(&app, &format!("/en/search?q={q}")).await;
        // The query is echoed in the box and the language links; what the
        // page found sits between the form and the end of the main part.
        let found = page
            .body
            .split("</form>")
            .nth(1)
            .and_then(|r| r.split("</main>").next())
            .unwrap_or_default();
        assert!(
            !found.to_lowercase().contains("leak"),
            "the page for {w:?} shows: {found}"
        );
    }
}
