//! Scoring one dataset: its description assessed as the MQA does, with whether it meets
//! its shapes taken from what is already known of its version (the board's last score,
//! the write that stored it) before it is validated, the costly part.

use super::{Assessment, Codes, Evidence, assess};
use crate::model::RecordId;
use crate::store::{CatalogStore, Records};
use crate::validate::Validator;
use oxigraph::model::{Graph, NamedOrBlankNode, NamedOrBlankNodeRef, TripleRef};
use std::sync::Arc;

/// What scoring a dataset needs besides the store.
#[derive(Clone)]
pub struct Scorer {
    /// The codes of the bundled vocabularies.
    pub codes: Arc<Codes>,
    /// The profile's shapes.
    pub validator: Arc<Validator>,
    /// What the link checker found at the distributions' URLs.
    pub links: crate::links::LinkBook,
}

/// A dataset scored: its assessment, its topic, the description it was made from and
/// whether that met its shapes.
pub struct Scored {
    /// The points.
    pub assessment: Assessment,
    /// The dataset.
    pub topic: NamedOrBlankNode,
    /// What was assessed.
    pub description: crate::store::Description,
    /// Whether it met its shapes.
    pub compliant: bool,
}

impl Scorer {
    /// The assessment of the public dataset `id`. Whether it meets its shapes is taken
    /// from `known` (what the board holds, by version), then from the write that stored
    /// this version; only if neither knows is it validated, the costly part.
    pub fn dataset(
        &self,
        store: &CatalogStore,
        id: &RecordId,
        known: Option<(i64, bool)>,
    ) -> Result<Option<Scored>, crate::validate::ValidateError> {
        let Ok(Some(description)) = store.describe(crate::model::ResourceKind::Dataset, id) else {
            return Ok(None);
        };
        let graph = graph_of(&description);
        let topic = NamedOrBlankNode::from(description.topic.clone());
        let version = description.version;
        let told = version.and_then(|v| {
            known
                .filter(|(at, _)| *at == v)
                .map(|(_, compliant)| compliant)
                .or_else(|| store.conformance_of(id, v))
        });
        let compliant = match told {
            Some(compliant) => compliant,
            None => {
                tracing::debug!(%id, ?version, "validated: no verdict known");
                self.compliant(&graph, topic.as_ref(), description.harvest_feed().is_some())?
            }
        };
        let assessment = self.assess(&graph, topic.as_ref(), compliant);
        Ok(Some(Scored {
            assessment,
            topic,
            description,
            compliant,
        }))
    }

    /// The assessment of `topic` in `graph`, whose compliance is known.
    pub(super) fn assess(
        &self,
        graph: &Graph,
        topic: NamedOrBlankNodeRef<'_>,
        compliant: bool,
    ) -> Assessment {
        let evidence = Evidence {
            compliant,
            status: &|url| self.links.status(url),
        };
        assess(graph, topic, &self.codes, &evidence)
    }

    /// Whether the dataset `topic` and its distributions meet their shapes (no violation
    /// whose focus is one of them): the official DCAT-AP shapes for a `harvested` dataset
    /// (as its harvest report counts them), our profile for one written here (which the
    /// write API enforces).
    fn compliant(
        &self,
        graph: &Graph,
        topic: NamedOrBlankNodeRef<'_>,
        harvested: bool,
    ) -> Result<bool, crate::validate::ValidateError> {
        let own = crate::validate::dataset_nodes(topic, graph.triples_for_subject(topic));
        let validator = if harvested {
            crate::validate::dcat_ap()?
        } else {
            &self.validator
        };
        Ok(validator.validate(graph)?.about(&own).conforms)
    }
}

/// The graph of a description's quads.
pub(super) fn graph_of(description: &crate::store::Description) -> Graph {
    description
        .quads
        .iter()
        .map(|q| TripleRef::from(q.as_ref()))
        .collect()
}
