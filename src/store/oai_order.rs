//! The order an OAI-PMH list walks: the feed's datasets (live and withdrawn, see
//! `feed.rs`) merged with the data papers, by modification time then id, so that a
//! resumption token carries the same keyset cursor as the DCAT feed's `next` link and
//! gives the same walking guarantee.
//!
//! Data papers are not in the feed's index (the DCAT feed lists datasets); their keys are
//! read from the store when a list asks for them and kept until the next write (there are
//! few papers beside the datasets). Deleted papers leave no tombstone, so they are not
//! listed as deleted: the repository says `deletedRecord` is `transient`.

use super::feed::FeedKey;
use super::{CatalogStore, StoreError};
use crate::model::time::{parse_date_time, to_millis};
use crate::model::vocab::{LABELS, RDF_TYPE, dcat, dct, fabio, prism};
use crate::model::{RecordId, ResourceKind};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Term};
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// What an OAI-PMH list asks of the order.
#[derive(Clone, Debug, Default)]
pub struct OaiQuery {
    /// Datasets (and their tombstones).
    pub datasets: bool,
    /// Data papers.
    pub papers: bool,
    /// Changed at or after this time (ms).
    pub from: Option<i64>,
    /// Changed at or before this time (ms).
    pub until: Option<i64>,
    /// Start strictly after this key.
    pub after: Option<FeedKey>,
    /// Entries to return at most.
    pub limit: usize,
}

/// What a record in an OAI-PMH list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OaiKind {
    /// A live dataset.
    Dataset,
    /// A dataset deleted while public (its tombstone).
    Deleted,
    /// A data paper.
    DataPaper,
}

/// One record of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OaiEntry {
    /// Where it sorts.
    pub key: FeedKey,
    /// What it is.
    pub kind: OaiKind,
}

/// A slice of the list.
#[derive(Clone, Debug)]
pub struct OaiSlice {
    /// The entries, in order.
    pub entries: Vec<OaiEntry>,
    /// How many entries the whole list (from, until, kinds) has now.
    pub total: usize,
    /// Whether entries follow.
    pub more: bool,
}

/// The label among `quads` in `language`, else any.
fn best_label(quads: &[oxigraph::model::Quad], language: &str) -> Option<String> {
    let labels: Vec<&oxigraph::model::Literal> = quads
        .iter()
        .filter(|q| LABELS.contains(&q.predicate.as_ref()))
        .filter_map(|q| match &q.object {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect();
    labels
        .iter()
        .find(|l| l.language() == Some(language))
        .or(labels.first())
        .map(|l| l.value().to_owned())
}

/// Two sorted lists as one.
fn merge(a: Vec<OaiEntry>, b: Vec<OaiEntry>) -> Vec<OaiEntry> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.key <= y.key => a.next(),
            (Some(_), Some(_)) | (None, Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, None) => break,
        };
        merged.extend(next);
    }
    merged
}

/// Publishers and themes, each with a name.
pub type OaiSetMembers = (Vec<(NamedNode, String)>, Vec<(NamedNode, String)>);

/// The records naming a DOI and the store generation they were read at.
pub(super) type CachedDois = (u64, Arc<HashSet<RecordId>>);

/// Paper keys and the store generation they were read at.
pub(super) type CachedPapers = (u64, Arc<Vec<FeedKey>>);

impl CatalogStore {
    /// The slice of the OAI-PMH order `query` asks for.
    pub(in crate::store) fn oai_slice(&self, query: &OaiQuery) -> Result<OaiSlice, StoreError> {
        let wanted = query.limit.saturating_add(1);
        let (mut datasets, mut total) = (Vec::new(), 0);
        if query.datasets {
            let (entries, count) =
                self.feed_index()
                    .range((query.from, query.until), query.after.as_ref(), wanted);
            total += count;
            datasets = entries
                .into_iter()
                .map(|e| OaiEntry {
                    kind: if e.withdrawn {
                        OaiKind::Deleted
                    } else {
                        OaiKind::Dataset
                    },
                    key: e.key,
                })
                .collect();
        }
        let mut papers = Vec::new();
        if query.papers {
            let keys = self.paper_keys()?;
            let in_range = keys.iter().filter(|key| {
                query.from.is_none_or(|from| key.modified >= from)
                    && query.until.is_none_or(|until| key.modified <= until)
            });
            total += in_range.clone().count();
            papers = in_range
                .filter(|key| query.after.as_ref().is_none_or(|after| *key > after))
                .take(wanted)
                .map(|key| OaiEntry {
                    key: key.clone(),
                    kind: OaiKind::DataPaper,
                })
                .collect();
        }
        let mut entries = merge(datasets, papers);
        let more = entries.len() > query.limit;
        entries.truncate(query.limit);
        Ok(OaiSlice {
            entries,
            total,
            more,
        })
    }

    /// The keys of the public data papers, sorted; read again after each write.
    fn paper_keys(&self) -> Result<Arc<Vec<FeedKey>>, StoreError> {
        let generation = self.generation();
        let mut cached = self
            .paper_keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((made_at, keys)) = cached.as_ref()
            && *made_at == generation
        {
            return Ok(keys.clone());
        }
        let mut keys = Vec::new();
        for quad in
            self.store
                .quads_for_pattern(None, Some(RDF_TYPE), Some(fabio::DATA_PAPER.into()), None)
        {
            let GraphName::NamedNode(graph) = quad?.graph_name else {
                continue;
            };
            let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str()) else {
                continue;
            };
            keys.push(FeedKey {
                modified: self.record_modified(&graph)?.unwrap_or(0),
                id,
            });
        }
        keys.sort();
        keys.dedup();
        let keys = Arc::new(keys);
        *cached = Some((generation, keys.clone()));
        Ok(keys)
    }

    /// The `dct:modified` of the record node `graph`, in milliseconds.
    fn record_modified(
        &self,
        graph: &oxigraph::model::NamedNode,
    ) -> Result<Option<i64>, StoreError> {
        let quads = self.store.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(dct::MODIFIED),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        );
        for quad in quads {
            if let Some(time) = parse_date_time(quad?.object.as_ref()) {
                return Ok(Some(to_millis(time)));
            }
        }
        Ok(None)
    }

    /// The entry of the record `id` in the OAI-PMH order, if it is a dataset (live or
    /// withdrawn) or a data paper.
    pub(in crate::store) fn oai_entry(
        &self,
        id: &RecordId,
    ) -> Result<Option<OaiEntry>, StoreError> {
        if let Some(entry) = self.feed_index().entry(id) {
            let kind = if entry.withdrawn {
                OaiKind::Deleted
            } else {
                OaiKind::Dataset
            };
            return Ok(Some(OaiEntry {
                key: entry.key,
                kind,
            }));
        }
        Ok(self
            .paper_keys()?
            .iter()
            .find(|key| key.id == *id)
            .map(|key| OaiEntry {
                key: key.clone(),
                kind: OaiKind::DataPaper,
            }))
    }

    /// Whether the record `id` names a DOI (`prism:doi`, or a DOI as `dct:identifier`).
    /// The records that do are read once per store generation: a walk of `oai_datacite`
    /// asks for every record, and a set lookup beats two index reads each.
    pub(in crate::store) fn record_has_doi(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self.doi_records()?.contains(id))
    }

    /// The ids of the records that name a DOI.
    fn doi_records(&self) -> Result<Arc<HashSet<RecordId>>, StoreError> {
        let generation = self.generation();
        let mut cached = self
            .doi_records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((made_at, ids)) = cached.as_ref()
            && *made_at == generation
        {
            return Ok(ids.clone());
        }
        let mut ids = HashSet::new();
        for predicate in [prism::DOI, dct::IDENTIFIER] {
            for quad in self
                .store
                .quads_for_pattern(None, Some(predicate), None, None)
            {
                let quad = quad?;
                if let (Term::Literal(value), GraphName::NamedNode(graph)) =
                    (&quad.object, &quad.graph_name)
                    && crate::model::bare_doi(value.value()).is_some()
                    && let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str())
                {
                    ids.insert(id);
                }
            }
        }
        let ids = Arc::new(ids);
        *cached = Some((generation, ids.clone()));
        Ok(ids)
    }

    /// The publishers (IRIs) and EU data themes (IRIs) public records name, each once,
    /// with a name or label in `language` (else any): what `ListSets` lists.
    pub(in crate::store) fn oai_set_members(
        &self,
        language: &str,
    ) -> Result<OaiSetMembers, StoreError> {
        let mut found = [BTreeSet::new(), BTreeSet::new()];
        for (slot, predicate) in [dct::PUBLISHER, dcat::THEME].into_iter().enumerate() {
            for quad in self
                .store
                .quads_for_pattern(None, Some(predicate), None, None)
            {
                let quad = quad?;
                if let (Term::NamedNode(object), GraphName::NamedNode(graph)) =
                    (quad.object, &quad.graph_name)
                    && self
                        .base
                        .local_id(ResourceKind::Record, graph.as_str())
                        .is_some()
                {
                    found[slot].insert(object);
                }
            }
        }
        let [publishers, themes] = found;
        let named = |iris: BTreeSet<NamedNode>| -> Result<Vec<(NamedNode, String)>, StoreError> {
            let mut out = Vec::new();
            for iri in iris {
                let mut labels = Vec::new();
                self.types_and_labels(iri.as_ref(), &mut labels)?;
                let name = best_label(&labels, language).unwrap_or_else(|| iri.as_str().to_owned());
                out.push((iri, name));
            }
            Ok(out)
        };
        Ok((named(publishers)?, named(themes)?))
    }
}
