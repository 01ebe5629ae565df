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

/// Whether `value` looks like an email address: something, `@`, a domain with a dot, and
/// nothing that could break out of a `mailto:` IRI or an attribute.
pub fn is_email(value: &str) -> bool {
    value
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && !value.contains(|c: char| c.is_whitespace() || "<>\"'".contains(c))
}
