//! `/workspace/register`: the register as of the latest linkage run (each
//! person with the lists that name them, paged) and the list-overlap table
//! overall or by region, act type or period, with its MSE JSON for
//! `qantar estimate` at `/workspace/register/overlaps.json`.

use std::collections::HashMap;
use std::fmt::Write;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qantar_estimate::Stratum;
use qantar_model::Kind;
use qantar_register::{
    ARCHIVE_LIST, Register, RegisterError, Stratifier, overlaps, overlaps_json, register,
};
use qantar_store::{Filter, Store};
use serde::Deserialize;

use crate::auth::Role;
use crate::html::{esc, url_part};
use crate::i18n::{Arg, t, ta};
use crate::policy::Route;
use crate::work::{Ctx, failure, frame, guard, respond};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workspace/register", get(page))
        .route("/workspace/register/overlaps.json", get(overlaps_file))
}

/// Persons per page.
pub const PAGE: usize = 100;

#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    pub page: Option<usize>,
    pub by: Option<String>,
}

fn stratifier(by: Option<&str>) -> Option<Stratifier> {
    match by? {
        "region" => Some(Stratifier::Region),
        "act-type" => Some(Stratifier::ActType),
        "period" => "period".parse().ok(),
        _ => None,
    }
}

/// Records a viewer may not read: the register's members are checked
/// against this before anything of them is shown.
fn hidden_for(s: &Store, role: Role) -> Result<HashMap<String, bool>, WebError> {
    let mut hidden = HashMap::new();
    if role.can_read("confidential") {
        return Ok(hidden);
    }
    for kind in [Kind::ListEntry, Kind::Person, Kind::Source] {
        for r in s.list(&Filter {
            kind: Some(kind),
            ..Filter::default()
        })? {
            if !role.can_read(&r.confidentiality) {
                hidden.insert(r.id, true);
            }
        }
    }
    Ok(hidden)
}

struct Loaded {
    register: Option<Register>,
    strata: Vec<Stratum>,
    hidden: HashMap<String, bool>,
}

fn load(s: &Store, role: Role, by: Option<Stratifier>) -> Result<Loaded, WebError> {
    let reg = match register(s) {
        Ok(r) => r,
        Err(RegisterError::NotLinked) => {
            return Ok(Loaded {
                register: None,
                strata: Vec::new(),
                hidden: HashMap::new(),
            });
        }
        Err(RegisterError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(WebError::Refused(e.to_string())),
    };
    let strata = overlaps(s, by).map_err(|e| WebError::Refused(e.to_string()))?;
    Ok(Loaded {
        register: Some(reg),
        strata,
        hidden: hidden_for(s, role)?,
    })
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<RegisterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Register).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let by = stratifier(q.by.as_deref());
    let page = q.page.unwrap_or(1).max(1);
    let role = ctx.session.role;
    let loaded = match state.with_store(move |s| load(s, role, by)).await {
        Ok(l) => l,
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let Some(reg) = &loaded.register else {
        let body = format!("<p id=\"no-run\">{}</p>", esc(&t(lang, "review-no-run")));
        return respond(
            StatusCode::OK,
            lang,
            frame(lang, Some(&ctx), &t(lang, "work-register"), &body),
        );
    };
    let body = render(&ctx, reg, &loaded, by, q.by.as_deref(), page);
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-register"), &body),
    )
}

fn render(
    ctx: &Ctx,
    reg: &Register,
    loaded: &Loaded,
    by: Option<Stratifier>,
    by_text: Option<&str>,
    page: usize,
) -> String {
    let lang = ctx.lang;
    let hidden = |id: &str| loaded.hidden.contains_key(id);
    let list_name = |id: &str| -> String {
        if id == ARCHIVE_LIST {
            return t(lang, "review-archive-list");
        }
        if hidden(id) {
            return t(lang, "review-list-hidden");
        }
        reg.lists
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.label.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let mut h = format!(
        "<p>{}</p>",
        esc(&ta(
            lang,
            "register-intro",
            &[
                ("run", Arg::Num(reg.run.run)),
                ("time", Arg::Str(&reg.run.created_at)),
                ("persons", Arg::Num(reg.persons.len() as u64)),
            ]
        ))
    );
    if reg.entries_since_run > 0 {
        let _ = write!(
            h,
            "<p class=\"stale\" id=\"stale\">{}</p>",
            esc(&ta(
                lang,
                "review-stale",
                &[("count", Arg::Num(reg.entries_since_run))]
            ))
        );
    }
    // The overlap table.
    let by_q = by_text
        .filter(|_| by.is_some())
        .map(|b| format!("?by={}", url_part(b)))
        .unwrap_or_default();
    let _ = write!(
        h,
        "<h2>{}</h2><nav class=\"kinds\"><ul><li><a href=\"/workspace/register\">{}</a></li><li><a href=\"/workspace/register?by=region\">{}</a></li><li><a href=\"/workspace/register?by=act-type\">{}</a></li><li><a href=\"/workspace/register?by=period\">{}</a></li></ul></nav>\
         <p><a href=\"/workspace/register/overlaps.json{}\" download=\"overlaps.json\" id=\"overlaps-json\">{}</a></p>",
        esc(&t(lang, "register-overlaps")),
        esc(&t(lang, "register-by-none")),
        esc(&t(lang, "register-by-region")),
        esc(&t(lang, "register-by-act-type")),
        esc(&t(lang, "register-by-period")),
        esc(&by_q),
        esc(&t(lang, "register-download")),
    );
    let names: Vec<String> = reg.lists.iter().map(|l| list_name(&l.id)).collect();
    for s in &loaded.strata {
        let _ = write!(
            h,
            "<table class=\"overlaps\"><caption>{}</caption><thead><tr>",
            esc(&ta(
                lang,
                "register-stratum",
                &[
                    ("name", Arg::Str(&s.name)),
                    ("count", Arg::Num(s.overlaps.documented()))
                ]
            ))
        );
        for n in &names {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(n));
        }
        let _ = write!(
            h,
            "<th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&t(lang, "register-count"))
        );
        for p in s.overlaps.patterns() {
            h.push_str("<tr>");
            for on in &p.on {
                h.push_str(if *on { "<td>✓</td>" } else { "<td></td>" });
            }
            let _ = write!(h, "<td>{}</td></tr>", p.count);
        }
        h.push_str("</tbody></table>");
    }
    // The persons, paged.
    let visible: Vec<_> = reg
        .persons
        .iter()
        .filter(|p| p.records.iter().any(|m| !hidden(&m.id)))
        .collect();
    let pages = visible.len().div_ceil(PAGE).max(1);
    let page = page.min(pages);
    let _ = write!(
        h,
        "<h2>{}</h2><table class=\"register\" id=\"persons\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&t(lang, "register-persons")),
        esc(&t(lang, "register-person")),
        esc(&t(lang, "register-lists")),
        esc(&t(lang, "register-records")),
    );
    for p in visible.iter().skip((page - 1) * PAGE).take(PAGE) {
        let shown: Vec<_> = p.records.iter().filter(|m| !hidden(&m.id)).collect();
        // The person's name as one of its readable records gives it.
        let label = shown
            .iter()
            .find(|m| m.id == p.person)
            .or(shown.first())
            .map(|m| m.label.clone())
            .unwrap_or_default();
        let lists: Vec<String> = p.lists.iter().map(|l| list_name(l)).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>",
            esc(&label),
            esc(&lists.join(", "))
        );
        for (i, m) in shown.iter().enumerate() {
            let _ = write!(
                h,
                "{}<a href=\"/workspace/records/{}\">{}</a>",
                if i > 0 { ", " } else { "" },
                esc(&m.id),
                esc(if m.label.is_empty() { &m.id } else { &m.label })
            );
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</tbody></table>");
    if pages > 1 {
        let sep = if by_q.is_empty() { '?' } else { '&' };
        h.push_str("<nav class=\"pages\"><ul>");
        if page > 1 {
            let _ = write!(
                h,
                "<li><a href=\"/workspace/register{}{sep}page={}\">{}</a></li>",
                esc(&by_q),
                page - 1,
                esc(&t(lang, "page-previous"))
            );
        }
        let _ = write!(
            h,
            "<li>{}</li>",
            esc(&ta(
                lang,
                "page-position",
                &[
                    ("page", Arg::Num(page as u64)),
                    ("pages", Arg::Num(pages as u64))
                ]
            ))
        );
        if page < pages {
            let _ = write!(
                h,
                "<li><a href=\"/workspace/register{}{sep}page={}\">{}</a></li>",
                esc(&by_q),
                page + 1,
                esc(&t(lang, "page-next"))
            );
        }
        h.push_str("</ul></nav>");
    }
    h
}

async fn overlaps_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<RegisterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::RegisterExport).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let by = stratifier(q.by.as_deref());
    let made = state
        .with_store(move |s| match overlaps(s, by) {
            Ok(strata) => Ok(Some(overlaps_json(&strata, by.is_some()))),
            Err(RegisterError::NotLinked) => Ok(None),
            Err(RegisterError::Store(e)) => Err(e.into()),
            Err(e) => Err(WebError::Refused(e.to_string())),
        })
        .await;
    match made {
        Ok(Some(json)) => {
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            let mut r = (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                text,
            )
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"overlaps.json\""),
            );
            r
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            t(ctx.lang, "review-no-run"),
        )
            .into_response(),
        Err(e) => failure(Some(&ctx), ctx.lang, &e),
    }
}
