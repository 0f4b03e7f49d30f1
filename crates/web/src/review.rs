//! `/workspace/review`: the pairs record linkage was unsure about, side by
//! side, for a reviewer to call "same person", "different people" or "not
//! sure"; and `/workspace/link`, which runs the linkage.
//!
//! A decision is a `link_decision` record written through
//! [`crate::write`] like any other record, with the reviewer as author.
//! Decisions change the register only when the linkage runs again, and
//! the page says so. No JavaScript: each pair is one form with three
//! submit buttons.

use std::collections::HashMap;
use std::fmt::Write;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qantar_model::VERDICTS;
use qantar_register::{
    ARCHIVE_LIST, LinkSettings, LinkSummary, RegisterError, ReviewItem, link_archive, review_queue,
};
use qantar_store::Store;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Role;
use crate::html::esc;
use crate::i18n::{Arg, Lang, t, ta};
use crate::policy::{Route, allowed};
use crate::work::{
    Ctx, Form, failure, frame, guard, hidden_csrf, message, not_found, refuse_post, respond,
};
use crate::write::{WriteError, now_rfc3339};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workspace/review", get(review))
        .route("/workspace/review/decide", post(decide))
        .route("/workspace/link", post(run_linkage))
}

/// The queue's default window: below 0.2 pairs are almost surely different
/// people, above 0.95 almost surely the same.
pub const DEFAULT_LOW: f64 = 0.2;
pub const DEFAULT_HIGH: f64 = 0.95;
/// Pairs per page.
pub const PAGE: usize = 20;

#[derive(Debug, Default, Deserialize)]
pub struct ReviewQuery {
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub page: Option<usize>,
    /// The verdict just recorded, to confirm it.
    pub recorded: Option<String>,
}

/// The window and page asked for, made sane.
fn window(low: Option<f64>, high: Option<f64>, page: Option<usize>) -> (f64, f64, usize) {
    let clamp = |x: f64, d: f64| if x.is_finite() { x.clamp(0.0, 1.0) } else { d };
    let low = clamp(low.unwrap_or(DEFAULT_LOW), DEFAULT_LOW);
    let high = clamp(high.unwrap_or(DEFAULT_HIGH), DEFAULT_HIGH).max(low);
    (low, high, page.unwrap_or(1).clamp(1, 100_000))
}

fn query_string(low: f64, high: f64, page: usize) -> String {
    format!("low={low}&high={high}&page={page}")
}

/// What the review page needs from the store, read in one blocking task.
struct Queue {
    /// The latest run: number, time, and ledger entries written since.
    run: Option<(u64, String, u64)>,
    items: Vec<ReviewItem>,
    more: bool,
    /// List id → its label (only lists the reader may see).
    lists: HashMap<String, String>,
}

/// The list a record came from: its first cited source for a list entry,
/// the archive's own list for a person.
fn list_of(record: &Value) -> Option<String> {
    if record["kind"] == "person" {
        return Some(ARCHIVE_LIST.to_owned());
    }
    match record["data"]["sources"].get(0)? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("source").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn load_queue(s: &Store, role: Role, low: f64, high: f64, page: usize) -> Result<Queue, WebError> {
    let Some(run) = s.linkage_run()? else {
        return Ok(Queue {
            run: None,
            items: Vec::new(),
            more: false,
            lists: HashMap::new(),
        });
    };
    let since = s.size()?.saturating_sub(run.ledger_size);
    let want = page * PAGE + 1;
    let all = review_queue(s, low, high, want).map_err(register_error)?;
    let readable = |id: &str| -> Result<bool, WebError> {
        Ok(s.get(id)?
            .is_some_and(|r| role.can_read(&r.confidentiality) && !r.retracted))
    };
    let mut items = Vec::new();
    let mut skipped = 0;
    let mut more = false;
    for item in all {
        let l = item.left["id"].as_str().unwrap_or_default().to_owned();
        let r = item.right["id"].as_str().unwrap_or_default().to_owned();
        // A pair the reader may not see both sides of is not shown at all.
        if !readable(&l)? || !readable(&r)? {
            continue;
        }
        if skipped < (page - 1) * PAGE {
            skipped += 1;
            continue;
        }
        if items.len() == PAGE {
            more = true;
            break;
        }
        items.push(item);
    }
    let mut lists = HashMap::new();
    for item in &items {
        for side in [&item.left, &item.right] {
            let Some(list) = list_of(side) else { continue };
            if lists.contains_key(&list) {
                continue;
            }
            let label = if list == ARCHIVE_LIST {
                None
            } else {
                s.get(&list)?
                    .filter(|r| role.can_read(&r.confidentiality))
                    .map(|r| r.label)
            };
            lists.insert(list, label.unwrap_or_default());
        }
    }
    Ok(Queue {
        run: Some((run.run, run.created_at, since)),
        items,
        more,
        lists,
    })
}

fn register_error(e: RegisterError) -> WebError {
    match e {
        RegisterError::Store(s) => WebError::Store(s),
        other => WebError::Refused(other.to_string()),
    }
}

fn verdict_label(lang: Lang, verdict: &str) -> String {
    match verdict {
        "same" => t(lang, "review-same"),
        "different" => t(lang, "review-different"),
        _ => t(lang, "review-unsure"),
    }
}

/// The "Run linkage now" form, for those who may run it.
fn run_button(ctx: &Ctx) -> String {
    if !allowed(Route::LinkRun, Some(ctx.session.role)) {
        return String::new();
    }
    format!(
        "<form method=\"post\" action=\"/workspace/link\" class=\"inline run-link\">{}<button type=\"submit\">{}</button></form>",
        hidden_csrf(&ctx.csrf),
        esc(&t(ctx.lang, "review-run-now"))
    )
}

async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ReviewQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Review).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let (low, high, page) = window(q.low, q.high, q.page);
    let role = ctx.session.role;
    let queue = match state
        .with_store(move |s| load_queue(s, role, low, high, page))
        .await
    {
        Ok(q) => q,
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let mut body = String::new();
    if let Some(v) = q.recorded.as_deref().filter(|v| VERDICTS.contains(v)) {
        let _ = write!(
            body,
            "<p class=\"notice\" role=\"status\" id=\"recorded\">{}</p>",
            esc(&ta(
                lang,
                "review-recorded",
                &[("verdict", Arg::Str(&verdict_label(lang, v)))]
            ))
        );
    }
    let Some((run, when, since)) = queue.run.clone() else {
        let _ = write!(
            body,
            "<p id=\"no-run\">{}</p>{}",
            esc(&t(lang, "review-no-run")),
            run_button(&ctx)
        );
        return respond(
            StatusCode::OK,
            lang,
            frame(lang, Some(&ctx), &t(lang, "work-review"), &body),
        );
    };
    let _ = write!(
        body,
        "<p>{}</p><p>{}</p>",
        esc(&ta(
            lang,
            "review-run-info",
            &[("run", Arg::Num(run)), ("time", Arg::Str(&when))]
        )),
        esc(&t(lang, "review-next-run")),
    );
    if since > 0 {
        let _ = write!(
            body,
            "<p class=\"stale\" id=\"stale\">{}</p>",
            esc(&ta(lang, "review-stale", &[("count", Arg::Num(since))]))
        );
    }
    body.push_str(&run_button(&ctx));
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/workspace/review\" class=\"filters\">\
         <label for=\"q-low\">{}</label><input id=\"q-low\" name=\"low\" type=\"number\" min=\"0\" max=\"1\" step=\"0.01\" value=\"{low}\">\
         <label for=\"q-high\">{}</label><input id=\"q-high\" name=\"high\" type=\"number\" min=\"0\" max=\"1\" step=\"0.01\" value=\"{high}\">\
         <button type=\"submit\">{}</button></form>",
        esc(&t(lang, "review-low")),
        esc(&t(lang, "review-high")),
        esc(&t(lang, "review-show")),
    );
    if queue.items.is_empty() {
        let _ = write!(
            body,
            "<p id=\"queue-empty\">{}</p>",
            esc(&t(lang, "review-empty"))
        );
    }
    let can_decide = allowed(Route::ReviewDecide, Some(ctx.session.role));
    for (n, item) in queue.items.iter().enumerate() {
        body.push_str(&pair_html(
            &ctx,
            &queue,
            item,
            n,
            (low, high, page),
            can_decide,
        ));
    }
    if page > 1 || queue.more {
        body.push_str("<nav class=\"pages\"><ul>");
        if page > 1 {
            let _ = write!(
                body,
                "<li><a href=\"/workspace/review?{}\">{}</a></li>",
                esc(&query_string(low, high, page - 1)),
                esc(&t(lang, "page-previous"))
            );
        }
        if queue.more {
            let _ = write!(
                body,
                "<li><a href=\"/workspace/review?{}\">{}</a></li>",
                esc(&query_string(low, high, page + 1)),
                esc(&t(lang, "page-next"))
            );
        }
        body.push_str("</ul></nav>");
    }
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-review"), &body),
    )
}

/// A scalar JSON value as text; lists of names as their values.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => {
            let parts: Vec<String> = o.values().filter_map(text_of).collect();
            (!parts.is_empty()).then(|| parts.join(" / "))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a
                .iter()
                .filter_map(|x| x.get("value").and_then(text_of).or_else(|| text_of(x)))
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Null => None,
    }
}

/// One side of a pair: its name, list, and every value it holds.
fn side_html(lang: Lang, queue: &Queue, record: &Value) -> String {
    let id = record["id"].as_str().unwrap_or_default();
    let kind = record["kind"].as_str().unwrap_or_default();
    let name = record["label"]
        .as_str()
        .filter(|l| !l.is_empty())
        .unwrap_or(id);
    let list = list_of(record).unwrap_or_default();
    let list_name = if list == ARCHIVE_LIST {
        t(lang, "review-archive-list")
    } else {
        queue
            .lists
            .get(&list)
            .filter(|l| !l.is_empty())
            .cloned()
            .unwrap_or_else(|| t(lang, "review-list-hidden"))
    };
    let mut h = format!(
        "<div class=\"side\"><h3><a href=\"/workspace/records/{}\">{}</a></h3><p class=\"meta\">{} · {}: {}</p>",
        esc(id),
        esc(name),
        esc(&t(lang, &format!("kind-{kind}"))),
        esc(&t(lang, "review-list")),
        esc(&list_name),
    );
    let data = &record["data"];
    if let Some(values) = data["values"].as_object() {
        let _ = write!(
            h,
            "<table class=\"cells\"><caption>{}</caption><tbody>",
            esc(&t(lang, "review-cells"))
        );
        for (k, v) in values {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                esc(k),
                esc(&text_of(v).unwrap_or_default())
            );
        }
        h.push_str("</tbody></table>");
    }
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(fields) = data["fields"].as_object() {
        for (k, v) in fields {
            facts.push((k.clone(), text_of(v).unwrap_or_default()));
        }
    }
    if let Some(o) = data.as_object() {
        for (k, v) in o {
            if matches!(
                k.as_str(),
                "kind" | "id" | "values" | "fields" | "sources" | "ref" | "row" | "notes"
            ) {
                continue;
            }
            if let Some(text) = text_of(v) {
                facts.push((k.clone(), text));
            }
        }
    }
    if !facts.is_empty() {
        let _ = write!(
            h,
            "<table class=\"fields\"><caption>{}</caption><tbody>",
            esc(&t(lang, "review-fields"))
        );
        for (k, v) in facts {
            let _ = write!(
                h,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
                esc(&k),
                esc(&v)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</div>");
    h
}

/// A bar for one contribution: right of the middle for evidence of a
/// match, left for evidence against.
fn weight_bar(weight: f64, max: f64) -> String {
    let half = 60.0;
    let len = if max > 0.0 {
        (weight.abs() / max * half).min(half)
    } else {
        0.0
    };
    let (x, class) = if weight >= 0.0 {
        (half, "for")
    } else {
        (half - len, "against")
    };
    format!(
        "<svg class=\"weight\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120 12\" width=\"120\" height=\"12\" aria-hidden=\"true\"><rect class=\"{class}\" x=\"{x:.1}\" y=\"1\" width=\"{len:.1}\" height=\"10\"/><path d=\"M60 0V12\"/></svg>"
    )
}

fn explanation_html(lang: Lang, e: &Value) -> String {
    let contributions = e["contributions"].as_array().cloned().unwrap_or_default();
    let prior = e["prior_weight"].as_f64();
    let max = contributions
        .iter()
        .filter_map(|c| c["weight"].as_f64())
        .chain(prior)
        .fold(0.0_f64, |m, w| m.max(w.abs()));
    let mut h = format!(
        "<table class=\"explanation\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\"></th></tr></thead><tbody>",
        esc(&t(lang, "review-explanation")),
        esc(&t(lang, "review-comparison")),
        esc(&t(lang, "review-level")),
        esc(&t(lang, "review-agreed")),
        esc(&t(lang, "review-bits")),
    );
    if let Some(p) = prior {
        let _ = write!(
            h,
            "<tr><td>{}</td><td></td><td></td><td>{p:+.2}</td><td>{}</td></tr>",
            esc(&t(lang, "review-prior")),
            weight_bar(p, max)
        );
    }
    for c in &contributions {
        let w = c["weight"].as_f64().unwrap_or(0.0);
        let agreed = c["agreed"].as_bool().unwrap_or(false);
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{w:+.2}</td><td>{}</td></tr>",
            esc(c["field"].as_str().unwrap_or_default()),
            esc(c["level"].as_str().unwrap_or_default()),
            esc(&t(
                lang,
                if agreed {
                    "review-agreed-yes"
                } else {
                    "review-agreed-no"
                }
            )),
            weight_bar(w, max)
        );
    }
    h.push_str("</tbody></table>");
    h
}

fn pair_html(
    ctx: &Ctx,
    queue: &Queue,
    item: &ReviewItem,
    n: usize,
    (low, high, page): (f64, f64, usize),
    can_decide: bool,
) -> String {
    let lang = ctx.lang;
    let p = &item.pair;
    let mut h = format!(
        "<section class=\"pair\" id=\"pair-{n}\"><h2>{}</h2><p class=\"score\">{}</p><div class=\"sides\">",
        esc(&ta(lang, "review-pair", &[("n", Arg::Num((n + 1) as u64))])),
        esc(&ta(
            lang,
            "review-score",
            &[
                ("probability", Arg::Str(&format!("{:.2}", p.probability))),
                ("weight", Arg::Str(&format!("{:+.2}", p.weight))),
            ]
        )),
    );
    h.push_str(&side_html(lang, queue, &item.left));
    h.push_str(&side_html(lang, queue, &item.right));
    h.push_str("</div>");
    if p.explanation.is_object() {
        h.push_str(&explanation_html(lang, &p.explanation));
    }
    if p.decision.as_deref() == Some("unsure") {
        let _ = write!(
            h,
            "<p class=\"decided\">{}</p>",
            esc(&t(lang, "review-deferred"))
        );
    }
    if can_decide {
        let _ = write!(
            h,
            "<form method=\"post\" action=\"/workspace/review/decide\" class=\"decide\">{csrf}\
             <input type=\"hidden\" name=\"left\" value=\"{l}\"><input type=\"hidden\" name=\"right\" value=\"{r}\">\
             <input type=\"hidden\" name=\"low\" value=\"{low}\"><input type=\"hidden\" name=\"high\" value=\"{high}\"><input type=\"hidden\" name=\"page\" value=\"{page}\">\
             <p class=\"field\"><label for=\"reason-{n}\">{reason}</label><input id=\"reason-{n}\" name=\"reason\" maxlength=\"2000\"></p>\
             <p><button type=\"submit\" name=\"verdict\" value=\"same\">{same}</button> \
             <button type=\"submit\" name=\"verdict\" value=\"different\">{different}</button> \
             <button type=\"submit\" name=\"verdict\" value=\"unsure\">{unsure}</button></p></form>",
            csrf = hidden_csrf(&ctx.csrf),
            l = esc(&p.left),
            r = esc(&p.right),
            reason = esc(&t(lang, "review-reason")),
            same = esc(&t(lang, "review-same")),
            different = esc(&t(lang, "review-different")),
            unsure = esc(&t(lang, "review-unsure")),
        );
    }
    h.push_str("</section>");
    h
}

async fn decide(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::ReviewDecide).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let verdict = form.get("verdict");
    let (left, right) = (form.get("left").trim(), form.get("right").trim());
    if !VERDICTS.contains(&verdict) || left.is_empty() || right.is_empty() || left == right {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            Some(&ctx),
            &t(lang, "work-review"),
            &t(lang, "review-bad-decision"),
        );
    }
    // Both records must be ones this reviewer may read; otherwise the
    // answer is the same as for a record that does not exist.
    let role = ctx.session.role;
    for id in [left, right] {
        match state.stored(id).await {
            Ok(Some(r)) if role.can_read(&r.confidentiality) => {}
            Ok(_) => return not_found(&ctx),
            Err(e) => return failure(Some(&ctx), lang, &e),
        }
    }
    let mut record = json!({
        "kind": "link_decision",
        "left": left,
        "right": right,
        "verdict": verdict,
    });
    let reason = form.get("reason").trim();
    if !reason.is_empty() {
        record["reason"] = json!(reason);
    }
    match state.record(vec![record], &ctx.session.account).await {
        Ok(_) => {
            let parse = |k: &str| form.get(k).parse::<f64>().ok();
            let (low, high, page) =
                window(parse("low"), parse("high"), form.get("page").parse().ok());
            Redirect::to(&format!(
                "/workspace/review?{}&recorded={verdict}",
                query_string(low, high, page)
            ))
            .into_response()
        }
        Err(WriteError::Input(errs)) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            Some(&ctx),
            &t(lang, "work-review"),
            &errs.to_string(),
        ),
        Err(WriteError::NotFound(_)) => not_found(&ctx),
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

async fn run_linkage(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::LinkRun).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    // The default settings, as `qantar link` uses without options. The
    // writer lock keeps a run from overlapping an import in this process.
    let ran = state
        .with_archive(move |a| {
            link_archive(
                &a.store,
                &LinkSettings::default(),
                &now_rfc3339(),
                &mut |_| {},
            )
            .map_err(|e| match e {
                RegisterError::Store(s) => WriteError::from(s),
                other => WriteError::Failed(other.to_string()),
            })
        })
        .await;
    match ran {
        Ok(summary) => respond(
            StatusCode::OK,
            lang,
            frame(
                lang,
                Some(&ctx),
                &t(lang, "review-run-done"),
                &summary_html(lang, &summary),
            ),
        ),
        Err(WriteError::Failed(text)) => {
            eprintln!("qantar-web: linkage run refused: {text}");
            message(
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
                Some(&ctx),
                &t(lang, "review-run-done"),
                &t(lang, "review-run-failed"),
            )
        }
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

fn summary_html(lang: Lang, s: &LinkSummary) -> String {
    let mut h = String::from("<dl class=\"facts\" id=\"link-summary\">");
    for (key, value) in [
        ("review-sum-run", s.run),
        ("review-sum-records", s.records),
        ("review-sum-persons", s.persons),
        ("review-sum-linked", s.linked_persons),
        ("review-sum-candidates", s.candidate_pairs),
        ("review-sum-matched", s.matched_pairs),
        ("review-sum-to-review", s.to_review),
        ("review-sum-same", s.decisions.same),
        ("review-sum-different", s.decisions.different),
        ("review-sum-unsure", s.decisions.unsure),
        ("review-sum-sealed", s.sealed_skipped),
    ] {
        let _ = write!(h, "<dt>{}</dt><dd>{value}</dd>", esc(&t(lang, key)));
    }
    h.push_str("</dl>");
    let _ = write!(
        h,
        "<p><a href=\"/workspace/review\">{}</a> · <a href=\"/workspace/register\">{}</a></p>",
        esc(&t(lang, "work-review")),
        esc(&t(lang, "work-register"))
    );
    h
}
