//! `/workspace/…`: the documenters' workspace.
//!
//! Plain HTML forms, no JavaScript. Every handler starts with [`guard`],
//! which finds the session and asks [`crate::policy`] whether its role may
//! use the route; every state-changing request then passes [`refuse_post`]
//! (same-origin headers and the session's synchronizer token). Records are
//! written only through [`crate::write`], so a form refuses exactly what
//! `qantar add` refuses, and the store's field paths (`names[0].value`,
//! `sources`) are shown beside the inputs of the same name.

use std::fmt::Write;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qantar_model::{Kind, vocab};
use qantar_store::{Archive, Filter, InputError, StoredRecord};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::auth::{self, Found, Role, Session, Stage};
use crate::html::{esc, url_part};
use crate::i18n::{Arg, Lang, t, ta};
use crate::policy::{Route, allowed, needs_recent_auth};
use crate::write::WriteError;
use crate::{AppState, WebError, negotiate};

pub const SESSION_COOKIE: &str = "qantar_session";
pub const LOGIN_COOKIE: &str = "qantar_login";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/workspace",
            get(|| async { Redirect::permanent("/workspace/") }),
        )
        .route("/workspace/", get(home))
        .route("/workspace/login", get(login_form).post(login))
        .route("/workspace/logout", post(logout))
        .route("/workspace/setup/{secret}", get(setup_form).post(setup))
        .route("/workspace/new/{form}", get(new_form).post(new_record))
        .route("/workspace/records/{id}", get(record))
        .route("/workspace/records/{id}/edit", get(edit_form).post(edit))
        .route(
            "/workspace/records/{id}/confidentiality",
            post(confidentiality),
        )
        .route("/workspace/records/{id}/retract", post(retract))
        .route("/workspace/records/{id}/redact", post(redact_record))
        .route("/workspace/records/{id}/history", get(history))
        .route("/workspace/ledger", get(ledger))
        .route("/workspace/accounts", get(accounts).post(accounts_post))
        .route("/workspace/tokens", post(tokens))
        .route("/workspace/lang/{code}", get(choose_lang))
}

/// Remember the reader's interface language (the same cookie as the public
/// site's) and go back to the workspace.
async fn choose_lang(Path(code): Path<String>) -> Response {
    let mut r = Redirect::to("/workspace/").into_response();
    if let Some(l) = Lang::parse(&code) {
        set_cookie(
            &mut r,
            &format!(
                "qantar_lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
                l.code()
            ),
        );
    }
    r
}

/// Who is asking, on a workspace page.
pub struct Ctx {
    pub session: Session,
    /// The synchronizer token every form of this session carries.
    pub csrf: String,
    pub lang: Lang,
    /// The session's secret (for the pages that act on the session itself:
    /// enrolment, re-authentication).
    pub(crate) secret: String,
    /// Whether the session still has to enrol a second factor: then the
    /// page shows no menu, since nothing else would open.
    pub(crate) enrolling: bool,
    /// Whether the account has a second factor.
    pub(crate) totp: bool,
    /// Whether the account is flagged as a handler: only then can it hold
    /// a compartment's key here (see [`crate::sealed_view`]).
    pub(crate) handler: bool,
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// The live session of the request's cookie, at whatever stage.
pub(crate) async fn found_of(state: &AppState, headers: &HeaderMap) -> Option<(Found, String)> {
    let secret = cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty() && s.len() <= 128)?;
    let accounts = state.accounts().clone();
    let s2 = secret.clone();
    let found = AppState::blocking(move || Ok(accounts.lookup(&s2)?))
        .await
        .ok()
        .flatten()?;
    Some((found, secret))
}

/// The session, if the policy lets its role (or an anonymous visitor) use
/// `route`; otherwise the refusal to send. Anonymous readers of pages are
/// sent to the login form; everything else denied is 403. A session still
/// owing its second factor is sent to give it (or to enrol one) whatever it
/// asks for, and a route that needs recent authentication sends a session
/// that has not given its password lately to the re-authentication page,
/// which comes back here.
pub async fn guard(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
    route: Route,
) -> Result<Ctx, Response> {
    let lang = negotiate(headers);
    let found = found_of(state, headers).await;
    let role = found.as_ref().map(|(f, _)| f.session.role);
    let forbidden = || {
        message(
            StatusCode::FORBIDDEN,
            lang,
            None,
            &t(lang, "work-forbidden-title"),
            &t(lang, "work-forbidden-text"),
        )
    };
    // A redirect for pages, a refusal for posts.
    let elsewhere = |to: String| -> Response {
        if *method == Method::GET {
            Redirect::to(&to).into_response()
        } else {
            forbidden()
        }
    };
    match found {
        Some((f, _)) if f.stage == Stage::Code => Err(elsewhere("/workspace/login/code".into())),
        Some((f, secret)) if f.stage == Stage::Enrol => {
            if route == Route::SecondFactor {
                Ok(Ctx {
                    session: f.session,
                    csrf: auth::csrf_token(&secret),
                    lang,
                    secret,
                    enrolling: true,
                    totp: f.totp,
                    handler: f.handler,
                })
            } else {
                Err(elsewhere("/workspace/totp".into()))
            }
        }
        Some((f, secret)) if allowed(route, role) => {
            if needs_recent_auth(route) && !state.accounts().is_recent(f.fresh) {
                let target = headers
                    .get(crate::TARGET_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("/workspace/");
                return Err(elsewhere(crate::security::reauth_url(target)));
            }
            Ok(Ctx {
                session: f.session,
                csrf: auth::csrf_token(&secret),
                lang,
                secret,
                enrolling: false,
                totp: f.totp,
                handler: f.handler,
            })
        }
        None if *method == Method::GET => Err(Redirect::to("/workspace/login").into_response()),
        _ => Err(forbidden()),
    }
}

/// Requests that change state must come from this site. Browsers send
/// `Sec-Fetch-Site` on every request and no page can forge it, so when it
/// is there it decides. Older browsers send only `Origin`, which must then
/// name this host (the site's `Referrer-Policy: no-referrer` makes modern
/// browsers send `Origin: null` even for same-origin posts, which is why
/// `Origin` alone is not the first test). Clients that send neither
/// (scripts with a session cookie) still need the synchronizer token.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let bare = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("\u{0}");
        return !host.is_empty() && bare == host;
    }
    true
}

/// The refusal to send when a post lacks this session's token or comes
/// from elsewhere; `None` when it may proceed.
pub(crate) fn refuse_post(
    headers: &HeaderMap,
    form: &Form,
    expected: &str,
    lang: Lang,
) -> Option<Response> {
    let token = form.get("csrf");
    if same_origin(headers) && !expected.is_empty() && auth::same(token, expected) {
        None
    } else {
        Some(message(
            StatusCode::FORBIDDEN,
            lang,
            None,
            &t(lang, "work-csrf-title"),
            &t(lang, "work-csrf-text"),
        ))
    }
}

/// An `application/x-www-form-urlencoded` body, keys in order, repeats kept
/// (a multiple `<select>` sends one pair per choice).
#[derive(Debug, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        let text = String::from_utf8_lossy(body);
        Form(
            text.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hexpair = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hexpair, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The frame of a workspace page.
pub(crate) fn frame(lang: Lang, ctx: Option<&Ctx>, title: &str, body: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>{title} · {ws}</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n\
         </head>\n<body class=\"work\">\n<header>\n<p class=\"site\"><a href=\"/workspace/\">{ws}</a></p>\n",
        code = lang.code(),
        title = esc(title),
        ws = esc(&t(lang, "work-name")),
    );
    if let Some(c) = ctx.filter(|c| !c.enrolling) {
        let role = c.session.role;
        let _ = write!(
            h,
            "<nav aria-label=\"{}\"><ul><li><a href=\"/workspace/\">{}</a></li>",
            esc(&t(lang, "nav-label")),
            esc(&t(lang, "work-records"))
        );
        if allowed(Route::RecordCreate, Some(role)) {
            for (form, key) in FORMS {
                let _ = write!(
                    h,
                    "<li><a href=\"/workspace/new/{form}\">{}</a></li>",
                    esc(&t(lang, key))
                );
            }
        }
        for (route, href, key) in [
            (Route::Review, "/workspace/review", "work-review"),
            (Route::Register, "/workspace/register", "work-register"),
            (Route::Import, "/workspace/import", "work-import"),
        ] {
            if allowed(route, Some(role)) {
                let _ = write!(h, "<li><a href=\"{href}\">{}</a></li>", esc(&t(lang, key)));
            }
        }
        if c.handler && allowed(Route::Sealed, Some(role)) {
            let _ = write!(
                h,
                "<li><a href=\"/workspace/sealed\">{}</a></li>",
                esc(&t(lang, "work-sealed"))
            );
        }
        if allowed(Route::LedgerStatus, Some(role)) {
            let _ = write!(
                h,
                "<li><a href=\"/workspace/ledger\">{}</a></li>",
                esc(&t(lang, "work-ledger"))
            );
        }
        if allowed(Route::Accounts, Some(role)) {
            let _ = write!(
                h,
                "<li><a href=\"/workspace/accounts\">{}</a></li>",
                esc(&t(lang, "work-accounts"))
            );
        }
        let _ = write!(
            h,
            "<li><a href=\"/{}/\">{}</a></li></ul></nav>\n\
             <form method=\"post\" action=\"/workspace/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <span>{} ({})</span> <button type=\"submit\">{}</button></form>\n",
            lang.code(),
            esc(&t(lang, "work-public-site")),
            esc(&c.csrf),
            esc(&c.session.account),
            esc(&role_label(lang, role)),
            esc(&t(lang, "work-logout")),
        );
        if allowed(Route::Lock, Some(role)) {
            // The panic button: one press, no confirmation page.
            let _ = writeln!(
                h,
                "<form method=\"post\" action=\"/workspace/lock\" class=\"inline\">{}\
                 <button type=\"submit\" id=\"lock\" title=\"{}\">{}</button></form>",
                hidden_csrf(&c.csrf),
                esc(&t(lang, "work-lock-help")),
                esc(&t(lang, "work-lock")),
            );
        }
    }
    let _ = write!(
        h,
        "<nav aria-label=\"{}\" class=\"langs\"><ul>",
        esc(&t(lang, "lang-switch-label"))
    );
    for other in Lang::ALL {
        let name = esc(&t(other, "lang-name"));
        if other == lang {
            let _ = write!(
                h,
                "<li><span lang=\"{}\" aria-current=\"true\">{name}</span></li>",
                other.code()
            );
        } else {
            let _ = write!(
                h,
                "<li><a href=\"/workspace/lang/{c}\" hreflang=\"{c}\" lang=\"{c}\">{name}</a></li>",
                c = other.code()
            );
        }
    }
    h.push_str("</ul></nav>\n");
    let _ = write!(
        h,
        "</header>\n<main id=\"main\">\n<h1>{}</h1>\n{body}\n</main>\n</body>\n</html>\n",
        esc(title)
    );
    h
}

pub(crate) fn respond(status: StatusCode, lang: Lang, html: String) -> Response {
    let mut r = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Pages behind a login are never stored by shared caches.
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    r
}

pub(crate) fn message(
    status: StatusCode,
    lang: Lang,
    ctx: Option<&Ctx>,
    title: &str,
    text: &str,
) -> Response {
    respond(
        status,
        lang,
        frame(lang, ctx, title, &format!("<p>{}</p>", esc(text))),
    )
}

pub(crate) fn not_found(ctx: &Ctx) -> Response {
    message(
        StatusCode::NOT_FOUND,
        ctx.lang,
        Some(ctx),
        &t(ctx.lang, "not-found-title"),
        &t(ctx.lang, "work-no-record"),
    )
}

pub(crate) fn failure(ctx: Option<&Ctx>, lang: Lang, e: &dyn std::fmt::Display) -> Response {
    eprintln!("qantar-web: workspace error: {e}");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        ctx,
        &t(lang, "error-title"),
        &t(lang, "error-text"),
    )
}

fn role_label(lang: Lang, role: Role) -> String {
    t(lang, &format!("role-{}", role.as_str()))
}

pub(crate) fn hidden_csrf(csrf: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(csrf)
    )
}

pub(crate) fn set_cookie(r: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Hand the browser a session's secret: the cookie lives as long as the
/// session may.
pub(crate) fn set_session_cookie(state: &AppState, r: &mut Response, secret: &str) {
    set_cookie(
        r,
        &format!(
            "{SESSION_COOKIE}={secret}; Max-Age={}{}",
            auth::SESSION_SECONDS,
            cookie_flags(state)
        ),
    );
}

pub(crate) fn cookie_flags(state: &AppState) -> &'static str {
    if state.inner.secure_cookies {
        "; HttpOnly; SameSite=Strict; Path=/; Secure"
    } else {
        "; HttpOnly; SameSite=Strict; Path=/"
    }
}

// ---------------------------------------------------------------- login

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = negotiate(&headers);
    login_page(&state, lang, StatusCode::OK, None, "")
}

fn login_page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    error: Option<&str>,
    name: &str,
) -> Response {
    let token = match auth::secret() {
        Ok(s) => s,
        Err(e) => return failure(None, lang, &e),
    };
    let mut body = String::new();
    if let Some(e) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(e));
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/workspace/login\" class=\"record\">{csrf}\
         <p class=\"field\"><label for=\"f-name\">{ln}</label><input id=\"f-name\" name=\"name\" value=\"{name}\" autocomplete=\"username\" required></p>\
         <p class=\"field\"><label for=\"f-password\">{lp}</label><input id=\"f-password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">{lb}</button></p></form>",
        csrf = hidden_csrf(&token),
        ln = esc(&t(lang, "work-account-name")),
        lp = esc(&t(lang, "work-password")),
        lb = esc(&t(lang, "work-login")),
        name = esc(name),
    );
    let mut r = respond(
        status,
        lang,
        frame(lang, None, &t(lang, "work-login"), &body),
    );
    set_cookie(
        &mut r,
        &format!(
            "{LOGIN_COOKIE}={token}; Max-Age=3600{}",
            cookie_flags(state)
        ),
    );
    r
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Option<axum::extract::Extension<ConnectInfo<std::net::SocketAddr>>>,
    body: Bytes,
) -> Response {
    let lang = negotiate(&headers);
    let form = Form::parse(&body);
    // Before a session exists the token is double-submitted: the form's copy
    // must match the cookie set with the form.
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if let Some(r) = refuse_post(&headers, &form, &expected, lang) {
        return r;
    }
    let name = form.get("name").trim().to_string();
    let password = form.get("password").to_string();
    let address = connect
        .map(|c| c.0.0.ip().to_string())
        .unwrap_or_else(|| "local".into());
    if !state.inner.limits.allows(&name, &address) {
        return login_page(
            &state,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            Some(&t(lang, "work-login-limited")),
            &name,
        );
    }
    let accounts = state.accounts().clone();
    let n2 = name.clone();
    let checked = AppState::blocking(move || {
        let role = accounts.check_login(&n2, &password)?;
        Ok(match role {
            Some(_) => {
                let stage = accounts.stage_after_password(&n2)?;
                Some((accounts.start(&n2, stage)?, stage))
            }
            None => None,
        })
    })
    .await;
    match checked {
        Ok(Some((secret, stage))) => {
            let next = match stage {
                Stage::Full => "/workspace/",
                Stage::Code => "/workspace/login/code",
                Stage::Enrol => "/workspace/totp",
            };
            let mut r = Redirect::to(next).into_response();
            set_session_cookie(&state, &mut r, &secret);
            set_cookie(
                &mut r,
                &format!("{LOGIN_COOKIE}=; Max-Age=0{}", cookie_flags(&state)),
            );
            r
        }
        Ok(None) => {
            state.inner.limits.failed(&name, &address);
            login_page(
                &state,
                lang,
                StatusCode::UNAUTHORIZED,
                Some(&t(lang, "work-login-failed")),
                &name,
            )
        }
        Err(e) => failure(None, lang, &e),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = negotiate(&headers);
    let form = Form::parse(&body);
    let Some((_, secret)) = found_of(&state, &headers).await else {
        return Redirect::to("/workspace/login").into_response();
    };
    if let Some(r) = refuse_post(&headers, &form, &auth::csrf_token(&secret), lang) {
        return r;
    }
    let accounts = state.accounts().clone();
    if let Err(e) = AppState::blocking(move || Ok(accounts.end_session(&secret)?)).await {
        return failure(None, lang, &e);
    }
    let mut r = Redirect::to("/workspace/login").into_response();
    set_cookie(
        &mut r,
        &format!("{SESSION_COOKIE}=; Max-Age=0{}", cookie_flags(&state)),
    );
    r
}

async fn setup_form(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = negotiate(&headers);
    setup_page(&state, lang, &secret, StatusCode::OK, None).await
}

async fn setup_page(
    state: &AppState,
    lang: Lang,
    secret: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let accounts = state.accounts().clone();
    let s2 = secret.to_string();
    match AppState::blocking(move || Ok(accounts.setup_valid(&s2)?)).await {
        Ok(true) => {}
        Ok(false) => {
            return message(
                StatusCode::NOT_FOUND,
                lang,
                None,
                &t(lang, "not-found-title"),
                &t(lang, "work-setup-used"),
            );
        }
        Err(e) => return failure(None, lang, &e),
    }
    let mut body = format!("<p>{}</p>", esc(&t(lang, "work-setup-intro")));
    if let Some(e) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(&e));
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/workspace/setup/{s}\" class=\"record\">\
         <p class=\"field\"><label for=\"f-name\">{ln}</label><input id=\"f-name\" name=\"name\" autocomplete=\"username\" required></p>\
         <p class=\"field\"><label for=\"f-password\">{lp}</label><input id=\"f-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"10\" required></p>\
         <p><button type=\"submit\">{lb}</button></p></form>",
        s = esc(&url_part(secret)),
        ln = esc(&t(lang, "work-account-name")),
        lp = esc(&t(lang, "work-password")),
        lb = esc(&t(lang, "work-create-admin")),
    );
    respond(
        status,
        lang,
        frame(lang, None, &t(lang, "work-setup-title"), &body),
    )
}

async fn setup(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = negotiate(&headers);
    // The secret in the path is the capability; the origin check stops a
    // foreign page from using a leaked link in the reader's browser.
    if !same_origin(&headers) {
        return message(
            StatusCode::FORBIDDEN,
            lang,
            None,
            &t(lang, "work-csrf-title"),
            &t(lang, "work-csrf-text"),
        );
    }
    let form = Form::parse(&body);
    let (name, password) = (
        form.get("name").trim().to_string(),
        form.get("password").to_string(),
    );
    let accounts = state.accounts().clone();
    let s2 = secret.clone();
    match AppState::blocking(move || Ok(accounts.complete_setup(&s2, &name, &password)?)).await {
        Ok(true) => Redirect::to("/workspace/login").into_response(),
        Ok(false) => setup_page(&state, lang, &secret, StatusCode::NOT_FOUND, None).await,
        Err(WebError::Accounts(e)) => {
            setup_page(
                &state,
                lang,
                &secret,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(e.to_string()),
            )
            .await
        }
        Err(e) => failure(None, lang, &e),
    }
}

// ---------------------------------------------------------------- records

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub kind: Option<String>,
}

const KINDS: [Kind; 8] = [
    Kind::Person,
    Kind::Event,
    Kind::Act,
    Kind::Place,
    Kind::Source,
    Kind::Claim,
    Kind::Proceeding,
    Kind::Relationship,
];

fn conf_label(lang: Lang, c: &str) -> String {
    t(lang, &format!("conf-{c}"))
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Workspace).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let kind = q
        .ok()
        .and_then(|Query(q)| q.kind)
        .and_then(|k| k.parse::<Kind>().ok());
    let role = ctx.session.role;
    let listed = state
        .with_store(move |s| {
            Ok(s.list(&Filter {
                kind,
                include_retracted: true,
                limit: Some(1000),
                ..Filter::default()
            })?)
        })
        .await;
    let records: Vec<StoredRecord> = match listed {
        Ok(v) => v
            .into_iter()
            .filter(|r| role.can_read(&r.confidentiality))
            .collect(),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<nav class=\"kinds\" aria-label=\"{}\"><ul><li><a href=\"/workspace/\">{}</a></li>",
        esc(&t(lang, "work-filter-kind")),
        esc(&t(lang, "work-all-kinds"))
    );
    for k in KINDS {
        let _ = write!(
            body,
            "<li><a href=\"/workspace/?kind={k}\">{}</a></li>",
            esc(&t(lang, &format!("kind-{}", k.as_str()))),
            k = k.as_str()
        );
    }
    body.push_str("</ul></nav>");
    let _ = write!(
        body,
        "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&ta(
            lang,
            "work-count-records",
            &[("count", Arg::Num(records.len() as u64))]
        )),
        esc(&t(lang, "work-label")),
        esc(&t(lang, "work-kind")),
        esc(&t(lang, "work-confidentiality")),
        esc(&t(lang, "work-updated")),
    );
    for r in &records {
        let retracted = if r.retracted {
            format!(" <strong>({})</strong>", esc(&t(lang, "work-retracted")))
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"/workspace/records/{id}\">{label}</a>{retracted}</td><td>{kind}</td><td>{conf}</td><td>{upd}</td></tr>",
            id = esc(&r.id),
            label = esc(&display_label(r)),
            kind = esc(&t(lang, &format!("kind-{}", r.kind))),
            conf = esc(&conf_label(lang, &r.confidentiality)),
            upd = esc(&r.updated_at),
        );
    }
    body.push_str("</tbody></table>");
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-records"), &body),
    )
}

pub(crate) fn display_label(r: &StoredRecord) -> String {
    match (&r.r#ref, r.label.is_empty()) {
        (Some(rf), true) => rf.clone(),
        (Some(rf), false) => format!("{} [{rf}]", r.label),
        (None, true) => r.id.clone(),
        (None, false) => r.label.clone(),
    }
}

/// A record the session may read, or `None` (missing and forbidden alike).
async fn readable(state: &AppState, ctx: &Ctx, id: &str) -> Result<Option<StoredRecord>, WebError> {
    let role = ctx.session.role;
    Ok(state
        .stored(id)
        .await?
        .filter(|r| role.can_read(&r.confidentiality)))
}

async fn record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::RecordRead).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let r = match readable(&state, &ctx, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(&ctx),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let role = ctx.session.role;
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><code>{}</code></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        esc(&t(lang, "work-kind")),
        esc(&t(lang, &format!("kind-{}", r.kind))),
        esc(&t(lang, "work-id")),
        esc(&r.id),
        esc(&t(lang, "work-confidentiality")),
        esc(&conf_label(lang, &r.confidentiality)),
        esc(&t(lang, "work-version")),
        r.version,
        esc(&t(lang, "work-updated")),
        esc(&r.updated_at),
    );
    if r.retracted {
        let _ = write!(
            body,
            "<p class=\"error\"><strong>{}</strong>: {}</p>",
            esc(&t(lang, "work-retracted")),
            esc(r.retract_reason.as_deref().unwrap_or_default())
        );
    }
    let _ = write!(
        body,
        "<p><a href=\"/workspace/records/{id}/history\">{}</a>",
        esc(&t(lang, "work-history")),
        id = esc(&r.id)
    );
    if allowed(Route::RecordEdit, Some(role)) && !r.retracted {
        let _ = write!(
            body,
            " · <a href=\"/workspace/records/{id}/edit\">{}</a>",
            esc(&t(lang, "work-edit")),
            id = esc(&r.id)
        );
    }
    if r.kind == "person" && r.confidentiality == "public" && !r.retracted {
        let _ = write!(
            body,
            " · <a href=\"/{}/people/{}\">{}</a>",
            lang.code(),
            esc(&r.id),
            esc(&t(lang, "work-public-profile"))
        );
    }
    body.push_str("</p>");
    let pretty = serde_json::to_string_pretty(&r.data).unwrap_or_default();
    let _ = write!(body, "<pre class=\"json\">{}</pre>", esc(&pretty));
    match crate::evidence_view::files_section(&state, &ctx, &r).await {
        Ok(files) => body.push_str(&files),
        Err(e) => return failure(Some(&ctx), lang, &e),
    }
    if allowed(Route::Confidentiality, Some(role)) && !r.retracted {
        let _ = write!(
            body,
            "<h2>{title}</h2><form method=\"post\" action=\"/workspace/records/{id}/confidentiality\" class=\"record\">{csrf}\
             <p class=\"field\"><label for=\"f-conf\">{label}</label>{select}</p>\
             <p><button type=\"submit\">{button}</button></p></form>",
            title = esc(&t(lang, "work-set-confidentiality")),
            id = esc(&r.id),
            csrf = hidden_csrf(&ctx.csrf),
            label = esc(&t(lang, "work-confidentiality")),
            select = confidentiality_picker(lang, "f-conf", &r.confidentiality),
            button = esc(&t(lang, "work-save")),
        );
    }
    // A public version is offered for what is not public already and has
    // something identifying to drop.
    let redactable = r
        .kind
        .parse::<Kind>()
        .is_ok_and(|k| !k.sensitive_fields().is_empty());
    if allowed(Route::Redact, Some(role))
        && !r.retracted
        && r.confidentiality != "public"
        && redactable
    {
        let _ = write!(
            body,
            "<h2>{title}</h2><form method=\"post\" action=\"/workspace/records/{id}/redact\" class=\"record\">{csrf}\
             <p>{text}</p><p><button type=\"submit\">{button}</button></p></form>",
            title = esc(&t(lang, "work-redact")),
            id = esc(&r.id),
            csrf = hidden_csrf(&ctx.csrf),
            text = esc(&t(lang, "work-redact-text")),
            button = esc(&t(lang, "work-redact-button")),
        );
    }
    if allowed(Route::Retract, Some(role)) && !r.retracted {
        let _ = write!(
            body,
            "<h2>{title}</h2><form method=\"post\" action=\"/workspace/records/{id}/retract\" class=\"record\">{csrf}\
             <p class=\"field\"><label for=\"f-reason\">{label}</label><input id=\"f-reason\" name=\"reason\" required></p>\
             <p><button type=\"submit\">{button}</button></p></form>",
            title = esc(&t(lang, "work-retract")),
            id = esc(&r.id),
            csrf = hidden_csrf(&ctx.csrf),
            label = esc(&t(lang, "work-reason")),
            button = esc(&t(lang, "work-retract")),
        );
    }
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &display_label(&r), &body),
    )
}

fn confidentiality_picker(lang: Lang, id: &str, current: &str) -> String {
    let mut h = format!("<select id=\"{id}\" name=\"confidentiality\">");
    for c in ["public", "restricted", "confidential"] {
        let sel = if c == current { " selected" } else { "" };
        let _ = write!(
            h,
            "<option value=\"{c}\"{sel}>{}</option>",
            esc(&conf_label(lang, c))
        );
    }
    h.push_str("</select>");
    h
}

async fn history(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::History).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let r = match readable(&state, &ctx, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(&ctx),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let rid = r.id.clone();
    let items = match state.with_store(move |s| Ok(s.history(&rid)?)).await {
        Ok(i) => i,
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let mut body = format!(
        "<p><a href=\"/workspace/records/{}\">{}</a></p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&r.id),
        esc(&display_label(&r)),
        esc(&t(lang, "work-seq")),
        esc(&t(lang, "work-time")),
        esc(&t(lang, "work-author")),
        esc(&t(lang, "work-entry-kind")),
        esc(&t(lang, "work-changed")),
        esc(&t(lang, "work-reason")),
    );
    for i in items {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            i.seq,
            esc(&i.time),
            esc(&i.author),
            esc(&i.kind),
            esc(&i.changed.join(", ")),
            esc(i.reason.as_deref().unwrap_or_default()),
        );
    }
    body.push_str("</tbody></table>");
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-history"), &body),
    )
}

// ---------------------------------------------------------------- forms

/// The record forms, with their menu labels.
pub const FORMS: [(&str, &str); 5] = [
    ("person", "work-new-person"),
    ("source", "work-new-source"),
    ("act", "work-new-act"),
    ("consent", "work-new-consent"),
    ("json", "work-new-json"),
];

#[derive(Clone, Copy, Debug)]
enum Input {
    Text,
    Area,
    Vocab(&'static str),
    Lang,
    Record(Kind),
    Records(Kind),
    Conf,
}

/// One input of a form. `path` is both the input's name and the record
/// field it fills, in the store's error notation.
struct Field {
    path: &'static str,
    label: &'static str,
    input: Input,
    required: bool,
}

const fn f(path: &'static str, label: &'static str, input: Input, required: bool) -> Field {
    Field {
        path,
        label,
        input,
        required,
    }
}

const PERSON: &[Field] = &[
    f("names[0].value", "field-name", Input::Text, true),
    f("names[0].lang", "field-name-lang", Input::Lang, false),
    f("ref", "field-ref", Input::Text, false),
    f("sex", "field-sex", Input::Vocab(vocab::SEXES), false),
    f(
        "status",
        "field-status",
        Input::Vocab(vocab::PERSON_STATUSES),
        false,
    ),
    f("birth_date", "field-birth-date", Input::Text, false),
    f("occupation", "field-occupation", Input::Text, false),
    f(
        "residence",
        "field-residence",
        Input::Record(Kind::Place),
        false,
    ),
    f(
        "sources",
        "field-sources",
        Input::Records(Kind::Source),
        true,
    ),
    f(
        "confidentiality",
        "work-confidentiality",
        Input::Conf,
        false,
    ),
    f("notes", "field-notes", Input::Area, false),
];

const SOURCE: &[Field] = &[
    f("title", "field-title", Input::Text, true),
    f(
        "source_kind",
        "field-source-kind",
        Input::Vocab(vocab::SOURCE_KINDS),
        true,
    ),
    f("ref", "field-ref", Input::Text, false),
    f("author", "field-author", Input::Text, false),
    f("url", "field-url", Input::Text, false),
    f("published", "field-published", Input::Text, false),
    f("language", "field-language", Input::Text, false),
    f(
        "reliability",
        "field-reliability",
        Input::Vocab(vocab::RELIABILITY),
        false,
    ),
    f(
        "confidentiality",
        "work-confidentiality",
        Input::Conf,
        false,
    ),
    f("notes", "field-notes", Input::Area, false),
];

const ACT: &[Field] = &[
    f(
        "act_type",
        "field-act-type",
        Input::Vocab(vocab::ACT_TYPES),
        true,
    ),
    f("victim", "field-victim", Input::Record(Kind::Person), true),
    f("date", "field-date", Input::Text, false),
    f("place", "field-place", Input::Record(Kind::Place), false),
    f("ref", "field-ref", Input::Text, false),
    f("description", "field-description", Input::Area, false),
    f(
        "sources",
        "field-sources",
        Input::Records(Kind::Source),
        true,
    ),
    f(
        "confidentiality",
        "work-confidentiality",
        Input::Conf,
        false,
    ),
    f("notes", "field-notes", Input::Area, false),
];

/// What a person, or the giver of a testimony, agreed may be published.
/// No confidentiality input: a consent record is always restricted (the
/// model refuses the other levels), and it cites no source. A withdrawal is
/// an edit that sets `withdrawn_on`.
const CONSENT: &[Field] = &[
    f("subject", "field-subject", Input::Text, true),
    f(
        "audience",
        "field-audience",
        Input::Vocab(vocab::CONSENT_AUDIENCES),
        true,
    ),
    f(
        "identity",
        "field-identity",
        Input::Vocab(vocab::CONSENT_IDENTITIES),
        true,
    ),
    f("given_on", "field-given-on", Input::Text, true),
    f("partners", "field-partners", Input::Text, false),
    f(
        "method",
        "field-method",
        Input::Vocab(vocab::CONSENT_METHODS),
        false,
    ),
    f("notes", "field-notes", Input::Area, false),
];

fn spec(form: &str) -> Option<&'static [Field]> {
    match form {
        "person" => Some(PERSON),
        "source" => Some(SOURCE),
        "act" => Some(ACT),
        "consent" => Some(CONSENT),
        _ => None,
    }
}

/// Set `path` (`a`, `a[0].b`) in a JSON object, creating what is missing.
fn set_path(root: &mut Value, path: &str, value: Value) {
    let mut cur = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*part, None),
        };
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Some(obj) = cur.as_object_mut() else {
            return;
        };
        match index {
            None if last => {
                obj.insert(key.to_string(), value);
                return;
            }
            None => cur = obj.entry(key).or_insert_with(|| Value::Object(Map::new())),
            Some(n) => {
                let arr = obj.entry(key).or_insert_with(|| Value::Array(vec![]));
                if !arr.is_array() {
                    *arr = Value::Array(vec![]);
                }
                let Some(a) = arr.as_array_mut() else { return };
                while a.len() <= n {
                    a.push(Value::Object(Map::new()));
                }
                if last {
                    a[n] = value;
                    return;
                }
                cur = &mut a[n];
            }
        }
    }
}

/// The record a filled-in form describes. Empty inputs are left out, so
/// the model's own "required" errors name them.
fn form_record(kind: &str, fields: &[Field], form: &Form) -> Value {
    let mut v = json!({ "kind": kind });
    for fd in fields {
        match fd.input {
            Input::Records(_) => {
                let all = form.all(fd.path);
                if !all.is_empty() {
                    set_path(&mut v, fd.path, json!(all));
                }
            }
            _ => {
                let s = form.get(fd.path).trim();
                if !s.is_empty() {
                    set_path(&mut v, fd.path, json!(s));
                }
            }
        }
    }
    v
}

/// Which input an error belongs to: the field of the same path, or the one
/// it is part of (`sources[0]` → `sources`), or the one inside it
/// (`names` → `names[0].value`).
fn field_for<'a>(fields: &'a [Field], err: &str) -> Option<&'a Field> {
    fields
        .iter()
        .find(|f| f.path == err)
        .or_else(|| {
            fields.iter().find(|f| {
                err.starts_with(f.path)
                    && matches!(err.as_bytes().get(f.path.len()), Some(b'[' | b'.'))
            })
        })
        .or_else(|| {
            fields.iter().find(|f| {
                f.path.starts_with(err)
                    && matches!(f.path.as_bytes().get(err.len()), Some(b'[' | b'.'))
            })
        })
}

type Options = Vec<(String, String)>;

/// (id, label) of the records a picker offers.
async fn options(state: &AppState, role: Role, kind: Kind) -> Result<Options, WebError> {
    let list = state
        .with_store(move |s| {
            Ok(s.list(&Filter {
                kind: Some(kind),
                limit: Some(5000),
                ..Filter::default()
            })?)
        })
        .await?;
    let mut out: Options = list
        .into_iter()
        .filter(|r| role.can_read(&r.confidentiality))
        .map(|r| {
            let l = display_label(&r);
            (r.id, l)
        })
        .collect();
    out.sort_by_key(|a| a.1.to_lowercase());
    Ok(out)
}

/// A form carrying a file input must be sent as multipart.
fn enctype(extra: &str) -> &'static str {
    if extra.contains("type=\"file\"") {
        " enctype=\"multipart/form-data\""
    } else {
        ""
    }
}

/// `extra` goes after the fields, before the button (the sealing inputs).
#[allow(clippy::too_many_arguments)]
fn render_form(
    lang: Lang,
    ctx: &Ctx,
    form_name: &str,
    fields: &[Field],
    values: &Form,
    errors: &[InputError],
    pickers: &[(Kind, Options)],
    extra: &str,
) -> String {
    let mut h = String::new();
    let mut placed = vec![false; errors.len()];
    let mut inputs = String::new();
    for (i, fd) in fields.iter().enumerate() {
        let id = format!("f-{i}");
        let mine: Vec<&InputError> = errors
            .iter()
            .enumerate()
            .filter(|(j, e)| {
                let hit = field_for(fields, &e.field).is_some_and(|x| std::ptr::eq(x, fd));
                if hit {
                    placed[*j] = true;
                }
                hit
            })
            .map(|(_, e)| e)
            .collect();
        let invalid = if mine.is_empty() {
            String::new()
        } else {
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-err\"")
        };
        let req = if fd.required { " required" } else { "" };
        let name = esc(fd.path);
        let current = values.get(fd.path);
        let control = match fd.input {
            Input::Text => format!(
                "<input id=\"{id}\" name=\"{name}\" value=\"{}\"{req}{invalid}>",
                esc(current)
            ),
            Input::Area => format!(
                "<textarea id=\"{id}\" name=\"{name}\" rows=\"3\"{invalid}>{}</textarea>",
                esc(current)
            ),
            Input::Vocab(v) => {
                let mut s = format!(
                    "<select id=\"{id}\" name=\"{name}\"{req}{invalid}><option value=\"\">—</option>"
                );
                if let Some(voc) = vocab::get(v) {
                    for term in &voc.terms {
                        let sel = if term.id == current { " selected" } else { "" };
                        let _ = write!(
                            s,
                            "<option value=\"{}\"{sel}>{}</option>",
                            esc(&term.id),
                            esc(term.label(lang.code()))
                        );
                    }
                }
                s.push_str("</select>");
                s
            }
            Input::Lang => {
                let mut s = format!(
                    "<select id=\"{id}\" name=\"{name}\"{invalid}><option value=\"\">—</option>"
                );
                for l in Lang::ALL {
                    let sel = if l.code() == current { " selected" } else { "" };
                    let _ = write!(
                        s,
                        "<option value=\"{c}\"{sel}>{}</option>",
                        esc(&t(l, "lang-name")),
                        c = l.code()
                    );
                }
                s.push_str("</select>");
                s
            }
            Input::Record(k) | Input::Records(k) => {
                let many = matches!(fd.input, Input::Records(_));
                let chosen = values.all(fd.path);
                let mut s = format!(
                    "<select id=\"{id}\" name=\"{name}\"{}{req}{invalid}>",
                    if many { " multiple size=\"5\"" } else { "" }
                );
                if !many {
                    s.push_str("<option value=\"\">—</option>");
                }
                let empty = Vec::new();
                let opts = pickers
                    .iter()
                    .find(|(pk, _)| *pk == k)
                    .map(|(_, o)| o)
                    .unwrap_or(&empty);
                for (oid, label) in opts {
                    let sel = if chosen.contains(&oid.as_str()) {
                        " selected"
                    } else {
                        ""
                    };
                    let _ = write!(
                        s,
                        "<option value=\"{}\"{sel}>{}</option>",
                        esc(oid),
                        esc(label)
                    );
                }
                s.push_str("</select>");
                s
            }
            Input::Conf => confidentiality_picker(
                lang,
                &id,
                if current.is_empty() {
                    "restricted"
                } else {
                    current
                },
            ),
        };
        let errs = if mine.is_empty() {
            String::new()
        } else {
            let msgs: Vec<String> = mine.iter().map(|e| esc(&e.reason)).collect();
            format!(
                "<span class=\"error\" id=\"{id}-err\" data-field=\"{}\">{}</span>",
                esc(&mine[0].field),
                msgs.join("; ")
            )
        };
        let _ = write!(
            inputs,
            "<p class=\"field\"><label for=\"{id}\">{}</label>{control}{errs}</p>",
            esc(&t(lang, fd.label))
        );
    }
    let unplaced: Vec<&InputError> = errors
        .iter()
        .zip(&placed)
        .filter(|(_, p)| !**p)
        .map(|(e, _)| e)
        .collect();
    if !errors.is_empty() {
        let _ = write!(
            h,
            "<div class=\"error\" role=\"alert\"><p>{}</p>",
            esc(&t(lang, "work-form-errors"))
        );
        if !unplaced.is_empty() {
            h.push_str("<ul>");
            for e in unplaced {
                let _ = write!(
                    h,
                    "<li><code>{}</code>: {}</li>",
                    esc(&e.field),
                    esc(&e.reason)
                );
            }
            h.push_str("</ul>");
        }
        h.push_str("</div>");
    }
    let _ = write!(
        h,
        "<form method=\"post\" action=\"/workspace/new/{form_name}\" class=\"record\"{}>{}{inputs}{extra}<p><button type=\"submit\">{}</button></p></form>",
        enctype(extra),
        hidden_csrf(&ctx.csrf),
        esc(&t(lang, "work-save"))
    );
    h
}

fn json_form(
    lang: Lang,
    ctx: &Ctx,
    action: &str,
    name: &str,
    text: &str,
    extra: &str,
    errors: &[InputError],
) -> String {
    let mut h = String::new();
    if !errors.is_empty() {
        let _ = write!(
            h,
            "<div class=\"error\" role=\"alert\" id=\"json-err\"><p>{}</p><ul>",
            esc(&t(lang, "work-form-errors"))
        );
        for e in errors {
            let rec = e
                .record
                .as_deref()
                .map(|r| format!("{} ", esc(r)))
                .unwrap_or_default();
            let _ = write!(
                h,
                "<li>{rec}<code>{}</code>: {}</li>",
                esc(&e.field),
                esc(&e.reason)
            );
        }
        h.push_str("</ul></div>");
    }
    let _ = write!(
        h,
        "<form method=\"post\" action=\"{action}\" class=\"record\"{enctype}>{csrf}\
         <p class=\"field\"><label for=\"f-json\">{label}</label>\
         <textarea id=\"f-json\" name=\"{name}\" rows=\"18\" class=\"code\"{inv}>{text}</textarea></p>{extra}\
         <p><button type=\"submit\">{button}</button></p></form>",
        enctype = enctype(extra),
        csrf = hidden_csrf(&ctx.csrf),
        label = esc(&t(
            lang,
            if name == "patch" {
                "work-patch"
            } else {
                "work-json"
            }
        )),
        inv = if errors.is_empty() {
            ""
        } else {
            " aria-invalid=\"true\" aria-describedby=\"json-err\""
        },
        text = esc(text),
        button = esc(&t(lang, "work-save")),
    );
    h
}

async fn pickers_for(
    state: &AppState,
    role: Role,
    fields: &[Field],
) -> Result<Vec<(Kind, Options)>, WebError> {
    let mut out: Vec<(Kind, Options)> = Vec::new();
    for fd in fields {
        if let Input::Record(k) | Input::Records(k) = fd.input
            && !out.iter().any(|(x, _)| *x == k)
        {
            out.push((k, options(state, role, k).await?));
        }
    }
    Ok(out)
}

async fn show_form(
    state: &AppState,
    ctx: &Ctx,
    form_name: &str,
    values: &Form,
    errors: &[InputError],
    status: StatusCode,
) -> Response {
    let lang = ctx.lang;
    let Some(key) = FORMS.iter().find(|(n, _)| *n == form_name).map(|(_, k)| *k) else {
        return not_found(ctx);
    };
    // Handlers may seal what they record as confidential.
    let seal = match crate::sealed_view::held_by(state, ctx).await {
        Ok(held) => crate::sealed_view::seal_fields(
            lang,
            &held,
            values.get(crate::sealed_view::COMPARTMENT_FIELD),
        ),
        Err(e) => return failure(Some(ctx), lang, &e),
    };
    let body = match spec(form_name) {
        Some(fields) => {
            let pickers = match pickers_for(state, ctx.session.role, fields).await {
                Ok(p) => p,
                Err(e) => return failure(Some(ctx), lang, &e),
            };
            render_form(
                lang, ctx, form_name, fields, values, errors, &pickers, &seal,
            )
        }
        None => {
            let text = values.get("json");
            let help = format!("<p>{}</p>", esc(&t(lang, "work-json-help")));
            format!(
                "{help}{}",
                json_form(
                    lang,
                    ctx,
                    "/workspace/new/json",
                    "json",
                    text,
                    &seal,
                    errors
                )
            )
        }
    };
    respond(status, lang, frame(lang, Some(ctx), &t(lang, key), &body))
}

async fn new_form(
    State(state): State<AppState>,
    Path(form): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::RecordCreate).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    show_form(&state, &ctx, &form, &Form::default(), &[], StatusCode::OK).await
}

fn input_errors(e: WriteError) -> Result<Vec<InputError>, WriteError> {
    match e {
        WriteError::Input(i) => Ok(i.0),
        other => Err(other),
    }
}

async fn new_record(
    State(state): State<AppState>,
    Path(form_name): Path<String>,
    headers: HeaderMap,
    connect: Option<axum::extract::Extension<ConnectInfo<std::net::SocketAddr>>>,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::RecordCreate).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    // URL-encoded, or multipart when a handler's form carries a key file.
    let Ok(crate::sealed_view::Posted { form, secret }) =
        crate::sealed_view::read_posted(&headers, body).await
    else {
        return refuse_post(&headers, &Form::default(), "", lang)
            .unwrap_or_else(|| not_found(&ctx));
    };
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let records: Vec<Value> = match spec(&form_name) {
        Some(fields) => vec![form_record(&form_name, fields, &form)],
        None if form_name == "json" => match serde_json::from_str::<Value>(form.get("json")) {
            Ok(Value::Array(a)) => a,
            Ok(Value::Object(mut o)) => match o.remove("records") {
                Some(Value::Array(a)) => a,
                Some(_) | None if o.is_empty() => vec![],
                Some(other) => {
                    o.insert("records".into(), other);
                    vec![Value::Object(o)]
                }
                None => vec![Value::Object(o)],
            },
            Ok(_) => vec![Value::Null],
            Err(e) => {
                let err = InputError {
                    record: None,
                    field: "json".into(),
                    reason: format!(
                        "not valid JSON: {e}; paste one record object or a list of them"
                    ),
                };
                return show_form(
                    &state,
                    &ctx,
                    "json",
                    &form,
                    &[err],
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
        None => return not_found(&ctx),
    };
    if records.is_empty() {
        let err = InputError {
            record: None,
            field: "json".into(),
            reason: "no records given; paste one record object or a list of them".into(),
        };
        return show_form(
            &state,
            &ctx,
            &form_name,
            &form,
            &[err],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let seal = match crate::sealed_view::seal_from(&state, &ctx, &form, secret, connect) {
        Ok(s) => s,
        Err(errs) => {
            return show_form(
                &state,
                &ctx,
                &form_name,
                &form,
                &errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let sealing = seal.is_some();
    let address = seal.as_ref().map(|s| s.1.clone()).unwrap_or_default();
    match state
        .record_sealed(records, &ctx.session.account, seal.map(|s| s.0))
        .await
    {
        // A sealed record has its own page (its regular one shows only
        // what the projection keeps); one in clear is sent on from there.
        Ok(ids) => match ids.first() {
            Some(id) if ids.len() == 1 && sealing => {
                Redirect::to(&format!("/workspace/sealed/{id}")).into_response()
            }
            Some(id) if ids.len() == 1 => {
                Redirect::to(&format!("/workspace/records/{id}")).into_response()
            }
            _ => Redirect::to("/workspace/").into_response(),
        },
        Err(e) => match input_errors(e) {
            Ok(errs) => {
                if errs.iter().any(crate::sealed_view::is_guess) {
                    crate::sealed_view::note_guess(&state, &ctx.session.account, &address);
                }
                show_form(
                    &state,
                    &ctx,
                    &form_name,
                    &form,
                    &errs,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => failure(Some(&ctx), lang, &e),
        },
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    form: &Form,
    errors: &[InputError],
    status: StatusCode,
) -> Response {
    let lang = ctx.lang;
    let r = match readable(state, ctx, id).await {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(ctx),
        Err(e) => return failure(Some(ctx), lang, &e),
    };
    let pretty = serde_json::to_string_pretty(&r.data).unwrap_or_default();
    let patch = if form.get("patch").is_empty() {
        "{\n}"
    } else {
        form.get("patch")
    };
    let extra = format!(
        "<p class=\"field\"><label for=\"f-reason\">{}</label><input id=\"f-reason\" name=\"reason\" value=\"{}\"></p>",
        esc(&t(lang, "work-reason")),
        esc(form.get("reason"))
    );
    let body = format!(
        "<p>{help}</p><details open><summary>{cur}</summary><pre class=\"json\">{json}</pre></details>{form}",
        help = esc(&t(lang, "work-patch-help")),
        cur = esc(&t(lang, "work-current")),
        json = esc(&pretty),
        form = json_form(
            lang,
            ctx,
            &format!("/workspace/records/{}/edit", esc(&r.id)),
            "patch",
            patch,
            &extra,
            errors
        ),
    );
    respond(
        status,
        lang,
        frame(
            lang,
            Some(ctx),
            &format!("{}: {}", t(lang, "work-edit"), display_label(&r)),
            &body,
        ),
    )
}

async fn edit_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::RecordEdit).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    edit_page(&state, &ctx, &id, &Form::default(), &[], StatusCode::OK).await
}

fn reason_opt(form: &Form) -> Option<String> {
    Some(form.get("reason").trim().to_string()).filter(|s| !s.is_empty())
}

async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::RecordEdit).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, ctx.lang) {
        return r;
    }
    let patch = match serde_json::from_str::<Value>(form.get("patch")) {
        Ok(p) => p,
        Err(e) => {
            let err = InputError {
                record: None,
                field: "patch".into(),
                reason: format!("not valid JSON: {e}; write a JSON object of the fields to change"),
            };
            return edit_page(
                &state,
                &ctx,
                &id,
                &form,
                &[err],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    amend_and_show(&state, &ctx, &id, patch, reason_opt(&form), &form).await
}

async fn amend_and_show(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    patch: Value,
    reason: Option<String>,
    form: &Form,
) -> Response {
    let role = ctx.session.role;
    match state
        .amend(id, patch, reason, &ctx.session.account, move |c| {
            role.can_read(c)
        })
        .await
    {
        Ok(rid) => Redirect::to(&format!("/workspace/records/{rid}")).into_response(),
        Err(WriteError::NotFound(_)) => not_found(ctx),
        Err(e) => match input_errors(e) {
            Ok(errs) => {
                edit_page(
                    state,
                    ctx,
                    id,
                    form,
                    &errs,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => failure(Some(ctx), ctx.lang, &e),
        },
    }
}

async fn confidentiality(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Confidentiality).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, ctx.lang) {
        return r;
    }
    let level = form.get("confidentiality").to_string();
    let reason = format!("confidentiality set to {level}");
    amend_and_show(
        &state,
        &ctx,
        &id,
        json!({ "confidentiality": level }),
        Some(reason),
        &Form::default(),
    )
    .await
}

async fn retract(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Retract).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let role = ctx.session.role;
    match state
        .retract(&id, form.get("reason"), &ctx.session.account, move |c| {
            role.can_read(c)
        })
        .await
    {
        Ok(rid) => to_record(&rid),
        Err(e) => write_refused(&ctx, e),
    }
}

/// After a write from a record's page: back to the record.
fn to_record(id: &str) -> Response {
    Redirect::to(&format!("/workspace/records/{id}")).into_response()
}

/// A write from a button on a record's page that did not happen: not
/// found, the input errors as a message (the button has no form to show
/// them beside), or a failure.
fn write_refused(ctx: &Ctx, e: WriteError) -> Response {
    let lang = ctx.lang;
    match e {
        WriteError::NotFound(_) => not_found(ctx),
        e => match input_errors(e) {
            Ok(errs) => {
                let text: Vec<String> = errs
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.reason))
                    .collect();
                message(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    lang,
                    Some(ctx),
                    &t(lang, "work-form-errors"),
                    &text.join("; "),
                )
            }
            Err(e) => failure(Some(ctx), lang, &e),
        },
    }
}

async fn redact_record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Redact).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let role = ctx.session.role;
    match state
        .redact(&id, &ctx.session.account, move |c| role.can_read(c))
        .await
    {
        Ok(new) => to_record(&new),
        Err(e) => write_refused(&ctx, e),
    }
}

// ---------------------------------------------------------------- ledger

async fn ledger(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::LedgerStatus).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let dir = state.inner.dir.clone();
    let status = AppState::blocking(move || {
        let archive = Archive::open(&dir)?;
        let size = archive.store.size()?;
        let checkpoint = archive.store.latest_checkpoint()?;
        let report = archive.store.verify(
            &archive.verifier(),
            &archive.config.origin,
            false,
            &mut |_, _, _| {},
        )?;
        Ok((size, checkpoint, report))
    })
    .await;
    let (size, checkpoint, report) = match status {
        Ok(s) => s,
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let mut body = format!(
        "<dl class=\"facts\"><dt>{}</dt><dd id=\"ledger-size\">{size}</dd><dt>{}</dt><dd id=\"verify\">{}</dd><dt>{}</dt><dd><code>{}</code></dd></dl>",
        esc(&t(lang, "work-ledger-size")),
        esc(&t(lang, "work-verify")),
        esc(&t(
            lang,
            if report.ok {
                "work-verify-ok"
            } else {
                "work-verify-failed"
            }
        )),
        esc(&t(lang, "work-root")),
        esc(&report.root),
    );
    if !report.problems.is_empty() {
        body.push_str("<ul class=\"error\">");
        for p in &report.problems {
            let _ = write!(
                body,
                "<li>{}{}</li>",
                p.seq.map(|s| format!("#{s}: ")).unwrap_or_default(),
                esc(&p.what)
            );
        }
        body.push_str("</ul>");
    }
    let _ = write!(body, "<h2>{}</h2>", esc(&t(lang, "work-checkpoint")));
    match checkpoint {
        Some((at, note)) => {
            let _ = write!(
                body,
                "<p>{}</p><pre class=\"json\">{}</pre>",
                esc(&ta(lang, "work-checkpoint-at", &[("size", Arg::Num(at))])),
                esc(&note)
            );
        }
        None => {
            let _ = write!(body, "<p>{}</p>", esc(&t(lang, "work-no-checkpoint")));
        }
    }
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-ledger"), &body),
    )
}

// ---------------------------------------------------------------- accounts

async fn accounts(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Accounts).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    accounts_page(&state, &ctx, StatusCode::OK, None).await
}

async fn accounts_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    notice: Option<String>,
) -> Response {
    let lang = ctx.lang;
    let acc = state.accounts().clone();
    let list = match AppState::blocking(move || Ok(acc.list()?)).await {
        Ok(l) => l,
        Err(e) => return failure(Some(ctx), lang, &e),
    };
    let mut body = String::new();
    if let Some(n) = notice {
        let _ = write!(body, "<div class=\"notice\" role=\"status\">{n}</div>");
    }
    let _ = write!(
        body,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>",
        esc(&t(lang, "work-account-name")),
        esc(&t(lang, "work-role")),
        esc(&t(lang, "work-handler")),
        esc(&t(lang, "work-totp")),
    );
    for a in &list {
        let remove = if a.name == ctx.session.account {
            String::new()
        } else {
            format!(
                "<form method=\"post\" action=\"/workspace/accounts\" class=\"inline\">{}<input type=\"hidden\" name=\"action\" value=\"remove\"><input type=\"hidden\" name=\"name\" value=\"{}\"><button type=\"submit\">{}</button></form>",
                hidden_csrf(&ctx.csrf),
                esc(&a.name),
                esc(&t(lang, "work-remove"))
            )
        };
        let row_form = |action: &str, value: &str, label: &str| {
            format!(
                "<form method=\"post\" action=\"/workspace/accounts\" class=\"inline\">{}<input type=\"hidden\" name=\"action\" value=\"{action}\"><input type=\"hidden\" name=\"name\" value=\"{}\"><input type=\"hidden\" name=\"value\" value=\"{value}\"><button type=\"submit\">{}</button></form>",
                hidden_csrf(&ctx.csrf),
                esc(&a.name),
                esc(&t(lang, label))
            )
        };
        let handler = if a.handler {
            format!(
                "{} {}",
                esc(&t(lang, "work-yes")),
                row_form("handler", "0", "work-unmake-handler")
            )
        } else {
            format!(
                "{} {}",
                esc(&t(lang, "work-no")),
                row_form("handler", "1", "work-make-handler")
            )
        };
        let second = if a.totp {
            format!(
                "{} {}",
                esc(&t(lang, "work-totp-on")),
                row_form("reset-totp", "", "work-reset-totp")
            )
        } else if auth::needs_totp(a.role, a.handler) {
            esc(&t(lang, "work-totp-owed"))
        } else {
            esc(&t(lang, "work-totp-off"))
        };
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{handler}</td><td>{second}</td><td>{remove}</td></tr>",
            esc(&a.name),
            esc(&role_label(lang, a.role))
        );
    }
    body.push_str("</tbody></table>");
    let mut roles = String::from("<select id=\"f-role\" name=\"role\">");
    for r in Role::ALL {
        let _ = write!(
            roles,
            "<option value=\"{}\">{}</option>",
            r.as_str(),
            esc(&role_label(lang, r))
        );
    }
    roles.push_str("</select>");
    let _ = write!(
        body,
        "<h2>{add}</h2><form method=\"post\" action=\"/workspace/accounts\" class=\"record\">{csrf}<input type=\"hidden\" name=\"action\" value=\"add\">\
         <p class=\"field\"><label for=\"f-name\">{ln}</label><input id=\"f-name\" name=\"name\" required></p>\
         <p class=\"field\"><label for=\"f-role\">{lr}</label>{roles}</p>\
         <p class=\"field\"><label for=\"f-password\">{lp}</label><input id=\"f-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"10\" required></p>\
         <p><button type=\"submit\">{add}</button></p></form>",
        add = esc(&t(lang, "work-add-account")),
        csrf = hidden_csrf(&ctx.csrf),
        ln = esc(&t(lang, "work-account-name")),
        lr = esc(&t(lang, "work-role")),
        lp = esc(&t(lang, "work-password")),
    );
    let mut names = String::from("<select id=\"f-token-account\" name=\"account\">");
    for a in &list {
        let _ = write!(
            names,
            "<option value=\"{n}\">{n}</option>",
            n = esc(&a.name)
        );
    }
    names.push_str("</select>");
    let _ = write!(
        body,
        "<h2>{title}</h2><p>{help}</p><form method=\"post\" action=\"/workspace/tokens\" class=\"record\">{csrf}\
         <p class=\"field\"><label for=\"f-token-account\">{la}</label>{names}</p>\
         <p class=\"field\"><label for=\"f-label\">{ll}</label><input id=\"f-label\" name=\"label\" required></p>\
         <p><button type=\"submit\">{title}</button></p></form>",
        title = esc(&t(lang, "work-new-token")),
        help = esc(&t(lang, "work-token-help")),
        csrf = hidden_csrf(&ctx.csrf),
        la = esc(&t(lang, "work-account-name")),
        ll = esc(&t(lang, "work-token-label")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "work-accounts"), &body),
    )
}

async fn accounts_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Accounts).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, ctx.lang) {
        return r;
    }
    let acc = state.accounts().clone();
    let (action, name, role, password, value) = (
        form.get("action").to_string(),
        form.get("name").trim().to_string(),
        form.get("role").to_string(),
        form.get("password").to_string(),
        form.get("value").to_string(),
    );
    let me = ctx.session.account.clone();
    let (account, by) = (name.clone(), me.clone());
    // What the change was, for its audit entry.
    let done = AppState::blocking(move || match action.as_str() {
        "add" => {
            let role = Role::parse(&role).ok_or_else(|| {
                WebError::Refused(format!(
                    "role {role:?} is unknown; choose viewer, analyst, editor or admin"
                ))
            })?;
            acc.add(&name, role, &password)?;
            Ok(("created", Some(("role", role.as_str()))))
        }
        "remove" if name != me => {
            acc.remove(&name)?;
            Ok(("removed", None))
        }
        "handler" => {
            let on = value == "1";
            acc.set_handler(&name, on)?;
            Ok((if on { "handler_on" } else { "handler_off" }, None))
        }
        "reset-totp" => {
            acc.reset_totp(&name)?;
            Ok(("second_factor_reset", None))
        }
        other => Err(WebError::Refused(format!(
            "action {other:?} is not one this page offers"
        ))),
    })
    .await;
    // The change is made before its entry is written (the accounts file
    // and the ledger share no transaction); if the entry fails, the page
    // says so rather than pretend nothing happened.
    let done = match done {
        Ok((change, detail)) => state
            .audit_account_change(&by, &account, change, detail)
            .await
            .map_err(|e| {
                WebError::Refused(format!(
                    "the change was made, but its audit entry could not be written to the \
                     ledger ({e}); tell the operator"
                ))
            }),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to("/workspace/accounts").into_response(),
        Err(e) => {
            accounts_page(
                &state,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(format!("<p class=\"error\">{}</p>", esc(&e.to_string()))),
            )
            .await
        }
    }
}

async fn tokens(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Tokens).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let acc = state.accounts().clone();
    let (account, label) = (
        form.get("account").to_string(),
        form.get("label").trim().to_string(),
    );
    let (holder, by, what) = (account.clone(), ctx.session.account.clone(), label.clone());
    let issued = match AppState::blocking(move || Ok(acc.create_token(&account, &label)?)).await {
        Ok(token) => state
            .audit_account_change(&by, &holder, "token_issued", Some(("label", &what)))
            .await
            .map(|()| token)
            .map_err(|e| {
                WebError::Refused(format!(
                    "the token was issued, but its audit entry could not be written to the \
                     ledger ({e}); tell the operator"
                ))
            }),
        Err(e) => Err(e),
    };
    match issued {
        Ok(token) => {
            let notice = format!(
                "<p>{}</p><p><code id=\"token\">{}</code></p>",
                esc(&t(lang, "work-token-once")),
                esc(&token)
            );
            accounts_page(&state, &ctx, StatusCode::OK, Some(notice)).await
        }
        Err(e) => {
            accounts_page(
                &state,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(format!("<p class=\"error\">{}</p>", esc(&e.to_string()))),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode_with_repeats_and_escapes() {
        let f = Form::parse(
            b"names%5B0%5D.value=%D0%90%D1%81%D0%B5%D1%82+Q&sources=s1&sources=s2&sources=&bad=%zz",
        );
        assert_eq!(f.get("names[0].value"), "Асет Q");
        assert_eq!(f.all("sources"), vec!["s1", "s2"]);
        assert_eq!(f.get("bad"), "%zz");
        assert_eq!(f.get("missing"), "");
    }

    #[test]
    fn paths_build_nested_records() {
        let mut v = json!({"kind": "person"});
        set_path(&mut v, "names[0].value", json!("A"));
        set_path(&mut v, "names[0].lang", json!("kk"));
        set_path(&mut v, "sources", json!(["s1"]));
        assert_eq!(
            v,
            json!({"kind": "person", "names": [{"value": "A", "lang": "kk"}], "sources": ["s1"]})
        );
    }

    #[test]
    fn errors_find_the_input_they_belong_to() {
        let at = |e: &str| field_for(PERSON, e).map(|f| f.path);
        assert_eq!(at("names[0].value"), Some("names[0].value"));
        assert_eq!(at("names"), Some("names[0].value"));
        assert_eq!(at("sources[1]"), Some("sources"));
        assert_eq!(at("sources[0].source"), Some("sources"));
        assert_eq!(at("birth_date"), Some("birth_date"));
        assert_eq!(at("portrait"), None, "shown above the form instead");
        assert_eq!(at("names_x"), None);
    }

    #[test]
    fn only_this_site_may_post() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        assert!(same_origin(&h(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "null")
        ])));
        assert!(!same_origin(&h(&[("sec-fetch-site", "same-site")])));
        assert!(!same_origin(&h(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a"),
            ("host", "a")
        ])));
        assert!(same_origin(&h(&[
            ("origin", "https://a.example"),
            ("host", "a.example")
        ])));
        assert!(!same_origin(&h(&[
            ("origin", "https://b.example"),
            ("host", "a.example")
        ])));
        assert!(!same_origin(&h(&[
            ("origin", "null"),
            ("host", "a.example")
        ])));
    }
}
