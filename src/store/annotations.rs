//! Reusers' annotations (`crate::feedback`): each in its own graph, named by its IRI, in
//! the public store; an email left for the answer in the private store, never served.

use super::{CatalogStore, StoreError};
use crate::model::time::millis_literal;
use crate::model::vocab::{RDF_TYPE, adms, dct, oa, prov, vcard};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, Term,
};

impl CatalogStore {
    /// Adds the annotation `iri` (`quads`, all in its graph), and the `email` its author
    /// left for the answer to the private store. The graph must be new.
    pub fn add_annotation(
        &self,
        iri: &NamedNode,
        quads: &[Quad],
        email: Option<&NamedNode>,
    ) -> Result<(), StoreError> {
        let _writing = self.write_lock();
        self.must_be_new(iri)?;
        let graph = GraphNameRef::NamedNode(iri.as_ref());
        if let Some(email) = email {
            let mut private = self.private.start_transaction()?;
            private.insert(QuadRef::new(iri, vcard::HAS_EMAIL, email, graph));
            private.commit()?;
        }
        let mut transaction = self.store.start_transaction()?;
        for quad in quads
            .iter()
            .filter(|q| q.graph_name == GraphName::NamedNode(iri.clone()))
        {
            transaction.insert(quad);
        }
        self.commit(transaction)
    }

    /// The annotation graphs about any of `targets` (a dataset and its distributions), and
    /// those replying to them, each as its IRI and quads (in its graph).
    pub fn annotations_about(
        &self,
        targets: &[NamedNode],
    ) -> Result<Vec<(NamedNode, Vec<Quad>)>, StoreError> {
        let mut found: Vec<(NamedNode, Vec<Quad>)> = Vec::new();
        let mut queue: Vec<NamedNode> = targets.to_vec();
        while let Some(target) = queue.pop() {
            for (iri, quads) in self.graphs_saying(oa::HAS_TARGET, Some(target.as_ref()))? {
                if !found.iter().any(|(known, _)| *known == iri) {
                    queue.push(iri.clone());
                    found.push((iri, quads));
                }
            }
        }
        Ok(found)
    }

    /// Hides the annotation `iri` (spam, abuse): its graph leaves the public store for the
    /// private one, with who hid it and when, so that nothing is lost. `false` if there
    /// was no such annotation.
    pub fn hide_annotation(&self, iri: &NamedNode, by: &str, now: i64) -> Result<bool, StoreError> {
        let _writing = self.write_lock();
        let quads = self.annotation(iri.as_ref())?;
        self.hide_graph(iri, &quads, (by, now))
    }

    /// Moves the graph `iri` (`quads`) to the private store, with a PROV activity saying
    /// who hid it (`by`) and when (`now`). `false` if it was empty. The caller holds the
    /// write lock.
    fn hide_graph(
        &self,
        iri: &NamedNode,
        quads: &[Quad],
        (by, now): (&str, i64),
    ) -> Result<bool, StoreError> {
        if quads.is_empty() {
            return Ok(false);
        }
        let graph = GraphNameRef::NamedNode(iri.as_ref());
        let hiding = NamedNode::new_unchecked(format!("{}#hidden", iri.as_str()));
        let mut private = self.private.start_transaction()?;
        for quad in quads {
            private.insert(quad);
        }
        let by = oxigraph::model::Literal::new_simple_literal(by);
        private.insert(QuadRef::new(iri, prov::WAS_INVALIDATED_BY, &hiding, graph));
        private.insert(QuadRef::new(&hiding, RDF_TYPE, prov::ACTIVITY, graph));
        private.insert(QuadRef::new(&hiding, prov::WAS_ASSOCIATED_WITH, &by, graph));
        private.insert(QuadRef::new(
            &hiding,
            prov::ENDED_AT_TIME,
            &millis_literal(now),
            graph,
        ));
        private.commit()?;
        let mut transaction = self.store.start_transaction()?;
        for quad in quads {
            transaction.remove(quad);
        }
        self.commit(transaction)?;
        Ok(true)
    }

    /// Every public annotation, each as its IRI and quads (for the lists that gather them
    /// across datasets, as a publisher's open reports).
    pub fn all_annotations(&self) -> Result<Vec<(NamedNode, Vec<Quad>)>, StoreError> {
        self.graphs_saying(RDF_TYPE, Some(oa::ANNOTATION))
    }

    /// The quads of the annotation `iri` (in its graph), empty if there is none.
    pub fn annotation(&self, iri: NamedNodeRef<'_>) -> Result<Vec<Quad>, StoreError> {
        self.graph_of(iri, oa::ANNOTATION)
    }

    /// The quads of the graph `iri` when its own subject is a `class` (an annotation, a
    /// reuse), else none.
    pub fn graph_of(
        &self,
        iri: NamedNodeRef<'_>,
        class: NamedNodeRef<'_>,
    ) -> Result<Vec<Quad>, StoreError> {
        let typed = self.store.contains(QuadRef::new(
            iri,
            RDF_TYPE,
            class,
            GraphNameRef::NamedNode(iri),
        ))?;
        if typed {
            self.graph_quads(iri)
        } else {
            Ok(Vec::new())
        }
    }

    /// `Exists` if the graph `iri` holds anything: feedback and reuses never overwrite.
    fn must_be_new(&self, iri: &NamedNode) -> Result<(), StoreError> {
        let graph = GraphNameRef::NamedNode(iri.as_ref());
        match self
            .store
            .quads_for_pattern(None, None, None, Some(graph))
            .next()
        {
            Some(_) => Err(StoreError::Exists(iri.as_str().to_owned())),
            None => Ok(()),
        }
    }
}

/// The status a notification waiting for approval carries in the private store.
const PENDING: &str = "pending";

impl CatalogStore {
    /// Keeps the annotation `iri` a third party announced (`quads`) in the private store
    /// until an editor approves it, with the notification as received (`raw`).
    pub fn add_pending(
        &self,
        iri: &NamedNode,
        quads: &[Quad],
        raw: &str,
    ) -> Result<(), StoreError> {
        let _writing = self.write_lock();
        let graph = GraphNameRef::NamedNode(iri.as_ref());
        let mut private = self.private.start_transaction()?;
        for quad in quads
            .iter()
            .filter(|q| q.graph_name == GraphName::NamedNode(iri.clone()))
        {
            private.insert(quad);
        }
        let pending = oxigraph::model::Literal::new_simple_literal(PENDING);
        private.insert(QuadRef::new(iri, adms::STATUS, &pending, graph));
        let raw = oxigraph::model::Literal::new_simple_literal(raw);
        private.insert(QuadRef::new(iri, dct::SOURCE, &raw, graph));
        private.commit()?;
        Ok(())
    }

    /// The annotations waiting for approval about any of `targets`, each as its IRI and
    /// quads (without the bookkeeping).
    pub fn pending_about(
        &self,
        targets: &[NamedNode],
    ) -> Result<Vec<(NamedNode, Vec<Quad>)>, StoreError> {
        let mut found = Vec::new();
        for target in targets {
            for quad in self.private.quads_for_pattern(
                None,
                Some(oa::HAS_TARGET),
                Some(target.as_ref().into()),
                None,
            ) {
                let quad = quad?;
                if let GraphName::NamedNode(graph) = &quad.graph_name
                    && self.is_pending(graph)?
                    && !found.contains(graph)
                {
                    found.push(graph.clone());
                }
            }
        }
        found
            .into_iter()
            .map(|iri| {
                let quads = self.pending_quads(&iri)?;
                Ok((iri, quads))
            })
            .collect()
    }

    /// The pending annotation `iri`'s quads, empty if it is not waiting.
    pub fn pending(&self, iri: &NamedNode) -> Result<Vec<Quad>, StoreError> {
        if self.is_pending(iri)? {
            self.pending_quads(iri)
        } else {
            Ok(Vec::new())
        }
    }

    /// Decides on the pending annotation `iri`: approved, it is published (in the public
    /// store); rejected, it stays private. Either way the private copy records the
    /// decision. `false` if it was not waiting.
    pub fn decide_pending(&self, iri: &NamedNode, approve: bool) -> Result<bool, StoreError> {
        let _writing = self.write_lock();
        if !self.is_pending(iri)? {
            return Ok(false);
        }
        let quads = self.pending_quads(iri)?;
        let graph = GraphNameRef::NamedNode(iri.as_ref());
        let mut private = self.private.start_transaction()?;
        let pending = oxigraph::model::Literal::new_simple_literal(PENDING);
        private.remove(QuadRef::new(iri, adms::STATUS, &pending, graph));
        let decided = oxigraph::model::Literal::new_simple_literal(if approve {
            "approved"
        } else {
            "rejected"
        });
        private.insert(QuadRef::new(iri, adms::STATUS, &decided, graph));
        private.commit()?;
        if approve {
            let mut transaction = self.store.start_transaction()?;
            for quad in &quads {
                transaction.insert(quad);
            }
            self.commit(transaction)?;
        }
        Ok(true)
    }

    fn is_pending(&self, iri: &NamedNode) -> Result<bool, StoreError> {
        let pending = oxigraph::model::Literal::new_simple_literal(PENDING);
        Ok(self.private.contains(QuadRef::new(
            iri,
            adms::STATUS,
            &pending,
            GraphNameRef::NamedNode(iri.as_ref()),
        ))?)
    }

    /// The annotation's own quads in the private store, without the bookkeeping.
    fn pending_quads(&self, iri: &NamedNode) -> Result<Vec<Quad>, StoreError> {
        let own = NamedOrBlankNodeRef::from(iri.as_ref());
        Ok(self
            .private
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(iri.as_ref())),
            )
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|q| {
                !(q.subject.as_ref() == own
                    && (q.predicate == adms::STATUS || q.predicate == dct::SOURCE))
            })
            .collect())
    }
}

impl CatalogStore {
    /// Adds the reuse `iri` (`quads`, all in its graph). The graph must be new.
    pub fn add_reuse(&self, iri: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        let _writing = self.write_lock();
        self.must_be_new(iri)?;
        let mut transaction = self.store.start_transaction()?;
        for quad in quads
            .iter()
            .filter(|q| q.graph_name == GraphName::NamedNode(iri.clone()))
        {
            transaction.insert(quad);
        }
        self.commit(transaction)?;
        drop(_writing);
        self.recount_reuses(quads)
    }

    /// Hides the reuse `iri` (spam) as [`Self::hide_annotation`] hides an annotation.
    /// `false` if there was no such reuse.
    pub fn hide_reuse(&self, iri: &NamedNode, by: &str, now: i64) -> Result<bool, StoreError> {
        let writing = self.write_lock();
        let quads = self.graph_of(
            iri.as_ref(),
            crate::feedback::reuses::creative_work().as_ref(),
        )?;
        let hidden = self.hide_graph(iri, &quads, (by, now))?;
        drop(writing);
        if hidden {
            self.recount_reuses(&quads)?;
        }
        Ok(hidden)
    }

    /// Tells the search index about the datasets a reuse (`quads`) is based on: their
    /// documents count their reuses.
    fn recount_reuses(&self, quads: &[Quad]) -> Result<(), StoreError> {
        let based_on = crate::feedback::reuses::is_based_on();
        let mut changed = Vec::new();
        for quad in quads.iter().filter(|q| q.predicate == based_on) {
            if let Term::NamedNode(dataset) = &quad.object
                && let Some(id) = self.record_id_of(dataset)?
            {
                changed.push(super::RecordChange::Changed(id));
            }
        }
        self.tell(&changed);
        Ok(())
    }

    /// The graphs whose own subject `predicate`s `object` (reuses based on a dataset, or,
    /// with `rdf:type`, every reuse), each as its IRI and quads.
    pub fn graphs_saying(
        &self,
        predicate: NamedNodeRef<'_>,
        object: Option<NamedNodeRef<'_>>,
    ) -> Result<Vec<(NamedNode, Vec<Quad>)>, StoreError> {
        let mut found: Vec<NamedNode> = Vec::new();
        for quad in
            self.store
                .quads_for_pattern(None, Some(predicate), object.map(Into::into), None)
        {
            let quad = quad?;
            if let (NamedOrBlankNodeRef::NamedNode(subject), GraphName::NamedNode(graph)) =
                (quad.subject.as_ref(), &quad.graph_name)
                && subject == graph.as_ref()
                && !found.contains(graph)
            {
                found.push(graph.clone());
            }
        }
        found
            .into_iter()
            .map(|iri| {
                let quads = self.graph_quads(iri.as_ref())?;
                Ok((iri, quads))
            })
            .collect()
    }
}

impl CatalogStore {
    /// How many reuses say they are based on `dataset` (for the search index).
    pub fn reuses_of(&self, dataset: &NamedNode) -> Result<usize, StoreError> {
        let based_on = crate::feedback::reuses::is_based_on();
        let mut count = 0;
        for quad in self.store.quads_for_pattern(
            None,
            Some(based_on.as_ref()),
            Some(dataset.as_ref().into()),
            None,
        ) {
            quad?;
            count += 1;
        }
        Ok(count)
    }
}
