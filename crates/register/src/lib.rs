//! The register of persons: who is who across the lists an archive holds.
//!
//! Researchers import lists of the dead, the injured and the detained (each
//! row a `list_entry` record citing its list, a `source`), and documenters
//! record persons from testimony. This crate runs record linkage
//! (`qantar-link`) over all of them, lets reviewers' `link_decision` records
//! override the model, and keeps the outcome in the store. From it come the
//! register (each person with the lists that name them) and the list-overlap
//! tables that multiple systems estimation needs, by stratum.
//!
//! "Link, don't delete": nothing is merged in the ledger. The register is a
//! derived view; the rows stay as their lists wrote them, and re-running the
//! linkage with the same data and seed gives the same register.
//!
//! Boundaries: reading and writing go through `qantar-store`; the matching
//! itself is `qantar-link`; this crate decides what is linked with what and
//! how decisions and strata apply. It does no file or network I/O of its own.

mod cluster;
pub mod import;
mod load;
mod overlaps;
mod places;
mod run;

pub use import::{ImportOptions, ImportReport, find_source, import, import_fields, import_sealed};
pub use load::{ARCHIVE_LIST, ListInfo};
pub use overlaps::{PeriodUnit, Stratifier, overlaps, overlaps_json};
pub use places::{PlaceBook, fold_place_name};
pub use run::{
    DecisionCounts, LinkSettings, LinkSummary, Member, REVIEW_BAND, Register, RegisterPerson,
    ReviewItem, link_archive, register, review_queue,
};

use qantar_store::StoreError;

/// What went wrong, and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Link(#[from] qantar_link::LinkError),
    #[error("this archive has not been linked yet: run `qantar link` first")]
    NotLinked,
    #[error(
        "the archive holds no list entries or victims to link: import a list with `qantar import`"
    )]
    Nothing,
    #[error("{0}")]
    Input(String),
}
