//! Quality measurements in the store: each dataset's DQV measurements in a graph of their
//! own (`{dataset page}/quality`), so that SPARQL can aggregate them. They are derived
//! data, rewritten whole by the quality board after each change of the dataset.

use super::{CatalogStore, StoreError};
use oxigraph::model::{GraphNameRef, NamedNode, QuadRef, Triple};

impl CatalogStore {
    /// Replaces the measurements graph `graph` with `triples` (none: removes it).
    ///
    /// Not a change of any record: no watcher is told and the store's generation does not
    /// move, so the pages rendered from records stay cached while the board catches up.
    pub fn put_measurements(
        &self,
        graph: &NamedNode,
        triples: &[Triple],
    ) -> Result<(), StoreError> {
        let _writing = self.write_lock();
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let mut transaction = self.store.start_transaction()?;
        let old: Vec<_> = transaction
            .quads_for_pattern(None, None, None, Some(name))
            .collect::<Result<_, _>>()?;
        for quad in &old {
            transaction.remove(quad);
        }
        for triple in triples {
            transaction.insert(QuadRef::new(
                &triple.subject,
                &triple.predicate,
                &triple.object,
                name,
            ));
        }
        transaction.commit()?;
        self.derived_written();
        Ok(())
    }

    /// Every dataset measurements graph in the store (`{base}datasets/{id}/quality`).
    pub fn measurement_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let prefix = format!("{}datasets/", self.base().as_str());
        let mut found = Vec::new();
        for graph in self.store.named_graphs() {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(graph) = graph?
                && graph.as_str().starts_with(&prefix)
                && graph.as_str().ends_with("/quality")
            {
                found.push(graph);
            }
        }
        Ok(found)
    }
}
