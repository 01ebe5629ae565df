//! Writing records: each record replaces its graph in the same transaction as the
//! catalog links, so a reader never sees a half-written record.

use crate::model::time::millis_literal;
use crate::model::vocab::{RDF_TYPE, dcat, dct, foaf};
use crate::model::{RecordDraft, RecordId, RecordKind, SplitOutcome};
use crate::store::feed::{FeedChange, FeedEntry, FeedKey};
use crate::store::history::{Action, Provenance, Revision};
use crate::store::lookup::QuadSource;
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term, Triple,
};
use oxigraph::store::Transaction;
use std::collections::{HashMap, HashSet};

/// Where a draft goes: its record id and its topic's IRI.
pub(in crate::store) struct Allocation {
    pub id: RecordId,
    pub topic: NamedNode,
    /// Whether it replaces an existing record.
    pub existed: bool,
}

/// What a write did, for reports on the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Records that did not exist before.
    pub created: usize,
    /// Records that replaced an earlier version of themselves.
    pub replaced: usize,
    /// Triples kept in the unassigned graph because no record owns them.
    pub unassigned: usize,
    /// The records written, in the order of the drafts.
    pub written: Vec<WrittenRecord>,
}

/// A record as written: where it is and which version it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenRecord {
    /// Its kind.
    pub kind: RecordKind,
    /// Whether the write created it (else it replaced an earlier version).
    pub created: bool,
    /// Its id.
    pub id: RecordId,
    /// The resource it describes.
    pub topic: NamedNode,
    /// Its `dct:modified` in milliseconds: the version that `If-Match` names.
    pub version: i64,
    /// What validation said of it before the write ([`RecordDraft::conforms`]).
    pub conforms: Option<bool>,
}

impl CatalogStore {
    /// Writes every record of `outcome`, the catalog triples and the unassigned triples in
    /// one transaction, and a revision of each record in its history.
    /// `source` names where the triples came from, for the graph of unassigned triples
    /// (`None`: a part of a write that leaves that graph as it is); `by`, who wrote them.
    pub(crate) fn write_split(
        &self,
        outcome: SplitOutcome,
        source: Option<&str>,
        by: &Provenance,
    ) -> Result<WriteSummary, StoreError> {
        let _writer = self.write_lock();
        let mut transaction = self.store.start_transaction()?;
        let (summary, changes) = self.write_split_in(&mut transaction, outcome, source)?;
        // The revisions are written once the records are: a history never tells of a
        // write that did not happen (one that failed to be told is logged).
        let mut history = self.private.start_transaction()?;
        self.revisions_in(&mut history, &transaction, &summary.written, by)?;
        self.commit(transaction)?;
        crate::store::faults::crash_at(crate::store::faults::Point::RecordsCommitted);
        self.remember_conformance(&summary.written);
        self.changed(changes);
        if let Err(error) = history.commit() {
            tracing::error!(%error, "records were written but their revisions were not");
        }
        Ok(summary)
    }

    /// Adds to `history` a revision of each of `written`, with its content as
    /// `transaction` holds it: created or replaced, by `by`.
    pub(in crate::store) fn revisions_in(
        &self,
        history: &mut Transaction<'_>,
        transaction: &Transaction<'_>,
        written: &[WrittenRecord],
        by: &Provenance,
    ) -> Result<(), StoreError> {
        for written in written {
            let revision = Revision {
                kind: written.kind.resource_kind(),
                id: &written.id,
                topic: &written.topic,
                action: if written.created {
                    Action::Create
                } else {
                    Action::Replace
                },
                by,
                content: self.record_content_in(transaction, &written.id)?,
                at: written.version,
            };
            for quad in self.revision_quads(&revision)? {
                history.insert(&quad);
            }
        }
        Ok(())
    }

    /// The record graph `id` as `transaction` sees it, as triples: a revision's content.
    pub(in crate::store) fn record_content_in(
        &self,
        transaction: &Transaction<'_>,
        id: &RecordId,
    ) -> Result<Vec<Triple>, StoreError> {
        let mut quads = transaction.graph_quads(self.base.record_graph(id).as_ref())?;
        // As pages show it: oxigraph keeps integer subtypes as xsd:integer.
        quads
            .iter_mut()
            .for_each(crate::store::describe::restore_datatype);
        Ok(quads.into_iter().map(Triple::from).collect())
    }

    /// Writes the records of `outcome`; with a `source`, replaces that source's graph of
    /// unassigned triples too.
    pub(in crate::store) fn write_split_in(
        &self,
        transaction: &mut Transaction<'_>,
        mut outcome: SplitOutcome,
        source: Option<&str>,
    ) -> Result<(WriteSummary, Vec<FeedChange>), StoreError> {
        let stamp = self.clock.stamp();
        let now = millis_literal(stamp);
        let mut summary = WriteSummary::default();
        let mut changes = self.purge_tombstones_in(
            transaction,
            crate::model::time::now_millis() - self.retention,
        )?;
        let allocations = self.allocate(transaction, &outcome.records)?;
        let mut renames: HashMap<BlankNode, NamedNode> = std::mem::take(&mut outcome.named);
        renames.extend(outcome.records.iter().zip(&allocations).filter_map(
            |(draft, allocation)| match &draft.topic {
                NamedOrBlankNode::BlankNode(b) => Some((b.clone(), allocation.topic.clone())),
                NamedOrBlankNode::NamedNode(_) => None,
            },
        ));
        for (draft, allocation) in outcome.records.iter().zip(&allocations) {
            let (written, fed) =
                self.put_record_in(transaction, draft, allocation, &renames, stamp)?;
            changes.extend(fed);
            if allocation.existed {
                summary.replaced += 1;
            } else {
                summary.created += 1;
            }
            summary.written.push(written);
        }
        if !outcome.catalog.is_empty() {
            self.replace_catalog_description(transaction, &outcome.catalog, &renames)?;
        }
        if !outcome.records.is_empty() || !outcome.catalog.is_empty() {
            // DCAT: the catalog's dct:modified is when it last changed, its list included;
            // any record may lend labels to the catalog's answer, so any write moves it.
            self.set_catalog_modified(transaction, &now)?;
        }
        let Some(source) = source else {
            return Ok((summary, changes));
        };
        summary.unassigned = self.replace_unassigned_in(transaction, source, &outcome, &renames)?;
        Ok((summary, changes))
    }

    /// Writes one record of a split into `transaction`: its graph (with `renames`), its
    /// record node, the catalog's links to a dataset; what the feed learns of it.
    fn put_record_in(
        &self,
        transaction: &mut Transaction<'_>,
        draft: &RecordDraft,
        allocation: &Allocation,
        renames: &HashMap<BlankNode, NamedNode>,
        stamp: i64,
    ) -> Result<(WrittenRecord, Vec<FeedChange>), StoreError> {
        let now = millis_literal(stamp);
        let mut changes = Vec::new();
        let catalog = self.base.catalog();
        let catalog_graph = self.base.catalog_graph();
        let catalog_g = GraphNameRef::NamedNode(catalog_graph.as_ref());
        let graph = self.base.record_graph(&allocation.id);
        let topic = &allocation.topic;
        let issued = self.previous_issued(transaction, &graph)?;
        transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
        for triple in &draft.triples {
            transaction.insert(&in_graph(rename(triple, renames), &graph));
        }
        let issued = issued.unwrap_or_else(|| now.clone());
        let profile = self.base.profile();
        for triple in record_node(draft.kind, (&graph, topic), issued, &now, &profile) {
            transaction.insert(&in_graph(triple, &graph));
        }
        if draft.kind == RecordKind::Dataset {
            transaction.insert(QuadRef::new(&catalog, dcat::DATASET_PROP, topic, catalog_g));
            transaction.insert(QuadRef::new(&catalog, dcat::RECORD, &graph, catalog_g));
            changes.extend(self.revive_in(transaction, &graph, topic)?);
            changes.push(FeedChange::Put(FeedEntry {
                key: FeedKey {
                    modified: stamp,
                    id: allocation.id.clone(),
                },
                withdrawn: false,
            }));
        } else {
            changes.push(FeedChange::Remove(allocation.id.clone()));
        }
        let written = WrittenRecord {
            kind: draft.kind,
            created: !allocation.existed,
            id: allocation.id.clone(),
            topic: topic.clone(),
            version: stamp,
            conforms: draft.conforms,
        };
        Ok((written, changes))
    }

    /// Replaces the graph of triples no record of `source` owns (kept per source, replaced
    /// when it is loaded again); how many there are.
    fn replace_unassigned_in(
        &self,
        transaction: &mut Transaction<'_>,
        source: &str,
        outcome: &SplitOutcome,
        renames: &HashMap<BlankNode, NamedNode>,
    ) -> Result<usize, StoreError> {
        let unassigned = self
            .base
            .join(&format!("graphs/unassigned/{}", RecordId::slugify(source)));
        transaction.clear_graph(GraphNameRef::NamedNode(unassigned.as_ref()))?;
        for triple in &outcome.unassigned {
            transaction.insert(&in_graph(rename(triple, renames), &unassigned));
        }
        Ok(outcome.unassigned.len())
    }

    /// Sets the catalog's `dct:modified` (the catalog moves with every write: feed pages
    /// and the catalog's answer depend on its records).
    pub(in crate::store) fn set_catalog_modified(
        &self,
        transaction: &mut Transaction<'_>,
        now: &Literal,
    ) -> Result<(), StoreError> {
        let catalog = self.base.catalog();
        let graph = self.base.catalog_graph();
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let old: Vec<Quad> = transaction
            .quads_for_pattern(
                Some(catalog.as_ref().into()),
                Some(dct::MODIFIED),
                None,
                Some(g),
            )
            .collect::<Result<_, _>>()?;
        for quad in &old {
            transaction.remove(quad);
        }
        transaction.insert(QuadRef::new(&catalog, dct::MODIFIED, now, g));
        Ok(())
    }

    /// Picks a record id and a topic IRI per draft.
    ///
    /// An IRI topic keeps its IRI and replaces the record that already has it, else gets its
    /// preferred id, made unique with `-2`, `-3`... A blank-node topic becomes
    /// `{base}{kind}/{candidate}` for the first candidate id whose IRI is either already a
    /// record's topic (replaced) or free, so that loading the same file again replaces the
    /// same records rather than adding copies.
    pub(in crate::store) fn allocate(
        &self,
        transaction: &Transaction<'_>,
        drafts: &[RecordDraft],
    ) -> Result<Vec<Allocation>, StoreError> {
        let mut taken = HashSet::new();
        let mut allocations = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let allocation = match &draft.topic {
                NamedOrBlankNode::NamedNode(topic) => {
                    match self.record_of_topic(transaction, topic)? {
                        Some(id) if taken.insert(id.clone()) => Allocation {
                            id,
                            topic: topic.clone(),
                            existed: true,
                        },
                        _ => Allocation {
                            id: self.free_id(
                                transaction,
                                &draft.preferred_id,
                                topic,
                                &mut taken,
                            )?,
                            topic: topic.clone(),
                            existed: false,
                        },
                    }
                }
                NamedOrBlankNode::BlankNode(_) => {
                    self.allocate_blank(transaction, draft, &mut taken)?
                }
            };
            allocations.push(allocation);
        }
        Ok(allocations)
    }

    fn allocate_blank(
        &self,
        transaction: &Transaction<'_>,
        draft: &RecordDraft,
        taken: &mut HashSet<RecordId>,
    ) -> Result<Allocation, StoreError> {
        let kind = draft.kind.resource_kind();
        for n in 1.. {
            let candidate = draft.preferred_id.with_suffix(n);
            let topic = self.base.resource(kind, &candidate);
            match self.record_of_topic(transaction, &topic)? {
                Some(id) if taken.insert(id.clone()) => {
                    return Ok(Allocation {
                        id,
                        topic,
                        existed: true,
                    });
                }
                Some(_) => {}
                None => {
                    if !taken.contains(&candidate)
                        && !self.graph_exists(transaction, &candidate)?
                        && !self.reserved_for_another(&candidate, &topic)?
                    {
                        taken.insert(candidate.clone());
                        return Ok(Allocation {
                            id: candidate,
                            topic,
                            existed: false,
                        });
                    }
                }
            }
        }
        unreachable!("the candidate ids are endless")
    }

    /// `preferred`, or the first of `preferred-2`, `preferred-3`... that no record uses
    /// and that is not kept for another resource (see [`Self::reserved_for_another`]).
    fn free_id(
        &self,
        transaction: &Transaction<'_>,
        preferred: &RecordId,
        topic: &NamedNode,
        taken: &mut HashSet<RecordId>,
    ) -> Result<RecordId, StoreError> {
        for n in 1.. {
            let candidate = preferred.with_suffix(n);
            if !taken.contains(&candidate)
                && !self.graph_exists(transaction, &candidate)?
                && !self.reserved_for_another(&candidate, topic)?
            {
                taken.insert(candidate.clone());
                return Ok(candidate);
            }
        }
        unreachable!("the candidate ids are endless")
    }

    /// Whether the id `id`, which no record uses, is kept for a resource other than
    /// `topic`: a draft's or a discarded draft's (whose history must stay private), or a
    /// withdrawn record's (which may come back). The withdrawn record's own resource may
    /// take it again; whether it may come back is the writer's check.
    fn reserved_for_another(&self, id: &RecordId, topic: &NamedNode) -> Result<bool, StoreError> {
        if let Some(withdrawn) = self.withdrawn_topic(id)? {
            return Ok(withdrawn != *topic);
        }
        let graph = self.base.record_graph(id);
        if self.private.graph_holds_any(graph.as_ref())? {
            // A draft being published takes its own id.
            let own_draft = self.private.contains(QuadRef::new(
                &graph,
                foaf::PRIMARY_TOPIC,
                topic,
                GraphNameRef::NamedNode(graph.as_ref()),
            ))?;
            return Ok(!own_draft);
        }
        self.private
            .graph_holds_any(self.history_graph(id).as_ref())
    }

    pub(in crate::store) fn record_of_topic(
        &self,
        transaction: &Transaction<'_>,
        topic: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        for quad in transaction.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            None,
        ) {
            let quad = quad?;
            if let oxigraph::model::GraphName::NamedNode(graph) = &quad.graph_name
                && quad.subject.as_ref() == graph.as_ref().into()
                && let Some(id) = self
                    .base
                    .local_id(crate::model::ResourceKind::Record, graph.as_str())
            {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    fn graph_exists(
        &self,
        transaction: &Transaction<'_>,
        id: &RecordId,
    ) -> Result<bool, StoreError> {
        transaction.graph_holds_any(self.base.record_graph(id).as_ref())
    }

    fn previous_issued(
        &self,
        transaction: &Transaction<'_>,
        graph: &NamedNode,
    ) -> Result<Option<Literal>, StoreError> {
        let found = transaction.object_of(graph.as_ref().into(), dct::ISSUED, graph.as_ref())?;
        Ok(found.and_then(|object| match object {
            Term::Literal(l) => Some(l),
            _ => None,
        }))
    }

    /// Replaces the catalog's own description, keeping the `dcat:dataset`/`dcat:record`
    /// links we manage.
    fn replace_catalog_description(
        &self,
        transaction: &mut Transaction<'_>,
        triples: &[Triple],
        renames: &HashMap<BlankNode, NamedNode>,
    ) -> Result<(), StoreError> {
        let catalog = self.base.catalog();
        let graph = self.base.catalog_graph();
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let old: Vec<Quad> = transaction
            .quads_for_pattern(None, None, None, Some(g))
            .collect::<Result<_, _>>()?;
        for quad in old {
            let managed = quad.subject.as_ref() == catalog.as_ref().into()
                && (quad.predicate == dcat::DATASET_PROP || quad.predicate == dcat::RECORD);
            if !managed {
                transaction.remove(&quad);
            }
        }
        for triple in triples {
            transaction.insert(&in_graph(rename(triple, renames), &graph));
        }
        Ok(())
    }
}

/// The catalog record node of a record graph: `{graph} foaf:primaryTopic topic`, with its
/// dates and the profile its description follows (`profile`, [`BaseIri::profile`]: our
/// shapes, a profile of DCAT-AP 3.0.1); typed `dcat:CatalogRecord` for datasets.
pub(in crate::store) fn record_node(
    kind: RecordKind,
    (graph, topic): (&NamedNode, &NamedNode),
    issued: Literal,
    modified: &Literal,
    profile: &NamedNode,
) -> Vec<Triple> {
    let mut triples = vec![
        Triple::new(graph.clone(), foaf::PRIMARY_TOPIC, topic.clone()),
        Triple::new(graph.clone(), dct::ISSUED, issued),
        Triple::new(graph.clone(), dct::MODIFIED, modified.clone()),
        Triple::new(graph.clone(), dct::CONFORMS_TO, profile.clone()),
    ];
    if kind == RecordKind::Dataset {
        triples.push(Triple::new(graph.clone(), RDF_TYPE, dcat::CATALOG_RECORD));
    }
    triples
}

/// `triple` with renamed blank-node topics in subject and object position.
pub(super) fn rename(triple: &Triple, renames: &HashMap<BlankNode, NamedNode>) -> Triple {
    let renamed = |b: &BlankNode| renames.get(b).cloned();
    let subject = match &triple.subject {
        NamedOrBlankNode::BlankNode(b) => {
            renamed(b).map_or_else(|| triple.subject.clone(), Into::into)
        }
        other => other.clone(),
    };
    let object = match &triple.object {
        Term::BlankNode(b) => renamed(b).map_or_else(|| triple.object.clone(), Into::into),
        other => other.clone(),
    };
    Triple::new(subject, triple.predicate.clone(), object)
}

fn in_graph(triple: Triple, graph: &NamedNode) -> Quad {
    triple.in_graph(graph.clone())
}
