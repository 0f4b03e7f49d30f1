//! `/workspace/sealed…`: sealed records for the handlers who hold their
//! keys.
//!
//! A web account is the handler of the same name in the store's grants,
//! and counts as one only while it is flagged as a handler (so it has a
//! second factor). Roles grant nothing here: an administrator without a
//! grant sees no sealed record. Every page about one sealed record answers
//! a record outside the account's grants exactly as it answers an id that
//! does not exist (same status, same body), so a refusal does not tell
//! that the record is there.
//!
//! Opening a record asks for the handler's passphrase (or key file) on
//! every request: the compartment key is opened, used for one
//! `get_unsealed` (which appends the `audit.unsealed` ledger entry naming
//! the reader before returning anything), and dropped, wiped, before the
//! response leaves. Nothing is kept between requests, so a lock has no key
//! to drop. The passphrase and the request body are held in wiped buffers;
//! the plaintext record and the page built from it are dropped at the end
//! of the request (not wiped: they are ordinary strings) and sent with
//! `Cache-Control: no-store`. A wrong passphrase writes nothing and counts
//! as a failed login for the account and the address.

use std::fmt::Write;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, Multipart, Path, State};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qantar_seal::{Kek, KekSpec, SealError, Zeroizing};
use qantar_store::{CompartmentInfo, Filter, Stamp, Store, StoreError, StoredRecord, Unlocked};
use unicode_normalization::UnicodeNormalization;

use crate::html::{esc, url_part};
use crate::i18n::{Arg, Lang, t, ta};
use crate::policy::Route;
use crate::work::{Ctx, Form, failure, frame, guard, hidden_csrf, not_found, refuse_post, respond};
use crate::write::{WriteError, now_rfc3339};
use crate::{AppState, WebError};

/// The form field of a handler's passphrase.
pub const PASSPHRASE_FIELD: &str = "seal.passphrase";
/// The form field of a handler's key file (an upload).
pub const KEY_FILE_FIELD: &str = "seal.key_file";
/// The form field naming the compartment to write into.
pub const COMPARTMENT_FIELD: &str = "seal.compartment";

/// Key files are three short lines; anything much larger is not one.
const KEY_FILE_MAX: usize = 4096;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workspace/sealed", get(list))
        .route("/workspace/sealed/{id}", get(open_form))
        .route("/workspace/sealed/{id}/open", post(open))
}

/// What a request brought to open a handler's grant. Both buffers are
/// wiped when dropped.
#[derive(Default)]
pub struct Secret {
    /// NFC-normalised, as the CLI does.
    pub passphrase: Zeroizing<String>,
    pub key_file: Option<Zeroizing<Vec<u8>>>,
}

/// Why a handler's grant did not open. Nothing was read or written.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    /// Said the same whether the compartment is missing or only not
    /// granted to this account.
    #[error(
        "you hold no grant in a compartment of that name; choose one of yours (a handler of \
         the compartment grants it with `qantar seal grant`, and an administrator flags the \
         account as a handler)"
    )]
    NoGrant,
    #[error(
        "the passphrase or key file does not open your grant in compartment {0}; check it and \
         try again (nothing was opened or written)"
    )]
    WrongSecret(String),
    #[error(
        "your grant in compartment {0} opens with a passphrase: type it in the passphrase field"
    )]
    NeedPassphrase(String),
    #[error(
        "your grant in compartment {0} opens with a key file: choose the file in the key file field"
    )]
    NeedKeyFile(String),
    #[error("the key file is damaged ({0}); use an intact copy")]
    BadKeyFile(String),
    #[error(transparent)]
    Store(StoreError),
}

impl UnlockError {
    /// The form field the user should look at.
    pub fn field(&self) -> &'static str {
        match self {
            UnlockError::NoGrant => COMPARTMENT_FIELD,
            UnlockError::NeedKeyFile(_) | UnlockError::BadKeyFile(_) => KEY_FILE_FIELD,
            _ => PASSPHRASE_FIELD,
        }
    }

    /// A wrong secret: counted like a failed login.
    pub fn is_guess(&self) -> bool {
        matches!(
            self,
            UnlockError::WrongSecret(_) | UnlockError::BadKeyFile(_)
        )
    }
}

impl From<UnlockError> for WriteError {
    fn from(e: UnlockError) -> WriteError {
        match e {
            UnlockError::Store(s) => s.into(),
            other => WriteError::input(other.field(), other.to_string()),
        }
    }
}

/// Open `compartment` as `handler` with what the request brought. The
/// grant's own description says whether a passphrase or a key file is
/// wanted, so the other is ignored.
pub(crate) fn unlock(
    store: &Store,
    compartment: &str,
    handler: &str,
    secret: &Secret,
) -> Result<Unlocked, UnlockError> {
    let spec = store
        .grant_kek_spec(compartment, handler)
        .map_err(|e| match e {
            // A missing compartment is a `Sealing` error from the same
            // lookup: both are "not one of yours".
            StoreError::NoGrant { .. } | StoreError::Sealing(_) => UnlockError::NoGrant,
            other => UnlockError::Store(other),
        })?;
    let c = compartment.to_string();
    let kek = match (&spec, &secret.key_file) {
        (KekSpec::Passphrase { .. }, _) if secret.passphrase.is_empty() => {
            return Err(UnlockError::NeedPassphrase(c));
        }
        (KekSpec::Passphrase { .. }, _) => Kek::derive(&spec, &secret.passphrase)
            .map_err(|e| UnlockError::Store(StoreError::from(e)))?,
        (KekSpec::KeyFile { .. }, Some(file)) => {
            Kek::from_key_file(file).map_err(|e| UnlockError::BadKeyFile(e.to_string()))?
        }
        (KekSpec::KeyFile { .. }, None) => return Err(UnlockError::NeedKeyFile(c)),
    };
    store
        .unlock(compartment, handler, &kek)
        .map_err(|e| match e {
            StoreError::Seal(
                SealError::WrongPassphrase { .. }
                | SealError::WrongKeyFile { .. }
                | SealError::KekMismatch { .. },
            ) => UnlockError::WrongSecret(c),
            other => UnlockError::Store(other),
        })
}

/// A posted form, URL-encoded or multipart (when it carries a key file),
/// with the secrets taken out of it.
pub(crate) struct Posted {
    pub form: Form,
    pub secret: Secret,
}

/// Read a posted form of either encoding. The passphrase leaves the form
/// for a wiped buffer; so does the key file. `Err` is a reason to show.
pub(crate) async fn read_posted(headers: &HeaderMap, body: Bytes) -> Result<Posted, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut secret = Secret::default();
    let mut form = Form::default();
    if content_type.starts_with("multipart/form-data") {
        let req = Request::builder()
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .map_err(|e| e.to_string())?;
        let mut parts = Multipart::from_request(req, &())
            .await
            .map_err(|e| e.body_text())?;
        while let Some(part) = parts.next_field().await.map_err(|e| e.body_text())? {
            let name = part.name().unwrap_or_default().to_string();
            if name == KEY_FILE_FIELD {
                let bytes = part.bytes().await.map_err(|e| e.body_text())?;
                if bytes.len() > KEY_FILE_MAX {
                    return Err(format!(
                        "{KEY_FILE_FIELD}: that file is {} bytes, too large for a qantar key file; \
                         choose the key file itself",
                        bytes.len()
                    ));
                }
                if !bytes.is_empty() {
                    secret.key_file = Some(Zeroizing::new(Vec::from(bytes)));
                }
            } else {
                let text = part.text().await.map_err(|e| e.body_text())?;
                form.0.push((name, text));
            }
        }
    } else {
        // `Vec::from` keeps the body's own buffer when nothing else holds
        // it, so the bytes with the passphrase are the ones wiped.
        let raw = Zeroizing::new(Vec::from(body));
        form = Form::parse(&raw);
    }
    if let Some(i) = form.0.iter().position(|(k, _)| k == PASSPHRASE_FIELD) {
        let typed = Zeroizing::new(form.0.remove(i).1);
        secret.passphrase = Zeroizing::new(typed.nfc().collect());
    }
    Ok(Posted { form, secret })
}

/// The compartments this account holds a grant in, by name. None unless
/// the account is flagged as a handler, whatever the key tables say.
pub(crate) fn held(
    store: &Store,
    ctx_handler: bool,
    account: &str,
) -> Result<Vec<CompartmentInfo>, WebError> {
    if !ctx_handler {
        return Ok(Vec::new());
    }
    Ok(store
        .compartments()?
        .into_iter()
        .filter(|c| c.handlers.iter().any(|h| h == account))
        .collect())
}

/// The compartments the session's account holds a grant in.
pub(crate) async fn held_by(state: &AppState, ctx: &Ctx) -> Result<Vec<CompartmentInfo>, WebError> {
    let (handler, account) = (ctx.handler, ctx.session.account.clone());
    state.with_store(move |s| held(s, handler, &account)).await
}

/// The inputs a record form adds for a handler: the compartment to seal
/// confidential records into and the secret that opens it. Shown to
/// accounts that hold a grant only; used only for confidential records.
pub(crate) fn seal_fields(lang: Lang, held: &[CompartmentInfo], chosen: &str) -> String {
    if held.is_empty() {
        return String::new();
    }
    let mut h = format!(
        "<fieldset class=\"seal\"><legend>{}</legend><p>{}</p>\
         <p class=\"field\"><label for=\"seal-c\">{}</label><select id=\"seal-c\" name=\"{COMPARTMENT_FIELD}\">\
         <option value=\"\">—</option>",
        esc(&t(lang, "work-seal-legend")),
        esc(&t(lang, "work-seal-help")),
        esc(&t(lang, "work-seal-compartment")),
    );
    for c in held {
        let sel = if c.name == chosen { " selected" } else { "" };
        let _ = write!(
            h,
            "<option value=\"{n}\"{sel}>{n}</option>",
            n = esc(&c.name)
        );
    }
    h.push_str("</select></p>");
    h.push_str(&secret_inputs(lang));
    h.push_str("</fieldset>");
    h
}

/// Passphrase and key-file inputs. Both are offered because a handler's
/// grants may differ in kind; the grant says which one is read.
fn secret_inputs(lang: Lang) -> String {
    format!(
        "<p class=\"field\"><label for=\"seal-p\">{}</label>\
         <input id=\"seal-p\" name=\"{PASSPHRASE_FIELD}\" type=\"password\" autocomplete=\"off\"></p>\
         <p class=\"field\"><label for=\"seal-k\">{}</label>\
         <input id=\"seal-k\" name=\"{KEY_FILE_FIELD}\" type=\"file\"></p>",
        esc(&t(lang, "work-seal-passphrase")),
        esc(&t(lang, "work-seal-key-file")),
    )
}

// ------------------------------------------------------------- the list

async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::Sealed).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let (handler, account) = (ctx.handler, ctx.session.account.clone());
    let found = state
        .with_store(move |s| {
            let mine = held(s, handler, &account)?;
            let mut records = Vec::new();
            if !mine.is_empty() {
                let confidential = s.list(&Filter {
                    confidentiality: Some("confidential".into()),
                    include_retracted: true,
                    ..Filter::default()
                })?;
                for r in confidential.into_iter().filter(StoredRecord::is_sealed) {
                    if let Some(c) = s.sealed_compartment(&r.id)?
                        && mine.iter().any(|m| m.name == c)
                    {
                        records.push((r, c));
                    }
                }
            }
            Ok((mine, records))
        })
        .await;
    let (mine, records) = match found {
        Ok(x) => x,
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let mut body = String::new();
    if mine.is_empty() {
        let _ = write!(body, "<p>{}</p>", esc(&t(lang, "work-sealed-none")));
        let title = t(lang, "work-sealed");
        return respond(StatusCode::OK, lang, frame(lang, Some(&ctx), &title, &body));
    }
    let _ = write!(
        body,
        "<p>{}</p><h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&t(lang, "work-sealed-intro")),
        esc(&t(lang, "work-compartments")),
        esc(&t(lang, "work-compartment")),
        esc(&t(lang, "work-handlers")),
        esc(&t(lang, "work-sealed-count")),
    );
    for c in &mine {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.name),
            esc(&c.handlers.join(", ")),
            c.records
        );
    }
    body.push_str("</tbody></table>");
    let _ = write!(
        body,
        "<h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&t(lang, "work-sealed-records")),
        esc(&t(lang, "work-id")),
        esc(&t(lang, "work-kind")),
        esc(&t(lang, "work-compartment")),
        esc(&t(lang, "work-version")),
        esc(&t(lang, "work-created")),
        esc(&t(lang, "work-updated")),
    );
    for (r, c) in &records {
        let retracted = if r.retracted {
            format!(" <em>{}</em>", esc(&t(lang, "work-retracted")))
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"/workspace/sealed/{}\"><code>{}</code></a>{retracted}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            url_part(&r.id),
            esc(&r.id),
            esc(&r.kind),
            esc(c),
            r.version,
            esc(&r.created_at),
            esc(&r.updated_at),
        );
    }
    body.push_str("</tbody></table>");
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(&ctx), &t(lang, "work-sealed"), &body),
    )
}

// ------------------------------------------------------- one record

/// Where a request about one record leads, decided before any secret is
/// read.
/// What a request about one record may reach, decided before any secret
/// is looked at. Shared by the sealed pages and the evidence pages, so the
/// rule of who sees a sealed record is written once.
pub(crate) enum Target {
    /// A sealed record in a compartment the account holds a grant in.
    Mine {
        record: Box<StoredRecord>,
        compartment: String,
        key_file: bool,
    },
    /// A record in clear that the role may read.
    Clear(Box<StoredRecord>),
    /// Missing, or sealed outside the account's grants: one answer for both.
    Hidden,
}

fn target(
    store: &Store,
    ctx_handler: bool,
    account: &str,
    role_reads: impl Fn(&str) -> bool,
    id: &str,
) -> Result<Target, WebError> {
    let Some(record) = store.get(id)? else {
        return Ok(Target::Hidden);
    };
    let compartment = match store.sealed_compartment(&record.id) {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Ok(Target::Hidden),
        Err(e) => return Err(e.into()),
    };
    let Some(compartment) = compartment else {
        return Ok(
            if role_reads(&record.confidentiality) && !record.is_sealed() {
                Target::Clear(Box::new(record))
            } else {
                Target::Hidden
            },
        );
    };
    if !ctx_handler {
        return Ok(Target::Hidden);
    }
    match store.grant_kek_spec(&compartment, account) {
        Ok(spec) => Ok(Target::Mine {
            record: Box::new(record),
            compartment,
            key_file: matches!(spec, KekSpec::KeyFile { .. }),
        }),
        Err(StoreError::NoGrant { .. }) => Ok(Target::Hidden),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn target_of(state: &AppState, ctx: &Ctx, id: &str) -> Result<Target, WebError> {
    let (handler, account, role, id) = (
        ctx.handler,
        ctx.session.account.clone(),
        ctx.session.role,
        id.to_string(),
    );
    state
        .with_store(move |s| target(s, handler, &account, |c| role.can_read(c), &id))
        .await
}

/// Facts the projection shows of a sealed record (nothing of its content).
fn facts(lang: Lang, r: &StoredRecord, compartment: &str) -> String {
    let mut h = String::from("<dl>");
    for (key, value) in [
        ("work-id", r.id.clone()),
        ("work-kind", r.kind.clone()),
        ("work-compartment", compartment.to_string()),
        ("work-version", r.version.to_string()),
        ("work-created", r.created_at.clone()),
        ("work-updated", r.updated_at.clone()),
    ] {
        let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(&t(lang, key)), esc(&value));
    }
    h.push_str("</dl>");
    h
}

fn open_page(
    ctx: &Ctx,
    r: &StoredRecord,
    compartment: &str,
    key_file: bool,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let lang = ctx.lang;
    let mut body = facts(lang, r, compartment);
    if let Some(e) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(e));
    }
    let input = if key_file {
        format!(
            "<p class=\"field\"><label for=\"seal-k\">{}</label>\
             <input id=\"seal-k\" name=\"{KEY_FILE_FIELD}\" type=\"file\" required></p>",
            esc(&t(lang, "work-seal-key-file"))
        )
    } else {
        format!(
            "<p class=\"field\"><label for=\"seal-p\">{}</label>\
             <input id=\"seal-p\" name=\"{PASSPHRASE_FIELD}\" type=\"password\" autocomplete=\"off\" required></p>",
            esc(&t(lang, "work-seal-passphrase"))
        )
    };
    let _ = write!(
        body,
        "<p>{}</p><form method=\"post\" action=\"/workspace/sealed/{}/open\" enctype=\"multipart/form-data\" class=\"record\">\
         {}{input}<p><button type=\"submit\">{}</button></p></form>",
        esc(&t(lang, "work-unseal-warning")),
        url_part(&r.id),
        hidden_csrf(&ctx.csrf),
        esc(&t(lang, "work-unseal")),
    );
    respond(
        status,
        lang,
        frame(lang, Some(ctx), &t(lang, "work-sealed-record"), &body),
    )
}

async fn open_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::GET, Route::SealedForm).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match target_of(&state, &ctx, &id).await {
        Ok(Target::Mine {
            record,
            compartment,
            key_file,
        }) => open_page(&ctx, &record, &compartment, key_file, None, StatusCode::OK),
        Ok(Target::Clear(r)) => {
            Redirect::to(&format!("/workspace/records/{}", url_part(&r.id))).into_response()
        }
        Ok(Target::Hidden) => not_found(&ctx),
        Err(e) => failure(Some(&ctx), ctx.lang, &e),
    }
}

async fn open(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    connect: Option<axum::extract::Extension<ConnectInfo<std::net::SocketAddr>>>,
    body: Bytes,
) -> Response {
    let ctx = match guard(&state, &headers, &Method::POST, Route::SealedOpen).await {
        Ok(c) => c,
        Err(r) => {
            let form = format!("/workspace/sealed/{}", url_part(&id));
            return back_after_reauth(&state, &headers, Route::SealedOpen, &form)
                .await
                .unwrap_or(r);
        }
    };
    let lang = ctx.lang;
    let posted = match read_posted(&headers, body).await {
        Ok(p) => p,
        // Malformed bodies get the same refusal as a missing token.
        Err(_) => {
            return refuse_post(&headers, &Form::default(), "", lang)
                .unwrap_or_else(|| not_found(&ctx));
        }
    };
    if let Some(r) = refuse_post(&headers, &posted.form, &ctx.csrf, lang) {
        return r;
    }
    let (record, compartment, key_file) = match target_of(&state, &ctx, &id).await {
        Ok(Target::Mine {
            record,
            compartment,
            key_file,
        }) => (record, compartment, key_file),
        Ok(Target::Clear(r)) => {
            return Redirect::to(&format!("/workspace/records/{}", url_part(&r.id)))
                .into_response();
        }
        Ok(Target::Hidden) => return not_found(&ctx),
        Err(e) => return failure(Some(&ctx), lang, &e),
    };
    let address = address_of(connect);
    let account = ctx.session.account.clone();
    if !state.inner.limits.allows(&limit_key(&account), &address) {
        let why = t(lang, "work-unseal-limited");
        return open_page(
            &ctx,
            &record,
            &compartment,
            key_file,
            Some(&why),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let secret = posted.secret;
    let (rid, c2, reader) = (record.id.clone(), compartment.clone(), account.clone());
    let opened = state
        .with_archive(move |a| {
            let keys = match unlock(&a.store, &c2, &reader, &secret) {
                Ok(k) => k,
                Err(UnlockError::Store(e)) => return Err(e.into()),
                Err(refused) => return Ok(Err(refused)),
            };
            let stamp = Stamp {
                author: reader.clone(),
                time: now_rfc3339(),
            };
            // `get_unsealed` appends the audit entry before it returns the
            // plaintext; `keys` is wiped when this closure ends.
            Ok(Ok(a.get_unsealed(&rid, &keys, &reader, &stamp)?))
        })
        .await;
    match opened {
        Ok(Ok(clear)) => clear_page(&ctx, &clear, &compartment),
        Ok(Err(refused)) => {
            if refused.is_guess() {
                note_guess(&state, &account, &address);
            }
            let why = refusal_text(lang, &refused, &compartment);
            open_page(
                &ctx,
                &record,
                &compartment,
                key_file,
                Some(&why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => failure(Some(&ctx), lang, &e),
    }
}

/// A live session that only needs its password again is sent to give it
/// and then back to the form (what it typed there is dropped unread),
/// rather than shown a bare refusal.
/// `route` is the POST that was refused, `form` the page to come back to.
pub(crate) async fn back_after_reauth(
    state: &AppState,
    headers: &HeaderMap,
    route: Route,
    form: &str,
) -> Option<Response> {
    let (found, _) = crate::work::found_of(state, headers).await?;
    let stale = found.stage == crate::auth::Stage::Full
        && crate::policy::allowed(route, Some(found.session.role))
        && !state.accounts().is_recent(found.fresh);
    stale.then(|| Redirect::to(&crate::security::reauth_url(form)).into_response())
}

/// What the open page says when the grant did not open.
fn refusal_text(lang: Lang, e: &UnlockError, compartment: &str) -> String {
    let key = match e {
        UnlockError::NoGrant | UnlockError::Store(_) => return t(lang, "work-no-record"),
        UnlockError::WrongSecret(_) => "work-unseal-wrong",
        UnlockError::NeedPassphrase(_) => "work-unseal-need-passphrase",
        UnlockError::NeedKeyFile(_) => "work-unseal-need-key-file",
        UnlockError::BadKeyFile(_) => "work-unseal-bad-key-file",
    };
    ta(lang, key, &[("compartment", Arg::Str(compartment))])
}

/// The record in clear. Built for this response only: nothing here is
/// cached, logged or kept, and the response says `no-store`.
fn clear_page(ctx: &Ctx, r: &StoredRecord, compartment: &str) -> Response {
    let lang = ctx.lang;
    let mut body = format!(
        "<p class=\"notice\" role=\"status\">{}</p>",
        esc(&t(lang, "work-unsealed-audited"))
    );
    body.push_str(&facts(lang, r, compartment));
    if let Some(reference) = &r.r#ref {
        let _ = write!(
            body,
            "<p>{} <code>{}</code></p>",
            esc(&t(lang, "field-ref")),
            esc(reference)
        );
    }
    let pretty = serde_json::to_string_pretty(&r.data).unwrap_or_default();
    let _ = write!(
        body,
        "<pre class=\"code\" id=\"unsealed\">{}</pre><p><a href=\"/workspace/sealed\">{}</a></p>",
        esc(&pretty),
        esc(&t(lang, "work-sealed-back")),
    );
    respond(
        StatusCode::OK,
        lang,
        frame(lang, Some(ctx), &r.label, &body),
    )
}

/// Failed unseals are counted apart from failed logins for the account
/// (a mistyped passphrase should not lock the password out), but share
/// the address's count.
fn limit_key(account: &str) -> String {
    format!("unseal:{account}")
}

pub(crate) fn address_of(
    connect: Option<axum::extract::Extension<ConnectInfo<std::net::SocketAddr>>>,
) -> String {
    connect
        .map(|c| c.0.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// Count a wrong secret like a failed login.
pub(crate) fn note_guess(state: &AppState, account: &str, address: &str) {
    state.inner.limits.failed(&limit_key(account), address);
}

/// How a wrong passphrase and a damaged key file are worded (see
/// [`UnlockError`]): the record forms count them as guesses by these.
const WRONG_SECRET: &str = "the passphrase or key file does not open";
const DAMAGED_KEY_FILE: &str = "the key file is damaged";

/// Whether a form error is a wrong secret, to count like a failed login.
pub(crate) fn is_guess(e: &qantar_store::InputError) -> bool {
    (e.field == PASSPHRASE_FIELD || e.field == KEY_FILE_FIELD)
        && (e.reason.starts_with(WRONG_SECRET) || e.reason.starts_with(DAMAGED_KEY_FILE))
}

/// The compartment a record form asks to seal into, with the secret that
/// opens the author's grant and the address to count a wrong one against.
/// `None` when the form names no compartment. An account that is not a
/// handler is told what one without a grant is told.
#[allow(clippy::type_complexity)]
pub(crate) fn seal_from(
    state: &AppState,
    ctx: &Ctx,
    form: &Form,
    secret: Secret,
    connect: Option<axum::extract::Extension<ConnectInfo<std::net::SocketAddr>>>,
) -> Result<Option<(crate::write::SealWith, String)>, Vec<qantar_store::InputError>> {
    let compartment = form.get(COMPARTMENT_FIELD).trim();
    if compartment.is_empty() {
        return Ok(None);
    }
    let refuse = |e: UnlockError| {
        vec![qantar_store::InputError {
            record: None,
            field: e.field().to_string(),
            reason: e.to_string(),
        }]
    };
    if !ctx.handler {
        return Err(refuse(UnlockError::NoGrant));
    }
    let address = address_of(connect);
    if !state
        .inner
        .limits
        .allows(&limit_key(&ctx.session.account), &address)
    {
        return Err(vec![qantar_store::InputError {
            record: None,
            field: PASSPHRASE_FIELD.into(),
            reason: t(ctx.lang, "work-unseal-limited"),
        }]);
    }
    Ok(Some((
        crate::write::SealWith {
            compartment: compartment.to_string(),
            secret,
        },
        address,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_are_told_apart_from_other_refusals() {
        let as_input = |e: UnlockError| qantar_store::InputError {
            record: None,
            field: e.field().to_string(),
            reason: e.to_string(),
        };
        assert!(is_guess(&as_input(UnlockError::WrongSecret("a".into()))));
        assert!(is_guess(&as_input(UnlockError::BadKeyFile("x".into()))));
        assert!(!is_guess(&as_input(UnlockError::NoGrant)));
        assert!(!is_guess(&as_input(UnlockError::NeedPassphrase(
            "a".into()
        ))));
        assert!(!is_guess(&as_input(UnlockError::NeedKeyFile("a".into()))));
    }
}
