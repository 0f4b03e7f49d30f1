//! The workspace pages that guard accounts rather than records: the second
//! step of logging in (the TOTP code), enrolling a second factor,
//! re-authenticating before an export, and the lock.
//!
//! Sessions themselves live in [`crate::auth`]; [`crate::work::guard`]
//! sends a session here when it owes a code, must enrol, or has not given
//! its password recently enough for the route it asked for. Every form is
//! a plain POST with the session's synchronizer token; wrong codes and
//! passwords count toward the same per-account and per-address limit as
//! failed logins.

use std::fmt::Write;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::{self, Stage};
use crate::html::{esc, url_part};
use crate::i18n::{Arg, Lang, t, ta};
use crate::policy::Route;
use crate::totp;
use crate::work::{
    Ctx, Form, SESSION_COOKIE, cookie_flags, failure, found_of, frame, guard, hidden_csrf, message,
    refuse_post, respond, set_cookie, set_session_cookie,
};
use crate::{AppState, negotiate};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workspace/login/code", get(code_form).post(code))
        .route("/workspace/totp", get(enrol_form).post(enrol))
        .route("/workspace/reauth", get(reauth_form).post(reauth))
        .route("/workspace/lock", get(lock_form).post(lock))
}

type Connect = Option<axum::extract::Extension<ConnectInfo<std::net::SocketAddr>>>;

fn address(connect: Connect) -> String {
    connect
        .map(|c| c.0.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

fn error_line(text: &str) -> String {
    format!("<p class=\"error\" role=\"alert\">{}</p>", esc(text))
}

/// The input for a six-digit code.
fn code_field(lang: Lang) -> String {
    format!(
        "<p class=\"field\"><label for=\"f-code\">{}</label><input id=\"f-code\" name=\"code\" \
         inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]*\" maxlength=\"8\" required></p>",
        esc(&t(lang, "work-code"))
    )
}

fn limited(lang: Lang, ctx: Option<&Ctx>) -> Response {
    message(
        StatusCode::TOO_MANY_REQUESTS,
        lang,
        ctx,
        &t(lang, "work-login"),
        &t(lang, "work-login-limited"),
    )
}

/// Answer with a new session in place of the old one, and go on.
fn promoted(state: &AppState, secret: &str, to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    set_session_cookie(state, &mut r, secret);
    r
}

// ------------------------------------------------------- the code step

async fn code_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = negotiate(&headers);
    match found_of(&state, &headers).await {
        Some((f, secret)) if f.stage == Stage::Code => {
            code_page(lang, &auth::csrf_token(&secret), StatusCode::OK, None)
        }
        _ => Redirect::to("/workspace/login").into_response(),
    }
}

fn code_page(lang: Lang, csrf: &str, status: StatusCode, error: Option<&str>) -> Response {
    let mut body = String::new();
    if let Some(e) = error {
        body.push_str(&error_line(e));
    }
    let _ = write!(
        body,
        "<p>{intro}</p><form method=\"post\" action=\"/workspace/login/code\" class=\"record\">{csrf}{field}\
         <p><button type=\"submit\">{go}</button></p></form>",
        intro = esc(&t(lang, "work-code-intro")),
        csrf = hidden_csrf(csrf),
        field = code_field(lang),
        go = esc(&t(lang, "work-login")),
    );
    respond(
        status,
        lang,
        frame(lang, None, &t(lang, "work-code-title"), &body),
    )
}

async fn code(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Connect,
    body: Bytes,
) -> Response {
    let lang = negotiate(&headers);
    let Some((f, secret)) = found_of(&state, &headers)
        .await
        .filter(|(f, _)| f.stage == Stage::Code)
    else {
        return Redirect::to("/workspace/login").into_response();
    };
    let form = Form::parse(&body);
    let csrf = auth::csrf_token(&secret);
    if let Some(r) = refuse_post(&headers, &form, &csrf, lang) {
        return r;
    }
    let (name, address) = (f.session.account, address(connect));
    if !state.inner.limits.allows(&name, &address) {
        return limited(lang, None);
    }
    let accounts = state.accounts().clone();
    let typed = form.get("code").to_string();
    let s2 = secret.clone();
    match AppState::blocking(move || Ok(accounts.second_factor(&s2, &typed)?)).await {
        Ok(Some(full)) => promoted(&state, &full, "/workspace/"),
        Ok(None) => {
            state.inner.limits.failed(&name, &address);
            code_page(
                lang,
                &csrf,
                StatusCode::UNAUTHORIZED,
                Some(&t(lang, "work-code-failed")),
            )
        }
        Err(e) => failure(None, lang, &e),
    }
}

// ------------------------------------------------------------ enrolment

async fn enrol_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::SecondFactor).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    enrol_page(&state, &ctx, StatusCode::OK, None).await
}

async fn enrol_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let lang = ctx.lang;
    let title = t(lang, "work-totp-title");
    if ctx.totp {
        return message(
            StatusCode::OK,
            lang,
            Some(ctx),
            &title,
            &t(lang, "work-totp-done"),
        );
    }
    let accounts = state.accounts().clone();
    let secret = ctx.secret.clone();
    let key = match AppState::blocking(move || Ok(accounts.pending_totp(&secret)?)).await {
        Ok(Some(k)) => k,
        Ok(None) => return Redirect::to("/workspace/login").into_response(),
        Err(e) => return failure(Some(ctx), lang, &e),
    };
    let b32 = totp::base32(&key);
    // Groups of four are easier to type into a phone.
    let grouped: Vec<String> = b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let mut body = String::new();
    if let Some(e) = error {
        body.push_str(&error_line(e));
    }
    let _ = write!(
        body,
        "<p>{intro}</p>\
         <p>{ls}<br><code id=\"totp-secret\">{secret}</code></p>\
         <p>{lu}<br><code id=\"totp-uri\">{uri}</code></p>\
         <form method=\"post\" action=\"/workspace/totp\" class=\"record\">{csrf}{field}\
         <p><button type=\"submit\">{go}</button></p></form>",
        intro = esc(&t(lang, "work-totp-intro")),
        ls = esc(&t(lang, "work-totp-secret")),
        secret = esc(&grouped.join(" ")),
        lu = esc(&t(lang, "work-totp-uri")),
        uri = esc(&totp::uri("qantar", &ctx.session.account, &key)),
        csrf = hidden_csrf(&ctx.csrf),
        field = code_field(lang),
        go = esc(&t(lang, "work-totp-confirm")),
    );
    if ctx.enrolling {
        // The menu is hidden until enrolment, but leaving must stay possible.
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/workspace/logout\" class=\"inline\">{}<button type=\"submit\">{}</button></form>",
            hidden_csrf(&ctx.csrf),
            esc(&t(lang, "work-logout"))
        );
    }
    respond(status, lang, frame(lang, Some(ctx), &title, &body))
}

async fn enrol(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Connect,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::SecondFactor).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let (name, address) = (ctx.session.account.clone(), address(connect));
    if !state.inner.limits.allows(&name, &address) {
        return limited(lang, Some(&ctx));
    }
    let accounts = state.accounts().clone();
    let (secret, typed) = (ctx.secret.clone(), form.get("code").to_string());
    match AppState::blocking(move || Ok(accounts.enrol(&secret, &typed)?)).await {
        Ok(Some(full)) => promoted(&state, &full, "/workspace/"),
        Ok(None) => {
            state.inner.limits.failed(&name, &address);
            enrol_page(
                &state,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&t(lang, "work-code-failed")),
            )
            .await
        }
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

// ----------------------------------------------------- re-authentication

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    pub next: Option<String>,
}

/// Where to go after re-authenticating: a workspace path of this site only,
/// so the parameter cannot send anyone elsewhere.
fn safe_next(next: &str) -> &str {
    let ok = next.starts_with("/workspace/")
        && !next.contains("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok { next } else { "/workspace/" }
}

async fn reauth_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<Next>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Reauth).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let next = q.ok().and_then(|Query(n)| n.next).unwrap_or_default();
    reauth_page(&ctx, safe_next(&next), StatusCode::OK, None)
}

fn reauth_page(ctx: &Ctx, next: &str, status: StatusCode, error: Option<&str>) -> Response {
    let lang = ctx.lang;
    let mut body = String::new();
    if let Some(e) = error {
        body.push_str(&error_line(e));
    }
    let _ = write!(
        body,
        "<p>{intro}</p><form method=\"post\" action=\"/workspace/reauth\" class=\"record\">{csrf}\
         <input type=\"hidden\" name=\"next\" value=\"{next}\">\
         <p class=\"field\"><label for=\"f-password\">{lp}</label><input id=\"f-password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         {code}<p><button type=\"submit\">{go}</button></p></form>",
        intro = esc(&ta(
            lang,
            "work-reauth-intro",
            &[(
                "minutes",
                Arg::Num((auth::RECENT_AUTH_SECONDS / 60).unsigned_abs())
            )]
        )),
        csrf = hidden_csrf(&ctx.csrf),
        next = esc(next),
        lp = esc(&t(lang, "work-password")),
        code = if ctx.totp {
            code_field(lang)
        } else {
            String::new()
        },
        go = esc(&t(lang, "work-reauth-go")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "work-reauth-title"), &body),
    )
}

async fn reauth(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Connect,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Reauth).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let next = safe_next(form.get("next")).to_string();
    let (name, address) = (ctx.session.account.clone(), address(connect));
    if !state.inner.limits.allows(&name, &address) {
        return limited(lang, Some(&ctx));
    }
    let accounts = state.accounts().clone();
    let (secret, password, typed) = (
        ctx.secret.clone(),
        form.get("password").to_string(),
        form.get("code").to_string(),
    );
    match AppState::blocking(move || Ok(accounts.reauthenticate(&secret, &password, &typed)?)).await
    {
        Ok(true) => Redirect::to(&next).into_response(),
        Ok(false) => {
            state.inner.limits.failed(&name, &address);
            reauth_page(
                &ctx,
                &next,
                StatusCode::UNAUTHORIZED,
                Some(&t(lang, "work-reauth-failed")),
            )
        }
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

// ------------------------------------------------------------------ lock

async fn lock_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Lock).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let body = format!(
        "<p>{}</p><form method=\"post\" action=\"/workspace/lock\">{}<p><button type=\"submit\">{}</button></p></form>",
        esc(&t(lang, "work-lock-intro")),
        hidden_csrf(&ctx.csrf),
        esc(&t(lang, "work-lock")),
    );
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-lock"), &body),
    )
}

async fn lock(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Lock).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    match state.lock().await {
        Ok(done) => {
            eprintln!(
                "qantar-web: {} locked the archive: {} sessions ended, {} API tokens revoked",
                ctx.session.account, done.sessions, done.tokens
            );
            // The lock has happened whatever the ledger says; a failed audit
            // entry is reported, not a reason to undo it.
            let sessions = done.sessions.to_string();
            if let Err(e) = state
                .audit_account_change(
                    &ctx.session.account,
                    "*",
                    "locked",
                    Some(("sessions_ended", &sessions)),
                )
                .await
            {
                eprintln!("qantar-web: the lock is not in the ledger: {e}");
            }
            let text = ta(
                lang,
                "work-locked-text",
                &[
                    ("sessions", Arg::Num(done.sessions as u64)),
                    ("tokens", Arg::Num(done.tokens as u64)),
                ],
            );
            let mut r = message(
                StatusCode::OK,
                lang,
                None,
                &t(lang, "work-locked-title"),
                &text,
            );
            set_cookie(
                &mut r,
                &format!("{SESSION_COOKIE}=; Max-Age=0{}", cookie_flags(&state)),
            );
            r
        }
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

/// The re-authentication address for a target (used by tests and by
/// pages that link to an export).
pub fn reauth_url(target: &str) -> String {
    format!("/workspace/reauth?next={}", url_part(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn re_authentication_only_returns_into_the_workspace() {
        assert_eq!(
            safe_next("/workspace/register/overlaps.json?by=region"),
            "/workspace/register/overlaps.json?by=region"
        );
        for bad in [
            "",
            "https://elsewhere.example/",
            "//elsewhere.example/workspace/",
            "/workspace//elsewhere",
            "/workspace/\\elsewhere",
            "/en/people",
            "/workspace/\r\nx",
        ] {
            assert_eq!(safe_next(bad), "/workspace/", "{bad:?}");
        }
    }
}
