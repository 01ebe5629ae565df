//! The plain JSON model of a record or a distribution, as a writer reads it before a
//! change: with the version its ETag carries; a draft for its editors only.

use super::EditError;
use super::distribution::{distribution_iri, distribution_triples, not_found, topic_of};
use super::found::{Found, find, owns};
use crate::access::Principal;
use crate::model::{RecordId, RecordKind, ResourceKind};
use crate::store::{CatalogStore, RecordState};
use crate::store::{Lookups, Records};
use oxigraph::model::{Graph, Triple, TripleRef};

/// A JSON model and the version of the record it comes from.
pub struct Model {
    /// The model (an empty object when the record says nothing the model has a key for).
    pub json: serde_json::Value,
    /// The record's version, for the ETag.
    pub version: i64,
    /// Whether the record is a draft (not for shared caches).
    pub draft: bool,
}

/// The model of the record `id` of `kind`: `None` when there is no such record (the
/// caller tells a withdrawn one from one that never was); not found for a draft `who`
/// (anonymous when `None`) may not write.
pub fn record_model(
    store: &CatalogStore,
    who: Option<&Principal>,
    kind: RecordKind,
    id: &RecordId,
) -> Result<Option<Model>, EditError> {
    let (topic, quads, version, draft) =
        if let Some(description) = store.describe(kind.resource_kind(), id)? {
            let version = description.version.unwrap_or(0);
            (description.topic, description.quads, version, false)
        } else if let Some((current, quads)) = store.draft(kind, id)? {
            if !who.is_some_and(|w| owns(w, &current.owners)) {
                return Err(EditError::NotFound {
                    kind: kind.resource_kind().label(),
                    id: id.as_str().to_owned(),
                });
            }
            (current.topic, quads, current.version, true)
        } else {
            return Ok(None);
        };
    let graph: Graph = quads.iter().map(|q| TripleRef::from(q.as_ref())).collect();
    let json = crate::model::json::model_of(kind.resource_kind(), &graph, topic.as_ref().into())
        .unwrap_or_default();
    Ok(Some(Model {
        json,
        version,
        draft,
    }))
}

/// The model of the distribution `id`, with its dataset's version: anonymous readers see
/// published datasets' only, writers their drafts' too.
pub fn distribution_model(
    store: &CatalogStore,
    who: Option<&Principal>,
    id: &str,
) -> Result<Model, EditError> {
    let iri = distribution_iri(store, id)?;
    let dataset = store
        .dataset_of_distribution(&iri)?
        .ok_or_else(|| not_found(id))?;
    let found = match who {
        Some(who) => find(store, who, RecordKind::Dataset, dataset.as_str())?,
        None => match store.record_state(RecordKind::Dataset, &dataset)? {
            RecordState::Live(current) => Found {
                id: dataset,
                current,
                draft: false,
                embargo: None,
            },
            _ => return Err(not_found(id)),
        },
    };
    let own = store.own_triples(&found.id)?;
    let topic = topic_of(&found);
    let mine: Graph = distribution_triples(&own, iri.as_ref().into(), topic.as_ref())
        .iter()
        .map(Triple::as_ref)
        .collect();
    let json = crate::model::json::model_of(ResourceKind::Distribution, &mine, iri.as_ref().into())
        .unwrap_or_default();
    Ok(Model {
        json,
        version: found.current.version,
        draft: found.draft,
    })
}
