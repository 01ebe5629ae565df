//! Every write to the catalog, in one place: the kinds of write of one record (the API's
//! and, later, the forms') go through [`CatalogStore::write`] and [`CatalogStore::remove`];
//! the batch writes of the harvester and of `passerelle load` have entry points of their
//! own because their answers differ (a verdict per harvested dataset, a load's summary).
//! All of them end in the one transaction step of `split.rs`.
//!
//! | write | entry point | file |
//! |---|---|---|
//! | create, revive, replace a published record | `write` ([`WriteKind::Create`], [`WriteKind::Replace`]) | `published.rs` |
//! | a draft or an embargoed record; publishing one | `write` ([`WriteKind::Draft`], [`WriteKind::Publish`]), `publish_due` | `draft.rs` |
//! | delete a record (tombstone) or discard a draft | `remove` ([`Removal`]) | `published.rs`, `draft.rs` |
//! | harvested datasets | `store_harvested` | `harvested.rs` |
//! | what a source no longer lists | `withdraw_harvested` | `unlisted.rs` |
//! | records split from files (load, seed) | `write_split` | `split.rs` |
//! | the step they share: records, catalog links, feed, history | `write_split_in` | `split.rs` |

mod draft;
mod fresh;
mod harvested;
mod published;
mod split;
mod unlisted;

pub use harvested::{IncomingDataset, SourceRef, Verdict};
pub use split::{WriteSummary, WrittenRecord};

use super::history::Provenance;
use super::{CatalogStore, RecordChange, StoreError};
use crate::model::{RecordDraft, RecordId, RecordKind};
use published::Expect;

/// The kinds of write of one record: what [`CatalogStore::write`] is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteKind {
    /// A new published record; with `revive`, possibly a withdrawn one back.
    Create {
        /// Whether a withdrawn dataset may come back under its old id.
        revive: bool,
    },
    /// A new version of a published record.
    Replace {
        /// The record.
        id: RecordId,
        /// The version replaced.
        version: i64,
    },
    /// A draft, new or replacing one; with an embargo, a published record held back
    /// until then (complete, like any published record).
    Draft {
        /// The draft replaced and its version.
        replacing: Option<(RecordId, i64)>,
        /// When it becomes public.
        embargo: Option<i64>,
    },
    /// A draft, in a new version, made public.
    Publish {
        /// The draft.
        id: RecordId,
        /// The version replaced.
        version: i64,
    },
}

impl WriteKind {
    /// Drafts may be incomplete: their violations are reported, not refused.
    pub const fn blocks_on_violations(&self) -> bool {
        !matches!(self, Self::Draft { embargo: None, .. })
    }

    /// The record whose graph the write replaces, if any.
    pub const fn replaced(&self) -> Option<&RecordId> {
        match self {
            Self::Create { .. }
            | Self::Draft {
                replacing: None, ..
            } => None,
            Self::Draft {
                replacing: Some((id, _)),
                ..
            }
            | Self::Replace { id, .. }
            | Self::Publish { id, .. } => Some(id),
        }
    }
}

/// What [`CatalogStore::remove`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// A published record: a dataset leaves a tombstone, so that harvesters of the feed
    /// and readers of its IRI learn it was withdrawn.
    Published,
    /// A draft: it was never public, so it leaves no tombstone, only its history.
    Draft,
}

impl CatalogStore {
    /// Writes one record as `kind` says, if the store holds what that kind expects (no
    /// record for a create, the version the writer saw for a replace or a publish), else
    /// changes nothing. `by` is who writes, for the record's history.
    pub(in crate::store) fn write(
        &self,
        draft: RecordDraft,
        kind: WriteKind,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        let _writer = self.write_lock();
        match kind {
            WriteKind::Create { revive: true } => {
                self.write_record_locked(draft, &Expect::Revival, by)
            }
            WriteKind::Create { revive: false } => {
                self.write_record_locked(draft, &Expect::Absent, by)
            }
            WriteKind::Replace { id, version } => {
                self.write_record_locked(draft, &Expect::Version { id, version }, by)
            }
            WriteKind::Draft { replacing, embargo } => {
                let written = self.write_draft_locked(
                    draft,
                    replacing.as_ref().map(|(id, version)| (id, *version)),
                    embargo,
                    by,
                )?;
                // Not in the feed, but in the search of those who may see it.
                self.tell(&[RecordChange::Changed(written.id.clone())]);
                Ok(written)
            }
            WriteKind::Publish { id, version } => {
                self.publish_draft_locked(draft, &id, version, by)
            }
        }
    }

    /// Removes the record (or draft) `id` of `kind` if it is still at `version`.
    pub(in crate::store) fn remove(
        &self,
        (kind, id): (RecordKind, &RecordId),
        version: i64,
        removal: Removal,
        by: &Provenance,
    ) -> Result<(), StoreError> {
        let _writer = self.write_lock();
        match removal {
            Removal::Published => self.delete_record_locked(kind, id, version, by),
            Removal::Draft => {
                self.delete_draft_locked(kind, id, version, by)?;
                self.tell(&[RecordChange::Changed(id.clone())]);
                Ok(())
            }
        }
    }
}
