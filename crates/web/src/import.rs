//! `/workspace/import`: importing a list of victims from a file.
//!
//! Three steps, each a plain form: upload the file (multipart, at most
//! [`MAX_UPLOAD`]); see the first rows as read, with the detected format,
//! encoding and delimiter, and choose what each column is, the list's
//! source and defaults; import, and read the report. The import itself is
//! `qantar_register::import`, the same code as `qantar import`, so a file
//! imported twice adds nothing the second time.
//!
//! Where the file lives between preview and import: **only in this
//! process's memory** ([`Uploads`]), never on disk, never in a log. An
//! upload is dropped once imported, after [`KEEP`], or when newer uploads
//! push it out; with several server processes the import must reach the
//! process that took the upload, and otherwise asks for the file again.

use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use qantar_model::{Kind, vocab};
use qantar_register::{ImportOptions, ImportReport, RegisterError, import, import_fields};
use qantar_store::{Filter, Stamp};
use qantar_table::{FieldMap, JOIN_HIERARCHY, JOIN_WORDS, Mapping, ReadOptions, Table};
use serde_json::json;

use crate::auth::{self, Role};
use crate::html::esc;
use crate::i18n::{Arg, Lang, t, ta};
use crate::policy::Route;
use crate::work::{Ctx, Form, failure, frame, guard, hidden_csrf, refuse_post, respond};
use crate::write::{WriteError, now_rfc3339};
use crate::{AppState, WebError};

/// The largest file the page accepts.
pub const MAX_UPLOAD: usize = 50 * 1024 * 1024;
/// How long an upload waits for its import.
pub const KEEP: Duration = Duration::from_secs(3600);
/// Uploads kept at once (each up to [`MAX_UPLOAD`]).
const MAX_KEPT: usize = 4;
/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workspace/import", get(upload_form).post(run_import))
        .route(
            "/workspace/import/preview",
            // Room for the other form fields and multipart framing; the
            // file itself is counted against MAX_UPLOAD while it is read.
            post(preview).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
}

struct Upload {
    id: String,
    account: String,
    name: String,
    bytes: Arc<Vec<u8>>,
    at: Instant,
}

/// Uploaded files waiting for their import, in memory only.
#[derive(Default)]
pub(crate) struct Uploads {
    kept: Mutex<Vec<Upload>>,
}

impl Uploads {
    /// Forget every upload (the archive was locked).
    pub(crate) fn clear(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.clear();
        }
    }

    fn put(&self, account: &str, name: &str, bytes: Vec<u8>) -> Result<String, WebError> {
        let id = auth::secret()?;
        let mut kept = self
            .kept
            .lock()
            .map_err(|_| WebError::Worker("the upload store is poisoned".into()))?;
        kept.retain(|u| u.at.elapsed() < KEEP);
        while kept.len() >= MAX_KEPT {
            kept.remove(0);
        }
        kept.push(Upload {
            id: id.clone(),
            account: account.to_owned(),
            name: name.to_owned(),
            bytes: Arc::new(bytes),
            at: Instant::now(),
        });
        Ok(id)
    }

    /// The file `id` if this account uploaded it and it has not expired.
    fn get(&self, id: &str, account: &str) -> Option<(String, Arc<Vec<u8>>)> {
        let kept = self.kept.lock().ok()?;
        kept.iter()
            .find(|u| auth::same(&u.id, id) && u.account == account && u.at.elapsed() < KEEP)
            .map(|u| (u.name.clone(), u.bytes.clone()))
    }

    fn remove(&self, id: &str) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.retain(|u| u.id != id);
        }
    }
}

async fn upload_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Import).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    upload_page(&ctx, StatusCode::OK, None)
}

fn upload_page(ctx: &Ctx, status: StatusCode, error: Option<&str>) -> Response {
    let lang = ctx.lang;
    let mut body = String::new();
    if let Some(e) = error {
        let _ = write!(
            body,
            "<p class=\"error\" role=\"alert\" id=\"import-error\">{}</p>",
            esc(e)
        );
    }
    // The token comes before the file, so it is checked before the file is
    // read.
    let _ = write!(
        body,
        "<p>{}</p><form method=\"post\" action=\"/workspace/import/preview\" enctype=\"multipart/form-data\" class=\"record\">{}\
         <p class=\"field\"><label for=\"f-file\">{}</label><input id=\"f-file\" name=\"file\" type=\"file\" required accept=\".csv,.tsv,.txt,.xlsx,.xls,.ods,.json,.jsonl\"></p>\
         <p><button type=\"submit\">{}</button></p></form>",
        esc(&ta(
            lang,
            "import-intro",
            &[("mib", Arg::Num((MAX_UPLOAD / (1024 * 1024)) as u64))]
        )),
        hidden_csrf(&ctx.csrf),
        esc(&t(lang, "import-file")),
        esc(&t(lang, "import-preview")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "work-import"), &body),
    )
}

fn too_large(ctx: &Ctx) -> Response {
    upload_page(
        ctx,
        StatusCode::PAYLOAD_TOO_LARGE,
        Some(&ta(
            ctx.lang,
            "import-too-large",
            &[("mib", Arg::Num((MAX_UPLOAD / (1024 * 1024)) as u64))],
        )),
    )
}

async fn preview(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Import).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let Ok(mut multipart) = multipart else {
        return upload_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            Some(&t(lang, "import-not-multipart")),
        );
    };
    let mut csrf_ok = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(&ctx),
            Err(_) => {
                return upload_page(
                    &ctx,
                    StatusCode::BAD_REQUEST,
                    Some(&t(lang, "import-not-multipart")),
                );
            }
        };
        let part = field.name().unwrap_or_default().to_owned();
        match part.as_str() {
            "csrf" => {
                let token = field.text().await.unwrap_or_default();
                let form = Form(vec![("csrf".into(), token)]);
                if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
                    return r;
                }
                csrf_ok = true;
            }
            "file" if csrf_ok => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > MAX_UPLOAD {
                                return too_large(&ctx);
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return too_large(&ctx);
                        }
                        Err(_) => {
                            return upload_page(
                                &ctx,
                                StatusCode::BAD_REQUEST,
                                Some(&t(lang, "import-not-multipart")),
                            );
                        }
                    }
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return refuse_post(&headers, &Form::default(), &ctx.csrf, lang)
            .unwrap_or_else(|| upload_page(&ctx, StatusCode::FORBIDDEN, None));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return upload_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&t(lang, "import-no-file")),
        );
    };
    // Read it once now, so a file that cannot be read is refused before
    // it is kept.
    let check = {
        let (name, bytes) = (name.clone(), bytes.clone());
        AppState::blocking(move || Ok(read_preview(&name, bytes))).await
    };
    let preview = match check {
        // A header with nothing under it is not a list (nor, often, a
        // table at all: any text reads as one column).
        Ok(Ok(p)) if p.rows.is_empty() => {
            return upload_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&t(lang, "import-no-rows")),
            );
        }
        Ok(Ok(p)) => p,
        Ok(Err(text)) => return upload_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(&text)),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let id = match state.inner.uploads.put(&ctx.session.account, &name, bytes) {
        Ok(id) => id,
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    mapping_page(
        &state,
        &ctx,
        &id,
        &name,
        &preview,
        &Form::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// What the preview shows of a file.
struct Preview {
    format: String,
    encoding: Option<String>,
    delimiter: Option<String>,
    headers: Vec<String>,
    warnings: Vec<String>,
    /// Line and cells, or line and why the row cannot be read.
    rows: Vec<(u64, Result<Vec<String>, String>)>,
}

fn read_preview(name: &str, bytes: Vec<u8>) -> Result<Preview, String> {
    let mut table =
        Table::from_bytes(name, bytes, &ReadOptions::default()).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    while rows.len() < PREVIEW_ROWS {
        match table.next_row() {
            Some(Ok(r)) => rows.push((r.line, Ok(r.values))),
            Some(Err(e)) => rows.push((e.line, Err(e.reason))),
            None => break,
        }
    }
    Ok(Preview {
        format: table.format().to_string(),
        encoding: table.encoding().map(|e| e.to_string()),
        delimiter: table.delimiter().map(|d| match d {
            b'\t' => "tab".to_owned(),
            other => char::from(other).to_string(),
        }),
        headers: table.headers().to_vec(),
        warnings: table.warnings().to_vec(),
        rows,
    })
}

/// A first guess at what a column is, from its name in the languages the
/// lists come in.
pub fn guess_field(header: &str) -> &'static str {
    let h = header.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if import_fields().iter().any(|f| *f == h) {
        return import_fields().into_iter().find(|f| *f == h).unwrap_or("");
    }
    if has(&["фио", "ф.и.о", "full name", "толық аты", "аты-жөні"]) {
        "full_name"
    } else if has(&["отчество", "әкесінің", "patronymic"]) {
        "patronymic"
    } else if has(&["фамилия", "тегі", "surname", "last name"]) {
        "surname"
    } else if has(&["имя", "аты", "given", "first name"]) {
        "given"
    } else if has(&["дата рождения", "туған күні", "birth date", "born"]) {
        "birth_date"
    } else if has(&["год рождения", "туған жылы", "birth year"]) {
        "birth_year"
    } else if has(&["возраст", "жасы", "age"]) {
        "age"
    } else if has(&["пол", "жынысы", "sex", "gender"]) {
        "sex"
    } else if has(&["иин", "жсн", "iin", "id number"]) {
        "id_number"
    } else if has(&[
        "город",
        "место",
        "область",
        "қала",
        "облыс",
        "жер",
        "place",
        "city",
        "region",
    ]) {
        "place"
    } else if has(&["дата", "күні", "date"]) {
        "event_date"
    } else if has(&["статус", "мәртебе", "status"]) {
        "status"
    } else {
        ""
    }
}

fn vocab_picker(lang: Lang, id: &str, vocabulary: &str, current: &str) -> String {
    let mut s = format!("<select id=\"{id}\" name=\"{id}\"><option value=\"\">—</option>");
    if let Some(v) = vocab::get(vocabulary) {
        for term in &v.terms {
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

/// The list sources a role may see: `(id, label)`.
async fn list_sources(state: &AppState, role: Role) -> Result<Vec<(String, String)>, WebError> {
    state
        .with_store(move |s| {
            let mut out: Vec<(String, String)> = s
                .list(&Filter {
                    kind: Some(Kind::Source),
                    ..Filter::default()
                })?
                .into_iter()
                .filter(|r| role.can_read(&r.confidentiality))
                .filter(|r| r.data["source_kind"] == "list")
                .map(|r| (r.id.clone(), crate::work::display_label(&r)))
                .collect();
            out.sort_by_key(|(_, l)| l.to_lowercase());
            Ok(out)
        })
        .await
}

#[allow(clippy::too_many_arguments)]
async fn mapping_page(
    state: &AppState,
    ctx: &Ctx,
    upload: &str,
    name: &str,
    p: &Preview,
    form: &Form,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let lang = ctx.lang;
    let sources = match list_sources(state, ctx.session.role).await {
        Ok(s) => s,
        Err(e) => return failure(Some(ctx), lang, &e),
    };
    let mut body = String::new();
    if let Some(e) = error {
        let _ = write!(
            body,
            "<p class=\"error\" role=\"alert\" id=\"import-error\">{}</p>",
            esc(e)
        );
    }
    let _ = write!(
        body,
        "<dl class=\"facts\" id=\"detected\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd id=\"format\">{}</dd><dt>{}</dt><dd id=\"encoding\">{}</dd><dt>{}</dt><dd id=\"delimiter\">{}</dd></dl>",
        esc(&t(lang, "import-file")),
        esc(name),
        esc(&t(lang, "import-format")),
        esc(&p.format),
        esc(&t(lang, "import-encoding")),
        esc(p.encoding.as_deref().unwrap_or("—")),
        esc(&t(lang, "import-delimiter")),
        esc(p.delimiter.as_deref().unwrap_or("—")),
    );
    if !p.warnings.is_empty() {
        let _ = write!(
            body,
            "<h2>{}</h2><ul class=\"warnings\">",
            esc(&t(lang, "import-warnings"))
        );
        for w in &p.warnings {
            let _ = write!(body, "<li>{}</li>", esc(w));
        }
        body.push_str("</ul>");
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/workspace/import\" class=\"import\">{}<input type=\"hidden\" name=\"upload\" value=\"{}\">",
        hidden_csrf(&ctx.csrf),
        esc(upload)
    );
    // The preview table with a mapping select above each column.
    let _ = write!(
        body,
        "<h2>{}</h2><div class=\"scroll\"><table class=\"preview\" id=\"preview\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        esc(&t(lang, "import-columns")),
        esc(&ta(
            lang,
            "import-preview-caption",
            &[("count", Arg::Num(p.rows.len() as u64))]
        )),
        esc(&t(lang, "import-line")),
    );
    let fields = import_fields();
    for (i, h) in p.headers.iter().enumerate() {
        let key = format!("map-{i}");
        let chosen = if form.0.iter().any(|(k, _)| *k == key) {
            form.get(&key).to_owned()
        } else {
            guess_field(h).to_owned()
        };
        let mut select = format!(
            "<select id=\"{key}\" name=\"{key}\" aria-label=\"{}\"><option value=\"\">{}</option>",
            esc(&ta(lang, "import-map-column", &[("column", Arg::Str(h))])),
            esc(&t(lang, "import-ignore"))
        );
        for f in fields.iter().copied().chain(["text"]) {
            let sel = if f == chosen { " selected" } else { "" };
            let label = if f == "text" {
                ta(lang, "import-as-text", &[("column", Arg::Str(h))])
            } else {
                f.to_owned()
            };
            let _ = write!(
                select,
                "<option value=\"{f}\"{sel}>{}</option>",
                esc(&label)
            );
        }
        select.push_str("</select>");
        let _ = write!(
            body,
            "<th scope=\"col\"><span class=\"column\">{}</span><br>{select}</th>",
            esc(h)
        );
    }
    body.push_str("</tr></thead><tbody>");
    for (line, row) in &p.rows {
        let _ = write!(body, "<tr><td>{line}</td>");
        match row {
            Ok(cells) => {
                for c in cells {
                    let _ = write!(body, "<td>{}</td>", esc(c));
                }
            }
            Err(reason) => {
                let _ = write!(
                    body,
                    "<td colspan=\"{}\" class=\"error\">{}</td>",
                    p.headers.len().max(1),
                    esc(reason)
                );
            }
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");
    // The source and the defaults.
    let chosen_source = form.get("source");
    let mut source_select = format!(
        "<select id=\"f-source\" name=\"source\"><option value=\"\">{}</option>",
        esc(&t(lang, "import-source-new-option"))
    );
    for (id, label) in &sources {
        let sel = if id == chosen_source { " selected" } else { "" };
        let _ = write!(
            source_select,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(id),
            esc(label)
        );
    }
    source_select.push_str("</select>");
    let _ = write!(
        body,
        "<h2>{}</h2><div class=\"record\">\
         <p class=\"field\"><label for=\"f-source\">{}</label>{source_select}</p>\
         <p class=\"field\"><label for=\"f-new-source\">{}</label><input id=\"f-new-source\" name=\"new_source_title\" value=\"{}\"></p>\
         <p class=\"field\"><label for=\"act_type\">{}</label>{}</p>\
         <p class=\"field\"><label for=\"status\">{}</label>{}</p>\
         <p class=\"field\"><label for=\"f-date\">{}</label><input id=\"f-date\" name=\"date\" placeholder=\"2022-01-05\" value=\"{}\"></p>\
         </div><p><button type=\"submit\">{}</button></p></form>",
        esc(&t(lang, "import-source-defaults")),
        esc(&t(lang, "import-source")),
        esc(&t(lang, "import-source-new")),
        esc(form.get("new_source_title")),
        esc(&t(lang, "import-default-act-type")),
        vocab_picker(lang, "act_type", vocab::ACT_TYPES, form.get("act_type")),
        esc(&t(lang, "import-default-status")),
        vocab_picker(lang, "status", vocab::PERSON_STATUSES, form.get("status")),
        esc(&t(lang, "import-default-date")),
        esc(form.get("date")),
        esc(&t(lang, "import-run")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "work-import"), &body),
    )
}

/// The mapping chosen on the form: each column's select names a field,
/// `text` (kept as free text under the column's name) or nothing. Several
/// columns may make up one field, joined in column order. Built directly
/// rather than through `Mapping::parse`, whose syntax cannot name columns
/// containing `,`, `+` or `>`, which real headers do.
pub fn mapping_from_form(headers: &[String], form: &Form) -> Result<Mapping, String> {
    let allowed = import_fields();
    let mut mapping = Mapping::default();
    for (i, h) in headers.iter().enumerate() {
        let choice = form.get(&format!("map-{i}"));
        let field = match choice {
            "" => continue,
            "text" => format!("text:{h}"),
            f if allowed.contains(&f) => f.to_owned(),
            other => return Err(format!("column {h:?}: unknown field {other:?}")),
        };
        match mapping.fields.iter_mut().find(|m| m.field == field) {
            Some(m) => m.columns.push(h.clone()),
            None => mapping.fields.push(FieldMap {
                joiner: if field == "place" {
                    JOIN_HIERARCHY
                } else {
                    JOIN_WORDS
                },
                field,
                columns: vec![h.clone()],
            }),
        }
    }
    Ok(mapping)
}

async fn run_import(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::Import).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let form = Form::parse(&body);
    if let Some(r) = refuse_post(&headers, &form, &ctx.csrf, lang) {
        return r;
    }
    let upload = form.get("upload").to_owned();
    let Some((name, bytes)) = state.inner.uploads.get(&upload, &ctx.session.account) else {
        return upload_page(&ctx, StatusCode::GONE, Some(&t(lang, "import-upload-gone")));
    };
    let preview = {
        let (name, bytes) = (name.clone(), bytes.clone());
        match AppState::blocking(move || Ok(read_preview(&name, bytes.to_vec()))).await {
            Ok(Ok(p)) => p,
            Ok(Err(text)) => {
                return upload_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(&text));
            }
            Err(e) => return failure(Some(&ctx), lang, &e),
        }
    };
    let again = |error: String| {
        let (state, ctx, upload, name, form) = (&state, &ctx, &upload, &name, &form);
        let preview = &preview;
        async move {
            mapping_page(
                state,
                ctx,
                upload,
                name,
                preview,
                form,
                Some(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let mapping = match mapping_from_form(&preview.headers, &form) {
        Ok(m) if !m.is_empty() => m,
        Ok(_) => return again(t(lang, "import-no-mapping")).await,
        Err(e) => return again(e).await,
    };
    let mut source = form.get("source").trim().to_owned();
    let new_title = form.get("new_source_title").trim().to_owned();
    if source.is_empty() && new_title.is_empty() {
        return again(t(lang, "import-no-source")).await;
    }
    let opt = |k: &str| Some(form.get(k).trim().to_owned()).filter(|v| !v.is_empty());
    let mut options = ImportOptions {
        source: source.clone(),
        act_type: opt("act_type"),
        status: opt("status"),
        date: opt("date"),
        confidentiality: None,
        batch_size: 1000,
        dry_run: false,
    };
    // Check the defaults before a new source is recorded, so a typo in the
    // date does not leave an empty list behind.
    if let Some(d) = &options.date
        && d.parse::<qantar_model::ApproxDate>().is_err()
    {
        return again(ta(lang, "import-bad-date", &[("date", Arg::Str(d))])).await;
    }
    if source.is_empty() {
        let record = json!({"kind": "source", "source_kind": "list", "title": new_title});
        match state.record(vec![record], &ctx.session.account).await {
            Ok(ids) => {
                source = ids.into_iter().next().unwrap_or_default();
                options.source = source.clone();
            }
            Err(WriteError::Input(e)) => return again(e.to_string()).await,
            Err(e) => return failure(Some(&ctx), lang, &e),
        }
    }
    let author = ctx.session.account.clone();
    let (file_name, file_bytes) = (name.clone(), bytes.clone());
    let ran = state
        .with_archive(move |a| {
            let mut table =
                Table::from_bytes(&file_name, file_bytes.to_vec(), &ReadOptions::default())
                    .map_err(|e| WriteError::Failed(e.to_string()))?;
            let bound = mapping
                .bind(table.headers())
                .map_err(|e| WriteError::input("mapping", e.to_string()))?;
            let stamp = Stamp {
                author,
                time: now_rfc3339(),
            };
            import(
                a,
                &mut table,
                &bound,
                &options,
                &stamp,
                &mut uuid::Uuid::now_v7,
                &mut |_| {},
            )
            .map_err(|e| match e {
                RegisterError::Store(s) => WriteError::from(s),
                other => WriteError::input("import", other.to_string()),
            })
        })
        .await;
    match ran {
        Ok(report) => {
            state.inner.uploads.remove(&upload);
            respond(
                StatusCode::OK,
                lang,
                frame(
                    lang,
                    Some(&ctx),
                    &t(lang, "import-done"),
                    &report_html(&ctx, &report),
                ),
            )
        }
        Err(WriteError::Input(e)) => again(e.to_string()).await,
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

fn report_html(ctx: &Ctx, r: &ImportReport) -> String {
    let lang = ctx.lang;
    let mut h = String::from("<dl class=\"facts\" id=\"import-report\">");
    for (key, id, value) in [
        ("import-rows-read", "rows-read", r.rows_read),
        ("import-imported", "imported", r.imported),
        ("import-already", "already-present", r.already_present),
        ("import-bad-rows", "bad-rows", r.bad_rows.len() as u64),
        ("import-places", "places", r.places_recognised),
    ] {
        let _ = write!(
            h,
            "<dt>{}</dt><dd id=\"{id}\">{value}</dd>",
            esc(&t(lang, key))
        );
    }
    h.push_str("</dl>");
    if !r.bad_rows.is_empty() {
        let _ = write!(
            h,
            "<h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&t(lang, "import-bad-rows")),
            esc(&t(lang, "import-line")),
            esc(&t(lang, "work-reason")),
        );
        for b in r.bad_rows.iter().take(500) {
            let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", b.line, esc(&b.reason));
        }
        h.push_str("</tbody></table>");
    }
    if !r.unrecognised.is_empty() {
        let _ = write!(
            h,
            "<h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&t(lang, "import-unrecognised")),
            esc(&t(lang, "import-field")),
            esc(&t(lang, "import-value")),
            esc(&t(lang, "import-rows")),
        );
        for u in &r.unrecognised {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&u.field),
                esc(&u.value),
                u.rows
            );
        }
        h.push_str("</tbody></table>");
    }
    if !r.warnings.is_empty() {
        let _ = write!(h, "<h2>{}</h2><ul>", esc(&t(lang, "import-warnings")));
        for w in &r.warnings {
            let _ = write!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul>");
    }
    let _ = write!(
        h,
        "<p>{}</p><p><a href=\"/workspace/records/{}\">{}</a> · <a href=\"/workspace/review\">{}</a> · <a href=\"/workspace/import\">{}</a></p>",
        esc(&t(lang, "import-then-link")),
        esc(&r.source),
        esc(&t(lang, "import-source")),
        esc(&t(lang, "work-review")),
        esc(&t(lang, "import-another")),
    );
    h
}
