//! Writing records: each record replaces its graph in the same transaction as the
//! catalog links, so a reader never sees a half-written record.

use super::{CatalogStore, StoreError};
use crate::model::vocab::{DCAT_AP_PROFILE, RDF_TYPE, dcat, dct, foaf};
use crate::model::{RecordDraft, RecordId, RecordKind, SplitOutcome};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term, Triple,
};
use oxigraph::store::Transaction;
use std::collections::{HashMap, HashSet};

/// What a write did, for reports on the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Records that did not exist before.
    pub created: usize,
    /// Records that replaced an earlier version of themselves.
    pub replaced: usize,
    /// Triples kept in the unassigned graph because no record owns them.
    pub unassigned: usize,
}

/// The current time as an `xsd:dateTime` literal, to the second.
pub(crate) fn now_literal() -> Literal {
    let now = time::OffsetDateTime::now_utc();
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let text = now
        .format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned());
    Literal::new_typed_literal(text, xsd::DATE_TIME)
}

impl CatalogStore {
    /// Writes every record of `outcome`, the catalog triples and the unassigned triples in
    /// one transaction.
    pub(crate) fn write_split(&self, outcome: SplitOutcome) -> Result<WriteSummary, StoreError> {
        let mut transaction = self.store.start_transaction()?;
        let summary = self.write_split_in(&mut transaction, outcome)?;
        self.commit(transaction)?;
        Ok(summary)
    }

    fn write_split_in(
        &self,
        transaction: &mut Transaction<'_>,
        outcome: SplitOutcome,
    ) -> Result<WriteSummary, StoreError> {
        let now = now_literal();
        let mut summary = WriteSummary::default();
        let ids = self.allocate_ids(transaction, &outcome.records)?;
        let renames = blank_topic_renames(&outcome.records, &ids, self);
        let catalog = self.base.catalog();
        let catalog_graph = self.base.catalog_graph();
        for (draft, (id, existed)) in outcome.records.iter().zip(&ids) {
            let graph = self.base.record_graph(id);
            let topic = rename_subject(&draft.topic, &renames);
            let issued = self.previous_issued(transaction, &graph)?;
            transaction.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
            for triple in &draft.triples {
                transaction.insert(&in_graph(rename(triple, &renames), &graph));
            }
            let record_triples = record_node(
                draft.kind,
                &graph,
                &topic,
                issued.unwrap_or(now.clone()),
                &now,
            );
            for triple in record_triples {
                transaction.insert(&in_graph(triple, &graph));
            }
            if draft.kind == RecordKind::Dataset {
                let g = GraphNameRef::NamedNode(catalog_graph.as_ref());
                transaction.insert(QuadRef::new(&catalog, dcat::DATASET_PROP, &topic, g));
                transaction.insert(QuadRef::new(&catalog, dcat::RECORD, &graph, g));
            }
            if *existed {
                summary.replaced += 1;
            } else {
                summary.created += 1;
            }
        }
        if !outcome.catalog.is_empty() {
            self.replace_catalog_description(transaction, &outcome.catalog, &renames)?;
        }
        let unassigned = self.base.join("graphs/unassigned");
        for triple in &outcome.unassigned {
            transaction.insert(&in_graph(rename(triple, &renames), &unassigned));
        }
        summary.unassigned = outcome.unassigned.len();
        Ok(summary)
    }

    /// Picks a record id per draft: the id of the record that already has this topic (the
    /// draft replaces it), else the preferred id made unique with `-2`, `-3`...
    fn allocate_ids(
        &self,
        transaction: &Transaction<'_>,
        drafts: &[RecordDraft],
    ) -> Result<Vec<(RecordId, bool)>, StoreError> {
        let mut taken = HashSet::new();
        let mut ids = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let topic = self.stable_topic(draft);
            if let Some(id) = self.record_of_topic(transaction, &topic)?
                && taken.insert(id.clone())
            {
                ids.push((id, true));
                continue;
            }
            let mut candidate = draft.preferred_id.clone();
            let mut suffix = 2;
            while taken.contains(&candidate) || self.graph_exists(transaction, &candidate)? {
                candidate = RecordId::slugify(&format!("{}-{suffix}", draft.preferred_id));
                suffix += 1;
            }
            taken.insert(candidate.clone());
            ids.push((candidate, false));
        }
        Ok(ids)
    }

    /// The topic a draft will have once stored: blank-node topics get our IRI for their
    /// preferred id, so that loading the same file twice replaces rather than duplicates.
    fn stable_topic(&self, draft: &RecordDraft) -> Term {
        match &draft.topic {
            NamedOrBlankNode::NamedNode(n) => n.clone().into(),
            NamedOrBlankNode::BlankNode(_) => self
                .base
                .resource(draft.kind.resource_kind(), &draft.preferred_id)
                .into(),
        }
    }

    fn record_of_topic(
        &self,
        transaction: &Transaction<'_>,
        topic: &Term,
    ) -> Result<Option<RecordId>, StoreError> {
        for quad in transaction.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref()),
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
        let graph = self.base.record_graph(id);
        Ok(transaction
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?
            .is_some())
    }

    fn previous_issued(
        &self,
        transaction: &Transaction<'_>,
        graph: &NamedNode,
    ) -> Result<Option<Literal>, StoreError> {
        let found = transaction
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(dct::ISSUED),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?;
        Ok(found.and_then(|q| match q.object {
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
/// dates; typed `dcat:CatalogRecord` and conforming to DCAT-AP for datasets.
fn record_node(
    kind: RecordKind,
    graph: &NamedNode,
    topic: &Term,
    issued: Literal,
    modified: &Literal,
) -> Vec<Triple> {
    let mut triples = vec![
        Triple::new(graph.clone(), foaf::PRIMARY_TOPIC, topic.clone()),
        Triple::new(graph.clone(), dct::ISSUED, issued),
        Triple::new(graph.clone(), dct::MODIFIED, modified.clone()),
    ];
    if kind == RecordKind::Dataset {
        triples.push(Triple::new(graph.clone(), RDF_TYPE, dcat::CATALOG_RECORD));
        triples.push(Triple::new(
            graph.clone(),
            dct::CONFORMS_TO,
            DCAT_AP_PROFILE,
        ));
    }
    triples
}

/// Blank-node topics become `{base}{kind}/{id}` IRIs (see `stable_topic`).
fn blank_topic_renames(
    drafts: &[RecordDraft],
    ids: &[(RecordId, bool)],
    store: &CatalogStore,
) -> HashMap<BlankNode, NamedNode> {
    drafts
        .iter()
        .zip(ids)
        .filter_map(|(draft, (id, _))| match &draft.topic {
            NamedOrBlankNode::BlankNode(b) => Some((
                b.clone(),
                store.base.resource(draft.kind.resource_kind(), id),
            )),
            NamedOrBlankNode::NamedNode(_) => None,
        })
        .collect()
}

fn rename_subject(topic: &NamedOrBlankNode, renames: &HashMap<BlankNode, NamedNode>) -> Term {
    match topic {
        NamedOrBlankNode::BlankNode(b) => renames
            .get(b)
            .map_or_else(|| b.clone().into(), |n| n.clone().into()),
        NamedOrBlankNode::NamedNode(n) => n.clone().into(),
    }
}

fn rename(triple: &Triple, renames: &HashMap<BlankNode, NamedNode>) -> Triple {
    if renames.is_empty() {
        return triple.clone();
    }
    let subject = match &triple.subject {
        NamedOrBlankNode::BlankNode(b) => renames
            .get(b)
            .map_or_else(|| triple.subject.clone(), |n| n.clone().into()),
        other => other.clone(),
    };
    let object = match &triple.object {
        Term::BlankNode(b) => renames
            .get(b)
            .map_or_else(|| triple.object.clone(), |n| n.clone().into()),
        other => other.clone(),
    };
    Triple::new(subject, triple.predicate.clone(), object)
}

fn in_graph(triple: Triple, graph: &NamedNode) -> Quad {
    triple.in_graph(graph.clone())
}
