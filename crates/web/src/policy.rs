//! Who may do what: one table of route × role.
//!
//! Every handler of the workspace and of the API's writes asks
//! [`allowed`] before doing anything, and the test `tests/policy.rs` sends
//! a real request for every cell of [`POLICY`], anonymous visitors
//! included. Record-level rules (a viewer does not see confidential
//! records) come on top, in [`crate::auth::Role::can_read`], and are answered
//! as "not found".

use crate::auth::Role;

/// A group of routes that share one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// The public site (`/`, `/{lang}/…`).
    PublicSite,
    /// `GET /api/v1/…`.
    PublicApi,
    /// `GET/POST /workspace/login`, `POST /workspace/logout`.
    Login,
    /// `GET /workspace/`: the list of records.
    Workspace,
    /// `GET /workspace/records/{id}`.
    RecordRead,
    /// `GET /workspace/records/{id}/history`.
    History,
    /// `GET /workspace/ledger`: size, checkpoint, verify.
    LedgerStatus,
    /// The record forms: `GET/POST /workspace/new/{form}`.
    RecordCreate,
    /// `GET/POST /workspace/records/{id}/edit` (a merge patch).
    RecordEdit,
    /// `POST /workspace/records/{id}/confidentiality`.
    Confidentiality,
    /// `POST /workspace/records/{id}/retract`.
    Retract,
    /// `GET/POST /workspace/accounts`.
    Accounts,
    /// `POST /workspace/tokens`.
    Tokens,
    /// `GET /api/v1/records/{id}` with a bearer token: the record as
    /// stored, whatever its confidentiality (within the role's reach).
    ApiRead,
    /// `GET /workspace/review`: the pairs waiting for a reviewer.
    Review,
    /// `POST /workspace/review/decide`: a `link_decision` record.
    ReviewDecide,
    /// `POST /workspace/link`: run the linkage over the archive.
    LinkRun,
    /// `GET/POST /workspace/import`, `POST /workspace/import/preview`:
    /// upload a list and import its rows as list entries.
    Import,
    /// `GET /workspace/register` and `/workspace/register/overlaps.json`.
    Register,
    /// `POST /api/v1/records`, `PATCH /api/v1/records/{id}`,
    /// `POST /api/v1/records/{id}/retract` with a bearer token.
    ApiWrite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Allow,
    Deny,
}

use Access::{Allow as A, Deny as D};

/// The principals, in the order of the table's columns.
pub const PRINCIPALS: [Option<Role>; 5] = [
    None,
    Some(Role::Viewer),
    Some(Role::Analyst),
    Some(Role::Editor),
    Some(Role::Admin),
];

/// Columns: anonymous, viewer, analyst, editor, admin.
pub const POLICY: &[(Route, [Access; 5])] = &[
    (Route::PublicSite, [A, A, A, A, A]),
    (Route::PublicApi, [A, A, A, A, A]),
    (Route::Login, [A, A, A, A, A]),
    (Route::Workspace, [D, A, A, A, A]),
    (Route::RecordRead, [D, A, A, A, A]),
    (Route::History, [D, A, A, A, A]),
    (Route::LedgerStatus, [D, D, A, A, A]),
    (Route::RecordCreate, [D, D, D, A, A]),
    (Route::RecordEdit, [D, D, D, A, A]),
    (Route::Confidentiality, [D, D, D, A, A]),
    (Route::Retract, [D, D, D, A, A]),
    (Route::Accounts, [D, D, D, D, A]),
    (Route::Tokens, [D, D, D, D, A]),
    (Route::ApiRead, [D, A, A, A, A]),
    // Analysts are the reviewers: they may judge pairs but, like viewers,
    // not create records of their own, so importing a list (which creates
    // list entries) is for editors, as the record forms are.
    (Route::Review, [D, A, A, A, A]),
    (Route::ReviewDecide, [D, D, A, A, A]),
    (Route::LinkRun, [D, D, D, A, A]),
    (Route::Import, [D, D, D, A, A]),
    (Route::Register, [D, A, A, A, A]),
    (Route::ApiWrite, [D, D, D, A, A]),
];

fn column(who: Option<Role>) -> usize {
    PRINCIPALS.iter().position(|p| *p == who).unwrap_or(0)
}

/// The table's answer; a route missing from the table is denied.
pub fn access(route: Route, who: Option<Role>) -> Access {
    POLICY
        .iter()
        .find(|(r, _)| *r == route)
        .map(|(_, row)| row[column(who)])
        .unwrap_or(Access::Deny)
}

pub fn allowed(route: Route, who: Option<Role>) -> bool {
    access(route, who) == Access::Allow
}
