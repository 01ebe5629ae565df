//! What an edit can fail with; `http/errors.rs` gives each its status.

use crate::rdf::ReadError;
use crate::store::StoreError;

/// Why a write was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The store failed, or refused the write (a stale version, an id in use...).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The body could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// No such record (or a draft the writer may not see).
    #[error("no {kind} with id {id:?} in this catalog")]
    NotFound {
        /// What was asked for (dataset, agent...).
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The record was withdrawn.
    #[error("the {kind} {id:?} was withdrawn from this catalog")]
    Gone {
        /// What was asked for.
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The writer's token does not cover the record's publishers.
    #[error("token {token:?} may only write {kind}s of its own publishers")]
    Refused {
        /// The token's name.
        token: String,
        /// What it tried to write.
        kind: &'static str,
    },
    /// The write contradicts the record's state.
    #[error("{0}")]
    Conflict(String),
    /// The body or the parameters do not make a write.
    #[error("{0}")]
    BadRequest(String),
    /// A change without the version it changes (`If-Match`).
    #[error(
        "send If-Match with the ETag of the record as you last read it, so that nobody's change is overwritten"
    )]
    VersionRequired,
    /// The version given is not the current one.
    #[error(
        "the record changed since you read it (If-Match {given}); read it again and redo your change"
    )]
    VersionStale {
        /// The tag given.
        given: String,
    },
    /// The record breaks the application profile.
    #[error("the record does not conform to the application profile")]
    NonConformant(crate::validate::Report),
    /// The validator could not run (a defect in the profile or the engine).
    #[error("validation failure")]
    Validation(#[source] crate::validate::ValidateError),
}
