//! Account security through real requests: the second factor forced on
//! administrators and handlers, logging in with wrong, right and replayed
//! codes, idle and absolute session expiry on an injected clock,
//! re-authentication before an export, and the lock.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::http::{Method, StatusCode};
use qantar_web::auth::{
    self, Accounts, IDLE_SECONDS, PER_ACCOUNT, RECENT_AUTH_SECONDS, Role, SESSION_SECONDS,
};
use qantar_web::policy::{Auth, POLICY, Route, needs_recent_auth};
use qantar_web::totp;
use tempfile::TempDir;

use common::lists::{Backend, archive, link, two_lists};
use common::session::{
    Agent, PASSWORD, csrf_of, login_with, password_step, post_as, secret_on, send, session_cookie,
};

/// An archive with a linkage run (so the register's export has data), an
/// account of every role, and a router whose clock the test moves.
struct World {
    dir: TempDir,
    app: Router,
    clock: Arc<AtomicI64>,
}

/// A moment at the end of 2025, at the start of a TOTP step (a multiple
/// of 30 s).
const T0: i64 = 1_767_000_000;

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = archive(dir.path(), &Backend::Sqlite, &two_lists());
    link(&a);
    drop(a);
    for role in Role::ALL {
        qantar_web::add_user(dir.path(), role.as_str(), role, PASSWORD).expect("add account");
    }
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let state = qantar_web::AppState::open(dir.path())
        .expect("open")
        .with_clock(Arc::new(move || c.load(Ordering::SeqCst)));
    World {
        dir,
        app: qantar_web::router(state),
        clock,
    }
}

impl World {
    fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn advance(&self, seconds: i64) {
        self.clock.fetch_add(seconds, Ordering::SeqCst);
    }

    async fn get(&self, cookie: &str, uri: &str) -> common::Got {
        send(&self.app, Method::GET, uri, &[("cookie", cookie)], "").await
    }

    fn sessions(&self) -> i64 {
        let c = rusqlite::Connection::open(self.dir.path().join(auth::ACCOUNTS_FILE))
            .expect("open web.sqlite");
        c.query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))
            .expect("count")
    }
}

fn to(got: &common::Got) -> String {
    assert!(
        got.status.is_redirection(),
        "expected a redirect, got {}: {}",
        got.status,
        got.body.chars().take(300).collect::<String>()
    );
    got.header("location")
}

#[tokio::test]
async fn administrators_must_enrol_before_anything_else() {
    let w = world();
    // An editor without a second factor goes straight in.
    let editor = password_step(&w.app, "editor", PASSWORD).await;
    assert_eq!(to(&editor), "/workspace/");

    let got = password_step(&w.app, "admin", PASSWORD).await;
    assert_eq!(to(&got), "/workspace/totp");
    let pending = session_cookie(&got).expect("a session to enrol with");
    for page in ["/workspace/", "/workspace/accounts", "/workspace/register"] {
        assert_eq!(
            to(&w.get(&pending, page).await),
            "/workspace/totp",
            "{page} before enrolment"
        );
    }
    let page = w.get(&pending, "/workspace/totp").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("href=\"/workspace/accounts\""),
        "no menu while enrolling"
    );
    let key = secret_on(&page.body);
    assert_eq!(key.len(), totp::SECRET_BYTES);
    assert!(page.body.contains("otpauth://totp/qantar:admin?secret="));
    assert_eq!(
        secret_on(&w.get(&pending, "/workspace/totp").await.body),
        key,
        "a reload shows the same secret"
    );
    let csrf = csrf_of(&page.body);
    // Other forms are refused, even with the session's token.
    let add = post_as(
        &w.app,
        &pending,
        "/workspace/accounts",
        &[
            ("csrf", &csrf),
            ("action", "add"),
            ("name", "intruder"),
            ("role", "admin"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(add.status, StatusCode::FORBIDDEN);

    let wrong = totp::code_at(b"not the secret", w.now());
    let refused = post_as(
        &w.app,
        &pending,
        "/workspace/totp",
        &[("csrf", &csrf), ("code", &wrong)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(session_cookie(&refused).is_none());

    let right = totp::code_at(&key, w.now());
    let done = post_as(
        &w.app,
        &pending,
        "/workspace/totp",
        &[("csrf", &csrf), ("code", &right)],
    )
    .await;
    assert_eq!(to(&done), "/workspace/");
    let full = session_cookie(&done).expect("a new session");
    assert_ne!(
        full, pending,
        "the session id changes with the second factor"
    );
    assert_eq!(
        w.get(&full, "/workspace/accounts").await.status,
        StatusCode::OK
    );
    assert_eq!(
        to(&w.get(&pending, "/workspace/").await),
        "/workspace/login",
        "the enrolling session is gone"
    );
    let done_page = w.get(&full, "/workspace/totp").await;
    assert!(
        !done_page.body.contains("totp-secret"),
        "an enrolled secret is never shown again"
    );

    // Flagging the editor as a handler sends its live session to enrol.
    let editor_cookie = session_cookie(&editor).expect("editor session");
    let admin_home = w.get(&full, "/workspace/accounts").await;
    let flagged = post_as(
        &w.app,
        &full,
        "/workspace/accounts",
        &[
            ("csrf", &csrf_of(&admin_home.body)),
            ("action", "handler"),
            ("name", "editor"),
            ("value", "1"),
        ],
    )
    .await;
    assert_eq!(to(&flagged), "/workspace/accounts");
    let list = Accounts::open(w.dir.path())
        .expect("open")
        .list()
        .expect("list");
    let e = list.iter().find(|a| a.name == "editor").expect("editor");
    assert!(e.handler && !e.totp);
    assert_eq!(
        to(&w.get(&editor_cookie, "/workspace/").await),
        "/workspace/totp"
    );
}

/// Enrol `name` at the world's time; returns its secret.
async fn enrolled(w: &World, name: &str) -> (Agent, Vec<u8>) {
    let agent = login_with(&w.app, name, PASSWORD, None, w.now())
        .await
        .expect("login and enrol");
    let key = agent.totp.clone().expect("enrolled");
    (agent, key)
}

#[tokio::test]
async fn codes_are_checked_once_and_wrong_ones_count_as_failed_logins() {
    let w = world();
    let (_, key) = enrolled(&w, "admin").await;

    let code_step = |cookie: String| {
        let app = w.app.clone();
        async move {
            let page = send(
                &app,
                Method::GET,
                "/workspace/login/code",
                &[("cookie", &cookie)],
                "",
            )
            .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            (cookie, csrf_of(&page.body))
        }
    };
    let got = password_step(&w.app, "admin", PASSWORD).await;
    assert_eq!(to(&got), "/workspace/login/code");
    let (pending, csrf) = code_step(session_cookie(&got).expect("pending")).await;
    assert_eq!(
        to(&w.get(&pending, "/workspace/").await),
        "/workspace/login/code",
        "nothing opens before the code"
    );

    // The code used to enrol a moment ago is spent.
    let replayed = totp::code_at(&key, w.now());
    let r = post_as(
        &w.app,
        &pending,
        "/workspace/login/code",
        &[("csrf", &csrf), ("code", &replayed)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a replayed code");
    assert!(session_cookie(&r).is_none());

    // A step later the app shows a new code, which works once.
    w.advance(30);
    let fresh = totp::code_at(&key, w.now());
    let ok = post_as(
        &w.app,
        &pending,
        "/workspace/login/code",
        &[("csrf", &csrf), ("code", &fresh)],
    )
    .await;
    assert_eq!(to(&ok), "/workspace/");
    let full = session_cookie(&ok).expect("full session");
    assert_eq!(w.get(&full, "/workspace/").await.status, StatusCode::OK);

    let again = password_step(&w.app, "admin", PASSWORD).await;
    let (pending, csrf) = code_step(session_cookie(&again).expect("pending")).await;
    let r = post_as(
        &w.app,
        &pending,
        "/workspace/login/code",
        &[("csrf", &csrf), ("code", &fresh)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the same code twice");

    // Wrong codes count toward the login limit (two failures are spent
    // above).
    w.advance(30);
    let wrong = format!(
        "{:06}",
        (totp::code_at(&key, w.now()).parse::<u32>().expect("digits") + 1) % 1_000_000
    );
    for _ in 2..PER_ACCOUNT {
        let r = post_as(
            &w.app,
            &pending,
            "/workspace/login/code",
            &[("csrf", &csrf), ("code", &wrong)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let right = totp::code_at(&key, w.now());
    let r = post_as(
        &w.app,
        &pending,
        "/workspace/login/code",
        &[("csrf", &csrf), ("code", &right)],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right code waits once the limit is reached"
    );
}

#[tokio::test]
async fn sessions_expire_when_idle_and_after_their_lifetime() {
    let w = world();
    let viewer = login_with(&w.app, "viewer", PASSWORD, None, w.now())
        .await
        .expect("login");
    w.advance(IDLE_SECONDS - 60);
    assert_eq!(
        w.get(&viewer.cookie, "/workspace/").await.status,
        StatusCode::OK,
        "used within the idle timeout"
    );
    w.advance(IDLE_SECONDS - 60);
    assert_eq!(
        w.get(&viewer.cookie, "/workspace/").await.status,
        StatusCode::OK,
        "each use starts the idle timeout again"
    );
    let before = w.sessions();
    w.advance(IDLE_SECONDS + 1);
    assert_eq!(
        to(&w.get(&viewer.cookie, "/workspace/").await),
        "/workspace/login",
        "idle too long"
    );
    assert_eq!(w.sessions(), before - 1, "the expired session is deleted");

    // Busy all day: still ends after the absolute lifetime.
    let busy = login_with(&w.app, "viewer", PASSWORD, None, w.now())
        .await
        .expect("login");
    let start = w.now();
    while w.now() - start + IDLE_SECONDS / 2 <= SESSION_SECONDS {
        w.advance(IDLE_SECONDS / 2);
        assert_eq!(
            w.get(&busy.cookie, "/workspace/").await.status,
            StatusCode::OK,
            "{} s into the session",
            w.now() - start
        );
    }
    w.advance(IDLE_SECONDS / 2);
    assert!(w.now() - start > SESSION_SECONDS);
    assert_eq!(
        to(&w.get(&busy.cookie, "/workspace/").await),
        "/workspace/login"
    );
}

#[tokio::test]
async fn exports_ask_for_the_password_and_code_again_after_five_minutes() {
    let w = world();
    let export = "/workspace/register/overlaps.json?by=region";
    let analyst = login_with(&w.app, "analyst", PASSWORD, None, w.now())
        .await
        .expect("login");
    let got = w.get(&analyst.cookie, export).await;
    assert_eq!(got.status, StatusCode::OK, "just logged in: {}", got.body);
    assert!(got.header("content-type").starts_with("application/json"));

    w.advance(RECENT_AUTH_SECONDS + 1);
    assert_eq!(
        w.get(&analyst.cookie, "/workspace/register").await.status,
        StatusCode::OK,
        "the register page itself does not ask"
    );
    let asked = to(&w.get(&analyst.cookie, export).await);
    assert_eq!(
        asked,
        "/workspace/reauth?next=%2Fworkspace%2Fregister%2Foverlaps.json%3Fby%3Dregion"
    );
    let page = w.get(&analyst.cookie, &asked).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("name=\"code\""),
        "no second factor, no code field"
    );
    let csrf = csrf_of(&page.body);
    let next = "/workspace/register/overlaps.json?by=region";
    let wrong = post_as(
        &w.app,
        &analyst.cookie,
        "/workspace/reauth",
        &[
            ("csrf", &csrf),
            ("next", next),
            ("password", "not the password"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(to(&w.get(&analyst.cookie, export).await).starts_with("/workspace/reauth"));
    let right = post_as(
        &w.app,
        &analyst.cookie,
        "/workspace/reauth",
        &[("csrf", &csrf), ("next", next), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(to(&right), next, "back to the export");
    assert_eq!(w.get(&analyst.cookie, export).await.status, StatusCode::OK);

    // With a second factor, the password alone is not enough.
    let (admin, key) = enrolled(&w, "admin").await;
    w.advance(RECENT_AUTH_SECONDS + 1);
    let asked = to(&w.get(&admin.cookie, export).await);
    let page = w.get(&admin.cookie, &asked).await;
    assert!(page.body.contains("name=\"code\""));
    let csrf = csrf_of(&page.body);
    let no_code = post_as(
        &w.app,
        &admin.cookie,
        "/workspace/reauth",
        &[("csrf", &csrf), ("next", next), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(no_code.status, StatusCode::UNAUTHORIZED);
    let code = totp::code_at(&key, w.now());
    let ok = post_as(
        &w.app,
        &admin.cookie,
        "/workspace/reauth",
        &[
            ("csrf", &csrf),
            ("next", next),
            ("password", PASSWORD),
            ("code", &code),
        ],
    )
    .await;
    assert_eq!(to(&ok), next);
    assert_eq!(w.get(&admin.cookie, export).await.status, StatusCode::OK);
}

#[test]
fn the_policy_marks_exports_as_needing_recent_authentication() {
    assert!(needs_recent_auth(Route::RegisterExport));
    for route in [
        Route::Register,
        Route::Workspace,
        Route::Lock,
        Route::Reauth,
        Route::SecondFactor,
    ] {
        assert!(!needs_recent_auth(route), "{route:?}");
    }
    let recent: Vec<Route> = POLICY
        .iter()
        .filter(|(_, _, a)| *a == Auth::Recent)
        .map(|(r, _, _)| *r)
        .collect();
    // Exports, and unsealing records and files (the record's form asks
    // first, so the passphrase is typed after the password; a sealed
    // file's form and upload check it in the handler, since the same
    // routes serve files in clear).
    assert_eq!(
        recent,
        vec![
            Route::RegisterExport,
            Route::SealedForm,
            Route::SealedOpen,
            Route::EvidenceOpen
        ]
    );
}

#[tokio::test]
async fn the_lock_button_ends_every_session_and_revokes_every_token() {
    let w = world();
    let (admin, _) = enrolled(&w, "admin").await;
    let editor = login_with(&w.app, "editor", PASSWORD, None, w.now())
        .await
        .expect("login");
    let token = qantar_web::create_token(w.dir.path(), "editor", "script").expect("token");
    let api = |t: String| {
        let app = w.app.clone();
        async move {
            let auth = format!("Bearer {t}");
            send(
                &app,
                Method::GET,
                "/api/v1/records/list-a",
                &[("authorization", auth.as_str())],
                "",
            )
            .await
            .status
        }
    };
    assert_eq!(api(token.clone()).await, StatusCode::OK);
    let home = w.get(&admin.cookie, "/workspace/").await;
    assert!(
        home.body.contains("action=\"/workspace/lock\""),
        "the button"
    );
    assert!(
        !w.get(&editor.cookie, "/workspace/")
            .await
            .body
            .contains("action=\"/workspace/lock\""),
        "only administrators have it"
    );
    // A forged press (no token) does nothing.
    let forged = post_as(&w.app, &admin.cookie, "/workspace/lock", &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.get(&editor.cookie, "/workspace/").await.status,
        StatusCode::OK
    );
    // Nor does an editor's.
    let by_editor = editor.post(&w.app, "/workspace/lock", &[]).await;
    assert_eq!(by_editor.status, StatusCode::FORBIDDEN);

    let before = Accounts::open(w.dir.path())
        .expect("open")
        .generation()
        .expect("generation");
    let locked = admin.post(&w.app, "/workspace/lock", &[]).await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.body);
    // Two sessions ended (the administrator's and the editor's), one token.
    assert!(
        locked.body.contains(": 2.") && locked.body.contains(": 1."),
        "{}",
        locked.body
    );
    for who in [&admin, &editor] {
        assert_eq!(
            to(&w.get(&who.cookie, "/workspace/").await),
            "/workspace/login"
        );
    }
    assert_eq!(w.sessions(), 0);
    assert_eq!(api(token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        Accounts::open(w.dir.path())
            .expect("open")
            .generation()
            .expect("generation"),
        before + 1
    );
    // The lock is in the ledger, with who pressed it.
    let archive = qantar_store::Archive::open(w.dir.path()).expect("archive");
    let size = archive.store.size().expect("size");
    let last = archive.store.entry(size - 1).expect("entry");
    assert_eq!(last.kind, "audit.account_changed");
    assert_eq!(last.author, "admin");
    assert_eq!(last.payload["change"], "locked");
    assert_eq!(last.payload["sessions_ended"], "2");
    drop(archive);
    // People log in again afterwards.
    login_with(&w.app, "editor", PASSWORD, None, w.now())
        .await
        .expect("login after the lock");
}

#[tokio::test]
async fn a_lock_from_another_process_reaches_a_running_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(archive(dir.path(), &Backend::Sqlite, &two_lists()));
    qantar_web::add_user(dir.path(), "viewer", Role::Viewer, PASSWORD).expect("add");
    let state = qantar_web::AppState::open(dir.path()).expect("open");
    let app = qantar_web::router(state.clone());
    let viewer = common::session::login(&app, "viewer", PASSWORD)
        .await
        .expect("login");
    assert!(!state.notice_lock().await.expect("read"), "nothing yet");
    // What `qantar lock` does, through its own handle on web.sqlite.
    let done = Accounts::open(dir.path())
        .expect("open")
        .lock()
        .expect("lock");
    assert_eq!(done.sessions, 1);
    assert_eq!(
        to(&send(
            &app,
            Method::GET,
            "/workspace/",
            &[("cookie", &viewer.cookie)],
            ""
        )
        .await),
        "/workspace/login",
        "no session outlives the lock in the running state"
    );
    assert!(
        state.notice_lock().await.expect("read"),
        "the generation moved on"
    );
    assert!(
        !state.notice_lock().await.expect("read"),
        "and is seen once"
    );
}

#[test]
fn an_accounts_file_from_before_second_factors_is_migrated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(auth::ACCOUNTS_FILE);
    {
        let c = rusqlite::Connection::open(&path).expect("create");
        c.execute_batch(
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, phc TEXT NOT NULL, created INTEGER NOT NULL);
             CREATE TABLE sessions (hash BLOB PRIMARY KEY, account TEXT NOT NULL, expires INTEGER NOT NULL);",
        )
        .expect("old schema");
        let phc = auth::hash_password(PASSWORD).expect("hash");
        c.execute(
            "INSERT INTO accounts VALUES ('old-admin', 'admin', ?1, 0)",
            [phc],
        )
        .expect("old account");
        c.execute(
            "INSERT INTO sessions VALUES (x'00', 'old-admin', 9999999999)",
            [],
        )
        .expect("old session");
    }
    let a = Accounts::open(dir.path()).expect("migrate");
    assert_eq!(
        a.check_login("old-admin", PASSWORD).expect("check"),
        Some(Role::Admin)
    );
    assert_eq!(
        a.stage_after_password("old-admin").expect("stage"),
        auth::Stage::Enrol,
        "an administrator from before enrols at the next login"
    );
    assert_eq!(a.generation().expect("generation"), 0);
    // Opening again (another process) finds it migrated.
    assert!(Accounts::open(dir.path()).is_ok());
}
