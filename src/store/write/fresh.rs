//! Records new to the store, written by the bulk loader: a harvest's new datasets, a
//! load's records. They only add quads, so the loader (which sorts them into the store's
//! files directly, many times faster than a transaction: `bench/README.md`) can write them;
//! a record that replaces another, or comes back over its tombstone, goes through a
//! transaction ([`super::split`]).

use super::split::{Allocation, WrittenRecord, record_node, rename};
use crate::model::RecordDraft;
use crate::model::RecordKind;
use crate::model::time::millis_literal;
use crate::model::vocab::dcat;
use crate::store::faults::{Point, crash_at};
use crate::store::feed::{FeedChange, FeedEntry, FeedKey};
use crate::store::history::{Action, Provenance, Revision};
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::{BlankNode, Literal, NamedNode, Quad, Triple};
use std::collections::HashMap;

/// New records as quads: their graphs and the catalog's links (`public`), their
/// revisions (`revisions`), and what was written.
pub(in crate::store) struct Fresh {
    public: Vec<Quad>,
    revisions: Vec<Quad>,
    /// The records, in the order of the drafts.
    pub written: Vec<WrittenRecord>,
    stamp: i64,
}

/// What a caller adds to the graph of its `index`-th new record, named `graph`, about
/// `topic`, written at `now` (a harvest: where the dataset came from).
pub(in crate::store) type Extra<'a> =
    &'a dyn Fn(usize, &NamedNode, &NamedNode, &Literal) -> Vec<Triple>;

impl CatalogStore {
    /// The quads of `drafts`, new records allocated as `allocations` (none existed), links
    /// to blank-node topics written as `renames` says, each with a revision by `by`.
    pub(in crate::store) fn fresh_records(
        &self,
        drafts: Vec<RecordDraft>,
        allocations: Vec<Allocation>,
        (renames, extra): (&HashMap<BlankNode, NamedNode>, Extra<'_>),
        by: &Provenance,
    ) -> Result<Fresh, StoreError> {
        let stamp = self.clock.stamp();
        let now = millis_literal(stamp);
        let (catalog, catalog_graph) = (self.base.catalog(), self.base.catalog_graph());
        let profile = self.base.profile();
        let mut fresh = Fresh {
            public: Vec::new(),
            revisions: Vec::new(),
            written: Vec::with_capacity(drafts.len()),
            stamp,
        };
        for (index, (draft, allocation)) in drafts.into_iter().zip(allocations).enumerate() {
            if allocation.existed {
                return Err(StoreError::Exists(allocation.topic.into_string()));
            }
            let (id, topic) = (allocation.id, allocation.topic);
            let graph = self.base.record_graph(&id);
            let mut content: Vec<Triple> =
                draft.triples.iter().map(|t| rename(t, renames)).collect();
            let node = (&graph, &topic);
            content.extend(record_node(draft.kind, node, now.clone(), &now, &profile));
            content.extend(extra(index, &graph, &topic, &now));
            fresh
                .public
                .extend(content.iter().map(|t| t.clone().in_graph(graph.clone())));
            if draft.kind == RecordKind::Dataset {
                let links = [(dcat::DATASET_PROP, &topic), (dcat::RECORD, &graph)];
                fresh.public.extend(links.map(|(predicate, object)| {
                    Quad::new(
                        catalog.clone(),
                        predicate,
                        object.clone(),
                        catalog_graph.clone(),
                    )
                }));
            }
            fresh.revisions.extend(self.revision_quads(&Revision {
                kind: draft.kind.resource_kind(),
                id: &id,
                topic: &topic,
                action: Action::Create,
                by,
                content,
                at: stamp,
            })?);
            fresh.written.push(WrittenRecord {
                kind: draft.kind,
                created: true,
                id,
                topic,
                version: stamp,
                conforms: draft.conforms,
            });
        }
        Ok(fresh)
    }

    /// Loads `fresh`: the records and the catalog's links, the catalog's modification
    /// time, then (past the crash point `cut`) the revisions; the feed learns of them.
    pub(in crate::store) fn load_fresh_records(
        &self,
        fresh: Fresh,
        cut: Point,
    ) -> Result<Vec<WrittenRecord>, StoreError> {
        let changes: Vec<FeedChange> = fresh
            .written
            .iter()
            .filter(|w| w.kind == RecordKind::Dataset)
            .map(|w| {
                FeedChange::Put(FeedEntry {
                    key: FeedKey {
                        modified: w.version,
                        id: w.id.clone(),
                    },
                    withdrawn: false,
                })
            })
            .collect();
        // Two halves, built side by side: the loader gives each batch one thread.
        let mut loader = self
            .store
            .bulk_loader()
            .with_num_threads(2)
            .with_max_memory_size_in_megabytes(fresh.public.len() / 1000 + 1);
        loader.load_quads(fresh.public)?;
        loader.commit()?;
        // The records are public from here on: readers' caches and the feed must know.
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.remember_conformance(&fresh.written);
        self.changed(changes);
        // The catalog changed: its modification time moves (a small transaction).
        let mut transaction = self.store.start_transaction()?;
        let purged = self.purge_tombstones_in(
            &mut transaction,
            crate::model::time::now_millis() - self.retention,
        )?;
        self.set_catalog_modified(&mut transaction, &millis_literal(fresh.stamp))?;
        self.commit(transaction)?;
        self.changed(purged);
        crash_at(cut);
        let mut history = self.private.bulk_loader();
        history.load_quads(fresh.revisions)?;
        history.commit()?;
        Ok(fresh.written)
    }
}
