//! What the public store holds, counted in one pass: the numbers a VoID description gives
//! (triples, entities, and partitions by class and by property).

use super::{CatalogStore, StoreError};
use crate::model::RecordKind;
use crate::model::vocab::{RDF_TYPE, foaf};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

/// The public store's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Quads (triples in every graph).
    pub triples: u64,
    /// Distinct subjects that are IRIs.
    pub entities: u64,
    /// Distinct subjects, blank nodes included.
    pub distinct_subjects: u64,
    /// For each class, the distinct resources typed with it.
    pub classes: BTreeMap<String, u64>,
    /// For each property, the triples that use it.
    pub properties: BTreeMap<String, u64>,
}

impl CatalogStore {
    /// Counts what the public store holds (every graph the SPARQL endpoint reads).
    ///
    /// One pass over every quad; subjects are kept as 64-bit hashes (a collision would
    /// miscount one entity in billions), so the memory is a few bytes per subject.
    pub fn statistics(&self) -> Result<Statistics, StoreError> {
        let hasher = std::collections::hash_map::RandomState::new();
        let mut subjects: HashSet<u64> = HashSet::new();
        let mut entities: HashSet<u64> = HashSet::new();
        let mut typed: BTreeMap<String, HashSet<u64>> = BTreeMap::new();
        let mut statistics = Statistics::default();
        for quad in self.store.iter() {
            let quad = quad?;
            statistics.triples += 1;
            let subject = hash(&hasher, &quad.subject);
            subjects.insert(subject);
            if matches!(quad.subject, NamedOrBlankNode::NamedNode(_)) {
                entities.insert(subject);
            }
            *statistics
                .properties
                .entry(quad.predicate.as_str().to_owned())
                .or_default() += 1;
            if quad.predicate == RDF_TYPE
                && let Term::NamedNode(class) = &quad.object
            {
                typed
                    .entry(class.as_str().to_owned())
                    .or_default()
                    .insert(subject);
            }
        }
        statistics.distinct_subjects = subjects.len() as u64;
        statistics.entities = entities.len() as u64;
        statistics.classes = typed
            .into_iter()
            .map(|(class, members)| (class, members.len() as u64))
            .collect();
        Ok(statistics)
    }
}

impl CatalogStore {
    /// Published records by kind: one read of each record graph's `foaf:primaryTopic` and
    /// of its topic's types (some seconds at a million records: call it off the hot path).
    pub fn record_counts(&self) -> Result<HashMap<RecordKind, u64>, StoreError> {
        let records = format!("{}records/", self.base());
        let mut counts = HashMap::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(foaf::PRIMARY_TOPIC), None, None)
        {
            let quad = quad?;
            let (GraphName::NamedNode(graph), Term::NamedNode(topic)) =
                (&quad.graph_name, &quad.object)
            else {
                continue;
            };
            // The record is its graph's name; a harvested graph may also keep the
            // source's own catalog record, which is not one of ours.
            let ours = matches!(&quad.subject, NamedOrBlankNode::NamedNode(r) if r == graph);
            if !ours || !graph.as_str().starts_with(&records) {
                continue;
            }
            let types = self
                .store
                .quads_for_pattern(Some(topic.into()), Some(RDF_TYPE), None, Some(graph.into()))
                .filter_map(|q| match q.map(|q| q.object) {
                    Ok(Term::NamedNode(class)) => Some(class),
                    _ => None,
                })
                .collect::<Vec<_>>();
            if let Some(kind) = RecordKind::from_types(types.iter().map(NamedNode::as_ref)) {
                *counts.entry(kind).or_default() += 1;
            }
        }
        Ok(counts)
    }

    /// How many live datasets and tombstones the feed lists (kept in memory: free).
    pub fn feed_sizes(&self) -> (usize, usize) {
        self.feed_index().sizes()
    }
}

fn hash(hasher: &impl BuildHasher, value: &impl Hash) -> u64 {
    hasher.hash_one(value)
}
