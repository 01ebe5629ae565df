//! Telling what changed: every write hands the feed's order its changes through
//! [`CatalogStore::changed`], which also tells those who follow the records (the search
//! index, the quality board) which records changed, in the writer's thread, before the
//! write returns; and, for those who score them, what validation said of each version
//! written, so that they need not validate it again.

use super::CatalogStore;
use super::feed::FeedChange;
use super::write::WrittenRecord;
use crate::model::RecordId;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

/// Whether each record written since it was last asked for met its shapes, by version.
pub(super) type Conformance = HashMap<RecordId, (i64, bool)>;

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

    /// Keeps what validation said of `written` (those it checked), until
    /// [`Self::forget_conformance`]; set before the watchers are told, under the writer
    /// lock, so that it names the version they will read.
    pub(super) fn remember_conformance(&self, written: &[WrittenRecord]) {
        let mut kept = self
            .conformance
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for record in written {
            match record.conforms {
                Some(conforms) => kept.insert(record.id.clone(), (record.version, conforms)),
                None => kept.remove(&record.id),
            };
        }
    }

    /// Whether the record `id` at `version` met its shapes when it was written, if that
    /// write checked it and nobody has forgotten it since.
    pub fn conformance_of(&self, id: &RecordId, version: i64) -> Option<bool> {
        let kept = self
            .conformance
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        kept.get(id)
            .filter(|(at, _)| *at == version)
            .map(|(_, conforms)| *conforms)
    }

    /// Forgets what validation said of `id` at `version` (once it was used; a later
    /// version's verdict stays): the memory holds only what is still to be scored.
    pub fn forget_conformance(&self, id: &RecordId, version: i64) {
        let mut kept = self
            .conformance
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if kept.get(id).is_some_and(|(at, _)| *at == version) {
            kept.remove(id);
        }
    }

    /// The version of the public dataset record `id`, as the feed's order knows it (no
    /// store read).
    pub fn dataset_version(&self, id: &RecordId) -> Option<i64> {
        self.feed_index()
            .entry(id)
            .filter(|entry| !entry.withdrawn)
            .map(|entry| entry.key.modified)
    }

    /// Every public dataset record and its version (`dct:modified` in milliseconds), as
    /// the feed orders them.
    pub(in crate::store) fn dataset_versions(&self) -> Vec<(RecordId, i64)> {
        self.feed_index().live_versions()
    }
}
