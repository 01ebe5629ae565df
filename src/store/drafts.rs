//! Drafts: records written but not published, kept in the private store so that no
//! public reader (dereferencing, the feed, SPARQL) can come across them. Publishing moves
//! a draft into the public store, where it becomes an ordinary record.

use super::Description;
use super::lookup::CurrentRecord;
use super::lookup::QuadSource;
use super::{CatalogStore, StoreError};
use crate::model::ResourceKind;
use crate::model::time::to_millis;
use crate::model::vocab::{dct, foaf};
use crate::model::{RecordId, RecordKind};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad};

impl CatalogStore {
    /// The draft `id` of kind `kind` and its quads (in the default graph), if there is one.
    pub(in crate::store) fn draft(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<(CurrentRecord, Vec<Quad>)>, StoreError> {
        let quads = self.draft_quads(id)?;
        Ok(self
            .current_of(&quads, kind, id)?
            .map(|current| (current, quads)))
    }

    /// The triples of the record `id` (public, else a draft) without its catalog record:
    /// what the record itself says.
    pub(in crate::store) fn own_triples(
        &self,
        id: &RecordId,
    ) -> Result<oxigraph::model::Graph, StoreError> {
        let graph = self.base.record_graph(id);
        let mut quads = self.store.graph_quads(graph.as_ref())?;
        if quads.is_empty() {
            quads = self.draft_quads(id)?;
        }
        let record: NamedOrBlankNode = graph.into();
        for quad in &mut quads {
            super::describe::restore_datatype(quad);
        }
        Ok(quads
            .iter()
            .filter(|q| q.subject != record)
            .map(|q| oxigraph::model::TripleRef::from(q.as_ref()))
            .collect())
    }

    /// The draft `id`, whatever its kind, and its kind.
    pub(in crate::store) fn any_draft(
        &self,
        id: &RecordId,
    ) -> Result<Option<(RecordKind, CurrentRecord)>, StoreError> {
        let quads = self.draft_quads(id)?;
        self.current_of_any(&quads, id)
    }

    /// The record `id` in `quads`, whatever its kind, and its kind.
    pub(super) fn current_of_any(
        &self,
        quads: &[Quad],
        id: &RecordId,
    ) -> Result<Option<(RecordKind, CurrentRecord)>, StoreError> {
        for kind in [
            RecordKind::Dataset,
            RecordKind::DataPaper,
            RecordKind::Agent,
        ] {
            if let Some(current) = self.current_of(quads, kind, id)? {
                return Ok(Some((kind, current)));
            }
        }
        Ok(None)
    }

    /// When an embargoed draft is to be published (milliseconds), if it is one.
    pub(in crate::store) fn embargo_of(&self, id: &RecordId) -> Result<Option<i64>, StoreError> {
        let graph = self.base.record_graph(id);
        Ok(self
            .private
            .object_of(graph.as_ref().into(), dct::AVAILABLE, graph.as_ref())?
            .and_then(|o| crate::model::time::parse_date_time(o.as_ref()))
            .map(to_millis))
    }

    pub(super) fn draft_quads(&self, id: &RecordId) -> Result<Vec<Quad>, StoreError> {
        self.private
            .graph_quads(self.base.record_graph(id).as_ref())
    }

    /// Whether a draft or a history uses the id (a deleted draft's history keeps it).
    pub(super) fn id_held_privately(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self
            .private
            .graph_holds_any(self.base.record_graph(id).as_ref())?
            || self
                .private
                .graph_holds_any(self.history_graph(id).as_ref())?)
    }

    /// Every dataset draft (embargoed ones too) and its version: what the search index
    /// holds for the editors who may see them.
    pub(in crate::store) fn dataset_drafts(&self) -> Result<Vec<(RecordId, i64)>, StoreError> {
        let mut drafts = Vec::new();
        for quad in self
            .private
            .quads_for_pattern(None, Some(foaf::PRIMARY_TOPIC), None, None)
        {
            let quad = quad?;
            let GraphName::NamedNode(graph) = &quad.graph_name else {
                continue;
            };
            if quad.subject.as_ref() != NamedOrBlankNodeRef::from(graph.as_ref()) {
                continue;
            }
            let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str()) else {
                continue;
            };
            if let Some((current, _)) = self.draft(RecordKind::Dataset, &id)? {
                drafts.push((id, current.version));
            }
        }
        Ok(drafts)
    }

    /// The dataset draft `id` described as a published record is (with the types and
    /// labels of what it links to), and the agents whose editors may see it.
    pub(in crate::store) fn describe_draft(
        &self,
        id: &RecordId,
    ) -> Result<Option<(Description, Vec<String>)>, StoreError> {
        let Some((current, quads)) = self.draft(RecordKind::Dataset, id)? else {
            return Ok(None);
        };
        let mut description = self.describe_quads(current.topic.clone(), quads)?;
        description.version = Some(current.version);
        Ok(Some((description, current.owners)))
    }

    /// Whether a draft describes `topic`.
    pub(super) fn draft_of_topic(&self, topic: &NamedNode) -> Result<bool, StoreError> {
        self.private.holds_any(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            None,
        )
    }
}
