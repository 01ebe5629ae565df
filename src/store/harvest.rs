//! Harvested datasets: each is a record like any other, whose catalog record says where it
//! came from (`dct:source`, a record of the source's, `dct:isPartOf` the source's feed).
//! The private store keeps, per source, the fingerprint of each dataset's description as
//! last harvested, so that a dataset the source did not change is not written again; and
//! the harvester's sources and job reports (as JSON documents).

use super::feed::millis_literal;
use super::history::{Action, Provenance, Revision};
use super::{CatalogStore, StoreError};
use crate::model::vocab::{RDF_TYPE, dcat, dct, foaf};
use crate::model::{RecordDraft, RecordId, RecordKind, SplitOutcome};
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term, Triple,
};
use oxigraph::store::Transaction;

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

/// Kinds of documents the harvester keeps in the private store.
#[derive(Debug, Clone, Copy)]
pub enum HarvestDocument {
    /// A source's settings.
    Source,
    /// A job's report.
    Job,
}

impl HarvestDocument {
    const fn graph(self) -> &'static str {
        match self {
            Self::Source => "graphs/harvest/sources",
            Self::Job => "graphs/harvest/jobs",
        }
    }
}

impl CatalogStore {
    /// Stores the datasets of one page of `source` in one transaction, each with a
    /// revision by `by`; with `dry_run`, only says what it would do.
    pub fn store_harvested(
        &self,
        source: SourceRef<'_>,
        datasets: Vec<IncomingDataset>,
        by: &Provenance,
        dry_run: bool,
    ) -> Result<Vec<Verdict>, StoreError> {
        let _writer = self.write_lock();
        let mut transaction = self.store.start_transaction()?;
        let state = self.harvest_state_graph(source.name);
        let mut verdicts = Vec::with_capacity(datasets.len());
        let mut drafts = Vec::new();
        let mut pending = Vec::new();
        for dataset in datasets {
            let verdict = self.verdict_in(&transaction, source, &dataset)?;
            if matches!(verdict, Verdict::Created(_) | Verdict::Updated(_)) {
                pending.push((dataset.digest.clone(), dataset.source_modified.clone()));
                drafts.push(RecordDraft {
                    kind: RecordKind::Dataset,
                    preferred_id: RecordId::slugify(last_segment(dataset.topic.as_str())),
                    topic: dataset.topic.into(),
                    triples: dataset.triples,
                });
            }
            verdicts.push(verdict);
        }
        if dry_run || drafts.is_empty() {
            return Ok(verdicts);
        }
        let outcome = SplitOutcome {
            records: drafts,
            ..SplitOutcome::default()
        };
        let (summary, changes) = self.write_split_in(&mut transaction, outcome, None)?;
        let mut private = self.private.start_transaction()?;
        for (written, (digest, modified)) in summary.written.iter().zip(pending) {
            let graph = self.base.record_graph(&written.id);
            let modified = modified.unwrap_or_else(|| millis_literal(written.version));
            for triple in source_record(&graph, &written.topic, source.url, modified) {
                transaction.insert(&triple.in_graph(graph.clone()));
            }
            self.forget_digest_in(&mut private, &state, &written.topic)?;
            let digest = digest.unwrap_or_default();
            private.insert(QuadRef::new(
                &written.topic,
                &self.harvest_term("digest"),
                &Literal::new_simple_literal(digest),
                GraphNameRef::NamedNode(state.as_ref()),
            ));
        }
        // Verdicts name the ids the write allocated (a new record's id is known only now).
        let mut ids = summary.written.iter().map(|w| w.id.clone());
        for verdict in &mut verdicts {
            if let Verdict::Created(id) | Verdict::Updated(id) = verdict
                && let Some(allocated) = ids.next()
            {
                *id = allocated;
            }
        }
        self.revisions_in(&mut private, &transaction, &summary.written, by)?;
        self.commit(transaction)?;
        self.feed_index_mut().apply(changes);
        if let Err(error) = private.commit() {
            // The next run finds no fingerprint and writes these datasets again.
            tracing::error!(%error, "harvested records were written but not their fingerprints");
        }
        Ok(verdicts)
    }

    /// What storing `dataset` from `source` does, as `transaction` sees the store.
    fn verdict_in(
        &self,
        transaction: &Transaction<'_>,
        source: SourceRef<'_>,
        dataset: &IncomingDataset,
    ) -> Result<Verdict, StoreError> {
        let topic = &dataset.topic;
        if let Some(id) = self.record_of_topic(transaction, topic)? {
            return match self.harvested_from_in(transaction, &id)? {
                Some(url) if url == source.url => {
                    let known = self.harvest_digest(source.name, topic)?;
                    Ok(match (&known, &dataset.digest) {
                        (Some(known), Some(digest)) if known == digest => Verdict::Unchanged(id),
                        _ => Verdict::Updated(id),
                    })
                }
                Some(url) => Ok(Verdict::Skipped(format!(
                    "{topic} is already harvested from {url}"
                ))),
                None => Ok(Verdict::Skipped(format!(
                    "{topic} is described here by our own record {}",
                    self.base.record_graph(&id)
                ))),
            };
        }
        if self.draft_of_topic(topic)? {
            return Ok(Verdict::Skipped(format!("{topic} is one of our drafts")));
        }
        if let Some(id) = self.withdrawn_record_of(topic)?
            && self.harvest_digest(source.name, topic)?.is_none()
        {
            return Ok(Verdict::Skipped(format!(
                "{topic} was withdrawn here ({})",
                self.base.record_graph(&id)
            )));
        }
        // The id is allocated when the record is written.
        Ok(Verdict::Created(RecordId::slugify(last_segment(
            topic.as_str(),
        ))))
    }

    /// The feed URL the record `id` was harvested from, if it was harvested.
    fn harvested_from_in(
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

    /// The datasets `source` has harvested, live or withdrawn since: what a complete run
    /// that no longer finds one of them withdraws.
    pub fn harvested_topics(&self, source: &str) -> Result<Vec<NamedNode>, StoreError> {
        let state = self.harvest_state_graph(source);
        let digest = self.harvest_term("digest");
        self.private
            .quads_for_pattern(
                None,
                Some(digest.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(state.as_ref())),
            )
            .filter_map(|q| match q {
                Ok(Quad {
                    subject: NamedOrBlankNode::NamedNode(topic),
                    ..
                }) => Some(Ok(topic)),
                Ok(_) => None,
                Err(e) => Some(Err(StoreError::from(e))),
            })
            .collect()
    }

    /// Withdraws the datasets of `topics` that are still live records harvested from
    /// `source`, in one transaction, each with a revision by `by`; returns how many.
    /// Their fingerprints are kept, so that they may come back from the same source.
    pub fn withdraw_harvested(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
        by: &Provenance,
    ) -> Result<usize, StoreError> {
        let _writer = self.write_lock();
        let mut transaction = self.store.start_transaction()?;
        let stamp = self.clock.stamp();
        let mut changes =
            self.purge_tombstones_in(&mut transaction, super::feed::now_millis() - self.retention)?;
        let mut revisions = Vec::new();
        for topic in topics {
            let Some(id) = self.record_of_topic(&transaction, topic)? else {
                continue;
            };
            if self.harvested_from_in(&transaction, &id)?.as_deref() != Some(source.url) {
                continue;
            }
            changes.extend(self.remove_record_in(
                &mut transaction,
                RecordKind::Dataset,
                &id,
                topic,
                stamp,
            )?);
            revisions.push((id, topic.clone()));
        }
        if revisions.is_empty() {
            return Ok(0);
        }
        let mut history = self.private.start_transaction()?;
        for (id, topic) in &revisions {
            let revision = Revision {
                kind: RecordKind::Dataset.resource_kind(),
                id,
                topic,
                action: Action::Delete,
                by,
                content: Vec::new(),
                at: stamp,
            };
            for quad in self.revision_quads(&revision)? {
                history.insert(&quad);
            }
        }
        self.commit(transaction)?;
        self.feed_index_mut().apply(changes);
        if let Err(error) = history.commit() {
            tracing::error!(%error, "harvested records were withdrawn but their revisions not written");
        }
        Ok(revisions.len())
    }

    /// Keeps `json` as the harvester's document `iri` of `kind`, replacing an older one.
    pub fn put_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
    ) -> Result<(), StoreError> {
        let graph = self.base.join(kind.graph());
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let term = self.harvest_term("document");
        let mut transaction = self.private.start_transaction()?;
        let old: Vec<Quad> = transaction
            .quads_for_pattern(
                Some(iri.as_ref().into()),
                Some(term.as_ref()),
                None,
                Some(g),
            )
            .collect::<Result<_, _>>()?;
        for quad in &old {
            transaction.remove(quad);
        }
        transaction.insert(QuadRef::new(
            iri,
            &term,
            &Literal::new_simple_literal(json),
            g,
        ));
        transaction.commit()?;
        Ok(())
    }

    /// The harvester's document `iri` of `kind`, if kept.
    pub fn harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        let graph = self.base.join(kind.graph());
        let term = self.harvest_term("document");
        let found = self
            .private
            .quads_for_pattern(
                Some(iri.as_ref().into()),
                Some(term.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?;
        Ok(found.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    /// Every document of `kind`, as `(iri, json)`, in IRI order.
    pub fn harvest_documents(
        &self,
        kind: HarvestDocument,
    ) -> Result<Vec<(NamedNode, String)>, StoreError> {
        let graph = self.base.join(kind.graph());
        let term = self.harvest_term("document");
        let mut documents: Vec<(NamedNode, String)> = self
            .private
            .quads_for_pattern(
                None,
                Some(term.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .filter_map(|q| match q {
                Ok(Quad {
                    subject: NamedOrBlankNode::NamedNode(iri),
                    object: Term::Literal(json),
                    ..
                }) => Some(Ok((iri, json.value().to_owned()))),
                Ok(_) => None,
                Err(e) => Some(Err(StoreError::from(e))),
            })
            .collect::<Result<_, _>>()?;
        documents.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(documents)
    }

    /// The fingerprint of `topic` as last harvested from `source`.
    fn harvest_digest(
        &self,
        source: &str,
        topic: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        let state = self.harvest_state_graph(source);
        let found = self
            .private
            .quads_for_pattern(
                Some(topic.as_ref().into()),
                Some(self.harvest_term("digest").as_ref()),
                None,
                Some(GraphNameRef::NamedNode(state.as_ref())),
            )
            .next()
            .transpose()?;
        Ok(found.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
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
    fn harvest_state_graph(&self, source: &str) -> NamedNode {
        self.base.join(&format!(
            "graphs/harvest/state/{}",
            RecordId::slugify(source)
        ))
    }

    /// A term of our bookkeeping vocabulary, under our base IRI (never served).
    fn harvest_term(&self, local: &str) -> NamedNode {
        self.base.join(&format!("ns/harvest#{local}"))
    }
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
