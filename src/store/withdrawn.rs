//! Tombstones: what is left of a deleted dataset so that incremental harvesters learn of
//! the deletion (`?modified_since=` lists them, marked withdrawn).
//!
//! A tombstone is kept in the store's default graph, which public SPARQL does not see (its
//! default graph is the union of the named graphs), for a configurable period:
//!
//! ```turtle
//! <{base}records/{id}> a dcat:CatalogRecord ; foaf:primaryTopic <dataset> ;
//!     dct:issued ... ; dct:modified <when it was deleted> ;
//!     adms:status <http://publications.europa.eu/resource/authority/dataset-status/WITHDRAWN> .
//! <dataset> a dcat:Dataset ; dct:title ... ; dct:description ... .
//! ```
//!
//! The dataset keeps its title and description because DCAT-AP requires them of anything
//! typed `dcat:Dataset`, and the record's topic must be typed so.

use super::feed::{FeedChange, FeedEntry, FeedKey, millis_literal, to_millis};
use super::{CatalogStore, StoreError};
use crate::model::vocab::{DCAT_AP_PROFILE, RDF_TYPE, WITHDRAWN, adms, dcat, dct, foaf};
use crate::model::{RecordId, ResourceKind};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad,
    Term,
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
        let mut changes = Vec::new();
        for id in ids {
            let graph = self.base.record_graph(id);
            let before = self.graph_quads(graph.as_ref())?;
            let Some(tombstone) = tombstone(&graph, &before, stamp) else {
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
        let mut nodes: Vec<NamedNode> = vec![record.clone()];
        for quad in transaction.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let NamedOrBlankNodeRef::NamedNode(node) = quad?.subject.as_ref() {
                nodes.push(node.into_owned());
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
        let mut old = Vec::new();
        for quad in transaction.quads_for_pattern(
            None,
            Some(adms::STATUS),
            Some(WITHDRAWN.into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            let quad = quad?;
            let NamedOrBlankNodeRef::NamedNode(node) = quad.subject.as_ref() else {
                continue;
            };
            let modified = transaction
                .quads_for_pattern(
                    Some(node.into()),
                    Some(dct::MODIFIED),
                    None,
                    Some(GraphNameRef::DefaultGraph),
                )
                .next()
                .transpose()?
                .and_then(|q| super::describe::parse_date_time(q.object.as_ref()))
                .map(to_millis);
            if modified.is_none_or(|m| m < horizon) {
                old.push(node.into_owned());
            }
        }
        self.forget_in(transaction, &old)
    }

    /// Removes the tombstones whose record nodes are `nodes`, with their topics.
    fn forget_in(
        &self,
        transaction: &mut Transaction<'_>,
        nodes: &[NamedNode],
    ) -> Result<Vec<FeedChange>, StoreError> {
        let mut changes = Vec::new();
        for node in nodes {
            let quads = default_graph_quads(transaction, node.as_ref())?;
            if !quads
                .iter()
                .any(|q| q.predicate == adms::STATUS && q.object == WITHDRAWN.into())
            {
                continue;
            }
            for quad in &quads {
                if quad.predicate == foaf::PRIMARY_TOPIC
                    && let Term::NamedNode(topic) = &quad.object
                {
                    for topic_quad in default_graph_quads(transaction, topic.as_ref())? {
                        transaction.remove(&topic_quad);
                    }
                }
                transaction.remove(quad);
            }
            if let Some(id) = self.base.local_id(ResourceKind::Record, node.as_str()) {
                changes.push(FeedChange::Remove(id));
            }
        }
        Ok(changes)
    }

    /// A tombstone's quads, for a feed page: its record node first, then its dataset.
    pub(super) fn tombstone_quads(&self, id: &RecordId) -> Result<Vec<Quad>, StoreError> {
        let record = self.base.record_graph(id);
        let mut quads = Vec::new();
        for quad in self.store.quads_for_pattern(
            Some(record.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            quads.push(quad?);
        }
        let topics: Vec<NamedNode> = quads
            .iter()
            .filter(|q| q.predicate == foaf::PRIMARY_TOPIC)
            .filter_map(|q| match &q.object {
                Term::NamedNode(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        for topic in topics {
            for quad in self.store.quads_for_pattern(
                Some(topic.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            ) {
                quads.push(quad?);
            }
        }
        Ok(quads)
    }
}

fn default_graph_quads(
    transaction: &Transaction<'_>,
    subject: NamedNodeRef<'_>,
) -> Result<Vec<Quad>, StoreError> {
    Ok(transaction
        .quads_for_pattern(
            Some(subject.into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        )
        .collect::<Result<_, _>>()?)
}

/// The tombstone of the record graph `graph` whose quads were `quads`; `None` when it
/// had no topic.
fn tombstone(graph: &NamedNode, quads: &[Quad], stamp: i64) -> Option<Vec<Quad>> {
    let topic = quads.iter().find_map(|q| match (&q.subject, &q.object) {
        (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::NamedNode(t))
            if s == graph && q.predicate == foaf::PRIMARY_TOPIC =>
        {
            Some(t.clone())
        }
        _ => None,
    })?;
    let in_default = |s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, o: Term| {
        Quad::new(s.into_owned(), p.into_owned(), o, GraphName::DefaultGraph)
    };
    let mut out = vec![
        in_default(graph.as_ref(), RDF_TYPE, dcat::CATALOG_RECORD.into()),
        in_default(graph.as_ref(), foaf::PRIMARY_TOPIC, topic.clone().into()),
        in_default(graph.as_ref(), dct::MODIFIED, millis_literal(stamp).into()),
        in_default(graph.as_ref(), adms::STATUS, WITHDRAWN.into()),
        in_default(graph.as_ref(), dct::CONFORMS_TO, DCAT_AP_PROFILE.into()),
        in_default(topic.as_ref(), RDF_TYPE, dcat::DATASET.into()),
    ];
    let copied = |subject: &NamedNode, predicate: NamedNodeRef<'_>| {
        quads
            .iter()
            .filter(move |q| q.subject == subject.clone().into() && q.predicate == predicate)
            .map(|q| q.object.clone())
            .collect::<Vec<_>>()
    };
    for issued in copied(graph, dct::ISSUED).into_iter().take(1) {
        out.push(in_default(graph.as_ref(), dct::ISSUED, issued));
    }
    for predicate in [dct::TITLE, dct::DESCRIPTION] {
        let mut values = copied(&topic, predicate);
        if values.is_empty() {
            values.push(Literal::new_language_tagged_literal_unchecked("(withdrawn)", "en").into());
        }
        for value in values {
            out.push(in_default(topic.as_ref(), predicate, value));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tombstone_keeps_the_topic_title_and_marks_the_record_withdrawn() {
        let graph = NamedNode::new_unchecked("http://ex.org/records/a");
        let topic = NamedNode::new_unchecked("http://ex.org/datasets/a");
        let title = Literal::new_language_tagged_literal_unchecked("Air", "en");
        let quads = vec![
            Quad::new(graph.clone(), foaf::PRIMARY_TOPIC, topic.clone(), graph.clone()),
            Quad::new(topic.clone(), dct::TITLE, title.clone(), graph.clone()),
        ];
        let tomb = tombstone(&graph, &quads, 0).expect("the record has a topic");
        let has = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
            tomb.iter()
                .any(|q| q.subject == s.clone().into() && q.predicate == p && q.object == o)
        };
        assert!(has(&graph, adms::STATUS, WITHDRAWN.into()));
        assert!(has(&topic, dct::TITLE, title.into()));
        assert!(has(&topic, RDF_TYPE, dcat::DATASET.into()));
        assert!(tomb.iter().all(|q| q.graph_name == GraphName::DefaultGraph));
        assert!(tombstone(&graph, &quads[1..], 0).is_none());
    }
}
