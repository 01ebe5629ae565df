//! Drafts: records written but not published, kept in the private store so that no
//! public reader (dereferencing, the feed, SPARQL) can come across them. Publishing moves
//! a draft into the public store, where it becomes an ordinary record.

use super::history::{Action, Provenance, Revision};
use super::lookup::CurrentRecord;
use super::lookup::QuadSource;
use super::write::{WrittenRecord, record_node};
use super::{CatalogStore, StoreError};
use crate::model::time::{millis_literal, to_millis};
use crate::model::vocab::{dct, foaf};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

impl CatalogStore {
    /// The draft `id` of kind `kind` and its quads (in the default graph), if there is one.
    pub fn draft(
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
    pub fn own_triples(&self, id: &RecordId) -> Result<oxigraph::model::Graph, StoreError> {
        let graph = self.base.record_graph(id);
        let mut quads: Vec<Quad> = self
            .store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<Result<_, _>>()?;
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
    pub fn any_draft(
        &self,
        id: &RecordId,
    ) -> Result<Option<(RecordKind, CurrentRecord)>, StoreError> {
        let quads = self.draft_quads(id)?;
        self.current_of_any(&quads, id)
    }

    /// The record `id` in `quads`, whatever its kind, and its kind.
    fn current_of_any(
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

    /// Writes a draft: a new one (`replacing` = `None`), or a new version of the draft
    /// `replacing` at the version the writer saw.
    ///
    /// With an `embargo` (milliseconds), the draft is a published record held back: it is
    /// published by [`Self::publish_due`] once that time has come.
    pub fn write_draft(
        &self,
        draft: RecordDraft,
        replacing: Option<(&RecordId, i64)>,
        embargo: Option<i64>,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let kind = draft.kind;
        let _writer = self.write_lock();
        let (id, topic, issued) = match replacing {
            Some((id, version)) => {
                let (current, quads) = self.draft(kind, id)?.ok_or(StoreError::NoRecord)?;
                current.check_version(version)?;
                let issued =
                    quads
                        .iter()
                        .find(|q| q.predicate == dct::ISSUED)
                        .and_then(|q| match &q.object {
                            Term::Literal(l) => Some(l.clone()),
                            _ => None,
                        });
                (id.clone(), current.topic, issued)
            }
            None => {
                let (id, topic) = self.allocate_draft(&draft)?;
                (id, topic, None)
            }
        };
        let stamp = self.clock.stamp();
        let now = millis_literal(stamp);
        let graph = self.base.record_graph(&id);
        let renamed = draft.topic.clone();
        let mut triples: Vec<Triple> = draft
            .triples
            .into_iter()
            .map(|t| rename_topic(t, &renamed, &topic))
            .collect();
        triples.extend(record_node(
            kind,
            &graph,
            &topic,
            issued.unwrap_or_else(|| now.clone()),
            &now,
        ));
        if let Some(embargo) = embargo {
            triples.push(Triple::new(
                graph.clone(),
                dct::AVAILABLE,
                millis_literal(embargo),
            ));
        }
        let revision = self.append_revision(&Revision {
            kind: kind.resource_kind(),
            id: &id,
            topic: &topic,
            action: if replacing.is_some() {
                Action::Replace
            } else {
                Action::Create
            },
            by,
            content: triples.clone(),
            at: stamp,
        })?;
        let written = (|| {
            let mut transaction = self.private.start_transaction()?;
            transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
            for triple in &triples {
                transaction.insert(&triple.clone().in_graph(graph.clone()));
            }
            transaction.commit()
        })();
        if let Err(error) = written {
            self.undo_revision(&revision);
            return Err(error.into());
        }
        Ok(WrittenRecord {
            kind,
            created: replacing.is_none(),
            id,
            topic,
            version: stamp,
        })
    }

    /// Deletes the draft `id` if it is still at `version`; it was never public, so it
    /// leaves no tombstone, only its history.
    pub fn delete_draft(
        &self,
        kind: RecordKind,
        id: &RecordId,
        version: i64,
        by: &Provenance,
    ) -> Result<(), StoreError> {
        let _writer = self.write_lock();
        let (current, _) = self.draft(kind, id)?.ok_or(StoreError::NoRecord)?;
        current.check_version(version)?;
        self.append_revision(&Revision {
            kind: kind.resource_kind(),
            id,
            topic: &current.topic,
            action: Action::Discard,
            by,
            content: Vec::new(),
            at: self.clock.stamp(),
        })?;
        self.drop_draft(id)
    }

    /// Publishes the draft `id`, still at `version`, with `draft` as its content: it
    /// becomes a public record under the same id, and the draft goes.
    pub fn publish_draft(
        &self,
        mut draft: RecordDraft,
        id: &RecordId,
        version: i64,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let _writer = self.write_lock();
        let (current, _) = self.draft(draft.kind, id)?.ok_or(StoreError::NoRecord)?;
        current.check_version(version)?;
        draft.preferred_id = id.clone();
        let published = super::Expect::Publishing { id: id.clone() };
        let written = self.write_record_locked(draft, &published, by)?;
        // The record is public now: a draft left behind (if removing it fails) is only
        // shadowed by it, and is logged.
        if let Err(error) = self.drop_draft(id) {
            tracing::error!(%error, %id, "a published draft could not be removed");
        }
        Ok(written)
    }

    /// Publishes every embargoed record whose embargo has ended; returns their ids. The
    /// server calls it now and then.
    pub fn publish_due(&self, now: i64) -> Result<Vec<RecordId>, StoreError> {
        let mut due = Vec::new();
        for quad in self
            .private
            .quads_for_pattern(None, Some(dct::AVAILABLE), None, None)
        {
            let quad = quad?;
            let until = crate::model::time::parse_date_time(quad.object.as_ref()).map(to_millis);
            if let (Some(until), GraphName::NamedNode(graph)) = (until, &quad.graph_name)
                && until <= now
                && let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str())
            {
                due.push(id);
            }
        }
        let by = Provenance {
            agent: "passerelle".into(),
            source: "end of embargo".into(),
        };
        let mut published = Vec::new();
        for id in due {
            let quads = self.draft_quads(&id)?;
            let Some((kind, current)) = self.current_of_any(&quads, &id)? else {
                continue;
            };
            let record: NamedOrBlankNode = self.base.record_graph(&id).into();
            let draft = RecordDraft {
                kind,
                topic: current.topic.clone().into(),
                preferred_id: id.clone(),
                triples: quads
                    .into_iter()
                    .filter(|q| q.subject != record)
                    .map(Triple::from)
                    .collect(),
            };
            // One that cannot be published must not hold back the others.
            match self.publish_draft(draft, &id, current.version, &by) {
                Ok(_) => published.push(id),
                Err(error) => {
                    tracing::error!(%error, %id, "an embargoed record could not be published")
                }
            }
        }
        Ok(published)
    }

    /// When an embargoed draft is to be published (milliseconds), if it is one.
    pub fn embargo_of(&self, id: &RecordId) -> Result<Option<i64>, StoreError> {
        let graph = self.base.record_graph(id);
        Ok(self
            .private
            .object_of(graph.as_ref().into(), dct::AVAILABLE, graph.as_ref())?
            .and_then(|o| crate::model::time::parse_date_time(o.as_ref()))
            .map(to_millis))
    }

    /// Removes a draft's graph (once published or deleted).
    fn drop_draft(&self, id: &RecordId) -> Result<(), StoreError> {
        let graph = self.base.record_graph(id);
        let mut transaction = self.private.start_transaction()?;
        transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
        transaction.commit()?;
        Ok(())
    }

    fn draft_quads(&self, id: &RecordId) -> Result<Vec<Quad>, StoreError> {
        let graph = self.base.record_graph(id);
        self.private
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .map(|q| {
                q.map(|q| {
                    Quad::new(
                        q.subject,
                        q.predicate,
                        q.object,
                        oxigraph::model::GraphName::DefaultGraph,
                    )
                })
                .map_err(StoreError::from)
            })
            .collect()
    }

    /// An id and topic IRI for a new draft that neither store uses.
    fn allocate_draft(&self, draft: &RecordDraft) -> Result<(RecordId, NamedNode), StoreError> {
        let kind = draft.kind.resource_kind();
        if let NamedOrBlankNode::NamedNode(topic) = &draft.topic {
            if self.has_record(topic)? || self.draft_of_topic(topic)? {
                return Err(StoreError::Exists(topic.as_str().to_owned()));
            }
            // A withdrawn resource comes back only published, by an admin.
            if self.withdrawn_record_of(topic)?.is_some() {
                return Err(StoreError::WasWithdrawn(topic.as_str().to_owned()));
            }
            if let Some(id) = self.base.local_id(kind, topic.as_str())
                && !self.id_taken(&id)?
            {
                return Ok((id, topic.clone()));
            }
        }
        for n in 1.. {
            let candidate = draft.preferred_id.with_suffix(n);
            if !self.id_taken(&candidate)? {
                let topic = match &draft.topic {
                    NamedOrBlankNode::NamedNode(topic) => topic.clone(),
                    NamedOrBlankNode::BlankNode(_) => self.base.resource(kind, &candidate),
                };
                return Ok((candidate, topic));
            }
        }
        unreachable!("the candidate ids are endless")
    }

    /// Whether a record, a tombstone, a draft or a history uses the id.
    fn id_taken(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self.was_public(id)? || self.id_held_privately(id)?)
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

/// `triple` with the draft's topic (a blank node, or its IRI) written as `topic`.
fn rename_topic(triple: Triple, from: &NamedOrBlankNode, topic: &NamedNode) -> Triple {
    let subject = if &triple.subject == from {
        topic.clone().into()
    } else {
        triple.subject
    };
    let object = match triple.object {
        Term::BlankNode(b) if matches!(from, NamedOrBlankNode::BlankNode(f) if *f == b) => {
            topic.clone().into()
        }
        other => other,
    };
    Triple::new(subject, triple.predicate, object)
}
