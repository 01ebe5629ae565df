//! Record by record writes for the API: create, replace and delete one record, each in one
//! transaction, checked against the version the writer saw (no lost updates).

use super::split::WrittenRecord;
use crate::model::time::{millis_literal, now_millis};
use crate::model::vocab::{RDF_TYPE, dcat};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind, SplitOutcome};
use crate::store::feed::FeedChange;
use crate::store::history::{Action, Provenance, Revision};
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, QuadRef};
use oxigraph::store::Transaction;

/// What a write expects to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Expect {
    /// No record for the draft's topic (a create).
    Absent,
    /// No live record for the draft's topic, which may be a withdrawn dataset coming back
    /// under its old id (an admin's create): its history goes on.
    Revival,
    /// No public record for the draft's topic, which is the draft `id` being published.
    Publishing {
        /// The draft's id, which the record keeps.
        id: RecordId,
    },
    /// The record `id` at `version` (a replace, with the version from `If-Match`).
    Version {
        /// The record.
        id: RecordId,
        /// Its `dct:modified` in milliseconds, as the writer last saw it.
        version: i64,
    },
}

impl CatalogStore {
    /// Writes one record if the store holds what `expect` says, else changes nothing; the
    /// caller holds the writer lock.
    pub(super) fn write_record_locked(
        &self,
        draft: RecordDraft,
        expect: &Expect,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let kind = draft.kind;
        let mut transaction = self.store.start_transaction()?;
        self.check_expected(&transaction, &draft, expect)?;
        self.refuse_others_distributions(&draft, expect)?;
        let outcome = SplitOutcome {
            records: vec![draft],
            ..SplitOutcome::default()
        };
        let (summary, changes) = self.write_split_in(&mut transaction, outcome, None)?;
        let created = summary.created == 1;
        let written = summary
            .written
            .into_iter()
            .next()
            .ok_or(StoreError::NoRecord)?;
        self.check_written(expect, created, &written)?;
        let content = self.record_content_in(&transaction, &written.id)?;
        let action = match expect {
            Expect::Absent | Expect::Revival => Action::Create,
            Expect::Publishing { .. } => Action::Publish,
            Expect::Version { .. } => Action::Replace,
        };
        let revision = self.append_revision(&Revision {
            kind: kind.resource_kind(),
            id: &written.id,
            topic: &written.topic,
            action,
            by,
            content,
            at: written.version,
        })?;
        crate::store::faults::crash_at(crate::store::faults::Point::RevisionWritten);
        if let Err(error) = self.commit(transaction) {
            self.undo_revision(&revision);
            return Err(error);
        }
        self.remember_conformance(std::slice::from_ref(&written));
        self.changed(changes);
        Ok(written)
    }

    /// Refuses a write whose record is not in the state `expect` says, before it is made.
    fn check_expected(
        &self,
        transaction: &Transaction<'_>,
        draft: &RecordDraft,
        expect: &Expect,
    ) -> Result<(), StoreError> {
        match expect {
            Expect::Absent | Expect::Revival | Expect::Publishing { .. } => {
                if let NamedOrBlankNode::NamedNode(topic) = &draft.topic
                    && self.record_of_topic(transaction, topic)?.is_some()
                {
                    return Err(StoreError::Exists(topic.as_str().to_owned()));
                }
                // Nor a draft's: its editors would find it taken when they publish.
                if matches!(expect, Expect::Absent | Expect::Revival)
                    && let NamedOrBlankNode::NamedNode(topic) = &draft.topic
                    && self.draft_of_topic(topic)?
                {
                    return Err(StoreError::Exists(topic.as_str().to_owned()));
                }
                // A withdrawn resource comes back only as a revival.
                if matches!(expect, Expect::Absent)
                    && let NamedOrBlankNode::NamedNode(topic) = &draft.topic
                    && self.withdrawn_record_of(topic)?.is_some()
                {
                    return Err(StoreError::WasWithdrawn(topic.as_str().to_owned()));
                }
            }
            Expect::Version { id, version } => {
                let current = self
                    .current_in(transaction, draft.kind, id)?
                    .ok_or(StoreError::NoRecord)?;
                current.check_version(*version)?;
                if draft.topic != NamedOrBlankNode::from(current.topic.clone()) {
                    return Err(StoreError::Update(format!(
                        "the record describes {}; a replacement must describe the same resource",
                        current.topic
                    )));
                }
            }
        }
        Ok(())
    }

    /// Refuses a write that, once made in its transaction, turns out not to be what
    /// `expect` said: the transaction is then dropped.
    fn check_written(
        &self,
        expect: &Expect,
        created: bool,
        written: &WrittenRecord,
    ) -> Result<(), StoreError> {
        match expect {
            // A create never replaces (a blank-node topic may be allocated an existing
            // record's IRI), nor takes an id a draft or an old history holds.
            Expect::Absent if !created || self.id_held_privately(&written.id)? => {
                let topic = written.topic.as_str().to_owned();
                Err(
                    if self.withdrawn_topic(&written.id)?.as_ref() == Some(&written.topic) {
                        StoreError::WasWithdrawn(topic)
                    } else {
                        StoreError::Exists(topic)
                    },
                )
            }
            Expect::Revival
                if !created
                    || (self.id_held_privately(&written.id)?
                        && self.withdrawn_topic(&written.id)?.as_ref() != Some(&written.topic)) =>
            {
                Err(StoreError::Exists(written.topic.as_str().to_owned()))
            }
            Expect::Publishing { id } if !created || *id != written.id => {
                Err(StoreError::Exists(written.topic.as_str().to_owned()))
            }
            _ => Ok(()),
        }
    }

    /// Deletes the record `id` if it is still at `version`. A dataset leaves a tombstone,
    /// so that harvesters of the feed and readers of its IRI learn it was withdrawn.
    pub(super) fn delete_record_locked(
        &self,
        kind: RecordKind,
        id: &RecordId,
        version: i64,
        by: &Provenance,
    ) -> Result<(), StoreError> {
        let mut transaction = self.store.start_transaction()?;
        let current = self
            .current_in(&transaction, kind, id)?
            .ok_or(StoreError::NoRecord)?;
        current.check_version(version)?;
        if kind == RecordKind::Agent {
            self.refuse_if_named(&current.topic, id)?;
        }
        let stamp = self.clock.stamp();
        let mut changes =
            self.purge_tombstones_in(&mut transaction, now_millis() - self.retention)?;
        // Reads the committed record, which the version check shows is current.
        changes.extend(self.remove_record_in(&mut transaction, kind, id, &current.topic, stamp)?);
        let revision = self.append_revision(&Revision {
            kind: kind.resource_kind(),
            id,
            topic: &current.topic,
            action: Action::Delete,
            by,
            content: Vec::new(),
            at: stamp,
        })?;
        if let Err(error) = self.commit(transaction) {
            self.undo_revision(&revision);
            return Err(error);
        }
        self.changed(changes);
        Ok(())
    }

    /// Removes the record `id` about `topic` in `transaction`: its graph and the catalog's
    /// links to it; a dataset leaves a tombstone (made from the committed record).
    pub(in crate::store) fn remove_record_in(
        &self,
        transaction: &mut Transaction<'_>,
        kind: RecordKind,
        id: &RecordId,
        topic: &NamedNode,
        stamp: i64,
    ) -> Result<Vec<FeedChange>, StoreError> {
        let changes = if kind == RecordKind::Dataset {
            self.withdraw_deleted_in(transaction, std::slice::from_ref(id), stamp)?
        } else {
            vec![FeedChange::Remove(id.clone())]
        };
        let graph = self.base.record_graph(id);
        transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
        let catalog = self.base.catalog();
        let catalog_graph = self.base.catalog_graph();
        let g = GraphNameRef::NamedNode(catalog_graph.as_ref());
        transaction.remove(QuadRef::new(&catalog, dcat::DATASET_PROP, topic, g));
        transaction.remove(QuadRef::new(&catalog, dcat::RECORD, &graph, g));
        self.set_catalog_modified(transaction, &millis_literal(stamp))?;
        Ok(changes)
    }

    /// [`StoreError::Exists`] if a distribution the draft newly describes is another
    /// record's: checked again under the writer lock, since two writers may have claimed
    /// the same new distribution IRI at once. (One that the record's graph already holds,
    /// shared by a load, stays.)
    fn refuse_others_distributions(
        &self,
        draft: &RecordDraft,
        expect: &Expect,
    ) -> Result<(), StoreError> {
        let own = match expect {
            Expect::Version { id, .. } | Expect::Publishing { id } => {
                Some(self.base.record_graph(id))
            }
            Expect::Absent | Expect::Revival => None,
        };
        for triple in &draft.triples {
            let NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
                continue;
            };
            if triple.predicate != RDF_TYPE || triple.object != dcat::DISTRIBUTION.into() {
                continue;
            }
            if let Some(own) = &own
                && self
                    .store
                    .contains(triple.as_ref().in_graph(own.as_ref()))?
            {
                continue;
            }
            for quad in self.store.quads_for_pattern(
                Some(subject.as_ref().into()),
                Some(RDF_TYPE),
                Some(dcat::DISTRIBUTION.into()),
                None,
            ) {
                if let GraphName::NamedNode(graph) = quad?.graph_name
                    && Some(&graph) != own.as_ref()
                    && self
                        .base
                        .local_id(ResourceKind::Record, graph.as_str())
                        .is_some()
                {
                    return Err(StoreError::Exists(subject.as_str().to_owned()));
                }
            }
        }
        Ok(())
    }

    /// [`StoreError::StillNamed`] if a public record other than `own` links to `agent`.
    /// (Drafts may be incomplete; naming them would tell of them to someone else.)
    fn refuse_if_named(&self, agent: &NamedNode, own: &RecordId) -> Result<(), StoreError> {
        let own_graph = self.base.record_graph(own);
        let mut by = std::collections::BTreeSet::new();
        for quad in self
            .store
            .quads_for_pattern(None, None, Some(agent.as_ref().into()), None)
        {
            let quad = quad?;
            let other_record = matches!(&quad.graph_name, GraphName::NamedNode(g)
                if *g != own_graph
                    && self.base.local_id(ResourceKind::Record, g.as_str()).is_some());
            if other_record {
                by.insert(quad.subject.to_string());
            }
        }
        if by.is_empty() {
            return Ok(());
        }
        Err(StoreError::StillNamed {
            agent: agent.as_str().to_owned(),
            by: by.into_iter().take(5).collect(),
        })
    }
}
