//! HTTP-level tests of every route: status, headers, content and errors.

mod common;

use axum::http::StatusCode;
use common::*;

use common::fixture;

async fn app() -> (tempfile::TempDir, axum::Router) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a");
    drop(archive_with(&dir, &fixture::records(), &fixture::RETRACT));
    let app = router_for(&dir);
    (tmp, app)
}

#[tokio::test]
async fn root_redirects_by_cookie_then_accept_language_then_kazakh() {
    let (_t, app) = app().await;
    let r = get_with(&app, "/", &[("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/ru/");
    let r = get_with(
        &app,
        "/",
        &[("accept-language", "ru"), ("cookie", "x=1; qantar_lang=en")],
    )
    .await;
    assert_eq!(r.header("location"), "/en/");
    let r = get(&app, "/").await;
    assert_eq!(r.header("location"), "/kk/");
    let r = get(&app, "/en").await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.header("location"), "/en/");
}

#[tokio::test]
async fn every_page_answers_in_each_language_with_the_security_headers() {
    let (_t, app) = app().await;
    for lang in ["kk", "ru", "en"] {
        for path in [
            "",
            "people",
            "timeline",
            "map",
            "numbers",
            "accountability",
            "sources",
        ] {
            let uri = format!("/{lang}/{path}");
            let r = get(&app, &uri).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}");
            assert_eq!(
                r.header("content-type"),
                "text/html; charset=utf-8",
                "{uri}"
            );
            assert!(
                r.header("content-security-policy")
                    .starts_with("default-src 'self'"),
                "{uri}"
            );
            assert_eq!(r.header("x-content-type-options"), "nosniff");
            assert!(r.body.contains(&format!("<html lang=\"{lang}\">")), "{uri}");
            // The language is remembered.
            assert!(
                r.header("set-cookie")
                    .starts_with(&format!("qantar_lang={lang};")),
                "{uri}"
            );
            assert!(!r.body.contains('⟦'), "{uri} has an untranslated key");
            assert!(!r.body.contains("<script"), "{uri} has a script");
            // The switch links to the same page in the other languages.
            for other in ["kk", "ru", "en"].iter().filter(|o| **o != lang) {
                assert!(
                    r.body.contains(&format!("href=\"/{other}/{path}\"")),
                    "{uri} lacks a switch to {other}"
                );
            }
        }
    }
}

#[tokio::test]
async fn person_page_shows_name_in_the_readers_script_timeline_proceedings_relatives_and_sources() {
    let (_t, app) = app().await;
    let list = get(&app, "/api/v1/records?kind=person").await.json();
    // The persons route pages the same public persons.
    let persons = get(&app, "/api/v1/persons?limit=1000").await.json();
    assert_eq!(persons["items"], list["items"]);
    assert_eq!(persons["total"], list["total"]);
    assert!(
        persons["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["kind"] == "person")
    );
    let id = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["ref"] == "p-pub")
        .and_then(|p| p["id"].as_str())
        .expect("p-pub is public")
        .to_string();
    let en = get(&app, &format!("/en/people/{id}")).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("<h1>Aset Publicov</h1>"), "{}", en.body);
    assert!(en.body.contains("34 years"));
    assert!(en.body.contains("Driver"));
    assert!(en.body.contains("Torture"), "the act type");
    assert!(en.body.contains("6 January 2022"), "the act's date");
    assert!(en.body.contains("Public police unit"));
    // The description of violence is behind a no-script content warning.
    let cw = en
        .body
        .find("<details class=\"cw\">")
        .expect("content warning");
    assert!(en.body[cw..].contains("He was beaten in custody."));
    assert!(en.body.contains("Filed"), "{}", en.body);
    assert!(en.body.contains(" → "), "the proceeding's course");
    assert!(en.body.contains("Dana Openova"), "the relative");
    assert!(en.body.contains("Public report"), "the source");
    let ru = get(&app, &format!("/ru/people/{id}")).await;
    assert!(
        ru.body.contains("<h1>Асет Публиков</h1>"),
        "Russian readers get the Cyrillic name"
    );
    assert!(ru.body.contains("34 года"), "Russian plural");
    assert!(ru.body.contains("6 января 2022"));
    // By ref too.
    assert_eq!(get(&app, "/en/people/p-pub").await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_pages_and_languages_are_404_pages() {
    let (_t, app) = app().await;
    for uri in [
        "/en/people/nobody",
        "/de/people",
        "/de/",
        "/en/nothing-here",
        "/en/people/s-pub",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
        assert!(r.body.contains("<main"), "{uri} is a full page");
    }
    let r = get(&app, "/ru/no-such-page").await;
    assert!(
        r.body.contains("Страница не найдена"),
        "404 in the URL's language"
    );
}

#[tokio::test]
async fn timeline_is_by_day_and_filters_by_city_and_act_type() {
    let (_t, app) = app().await;
    let all = get(&app, "/en/timeline").await;
    assert!(all.body.contains("<h2>5 January 2022</h2>"), "{}", all.body);
    assert!(all.body.contains("<h2>6 January 2022</h2>"));
    assert!(
        all.body.contains("<h2>February 2022</h2>"),
        "proceedings after January"
    );
    assert!(all.body.contains("Protest on Republic Square"));
    assert!(
        all.body.contains("<label for=\"f-city\">"),
        "labelled filter"
    );
    let killing = get(&app, "/en/timeline?type=killing").await;
    assert!(killing.body.contains("Dana Openova"));
    assert!(
        !killing.body.contains("Protest on Republic Square"),
        "events are not acts"
    );
    assert!(!killing.body.contains("Beating"), "no torture entry");
    assert!(killing.body.contains("<option value=\"killing\" selected>"));
    let almaty = get(&app, "/en/timeline?city=almaty").await;
    assert!(almaty.body.contains("Aset Publicov"));
    assert!(almaty.body.contains("Protest on Republic Square"));
    let taraz = get(&app, "/en/timeline?city=taraz").await;
    assert!(
        taraz.body.contains("Nothing public matches"),
        "{}",
        taraz.body
    );
    // A malformed or unknown filter is not an error.
    assert_eq!(
        get(&app, "/en/timeline?city=nowhere&type=").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn map_numbers_accountability_and_sources_pages_show_their_data() {
    let (_t, app) = app().await;
    let map = get(&app, "/en/map").await;
    assert!(map.body.contains("<svg"), "inline SVG map");
    assert!(
        map.body.contains("Almaty: 1 documented act"),
        "{}",
        map.body
    );
    assert!(
        map.body.contains("href=\"/en/timeline?city="),
        "cities link to a filtered list"
    );
    let numbers = get(&app, "/en/numbers").await;
    assert!(numbers.body.contains("Prosecutor General"));
    assert!(numbers.body.contains("more than 240"));
    assert!(
        numbers.body.contains("Sources disagree: from 238 to more."),
        "{}",
        numbers.body
    );
    assert!(
        numbers
            .body
            .contains("Documented in this register: 1 person.")
    );
    assert!(
        numbers.body.contains("no public source"),
        "claim citing only a hidden source"
    );
    assert!(numbers.body.contains("<svg"), "chart");
    let acc = get(&app, "/en/accountability").await;
    assert!(
        acc.body
            .contains("0 of 1 complaint led to a prosecution (0%)."),
        "{}",
        acc.body
    );
    assert!(acc.body.contains("Torture complaint"));
    let src = get(&app, "/en/sources").await;
    assert!(src.body.contains("Public report"));
    assert!(src.body.contains("What it supports"));
    assert!(src.body.contains("Aset Publicov"));
}

#[tokio::test]
async fn api_lists_and_gets_public_records_with_problem_details_on_errors() {
    let (_t, app) = app().await;
    let idx = get(&app, "/api/v1").await;
    assert_eq!(idx.status, StatusCode::OK);
    assert_eq!(idx.json()["openapi"], "/api/v1/openapi.json");
    let l = get(&app, "/api/v1/records?kind=source&limit=1").await;
    assert_eq!(l.status, StatusCode::OK);
    let j = l.json();
    assert_eq!(j["total"], 1);
    assert_eq!(j["items"][0]["ref"], "s-pub");
    assert!(
        j["items"][0].get("notes").is_none(),
        "notes are never public"
    );
    let one = get(&app, "/api/v1/records/s-pub").await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["kind"], "source");
    let person = get(&app, "/api/v1/persons/p-pub").await;
    assert_eq!(person.status, StatusCode::OK);
    let pj = person.json();
    assert_eq!(pj["display_names"]["ru"], "Асет Публиков");
    assert_eq!(pj["acts"].as_array().map(Vec::len), Some(1));
    assert_eq!(pj["relationships"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        get(&app, "/api/v1/persons/s-pub").await.status,
        StatusCode::NOT_FOUND
    );
    for (uri, status, needle) in [
        (
            "/api/v1/records?kind=dragon",
            StatusCode::BAD_REQUEST,
            "kind \\\"dragon\\\" is not a record kind",
        ),
        (
            "/api/v1/records?limit=0",
            StatusCode::BAD_REQUEST,
            "limit 0 is out of range",
        ),
        (
            "/api/v1/records?limit=many",
            StatusCode::BAD_REQUEST,
            "use ?kind=person",
        ),
        (
            "/api/v1/records/nothing",
            StatusCode::NOT_FOUND,
            "no public record",
        ),
        ("/api/v1/nope", StatusCode::NOT_FOUND, "openapi.json"),
        ("/api/v2/records", StatusCode::NOT_FOUND, "openapi.json"),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, status, "{uri}");
        assert_eq!(
            r.header("content-type"),
            "application/problem+json",
            "{uri}"
        );
        let p = r.json();
        assert_eq!(p["status"], status.as_u16(), "{uri}");
        assert!(
            p["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("/api/v1/problems/")),
            "{uri}"
        );
        assert!(p["title"].is_string());
        assert!(r.body.contains(needle), "{uri}: {}", r.body);
    }
}

#[tokio::test]
async fn openapi_document_describes_every_api_route() {
    let (_t, app) = app().await;
    let r = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1",
        "/api/v1/records",
        "/api/v1/records/{id}",
        "/api/v1/persons/{id}",
        "/api/v1/numbers",
        "/api/v1/accountability",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
        // Every documented route answers.
        let uri = p.replace("{id}", "s-pub");
        let uri = if p.contains("persons") {
            uri.replace("s-pub", "p-pub")
        } else {
            uri
        };
        assert_eq!(get(&app, &uri).await.status, StatusCode::OK, "{uri}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn pages_are_light_and_load_nothing_from_elsewhere() {
    let (_t, app) = app().await;
    for (uri, status, body) in crawl(&app).await {
        if status != StatusCode::OK {
            continue;
        }
        assert!(body.len() < 100 * 1024, "{uri} weighs {} bytes", body.len());
        for bad in [
            "<script",
            "<img src=\"http",
            "<link rel=\"stylesheet\" href=\"http",
            "@import",
            "src=\"//",
            "fonts.",
            "<iframe",
        ] {
            assert!(!body.contains(bad), "{uri} contains {bad}");
        }
    }
    let css = get(&app, "/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(!css.body.contains("url("), "the stylesheet loads nothing");
}

#[tokio::test]
async fn the_real_demo_data_renders_within_budget() {
    let Some(records) = demo_records() else {
        println!("skipping: crates/cli/demo/qandy-qantar.records.json not found");
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("demo");
    let archive = archive_with(&dir, &records, &[]);
    let hidden: Vec<String> = archive
        .store
        .list(&qantar_store::Filter::default())
        .expect("list")
        .into_iter()
        .filter(|r| r.confidentiality != "public")
        .map(|r| r.id)
        .collect();
    assert!(!hidden.is_empty(), "the demo has confidential records");
    drop(archive);
    let app = router_for(&dir);
    let pages = crawl(&app).await;
    let persons = pages
        .iter()
        .filter(|(u, s, _)| u.contains("/people/") && *s == StatusCode::OK)
        .count();
    assert!(
        persons >= 3 * 15,
        "person pages in three languages: {persons}"
    );
    for (uri, status, body) in &pages {
        assert!(
            status.is_success() || status.is_redirection(),
            "{uri}: {status}"
        );
        assert!(body.len() < 100 * 1024, "{uri} weighs {} bytes", body.len());
        assert!(!body.contains('⟦'), "{uri} has an untranslated key");
        for id in &hidden {
            assert!(
                !body.contains(id.as_str()),
                "{uri} names hidden record {id}"
            );
        }
    }
}
