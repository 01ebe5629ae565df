//! Record by record writes for the API: create, replace and delete one record, each in one
//! transaction, checked against the version the writer saw (no lost updates).

use super::feed::FeedChange;
use super::history::{Action, Provenance, Revision};
use super::records::WrittenRecord;
use super::{CatalogStore, StoreError};
use crate::model::time::{millis_literal, now_millis, to_millis};
use crate::model::vocab::{RDF_TYPE, cito, dcat, dct, foaf};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind, SplitOutcome};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    QuadRef, Term, TermRef, Triple, TripleRef,
};
use oxigraph::store::Transaction;

/// What a write expects to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
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

/// A record as it is now, for access checks and `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentRecord {
    /// Its id.
    pub id: RecordId,
    /// The resource it describes.
    pub topic: NamedNode,
    /// Its version (`dct:modified` in milliseconds).
    pub version: i64,
    /// The agents whose editors may write it (see [`CatalogStore::owners`]).
    pub owners: Vec<String>,
}

impl CurrentRecord {
    /// `Ok` if the writer saw this version, else [`StoreError::Stale`].
    pub(super) fn check_version(&self, seen: i64) -> Result<(), StoreError> {
        if self.version == seen {
            Ok(())
        } else {
            Err(StoreError::Stale { expected: seen })
        }
    }
}

/// Whether a record exists, existed, or never did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordState {
    /// No record, and no trace of one.
    Missing,
    /// The record.
    Live(CurrentRecord),
    /// Deleted: a tombstone remains (datasets only).
    Withdrawn,
}

impl CatalogStore {
    /// The state of the record of kind `kind` with id `id`.
    pub fn record_state(&self, kind: RecordKind, id: &RecordId) -> Result<RecordState, StoreError> {
        let transaction = self.store.start_transaction()?;
        if let Some(current) = self.current_in(&transaction, kind, id)? {
            return Ok(RecordState::Live(current));
        }
        if self.is_withdrawn(id)? {
            return Ok(RecordState::Withdrawn);
        }
        Ok(RecordState::Missing)
    }

    /// Whether `topic` is the topic of a record (another record's triples are not for a
    /// record to write).
    pub fn has_record(&self, topic: &NamedNode) -> Result<bool, StoreError> {
        let transaction = self.store.start_transaction()?;
        Ok(self.record_of_topic(&transaction, topic)?.is_some())
    }

    /// The record (public, else a draft) whose topic is `topic`.
    pub fn record_id_of(&self, topic: &NamedNode) -> Result<Option<RecordId>, StoreError> {
        if let Some(graph) = self.record_of(topic)? {
            return Ok(self.base.local_id(ResourceKind::Record, graph.as_str()));
        }
        self.private_record_of(None, foaf::PRIMARY_TOPIC, topic.as_ref().into())
    }

    /// The dataset record (public, else a draft) whose graph describes the distribution
    /// `distribution`: a distribution is written as part of its dataset.
    pub fn dataset_of_distribution(
        &self,
        distribution: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        // The graph that describes it (types it), and whose dataset links it: another
        // record's mere link to it does not make it theirs.
        for quad in self.store.quads_for_pattern(
            Some(distribution.as_ref().into()),
            Some(RDF_TYPE),
            Some(dcat::DISTRIBUTION.into()),
            None,
        ) {
            if let GraphName::NamedNode(graph) = quad?.graph_name
                && let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str())
            {
                return Ok(Some(id));
            }
        }
        self.private_record_of(
            Some(distribution.as_ref()),
            RDF_TYPE,
            dcat::DISTRIBUTION.into(),
        )
    }

    /// The draft whose graph holds a triple `subject predicate object` (any subject if
    /// `None`).
    fn private_record_of(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Option<RecordId>, StoreError> {
        for quad in self.private.quads_for_pattern(
            subject.map(Into::into),
            Some(predicate),
            Some(object),
            None,
        ) {
            if let GraphName::NamedNode(graph) = quad?.graph_name
                && let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str())
            {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Whether the record graph `graph` (public, else a draft's) holds `triple`.
    pub fn record_holds(&self, graph: &NamedNode, triple: &Triple) -> Result<bool, StoreError> {
        let quad = triple.as_ref().in_graph(graph.as_ref());
        Ok(self.store.contains(quad)? || self.private.contains(quad)?)
    }

    /// Whether either store says anything about `iri`: a new resource must not take it.
    pub fn iri_in_use(&self, iri: &NamedNode) -> Result<bool, StoreError> {
        let subject = Some(iri.as_ref().into());
        Ok(self
            .store
            .quads_for_pattern(subject, None, None, None)
            .next()
            .transpose()?
            .is_some()
            || self
                .private
                .quads_for_pattern(subject, None, None, None)
                .next()
                .transpose()?
                .is_some())
    }

    /// Whether a graph other than `own` (a record's graph) says anything about `subject`.
    pub fn described_elsewhere(
        &self,
        subject: &NamedNode,
        own: Option<&NamedNode>,
    ) -> Result<bool, StoreError> {
        for quad in self
            .store
            .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
        {
            let quad = quad?;
            let mine = matches!((&quad.graph_name, own), (oxigraph::model::GraphName::NamedNode(g), Some(own)) if g == own);
            if !mine {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether the record `id` is or was public (a record or a tombstone): its history
    /// may be read by anyone.
    pub fn was_public(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(
            super::holds_graph(&self.store, &self.base.record_graph(id))?
                || self.is_withdrawn(id)?,
        )
    }

    /// The withdrawn record whose resource was `topic`, if there is one: a tombstone names
    /// it, or a history whose last revision deleted it.
    pub(super) fn withdrawn_record_of(
        &self,
        topic: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        let withdrawn = self.base.withdrawn_graph();
        for quad in self.store.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        ) {
            if let NamedOrBlankNode::NamedNode(record) = quad?.subject
                && let Some(id) = self.base.local_id(ResourceKind::Record, record.as_str())
            {
                return Ok(Some(id));
            }
        }
        for id in self.histories_of(topic)? {
            if self.deleted_topic(&id)?.as_ref() == Some(topic) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The resource the record `id` described before it was withdrawn, if it was.
    pub(super) fn withdrawn_topic(&self, id: &RecordId) -> Result<Option<NamedNode>, StoreError> {
        match self.tombstone_topic(id)? {
            Some(topic) => Ok(Some(topic)),
            None => self.deleted_topic(id),
        }
    }

    /// The dataset whose tombstone stands for the record `id`, if one does.
    fn tombstone_topic(&self, id: &RecordId) -> Result<Option<NamedNode>, StoreError> {
        let record = self.base.record_graph(id);
        let withdrawn = self.base.withdrawn_graph();
        for quad in self.store.quads_for_pattern(
            Some(record.as_ref().into()),
            Some(foaf::PRIMARY_TOPIC),
            None,
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        ) {
            if let Term::NamedNode(topic) = quad?.object {
                return Ok(Some(topic));
            }
        }
        Ok(None)
    }

    /// Whether the record `id` was deleted while public: a tombstone stands for it (a
    /// dataset's, kept for a while for harvesters), or its history ends with its deletion.
    pub fn is_withdrawn(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self.has_tombstone(id)? || self.deleted_topic(id)?.is_some())
    }

    /// Whether a tombstone stands for the record `id`.
    pub(super) fn has_tombstone(&self, id: &RecordId) -> Result<bool, StoreError> {
        let record = self.base.record_graph(id);
        let withdrawn = self.base.withdrawn_graph();
        Ok(self
            .store
            .quads_for_pattern(
                Some(record.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// Writes one record if the store holds what `expect` says, else changes nothing.
    pub fn write_record(
        &self,
        draft: RecordDraft,
        expect: &Expect,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let _writer = self.write_lock();
        self.write_record_locked(draft, expect, by)
    }

    /// [`Self::write_record`], for a caller that holds the writer lock.
    pub(super) fn write_record_locked(
        &self,
        draft: RecordDraft,
        expect: &Expect,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let kind = draft.kind;
        let mut transaction = self.store.start_transaction()?;
        match expect {
            Expect::Absent | Expect::Revival | Expect::Publishing { .. } => {
                if let NamedOrBlankNode::NamedNode(topic) = &draft.topic
                    && self.record_of_topic(&transaction, topic)?.is_some()
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
                    .current_in(&transaction, kind, id)?
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
        match expect {
            // A create never replaces (a blank-node topic may be allocated an existing
            // record's IRI), nor takes an id a draft or an old history holds.
            Expect::Absent if !created || self.id_held_privately(&written.id)? => {
                let topic = written.topic.as_str().to_owned();
                return Err(
                    if self.withdrawn_topic(&written.id)?.as_ref() == Some(&written.topic) {
                        StoreError::WasWithdrawn(topic)
                    } else {
                        StoreError::Exists(topic)
                    },
                );
            }
            Expect::Revival
                if !created
                    || (self.id_held_privately(&written.id)?
                        && self.withdrawn_topic(&written.id)?.as_ref() != Some(&written.topic)) =>
            {
                return Err(StoreError::Exists(written.topic.as_str().to_owned()));
            }
            Expect::Publishing { id } if !created || *id != written.id => {
                return Err(StoreError::Exists(written.topic.as_str().to_owned()));
            }
            _ => {}
        }
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
        if let Err(error) = self.commit(transaction) {
            self.undo_revision(&revision);
            return Err(error);
        }
        self.feed_index_mut().apply(changes);
        Ok(written)
    }

    /// Deletes the record `id` if it is still at `version`. A dataset leaves a tombstone,
    /// so that harvesters of the feed and readers of its IRI learn it was withdrawn.
    pub fn delete_record(
        &self,
        kind: RecordKind,
        id: &RecordId,
        version: i64,
        by: &Provenance,
    ) -> Result<(), StoreError> {
        let _writer = self.write_lock();
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
        self.feed_index_mut().apply(changes);
        Ok(())
    }

    /// Removes the record `id` about `topic` in `transaction`: its graph and the catalog's
    /// links to it; a dataset leaves a tombstone (made from the committed record).
    pub(super) fn remove_record_in(
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

    /// The record `id` of kind `kind` as `transaction` sees it.
    fn current_in(
        &self,
        transaction: &Transaction<'_>,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<CurrentRecord>, StoreError> {
        let graph = self.base.record_graph(id);
        let quads = transaction
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<Result<Vec<_>, _>>()?;
        self.current_of(&quads, kind, id)
    }

    /// The record `id` of kind `kind` in the quads of its graph (of either store).
    pub(super) fn current_of(
        &self,
        quads: &[Quad],
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<CurrentRecord>, StoreError> {
        let graph = self.base.record_graph(id);
        let record: NamedOrBlankNode = graph.clone().into();
        let object = |subject: &NamedOrBlankNode, predicate| {
            quads
                .iter()
                .find(|q| &q.subject == subject && q.predicate == predicate)
                .map(|q| &q.object)
        };
        let Some(Term::NamedNode(topic)) = object(&record, foaf::PRIMARY_TOPIC) else {
            return Ok(None);
        };
        let topic_node: NamedOrBlankNode = topic.clone().into();
        // The API path names the kind: a dataset's id under /api/agents/ is not an agent.
        let of_kind = self
            .base
            .local_id(kind.resource_kind(), topic.as_str())
            .is_some()
            || quads.iter().any(|q| {
                q.subject == topic_node
                    && q.predicate == crate::model::vocab::RDF_TYPE
                    && matches!(&q.object, Term::NamedNode(c)
                        if RecordKind::of_class(c.as_ref()) == Some(kind))
            });
        if !of_kind {
            return Ok(None);
        }
        let version = object(&record, dct::MODIFIED)
            .and_then(|m| crate::model::time::parse_date_time(m.as_ref()))
            .map_or(0, to_millis);
        let owners = self.owners(
            kind,
            topic_node.as_ref(),
            quads.iter().map(|q| TripleRef::from(q.as_ref())),
        );
        Some(owners.map(|owners| CurrentRecord {
            id: id.clone(),
            topic: topic.clone(),
            version,
            owners,
        }))
        .transpose()
    }

    /// The agents whose editors may write a record of `kind` about `topic` that says
    /// `triples`: a dataset's publishers; a data paper's, those of the datasets it
    /// describes (its authors are not our users, the datasets' stewards are); an agent,
    /// itself.
    pub fn owners<'a>(
        &self,
        kind: RecordKind,
        topic: NamedOrBlankNodeRef<'_>,
        triples: impl Iterator<Item = TripleRef<'a>>,
    ) -> Result<Vec<String>, StoreError> {
        let objects = |predicate| -> Vec<NamedNodeRef<'a>> {
            triples
                .filter(|t| t.subject == topic && t.predicate == predicate)
                .filter_map(|t| match t.object {
                    TermRef::NamedNode(n) => Some(n),
                    _ => None,
                })
                .collect()
        };
        let mut owners: Vec<String> = match kind {
            RecordKind::Agent => match topic {
                NamedOrBlankNodeRef::NamedNode(n) => vec![n.as_str().to_owned()],
                NamedOrBlankNodeRef::BlankNode(_) => Vec::new(),
            },
            RecordKind::Dataset => objects(dct::PUBLISHER)
                .into_iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            RecordKind::DataPaper => {
                // Every described dataset must be a live public record: a draft or a
                // withdrawn dataset would let anyone claim the paper. Otherwise admins only.
                let mut publishers = Vec::new();
                for dataset in objects(cito::DESCRIBES) {
                    match self.publishers_of(dataset)? {
                        Some(found) if !found.is_empty() => publishers.extend(found),
                        _ => return Ok(Vec::new()),
                    }
                }
                publishers
            }
        };
        owners.sort();
        owners.dedup();
        Ok(owners)
    }

    /// The publishers of the dataset `dataset` as its live public record says; `None`
    /// when it has none.
    fn publishers_of(&self, dataset: NamedNodeRef<'_>) -> Result<Option<Vec<String>>, StoreError> {
        let Some(graph) = self.record_of(&dataset.into_owned())? else {
            return Ok(None);
        };
        let mut publishers = Vec::new();
        for quad in self.store.quads_for_pattern(
            Some(dataset.into()),
            Some(dct::PUBLISHER),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            if let Term::NamedNode(p) = quad?.object {
                publishers.push(p.into_string());
            }
        }
        Ok(Some(publishers))
    }
}
