//! Writing drafts: new or replacing, published (with or without an embargo that has
//! ended), deleted. Drafts live in the private store (see `store/drafts.rs` for reading
//! them); publishing writes them into the public store through the published write.

use super::WriteKind;
use super::published::Expect;
use super::split::{WrittenRecord, record_node};
use crate::model::time::{millis_literal, to_millis};
use crate::model::vocab::dct;
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind};
use crate::store::history::{Action, Provenance, Revision};
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Term, Triple,
};

impl CatalogStore {
    /// Writes a draft: a new one (`replacing` = `None`), or a new version of the draft
    /// `replacing` at the version the writer saw.
    ///
    /// With an `embargo` (milliseconds), the draft is a published record held back: it is
    /// published by [`Self::publish_due`] once that time has come.
    pub(super) fn write_draft_locked(
        &self,
        draft: RecordDraft,
        replacing: Option<(&RecordId, i64)>,
        embargo: Option<i64>,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let kind = draft.kind;
        let (id, topic, issued) = self.draft_target(&draft, replacing)?;
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
            (&graph, &topic),
            issued.unwrap_or_else(|| now.clone()),
            &now,
            &self.base.profile(),
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
        let written = self.replace_draft_graph(&graph, &triples);
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
            // A draft is not scored.
            conforms: None,
        })
    }

    /// Replaces the draft graph `graph` with `triples`, in the private store.
    fn replace_draft_graph(
        &self,
        graph: &NamedNode,
        triples: &[Triple],
    ) -> Result<(), oxigraph::store::StorageError> {
        let mut transaction = self.private.start_transaction()?;
        transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
        for triple in triples {
            transaction.insert(&triple.clone().in_graph(graph.clone()));
        }
        transaction.commit()
    }

    /// Where a draft goes: its id, its topic and, for a new version, the `dct:issued` of
    /// the first (a new draft gets a fresh id and topic).
    fn draft_target(
        &self,
        draft: &RecordDraft,
        replacing: Option<(&RecordId, i64)>,
    ) -> Result<(RecordId, NamedNode, Option<Literal>), StoreError> {
        Ok(match replacing {
            Some((id, version)) => {
                let (current, quads) = self.draft(draft.kind, id)?.ok_or(StoreError::NoRecord)?;
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
                let (id, topic) = self.allocate_draft(draft)?;
                (id, topic, None)
            }
        })
    }

    /// Deletes the draft `id` if it is still at `version`; it was never public, so it
    /// leaves no tombstone, only its history.
    pub(super) fn delete_draft_locked(
        &self,
        kind: RecordKind,
        id: &RecordId,
        version: i64,
        by: &Provenance,
    ) -> Result<(), StoreError> {
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
    pub(super) fn publish_draft_locked(
        &self,
        mut draft: RecordDraft,
        id: &RecordId,
        version: i64,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let (current, _) = self.draft(draft.kind, id)?.ok_or(StoreError::NoRecord)?;
        current.check_version(version)?;
        draft.preferred_id = id.clone();
        let published = Expect::Publishing { id: id.clone() };
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
    pub(in crate::store) fn publish_due(&self, now: i64) -> Result<Vec<RecordId>, StoreError> {
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
                // Its content was checked when it was written as a draft, not now.
                conforms: None,
            };
            // One that cannot be published must not hold back the others.
            let publish = WriteKind::Publish {
                id: id.clone(),
                version: current.version,
            };
            match self.write(draft, publish, &by) {
                Ok(_) => published.push(id),
                Err(error) => {
                    tracing::error!(%error, %id, "an embargoed record could not be published")
                }
            }
        }
        Ok(published)
    }

    /// Removes a draft's graph (once published or deleted).
    fn drop_draft(&self, id: &RecordId) -> Result<(), StoreError> {
        let graph = self.base.record_graph(id);
        let mut transaction = self.private.start_transaction()?;
        transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
        transaction.commit()?;
        Ok(())
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
