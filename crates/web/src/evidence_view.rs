//! Evidence files in the workspace: the "Files" section of a record's page,
//! attaching a file from the browser, and fetching an original.
//!
//! Uploads are read into memory (wiped when dropped) and handed to
//! [`qantar_store::Archive::attach`], which refuses before it stores a byte
//! and, for a sealed record, encrypts before anything reaches the disk; no
//! temporary file is ever written here.
//!
//! Who may see a file is who may see its record: the role's reach for
//! records in clear, and for sealed records a grant in the record's
//! compartment held by the account of the same name (flagged as a
//! handler), whatever its role, exactly as in [`crate::sealed_view`].
//! Everyone else gets the workspace's not-found answer, the same bytes as
//! for an id that does not exist. A sealed record's routes also need a
//! recent password (checked here, after the grant, since the table's
//! [`crate::policy::Route::EvidenceAdd`] row covers records in clear too).

use std::fmt::Write;
use std::io::Cursor;

use axum::Router;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, Extension, FromRequest, Multipart, Path, State,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qantar_seal::Zeroizing;
use qantar_store::evidence::{Attachment, Opened};
use qantar_store::{NewFile, Stamp, StoreError, StoredRecord};
use unicode_normalization::UnicodeNormalization;

use crate::html::{esc, url_part};
use crate::i18n::{Arg, Lang, t, ta};
use crate::import::MAX_UPLOAD;
use crate::policy::{Route, allowed};
use crate::sealed_view::{
    COMPARTMENT_FIELD, KEY_FILE_FIELD, PASSPHRASE_FIELD, Secret, Target, UnlockError, note_guess,
    read_posted, seal_from, target_of, unlock,
};
use crate::work::{Ctx, Form, failure, frame, guard, hidden_csrf, not_found, refuse_post, respond};
use crate::write::{WriteError, now_rfc3339};
use crate::{AppState, WebError};

/// The form field of the file itself.
pub const FILE_FIELD: &str = "file";
/// The form field of the optional capture date.
pub const CAPTURED_FIELD: &str = "captured_at";

/// A key file is a few short lines; the same bound as the sealed pages.
const KEY_FILE_MAX: usize = 4096;
/// Text fields of the upload form are short.
const TEXT_MAX: usize = 4096;

type Connect = Option<Extension<ConnectInfo<std::net::SocketAddr>>>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/workspace/records/{id}/evidence",
            // Room for the form's other fields on top of the file, which is
            // itself counted against MAX_UPLOAD while it is read.
            post(add).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/workspace/records/{id}/evidence/{n}",
            get(original).post(open_sealed),
        )
}

// ------------------------------------------------------------ who sees

/// Whether the session gave its password within the recent window (the
/// caller sends it to give it again when it did not).
async fn is_fresh(state: &AppState, headers: &HeaderMap) -> bool {
    match crate::work::found_of(state, headers).await {
        Some((found, _)) => state.accounts().is_recent(found.fresh),
        None => false,
    }
}

fn record_url(id: &str) -> String {
    format!("/workspace/records/{}", url_part(id))
}

fn file_url(id: &str, n: u64) -> String {
    format!("/workspace/records/{}/evidence/{n}", url_part(id))
}

// ----------------------------------------------------- the record's page

/// The "Files" section of a record's page (the caller has checked that the
/// role reads the record). A sealed record's files show as a count only:
/// their names, types, sizes and hashes are inside the sealed part.
pub(crate) async fn files_section(
    state: &AppState,
    ctx: &Ctx,
    r: &StoredRecord,
) -> Result<String, WebError> {
    let lang = ctx.lang;
    let id = r.id.clone();
    let files = state.with_store(move |s| Ok(s.attachments(&id)?)).await?;
    let sealed = r.is_sealed();
    let mut h = format!(
        "<section id=\"files\"><h2>{}</h2>",
        esc(&t(lang, "evidence-files"))
    );
    if files.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "evidence-none")));
    } else if sealed {
        let _ = write!(
            h,
            "<p id=\"sealed-files\">{}</p>",
            esc(&ta(
                lang,
                "evidence-sealed-count",
                &[("count", Arg::Num(files.len() as u64))]
            ))
        );
    } else {
        h.push_str(&files_table(lang, &r.id, &files));
    }
    let may_add = allowed(Route::EvidenceAdd, Some(ctx.session.role))
        && !r.retracted
        && !r.is_erased()
        && (!sealed || ctx.handler);
    if may_add {
        h.push_str(&upload_form(ctx, r, sealed));
    }
    h.push_str("</section>");
    Ok(h)
}

fn files_table(lang: Lang, id: &str, files: &[Attachment]) -> String {
    let mut h = format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&t(lang, "evidence-n")),
        esc(&t(lang, "evidence-type")),
        esc(&t(lang, "evidence-size")),
        esc(&t(lang, "evidence-sha")),
        esc(&t(lang, "evidence-original")),
        esc(&t(lang, "evidence-public-copy")),
    );
    for a in files {
        let (media, size, sha) = match &a.file {
            Some(f) => (f.media_type.as_str(), f.size, f.sha256.as_str()),
            None => ("", a.stored_size, ""),
        };
        let original = if a.erased {
            esc(&t(lang, "evidence-erased"))
        } else {
            format!(
                "<a href=\"{}\">{}</a>",
                esc(&file_url(id, a.n)),
                esc(&t(lang, "evidence-download"))
            )
        };
        let copy = match &a.public_copy {
            Some(c) => format!(
                "<a href=\"/files/{sha}\"><code>{sha}</code></a>",
                sha = esc(&c.sha256)
            ),
            None => esc(&t(lang, "evidence-no-public-copy")),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{original}</td>\
             <td>{copy}</td></tr>",
            a.n,
            esc(media),
            size,
            esc(sha),
        );
    }
    h.push_str("</tbody></table>");
    h
}

fn upload_form(ctx: &Ctx, r: &StoredRecord, sealed: bool) -> String {
    let lang = ctx.lang;
    let note = if sealed {
        t(lang, "evidence-add-sealed-note")
    } else if r.confidentiality == "public" {
        t(lang, "evidence-add-public-note")
    } else {
        t(lang, "evidence-add-note")
    };
    let secret = if sealed {
        format!(
            "<p class=\"field\"><label for=\"ev-p\">{}</label>\
             <input id=\"ev-p\" name=\"{PASSPHRASE_FIELD}\" type=\"password\" autocomplete=\"off\"></p>\
             <p class=\"field\"><label for=\"ev-k\">{}</label>\
             <input id=\"ev-k\" name=\"{KEY_FILE_FIELD}\" type=\"file\"></p>",
            esc(&t(lang, "work-seal-passphrase")),
            esc(&t(lang, "work-seal-key-file")),
        )
    } else {
        String::new()
    };
    format!(
        "<h3>{title}</h3><p>{note}</p><form method=\"post\" action=\"/workspace/records/{id}/evidence\" \
         enctype=\"multipart/form-data\" class=\"record\">{csrf}\
         <p class=\"field\"><label for=\"ev-file\">{file}</label>\
         <input id=\"ev-file\" name=\"{FILE_FIELD}\" type=\"file\" required></p>\
         <p class=\"field\"><label for=\"ev-date\">{date}</label>\
         <input id=\"ev-date\" name=\"{CAPTURED_FIELD}\"></p>{secret}\
         <p><button type=\"submit\">{button}</button></p></form>",
        title = esc(&t(lang, "evidence-add")),
        note = esc(&note),
        id = url_part(&r.id),
        csrf = hidden_csrf(&ctx.csrf),
        file = esc(&ta(
            lang,
            "evidence-file",
            &[("mib", Arg::Num((MAX_UPLOAD / (1024 * 1024)) as u64))]
        )),
        date = esc(&t(lang, "evidence-captured")),
        button = esc(&t(lang, "evidence-attach")),
    )
}

/// A refusal: what went wrong and the way back; nothing was stored.
fn refused(ctx: &Ctx, id: &str, status: StatusCode, why: &str) -> Response {
    let lang = ctx.lang;
    let body = format!(
        "<p class=\"error\" role=\"alert\" id=\"refusal\">{}</p><p><a href=\"{}\">{}</a></p>",
        esc(why),
        esc(&record_url(id)),
        esc(&t(lang, "evidence-back")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "evidence-refused-title"), &body),
    )
}

// ------------------------------------------------------------ attaching

/// What the upload form brought. The file and the secrets are wiped when
/// dropped.
#[derive(Default)]
struct Upload {
    form: Form,
    secret: Secret,
    file: Option<(String, Zeroizing<Vec<u8>>)>,
}

enum ReadError {
    TooLarge,
    /// Not a readable multipart body, or a field far beyond its size.
    Malformed,
}

async fn read_upload(mut parts: Multipart) -> Result<Upload, ReadError> {
    let mut up = Upload::default();
    while let Some(mut part) = parts.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ReadError::TooLarge
        } else {
            ReadError::Malformed
        }
    })? {
        let name = part.name().unwrap_or_default().to_string();
        let limit = match name.as_str() {
            FILE_FIELD => MAX_UPLOAD,
            KEY_FILE_FIELD => KEY_FILE_MAX,
            _ => TEXT_MAX,
        };
        let file_name = part.file_name().map(base_name);
        let mut bytes = Zeroizing::new(Vec::new());
        loop {
            match part.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(if name == FILE_FIELD {
                            ReadError::TooLarge
                        } else {
                            ReadError::Malformed
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(ReadError::TooLarge);
                }
                Err(_) => return Err(ReadError::Malformed),
            }
        }
        match name.as_str() {
            FILE_FIELD => up.file = Some((file_name.unwrap_or_default(), bytes)),
            KEY_FILE_FIELD if !bytes.is_empty() => up.secret.key_file = Some(bytes),
            PASSPHRASE_FIELD => {
                let typed = std::str::from_utf8(&bytes).map_err(|_| ReadError::Malformed)?;
                up.secret.passphrase = Zeroizing::new(typed.nfc().collect());
            }
            _ => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| ReadError::Malformed)?;
                up.form.0.push((name, text));
            }
        }
    }
    Ok(up)
}

/// Browsers send the bare name, but some older ones sent the whole path.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn add(
    State(state): State<AppState>,
    Path(id): Path<String>,
    connect: Connect,
    req: axum::extract::Request,
) -> Response {
    let headers = req.headers().clone();
    let ctx = match guard(&state, &headers, &Method::POST, Route::EvidenceAdd).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let mib = [("mib", Arg::Num((MAX_UPLOAD / (1024 * 1024)) as u64))];
    let up = match Multipart::from_request(req, &state).await {
        Err(_) => Err(ReadError::Malformed),
        Ok(parts) => read_upload(parts).await,
    };
    let up = match up {
        Ok(u) => u,
        Err(ReadError::TooLarge) => {
            return refused(
                &ctx,
                &id,
                StatusCode::PAYLOAD_TOO_LARGE,
                &ta(lang, "evidence-too-large", &mib),
            );
        }
        // No token could be read: the same refusal as a missing one.
        Err(ReadError::Malformed) => {
            return refuse_post(&headers, &Form::default(), "", lang)
                .unwrap_or_else(|| not_found(&ctx));
        }
    };
    if let Some(r) = refuse_post(&headers, &up.form, &ctx.csrf, lang) {
        return r;
    }
    let (record, sealed_in) = match target_of(&state, &ctx, &id).await {
        Ok(Target::Clear(r)) => (r, None),
        Ok(Target::Mine {
            record,
            compartment,
            ..
        }) => (record, Some(compartment)),
        Ok(Target::Hidden) => return not_found(&ctx),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    if sealed_in.is_some() && !is_fresh(&state, &headers).await {
        // What was uploaded is dropped unread; the form is one click away.
        return Redirect::to(&crate::security::reauth_url(&record_url(&record.id))).into_response();
    }
    let Upload { form, secret, file } = up;
    let Some((name, bytes)) = file else {
        return refused(
            &ctx,
            &record.id,
            StatusCode::UNPROCESSABLE_ENTITY,
            &t(lang, "evidence-no-file"),
        );
    };
    if bytes.is_empty() {
        return refused(
            &ctx,
            &record.id,
            StatusCode::UNPROCESSABLE_ENTITY,
            &t(lang, "evidence-empty"),
        );
    }
    let captured = form.get(CAPTURED_FIELD).trim().to_string();
    let new = NewFile {
        name: if name.is_empty() {
            "upload".into()
        } else {
            name
        },
        captured_at: (!captured.is_empty()).then_some(captured),
    };
    // The compartment comes from the record, not the form; `seal_from`
    // checks the handler flag and the guess limit as the record forms do.
    let seal = match &sealed_in {
        None => None,
        Some(c) => {
            let named = Form(vec![(COMPARTMENT_FIELD.into(), c.clone())]);
            match seal_from(&state, &ctx, &named, secret, connect) {
                Ok(s) => s,
                Err(errs) => {
                    let why = errs.first().map(|e| e.reason.clone()).unwrap_or_default();
                    return refused(&ctx, &record.id, StatusCode::UNPROCESSABLE_ENTITY, &why);
                }
            }
        }
    };
    let account = ctx.session.account.clone();
    let rid = record.id.clone();
    let address = seal.as_ref().map(|(_, a)| a.clone());
    let done = state
        .with_archive(move |a| {
            let keys = match &seal {
                None => None,
                Some((with, _)) => {
                    match unlock(&a.store, &with.compartment, &account, &with.secret) {
                        Ok(k) => Some(k),
                        Err(UnlockError::Store(e)) => return Err(e.into()),
                        Err(refusal) => return Ok(Err(refusal)),
                    }
                }
            };
            let stamp = Stamp {
                author: account.clone(),
                time: now_rfc3339(),
            };
            let attached = a
                .attach(
                    &rid,
                    Cursor::new(&bytes[..]),
                    &new,
                    keys.as_ref(),
                    &stamp,
                    Box::new(|_| {}),
                )
                .map_err(|e| match e {
                    // The uploader's situation, not a fault of the archive.
                    e @ StoreError::Erased { .. } => WriteError::input(FILE_FIELD, e.to_string()),
                    other => other.into(),
                })?;
            Ok(Ok(attached))
        })
        .await;
    match done {
        Ok(Ok(_)) => Redirect::to(&format!("{}#files", record_url(&record.id))).into_response(),
        Ok(Err(refusal)) => {
            if refusal.is_guess()
                && let Some(address) = &address
            {
                note_guess(&state, &ctx.session.account, address);
            }
            refused(
                &ctx,
                &record.id,
                StatusCode::UNPROCESSABLE_ENTITY,
                &refusal.to_string(),
            )
        }
        Err(WriteError::Input(errs)) => {
            let why = errs
                .0
                .iter()
                .map(|e| e.reason.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            refused(&ctx, &record.id, StatusCode::UNPROCESSABLE_ENTITY, &why)
        }
        Err(WriteError::NotFound(_)) => not_found(&ctx),
        Err(WriteError::Failed(e)) => failure(Some(&ctx), lang, &e),
    }
}

// --------------------------------------------------------- the original

fn n_of(raw: &str) -> Option<u64> {
    raw.parse::<u64>().ok().filter(|n| *n > 0)
}

/// The original, as a download that no cache keeps.
fn download(opened: &Opened, bytes: Vec<u8>) -> Response {
    let safe: String = opened
        .file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{safe}\"; filename*=UTF-8''{}",
        url_part(&opened.file.name)
    );
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&opened.file.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// Whether a store error means "there is no such attachment".
fn is_missing(e: &WriteError) -> bool {
    matches!(e, WriteError::NotFound(_))
}

async fn original(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::EvidenceOriginal).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let Some(n) = n_of(&n) else {
        return not_found(&ctx);
    };
    match target_of(&state, &ctx, &id).await {
        Ok(Target::Hidden) => not_found(&ctx),
        Err(e) => failure(Some(&ctx), lang, &e),
        Ok(Target::Mine {
            record, key_file, ..
        }) => {
            if !is_fresh(&state, &headers).await {
                return Redirect::to(&crate::security::reauth_url(&file_url(&record.id, n)))
                    .into_response();
            }
            let rid = record.id.clone();
            let known = state
                .with_store(move |s| Ok(s.attachments(&rid)?.iter().any(|a| a.n == n)))
                .await;
            match known {
                Ok(true) => open_form(&ctx, &record, n, key_file, None, StatusCode::OK),
                Ok(false) => not_found(&ctx),
                Err(e) => failure(Some(&ctx), lang, &e),
            }
        }
        Ok(Target::Clear(record)) => {
            let (rid, reader) = (record.id.clone(), ctx.session.account.clone());
            let got = state
                .with_archive(move |a| {
                    let stamp = Stamp {
                        author: reader.clone(),
                        time: now_rfc3339(),
                    };
                    let mut out = Vec::new();
                    let opened =
                        a.open_attachment(&rid, n, None, &reader, &stamp, &mut out, &mut |_| {})?;
                    Ok((opened, out))
                })
                .await;
            match got {
                Ok((opened, bytes)) => download(&opened, bytes),
                Err(e) if is_missing(&e) => not_found(&ctx),
                Err(e) => failure(Some(&ctx), lang, &e),
            }
        }
    }
}

fn open_form(
    ctx: &Ctx,
    r: &StoredRecord,
    n: u64,
    key_file: bool,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let lang = ctx.lang;
    let mut body = String::new();
    if let Some(e) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(e));
    }
    let input = if key_file {
        format!(
            "<p class=\"field\"><label for=\"ev-k\">{}</label>\
             <input id=\"ev-k\" name=\"{KEY_FILE_FIELD}\" type=\"file\" required></p>",
            esc(&t(lang, "work-seal-key-file"))
        )
    } else {
        format!(
            "<p class=\"field\"><label for=\"ev-p\">{}</label>\
             <input id=\"ev-p\" name=\"{PASSPHRASE_FIELD}\" type=\"password\" autocomplete=\"off\" required></p>",
            esc(&t(lang, "work-seal-passphrase"))
        )
    };
    let _ = write!(
        body,
        "<p>{}</p><form method=\"post\" action=\"{}\" enctype=\"multipart/form-data\" class=\"record\">\
         {}{input}<p><button type=\"submit\">{}</button></p></form><p><a href=\"{}\">{}</a></p>",
        esc(&t(lang, "evidence-open-warning")),
        esc(&file_url(&r.id, n)),
        hidden_csrf(&ctx.csrf),
        esc(&t(lang, "evidence-open")),
        esc(&record_url(&r.id)),
        esc(&t(lang, "evidence-back")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "evidence-open-title"), &body),
    )
}

async fn open_sealed(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
    connect: Connect,
    body: axum::body::Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::EvidenceOpen).await {
        Ok(c) => c,
        // A session that only needs its password again gives it and comes
        // back to the file's form, as the sealed records' pages do.
        Err(r) => {
            let Some(n) = n_of(&n) else { return r };
            let form = file_url(&id, n);
            return crate::sealed_view::back_after_reauth(
                &state,
                &headers,
                Route::EvidenceOpen,
                &form,
            )
            .await
            .unwrap_or(r);
        }
    };
    let lang = ctx.lang;
    let posted = match read_posted(&headers, body).await {
        Ok(p) => p,
        Err(_) => {
            return refuse_post(&headers, &Form::default(), "", lang)
                .unwrap_or_else(|| not_found(&ctx));
        }
    };
    if let Some(r) = refuse_post(&headers, &posted.form, &ctx.csrf, lang) {
        return r;
    }
    let Some(n) = n_of(&n) else {
        return not_found(&ctx);
    };
    let (record, compartment, key_file) = match target_of(&state, &ctx, &id).await {
        Ok(Target::Mine {
            record,
            compartment,
            key_file,
        }) => (record, compartment, key_file),
        // Files in clear need no secret: their download is the GET.
        Ok(Target::Clear(r)) => return Redirect::to(&file_url(&r.id, n)).into_response(),
        Ok(Target::Hidden) => return not_found(&ctx),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let named = Form(vec![(COMPARTMENT_FIELD.into(), compartment.clone())]);
    let (with, address) = match seal_from(&state, &ctx, &named, posted.secret, connect) {
        Ok(Some(s)) => s,
        Ok(None) => return not_found(&ctx),
        Err(errs) => {
            let why = errs.first().map(|e| e.reason.clone()).unwrap_or_default();
            return open_form(
                &ctx,
                &record,
                n,
                key_file,
                Some(&why),
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
    };
    let (rid, reader) = (record.id.clone(), ctx.session.account.clone());
    let got = state
        .with_archive(move |a| {
            let keys = match unlock(&a.store, &with.compartment, &reader, &with.secret) {
                Ok(k) => k,
                Err(UnlockError::Store(e)) => return Err(e.into()),
                Err(refusal) => return Ok(Err(refusal)),
            };
            let stamp = Stamp {
                author: reader.clone(),
                time: now_rfc3339(),
            };
            // The store appends `audit.file_opened` before it decrypts a
            // byte; `keys` is wiped when this closure ends.
            let mut out = Vec::new();
            let opened =
                a.open_attachment(&rid, n, Some(&keys), &reader, &stamp, &mut out, &mut |_| {})?;
            Ok(Ok((opened, out)))
        })
        .await;
    match got {
        Ok(Ok((opened, bytes))) => download(&opened, bytes),
        Ok(Err(refusal)) => {
            if refusal.is_guess() {
                note_guess(&state, &ctx.session.account, &address);
            }
            let why = refusal.to_string();
            open_form(
                &ctx,
                &record,
                n,
                key_file,
                Some(&why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) if is_missing(&e) => not_found(&ctx),
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_lose_their_directories() {
        assert_eq!(base_name("C:\\Users\\a\\photo.jpg"), "photo.jpg");
        assert_eq!(base_name("/home/a/photo.jpg"), "photo.jpg");
        assert_eq!(base_name("photo.jpg"), "photo.jpg");
    }

    #[test]
    fn attachment_numbers_start_at_one() {
        assert_eq!(n_of("1"), Some(1));
        assert_eq!(n_of("0"), None);
        assert_eq!(n_of("-1"), None);
        assert_eq!(n_of("x"), None);
    }
}
