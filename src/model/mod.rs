//! What the catalog is made of: the IRIs we mint, vocabulary terms, and how a DCAT graph
//! splits into records (one named graph each).

pub mod diff;
mod ids;
pub mod json;
mod split;
pub mod time;
pub mod vocab;

pub use ids::{BaseIri, BaseIriError, RecordId, RecordIdError, ResourceKind, Variants, bare_doi};
pub use split::{RecordDraft, RecordKind, SplitOutcome, owned_triples, split_into_records};
