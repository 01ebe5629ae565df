//! Harvested datasets: each is a record like any other, whose catalog record says where it
//! came from (`dct:source`, a record of the source's, `dct:isPartOf` the source's feed).
//! The private store keeps, per source, the fingerprint of each dataset's description as
//! last harvested, so that a dataset the source did not change is not written again. The
//! harvester's own documents (sources, job reports) are in `documents.rs`.

use super::split::WrittenRecord;
use crate::model::time::millis_literal;
use crate::model::vocab::{RDF_TYPE, dcat, dct, foaf};
use crate::model::{RecordDraft, RecordId, RecordKind, SplitOutcome};
use crate::store::history::Provenance;
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use oxigraph::store::Transaction;
use std::collections::{HashMap, HashSet};

/// A harvest source as the store knows it: the name it is kept under and its feed's URL.
#[derive(Debug, Clone, Copy)]
pub struct SourceRef<'a> {
    /// The source's name (`[a-z0-9-]`), unique.
    pub name: &'a str,
    /// The URL of the feed's first page.
    pub url: &'a str,
}

/// One dataset read from a source, to store.
#[derive(Debug, Clone)]
pub struct IncomingDataset {
    /// The dataset's IRI.
    pub topic: NamedNode,
    /// Its description.
    pub triples: Vec<Triple>,
    /// The fingerprint of `triples`; `None` when it could not be computed (always written).
    pub digest: Option<String>,
    /// When the source last changed it, for the source's record.
    pub source_modified: Option<Literal>,
    /// Other IRIs it says it is: if the catalog has one of them, it is a copy.
    pub aliases: Vec<NamedNode>,
    /// Whether it and its distributions meet the DCAT-AP shapes (`None`: not checked).
    pub conforms: Option<bool>,
}

/// What storing a harvested dataset did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A new record (or one of this source's withdrawn datasets back again).
    Created(RecordId),
    /// This source's record, with a new description.
    Updated(RecordId),
    /// This source's record, whose description did not change: not written.
    Unchanged(RecordId),
    /// Not written, for the reason given: the IRI is another source's or our own record's.
    Skipped(String),
}

/// A verdict, and whether the dataset has a tombstone here: one of the source's withdrawn
/// datasets coming back is written over its tombstone, not bulk-loaded as new.
struct Judged {
    verdict: Verdict,
    tombstone: bool,
}

/// Harvested records replaced in one transaction at most.
const REPLACED_AT_ONCE: usize = 1000;

/// A dataset to write, with what the harvest keeps beside it.
struct Pending {
    draft: RecordDraft,
    digest: Option<String>,
    modified: Option<Literal>,
}

/// What the harvest keeps beside a record it writes: the fingerprint, and when the source
/// last changed it.
type Kept = (Option<String>, Option<Literal>);

impl Pending {
    /// The drafts to write, and beside each what the harvest keeps of it.
    fn split(writes: Vec<Self>) -> (Vec<RecordDraft>, Vec<Kept>) {
        writes
            .into_iter()
            .map(|w| (w.draft, (w.digest, w.modified)))
            .unzip()
    }
}

impl CatalogStore {
    /// Stores the datasets of one page of `source`, each with a revision by `by`; with
    /// `dry_run`, only says what it would do.
    ///
    /// Datasets new to the store only add quads: they are written by the bulk loader,
    /// which is many times faster than a transaction (`bench/README.md`), all of the page
    /// at once. Replacements (and withdrawn datasets coming back) are written in one
    /// transaction. Either write is atomic; a failure leaves the other one's records.
    pub(in crate::store) fn store_harvested(
        &self,
        source: SourceRef<'_>,
        datasets: Vec<IncomingDataset>,
        by: &Provenance,
        dry_run: bool,
    ) -> Result<Vec<Verdict>, StoreError> {
        let _writer = self.write_lock();
        let reader = self.store.start_transaction()?;
        let judged = datasets
            .into_iter()
            .map(|dataset| Ok((self.verdict_in(&reader, source, &dataset)?, dataset)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let (verdicts, fresh, replacing) = sorted(judged);
        drop(reader);
        let mut ids = HashMap::new();
        if !dry_run {
            // A transaction holds its writes in memory: replacements go a page's worth at a
            // time, whatever the size of the batch.
            let mut replacing = replacing.into_iter().peekable();
            while replacing.peek().is_some() {
                let chunk: Vec<Pending> = replacing.by_ref().take(REPLACED_AT_ONCE).collect();
                for written in self.replace_harvested(source, chunk, by)? {
                    ids.insert(written.topic, written.id);
                }
            }
            for written in self.create_harvested(source, fresh, by)? {
                ids.insert(written.topic, written.id);
            }
        }
        // Verdicts name the ids the writes allocated (a new record's is known only now).
        Ok(verdicts
            .into_iter()
            .map(|(topic, verdict)| match (verdict, ids.remove(&topic)) {
                (Verdict::Created(_), Some(id)) => Verdict::Created(id),
                (Verdict::Updated(_), Some(id)) => Verdict::Updated(id),
                (verdict, _) => verdict,
            })
            .collect())
    }

    /// Writes the records of `writes` in one transaction, replacing those that exist.
    fn replace_harvested(
        &self,
        source: SourceRef<'_>,
        writes: Vec<Pending>,
        by: &Provenance,
    ) -> Result<Vec<WrittenRecord>, StoreError> {
        if writes.is_empty() {
            return Ok(Vec::new());
        }
        let mut transaction = self.store.start_transaction()?;
        let state = self.harvest_state_graph(source.name);
        let (drafts, extras) = Pending::split(writes);
        let outcome = SplitOutcome {
            records: drafts,
            ..SplitOutcome::default()
        };
        let (summary, changes) = self.write_split_in(&mut transaction, outcome, None)?;
        let mut private = self.private.start_transaction()?;
        for (written, (digest, modified)) in summary.written.iter().zip(extras) {
            let graph = self.base.record_graph(&written.id);
            let modified = modified.unwrap_or_else(|| millis_literal(written.version));
            for triple in source_record(&graph, &written.topic, source.url, modified) {
                transaction.insert(&triple.in_graph(graph.clone()));
            }
            self.forget_digest_in(&mut private, &state, &written.topic)?;
            private.insert(&self.digest_quad(&state, &written.topic, digest));
        }
        self.revisions_in(&mut private, &transaction, &summary.written, by)?;
        self.commit(transaction)?;
        self.remember_conformance(&summary.written);
        self.changed(changes);
        if let Err(error) = private.commit() {
            // The next run finds no fingerprint and writes these datasets again.
            tracing::error!(%error, "harvested records were written but not their fingerprints");
        }
        Ok(summary.written)
    }

    /// Writes the records of `writes`, whose topics no record, draft or tombstone has,
    /// with the bulk loader ([`super::fresh`]): their fingerprints first (they name the
    /// records as this source's, so that a later run withdraws them, and are harmless if
    /// the records are not written), then their graphs, the catalog's links to them and
    /// their revisions.
    fn create_harvested(
        &self,
        source: SourceRef<'_>,
        writes: Vec<Pending>,
        by: &Provenance,
    ) -> Result<Vec<WrittenRecord>, StoreError> {
        if writes.is_empty() {
            return Ok(Vec::new());
        }
        let (drafts, extras) = Pending::split(writes);
        let allocations = self.allocate(&self.store.start_transaction()?, &drafts)?;
        let came_from = |index: usize, graph: &NamedNode, topic: &NamedNode, now: &Literal| {
            let modified = extras
                .get(index)
                .and_then(|(_, modified)| modified.clone())
                .unwrap_or_else(|| now.clone());
            source_record(graph, topic, source.url, modified)
        };
        let fresh = self.fresh_records(drafts, allocations, (&HashMap::new(), &came_from), by)?;
        let state = self.harvest_state_graph(source.name);
        let fingerprints: Vec<Quad> = fresh
            .written
            .iter()
            .zip(&extras)
            .map(|(written, (digest, _))| self.digest_quad(&state, &written.topic, digest.clone()))
            .collect();
        let mut kept = self.private.bulk_loader();
        kept.load_quads(fingerprints)?;
        kept.commit()?;
        self.load_fresh_records(fresh, crate::store::faults::Point::HarvestCommitted)
    }

    /// `topic`'s fingerprint as harvested, in the source's private graph `state`.
    fn digest_quad(&self, state: &NamedNode, topic: &NamedNode, digest: Option<String>) -> Quad {
        Quad::new(
            topic.clone(),
            self.harvest_term("digest"),
            Literal::new_simple_literal(digest.unwrap_or_default()),
            state.clone(),
        )
    }

    /// What storing `dataset` from `source` does, as `transaction` sees the store.
    fn verdict_in(
        &self,
        transaction: &Transaction<'_>,
        source: SourceRef<'_>,
        dataset: &IncomingDataset,
    ) -> Result<Judged, StoreError> {
        let verdict = |verdict| Judged {
            verdict,
            tombstone: false,
        };
        let topic = &dataset.topic;
        if let Some(id) = self.record_of_topic(transaction, topic)? {
            return match self.harvested_from_in(transaction, &id)? {
                Some(url) if url == source.url => {
                    let known = self.harvest_digest(source.name, topic)?;
                    Ok(verdict(match (&known, &dataset.digest) {
                        (Some(known), Some(digest)) if known == digest => Verdict::Unchanged(id),
                        _ => Verdict::Updated(id),
                    }))
                }
                Some(url) => Ok(verdict(Verdict::Skipped(format!(
                    "{topic} is already harvested from {url}"
                )))),
                None => Ok(verdict(Verdict::Skipped(format!(
                    "{topic} is described here by our own record {}",
                    self.base.record_graph(&id)
                )))),
            };
        }
        for alias in &dataset.aliases {
            if let Some(id) = self.record_of_topic(transaction, alias)? {
                return Ok(verdict(Verdict::Skipped(format!(
                    "{topic} names {alias} as its identifier, which {} describes already",
                    self.base.record_graph(&id)
                ))));
            }
        }
        if self.draft_of_topic(topic)? {
            return Ok(verdict(Verdict::Skipped(format!(
                "{topic} is one of our drafts"
            ))));
        }
        let tombstone = self.withdrawn_record_of(topic)?;
        if let Some(id) = &tombstone
            && self.harvest_digest(source.name, topic)?.is_none()
        {
            return Ok(verdict(Verdict::Skipped(format!(
                "{topic} was withdrawn here ({})",
                self.base.record_graph(id)
            ))));
        }
        // The id is allocated when the record is written.
        Ok(Judged {
            verdict: Verdict::Created(RecordId::slugify(last_segment(topic.as_str()))),
            tombstone: tombstone.is_some(),
        })
    }

    /// The feed URL the record `id` was harvested from, if it was harvested.
    pub(in crate::store) fn harvested_from_in(
        &self,
        transaction: &Transaction<'_>,
        id: &RecordId,
    ) -> Result<Option<String>, StoreError> {
        let graph = self.base.record_graph(id);
        let g = GraphNameRef::NamedNode(graph.as_ref());
        for quad in transaction.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(dct::SOURCE),
            None,
            Some(g),
        ) {
            let node = match quad?.object {
                Term::NamedNode(n) => NamedOrBlankNode::from(n),
                Term::BlankNode(b) => NamedOrBlankNode::from(b),
                Term::Literal(_) | Term::Triple(_) => continue,
            };
            for part in transaction.quads_for_pattern(
                Some(node.as_ref()),
                Some(dct::IS_PART_OF),
                None,
                Some(g),
            ) {
                if let Term::NamedNode(feed) = part?.object {
                    return Ok(Some(feed.into_string()));
                }
            }
        }
        Ok(None)
    }

    /// The fingerprint of `topic` as last harvested from `source`.
    fn harvest_digest(
        &self,
        source: &str,
        topic: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        let state = self.harvest_state_graph(source);
        let found = self.private_values(Some(topic), &self.harvest_term("digest"), &state)?;
        Ok(found.into_iter().next().map(|(_, digest)| digest))
    }

    fn forget_digest_in(
        &self,
        private: &mut Transaction<'_>,
        state: &NamedNode,
        topic: &NamedNode,
    ) -> Result<(), StoreError> {
        let old: Vec<Quad> = private
            .quads_for_pattern(
                Some(topic.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(state.as_ref())),
            )
            .collect::<Result<_, _>>()?;
        for quad in &old {
            private.remove(quad);
        }
        Ok(())
    }

    /// The private graph of what `source` harvested.
    pub(in crate::store) fn harvest_state_graph(&self, source: &str) -> NamedNode {
        self.base.join(&format!(
            "graphs/harvest/state/{}",
            RecordId::slugify(source)
        ))
    }
}

/// The verdicts of a page's datasets, and the writes they call for: new records the bulk
/// loader writes, and replacements (or withdrawn datasets back) a transaction writes.
fn sorted(
    judged: Vec<(Judged, IncomingDataset)>,
) -> (Vec<(NamedNode, Verdict)>, Vec<Pending>, Vec<Pending>) {
    let mut verdicts = Vec::with_capacity(judged.len());
    let (mut fresh, mut replacing) = (Vec::new(), Vec::new());
    // Datasets of this call are not in the store yet: a copy of one, before or after
    // it, is found here (of two naming each other, the first gives way).
    let mut taken: HashSet<NamedNode> = judged
        .iter()
        .filter(|(judged, _)| matches!(judged.verdict, Verdict::Created(_)))
        .map(|(_, dataset)| dataset.topic.clone())
        .collect();
    for (
        Judged {
            mut verdict,
            tombstone,
        },
        dataset,
    ) in judged
    {
        if let Some(alias) = dataset
            .aliases
            .iter()
            .find(|a| **a != dataset.topic && taken.contains(*a))
            && matches!(verdict, Verdict::Created(_))
        {
            verdict = Verdict::Skipped(format!(
                "{} names {alias} as its identifier, which this harvest takes in already",
                dataset.topic
            ));
            taken.remove(&dataset.topic);
        }
        let write = Pending {
            draft: RecordDraft {
                kind: RecordKind::Dataset,
                preferred_id: RecordId::slugify(last_segment(dataset.topic.as_str())),
                topic: dataset.topic.clone().into(),
                triples: dataset.triples,
                conforms: dataset.conforms,
            },
            digest: dataset.digest,
            modified: dataset.source_modified,
        };
        match &verdict {
            Verdict::Created(_) if !tombstone => {
                fresh.push(write);
            }
            Verdict::Created(_) | Verdict::Updated(_) => replacing.push(write),
            Verdict::Unchanged(_) | Verdict::Skipped(_) => {}
        }
        verdicts.push((dataset.topic, verdict));
    }
    (verdicts, fresh, replacing)
}

/// The catalog record's `dct:source`: the source's own record of the dataset, as DCAT-AP
/// wants it (a `dcat:CatalogRecord`), part of the source's feed.
fn source_record(
    record: &NamedNode,
    topic: &NamedNode,
    feed: &str,
    modified: Literal,
) -> Vec<Triple> {
    let node = BlankNode::default();
    let mut triples = vec![
        Triple::new(record.clone(), dct::SOURCE, node.clone()),
        Triple::new(node.clone(), RDF_TYPE, dcat::CATALOG_RECORD),
        Triple::new(node.clone(), foaf::PRIMARY_TOPIC, topic.clone()),
        Triple::new(node.clone(), dct::MODIFIED, modified),
    ];
    if let Ok(feed) = NamedNode::new(feed) {
        triples.push(Triple::new(node, dct::IS_PART_OF, feed));
    }
    triples
}

/// The last non-empty segment of an IRI, for a record id.
fn last_segment(iri: &str) -> &str {
    let trimmed = iri.trim_end_matches(['/', '#']);
    trimmed
        .rsplit(['/', '#', ':', '='])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(trimmed)
}
