//! `passerelle check`: whether the parts of the store that must agree do, and the repair of
//! what can be derived again.
//!
//! A write commits the public store (record graph, record node, the catalog's links) in one
//! transaction, then the record's revision in the private store: a crash between the two
//! leaves a record without the revision of its version. Deletes leave a tombstone; the
//! quality board writes measurements after the write. So the checks are: each record graph
//! is whole (a record node naming a typed topic); each dataset is linked from the catalog
//! and each link leads to a dataset; each version has its revision, and no revision is of a
//! write that never completed (an API write commits its revision first); no dataset is both
//! live and withdrawn; no measurements outlive their dataset. Repairs are made under the writer
//! lock, each finding checked again there first (a write under way when the check read the
//! store has finished by then, its revision included).

use super::feed::FeedChange;
use super::history::{Action, Provenance, Revision};
use super::{CatalogStore, StoreError};
use crate::model::vocab::{RDF_TYPE, dcat, dct, foaf, prov, rdfs};
use crate::model::{RecordId, RecordKind, ResourceKind};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, Term,
};
use oxigraph::store::Transaction;
use std::collections::HashSet;

/// One disagreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A record graph without a typed topic: written by hand (SPARQL Update), not derivable.
    Malformed {
        /// The record.
        id: RecordId,
        /// What is wrong.
        reason: &'static str,
    },
    /// A dataset the catalog does not list (`dcat:dataset`, `dcat:record`).
    Unlisted {
        /// The record.
        id: RecordId,
        /// Its dataset.
        topic: NamedNode,
    },
    /// A `dcat:dataset` or `dcat:record` link of the catalog to no dataset.
    Dangling {
        /// The link's property.
        predicate: NamedNode,
        /// Where it leads.
        target: NamedNode,
    },
    /// A record's current version has no revision in its history.
    NoRevision {
        /// The record.
        id: RecordId,
        /// Its kind.
        kind: RecordKind,
        /// Its topic.
        topic: NamedNode,
        /// The version (`dct:modified` of its record node).
        version: Term,
    },
    /// A live dataset that also has a tombstone.
    LiveAndWithdrawn {
        /// The record.
        id: RecordId,
        /// Its dataset.
        topic: NamedNode,
    },
    /// A revision whose write never completed (a crash between the history's commit and the
    /// record's): newer than its record, or of a record that is nowhere.
    OrphanRevision {
        /// The record.
        id: RecordId,
        /// The revision.
        entity: NamedNode,
    },
    /// Measurements of a dataset that is not live.
    Orphaned {
        /// The measurements' graph.
        graph: NamedNode,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed { id, reason } => write!(f, "record {id}: {reason}"),
            Self::Unlisted { id, .. } => write!(f, "dataset {id} is not listed in the catalog"),
            Self::Dangling { predicate, target } => {
                write!(
                    f,
                    "the catalog's {predicate} leads to {target}, which is no dataset"
                )
            }
            Self::NoRevision { id, version, .. } => {
                write!(
                    f,
                    "record {id}: its version {version} has no revision in its history"
                )
            }
            Self::LiveAndWithdrawn { id, .. } => write!(f, "dataset {id} is live and withdrawn"),
            Self::Orphaned { graph } => write!(f, "measurements {graph} of no live dataset"),
            Self::OrphanRevision { id, entity } => {
                write!(f, "record {id}: its revision {entity} was never written")
            }
        }
    }
}

impl Finding {
    /// Whether [`CatalogStore::repair`] can mend it from what the store holds.
    pub const fn repairable(&self) -> bool {
        !matches!(self, Self::Malformed { .. })
    }
}

/// What a check read and found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Records read.
    pub records: usize,
    /// The disagreements, in the order found.
    pub findings: Vec<Finding>,
}

/// The last revision of a history.
struct LastRevision {
    entity: NamedNode,
    /// `prov:generatedAtTime`: the version it was of.
    time: Option<Term>,
    /// Its activity's label (`create`, `replace`, `publish`, `delete`, `discard`).
    action: String,
}

/// One record graph as the check reads it.
struct Record {
    id: RecordId,
    graph: NamedNode,
    topic: NamedNode,
    kind: Option<RecordKind>,
    version: Option<Term>,
}

impl CatalogStore {
    /// Reads the store through and says where its parts disagree. Reads only.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let records = self.records_to_check()?;
        let mut findings = Vec::new();
        for record in &records {
            findings.extend(self.check_record(record)?);
        }
        let datasets: Vec<&Record> = records
            .iter()
            .filter(|r| r.kind == Some(RecordKind::Dataset))
            .collect();
        findings.extend(self.dangling_links(&datasets)?);
        findings.extend(self.orphan_revisions(&records)?);
        let live: HashSet<&RecordId> = datasets.iter().map(|r| &r.id).collect();
        for graph in self.measurement_graphs()? {
            let id = graph
                .as_str()
                .strip_suffix("/quality")
                .and_then(|dataset| self.base.local_id(ResourceKind::Dataset, dataset));
            if id.as_ref().is_none_or(|id| !live.contains(id)) {
                findings.push(Finding::Orphaned { graph });
            }
        }
        Ok(CheckReport {
            records: records.len(),
            findings,
        })
    }

    /// Every record graph: the record node (the graph's own name) and its topic.
    fn records_to_check(&self) -> Result<Vec<Record>, StoreError> {
        let mut records = Vec::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(foaf::PRIMARY_TOPIC), None, None)
        {
            let quad = quad?;
            let (
                NamedOrBlankNode::NamedNode(node),
                GraphName::NamedNode(graph),
                Term::NamedNode(topic),
            ) = (&quad.subject, &quad.graph_name, &quad.object)
            else {
                continue;
            };
            let Some(id) = (node == graph)
                .then(|| self.base.local_id(ResourceKind::Record, graph.as_str()))
                .flatten()
            else {
                continue;
            };
            let in_graph = GraphNameRef::NamedNode(graph.as_ref());
            let types: Vec<NamedNode> = self
                .store
                .quads_for_pattern(Some(topic.into()), Some(RDF_TYPE), None, Some(in_graph))
                .filter_map(|q| match q.map(|q| q.object) {
                    Ok(Term::NamedNode(class)) => Some(class),
                    _ => None,
                })
                .collect();
            let version = self
                .store
                .quads_for_pattern(
                    Some(graph.into()),
                    Some(dct::MODIFIED),
                    None,
                    Some(in_graph),
                )
                .next()
                .transpose()?
                .map(|q| q.object);
            records.push(Record {
                id,
                graph: graph.clone(),
                topic: topic.clone(),
                kind: RecordKind::from_types(types.iter().map(NamedNode::as_ref)),
                version,
            });
        }
        Ok(records)
    }

    fn check_record(&self, record: &Record) -> Result<Vec<Finding>, StoreError> {
        let Some(kind) = record.kind else {
            return Ok(vec![Finding::Malformed {
                id: record.id.clone(),
                reason: "its topic is not typed as a dataset, data paper or agent",
            }]);
        };
        let mut findings = Vec::new();
        if kind == RecordKind::Dataset {
            if !self.listed(record)? {
                findings.push(Finding::Unlisted {
                    id: record.id.clone(),
                    topic: record.topic.clone(),
                });
            }
            if self.has_tombstone(&record.id)? {
                findings.push(Finding::LiveAndWithdrawn {
                    id: record.id.clone(),
                    topic: record.topic.clone(),
                });
            }
        }
        if let Some(version) = &record.version
            && !self.has_revision(&record.id, version)?
        {
            findings.push(Finding::NoRevision {
                id: record.id.clone(),
                kind,
                topic: record.topic.clone(),
                version: version.clone(),
            });
        }
        Ok(findings)
    }

    fn listed(&self, record: &Record) -> Result<bool, StoreError> {
        let (catalog, graph) = (self.base.catalog(), self.base.catalog_graph());
        let in_catalog = GraphNameRef::NamedNode(graph.as_ref());
        Ok(self.store.contains(QuadRef::new(
            &catalog,
            dcat::DATASET_PROP,
            &record.topic,
            in_catalog,
        ))? && self.store.contains(QuadRef::new(
            &catalog,
            dcat::RECORD,
            &record.graph,
            in_catalog,
        ))?)
    }

    fn has_revision(&self, id: &RecordId, version: &Term) -> Result<bool, StoreError> {
        let history = self.history_graph(id);
        Ok(self
            .private
            .quads_for_pattern(
                None,
                Some(prov::GENERATED_AT_TIME),
                Some(version.as_ref()),
                Some(GraphNameRef::NamedNode(history.as_ref())),
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// The catalog's `dcat:dataset` and `dcat:record` links to no live dataset.
    fn dangling_links(&self, datasets: &[&Record]) -> Result<Vec<Finding>, StoreError> {
        let topics: HashSet<&NamedNode> = datasets.iter().map(|r| &r.topic).collect();
        let graphs: HashSet<&NamedNode> = datasets.iter().map(|r| &r.graph).collect();
        let (catalog, graph) = (self.base.catalog(), self.base.catalog_graph());
        let mut findings = Vec::new();
        for (predicate, known) in [(dcat::DATASET_PROP, &topics), (dcat::RECORD, &graphs)] {
            for quad in self.store.quads_for_pattern(
                Some(catalog.as_ref().into()),
                Some(predicate),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            ) {
                if let Term::NamedNode(target) = quad?.object
                    && !known.contains(&target)
                {
                    findings.push(Finding::Dangling {
                        predicate: predicate.into_owned(),
                        target,
                    });
                }
            }
        }
        Ok(findings)
    }

    /// The last revisions of histories that no record's version matches (see
    /// [`Finding::OrphanRevision`]). A record written by hand (no `dct:modified`), a draft,
    /// a withdrawn record and a deletion's revision are left alone.
    fn orphan_revisions(&self, records: &[Record]) -> Result<Vec<Finding>, StoreError> {
        let prefix = format!("{}history/", self.base);
        let mut findings = Vec::new();
        for graph in self.private.named_graphs() {
            let NamedOrBlankNode::NamedNode(graph) = graph? else {
                continue;
            };
            let Some(id) = graph
                .as_str()
                .strip_prefix(&prefix)
                .and_then(|id| RecordId::parse(id).ok())
            else {
                continue;
            };
            let Some(last) = self.last_revision(&graph)? else {
                continue;
            };
            let orphan = match records.iter().find(|r| r.id == id) {
                Some(record) => match &record.version {
                    Some(version) => {
                        last.time.as_ref() != Some(version) && self.has_revision(&id, version)?
                    }
                    None => false,
                },
                None => {
                    matches!(last.action.as_str(), "create" | "replace" | "publish")
                        && !self.has_tombstone(&id)?
                        && self.any_draft(&id)?.is_none()
                }
            };
            if orphan {
                findings.push(Finding::OrphanRevision {
                    id,
                    entity: last.entity,
                });
            }
        }
        Ok(findings)
    }

    /// The last revision in the history graph `graph`.
    fn last_revision(&self, graph: &NamedNode) -> Result<Option<LastRevision>, StoreError> {
        let in_graph = GraphNameRef::NamedNode(graph.as_ref());
        let mut last: Option<(u64, NamedNode)> = None;
        for quad in
            self.private
                .quads_for_pattern(None, Some(dct::IDENTIFIER), None, Some(in_graph))
        {
            let quad = quad?;
            let (NamedOrBlankNode::NamedNode(entity), Term::Literal(number)) =
                (quad.subject, quad.object)
            else {
                continue;
            };
            let Ok(number) = number.value().parse::<u64>() else {
                continue;
            };
            if last.as_ref().is_none_or(|(n, _)| number > *n) {
                last = Some((number, entity));
            }
        }
        let Some((_, entity)) = last else {
            return Ok(None);
        };
        let object = |subject: &NamedNode, predicate| -> Result<Option<Term>, StoreError> {
            Ok(self
                .private
                .quads_for_pattern(Some(subject.into()), Some(predicate), None, Some(in_graph))
                .next()
                .transpose()?
                .map(|q| q.object))
        };
        let time = object(&entity, prov::GENERATED_AT_TIME)?;
        let action = match object(&entity, prov::WAS_GENERATED_BY)? {
            Some(Term::NamedNode(activity)) => match object(&activity, rdfs::LABEL)? {
                Some(Term::Literal(label)) => label.value().to_owned(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        Ok(Some(LastRevision {
            entity,
            time,
            action,
        }))
    }

    /// The quads of the revision `entity` of `id`'s history: the entity's, its activity's,
    /// and those of the blank nodes they name (the agent, the checksum).
    fn revision_of(&self, id: &RecordId, entity: &NamedNode) -> Result<Vec<Quad>, StoreError> {
        let graph = self.history_graph(id);
        let in_graph = GraphNameRef::NamedNode(graph.as_ref());
        let about = |subject: NamedOrBlankNode| -> Result<Vec<Quad>, StoreError> {
            Ok(self
                .private
                .quads_for_pattern(Some(subject.as_ref()), None, None, Some(in_graph))
                .collect::<Result<_, _>>()?)
        };
        let mut quads = about(entity.clone().into())?;
        let activity = quads.iter().find_map(|q| match &q.object {
            Term::NamedNode(a) if q.predicate == prov::WAS_GENERATED_BY => Some(a.clone()),
            _ => None,
        });
        if let Some(activity) = activity {
            quads.extend(about(activity.into())?);
        }
        let blanks: Vec<NamedOrBlankNode> = quads
            .iter()
            .filter_map(|q| match &q.object {
                Term::BlankNode(b) => Some(b.clone().into()),
                _ => None,
            })
            .collect();
        for blank in blanks {
            quads.extend(about(blank)?);
        }
        Ok(quads)
    }

    /// Mends the repairable `findings` that still hold under the writer lock; how many.
    /// The public store's mends are one transaction (the feed, the caches and the search
    /// index learn of them as of any write); then the history's.
    pub fn repair(&self, findings: &[Finding]) -> Result<usize, StoreError> {
        let _writing = self.write_lock();
        let still = self.check()?.findings;
        let due: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.repairable() && still.contains(f))
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let mut transaction = self.store.start_transaction()?;
        let mut changes = Vec::new();
        for finding in &due {
            changes.extend(self.mend_public_in(&mut transaction, finding)?);
        }
        self.commit(transaction)?;
        self.changed(changes);
        for finding in &due {
            self.mend_history(finding)?;
        }
        Ok(due.len())
    }

    /// What mending `finding` changes in the public store, in `transaction`.
    fn mend_public_in(
        &self,
        transaction: &mut Transaction<'_>,
        finding: &Finding,
    ) -> Result<Vec<FeedChange>, StoreError> {
        let (catalog, catalog_graph) = (self.base.catalog(), self.base.catalog_graph());
        let in_catalog = GraphNameRef::NamedNode(catalog_graph.as_ref());
        match finding {
            Finding::Unlisted { id, topic } => {
                let record = self.base.record_graph(id);
                transaction.insert(QuadRef::new(
                    &catalog,
                    dcat::DATASET_PROP,
                    topic,
                    in_catalog,
                ));
                transaction.insert(QuadRef::new(&catalog, dcat::RECORD, &record, in_catalog));
            }
            Finding::Dangling { predicate, target } => {
                transaction.remove(QuadRef::new(&catalog, predicate, target, in_catalog));
            }
            Finding::LiveAndWithdrawn { id, topic } => {
                // What a dataset brought back does to its tombstones.
                return self.revive_in(transaction, &self.base.record_graph(id), topic);
            }
            Finding::Orphaned { graph } => {
                transaction.remove_named_graph(NamedNodeRef::from(graph))?;
            }
            Finding::Malformed { .. }
            | Finding::NoRevision { .. }
            | Finding::OrphanRevision { .. } => {}
        }
        Ok(Vec::new())
    }

    /// Mends `finding` in the history, if it is the history's.
    fn mend_history(&self, finding: &Finding) -> Result<(), StoreError> {
        match finding {
            Finding::NoRevision {
                id,
                kind,
                topic,
                version,
            } => self.add_missing_revision(id, *kind, topic, version),
            Finding::OrphanRevision { id, entity } => {
                let quads = self.revision_of(id, entity)?;
                self.undo_revision(&quads);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The revision a crash kept from being written, made from the record as it is.
    fn add_missing_revision(
        &self,
        id: &RecordId,
        kind: RecordKind,
        topic: &NamedNode,
        version: &Term,
    ) -> Result<(), StoreError> {
        let at = crate::model::time::parse_date_time(version.as_ref())
            .map(crate::model::time::to_millis)
            .unwrap_or_else(crate::model::time::now_millis);
        let graph = self.base.record_graph(id);
        let mut quads = self
            .store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<Result<Vec<_>, _>>()?;
        // As a write's revision holds it (see `record_content_in`).
        quads.iter_mut().for_each(super::describe::restore_datatype);
        let content = quads
            .into_iter()
            .map(oxigraph::model::Triple::from)
            .collect();
        let first = self.history(id)?.is_none();
        let by = Provenance {
            agent: "passerelle check".into(),
            source: "repair: the revision of a write that was cut short".into(),
        };
        self.append_revision(&Revision {
            kind: kind.resource_kind(),
            id,
            topic,
            action: if first {
                Action::Create
            } else {
                Action::Replace
            },
            by: &by,
            content,
            at,
        })?;
        Ok(())
    }
}
