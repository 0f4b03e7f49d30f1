//! Who may do what: one table of route × role, and which routes need the
//! password (and second factor) given again within the last few minutes.
//!
//! Every handler of the workspace and of the API's writes asks
//! [`allowed`] before doing anything, and the test `tests/policy.rs` sends
//! a real request for every cell of [`POLICY`], anonymous visitors
//! included. Record-level rules (a viewer does not see confidential
//! records) come on top, in [`crate::auth::Role::can_read`], and are answered
//! as "not found"; so are sealed records outside the account's grants
//! ([`crate::sealed_view`]), whatever its role.

use crate::auth::Role;

/// A group of routes that share one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// The public site (`/`, `/{lang}/…`).
    PublicSite,
    /// `GET /api/v1/…`.
    PublicApi,
    /// `GET/POST /workspace/login`, the code step `/workspace/login/code`,
    /// `POST /workspace/logout`.
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
    /// `POST /workspace/records/{id}/redact`: append the record's public
    /// version, its identifying fields dropped.
    Redact,
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
    /// `GET /workspace/register`.
    Register,
    /// `GET /workspace/register/overlaps.json`: an export of the register's
    /// list overlaps, so it needs recent authentication.
    RegisterExport,
    /// `GET/POST /workspace/totp`: enrol a second factor (where every
    /// administrator and handler is sent until they have one).
    SecondFactor,
    /// `GET/POST /workspace/reauth`: give the password (and code) again
    /// before a route that needs recent authentication.
    Reauth,
    /// `GET/POST /workspace/lock`: end every session and revoke every API
    /// token at once.
    Lock,
    /// `POST /api/v1/records`, `PATCH /api/v1/records/{id}`,
    /// `POST /api/v1/records/{id}/retract` with a bearer token.
    ApiWrite,
    /// `GET /workspace/sealed`: the compartments the account holds a grant
    /// in and the sealed records in them (never their content).
    Sealed,
    /// `GET /workspace/sealed/{id}`: the form that asks the handler's
    /// passphrase or key file to open one sealed record.
    SealedForm,
    /// `POST /workspace/sealed/{id}/open`: unseal one record (an
    /// `audit.unsealed` ledger entry) and show it in clear.
    SealedOpen,
    /// `POST /workspace/records/{id}/evidence`: attach a file. A sealed
    /// record also needs a grant in its compartment and recent
    /// authentication (checked by [`crate::evidence_view`], since records
    /// in clear do not).
    EvidenceAdd,
    /// `GET /workspace/records/{id}/evidence/{n}`: the original of a file
    /// of a record in clear; for a sealed record, the form that asks the
    /// handler's passphrase or key file (after recent authentication).
    EvidenceOriginal,
    /// `POST /workspace/records/{id}/evidence/{n}`: open a sealed file (an
    /// `audit.file_opened` ledger entry) and send it as a download.
    EvidenceOpen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Allow,
    Deny,
}

/// What a route asks of an allowed session beyond its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// A live session is enough.
    Session,
    /// The password (and code, when enrolled) given within
    /// [`crate::auth::RECENT_AUTH_SECONDS`]: exports and unsealing.
    Recent,
}

use Access::{Allow as A, Deny as D};
use Auth::{Recent as R, Session as S};

/// The principals, in the order of the table's columns.
pub const PRINCIPALS: [Option<Role>; 5] = [
    None,
    Some(Role::Viewer),
    Some(Role::Analyst),
    Some(Role::Editor),
    Some(Role::Admin),
];

/// Columns: anonymous, viewer, analyst, editor, admin; then what an
/// allowed session needs.
pub const POLICY: &[(Route, [Access; 5], Auth)] = &[
    (Route::PublicSite, [A, A, A, A, A], S),
    (Route::PublicApi, [A, A, A, A, A], S),
    (Route::Login, [A, A, A, A, A], S),
    (Route::Workspace, [D, A, A, A, A], S),
    (Route::RecordRead, [D, A, A, A, A], S),
    (Route::History, [D, A, A, A, A], S),
    (Route::LedgerStatus, [D, D, A, A, A], S),
    (Route::RecordCreate, [D, D, D, A, A], S),
    (Route::RecordEdit, [D, D, D, A, A], S),
    (Route::Confidentiality, [D, D, D, A, A], S),
    (Route::Retract, [D, D, D, A, A], S),
    (Route::Redact, [D, D, D, A, A], S),
    (Route::Accounts, [D, D, D, D, A], S),
    (Route::Tokens, [D, D, D, D, A], S),
    (Route::ApiRead, [D, A, A, A, A], S),
    // Analysts are the reviewers: they may judge pairs but, like viewers,
    // not create records of their own, so importing a list (which creates
    // list entries) is for editors, as the record forms are.
    (Route::Review, [D, A, A, A, A], S),
    (Route::ReviewDecide, [D, D, A, A, A], S),
    (Route::LinkRun, [D, D, D, A, A], S),
    (Route::Import, [D, D, D, A, A], S),
    (Route::Register, [D, A, A, A, A], S),
    (Route::RegisterExport, [D, A, A, A, A], R),
    (Route::SecondFactor, [D, A, A, A, A], S),
    (Route::Reauth, [D, A, A, A, A], S),
    // A panic button: no re-authentication to slow it down.
    (Route::Lock, [D, D, D, D, A], S),
    (Route::ApiWrite, [D, D, D, A, A], S),
    // Roles only let a session reach the sealed pages; what they show and
    // open is decided by the store's grants to the account of the same
    // name (flagged as a handler), which no role implies. Anything outside
    // the account's grants is answered as "not found"
    // (see `crate::sealed_view`). The form asks again too, so the
    // passphrase is typed only after the password.
    (Route::Sealed, [D, A, A, A, A], S),
    (Route::SealedForm, [D, A, A, A, A], R),
    (Route::SealedOpen, [D, A, A, A, A], R),
    // Attaching adds to the record, as editing does. Reading an original
    // follows the record: whoever reads the record reads its files, and
    // sealed files only with a grant, as sealed records.
    (Route::EvidenceAdd, [D, D, D, A, A], S),
    (Route::EvidenceOriginal, [D, A, A, A, A], S),
    (Route::EvidenceOpen, [D, A, A, A, A], R),
];

fn column(who: Option<Role>) -> usize {
    PRINCIPALS.iter().position(|p| *p == who).unwrap_or(0)
}

/// The table's answer; a route missing from the table is denied.
pub fn access(route: Route, who: Option<Role>) -> Access {
    POLICY
        .iter()
        .find(|(r, _, _)| *r == route)
        .map(|(_, row, _)| row[column(who)])
        .unwrap_or(Access::Deny)
}

pub fn allowed(route: Route, who: Option<Role>) -> bool {
    access(route, who) == Access::Allow
}

/// Whether an allowed session must have authenticated recently to use
/// `route`; routes missing from the table are denied anyway.
pub fn needs_recent_auth(route: Route) -> bool {
    POLICY
        .iter()
        .find(|(r, _, _)| *r == route)
        .is_some_and(|(_, _, auth)| *auth == Auth::Recent)
}
