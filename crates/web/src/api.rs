//! `/api/v1`: the JSON API. Anonymous answers come from the public
//! [`Snapshot`] only, exactly like the pages; errors are RFC 9457 problem
//! details. The OpenAPI document is generated from the annotations on these
//! handlers and the types they return, so it cannot drift from the code.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qantar_model::{Body, Kind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::auth::Session;
use crate::i18n::Lang;
use crate::pages::{Accountability, ClaimGroup, ClaimLine};
use crate::policy::{Route, allowed};
use crate::write::WriteError;

/// An RFC 9457 problem details object (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For refused input: every field at fault (nothing was written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
}

/// One reason an input was refused, as the CLI and the forms report it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// Which input record, e.g. `records[3] (p-ermek)`; absent for a single record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The field path, e.g. `names[0].value` or `sources`.
    pub field: String,
    pub reason: String,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/api/v1/problems/{kind}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: None,
            errors: None,
        }
    }

    pub fn not_found(what: &str) -> Problem {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!(
                "there is no public {what}; check the id, or list what exists at /api/v1/records"
            ),
        )
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the archive could not be read; the operator's log has the cause, try again later",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// Query of `GET /api/v1/records`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only records of this kind: person, event, act, place, source, claim,
    /// proceeding or relationship.
    pub kind: Option<String>,
    /// At most this many items (1–1000, default 100).
    pub limit: Option<u64>,
    /// Skip this many items first.
    pub offset: Option<u64>,
}

/// A page of public records.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordList {
    /// How many public records match, across all pages.
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    /// Records in the JSON shape of `docs/record-format.md`, references
    /// resolved to UUIDs; references to records that are not public are
    /// left out, and documenters' notes are never included.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

/// A person with what the public record says happened to them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonProfile {
    #[schema(value_type = Object)]
    pub person: Value,
    /// The person's name in each interface language's script.
    pub display_names: BTreeMap<String, String>,
    #[schema(value_type = Vec<Object>)]
    pub acts: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub proceedings: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub relationships: Vec<Value>,
}

/// The API's entry point: what it offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Index {
    pub name: String,
    pub openapi: String,
    pub records: String,
    pub numbers: String,
    pub accountability: String,
}

#[utoipa::path(get, path = "/api/v1", tag = "public",
    responses((status = 200, description = "What the API offers", body = Index)))]
pub async fn index() -> Json<Index> {
    Json(Index {
        name: "qantar public API".into(),
        openapi: "/api/v1/openapi.json".into(),
        records: "/api/v1/records".into(),
        numbers: "/api/v1/numbers".into(),
        accountability: "/api/v1/accountability".into(),
    })
}

#[utoipa::path(get, path = "/api/v1/records", tag = "public", params(ListQuery),
    responses(
        (status = 200, description = "Public records in display order", body = RecordList),
        (status = 400, description = "A query parameter is malformed", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn records(
    State(state): State<AppState>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<RecordList>, Problem> {
    let Query(q) = q.map_err(|e| {
        Problem::bad_request(format!(
            "{}; use ?kind=person&limit=100&offset=0",
            e.body_text()
        ))
    })?;
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(k.parse::<Kind>().map_err(|_| {
            Problem::bad_request(format!(
                "kind {k:?} is not a record kind; use one of person, event, act, place, source, claim, proceeding, relationship"
            ))
        })?),
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::bad_request(format!(
            "limit {limit} is out of range; use 1 to 1000"
        )));
    }
    let offset = q.offset.unwrap_or(0);
    let snap = state.snapshot().await.map_err(|_| Problem::internal())?;
    let (total, page) = snap.page(kind, offset as usize, limit as usize);
    Ok(Json(RecordList {
        total: total as u64,
        offset,
        limit,
        items: page.iter().map(|r| r.to_json()).collect(),
    }))
}

/// Query of `/api/v1/persons`: a page.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// At most this many items (1–1000, default 100).
    pub limit: Option<u64>,
    /// Skip this many items first.
    pub offset: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/persons", tag = "public", params(PageQuery),
    responses(
        (status = 200, description = "Public persons in display order", body = RecordList),
        (status = 400, description = "A query parameter is malformed", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn persons(
    state: State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<RecordList>, Problem> {
    let Query(q) =
        q.map_err(|e| Problem::bad_request(format!("{}; use ?limit=100&offset=0", e.body_text())))?;
    records(
        state,
        Ok(Query(ListQuery {
            kind: Some("person".into()),
            limit: q.limit,
            offset: q.offset,
        })),
    )
    .await
}

/// Query of `/api/v1/search`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words to find; names match across Cyrillic and Latin spellings.
    pub q: String,
}

/// What a search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    /// How many public records match every word.
    pub total: u64,
    /// The first matches (at most 200), persons first, in the JSON shape
    /// of `docs/record-format.md`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

#[utoipa::path(get, path = "/api/v1/search", tag = "public", params(SearchQuery),
    responses(
        (status = 200, description = "Public records matching every word of the query", body = SearchResult),
        (status = 400, description = "No query was given", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn search(
    State(state): State<AppState>,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<SearchResult>, Problem> {
    let Query(q) =
        q.map_err(|e| Problem::bad_request(format!("{}; use ?q=words", e.body_text())))?;
    let snap = state.snapshot().await.map_err(|_| Problem::internal())?;
    tokio::task::spawn_blocking(move || {
        let index = crate::search::index_of(&snap);
        let found = index.find(&snap, &q.q);
        SearchResult {
            total: found.total as u64,
            items: found.records.iter().map(|r| r.to_json()).collect(),
        }
    })
    .await
    .map(Json)
    .map_err(|_| Problem::internal())
}

#[utoipa::path(get, path = "/api/v1/records/{id}", tag = "public",
    params(("id" = String, Path, description = "A record's UUID or ref")),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "Without a token: the public record. With a token: the record as the archive holds it (any confidentiality the token's role may read, retracted or not), with its id, kind, ref, confidentiality, version, retraction and `data`", body = Object),
        (status = 401, description = "A token was given but is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No record has this id that the caller may read", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, Problem> {
    if headers.contains_key(header::AUTHORIZATION) {
        let who = bearer(&state, &headers, Route::ApiRead).await?;
        let found = state
            .stored(&id)
            .await
            .map_err(|_| Problem::internal())?
            .filter(|r| who.role.can_read(&r.confidentiality));
        return match found {
            Some(r) => Ok(Json(
                serde_json::to_value(r).map_err(|_| Problem::internal())?,
            )),
            None => Err(Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                format!("there is no record {id:?} that this token may read; check the id or ref"),
            )),
        };
    }
    let snap = state.snapshot().await.map_err(|_| Problem::internal())?;
    snap.get(&id)
        .map(|r| Json(r.to_json()))
        .ok_or_else(|| Problem::not_found(&format!("record {id:?}")))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "public",
    params(("id" = String, Path, description = "A person's UUID or ref")),
    responses(
        (status = 200, description = "The person's public profile", body = PersonProfile),
        (status = 404, description = "No public person has this id", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn person(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PersonProfile>, Problem> {
    let snap = state.snapshot().await.map_err(|_| Problem::internal())?;
    let Some(r) = snap.get(&id).filter(|r| r.kind() == Kind::Person) else {
        return Err(Problem::not_found(&format!("person {id:?}")));
    };
    let Body::Person(p) = &r.body else {
        return Err(Problem::not_found(&format!("person {id:?}")));
    };
    let pid = r.id.to_string();
    let acts: Vec<&qantar_model::Record> = snap
        .of_kind(Kind::Act)
        .filter(|a| matches!(&a.body, Body::Act(x) if x.victim == pid))
        .collect();
    let act_ids: std::collections::HashSet<String> =
        acts.iter().map(|a| a.id.to_string()).collect();
    let proceedings = snap
        .of_kind(Kind::Proceeding)
        .filter(|x| match &x.body {
            Body::Proceeding(pr) => {
                pr.persons.iter().any(|pp| pp.person == pid)
                    || pr.acts.iter().any(|a| act_ids.contains(a))
            }
            _ => false,
        })
        .map(|x| x.to_json())
        .collect();
    let relationships = snap
        .of_kind(Kind::Relationship)
        .filter(|x| match &x.body {
            Body::Relationship(rel) => rel.from == pid || rel.to.as_deref() == Some(&pid),
            _ => false,
        })
        .map(|x| x.to_json())
        .collect();
    Ok(Json(PersonProfile {
        person: r.to_json(),
        display_names: Lang::ALL
            .iter()
            .map(|l| (l.code().to_string(), crate::html::person_name(*l, p)))
            .collect(),
        acts: acts.iter().map(|a| a.to_json()).collect(),
        proceedings,
        relationships,
    }))
}

#[utoipa::path(get, path = "/api/v1/numbers", tag = "public",
    responses((status = 200, description = "Every public count claim, grouped by metric and place, with the range and the register's documented count", body = Vec<ClaimGroup>)))]
pub async fn numbers(State(state): State<AppState>) -> Result<Json<Vec<ClaimGroup>>, Problem> {
    let snap = state.snapshot().await.map_err(|_| Problem::internal())?;
    Ok(Json(crate::pages::claim_groups(Lang::En, &snap)))
}

#[utoipa::path(get, path = "/api/v1/accountability", tag = "public",
    responses((status = 200, description = "Complaints, cases and their outcomes, from public proceedings", body = Accountability)))]
pub async fn accountability(
    State(state): State<AppState>,
) -> Result<Json<Accountability>, Problem> {
    let snap = state.snapshot().await.map_err(|_| Problem::internal())?;
    Ok(Json(crate::pages::accountability_figures(&snap)))
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "public",
    responses((status = 200, description = "This document", content_type = "application/json")))]
pub async fn openapi() -> Response {
    match ApiDoc::openapi().to_pretty_json() {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(_) => Problem::internal().into_response(),
    }
}

/// Anything else under `/api/`.
pub async fn api_not_found(uri: axum::http::Uri) -> Problem {
    let mut p = Problem::new(
        StatusCode::NOT_FOUND,
        "no-such-route",
        "No such route",
        "this API has no such route; the routes are listed in /api/v1/openapi.json",
    );
    p.instance = Some(uri.path().to_string());
    p
}

/// Who a bearer token belongs to, and whether the policy lets them write.
async fn writer(state: &AppState, headers: &HeaderMap) -> Result<Session, Problem> {
    bearer(state, headers, Route::ApiWrite).await
}

/// Who a bearer token belongs to, and whether the policy lets them use `route`.
async fn bearer(state: &AppState, headers: &HeaderMap, route: Route) -> Result<Session, Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .map(str::to_string);
    let found = match token {
        Some(t) => {
            let accounts = state.accounts().clone();
            AppState::blocking(move || Ok(accounts.token(&t)?))
                .await
                .map_err(|_| Problem::internal())?
        }
        None => None,
    };
    match found {
        Some(s) if allowed(route, Some(s.role)) => Ok(s),
        Some(s) => Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            format!(
                "the token's account has the role {}, which may not do this; ask an administrator for an editor's token",
                s.role.as_str()
            ),
        )),
        None => Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            "this needs `Authorization: Bearer <token>` with a valid token; an administrator creates tokens on /workspace/accounts or with the CLI",
        )),
    }
}

fn write_problem(e: WriteError, what: &str) -> Problem {
    match e {
        WriteError::Input(errs) => {
            let mut p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-input",
                "Invalid input",
                format!(
                    "{} problem(s) in the input; nothing was written. Fix the fields listed in `errors` and send it again",
                    errs.0.len()
                ),
            );
            p.errors = Some(
                errs.0
                    .into_iter()
                    .map(|e| FieldProblem {
                        record: e.record,
                        field: e.field,
                        reason: e.reason,
                    })
                    .collect(),
            );
            p
        }
        WriteError::NotFound(id) => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!("there is no {what} {id:?}; check the id or ref"),
        ),
        WriteError::Failed(why) => {
            eprintln!("qantar-web: API write failed: {why}");
            Problem::internal()
        }
    }
}

/// The body as JSON, or the problem to answer with.
fn body_json(bytes: &[u8]) -> Result<Value, Box<Problem>> {
    serde_json::from_slice(bytes).map_err(|e| {
        Box::new(Problem::bad_request(format!(
            "the body is not JSON ({e}); send a JSON document with Content-Type: application/json"
        )))
    })
}

/// What `POST /api/v1/records` recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// The new records' UUIDs, in input order.
    pub recorded: Vec<String>,
}

/// What `PATCH` and `retract` changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Changed {
    pub id: String,
}

/// The body of `POST /api/v1/records/{id}/retract`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RetractBody {
    /// Why the record is withdrawn (required).
    pub reason: String,
}

/// Query of `PATCH /api/v1/records/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AmendQuery {
    /// Why the record is corrected; kept in its history.
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/records", tag = "write",
    request_body(content = Object, description = "One record (docs/record-format.md), a list of records, or {\"records\": [...]}; records may reference each other by `ref`", content_type = "application/json"),
    security(("token" = [])),
    responses(
        (status = 201, description = "Recorded, in one ledger append", body = Recorded),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not write", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, with every field at fault; nothing was written", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let who = match writer(&state, &headers).await {
        Ok(w) => w,
        Err(p) => return p.into_response(),
    };
    let records = match body_json(&body) {
        Ok(Value::Array(a)) => a,
        Ok(Value::Object(mut o))
            if o.len() == 1 && o.get("records").is_some_and(Value::is_array) =>
        {
            match o.remove("records") {
                Some(Value::Array(a)) => a,
                _ => vec![],
            }
        }
        Ok(other) => vec![other],
        Err(p) => return p.into_response(),
    };
    if records.is_empty() {
        return Problem::bad_request("no records given; send one record object or a list of them")
            .into_response();
    }
    match state.record(records, &who.account).await {
        Ok(ids) => (StatusCode::CREATED, Json(Recorded { recorded: ids })).into_response(),
        Err(e) => write_problem(e, "record").into_response(),
    }
}

#[utoipa::path(patch, path = "/api/v1/records/{id}", tag = "write",
    params(("id" = String, Path, description = "A record's UUID or ref"), AmendQuery),
    request_body(content = Object, description = "A JSON merge patch (RFC 7386) over the record's current JSON; `null` removes a field; kind and id cannot change", content_type = "application/merge-patch+json"),
    security(("token" = [])),
    responses(
        (status = 200, description = "Amended", body = Changed),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record (or one the token may not see)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, with every field at fault; nothing was written", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn amend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<AmendQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let who = match writer(&state, &headers).await {
        Ok(w) => w,
        Err(p) => return p.into_response(),
    };
    let reason = q
        .ok()
        .and_then(|Query(q)| q.reason)
        .filter(|r| !r.trim().is_empty());
    let patch = match body_json(&body) {
        Ok(p) => p,
        Err(p) => return p.into_response(),
    };
    let role = who.role;
    match state
        .amend(&id, patch, reason, &who.account, move |c| role.can_read(c))
        .await
    {
        Ok(id) => Json(Changed { id }).into_response(),
        Err(e) => write_problem(e, "record").into_response(),
    }
}

#[utoipa::path(post, path = "/api/v1/records/{id}/retract", tag = "write",
    params(("id" = String, Path, description = "A record's UUID or ref")),
    request_body(content = RetractBody, content_type = "application/json"),
    security(("token" = [])),
    responses(
        (status = 200, description = "Retracted; the record stays in the ledger, marked retracted", body = Changed),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record (or one the token may not see)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused (no reason, or already retracted)", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn retract(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let who = match writer(&state, &headers).await {
        Ok(w) => w,
        Err(p) => return p.into_response(),
    };
    let reason = match body_json(&body) {
        Ok(v) => v
            .get("reason")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        Err(p) => return p.into_response(),
    };
    let role = who.role;
    match state
        .retract(&id, &reason, &who.account, move |c| role.can_read(c))
        .await
    {
        Ok(id) => Json(Changed { id }).into_response(),
        Err(e) => write_problem(e, "record").into_response(),
    }
}

struct TokenScheme;

impl utoipa::Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`qtk_…`) created by an administrator on /workspace/accounts or with the CLI",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "qantar API",
        description = "Public records of a qantar archive, and writes for documenters. Anonymous answers hold only public, unretracted records; references to anything else are left out. Writes take `Authorization: Bearer <token>`, go through the same checks as the CLI and the workspace's forms, and are refused whole, field by field, when any check fails. Errors are RFC 9457 problem details."
    ),
    paths(index, records, persons, record, person, numbers, accountability, search, openapi, create, amend, retract),
    modifiers(&TokenScheme),
    components(schemas(
        Problem,
        FieldProblem,
        Recorded,
        Changed,
        RetractBody,
        RecordList,
        PersonProfile,
        ClaimGroup,
        ClaimLine,
        Accountability,
        SearchResult,
        Index
    ))
)]
pub struct ApiDoc;
