//! A load's records written part by part: each part a few thousand roots cut out of the
//! scratch store with what they own, split as a graph in memory would be, and written in
//! one transaction with their revisions. The catalog's description and the triples nobody
//! owns come last, once every record has said what it owns.

use super::scratch::{Owned, Scratch};
use super::{LoadProgress, LoadReport};
use crate::model::{RecordDraft, SplitOutcome, split_into_records};
use crate::store::faults::Point;
use crate::store::history::Provenance;
use crate::store::write::WrittenRecord;
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef,
};
use std::collections::HashMap;

/// Records written at once: some hundreds of thousands of quads, a few hundred megabytes
/// at most with their revisions; as many as the bulk loader takes well at once (smaller
/// writes leave more files for RocksDB to merge).
pub const RECORDS_PER_WRITE: usize = 10_000;

impl CatalogStore {
    /// Writes the records of `scratch`, `per_write` at a time, then the catalog's
    /// description and the unassigned triples (in the graph named after `source`). Returns
    /// what was written and the records' topics.
    pub(super) fn write_parts(
        &self,
        scratch: &Scratch,
        source: &str,
        by: &Provenance,
        per_write: usize,
        progress: &dyn Fn(LoadProgress<'_>),
    ) -> Result<(LoadReport, Vec<NamedNode>), StoreError> {
        let catalog = self.base.catalog();
        let catalog: NamedOrBlankNodeRef<'_> = catalog.as_ref().into();
        let mut total = 0_u64;
        for blank in [true, false] {
            scratch.for_each_root(catalog, blank, &mut |_, _| {
                total += 1;
                Ok(())
            })?;
        }
        let mut parts = Parts {
            store: self,
            scratch,
            by,
            catalog,
            per_write,
            pending: Vec::new(),
            owned: Owned::new(),
            named: HashMap::new(),
            report: LoadReport::default(),
            touched: Vec::new(),
            progress: (progress, total),
        };
        // Blank-node records first: each is named with an IRI as it is written, and the
        // records written after it link to that IRI.
        for blank in [true, false] {
            scratch.for_each_root(catalog, blank, &mut |root, _| parts.add(root))?;
            parts.write()?;
        }
        parts.finish(source)
    }
}

impl CatalogStore {
    /// Writes the records of `drafts`, links to earlier parts' blank-node records as
    /// `named` says: by the bulk loader when all are new (no record, no tombstone), else in
    /// a transaction that replaces what exists.
    fn write_part(
        &self,
        drafts: Vec<RecordDraft>,
        named: &HashMap<BlankNode, NamedNode>,
        by: &Provenance,
    ) -> Result<Vec<WrittenRecord>, StoreError> {
        {
            let _writer = self.write_lock();
            let allocations = self.allocate(&self.store.start_transaction()?, &drafts)?;
            let mut fresh = true;
            for allocation in &allocations {
                fresh = fresh && !allocation.existed && !self.has_tombstone(&allocation.id)?;
            }
            if fresh {
                let mut renames = named.clone();
                renames.extend(drafts.iter().zip(&allocations).filter_map(
                    |(draft, allocation)| match &draft.topic {
                        NamedOrBlankNode::BlankNode(b) => {
                            Some((b.clone(), allocation.topic.clone()))
                        }
                        NamedOrBlankNode::NamedNode(_) => None,
                    },
                ));
                let nothing = |_: usize, _: &NamedNode, _: &NamedNode, _: &Literal| Vec::new();
                let fresh = self.fresh_records(drafts, allocations, (&renames, &nothing), by)?;
                return self.load_fresh_records(fresh, Point::RecordsCommitted);
            }
        }
        let outcome = SplitOutcome {
            records: drafts,
            named: named.clone(),
            ..SplitOutcome::default()
        };
        Ok(self.write_split(outcome, None, by)?.written)
    }
}

/// The state of a load's writing.
struct Parts<'a> {
    store: &'a CatalogStore,
    scratch: &'a Scratch,
    by: &'a Provenance,
    catalog: NamedOrBlankNodeRef<'a>,
    per_write: usize,
    /// Roots of the next part.
    pending: Vec<NamedOrBlankNode>,
    /// Every node a record written so far owns.
    owned: Owned,
    /// The IRIs given to blank-node records written so far.
    named: HashMap<BlankNode, NamedNode>,
    report: LoadReport,
    touched: Vec<NamedNode>,
    progress: (&'a dyn Fn(LoadProgress<'_>), u64),
}

impl Parts<'_> {
    fn add(&mut self, root: NamedOrBlankNode) -> Result<(), StoreError> {
        self.pending.push(root);
        if self.pending.len() >= self.per_write {
            self.write()?;
        }
        Ok(())
    }

    /// Writes the pending roots' records.
    fn write(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut graph = Graph::new();
        for root in std::mem::take(&mut self.pending) {
            self.scratch
                .gather(root.as_ref(), self.catalog, &mut graph, &mut self.owned)?;
        }
        // The graph holds its roots and what they own: no catalog, nothing unowned.
        let drafts = split_into_records(&graph, &self.store.base).records;
        let blanks: Vec<Option<BlankNode>> = drafts
            .iter()
            .map(|draft| match &draft.topic {
                NamedOrBlankNode::BlankNode(blank) => Some(blank.clone()),
                NamedOrBlankNode::NamedNode(_) => None,
            })
            .collect();
        let written = self.store.write_part(drafts, &self.named, self.by)?;
        for (blank, written) in blanks.into_iter().zip(&written) {
            if let Some(blank) = blank {
                self.named.insert(blank, written.topic.clone());
            }
        }
        for written in written {
            if written.created {
                self.report.created += 1;
            } else {
                self.report.replaced += 1;
            }
            self.touched.push(written.topic);
        }
        let (progress, total) = self.progress;
        progress(LoadProgress::Written {
            done: self.touched.len() as u64,
            total,
        });
        Ok(())
    }

    /// Writes the catalog's description and the triples no record owns.
    fn finish(mut self, source: &str) -> Result<(LoadReport, Vec<NamedNode>), StoreError> {
        let mut graph = Graph::new();
        self.scratch
            .gather(self.catalog, self.catalog, &mut graph, &mut self.owned)?;
        let mut unassigned = Vec::new();
        self.scratch
            .for_each_unassigned(&self.owned, &mut |triple| unassigned.push(triple))?;
        let outcome = SplitOutcome {
            catalog: split_into_records(&graph, &self.store.base).catalog,
            unassigned,
            named: self.named,
            ..SplitOutcome::default()
        };
        let summary = self.store.write_split(outcome, Some(source), self.by)?;
        self.report.unassigned = summary.unassigned;
        Ok((self.report, self.touched))
    }
}
