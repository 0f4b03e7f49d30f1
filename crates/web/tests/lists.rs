//! The review queue, list import, the register and the estimates on the
//! Numbers page, through real HTTP requests to the router, on SQLite and
//! (when a test server answers) PostgreSQL.

mod common;

use axum::http::{Method, StatusCode};
use qantar_store::{Archive, Filter};
use qantar_web::Role;

use common::lists::{Backend, archive, link, three_lists, two_lists};
use common::session::{Agent, PASSWORD, login, send};
use common::{get, upload};

/// The value of `name="upload"` on the mapping form.
fn upload_id(html: &str) -> String {
    let marker = "name=\"upload\" value=\"";
    let start = html
        .find(marker)
        .expect("the mapping form names its upload")
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Run store work on this worker without the runtime: the PostgreSQL
/// client is synchronous and refuses to block inside one.
fn sync<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

fn id_of(a: &Archive, reference: &str) -> String {
    a.store
        .get(reference)
        .expect("get")
        .unwrap_or_else(|| panic!("no record {reference}"))
        .id
}

fn users(dir: &std::path::Path) {
    for role in Role::ALL {
        qantar_web::add_user(dir, role.as_str(), role, PASSWORD).expect("add account");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_decides_a_pair_and_the_next_run_applies_it() {
    for backend in sync(|| Backend::all("web_review")) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let a = sync(|| archive(tmp.path(), &backend, &two_lists()));
        let tag = backend.name();
        let cyr = sync(|| {
            a.store
                .list(&Filter {
                    kind: Some(qantar_model::Kind::ListEntry),
                    ..Filter::default()
                })
                .expect("list")
                .into_iter()
                .find(|r| r.data["fields"]["surname"] == "Қасымов")
                .expect("the Cyrillic entry")
                .id
        });
        let lat = sync(|| {
            a.store
                .list(&Filter {
                    kind: Some(qantar_model::Kind::ListEntry),
                    ..Filter::default()
                })
                .expect("list")
                .into_iter()
                .find(|r| r.data["fields"]["surname"] == "Kassymov")
                .expect("the Latin entry")
                .id
        });
        sync(|| users(tmp.path()));
        let app = sync(|| common::router_for(tmp.path()));
        let analyst = login(&app, "analyst", PASSWORD).await.expect("login");
        let viewer = login(&app, "viewer", PASSWORD).await.expect("login");

        // Before any run: the page says so and offers nothing to judge.
        let page = analyst.get(&app, "/workspace/review").await;
        assert_eq!(page.status, StatusCode::OK, "{tag}");
        assert!(page.body.contains("id=\"no-run\""), "{tag}: {}", page.body);
        assert!(
            !page.body.contains("action=\"/workspace/link\""),
            "analysts may not run it"
        );
        sync(|| drop(link(&a)));

        // The pair, side by side, with its score explained.
        let page = analyst.get(&app, "/workspace/review?low=0&high=1").await;
        assert_eq!(page.status, StatusCode::OK, "{tag}");
        for needle in [
            "Қасымов",
            "Kassymov",
            "Тізім А",
            "List B",
            "Фамилия",
            "class=\"explanation\"",
            "<svg class=\"weight\"",
        ] {
            assert!(
                page.body.contains(needle),
                "{tag}: no {needle:?} in {}",
                page.body
            );
        }
        assert!(page.body.contains(&cyr) && page.body.contains(&lat));
        assert!(page.body.contains("action=\"/workspace/review/decide\""));
        // A viewer reads the queue but gets no buttons.
        let seen = viewer.get(&app, "/workspace/review?low=0&high=1").await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(seen.body.contains("Kassymov"));
        assert!(!seen.body.contains("action=\"/workspace/review/decide\""));
        // The default window leaves out pairs the model is sure about.
        let narrow = analyst
            .get(&app, "/workspace/review?low=0.999&high=1")
            .await;
        assert!(!narrow.body.contains("class=\"pair\"") || narrow.body.contains("Kassymov"));

        // "Same person", with a reason: a link_decision by the analyst.
        let before = sync(|| a.store.size().expect("size"));
        let got = analyst
            .post(
                &app,
                "/workspace/review/decide",
                &[
                    ("left", &cyr),
                    ("right", &lat),
                    ("verdict", "same"),
                    ("reason", "same birth year; transliteration"),
                    ("low", "0"),
                    ("high", "1"),
                    ("page", "1"),
                ],
            )
            .await;
        assert!(
            got.status.is_redirection(),
            "{tag}: {} {}",
            got.status,
            got.body
        );
        let back = got.header("location");
        assert!(back.contains("recorded=same"), "{back}");
        assert_eq!(sync(|| a.store.size().expect("size")), before + 1);
        let decisions = sync(|| {
            a.store
                .list(&Filter {
                    kind: Some(qantar_model::Kind::LinkDecision),
                    ..Filter::default()
                })
                .expect("list")
        });
        assert_eq!(decisions.len(), 2, "the deferral and the new decision");
        let d = decisions
            .iter()
            .find(|d| d.data["verdict"] == "same")
            .expect("the new decision");
        assert_eq!(d.data["verdict"], "same");
        assert_eq!(d.data["reason"], "same birth year; transliteration");
        let history = sync(|| a.store.history(&d.id).expect("history"));
        assert_eq!(history[0].author, "analyst", "the reviewer is the author");
        let shown = analyst.get(&app, &back).await;
        assert!(shown.body.contains("id=\"recorded\""), "{}", shown.body);
        // A decided pair leaves the queue at once, before the next run.
        let form_for = |l: &str, r: &str| {
            format!(
                "<input type=\"hidden\" name=\"left\" value=\"{l}\"><input type=\"hidden\" name=\"right\" value=\"{r}\">"
            )
        };
        assert!(
            page.body.contains(&form_for(&cyr, &lat)) || page.body.contains(&form_for(&lat, &cyr)),
            "the pair was offered for a decision"
        );
        assert!(
            !shown.body.contains(&form_for(&cyr, &lat))
                && !shown.body.contains(&form_for(&lat, &cyr)),
            "the decided pair is still in the queue"
        );
        assert!(
            shown.body.contains("id=\"stale\""),
            "the register is now out of date"
        );

        // Bad verdicts and forged posts write nothing.
        let bad = analyst
            .post(
                &app,
                "/workspace/review/decide",
                &[("left", &cyr), ("right", &lat), ("verdict", "maybe")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let forged = send(
            &app,
            Method::POST,
            "/workspace/review/decide",
            &analyst.headers(),
            &format!(
                "csrf={}&left={cyr}&right={lat}&verdict=same",
                "0".repeat(64)
            ),
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let by_viewer = viewer
            .post(
                &app,
                "/workspace/review/decide",
                &[("left", &cyr), ("right", &lat), ("verdict", "different")],
            )
            .await;
        assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
        assert_eq!(sync(|| a.store.size().expect("size")), before + 1);

        // An editor runs the linkage from the page; the decision applies.
        let editor = login(&app, "editor", PASSWORD).await.expect("login");
        let ran = editor.post(&app, "/workspace/link", &[]).await;
        assert_eq!(ran.status, StatusCode::OK, "{tag}: {}", ran.body);
        assert!(ran.body.contains("id=\"link-summary\""));
        let reg = sync(|| qantar_register::register(&a.store).expect("register"));
        let together = reg
            .persons
            .iter()
            .find(|p| p.records.iter().any(|m| m.id == cyr))
            .expect("the person");
        assert!(
            together.records.iter().any(|m| m.id == lat),
            "{tag}: the two spellings are one person after the run"
        );
        assert_eq!(together.lists.len(), 2);
        assert_eq!(reg.run.summary["decisions"]["same"], 1);
        let after = analyst.get(&app, "/workspace/review?low=0&high=1").await;
        assert!(!after.body.contains("id=\"stale\""), "fresh after the run");

        // The register page and its overlap file.
        let page = viewer.get(&app, "/workspace/register").await;
        assert_eq!(page.status, StatusCode::OK, "{tag}: {}", page.body);
        assert!(page.body.contains("class=\"overlaps\"") && page.body.contains("id=\"persons\""));
        assert!(page.body.contains("Kassymov") || page.body.contains("Қасымов"));
        let file = viewer.get(&app, "/workspace/register/overlaps.json").await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.header("content-disposition").contains("overlaps.json"));
        let json = file.json();
        assert_eq!(json["lists"].as_array().map(Vec::len), Some(2));
        assert_eq!(json["n_observed"], reg.persons.len());
        let both = json["patterns"]
            .as_array()
            .expect("patterns")
            .iter()
            .find(|p| p["in"] == serde_json::json!([1, 1]))
            .expect("a pattern on both lists");
        assert!(both["count"].as_u64() >= Some(1));
        let by = viewer
            .get(&app, "/workspace/register/overlaps.json?by=act-type")
            .await
            .json();
        assert_eq!(by[0]["stratum"], "detention", "{by}");

        // Nobody without an account sees any of it.
        for uri in [
            "/workspace/review",
            "/workspace/register",
            "/workspace/import",
            "/workspace/register/overlaps.json",
        ] {
            let got = get(&app, uri).await;
            assert_eq!(got.header("location"), "/workspace/login", "{uri}");
        }
        sync(move || drop((app, a, backend)));
    }
}

const LIST_CSV: &str = "Фамилия;Имя;Год рождения;Город, район\n\
Қасымов;Ерлан;1990;Алматы\n\
Сейітова;Айгүл;1985;Алматы\n\
Бекова;Гүлнара;1991;\n\
Оспанова;Динара;1992;Алматы;лишнее;ещё\n\
Жұмабаев;Болат;1979;Тараз\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_is_previewed_mapped_and_imported_once() {
    for backend in sync(|| Backend::all("web_import")) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let a = sync(|| archive(tmp.path(), &backend, &two_lists()));
        let tag = backend.name();
        let list_a = sync(|| id_of(&a, "list-a"));
        sync(|| users(tmp.path()));
        let app = sync(|| common::router_for(tmp.path()));
        let editor = login(&app, "editor", PASSWORD).await.expect("login");

        let form = editor.get(&app, "/workspace/import").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("enctype=\"multipart/form-data\""));

        let page = upload(&app, &editor, "список.csv", LIST_CSV.as_bytes()).await;
        assert_eq!(page.status, StatusCode::OK, "{tag}: {}", page.body);
        assert!(
            page.body.contains("<dd id=\"format\">CSV</dd>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<dd id=\"delimiter\">;</dd>"));
        assert!(page.body.contains("<dd id=\"encoding\">UTF-8</dd>"));
        assert!(page.body.contains("Сейітова") && page.body.contains("Жұмабаев"));
        // Guesses from the headers, and every field and "ignore" offered.
        assert!(
            page.body.contains("<option value=\"surname\" selected>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<option value=\"given\" selected>"));
        for f in qantar_register::import_fields() {
            assert!(page.body.contains(&format!("<option value=\"{f}\"")), "{f}");
        }
        assert!(
            page.body
                .contains("<option value=\"text\">мәтін: Город, район</option>")
        );
        // The list source is offered by name.
        assert!(page.body.contains(&format!("<option value=\"{list_a}\"")));
        let upload_a = upload_id(&page.body);

        let before = sync(|| a.store.size().expect("size"));
        let mapping = [
            ("map-0", "surname"),
            ("map-1", "given"),
            ("map-2", "birth_year"),
            ("map-3", "text"),
            ("act_type", "detention"),
            ("date", "2022-01"),
        ];
        let mut fields: Vec<(&str, &str)> =
            vec![("upload", upload_a.as_str()), ("source", list_a.as_str())];
        fields.extend_from_slice(&mapping);
        let report = editor.post(&app, "/workspace/import", &fields).await;
        assert_eq!(report.status, StatusCode::OK, "{tag}: {}", report.body);
        assert!(
            report.body.contains("<dd id=\"rows-read\">5</dd>"),
            "{}",
            report.body
        );
        assert!(report.body.contains("<dd id=\"imported\">4</dd>"));
        assert!(report.body.contains("<dd id=\"already-present\">0</dd>"));
        assert!(
            report.body.contains("<dd id=\"bad-rows\">1</dd>"),
            "the misaligned row is refused"
        );
        assert!(
            report.body.contains("<tr><td>5</td><td>has 6 cells"),
            "by line: {}",
            report.body
        );
        assert!(sync(|| a.store.size().expect("size")) > before);
        let imported = sync(|| {
            a.store
                .list(&Filter {
                    kind: Some(qantar_model::Kind::ListEntry),
                    ..Filter::default()
                })
                .expect("list")
                .into_iter()
                .find(|r| {
                    r.data["fields"]["surname"] == "Жұмабаев"
                        && r.data["values"]["Город, район"].is_string()
                })
                .expect("an imported row")
        });
        assert_eq!(imported.data["values"]["Имя"], "Болат");
        assert_eq!(imported.data["act_type"], "detention");
        assert_eq!(imported.data["date"], "2022-01");
        assert_eq!(imported.data["fields"]["text:Город, район"], "Тараз");
        assert_eq!(imported.data["fields"]["birth_year"], "1979");
        // The upload is gone once imported.
        let again = editor.post(&app, "/workspace/import", &fields).await;
        assert_eq!(again.status, StatusCode::GONE);

        // The same file again adds nothing.
        let size = sync(|| a.store.size().expect("size"));
        let page = upload(&app, &editor, "список.csv", LIST_CSV.as_bytes()).await;
        let upload_b = upload_id(&page.body);
        let mut fields: Vec<(&str, &str)> =
            vec![("upload", upload_b.as_str()), ("source", list_a.as_str())];
        fields.extend_from_slice(&mapping);
        let report = editor.post(&app, "/workspace/import", &fields).await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        assert!(
            report.body.contains("<dd id=\"imported\">0</dd>"),
            "{}",
            report.body
        );
        assert!(report.body.contains("<dd id=\"already-present\">4</dd>"));
        assert_eq!(
            sync(|| a.store.size().expect("size")),
            size,
            "{tag}: nothing written"
        );

        // A new list source made inline; a bad default date refused first.
        let page = upload(&app, &editor, "second.csv", LIST_CSV.as_bytes()).await;
        let upload_c = upload_id(&page.body);
        let bad = editor
            .post(
                &app,
                "/workspace/import",
                &[
                    ("upload", &upload_c),
                    ("new_source_title", "Third list"),
                    ("map-0", "surname"),
                    ("date", "soon"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"import-error\"") && bad.body.contains("soon"));
        assert_eq!(
            sync(|| a.store.size().expect("size")),
            size,
            "no source was made for a refused import"
        );
        let none = editor
            .post(
                &app,
                "/workspace/import",
                &[("upload", &upload_c), ("new_source_title", "Third list")],
            )
            .await;
        assert_eq!(
            none.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no column mapped"
        );
        let ok = editor
            .post(
                &app,
                "/workspace/import",
                &[
                    ("upload", &upload_c),
                    ("new_source_title", "Third list"),
                    ("map-0", "surname"),
                    ("map-1", "given"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(ok.body.contains("<dd id=\"imported\">4</dd>"));
        let third = sync(|| {
            a.store
                .list(&Filter {
                    kind: Some(qantar_model::Kind::Source),
                    ..Filter::default()
                })
                .expect("list")
                .into_iter()
                .find(|r| r.label.contains("Third list"))
                .expect("the new list source")
        });
        assert_eq!(third.data["source_kind"], "list");

        // Files that are not lists, and files that are too large.
        let junk = upload(&app, &editor, "notes.pdf", b"%PDF-1.7 binary").await;
        assert_eq!(
            junk.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            junk.body
        );
        assert!(junk.body.contains("id=\"import-error\""));
        let huge = vec![b'a'; qantar_web::import::MAX_UPLOAD + 1];
        let big = upload(&app, &editor, "big.csv", &huge).await;
        assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            big.body.contains("50 МиБ"),
            "the limit is named: {}",
            big.body
        );
        // Only editors import; a forged upload is refused before reading.
        let analyst = login(&app, "analyst", PASSWORD).await.expect("login");
        let denied = upload(&app, &analyst, "list.csv", LIST_CSV.as_bytes()).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let forged = Agent {
            cookie: editor.cookie.clone(),
            csrf: "0".repeat(64),
            totp: None,
        };
        let refused = upload(&app, &forged, "list.csv", LIST_CSV.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        sync(move || drop((app, a, backend)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_numbers_page_shows_documented_and_estimated_counts() {
    for backend in sync(|| Backend::all("web_numbers")) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let a = sync(|| archive(tmp.path(), &backend, &three_lists(150)));
        let tag = backend.name();
        let state = sync(|| qantar_web::AppState::open(tmp.path()).expect("open"));
        let app = qantar_web::router(state.clone());

        // No run yet: the page says there is no estimate.
        let page = get(&app, "/en/numbers").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("There is no estimate yet"),
            "{tag}: {}",
            page.body
        );

        sync(|| drop(link(&a)));
        let reg = sync(|| qantar_register::register(&a.store).expect("register"));
        let status = state.estimates_ready().await.expect("estimates");
        let qantar_web::estimates::Status::Ready(est) = status else {
            panic!("{tag}: not ready: {status:?}");
        };
        assert_eq!(est.run, reg.run.run);
        let whole = &est.whole[0];
        assert_eq!(whole.documented, reg.persons.len() as u64);
        let fig = whole
            .figure
            .clone()
            .unwrap_or_else(|| panic!("{tag}: no figure for the whole: {:?}", whole.warnings));
        assert!(
            fig.lower <= fig.estimate && fig.estimate <= fig.upper,
            "{fig:?}"
        );
        assert!(
            fig.lower >= whole.documented as f64 - 1e-6,
            "the documented count is a floor"
        );
        // Region strata: Almaty (public) and the rest (unknown).
        let names: Vec<&str> = est.regions.iter().map(|s| s.name.as_str()).collect();
        assert!(names.contains(&"unknown"), "{names:?}");
        assert_eq!(
            est.regions.iter().map(|s| s.documented).sum::<u64>(),
            whole.documented
        );

        for (lang, words) in [
            ("en", "multiple systems estimation"),
            ("ru", "нижняя граница"),
            ("kk", "төменгі шек"),
        ] {
            let page = get(&app, &format!("/{lang}/numbers")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains(words), "{lang}: {}", page.body);
            assert!(
                page.body.contains("<svg class=\"chart estimates\""),
                "{lang}"
            );
            assert!(!page.body.contains('⟦'), "{lang}: a missing message");
            let row = format!("<td class=\"estimate\">{:.0}</td>", fig.estimate.round());
            assert!(page.body.contains(&row), "{lang}: {row} in {}", page.body);
            assert!(page.body.contains(&format!(
                "<td class=\"documented-count\">{}</td>",
                whole.documented
            )));
        }
        let en = get(&app, "/en/numbers").await;
        assert!(
            en.body.contains(">Almaty<"),
            "a public region is named: {}",
            en.body
        );
        assert!(en.body.contains("Region not known"));
        // Aggregates only: no list entry's name reaches the page.
        assert!(!en.body.contains("Абдрахманов") && !en.body.contains("List l1"));
        sync(move || drop((app, state, a, backend)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stratum_with_too_few_lists_shows_why_not_a_number() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let a = sync(|| archive(tmp.path(), &Backend::Sqlite, &two_lists()));
    sync(|| drop(link(&a)));
    let state = sync(|| qantar_web::AppState::open(tmp.path()).expect("open"));
    let app = qantar_web::router(state.clone());
    let qantar_web::estimates::Status::Ready(est) =
        state.estimates_ready().await.expect("estimates")
    else {
        panic!("not ready");
    };
    assert!(
        est.whole[0].figure.is_none(),
        "two lists with one overlap give no number"
    );
    let page = get(&app, "/en/numbers").await;
    assert!(
        !page.body.contains("<td class=\"estimate\">"),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"warning\""));
    assert!(page.body.contains("no estimate (see the table)"));
}
