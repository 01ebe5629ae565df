//! The history of records: each write through the API appends a PROV-O revision (who,
//! when, what, from where, and the content with its SHA-256) to the private store.
//!
//! The history lives in the private store (`{data_dir}/private`) so that earlier versions,
//! which describe the same dataset, never show up in public SPARQL answers. Revision `n` of
//! a record is the entity `{base}{kind}/{id}?version=n`, which dereferences to that
//! version; its activity is `{base}{kind}/{id}/history#n`.

use super::lookup::QuadSource;
use super::{CatalogStore, StoreError};
use crate::model::time::millis_literal;
use crate::model::vocab::{RDF_TYPE, dct, foaf, prov, rdfs, spdx};
use crate::model::{RecordId, ResourceKind};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use sha2::{Digest, Sha256};

/// Who made a change, and from where: recorded with every revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The token's name (`admin` for the bootstrap token).
    pub agent: String,
    /// Where the change came from (`HTTP API from 127.0.0.1`...).
    pub source: String,
}

/// What a revision did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The first version.
    Create,
    /// A new version replacing the previous one.
    Replace,
    /// A draft (or embargoed record) made public.
    Publish,
    /// The record was deleted (withdrawn): it answers `410 Gone`, its history stays public.
    Delete,
    /// A draft was deleted: it was never public, nor is its history.
    Discard,
}

impl Action {
    const fn label(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Replace => "replace",
            Self::Publish => "publish",
            Self::Delete => "delete",
            Self::Discard => "discard",
        }
    }
}

/// One change to record, before it is written.
pub(super) struct Revision<'a> {
    pub kind: ResourceKind,
    pub id: &'a RecordId,
    pub topic: &'a NamedNode,
    pub action: Action,
    pub by: &'a Provenance,
    /// The record graph after the change (empty for a deletion).
    pub content: Vec<Triple>,
    /// When, in milliseconds (the record's new `dct:modified`).
    pub at: i64,
}

impl CatalogStore {
    /// Appends `revision` to the history, in its own transaction of the private store;
    /// returns the quads written, for [`Self::undo_revision`] if the write it records fails.
    pub(super) fn append_revision(&self, revision: &Revision<'_>) -> Result<Vec<Quad>, StoreError> {
        let quads = self.revision_quads(revision)?;
        let mut transaction = self.private.start_transaction()?;
        for quad in &quads {
            transaction.insert(quad);
        }
        transaction.commit()?;
        Ok(quads)
    }

    /// The quads of `revision`, numbered after the record's last one.
    pub(super) fn revision_quads(&self, revision: &Revision<'_>) -> Result<Vec<Quad>, StoreError> {
        let graph = self.history_graph(revision.id);
        let number = self.revision_count(&graph)? + 1;
        let entity = self.revision_iri(revision.kind, revision.id, number);
        let activity = self.base.join(&format!(
            "{}/{}/history#{number}",
            revision.kind.path_segment(),
            revision.id
        ));
        let agent = BlankNode::default();
        let time = millis_literal(revision.at);
        let mut triples = vec![
            Triple::new(entity.clone(), RDF_TYPE, prov::ENTITY),
            Triple::new(
                entity.clone(),
                prov::SPECIALIZATION_OF,
                revision.topic.clone(),
            ),
            Triple::new(entity.clone(), dct::IDENTIFIER, Literal::from(number)),
            Triple::new(entity.clone(), prov::GENERATED_AT_TIME, time.clone()),
            Triple::new(entity.clone(), prov::WAS_GENERATED_BY, activity.clone()),
            Triple::new(activity.clone(), RDF_TYPE, prov::ACTIVITY),
            Triple::new(
                activity.clone(),
                rdfs::LABEL,
                Literal::new_simple_literal(revision.action.label()),
            ),
            Triple::new(activity.clone(), prov::ENDED_AT_TIME, time),
            Triple::new(activity.clone(), prov::WAS_ASSOCIATED_WITH, agent.clone()),
            Triple::new(
                activity,
                dct::SOURCE,
                Literal::new_simple_literal(&revision.by.source),
            ),
            Triple::new(agent.clone(), RDF_TYPE, prov::AGENT),
            Triple::new(
                agent,
                foaf::NAME,
                Literal::new_simple_literal(&revision.by.agent),
            ),
        ];
        if number > 1 {
            let previous = self.revision_iri(revision.kind, revision.id, number - 1);
            triples.push(Triple::new(entity.clone(), prov::WAS_REVISION_OF, previous));
        }
        if !matches!(revision.action, Action::Delete | Action::Discard) {
            triples.extend(content_triples(entity, &revision.content));
        }
        Ok(triples
            .into_iter()
            .map(|t| t.in_graph(graph.clone()))
            .collect())
    }

    /// Appends a bulk change (a SPARQL update, a load) to the catalog's history, which
    /// lists them at `{base}history`: `label` says what it was, `value` what it did (the
    /// update's text, the files loaded), `touched` the records it wrote or withdrew.
    pub(super) fn append_catalog_activity(
        &self,
        label: &str,
        by: &Provenance,
        value: &str,
        touched: &[NamedNode],
    ) -> Result<(), StoreError> {
        let graph = self.catalog_history_graph();
        let mut number = 0;
        for quad in self.private.quads_for_pattern(
            None,
            Some(RDF_TYPE),
            Some(prov::ACTIVITY.into()),
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            quad?;
            number += 1;
        }
        let activity = self.base.join(&format!("history#{}", number + 1));
        let agent = BlankNode::default();
        let mut triples = vec![
            Triple::new(activity.clone(), RDF_TYPE, prov::ACTIVITY),
            Triple::new(activity.clone(), dct::IDENTIFIER, Literal::from(number + 1)),
            Triple::new(
                activity.clone(),
                rdfs::LABEL,
                Literal::new_simple_literal(label),
            ),
            Triple::new(
                activity.clone(),
                prov::ENDED_AT_TIME,
                millis_literal(crate::model::time::now_millis()),
            ),
            Triple::new(activity.clone(), prov::WAS_ASSOCIATED_WITH, agent.clone()),
            Triple::new(
                activity.clone(),
                dct::SOURCE,
                Literal::new_simple_literal(&by.source),
            ),
            Triple::new(
                activity.clone(),
                prov::VALUE,
                Literal::new_simple_literal(value),
            ),
            Triple::new(agent.clone(), RDF_TYPE, prov::AGENT),
            Triple::new(agent, foaf::NAME, Literal::new_simple_literal(&by.agent)),
        ];
        triples.extend(
            touched
                .iter()
                .map(|record| Triple::new(activity.clone(), prov::INFLUENCED, record.clone())),
        );
        let mut transaction = self.private.start_transaction()?;
        for triple in triples {
            transaction.insert(&triple.in_graph(graph.clone()));
        }
        transaction.commit()?;
        Ok(())
    }

    /// The catalog's history: its bulk changes, newest last. Empty when there were none.
    pub(in crate::store) fn catalog_history(&self) -> Result<Vec<Quad>, StoreError> {
        self.private
            .graph_quads(self.catalog_history_graph().as_ref())
    }

    /// `{base}history`: no record's history graph (`{base}history/{id}`) can be it.
    fn catalog_history_graph(&self) -> NamedNode {
        self.base.join("history")
    }

    /// Removes a revision whose write failed.
    pub(super) fn undo_revision(&self, quads: &[Quad]) {
        let undone = self
            .private
            .start_transaction()
            .and_then(|mut transaction| {
                for quad in quads {
                    transaction.remove(quad);
                }
                transaction.commit()
            });
        if let Err(error) = undone {
            tracing::error!(%error, "a revision of a failed write could not be removed");
        }
    }

    /// The history of the record `id`: its revisions and their activities, without their
    /// contents. `None` when it has none.
    pub(in crate::store) fn history(&self, id: &RecordId) -> Result<Option<Vec<Quad>>, StoreError> {
        let graph = self.history_graph(id);
        let mut quads = Vec::new();
        for quad in self.private.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            let quad = quad?;
            if quad.predicate != prov::VALUE {
                quads.push(Quad::new(
                    quad.subject,
                    quad.predicate,
                    quad.object,
                    GraphName::DefaultGraph,
                ));
            }
        }
        if quads.is_empty() {
            return Ok(None);
        }
        quads.sort_by_cached_key(|q| (q.subject.to_string(), q.predicate.to_string()));
        Ok(Some(quads))
    }

    /// Version `number` of the record `id` of kind `kind`, as it was written; `None` when
    /// there is no such version (or it is a deletion).
    pub(in crate::store) fn version(
        &self,
        kind: ResourceKind,
        id: &RecordId,
        number: u64,
    ) -> Result<Option<Vec<Quad>>, StoreError> {
        let graph = self.history_graph(id);
        let entity = self.revision_iri(kind, id, number);
        let found = self
            .private
            .object_of(entity.as_ref().into(), prov::VALUE, graph.as_ref())?;
        let Some(Term::Literal(content)) = found else {
            return Ok(None);
        };
        RdfParser::from_format(RdfFormat::NTriples)
            .for_slice(content.value().as_bytes())
            .map(|q| q.map_err(|e| StoreError::from_parse("history", e.into())))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// The resource the record `id` described, if its last revision deleted it while it
    /// was public (a deleted draft's was never public).
    pub(super) fn deleted_topic(&self, id: &RecordId) -> Result<Option<NamedNode>, StoreError> {
        let graph = self.history_graph(id);
        let g = Some(GraphNameRef::NamedNode(graph.as_ref()));
        let mut last: Option<(u64, NamedOrBlankNode, bool)> = None;
        for quad in self
            .private
            .quads_for_pattern(None, Some(rdfs::LABEL), None, g)
        {
            let quad = quad?;
            let number = match &quad.subject {
                NamedOrBlankNode::NamedNode(activity) => activity
                    .as_str()
                    .rsplit_once('#')
                    .and_then(|(_, n)| n.parse::<u64>().ok()),
                NamedOrBlankNode::BlankNode(_) => None,
            };
            let deleted =
                matches!(&quad.object, Term::Literal(l) if l.value() == Action::Delete.label());
            if let Some(number) = number
                && last.as_ref().is_none_or(|(n, _, _)| number > *n)
            {
                last = Some((number, quad.subject, deleted));
            }
        }
        let Some((_, activity, true)) = last else {
            return Ok(None);
        };
        // The entity the deleting activity generated names the topic.
        for quad in self.private.quads_for_pattern(
            None,
            Some(prov::WAS_GENERATED_BY),
            Some(activity.as_ref().into()),
            g,
        ) {
            let entity = quad?.subject;
            for quad in self.private.quads_for_pattern(
                Some(entity.as_ref()),
                Some(prov::SPECIALIZATION_OF),
                None,
                g,
            ) {
                if let Term::NamedNode(topic) = quad?.object {
                    return Ok(Some(topic));
                }
            }
        }
        Ok(None)
    }

    /// Writes the private store (drafts' history, earlier versions) as N-Quads or TriG.
    pub(in crate::store) fn dump_private(
        &self,
        format: RdfFormat,
        writer: impl std::io::Write,
    ) -> Result<(), StoreError> {
        self.private
            .dump_to_writer(RdfSerializer::from_format(format), writer)
            .map_err(|e| match e {
                oxigraph::store::SerializerError::Storage(e) => StoreError::Storage(e),
                other => StoreError::Io {
                    path: "dump output".to_owned(),
                    source: other.into(),
                },
            })?;
        Ok(())
    }

    /// The records whose histories tell of `topic`.
    pub(super) fn histories_of(&self, topic: &NamedNode) -> Result<Vec<RecordId>, StoreError> {
        let prefix = self.base.join("history/");
        let mut ids = Vec::new();
        for quad in self.private.quads_for_pattern(
            None,
            Some(prov::SPECIALIZATION_OF),
            Some(topic.as_ref().into()),
            None,
        ) {
            if let GraphName::NamedNode(graph) = quad?.graph_name
                && let Some(id) = graph.as_str().strip_prefix(prefix.as_str())
                && let Ok(id) = RecordId::parse(id)
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    pub(super) fn history_graph(&self, id: &RecordId) -> NamedNode {
        self.base.join(&format!("history/{id}"))
    }

    fn revision_iri(&self, kind: ResourceKind, id: &RecordId, number: u64) -> NamedNode {
        self.base
            .join(&format!("{}/{id}?version={number}", kind.path_segment()))
    }

    fn revision_count(&self, graph: &NamedNode) -> Result<u64, StoreError> {
        let mut count = 0;
        for quad in self.private.quads_for_pattern(
            None,
            Some(RDF_TYPE),
            Some(prov::ENTITY.into()),
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            if let NamedOrBlankNode::NamedNode(_) = quad?.subject {
                count += 1;
            }
        }
        Ok(count)
    }
}

/// The record's triples as sorted N-Triples lines: the same content hashes the same.
fn canonical_text(triples: &[Triple]) -> String {
    let mut lines: Vec<String> = triples.iter().map(|t| format!("{t} .")).collect();
    lines.sort();
    lines.dedup();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// A revision's content (`prov:value`, the record's triples as canonical N-Triples) and its
/// SHA-256 checksum, as SPDX says: what lets a reader check a version they were given.
fn content_triples(entity: NamedNode, content: &[Triple]) -> [Triple; 5] {
    let content = canonical_text(content);
    let checksum = BlankNode::default();
    [
        Triple::new(
            entity.clone(),
            prov::VALUE,
            Literal::new_simple_literal(&content),
        ),
        Triple::new(entity, spdx::CHECKSUM, checksum.clone()),
        Triple::new(checksum.clone(), RDF_TYPE, spdx::CHECKSUM_CLASS),
        Triple::new(checksum.clone(), spdx::ALGORITHM, spdx::SHA256),
        Triple::new(
            checksum,
            spdx::CHECKSUM_VALUE,
            Literal::new_typed_literal(
                format!("{:x}", Sha256::digest(content.as_bytes())),
                oxigraph::model::vocab::xsd::HEX_BINARY,
            ),
        ),
    ]
}
