//! Datasets a source no longer lists: a complete harvest run withdraws them (a tombstone
//! each, a revision in their history), keeping their fingerprints so that they may come
//! back from the same source.

use super::harvested::SourceRef;
use crate::model::{RecordId, RecordKind};
use crate::store::history::{Action, Provenance, Revision};
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::NamedNode;
use oxigraph::store::Transaction;

impl CatalogStore {
    /// The datasets `source` has harvested, live or withdrawn since: what a complete run
    /// that no longer finds one of them withdraws.
    pub(in crate::store) fn harvested_topics(
        &self,
        source: &str,
    ) -> Result<Vec<NamedNode>, StoreError> {
        let state = self.harvest_state_graph(source);
        let digests = self.private_values(None, &self.harvest_term("digest"), &state)?;
        Ok(digests.into_iter().map(|(topic, _)| topic).collect())
    }

    /// Withdraws the datasets of `topics` that are still live records harvested from
    /// `source`, in one transaction, each with a revision by `by`; returns how many.
    /// Their fingerprints are kept, so that they may come back from the same source.
    pub(in crate::store) fn withdraw_harvested(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
        by: &Provenance,
    ) -> Result<usize, StoreError> {
        let _writer = self.write_lock();
        let mut transaction = self.store.start_transaction()?;
        let stamp = self.clock.stamp();
        let mut changes = self.purge_tombstones_in(
            &mut transaction,
            crate::model::time::now_millis() - self.retention,
        )?;
        let mut revisions = Vec::new();
        for topic in topics {
            let Some(id) = self.live_harvest_in(&transaction, source, topic)? else {
                continue;
            };
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
        self.changed(changes);
        if let Err(error) = history.commit() {
            tracing::error!(%error, "harvested records were withdrawn but their revisions not written");
        }
        Ok(revisions.len())
    }

    /// How many of `topics` are live records harvested from `source`: what
    /// [`Self::withdraw_harvested`] would withdraw.
    pub(in crate::store) fn withdrawable(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
    ) -> Result<usize, StoreError> {
        let reader = self.store.start_transaction()?;
        let mut count = 0;
        for topic in topics {
            if self.live_harvest_in(&reader, source, topic)?.is_some() {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The record of `topic`, if it is live and harvested from `source`.
    fn live_harvest_in(
        &self,
        transaction: &Transaction<'_>,
        source: SourceRef<'_>,
        topic: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        let Some(id) = self.record_of_topic(transaction, topic)? else {
            return Ok(None);
        };
        let ours = self.harvested_from_in(transaction, &id)?.as_deref() == Some(source.url);
        Ok(ours.then_some(id))
    }
}
