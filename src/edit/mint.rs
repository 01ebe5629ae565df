//! IRIs for distributions sent as blank nodes: `{dataset}-{title}`, lower case, without
//! accents, with `-2`, `-3`… when taken (used by the distribution API and by datasets
//! written as the JSON model).

use super::EditError;
use crate::model::vocab::dct;
use crate::model::{RecordId, ResourceKind};
use crate::store::{CatalogStore, Lookups};
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNodeRef, TermRef};

/// An IRI `{base}distributions/{slug}` for a blank-node distribution, from its title (else
/// its dataset's id), that nothing uses yet.
pub(super) fn mint(
    store: &CatalogStore,
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
    dataset: &RecordId,
) -> Result<NamedNode, EditError> {
    mint_besides(store, graph, node, (dataset, &[]))
}

/// [`mint`], also avoiding the IRIs `taken` by other distributions of the same body.
pub(super) fn mint_besides(
    store: &CatalogStore,
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
    (dataset, taken): (&RecordId, &[NamedNode]),
) -> Result<NamedNode, EditError> {
    let title = graph
        .objects_for_subject_predicate(node, dct::TITLE)
        .find_map(|o| match o {
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .map_or_else(
            || format!("{dataset}-distribution"),
            |title| format!("{dataset}-{title}"),
        );
    let preferred = RecordId::from_title(&title);
    let mut n = 1;
    loop {
        let iri = store
            .base()
            .resource(ResourceKind::Distribution, &preferred.with_suffix(n));
        if !taken.contains(&iri) && !store.iri_in_use(&iri)? {
            return Ok(iri);
        }
        n += 1;
    }
}
