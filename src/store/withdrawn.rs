//! Tombstones: what is left of a deleted dataset so that incremental harvesters learn of
//! the deletion (`?modified_since=` lists them, marked withdrawn).
//!
//! A tombstone is a catalog record in the public graph `{base}graphs/withdrawn`, kept for
//! a configurable period:
//!
//! ```turtle
//! <{base}records/{id}> a dcat:CatalogRecord ; foaf:primaryTopic <dataset> ;
//!     dct:issued ... ; dct:modified <when it was deleted> ;
//!     dct:title "<the dataset's title>"@en ; dct:description "..."@en ;
//!     adms:status <http://publications.europa.eu/resource/authority/dataset-status/WITHDRAWN> .
//! ```
//!
//! The dataset itself is not described there: SPARQL users asking for `dcat:Dataset`s must
//! not get deleted ones. A feed page, whose DCAT-AP shapes want the record's topic typed,
//! adds `<dataset> a dcat:Dataset` with the title and description the record kept.

use super::feed::{FeedChange, FeedEntry, FeedKey};
use super::{CatalogStore, StoreError};
use crate::model::time::{millis_literal, to_millis};
use crate::model::vocab::{RDF_TYPE, WITHDRAWN, adms, dcat, dct, foaf};
use crate::model::{RecordId, ResourceKind};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, Term,
};
use oxigraph::store::Transaction;
use std::collections::HashSet;

impl CatalogStore {
    /// Writes tombstones for the dataset records in `ids`, which the transaction has just
    /// deleted (by SPARQL Update), from what the store held before.
    pub(super) fn withdraw_deleted_in(
        &self,
        transaction: &mut Transaction<'_>,
        ids: &[RecordId],
        stamp: i64,
    ) -> Result<Vec<FeedChange>, StoreError> {
        let withdrawn = self.base.withdrawn_graph();
        let mut changes = Vec::new();
        for id in ids {
            let graph = self.base.record_graph(id);
            // A record deleted again replaces its older tombstone.
            self.forget_in(transaction, std::slice::from_ref(&graph))?;
            let before = self.graph_quads(graph.as_ref())?;
            let Some(tombstone) = tombstone(&graph, &before, stamp, &withdrawn) else {
                continue;
            };
            for quad in &tombstone {
                transaction.insert(quad);
            }
            changes.push(FeedChange::Put(FeedEntry {
                key: FeedKey {
                    modified: stamp,
                    id: id.clone(),
                },
                withdrawn: true,
            }));
        }
        Ok(changes)
    }

    /// The ids of the dataset records a transaction still holds.
    pub(super) fn dataset_records_in(
        &self,
        transaction: &Transaction<'_>,
    ) -> Result<HashSet<RecordId>, StoreError> {
        let mut ids = HashSet::new();
        for quad in transaction.quads_for_pattern(
            None,
            Some(RDF_TYPE),
            Some(dcat::CATALOG_RECORD.into()),
            None,
        ) {
            let quad = quad?;
            if let (NamedOrBlankNodeRef::NamedNode(s), GraphName::NamedNode(g)) =
                (quad.subject.as_ref(), &quad.graph_name)
                && s == g.as_ref()
                && let Some(id) = self.base.local_id(ResourceKind::Record, g.as_str())
            {
                ids.insert(id);
            }
        }
        Ok(ids)
    }

    /// Removes the tombstones of `topic` (a dataset written again) and of `record`.
    pub(super) fn revive_in(
        &self,
        transaction: &mut Transaction<'_>,
        record: &NamedNode,
        topic: &NamedNode,
    ) -> Result<Vec<FeedChange>, StoreError> {
        let withdrawn = self.base.withdrawn_graph();
        let mut nodes: Vec<NamedNode> = vec![record.clone()];
        for quad in transaction.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        ) {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                nodes.push(node);
            }
        }
        self.forget_in(transaction, &nodes)
    }

    /// Forgets tombstones older than `horizon` (ms).
    pub(super) fn purge_tombstones_in(
        &self,
        transaction: &mut Transaction<'_>,
        horizon: i64,
    ) -> Result<Vec<FeedChange>, StoreError> {
        let withdrawn = self.base.withdrawn_graph();
        let g = GraphNameRef::NamedNode(withdrawn.as_ref());
        let mut old = Vec::new();
        for quad in transaction.quads_for_pattern(None, Some(dct::MODIFIED), None, Some(g)) {
            let quad = quad?;
            let modified = crate::model::time::parse_date_time(quad.object.as_ref()).map(to_millis);
            if let NamedOrBlankNode::NamedNode(node) = quad.subject
                && modified.is_none_or(|m| m < horizon)
            {
                old.push(node);
            }
        }
        self.forget_in(transaction, &old)
    }

    /// Removes the tombstones whose record nodes are `nodes`.
    pub(super) fn forget_in(
        &self,
        transaction: &mut Transaction<'_>,
        nodes: &[NamedNode],
    ) -> Result<Vec<FeedChange>, StoreError> {
        let withdrawn = self.base.withdrawn_graph();
        let mut changes = Vec::new();
        for node in nodes {
            let quads: Vec<Quad> = transaction
                .quads_for_pattern(
                    Some(node.as_ref().into()),
                    None,
                    None,
                    Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
                )
                .collect::<Result<_, _>>()?;
            if quads.is_empty() {
                continue;
            }
            for quad in &quads {
                transaction.remove(quad);
            }
            if let Some(id) = self.base.local_id(ResourceKind::Record, node.as_str()) {
                changes.push(FeedChange::Forget(id));
            }
        }
        Ok(changes)
    }

    /// A tombstone as a feed page shows it: the record, then its dataset typed and named
    /// from what the record kept.
    pub(super) fn tombstone_quads(&self, id: &RecordId) -> Result<Vec<Quad>, StoreError> {
        let record = self.base.record_graph(id);
        let withdrawn = self.base.withdrawn_graph();
        let mut quads = Vec::new();
        for quad in self.store.quads_for_pattern(
            Some(record.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        ) {
            quads.push(quad?);
        }
        let topic = quads.iter().find_map(|q| match &q.object {
            Term::NamedNode(topic) if q.predicate == foaf::PRIMARY_TOPIC => Some(topic.clone()),
            _ => None,
        });
        if let Some(topic) = topic {
            let mut described = vec![Quad::new(
                topic.clone(),
                RDF_TYPE,
                dcat::DATASET,
                withdrawn.clone(),
            )];
            for quad in &quads {
                if quad.predicate == dct::TITLE || quad.predicate == dct::DESCRIPTION {
                    described.push(Quad::new(
                        topic.clone(),
                        quad.predicate.clone(),
                        quad.object.clone(),
                        withdrawn.clone(),
                    ));
                }
            }
            quads.extend(described);
        }
        Ok(quads)
    }
}

/// The tombstone, in graph `withdrawn`, of the record graph `graph` whose quads were
/// `quads`; `None` when it had no topic.
fn tombstone(
    graph: &NamedNode,
    quads: &[Quad],
    stamp: i64,
    withdrawn: &NamedNode,
) -> Option<Vec<Quad>> {
    let topic = quads.iter().find_map(|q| match (&q.subject, &q.object) {
        (NamedOrBlankNode::NamedNode(s), Term::NamedNode(t))
            if s == graph && q.predicate == foaf::PRIMARY_TOPIC =>
        {
            Some(t.clone())
        }
        _ => None,
    })?;
    let quad = |p: NamedNodeRef<'_>, o: Term| {
        Quad::new(graph.clone(), p.into_owned(), o, withdrawn.clone())
    };
    let mut out = vec![
        quad(RDF_TYPE, dcat::CATALOG_RECORD.into()),
        quad(foaf::PRIMARY_TOPIC, topic.clone().into()),
        quad(dct::MODIFIED, millis_literal(stamp).into()),
        quad(adms::STATUS, WITHDRAWN.into()),
    ];
    let values = |subject: &NamedNode, predicate: NamedNodeRef<'_>| -> Vec<Term> {
        quads
            .iter()
            .filter(|q| q.subject == subject.clone().into() && q.predicate == predicate)
            .map(|q| q.object.clone())
            .collect()
    };
    // The profile the record followed (our shapes, which the record names).
    for value in [dct::ISSUED, dct::CONFORMS_TO] {
        if let Some(kept) = values(graph, value).into_iter().next() {
            out.push(quad(value, kept));
        }
    }
    for predicate in [dct::TITLE, dct::DESCRIPTION] {
        let mut kept = values(&topic, predicate);
        if kept.is_empty() {
            kept.push(Literal::new_language_tagged_literal_unchecked("(withdrawn)", "en").into());
        }
        for value in kept {
            out.push(quad(predicate, value));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tombstone_keeps_the_title_on_the_record_and_marks_it_withdrawn() {
        let graph = NamedNode::new_unchecked("http://ex.org/records/a");
        let topic = NamedNode::new_unchecked("http://ex.org/datasets/a");
        let withdrawn = NamedNode::new_unchecked("http://ex.org/graphs/withdrawn");
        let title = Literal::new_language_tagged_literal_unchecked("Air", "en");
        let quads = vec![
            Quad::new(
                graph.clone(),
                foaf::PRIMARY_TOPIC,
                topic.clone(),
                graph.clone(),
            ),
            Quad::new(topic.clone(), dct::TITLE, title.clone(), graph.clone()),
        ];
        let tomb = tombstone(&graph, &quads, 0, &withdrawn).expect("the record has a topic");
        let has = |p: NamedNodeRef<'_>, o: Term| {
            tomb.iter()
                .any(|q| q.subject == graph.clone().into() && q.predicate == p && q.object == o)
        };
        assert!(has(adms::STATUS, WITHDRAWN.into()));
        assert!(has(dct::TITLE, title.into()));
        assert!(tomb.iter().all(|q| q.subject == graph.clone().into()));
        assert!(
            tomb.iter()
                .all(|q| q.graph_name == withdrawn.clone().into())
        );
        assert!(tombstone(&graph, &quads[1..], 0, &withdrawn).is_none());
    }
}
