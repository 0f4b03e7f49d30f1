//! The qantar web site: the public archive in Kazakh, Russian and English,
//! the documenters' workspace, and the JSON API.
//!
//! Everything a visitor sees is rendered on the server and works with
//! JavaScript off: profiles of the people whose records are public, a
//! timeline of January 2022 and the proceedings after it, a map of
//! Kazakhstan drawn as SVG, the numbers that sources claimed side by side
//! with the register's own count, the accountability figures, and the
//! sources. No page loads anything from elsewhere: the Content-Security-
//! Policy is `default-src 'self'`, the map outline ships inside the binary,
//! and there are no web fonts or scripts.
//!
//! The one rule that matters most is that **public outputs are built only
//! from public data**. [`public::Snapshot`] is the whole public view of the
//! archive, sanitised once (no notes, no references to hidden records, no
//! acts against hidden victims, no retracted records); pages ([`pages`])
//! and the API ([`api`]) are functions of it alone. It is cached and rebuilt
//! when the ledger grows. The interface strings are Fluent catalogues
//! ([`i18n`]); the language comes from the URL prefix (`/kk/`, `/ru/`,
//! `/en/`), is remembered in a cookie, and defaults from `Accept-Language`.
//!
//! The documenters' workspace lives under `/workspace/` ([`work`]): plain HTML
//! forms for people, sources and acts with pickers, a JSON form for any kind
//! of record, corrections as JSON merge patches, the confidentiality switch,
//! a record's history from the ledger, the ledger's status (size, latest
//! signed checkpoint, verification) and, for administrators, accounts and
//! API tokens. Accounts, sessions and tokens ([`auth`]) are kept in
//! `<archive>/web.sqlite`, apart from the ledger: passwords as Argon2id PHC
//! strings, session ids and tokens only as SHA-256 hashes. Who may do what
//! is one table ([`policy::POLICY`], route × role) that every workspace
//! handler and every API write consults; a record a role may not read is
//! answered exactly like a missing one. Forms carry a synchronizer token
//! and state-changing requests must come from this origin; logins are
//! rate-limited per account and per address. Administrators and handlers
//! must log in with a TOTP code as well ([`totp`], pages in [`security`]);
//! sessions expire when idle and after a working day; exports ask for the
//! password again after a few minutes; and the lock (a button for
//! administrators, or `qantar lock`) ends every session and revokes every
//! API token at once.
//!
//! The register's pages sit in the workspace too: [`review`] (pairs that
//! record linkage was unsure about, decided as `link_decision` records, and
//! the button that runs the linkage), [`import`] (upload, preview, column
//! mapping and import of a victims list) and [`register_view`] (the
//! register and its list-overlap tables). The public Numbers page adds
//! documented-versus-estimated counts by region ([`estimates`], computed
//! once per linkage run in a background thread; [`estimate_view`]): only
//! aggregate numbers, never a row or a name from a list.
//!
//! Boundaries: the public pages and anonymous API answers still come only
//! from the snapshot. Every write, from a form or from `POST`/`PATCH` on
//! `/api/v1` with a bearer token, goes through [`write`], which calls the
//! store's own commands (the CLI's validation) and appends one signed batch;
//! nothing here builds ledger entries itself.

pub mod api;
pub mod auth;
pub mod estimate_view;
pub mod estimates;
pub mod evidence_view;
pub mod export;
pub mod files;
pub mod html;
pub mod i18n;
pub mod import;
pub mod pages;
pub mod policy;
pub mod public;
pub mod redaction;
pub mod register_view;
pub mod review;
pub mod sealed_view;
pub mod search;
pub mod security;
pub mod svg;
pub mod totp;
pub mod work;
pub mod write;

pub use auth::{Role, add_user, create_token, lock};

use std::net::SocketAddr;
use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qantar_store::{Archive, Store, StoreError};

use crate::i18n::{Lang, t};
use crate::public::Snapshot;

/// What `qantar serve` needs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The archive directory (as for `qantar --archive`).
    pub archive: PathBuf,
    pub listen: SocketAddr,
}

/// Why the site could not start or answer.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a worker thread failed: {0}")]
    Worker(String),
    #[error(transparent)]
    Accounts(#[from] auth::AuthError),
    /// A form asked for something the page does not offer.
    #[error("{0}")]
    Refused(String),
}

/// The shared state: where the database is, a few open stores (a SQLite
/// connection is `Send` but not `Sync`, so each request borrows one), and
/// the cached public snapshot.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    /// The archive directory: extra stores are opened through
    /// `Archive::open` so they find the same database (SQLite file or the
    /// configured PostgreSQL URL).
    dir: PathBuf,
    stores: Mutex<Vec<Store>>,
    snapshot: Mutex<Option<Arc<Snapshot>>>,
    /// When the snapshot was last checked against the ledger's size. Within
    /// `FRESH` of that, requests use it without asking the database, so a
    /// busy site does not queue on the store pool (or on PostgreSQL round
    /// trips). Writes made through this process reset it.
    checked: Mutex<Option<std::time::Instant>>,
    /// One request re-checks at a time; the others keep serving the current
    /// snapshot meanwhile instead of all queueing on the database.
    refreshing: std::sync::atomic::AtomicBool,
    /// Accounts, sessions and tokens (`web.sqlite`).
    accounts: auth::Accounts,
    /// One web writer at a time (see [`write`]).
    writer: Mutex<()>,
    limits: auth::RateLimit,
    /// Whether session cookies carry `Secure` (see [`AppState::plain_http`]).
    secure_cookies: bool,
    /// The Numbers page's estimates, computed once per linkage run.
    estimates: Arc<estimates::Cache>,
    /// Uploaded lists between their preview and their import (memory only).
    uploads: import::Uploads,
    /// The lock generation this process last saw in `web.sqlite`; when it
    /// moves on, what is held in memory for sessions is dropped.
    generation: std::sync::atomic::AtomicI64,
}

/// Stores kept open between requests; more are opened under load and
/// closed when returned to a full pool.
const POOL: usize = 4;

/// How long a snapshot is served without re-checking the ledger: writes by
/// other processes show on the public site after at most this long.
const FRESH: std::time::Duration = std::time::Duration::from_millis(250);

impl AppState {
    /// Check that `dir` is an archive and prepare to read it.
    pub fn open(dir: &FsPath) -> Result<AppState, WebError> {
        let archive = Archive::open(dir)?;
        let accounts = auth::Accounts::open(&archive.dir)?;
        let generation = accounts.generation()?;
        Ok(AppState {
            inner: Arc::new(Inner {
                accounts,
                generation: std::sync::atomic::AtomicI64::new(generation),
                dir: archive.dir.clone(),
                stores: Mutex::new(vec![archive.store]),
                snapshot: Mutex::new(None),
                checked: Mutex::new(None),
                refreshing: std::sync::atomic::AtomicBool::new(false),
                writer: Mutex::new(()),
                limits: auth::RateLimit::default(),
                secure_cookies: true,
                estimates: Arc::default(),
                uploads: import::Uploads::default(),
            }),
        })
    }

    /// Session cookies without the `Secure` flag. Browsers drop `Secure`
    /// cookies that arrive over plain HTTP from anywhere but localhost, so
    /// this is only for a site served over plain HTTP on a loopback address
    /// (which [`serve`] does by itself) or behind a proxy that terminates
    /// TLS on the same host. Everything else keeps `Secure`.
    pub fn plain_http(self) -> AppState {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(i) => i,
            Err(shared) => return AppState { inner: shared },
        };
        inner.secure_cookies = false;
        AppState {
            inner: Arc::new(inner),
        }
    }

    /// The same state reading time from `clock` (Unix seconds) for
    /// sessions and codes, so tests can move time on without sleeping.
    /// Call before the state is shared.
    pub fn with_clock(self, clock: auth::Clock) -> AppState {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(i) => i,
            Err(shared) => return AppState { inner: shared },
        };
        inner.accounts = inner.accounts.with_clock(clock);
        AppState {
            inner: Arc::new(inner),
        }
    }

    /// End every session, revoke every API token and drop what this
    /// process holds in memory for sessions (see [`auth::Accounts::lock`]).
    pub async fn lock(&self) -> Result<auth::Locked, WebError> {
        let accounts = self.accounts().clone();
        let locked = Self::blocking(move || Ok(accounts.lock()?)).await?;
        self.notice_lock().await?;
        Ok(locked)
    }

    /// Compare the lock generation in `web.sqlite` with the one this
    /// process saw last; if another process (`qantar lock`) moved it on,
    /// drop the uploads kept between preview and import. Sessions and
    /// tokens need nothing here: every request reads them from the file.
    /// There are no keys to drop: [`sealed_view`] opens a compartment key
    /// for one request only, from the passphrase or key file sent with it,
    /// and wipes it before the response leaves, so between requests this
    /// process holds no unsealed key. True when it dropped.
    pub async fn notice_lock(&self) -> Result<bool, WebError> {
        use std::sync::atomic::Ordering;
        let accounts = self.accounts().clone();
        let now = Self::blocking(move || Ok(accounts.generation()?)).await?;
        let before = self.inner.generation.swap(now, Ordering::AcqRel);
        if before == now {
            return Ok(false);
        }
        self.inner.uploads.clear();
        Ok(true)
    }

    pub fn accounts(&self) -> &auth::Accounts {
        &self.inner.accounts
    }

    /// Run `f` on a pooled store, off the async threads.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = inner.stores.lock().ok().and_then(|mut p| p.pop());
            let store = match pooled {
                Some(s) => s,
                None => Archive::open(&inner.dir)?.store,
            };
            let result = f(&store);
            if let Ok(mut p) = inner.stores.lock()
                && p.len() < POOL
            {
                p.push(store);
            }
            result
        })
        .await
        .map_err(|e| WebError::Worker(e.to_string()))?
    }

    /// Run blocking work (Argon2, the accounts database) off the async threads.
    pub(crate) async fn blocking<T: Send + 'static>(
        f: impl FnOnce() -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| WebError::Worker(e.to_string()))?
    }

    /// What the Numbers page can show of the latest linkage run's
    /// estimates; starts computing them in the background if needed.
    pub async fn estimates(&self) -> Result<estimates::Status, WebError> {
        let inner = self.inner.clone();
        self.with_store(move |s| {
            inner
                .estimates
                .status(&inner.dir, s, FRESH)
                .map_err(WebError::Worker)
        })
        .await
    }

    /// As [`AppState::estimates`], but waits until the latest run's
    /// estimates are computed.
    pub async fn estimates_ready(&self) -> Result<estimates::Status, WebError> {
        self.inner.estimates.forget_freshness();
        let first = self.estimates().await?;
        if !matches!(first, estimates::Status::Pending(_)) {
            return Ok(first);
        }
        let cache = self.inner.estimates.clone();
        Self::blocking(move || {
            cache.wait();
            Ok(())
        })
        .await?;
        self.estimates().await
    }

    /// The public snapshot at the archive's current size.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, WebError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || inner.snapshot())
            .await
            .map_err(|e| WebError::Worker(e.to_string()))?
    }
}

impl Inner {
    pub(crate) fn forget_freshness(&self) {
        if let Ok(mut c) = self.checked.lock() {
            *c = None;
        }
        self.estimates.forget_freshness();
    }

    fn snapshot(&self) -> Result<Arc<Snapshot>, WebError> {
        let recent = self
            .checked
            .lock()
            .ok()
            .and_then(|c| *c)
            .is_some_and(|t| t.elapsed() < FRESH);
        use std::sync::atomic::Ordering;
        let cached = self.snapshot.lock().ok().and_then(|c| c.clone());
        if let Some(s) = &cached
            && (recent || self.refreshing.swap(true, Ordering::AcqRel))
        {
            return Ok(s.clone());
        }
        // Cleared however refresh ends, a panic included.
        struct Done<'a>(&'a std::sync::atomic::AtomicBool);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let _done = cached.is_some().then(|| Done(&self.refreshing));
        self.refresh()
    }

    fn refresh(&self) -> Result<Arc<Snapshot>, WebError> {
        let pooled = self.stores.lock().ok().and_then(|mut p| p.pop());
        let store = match pooled {
            Some(s) => s,
            None => Archive::open(&self.dir)?.store,
        };
        let result = self.snapshot_with(&store);
        if result.is_ok()
            && let Ok(mut c) = self.checked.lock()
        {
            *c = Some(std::time::Instant::now());
        }
        if let Ok(mut p) = self.stores.lock()
            && p.len() < POOL
        {
            p.push(store);
        }
        result
    }

    fn snapshot_with(&self, store: &Store) -> Result<Arc<Snapshot>, WebError> {
        let size = store.size()?;
        let cached = self.snapshot.lock().ok().and_then(|c| c.clone());
        if let Some(s) = &cached
            && s.size == size
        {
            return Ok(s.clone());
        }
        let fresh = Arc::new(Snapshot::load(store)?);
        if let Ok(mut c) = self.snapshot.lock() {
            *c = Some(fresh.clone());
        }
        // The search index takes seconds on a large archive. When the
        // snapshot it replaces was searched, build the new one's now, off
        // the request path, so the next search rarely waits (one that comes
        // first waits for this same build); an archive nobody searches
        // never pays for it.
        if cached.is_some_and(|old| old.search.get().is_some()) {
            let for_search = fresh.clone();
            std::thread::spawn(move || {
                search::index_of(&for_search);
            });
        }
        Ok(fresh)
    }
}

/// The whole site. Later slices add `/workspace/…` (the documenters' workspace,
/// behind a session layer) and authenticated `/api/v1` writes beside these.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/v1", get(api::index))
        .route("/api/v1/", get(api::index))
        .route("/api/v1/records", get(api::records).post(api::create))
        .route("/api/v1/records/{id}", get(api::record).patch(api::amend))
        .route("/api/v1/records/{id}/retract", post(api::retract))
        .route("/api/v1/persons", get(api::persons))
        .route("/api/v1/persons/{id}", get(api::person))
        .route("/api/v1/numbers", get(api::numbers))
        .route("/api/v1/accountability", get(api::accountability))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/{*rest}", get(api::api_not_found));
    Router::new()
        .route("/", get(root))
        .route("/static/style.css", get(style))
        .route("/{lang}", get(lang_root))
        .route("/{lang}/", get(home))
        .route("/{lang}/people", get(people))
        .route("/{lang}/people/{id}", get(person))
        .route("/{lang}/timeline", get(timeline))
        .route("/{lang}/map", get(map))
        .route("/{lang}/numbers", get(numbers))
        .route("/{lang}/accountability", get(accountability))
        .route("/{lang}/sources", get(sources))
        .route("/export/public.jsonl", get(export::public_jsonl_route))
        .route("/{lang}/search", get(search_page))
        .merge(api)
        .merge(work::routes())
        .merge(review::routes())
        .merge(import::routes())
        .merge(register_view::routes())
        .merge(sealed_view::routes())
        .merge(evidence_view::routes())
        .merge(files::routes())
        .merge(security::routes())
        .fallback(fallback)
        .layer(middleware::from_fn(remember_target))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// How often a running server looks for a lock made by another process.
pub const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// Run the site until Ctrl-C. Blocking: builds its own runtime.
pub fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let mut state = AppState::open(&opts.archive)?;
    if opts.listen.ip().is_loopback() {
        state = state.plain_http();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.listen).await?;
        let addr = listener.local_addr()?;
        println!(
            "qantar: serving {} at http://{addr}/",
            opts.archive.display()
        );
        if state.accounts().is_empty()? {
            let secret = state.accounts().create_setup_link()?;
            println!(
                "qantar: no accounts yet. Create the first administrator, once, at\n  http://{addr}/workspace/setup/{secret}\n(valid for 24 hours, or use `qantar user add`)"
            );
        }
        // `qantar lock` from another process shows in web.sqlite; look
        // often enough that memory is dropped within a second.
        let watcher = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(LOCK_POLL);
            loop {
                tick.tick().await;
                if let Err(e) = watcher.notice_lock().await {
                    eprintln!("qantar-web: cannot read the lock generation: {e}");
                }
            }
        });
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The header through which [`work::guard`] learns the path and query it
/// guards (to come back to after re-authentication). Set here from the
/// request itself; a client's own copy is removed first.
pub(crate) const TARGET_HEADER: &str = "qantar-internal-target";

async fn remember_target(mut req: Request, next: Next) -> Response {
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let h = req.headers_mut();
    h.remove(TARGET_HEADER);
    if let Ok(v) = HeaderValue::from_str(&target) {
        h.insert(TARGET_HEADER, v);
    }
    next.run(req).await
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("interest-cohort=(), geolocation=(), camera=(), microphone=()"),
    );
    res
}

const LANG_COOKIE: &str = "qantar_lang";

/// The reader's language when the URL does not say: the remembered choice,
/// then `Accept-Language`, then Kazakh (the state language).
pub fn negotiate(headers: &HeaderMap) -> Lang {
    let remembered = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v.trim()));
    remembered
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Kk)
}

async fn root(headers: HeaderMap) -> Response {
    let lang = negotiate(&headers);
    let mut r = Redirect::to(&format!("/{}/", lang.code())).into_response();
    r.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    r
}

async fn lang_root(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    match Lang::parse(&lang) {
        Some(l) => Redirect::permanent(&format!("/{}/", l.code())).into_response(),
        None => not_found_page(negotiate(&headers)),
    }
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

fn html_response(status: StatusCode, lang: Lang, html: String) -> Response {
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    );
    let mut r = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    r
}

fn not_found_page(lang: Lang) -> Response {
    let title = t(lang, "not-found-title");
    html_response(
        StatusCode::NOT_FOUND,
        lang,
        html::page(lang, "", &title, &pages::not_found(lang)),
    )
}

fn error_page(lang: Lang) -> Response {
    let title = t(lang, "error-title");
    let body = format!("<p>{}</p>", html::esc(&t(lang, "error-text")));
    html_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        html::page(lang, "", &title, &body),
    )
}

async fn fallback(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return api::api_not_found(uri).await.into_response();
    }
    let lang = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Lang::parse)
        .unwrap_or_else(|| negotiate(&headers));
    not_found_page(lang)
}

/// Render a page of the public site: resolve the language, load the
/// snapshot, and frame what `render` returns (`None` = not found).
async fn render(
    state: &AppState,
    lang: &str,
    headers: &HeaderMap,
    path: &str,
    render: impl FnOnce(Lang, &Snapshot) -> Option<(String, String)>,
) -> Response {
    render_keyed(state, lang, headers, path, path, render).await
}

/// As [`render`], caching the page under `key` rather than its path (for
/// pages that depend on more than the snapshot).
async fn render_keyed(
    state: &AppState,
    lang: &str,
    headers: &HeaderMap,
    path: &str,
    key: &str,
    render: impl FnOnce(Lang, &Snapshot) -> Option<(String, String)>,
) -> Response {
    let Some(lang) = Lang::parse(lang) else {
        return not_found_page(negotiate(headers));
    };
    let snap = match state.snapshot().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("qantar-web: cannot read the archive: {e}");
            return error_page(lang);
        }
    };
    match snap.rendered(format!("{}/{key}", lang.code()), || render(lang, &snap)) {
        Some(page) => {
            let (title, body) = &*page;
            html_response(StatusCode::OK, lang, html::page(lang, path, title, body))
        }
        None => not_found_page(lang),
    }
}

async fn home(State(s): State<AppState>, Path(lang): Path<String>, h: HeaderMap) -> Response {
    render(&s, &lang, &h, "", |l, snap| {
        Some((t(l, "home-title"), pages::home(l, snap)))
    })
    .await
}

/// `?page=N` of a paged list.
#[derive(Debug, Default, serde::Deserialize)]
struct PageQuery {
    page: Option<usize>,
}

async fn people(
    State(s): State<AppState>,
    Path(lang): Path<String>,
    h: HeaderMap,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let page = q
        .map(|Query(q)| q)
        .unwrap_or_default()
        .page
        .unwrap_or(1)
        .max(1);
    let path = if page > 1 {
        format!("people?page={page}")
    } else {
        "people".to_string()
    };
    render(&s, &lang, &h, &path, |l, snap| {
        Some((t(l, "nav-people"), pages::people(l, snap, page)))
    })
    .await
}

async fn person(
    State(s): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    h: HeaderMap,
) -> Response {
    let path = format!("people/{}", html::url_part(&id));
    render(&s, &lang, &h, &path, |l, snap| {
        let r = snap
            .get(&id)
            .filter(|r| r.kind() == qantar_model::Kind::Person)?;
        Some((html::label(l, snap, r), pages::person(l, snap, r)))
    })
    .await
}

async fn timeline(
    State(s): State<AppState>,
    Path(lang): Path<String>,
    h: HeaderMap,
    q: Result<Query<pages::TimelineQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    // A malformed query string shows the unfiltered timeline.
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let mut path = "timeline".to_string();
    let mut sep = '?';
    if let Some(c) = q.city.as_deref().filter(|c| !c.is_empty()) {
        path.push_str(&format!("{sep}city={}", html::url_part(c)));
        sep = '&';
    }
    if let Some(ty) = q.act_type.as_deref().filter(|c| !c.is_empty()) {
        path.push_str(&format!("{sep}type={}", html::url_part(ty)));
        sep = '&';
    }
    if let Some(p) = q.page.filter(|p| *p > 1) {
        path.push_str(&format!("{sep}page={p}"));
    }
    render(&s, &lang, &h, &path, |l, snap| {
        Some((t(l, "nav-timeline"), pages::timeline(l, snap, &q)))
    })
    .await
}

async fn map(State(s): State<AppState>, Path(lang): Path<String>, h: HeaderMap) -> Response {
    render(&s, &lang, &h, "map", |l, snap| {
        Some((t(l, "nav-map"), pages::map(l, snap)))
    })
    .await
}

async fn numbers(State(s): State<AppState>, Path(lang): Path<String>, h: HeaderMap) -> Response {
    let status = match s.estimates().await {
        Ok(st) => st,
        Err(e) => {
            // The claims still show; the estimates section says it failed.
            eprintln!("qantar-web: cannot read the linkage run: {e}");
            estimates::Status::Failed(0)
        }
    };
    // The page depends on the estimates as well as the snapshot: keep
    // one rendering per estimate state.
    let key = format!("numbers#{}", status.tag());
    render_keyed(&s, &lang, &h, "numbers", &key, |l, snap| {
        let mut body = estimate_view::section(l, snap, &status);
        body.push_str(&pages::numbers(l, snap));
        Some((t(l, "nav-numbers"), body))
    })
    .await
}

async fn accountability(
    State(s): State<AppState>,
    Path(lang): Path<String>,
    h: HeaderMap,
) -> Response {
    render(&s, &lang, &h, "accountability", |l, snap| {
        Some((t(l, "nav-accountability"), pages::accountability(l, snap)))
    })
    .await
}

/// `?q=…` of the search page.
#[derive(Debug, Default, serde::Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

/// Search pages are not kept in the snapshot's page cache: queries are
/// unbounded and each is cheap against the in-memory index.
async fn search_page(
    State(s): State<AppState>,
    Path(lang): Path<String>,
    h: HeaderMap,
    q: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return not_found_page(negotiate(&h));
    };
    let query = q
        .map(|Query(q)| q)
        .unwrap_or_default()
        .q
        .unwrap_or_default();
    let path = format!("search?q={}", html::url_part(&query));
    let snap = match s.snapshot().await {
        Ok(snap) => snap,
        Err(e) => {
            eprintln!("qantar-web: cannot read the archive: {e}");
            return error_page(lang);
        }
    };
    let body = tokio::task::spawn_blocking(move || {
        let index = search::index_of(&snap);
        search::page(lang, &snap, &index, &query)
    })
    .await;
    match body {
        Ok(body) => {
            let title = t(lang, "nav-search");
            html_response(StatusCode::OK, lang, html::page(lang, &path, &title, &body))
        }
        Err(_) => error_page(lang),
    }
}

async fn sources(State(s): State<AppState>, Path(lang): Path<String>, h: HeaderMap) -> Response {
    render(&s, &lang, &h, "sources", |l, snap| {
        Some((t(l, "nav-sources"), pages::sources(l, snap)))
    })
    .await
}
