//! The write workflow, whoever asks for it: the API's handlers today, the publishing
//! forms, the harvester and the command line tomorrow. What a write does is decided by a
//! pure function ([`plan`]); the record a change is about is found as its writer may see
//! it ([`found`]); a body becomes a record ([`body`]); the checked write runs it
//! ([`write`]); a distribution's change is a change of its dataset ([`distribution`]).
//!
//! Everything here is synchronous store work: callers run it on a blocking thread.

mod body;
mod distribution;
mod editable;
mod error;
mod found;
mod mint;
mod models;
mod plan;
mod write;

pub use editable::Editable;
pub use error::EditError;
pub use found::{Found, checked_version, find, find_own, owns};
pub use models::{Model, distribution_model, record_model};
pub use plan::{Asked, Existing, Request, Status, plan};
pub use write::Written;

use crate::access::Principal;
use crate::store::{CatalogStore, Provenance};
use crate::validate::Validator;

/// What edits need: the store, and the profile's validator.
#[derive(Clone, Copy)]
pub struct Edits<'a> {
    /// Where records are read and written.
    pub store: &'a CatalogStore,
    /// The application profile's shapes.
    pub validator: &'a Validator,
}

/// Who writes, and how the history records it.
#[derive(Clone, Debug)]
pub struct Writer {
    /// The token's holder.
    pub who: Principal,
    /// The token's name and where the write came from.
    pub by: Provenance,
}

/// A body as it came: its bytes and its `Content-Type` (`""` without one).
#[derive(Clone, Copy)]
pub struct Incoming<'a> {
    /// The bytes.
    pub bytes: &'a [u8],
    /// The media type they are in.
    pub content_type: &'a str,
}
