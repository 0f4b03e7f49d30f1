//! The documenters' workspace and the API's writes, through real HTTP
//! requests to the router: the authorisation table cell by cell, login,
//! CSRF, the forms' field errors, and writes that end in the ledger.

mod common;

use axum::Router;
use axum::http::{Method, StatusCode};
use qantar_web::Role;
use qantar_web::policy::{Access, POLICY, PRINCIPALS, Route, access};
use serde_json::{Value, json};
use tempfile::TempDir;

use common::session::{Agent, PASSWORD, login, send};
use common::{Got, archive_with, fixture, get, router_for};

struct World {
    dir: TempDir,
    app: Router,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    archive_with(dir.path(), &fixture::records(), &fixture::RETRACT);
    for role in Role::ALL {
        qantar_web::add_user(dir.path(), role.as_str(), role, PASSWORD).expect("add account");
    }
    let app = router_for(dir.path());
    World { dir, app }
}

fn size(w: &World) -> u64 {
    qantar_store::Archive::open(w.dir.path())
        .expect("open")
        .store
        .size()
        .expect("size")
}

/// One real request that exercises `route` as principal number `i` (the
/// column of the table), with a session or token when there is one.
async fn probe(
    w: &World,
    route: Route,
    i: usize,
    agent: Option<&Agent>,
    token: Option<&str>,
) -> Got {
    let app = &w.app;
    let anon = Agent {
        cookie: String::new(),
        csrf: "0".repeat(64),
        totp: None,
    };
    let a = agent.unwrap_or(&anon);
    let getp = |uri: &'static str| async move { a.get(app, uri).await };
    match route {
        Route::PublicSite => getp("/en/people").await,
        Route::PublicApi => getp("/api/v1/records").await,
        Route::Login => getp("/workspace/login").await,
        Route::Workspace => getp("/workspace/").await,
        Route::RecordRead => getp("/workspace/records/p-pub").await,
        Route::History => getp("/workspace/records/p-pub/history").await,
        Route::LedgerStatus => getp("/workspace/ledger").await,
        Route::RecordCreate => {
            let rec = json!({"kind": "person", "names": [{"value": format!("Probe {i}")}], "sources": ["s-pub"]});
            a.post(app, "/workspace/new/json", &[("json", &rec.to_string())])
                .await
        }
        Route::RecordEdit => {
            let patch = json!({"notes": format!("edited by principal {i}")});
            a.post(
                app,
                "/workspace/records/p-pub2/edit",
                &[("patch", &patch.to_string())],
            )
            .await
        }
        Route::Confidentiality => {
            // ev-pub starts public; each allowed principal moves it elsewhere.
            let level = [
                "restricted",
                "restricted",
                "restricted",
                "confidential",
                "public",
            ][i];
            a.post(
                app,
                "/workspace/records/ev-pub/confidentiality",
                &[("confidentiality", level)],
            )
            .await
        }
        Route::Retract => {
            let target = if i == 4 { "claim-pub-2" } else { "claim-pub" };
            a.post(
                app,
                &format!("/workspace/records/{target}/retract"),
                &[("reason", "probe")],
            )
            .await
        }
        Route::Redact => {
            let target = if i == 4 {
                "leak-s-restr"
            } else {
                "leak-p-restr"
            };
            a.post(app, &format!("/workspace/records/{target}/redact"), &[])
                .await
        }
        Route::Accounts => {
            let name = format!("new-account-{i}");
            a.post(
                app,
                "/workspace/accounts",
                &[
                    ("action", "add"),
                    ("name", &name),
                    ("role", "viewer"),
                    ("password", PASSWORD),
                ],
            )
            .await
        }
        Route::Tokens => {
            a.post(
                app,
                "/workspace/tokens",
                &[("account", "viewer"), ("label", "probe")],
            )
            .await
        }
        Route::Review => getp("/workspace/review").await,
        Route::ReviewDecide => {
            a.post(
                app,
                "/workspace/review/decide",
                &[
                    ("left", "p-pub"),
                    ("right", "p-pub2"),
                    ("verdict", "unsure"),
                ],
            )
            .await
        }
        Route::LinkRun => a.post(app, "/workspace/link", &[]).await,
        Route::Import => {
            common::upload(
                app,
                a,
                "probe.csv",
                "Фамилия;Имя\nАбенов;Нұрлан\n".as_bytes(),
            )
            .await
        }
        Route::Register => getp("/workspace/register").await,
        // Fresh logins have just authenticated, so the export opens; that
        // it asks again later is tested in tests/security.rs.
        Route::RegisterExport => getp("/workspace/register/overlaps.json").await,
        Route::SecondFactor => getp("/workspace/totp").await,
        Route::Reauth => getp("/workspace/reauth").await,
        // The page with the button: pressing it would end the other
        // principals' sessions mid-test (tests/security.rs presses it).
        Route::Lock => getp("/workspace/lock").await,
        Route::ApiRead => {
            // An anonymous caller's token is one that does not exist.
            let auth = format!("Bearer {}", token.unwrap_or("qtk_not_a_token"));
            send(
                app,
                Method::GET,
                "/api/v1/records/leak-p-restr",
                &[("authorization", auth.as_str())],
                "",
            )
            .await
        }
        // Every role may reach the sealed pages; without a grant they show
        // nothing (tests/sealed.rs has the grants' matrix). A record in
        // clear is sent on to its ordinary page.
        Route::Sealed => getp("/workspace/sealed").await,
        Route::SealedForm => getp("/workspace/sealed/p-pub").await,
        Route::SealedOpen => {
            a.post(
                app,
                "/workspace/sealed/p-pub/open",
                &[("seal.passphrase", "not needed for a record in clear")],
            )
            .await
        }
        // A restricted record: any file may be attached in clear, and
        // every role reads it. Attachment 1 is there before the probes.
        Route::EvidenceAdd => {
            let body = common::multipart(&a.csrf, "probe.txt", format!("probe {i}").as_bytes());
            let ct = format!("multipart/form-data; boundary={}", common::BOUNDARY);
            send(
                app,
                Method::POST,
                "/workspace/records/leak-s-restr/evidence",
                &[
                    ("cookie", a.cookie.as_str()),
                    ("content-type", ct.as_str()),
                    ("sec-fetch-site", "same-origin"),
                    ("host", "localhost"),
                ],
                &String::from_utf8(body).expect("a text upload"),
            )
            .await
        }
        Route::EvidenceOriginal => getp("/workspace/records/leak-s-restr/evidence/1").await,
        // A file in clear needs no secret: the post is sent on to the
        // download (tests/evidence.rs opens sealed ones).
        Route::EvidenceOpen => {
            a.post(
                app,
                "/workspace/records/leak-s-restr/evidence/1",
                &[("seal.passphrase", "not needed for a file in clear")],
            )
            .await
        }
        Route::ApiWrite => {
            let auth = token.map(|t| format!("Bearer {t}")).unwrap_or_default();
            let mut headers = vec![("content-type", "application/json")];
            if token.is_some() {
                headers.push(("authorization", auth.as_str()));
            }
            let rec = json!({"kind": "person", "names": [{"value": format!("API probe {i}")}], "sources": ["s-pub"]});
            send(
                app,
                Method::POST,
                "/api/v1/records",
                &headers,
                &rec.to_string(),
            )
            .await
        }
    }
}

fn outcome(got: &Got) -> Access {
    let to_login = got.status.is_redirection() && got.header("location") == "/workspace/login";
    if got.status.is_success() || (got.status.is_redirection() && !to_login) {
        Access::Allow
    } else {
        assert!(
            to_login || matches!(got.status.as_u16(), 401 | 403),
            "a refusal is 401, 403 or the login page, not {}: {}",
            got.status,
            got.body
        );
        Access::Deny
    }
}

#[tokio::test]
async fn every_cell_of_the_authorisation_table_holds() {
    let w = world();
    let mut agents: Vec<Option<Agent>> = vec![None];
    let mut tokens: Vec<Option<String>> = vec![None];
    for role in Role::ALL {
        agents.push(Some(
            login(&w.app, role.as_str(), PASSWORD).await.expect("login"),
        ));
        tokens.push(Some(
            qantar_web::create_token(w.dir.path(), role.as_str(), "policy test").expect("token"),
        ));
    }
    {
        let mut a = qantar_store::Archive::open(w.dir.path()).expect("open");
        a.attach(
            "leak-s-restr",
            &b"a file read by every role"[..],
            &qantar_store::NewFile {
                name: "first.txt".into(),
                captured_at: None,
            },
            None,
            &common::stamp(),
            Box::new(|_| {}),
        )
        .expect("attach the first file");
    }
    let before = size(&w);
    let mut cells = 0;
    for (route, row, _) in POLICY {
        for (i, who) in PRINCIPALS.iter().enumerate() {
            let got = probe(&w, *route, i, agents[i].as_ref(), tokens[i].as_deref()).await;
            assert_eq!(
                outcome(&got),
                row[i],
                "{route:?} as {who:?}: got {} {}",
                got.status,
                got.body.chars().take(400).collect::<String>()
            );
            assert_eq!(access(*route, *who), row[i]);
            cells += 1;
        }
    }
    assert_eq!(cells, POLICY.len() * 5);
    // Writes that were allowed reached the ledger; denied ones did not:
    // two form records, two API records, two edits, two confidentiality
    // changes, two retractions, two redactions, three review decisions,
    // and the audit entries of the administrator's new account and new
    // token, and two attached files on top of the fixture (a linkage run,
    // an import preview and reading a file in clear write no entry).
    assert_eq!(size(&w), before + 19);
}

#[tokio::test]
async fn a_record_the_role_may_not_read_looks_like_a_missing_one() {
    let w = world();
    let viewer = login(&w.app, "viewer", PASSWORD).await.expect("login");
    let analyst = login(&w.app, "analyst", PASSWORD).await.expect("login");
    for suffix in ["", "/history"] {
        let hidden = viewer
            .get(&w.app, &format!("/workspace/records/leak-p-conf{suffix}"))
            .await;
        let missing = viewer
            .get(
                &w.app,
                &format!("/workspace/records/no-such-record{suffix}"),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.status, missing.status);
        assert_eq!(hidden.body, missing.body, "the two answers differ");
        assert!(!hidden.body.contains("LEAK"));
        let seen = analyst
            .get(&w.app, &format!("/workspace/records/leak-p-conf{suffix}"))
            .await;
        assert_eq!(
            seen.status,
            StatusCode::OK,
            "an analyst reads confidential records"
        );
    }
    let list = viewer.get(&w.app, "/workspace/").await;
    assert!(
        list.body.contains("leak-p-restr"),
        "viewers see restricted records"
    );
    assert!(
        !list.body.contains("leak-p-conf"),
        "but not confidential ones"
    );
    // The same through the API: an editor's token cannot touch what the
    // editor could not read, and says so as "not found".
    let token = qantar_web::create_token(w.dir.path(), "editor", "t").expect("token");
    let auth = format!("Bearer {token}");
    let got = send(
        &w.app,
        Method::PATCH,
        "/api/v1/records/no-such-record",
        &[("authorization", &auth)],
        "{\"notes\": \"x\"}",
    )
    .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    assert_eq!(got.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn login_sets_strict_cookies_and_is_rate_limited() {
    let w = world();
    let page = get(&w.app, "/workspace/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(
        page.header("content-security-policy")
            .contains("script-src 'none'")
    );

    let wrong = login(&w.app, "editor", "not the password")
        .await
        .expect_err("wrong password");
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let unknown = login(&w.app, "nobody", PASSWORD)
        .await
        .expect_err("unknown account");
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let without_token = |g: &Got| {
        let token = common::session::csrf_of(&g.body);
        g.body.replace(&token, "").replace("editor", "nobody")
    };
    assert_eq!(
        without_token(&wrong),
        without_token(&unknown),
        "a wrong name and a wrong password read the same"
    );

    // Sessions: HttpOnly, SameSite=Strict, Path=/, Secure (tests run over
    // the in-process router, which is not "plain HTTP on loopback").
    let page = send(&w.app, Method::GET, "/workspace/login", &[], "").await;
    let pre = common::session::set_cookie(&page, "qantar_login").expect("cookie");
    let pre_kv = pre.split(';').next().unwrap_or_default().to_string();
    let got = send(
        &w.app,
        Method::POST,
        "/workspace/login",
        &[
            ("cookie", &pre_kv),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        &common::session::form(&[
            ("csrf", &common::session::csrf_of(&page.body)),
            ("name", "admin"),
            ("password", PASSWORD),
        ]),
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let cookie = common::session::set_cookie(&got, "qantar_session").expect("session cookie");
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Secure",
        "Max-Age=",
    ] {
        assert!(cookie.contains(flag), "{flag} missing from {cookie}");
    }

    // Five failures lock the account for the window, even with the right
    // password; other accounts are unaffected.
    for _ in 0..4 {
        let e = login(&w.app, "viewer", "wrong wrong wrong")
            .await
            .expect_err("refused");
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
    }
    let e = login(&w.app, "viewer", "wrong wrong wrong")
        .await
        .expect_err("refused");
    assert_eq!(e.status, StatusCode::UNAUTHORIZED);
    let locked = login(&w.app, "viewer", PASSWORD).await.expect_err("locked");
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(login(&w.app, "analyst", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn state_changes_need_the_token_and_this_origin() {
    let w = world();
    let editor = login(&w.app, "editor", PASSWORD).await.expect("login");
    let before = size(&w);
    let body = common::session::form(&[("csrf", &editor.csrf), ("reason", "x")]);
    let cookie = editor.cookie.as_str();
    let ct = ("content-type", "application/x-www-form-urlencoded");
    // No token.
    let got = send(
        &w.app,
        Method::POST,
        "/workspace/records/p-pub/retract",
        &[("cookie", cookie), ct],
        "reason=x",
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    // Another session's token.
    let other = login(&w.app, "admin", PASSWORD).await.expect("login");
    let stolen = common::session::form(&[("csrf", &other.csrf), ("reason", "x")]);
    let got = send(
        &w.app,
        Method::POST,
        "/workspace/records/p-pub/retract",
        &[("cookie", cookie), ct],
        &stolen,
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    // The right token, but sent by another site.
    let got = send(
        &w.app,
        Method::POST,
        "/workspace/records/p-pub/retract",
        &[
            ("cookie", cookie),
            ct,
            ("origin", "https://evil.example"),
            ("host", "localhost"),
        ],
        &body,
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    let got = send(
        &w.app,
        Method::POST,
        "/workspace/records/p-pub/retract",
        &[("cookie", cookie), ct, ("sec-fetch-site", "cross-site")],
        &body,
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    // `Origin: null` (what a sandboxed frame sends) is not this site.
    let got = send(
        &w.app,
        Method::POST,
        "/workspace/records/p-pub/retract",
        &[
            ("cookie", cookie),
            ct,
            ("origin", "null"),
            ("host", "localhost"),
        ],
        &body,
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    assert_eq!(size(&w), before, "nothing was written");
    // Logging out ends the session on the server.
    let got = editor.post(&w.app, "/workspace/logout", &[]).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let after = editor.get(&w.app, "/workspace/").await;
    assert_eq!(after.header("location"), "/workspace/login");
}

/// The `data-field` of the error shown beside an input.
fn errors_beside(html: &str) -> Vec<String> {
    html.split("data-field=\"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn form_errors_appear_beside_their_fields_and_nothing_is_stored() {
    let w = world();
    let editor = login(&w.app, "editor", PASSWORD).await.expect("login");
    let before = size(&w);
    // No name, no source, a malformed date.
    let got = editor
        .post(
            &w.app,
            "/workspace/new/person",
            &[("birth_date", "Jan 5th"), ("sex", "male")],
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    let beside = errors_beside(&got.body);
    assert!(
        beside.iter().any(|f| f.starts_with("names")),
        "name error shown: {beside:?}"
    );
    assert!(
        beside.iter().any(|f| f.starts_with("sources")),
        "sources error shown: {beside:?}"
    );
    assert!(
        beside.iter().any(|f| f == "birth_date"),
        "date error shown: {beside:?}"
    );
    assert!(
        got.body.contains("value=\"Jan 5th\""),
        "what was typed is kept"
    );
    assert!(got.body.contains("aria-invalid=\"true\""));
    // An act against a victim that is not a person.
    let got = editor
        .post(
            &w.app,
            "/workspace/new/act",
            &[
                ("act_type", "killing"),
                ("victim", "s-pub"),
                ("sources", "s-pub"),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errors_beside(&got.body).contains(&"victim".to_string()),
        "{:?}",
        errors_beside(&got.body)
    );
    // The JSON form: not JSON, then an unknown field.
    let got = editor
        .post(&w.app, "/workspace/new/json", &[("json", "{nope")])
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.body.contains("not valid JSON"));
    let rec = json!({"kind": "place", "name": "X", "place_type": "city", "colour": "red"});
    let got = editor
        .post(&w.app, "/workspace/new/json", &[("json", &rec.to_string())])
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.body.contains("<code>colour</code>"), "{}", got.body);
    // A patch that would change the kind.
    let got = editor
        .post(
            &w.app,
            "/workspace/records/p-pub/edit",
            &[("patch", "{\"kind\": \"place\"}")],
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.body.contains("<code>kind</code>"));
    assert_eq!(size(&w), before, "bad input is never stored");
}

fn record_id(got: &Got) -> String {
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    got.header("location")
        .strip_prefix("/workspace/records/")
        .unwrap_or_else(|| panic!("not a record: {}", got.header("location")))
        .to_string()
}

#[tokio::test]
async fn a_person_recorded_through_the_forms_can_be_made_public() {
    let w = world();
    let editor = login(&w.app, "editor", PASSWORD).await.expect("login");
    let source = record_id(
        &editor
            .post(
                &w.app,
                "/workspace/new/source",
                &[
                    ("title", "Witness statement"),
                    ("source_kind", "testimony"),
                    ("confidentiality", "restricted"),
                ],
            )
            .await,
    );
    // The new source is offered by the person form's picker.
    let form = editor.get(&w.app, "/workspace/new/person").await;
    assert!(form.body.contains(&format!("value=\"{source}\"")));
    let person = record_id(
        &editor
            .post(
                &w.app,
                "/workspace/new/person",
                &[
                    ("names[0].value", "Erlan Formtest"),
                    ("names[0].lang", "en"),
                    ("status", "killed"),
                    ("sources", &source),
                    ("sources", "s-pub"),
                ],
            )
            .await,
    );
    let act = record_id(
        &editor
            .post(
                &w.app,
                "/workspace/new/act",
                &[
                    ("act_type", "killing"),
                    ("victim", &person),
                    ("place", "almaty"),
                    ("date", "2022-01-06"),
                    ("sources", "s-pub"),
                ],
            )
            .await,
    );
    let page = editor
        .get(&w.app, &format!("/workspace/records/{person}"))
        .await;
    assert!(page.body.contains("Erlan Formtest"));
    assert!(page.body.contains("\"s-pub\"") || page.body.contains(&source));
    // Not public yet.
    assert_eq!(
        get(&w.app, &format!("/en/people/{person}")).await.status,
        StatusCode::NOT_FOUND
    );
    for id in [&person, &act] {
        let got = editor
            .post(
                &w.app,
                &format!("/workspace/records/{id}/confidentiality"),
                &[("confidentiality", "public")],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    }
    let public = get(&w.app, &format!("/en/people/{person}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Erlan Formtest"));
    // History shows who did what, from the ledger.
    let history = editor
        .get(&w.app, &format!("/workspace/records/{person}/history"))
        .await;
    assert!(history.body.contains("person.recorded"));
    assert!(history.body.contains("person.amended"));
    assert!(history.body.contains("confidentiality set to public"));
    assert!(history.body.contains("<td>editor</td>"));
    // An edit through a merge patch.
    let got = editor
        .post(
            &w.app,
            &format!("/workspace/records/{person}/edit"),
            &[
                ("patch", "{\"occupation\": \"Teacher\"}"),
                ("reason", "family's account"),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    assert!(
        get(&w.app, &format!("/en/people/{person}"))
            .await
            .body
            .contains("Teacher")
    );
}

#[tokio::test]
async fn the_workspace_speaks_the_three_languages() {
    let w = world();
    let admin = login(&w.app, "admin", PASSWORD).await.expect("login");
    for lang in qantar_web::i18n::Lang::ALL {
        let got = send(
            &w.app,
            Method::GET,
            &format!("/workspace/lang/{}", lang.code()),
            &[],
            "",
        )
        .await;
        let cookie = common::session::set_cookie(&got, "qantar_lang").expect("language cookie");
        let cookie = format!(
            "{}; {}",
            admin.cookie,
            cookie.split(';').next().unwrap_or_default()
        );
        for page in [
            "/workspace/",
            "/workspace/new/person",
            "/workspace/new/act",
            "/workspace/ledger",
            "/workspace/accounts",
            "/workspace/records/p-pub/history",
        ] {
            let got = send(&w.app, Method::GET, page, &[("cookie", &cookie)], "").await;
            assert_eq!(got.status, StatusCode::OK, "{page}");
            assert!(
                got.body
                    .contains(&format!("<html lang=\"{}\"", lang.code())),
                "{page}"
            );
            assert!(
                !got.body.contains('⟦'),
                "{page} in {} lacks a string",
                lang.code()
            );
            let title = qantar_web::i18n::t(lang, "work-name");
            assert!(got.body.contains(&title), "{page}");
        }
    }
}

#[tokio::test]
async fn the_ledger_page_shows_size_checkpoint_and_verification() {
    let w = world();
    let analyst = login(&w.app, "analyst", PASSWORD).await.expect("login");
    let got = analyst.get(&w.app, "/workspace/ledger").await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(
        got.body
            .contains(&format!("<dd id=\"ledger-size\">{}</dd>", size(&w)))
    );
    assert!(
        got.body.contains("— "),
        "the checkpoint note is shown: {}",
        got.body
    );
    let ok = qantar_web::i18n::t(qantar_web::i18n::Lang::Kk, "work-verify-ok");
    assert!(got.body.contains(&ok), "verification passed: {}", got.body);
}

#[tokio::test]
async fn api_writes_take_tokens_and_refuse_like_the_cli() {
    let w = world();
    let url = "/api/v1/records";
    let json_ct = ("content-type", "application/json");
    let rec = json!({"kind": "person", "ref": "p-api", "names": [{"value": "Api Person"}], "sources": ["s-pub"]});
    let got = send(&w.app, Method::POST, url, &[json_ct], &rec.to_string()).await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    assert_eq!(got.header("content-type"), "application/problem+json");
    let got = send(
        &w.app,
        Method::POST,
        url,
        &[json_ct, ("authorization", "Bearer qtk_forged")],
        &rec.to_string(),
    )
    .await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    let viewer = format!(
        "Bearer {}",
        qantar_web::create_token(w.dir.path(), "viewer", "v").expect("token")
    );
    let got = send(
        &w.app,
        Method::POST,
        url,
        &[json_ct, ("authorization", &viewer)],
        &rec.to_string(),
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);

    let editor = format!(
        "Bearer {}",
        qantar_web::create_token(w.dir.path(), "editor", "e").expect("token")
    );
    let auth = [json_ct, ("authorization", editor.as_str())];
    let before = size(&w);
    // A batch with one bad record is refused whole, field by field.
    let batch = json!([rec, {"kind": "act", "act_type": "beheading", "victim": "p-api", "sources": ["s-pub"]}]);
    let got = send(&w.app, Method::POST, url, &auth, &batch.to_string()).await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = got.json();
    assert_eq!(problem["status"], 422);
    let errors = problem["errors"].as_array().expect("errors");
    assert!(errors.iter().any(|e| e["field"] == "act_type"), "{problem}");
    assert_eq!(size(&w), before, "nothing was written");

    let got = send(
        &w.app,
        Method::POST,
        url,
        &auth,
        &json!({"records": [rec]}).to_string(),
    )
    .await;
    assert_eq!(got.status, StatusCode::CREATED, "{}", got.body);
    let id = got.json()["recorded"][0].as_str().expect("id").to_string();

    let got = send(
        &w.app,
        Method::PATCH,
        "/api/v1/records/p-api?reason=typo",
        &auth,
        "{\"confidentiality\": \"public\"}",
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.json()["id"], Value::String(id.clone()));
    let public = get(&w.app, &format!("/api/v1/records/{id}")).await;
    assert_eq!(public.status, StatusCode::OK);

    let got = send(
        &w.app,
        Method::POST,
        "/api/v1/records/p-api/retract",
        &auth,
        "{}",
    )
    .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.json()["errors"][0]["field"] == "reason");
    let got = send(
        &w.app,
        Method::POST,
        "/api/v1/records/p-api/retract",
        &auth,
        "{\"reason\": \"duplicate\"}",
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        get(&w.app, &format!("/api/v1/records/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let got = send(&w.app, Method::POST, url, &auth, "not json").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    // With a token, reads reach what the role may read, retracted included.
    let got = send(&w.app, Method::GET, "/api/v1/records/p-api", &auth[1..], "").await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.json()["retracted"], true);
    let got = send(
        &w.app,
        Method::GET,
        "/api/v1/records/leak-p-conf",
        &auth[1..],
        "",
    )
    .await;
    assert_eq!(
        got.json()["confidentiality"],
        "confidential",
        "editors read confidential records"
    );
    let got = send(
        &w.app,
        Method::GET,
        "/api/v1/records/leak-p-conf",
        &[("authorization", &viewer)],
        "",
    )
    .await;
    let missing = send(
        &w.app,
        Method::GET,
        "/api/v1/records/no-such",
        &[("authorization", &viewer)],
        "",
    )
    .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    assert_eq!(
        got.body.replace("leak-p-conf", "no-such"),
        missing.body,
        "hidden reads as missing"
    );
}

#[tokio::test]
async fn openapi_describes_the_writes_and_their_tokens() {
    let w = world();
    let doc = get(&w.app, "/api/v1/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/records"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/records/{id}"]["patch"].is_object());
    assert!(doc["paths"]["/api/v1/records/{id}/retract"]["post"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["FieldProblem"].is_object());
}

#[tokio::test]
async fn the_setup_link_creates_the_first_administrator_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    archive_with(dir.path(), &fixture::records(), &[]);
    let app = router_for(dir.path());
    let accounts = qantar_web::auth::Accounts::open(dir.path()).expect("accounts");
    let secret = accounts.create_setup_link().expect("link");
    let url = format!("/workspace/setup/{secret}");
    assert_eq!(
        get(&app, "/workspace/setup/0000").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&app, &url).await.status, StatusCode::OK);
    let body = common::session::form(&[("name", "first"), ("password", "short")]);
    let ct = ("content-type", "application/x-www-form-urlencoded");
    let got = send(&app, Method::POST, &url, &[ct], &body).await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.body.contains("at least 10 characters"));
    let body = common::session::form(&[("name", "first"), ("password", PASSWORD)]);
    let got = send(&app, Method::POST, &url, &[ct], &body).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let admin = login(&app, "first", PASSWORD)
        .await
        .expect("the new admin logs in");
    assert_eq!(
        admin.get(&app, "/workspace/accounts").await.status,
        StatusCode::OK
    );
    // The link is spent.
    assert_eq!(get(&app, &url).await.status, StatusCode::NOT_FOUND);
    let got = send(
        &app,
        Method::POST,
        &url,
        &[ct],
        &common::session::form(&[("name", "second"), ("password", PASSWORD)]),
    )
    .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn secrets_are_stored_only_as_hashes() {
    let w = world();
    let agent = login(&w.app, "admin", PASSWORD).await.expect("login");
    let token = qantar_web::create_token(w.dir.path(), "admin", "t").expect("token");
    let secret = agent
        .cookie
        .split('=')
        .nth(1)
        .expect("cookie value")
        .to_string();
    let bytes =
        std::fs::read(w.dir.path().join(qantar_web::auth::ACCOUNTS_FILE)).expect("web.sqlite");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains(&secret),
        "a session secret is stored in clear"
    );
    assert!(!text.contains(&token), "a token is stored in clear");
    assert!(!text.contains(PASSWORD));
    assert!(
        text.contains("$argon2id$v=19$"),
        "passwords are Argon2id PHC strings"
    );
    // The admin's new token works for the API.
    let auth = format!("Bearer {token}");
    let got = send(
        &w.app,
        Method::POST,
        "/api/v1/records/claim-pub/retract",
        &[("authorization", &auth)],
        "{\"reason\": \"checked\"}",
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
}

/// The `audit.account_changed` entries in the ledger, as JSON payloads
/// with their author.
fn account_changes(w: &World) -> Vec<(String, Value)> {
    let a = qantar_store::Archive::open(w.dir.path()).expect("open");
    let n = a.store.size().expect("size");
    (0..n)
        .map(|seq| a.store.entry(seq).expect("entry"))
        .filter(|e| e.kind == qantar_web::write::ACCOUNT_CHANGED_KIND)
        .map(|e| {
            assert_eq!(e.confidentiality, "restricted");
            (e.author, e.payload)
        })
        .collect()
}

#[tokio::test]
async fn permission_changes_on_the_accounts_page_are_ledger_entries() {
    let w = world();
    let admin = login(&w.app, "admin", PASSWORD).await.expect("login");
    let secret_password = "a password nobody may read back";
    for pairs in [
        vec![
            ("action", "add"),
            ("name", "newcomer"),
            ("role", "editor"),
            ("password", secret_password),
        ],
        vec![("action", "handler"), ("name", "newcomer"), ("value", "1")],
        vec![("action", "reset-totp"), ("name", "newcomer")],
        vec![("action", "remove"), ("name", "newcomer")],
    ] {
        let got = admin.post(&w.app, "/workspace/accounts", &pairs).await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", got.body);
    }
    let issued = admin
        .post(
            &w.app,
            "/workspace/tokens",
            &[("account", "viewer"), ("label", "field laptop")],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK);
    let token = issued
        .body
        .split("id=\"token\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the token is shown once")
        .to_string();
    // A refused change leaves no entry.
    let refused = admin
        .post(
            &w.app,
            "/workspace/accounts",
            &[
                ("action", "add"),
                ("name", "viewer"),
                ("role", "viewer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let changes = account_changes(&w);
    let seen: Vec<(String, String, String, String)> = changes
        .iter()
        .map(|(author, p)| {
            (
                author.clone(),
                p["by"].as_str().unwrap_or_default().to_string(),
                p["account"].as_str().unwrap_or_default().to_string(),
                p["change"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expect = |account: &str, change: &str| {
        (
            "admin".to_string(),
            "admin".to_string(),
            account.to_string(),
            change.to_string(),
        )
    };
    assert_eq!(
        seen,
        vec![
            expect("newcomer", "created"),
            expect("newcomer", "handler_on"),
            expect("newcomer", "second_factor_reset"),
            expect("newcomer", "removed"),
            expect("viewer", "token_issued"),
        ]
    );
    assert_eq!(changes[0].1["role"], "editor");
    assert_eq!(changes[4].1["label"], "field laptop");
    for (_, p) in &changes {
        let text = p.to_string();
        assert!(
            !text.contains(secret_password) && !text.contains(&token),
            "no secret: {text}"
        );
    }
}

#[tokio::test]
async fn a_consent_recorded_through_its_form_is_what_publishing_obeys() {
    let w = world();
    let editor = login(&w.app, "editor", PASSWORD).await.expect("login");
    let form = editor.get(&w.app, "/workspace/new/consent").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"audience\""), "{}", form.body);
    assert!(
        !form.body.contains("name=\"confidentiality\""),
        "consent is always restricted"
    );
    assert_eq!(get(&w.app, "/en/people/p-pub").await.status, StatusCode::OK);
    let before = size(&w);
    // A bad date is refused beside its field, and nothing is written.
    let bad = editor
        .post(
            &w.app,
            "/workspace/new/consent",
            &[
                ("subject", "p-pub"),
                ("audience", "internal"),
                ("identity", "named"),
                ("given_on", "last spring"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("given_on"), "{}", bad.body);
    assert_eq!(size(&w), before);
    // Consent for internal use only: Aset leaves the public site at once.
    let consent = record_id(
        &editor
            .post(
                &w.app,
                "/workspace/new/consent",
                &[
                    ("subject", "p-pub"),
                    ("audience", "internal"),
                    ("identity", "named"),
                    ("given_on", "2022-04-01"),
                    ("method", "written"),
                ],
            )
            .await,
    );
    assert_eq!(size(&w), before + 1);
    let stored = qantar_store::Archive::open(w.dir.path())
        .expect("open")
        .store
        .get(&consent)
        .expect("get")
        .expect("the consent");
    assert_eq!(stored.kind, "consent");
    assert_eq!(stored.confidentiality, "restricted");
    for uri in [
        "/en/people/p-pub",
        "/api/v1/records/p-pub",
        "/api/v1/persons/p-pub",
    ] {
        assert_eq!(
            get(&w.app, uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    let people = get(&w.app, "/en/people").await;
    assert!(!people.body.contains("Aset"), "{}", people.body);
    let export = get(&w.app, "/export/public.jsonl").await;
    assert!(!export.body.contains("Aset"));
}

#[tokio::test]
async fn a_restricted_person_gets_a_public_version_without_what_identifies_them() {
    let w = world();
    let editor = login(&w.app, "editor", PASSWORD).await.expect("login");
    let page = editor.get(&w.app, "/workspace/records/leak-p-restr").await;
    assert!(page.body.contains("/redact\""), "the button is offered");
    let viewer = login(&w.app, "viewer", PASSWORD).await.expect("login");
    let seen = viewer.get(&w.app, "/workspace/records/leak-p-restr").await;
    assert!(!seen.body.contains("/redact\""), "not to viewers");
    let got = editor
        .post(&w.app, "/workspace/records/leak-p-restr/redact", &[])
        .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let derived = got
        .header("location")
        .trim_start_matches("/workspace/records/")
        .to_string();
    // The public version is on the public site; the name and occupation
    // of the original are nowhere on it.
    let public = get(&w.app, &format!("/en/people/{derived}")).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert!(!public.body.contains("LEAK"), "{}", public.body);
    let api = get(&w.app, &format!("/api/v1/records/{derived}")).await;
    assert!(!api.body.contains("LEAK") && !api.body.contains("derived_from"));
    assert!(!api.body.contains("leak-p-restr"));
    let stored = qantar_store::Archive::open(w.dir.path())
        .expect("open")
        .store
        .get(&derived)
        .expect("get")
        .expect("the derived record");
    assert_eq!(stored.confidentiality, "public");
    // A public version of a public version is refused, and writes nothing.
    let before = size(&w);
    let again = editor
        .post(&w.app, &format!("/workspace/records/{derived}/redact"), &[])
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert_eq!(size(&w), before);
    // A consent for internal use withholds the person: no new public
    // version, and the one made before leaves the public site.
    let consent = editor
        .post(
            &w.app,
            "/workspace/new/consent",
            &[
                ("subject", "leak-p-restr"),
                ("audience", "internal"),
                ("identity", "named"),
                ("given_on", "2022-05-01"),
            ],
        )
        .await;
    assert_eq!(consent.status, StatusCode::SEE_OTHER, "{}", consent.body);
    let before = size(&w);
    let refused = editor
        .post(&w.app, "/workspace/records/leak-p-restr/redact", &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("may not be published"),
        "{}",
        refused.body
    );
    assert_eq!(size(&w), before);
    assert_eq!(
        get(&w.app, &format!("/en/people/{derived}")).await.status,
        StatusCode::NOT_FOUND
    );
}
