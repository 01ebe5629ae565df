//! What the catalog is made of: the IRIs we mint, vocabulary terms, and how a DCAT graph
//! splits into records (one named graph each).

pub mod diff;
mod ids;
pub mod json;
pub mod profile;
mod split;
pub mod time;
pub mod vocab;

pub use ids::{BaseIri, BaseIriError, RecordId, RecordIdError, ResourceKind, Variants, bare_doi};
pub use split::{
    RecordDraft, RecordKind, SplitOutcome, is_shared_class, owned_triples, root_kind,
    split_into_records,
};

/// Whether `value` is an absolute `http(s)` URL: never `javascript:` or `data:`, which a
/// page would turn into a link that runs.
pub fn is_web_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && oxigraph::model::NamedNode::new(value).is_ok()
}

/// Whether `value` looks like an email address: something, `@`, a domain with a dot, and
/// nothing that could break out of a `mailto:` IRI or an attribute.
pub fn is_email(value: &str) -> bool {
    value
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && !value.contains(|c: char| c.is_whitespace() || "<>\"'".contains(c))
}
