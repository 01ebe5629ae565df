//! Telling what changed: every write hands the feed's order its changes through
//! [`CatalogStore::changed`], which also tells those who follow the records (the search
//! index) which records changed, in the writer's thread, before the write returns.

use super::CatalogStore;
use super::feed::FeedChange;
use crate::model::RecordId;
use std::sync::{Arc, PoisonError};

/// What changed. A watcher reads the record again to learn what it is now (a dataset
/// written, withdrawn, or another kind of record: an agent, a data paper).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordChange {
    /// The record `id` changed.
    Changed(RecordId),
    /// Anything may have changed (a SPARQL Update).
    All,
}

/// Called with the store and what changed, after each write.
pub type ChangeWatcher = Arc<dyn Fn(&CatalogStore, &[RecordChange]) + Send + Sync>;

impl CatalogStore {
    /// Calls `watcher` after every write that changes records, in the writer's
    /// thread, before the write returns.
    pub fn on_dataset_changes(&self, watcher: ChangeWatcher) {
        self.watchers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(watcher);
    }

    /// Applies `changes` to the feed's order and tells the watchers.
    pub(super) fn changed(&self, changes: Vec<FeedChange>) {
        let told: Vec<RecordChange> = changes
            .iter()
            .filter_map(|change| match change {
                FeedChange::Put(entry) => Some(RecordChange::Changed(entry.key.id.clone())),
                FeedChange::Remove(id) => Some(RecordChange::Changed(id.clone())),
                FeedChange::Forget(_) => None,
            })
            .collect();
        self.feed_index_mut().apply(changes);
        self.tell(&told);
    }

    /// Tells the watchers of `changes`.
    pub(super) fn tell(&self, changes: &[RecordChange]) {
        if changes.is_empty() {
            return;
        }
        let watchers = self
            .watchers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for watcher in watchers {
            watcher(self, changes);
        }
    }

    /// Every public dataset record and its version (`dct:modified` in milliseconds), as
    /// the feed orders them.
    pub(in crate::store) fn dataset_versions(&self) -> Vec<(RecordId, i64)> {
        self.feed_index().live_versions()
    }
}
