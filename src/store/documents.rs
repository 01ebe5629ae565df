//! The harvester's documents, kept as JSON literals in the private store, one graph per
//! kind: its sources' settings, its jobs' reports, what a run read of each page.

use super::{CatalogStore, StoreError};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term};

/// Kinds of documents the harvester keeps in the private store.
#[derive(Debug, Clone, Copy)]
pub enum HarvestDocument {
    /// A source's settings.
    Source,
    /// A job's report.
    Job,
    /// What a run read of a page (for conditional GETs).
    Page,
}

impl HarvestDocument {
    pub(super) const fn graph(self) -> &'static str {
        match self {
            Self::Source => "graphs/harvest/sources",
            Self::Job => "graphs/harvest/jobs",
            Self::Page => "graphs/harvest/pages",
        }
    }
}

impl CatalogStore {
    /// Keeps `json` as the harvester's document `iri` of `kind`, replacing an older one.
    pub(in crate::store) fn put_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
    ) -> Result<(), StoreError> {
        self.set_document(kind, iri, Some(json))
    }

    /// Keeps `json` as the document `iri` of `kind` unless one is kept there already, or
    /// another document of `kind` `clashes` with it (checked and written under the writer
    /// lock); the document in the way, if any.
    pub(in crate::store) fn insert_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
        clashes: &dyn Fn(&str) -> bool,
    ) -> Result<Option<String>, StoreError> {
        let _writer = self.write_lock();
        if let Some(existing) = self.harvest_document(kind, iri)? {
            return Ok(Some(existing));
        }
        let other = self
            .harvest_documents(kind)?
            .into_iter()
            .find(|(_, other)| clashes(other));
        if let Some((_, other)) = other {
            return Ok(Some(other));
        }
        self.put_harvest_document(kind, iri, json)?;
        Ok(None)
    }

    /// Forgets the document `iri` of `kind`.
    pub(in crate::store) fn remove_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<(), StoreError> {
        self.set_document(kind, iri, None)
    }

    /// Replaces the document `iri` of `kind` with `json`, or forgets it (`None`).
    fn set_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: Option<&str>,
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
        if let Some(json) = json {
            let json = Literal::new_simple_literal(json);
            transaction.insert(QuadRef::new(iri, &term, &json, g));
        }
        transaction.commit()?;
        Ok(())
    }

    /// The harvester's document `iri` of `kind`, if kept.
    pub(in crate::store) fn harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        let graph = self.base.join(kind.graph());
        let found = self.private_values(Some(iri), &self.harvest_term("document"), &graph)?;
        Ok(found.into_iter().next().map(|(_, json)| json))
    }

    /// Every document of `kind`, as `(iri, json)`, in IRI order.
    pub(in crate::store) fn harvest_documents(
        &self,
        kind: HarvestDocument,
    ) -> Result<Vec<(NamedNode, String)>, StoreError> {
        let graph = self.base.join(kind.graph());
        let mut documents = self.private_values(None, &self.harvest_term("document"), &graph)?;
        documents.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(documents)
    }

    /// The `(subject, literal)` pairs of `predicate` in the private graph `graph` (of
    /// `subject` only, if given): the harvester's bookkeeping, all of it IRI to literal.
    pub(super) fn private_values(
        &self,
        subject: Option<&NamedNode>,
        predicate: &NamedNode,
        graph: &NamedNode,
    ) -> Result<Vec<(NamedNode, String)>, StoreError> {
        self.private
            .quads_for_pattern(
                subject.map(|s| s.as_ref().into()),
                Some(predicate.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .filter_map(|q| match q {
                Ok(Quad {
                    subject: NamedOrBlankNode::NamedNode(subject),
                    object: Term::Literal(value),
                    ..
                }) => Some(Ok((subject, value.value().to_owned()))),
                Ok(_) => None,
                Err(e) => Some(Err(StoreError::from(e))),
            })
            .collect()
    }

    /// A term of our bookkeeping vocabulary, under our base IRI (never served).
    pub(super) fn harvest_term(&self, local: &str) -> NamedNode {
        self.base.join(&format!("ns/harvest#{local}"))
    }
}
