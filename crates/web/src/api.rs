//! `/api/v1`: the JSON API. Anonymous answers come from the public
//! [`Snapshot`] only, exactly like the pages; errors are RFC 9457 problem
//! details. The OpenAPI document is generated from the annotations on these
//! handlers and the types they return, so it cannot drift from the code.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use qantar_model::{Body, Kind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::i18n::Lang;
use crate::pages::{Accountability, ClaimGroup, ClaimLine};

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
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/api/v1/problems/{kind}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: None,
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
    let matching: Vec<&qantar_model::Record> = snap
        .all()
        .filter(|r| kind.is_none_or(|k| r.kind() == k))
        .collect();
    let items = matching
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|r| r.to_json())
        .collect();
    Ok(Json(RecordList {
        total: matching.len() as u64,
        offset,
        limit,
        items,
    }))
}

#[utoipa::path(get, path = "/api/v1/records/{id}", tag = "public",
    params(("id" = String, Path, description = "A record's UUID or ref")),
    responses(
        (status = 200, description = "The public record", body = Object),
        (status = 404, description = "No public record has this id", body = Problem, content_type = "application/problem+json")
    ))]
pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
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

#[derive(OpenApi)]
#[openapi(
    info(
        title = "qantar public API",
        description = "Read-only access to the public records of a qantar archive. Anonymous answers hold only public, unretracted records; references to anything else are left out. Errors are RFC 9457 problem details."
    ),
    paths(index, records, record, person, numbers, accountability, openapi),
    components(schemas(
        Problem,
        RecordList,
        PersonProfile,
        ClaimGroup,
        ClaimLine,
        Accountability,
        Index
    ))
)]
pub struct ApiDoc;
