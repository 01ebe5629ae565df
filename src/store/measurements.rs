//! Quality measurements in the store: each dataset's DQV measurements in a graph of their
//! own (`{dataset page}/quality`), so that SPARQL can aggregate them. They are derived
//! data, rewritten whole by the quality board after each change of the dataset.

use super::{CatalogStore, StoreError};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNodeRef, QuadRef, Triple};

/// Measurement graphs replaced in one transaction at most: a transaction holds its writes
/// in memory.
const REPLACED_AT_ONCE: usize = 500;

/// New quads worth a bulk load (some fifty datasets' measurements): below, a transaction
/// (each bulk load adds files to RocksDB, which one API write's measurements are too few
/// to be worth).
const BULK_FROM: usize = 10_000;

impl CatalogStore {
    /// Replaces each measurements graph of `writes` with its triples (none: removes it).
    ///
    /// Graphs the store does not hold yet (a dataset scored for the first time: every one
    /// of a first harvest) are bulk-loaded when there are many, many times faster than a
    /// transaction (their quads outnumber the datasets' own); the others are replaced in
    /// transactions.
    /// Not a change of any record: no watcher is told and the store's generation does not
    /// move, so the pages rendered from records stay cached while the board catches up.
    pub fn put_measurements(
        &self,
        writes: Vec<(NamedNode, Vec<Triple>)>,
    ) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let _writing = self.write_lock();
        let mut fresh = Vec::new();
        let mut replaced = Vec::new();
        for (graph, triples) in writes {
            let held = self
                .store
                .contains_named_graph(NamedOrBlankNodeRef::NamedNode(graph.as_ref()))?;
            if held {
                replaced.push((graph, triples));
            } else {
                fresh.push((graph, triples));
            }
        }
        if fresh
            .iter()
            .map(|(_, triples)| triples.len())
            .sum::<usize>()
            < BULK_FROM
        {
            replaced.append(&mut fresh);
        }
        for chunk in replaced.chunks(REPLACED_AT_ONCE) {
            self.replace_measurements(chunk)?;
        }
        if !fresh.is_empty() {
            let quads: Vec<_> = fresh
                .into_iter()
                .flat_map(|(graph, triples)| {
                    triples.into_iter().map(move |t| t.in_graph(graph.clone()))
                })
                .collect();
            let mut loader = self
                .store
                .bulk_loader()
                .with_max_memory_size_in_megabytes(quads.len() / 1000 + 1);
            loader.load_quads(quads)?;
            loader.commit()?;
        }
        self.derived_written();
        Ok(())
    }

    /// Replaces the graphs of `writes` in one transaction; the caller holds the writer
    /// lock.
    fn replace_measurements(&self, writes: &[(NamedNode, Vec<Triple>)]) -> Result<(), StoreError> {
        let mut transaction = self.store.start_transaction()?;
        for (graph, triples) in writes {
            let name = GraphNameRef::NamedNode(graph.as_ref());
            let old: Vec<_> = transaction
                .quads_for_pattern(None, None, None, Some(name))
                .collect::<Result<_, _>>()?;
            for quad in &old {
                transaction.remove(quad);
            }
            if triples.is_empty() {
                transaction.remove_named_graph(NamedOrBlankNodeRef::NamedNode(graph.as_ref()))?;
            }
            for triple in triples {
                transaction.insert(QuadRef::new(
                    &triple.subject,
                    &triple.predicate,
                    &triple.object,
                    name,
                ));
            }
        }
        transaction.commit()?;
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
