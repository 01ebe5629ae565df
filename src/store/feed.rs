//! The harvestable feed's order: every dataset record, and every withdrawn one still
//! remembered, by modification time then id.
//!
//! The order lives in memory (a sorted list of keys, some 40 bytes per dataset) because
//! Oxigraph's indexes cannot seek by a literal's value: with it a page is a slice, found
//! by position or by binary search, whatever its number. It is built from the store when
//! the store opens, changed by every write before the writer lock is released, and built
//! again after a SPARQL Update (which may change anything).
//!
//! Walking guarantee: a page reached through `next` starts strictly after the last key of
//! the page before it (keyset paging). A dataset unchanged during the walk keeps its key,
//! so it is listed exactly once; a dataset written during the walk gets a key later than
//! every existing key (see [`Clock`]), so it is listed (again) further on.

use super::{CatalogStore, StoreError};
use crate::model::time::{now_millis, to_millis};
use crate::model::vocab::{RDF_TYPE, dcat, dct};
use crate::model::{RecordId, ResourceKind};
use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};

/// A record's place in the feed: its `dct:modified` in milliseconds, then its id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedKey {
    /// Milliseconds since 1970 (UTC).
    pub modified: i64,
    /// The record's id.
    pub id: RecordId,
}

impl FeedKey {
    /// The cursor form used in `next` links: `{millis}.{id}` (ids never contain a dot).
    pub fn to_cursor(&self) -> String {
        format!("{}.{}", self.modified, self.id)
    }

    /// Reads [`to_cursor`](Self::to_cursor)'s form back.
    pub fn from_cursor(text: &str) -> Option<Self> {
        let (modified, id) = text.split_once('.')?;
        Some(Self {
            modified: modified.parse().ok()?,
            id: RecordId::parse(id).ok()?,
        })
    }
}

/// One item of a feed page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    /// Where it sorts.
    pub key: FeedKey,
    /// A withdrawn (deleted) dataset's tombstone rather than a live record.
    pub withdrawn: bool,
}

/// Which part of the feed to read.
#[derive(Clone, Debug)]
pub struct FeedQuery {
    /// 1-based page number; used to find the page only when there is no cursor.
    pub page: u64,
    /// Items per page (the HTTP layer bounds it).
    pub page_size: usize,
    /// Only records changed at or after this time (ms), withdrawn ones included.
    pub since: Option<i64>,
    /// Start strictly after this key (the previous page's last item).
    pub after: Option<FeedKey>,
}

/// One page of the feed.
#[derive(Clone, Debug)]
pub struct FeedPage {
    /// The page's items, in feed order.
    pub entries: Vec<FeedEntry>,
    /// How many items the whole (possibly incremental) feed has now.
    pub total: usize,
    /// Whether items follow this page.
    pub more: bool,
}

/// A change to the order, applied once its transaction has committed.
#[derive(Clone, Debug)]
pub(super) enum FeedChange {
    /// The record now sorts at this key (a live dataset or a tombstone).
    Put(FeedEntry),
    /// The record left the feed (a record that is no longer a dataset).
    Remove(RecordId),
    /// The record's tombstone was forgotten: it leaves the feed if it is withdrawn (a live
    /// record with the same id stays).
    Forget(RecordId),
}

/// The sorted keys of live records and of tombstones.
#[derive(Debug, Default)]
pub(super) struct FeedIndex {
    live: Vec<FeedKey>,
    withdrawn: Vec<FeedKey>,
    /// Each record's current entry, to find it when it changes.
    by_id: HashMap<RecordId, FeedEntry>,
}

impl FeedIndex {
    fn from_entries(entries: impl IntoIterator<Item = FeedEntry>) -> Self {
        let mut index = Self::default();
        index.apply(entries.into_iter().map(FeedChange::Put).collect());
        index
    }

    /// How many live records and tombstones the feed lists.
    pub(super) fn sizes(&self) -> (usize, usize) {
        (self.live.len(), self.withdrawn.len())
    }

    /// The live records' ids, to tell which ones a SPARQL Update removed.
    pub(super) fn live_ids(&self) -> HashSet<RecordId> {
        self.live.iter().map(|k| k.id.clone()).collect()
    }

    /// The live records' ids and versions (their keys' times).
    pub(super) fn live_versions(&self) -> Vec<(RecordId, i64)> {
        self.live
            .iter()
            .map(|k| (k.id.clone(), k.modified))
            .collect()
    }

    /// The tombstones' ids, to tell which ones a SPARQL Update brought back.
    pub(super) fn withdrawn_ids(&self) -> Vec<RecordId> {
        self.withdrawn.iter().map(|k| k.id.clone()).collect()
    }

    /// The latest key, so that new stamps sort after everything already listed.
    fn latest(&self) -> i64 {
        let last = |keys: &[FeedKey]| keys.last().map_or(0, |k| k.modified);
        last(&self.live).max(last(&self.withdrawn))
    }

    /// Applies changes: one by one when few, else by filtering and sorting once (a bulk
    /// load of 20 000 records must not shift a 100 000-key list 20 000 times).
    pub(super) fn apply(&mut self, changes: Vec<FeedChange>) {
        if changes.is_empty() {
            return;
        }
        let mut gone: HashSet<FeedKey> = HashSet::new();
        // By id: a record changed twice in one call is listed once, without a scan.
        let mut added: HashMap<RecordId, FeedEntry> = HashMap::new();
        for change in changes {
            let (id, put) = match change {
                FeedChange::Put(entry) => (entry.key.id.clone(), Some(entry)),
                FeedChange::Remove(id) => (id, None),
                FeedChange::Forget(id) => {
                    if !self.by_id.get(&id).is_some_and(|e| e.withdrawn) {
                        continue;
                    }
                    (id, None)
                }
            };
            if let Some(old) = self.by_id.remove(&id) {
                gone.insert(old.key);
            }
            added.remove(&id);
            if let Some(entry) = put {
                self.by_id.insert(id.clone(), entry.clone());
                added.insert(id, entry);
            }
        }
        let few = gone.len() + added.len() < 64;
        for keys in [&mut self.live, &mut self.withdrawn] {
            if few {
                for key in &gone {
                    if let Ok(position) = keys.binary_search(key) {
                        keys.remove(position);
                    }
                }
            } else if !gone.is_empty() {
                keys.retain(|key| !gone.contains(key));
            }
        }
        for entry in added.into_values() {
            let keys = if entry.withdrawn {
                &mut self.withdrawn
            } else {
                &mut self.live
            };
            if few {
                let position = keys.partition_point(|k| *k < entry.key);
                keys.insert(position, entry.key);
            } else {
                keys.push(entry.key);
            }
        }
        if !few {
            self.live.sort_unstable();
            self.withdrawn.sort_unstable();
        }
    }

    /// The page `query` asks for.
    pub(super) fn page(&self, query: &FeedQuery) -> FeedPage {
        let since = |keys: &[FeedKey]| match query.since {
            Some(since) => keys.partition_point(|k| k.modified < since),
            None => 0,
        };
        // The full feed lists live records; the incremental one tombstones too.
        let mut lists: Vec<(&[FeedKey], bool)> = vec![(&self.live[since(&self.live)..], false)];
        if query.since.is_some() {
            lists.push((&self.withdrawn[since(&self.withdrawn)..], true));
        }
        let total = lists.iter().map(|(keys, _)| keys.len()).sum();
        let mut skip = 0;
        if let Some(after) = &query.after {
            for (keys, _) in &mut lists {
                *keys = &keys[keys.partition_point(|k| k <= after)..];
            }
        } else {
            skip = usize::try_from(query.page.saturating_sub(1))
                .unwrap_or(usize::MAX)
                .saturating_mul(query.page_size);
        }
        if lists.len() == 1 {
            // The common case: a slice by position.
            let (keys, withdrawn) = lists[0];
            let keys = keys.get(skip..).unwrap_or_default();
            let entries = keys
                .iter()
                .take(query.page_size)
                .map(|key| FeedEntry {
                    key: key.clone(),
                    withdrawn,
                })
                .collect();
            return FeedPage {
                entries,
                total,
                more: keys.len() > query.page_size,
            };
        }
        let mut merged = Merge { lists }.skip(skip);
        let entries: Vec<FeedEntry> = merged.by_ref().take(query.page_size).collect();
        FeedPage {
            entries,
            total,
            more: merged.next().is_some(),
        }
    }
}

impl FeedIndex {
    /// The entry of the record `id`, live or withdrawn, if the feed lists it.
    pub(super) fn entry(&self, id: &RecordId) -> Option<FeedEntry> {
        self.by_id.get(id).cloned()
    }

    /// The live and withdrawn keys changed within `from..=until` (ms), those after
    /// `after` merged in order, `limit` of them at most; and how many the range holds
    /// (OAI-PMH lists deleted records always, and count them in `completeListSize`).
    pub(super) fn range(
        &self,
        (from, until): (Option<i64>, Option<i64>),
        after: Option<&FeedKey>,
        limit: usize,
    ) -> (Vec<FeedEntry>, usize) {
        let bounds = |keys: &'_ [FeedKey]| -> std::ops::Range<usize> {
            let start = from.map_or(0, |f| keys.partition_point(|k| k.modified < f));
            let end = until.map_or(keys.len(), |u| keys.partition_point(|k| k.modified <= u));
            start..end.max(start)
        };
        let lists: Vec<(&[FeedKey], bool)> = [(&self.live, false), (&self.withdrawn, true)]
            .into_iter()
            .map(|(keys, withdrawn)| (&keys[bounds(keys)], withdrawn))
            .collect();
        let total = lists.iter().map(|(keys, _)| keys.len()).sum();
        let lists = lists
            .into_iter()
            .map(|(keys, withdrawn)| {
                let start = after.map_or(0, |a| keys.partition_point(|k| k <= a));
                (&keys[start..], withdrawn)
            })
            .collect();
        (Merge { lists }.take(limit).collect(), total)
    }
}

/// Merges sorted key lists into one sorted stream of entries.
struct Merge<'a> {
    lists: Vec<(&'a [FeedKey], bool)>,
}

impl Iterator for Merge<'_> {
    type Item = FeedEntry;

    fn next(&mut self) -> Option<FeedEntry> {
        let (keys, withdrawn) = self
            .lists
            .iter_mut()
            .filter(|(keys, _)| !keys.is_empty())
            .min_by(|(a, _), (b, _)| a[0].cmp(&b[0]))?;
        let key = keys[0].clone();
        *keys = &keys[1..];
        Some(FeedEntry {
            key,
            withdrawn: *withdrawn,
        })
    }
}

/// Hands out modification times: now, in milliseconds, but always later than any time
/// handed out or found in the store before, so that a record written during a harvester's
/// walk sorts after every record the walk has passed, even within one millisecond or
/// after the system clock stepped back.
#[derive(Debug, Default)]
pub(super) struct Clock {
    last: AtomicI64,
}

impl Clock {
    /// Never hands out `latest` or anything before it, unless `latest` is in the future
    /// (a date written by hand through SPARQL Update must not push every later write out).
    pub(super) fn not_before(&self, latest: i64) {
        self.last
            .fetch_max(latest.min(now_millis()), Ordering::AcqRel);
    }

    /// The next time, in milliseconds.
    pub(super) fn stamp(&self) -> i64 {
        let now = now_millis();
        let previous = self
            .last
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |last| {
                Some(now.max(last + 1))
            })
            .unwrap_or(now);
        now.max(previous + 1)
    }
}

impl CatalogStore {
    /// The feed page `query` asks for.
    pub(in crate::store) fn feed_page(&self, query: &FeedQuery) -> FeedPage {
        self.feed_index().page(query)
    }

    /// Whether the store holds more than `n` dataset records (counting no further: cheap
    /// on a store of millions).
    pub fn holds_more_datasets_than(&self, n: usize) -> Result<bool, StoreError> {
        let records = self.store.quads_for_pattern(
            None,
            Some(RDF_TYPE),
            Some(dcat::CATALOG_RECORD.into()),
            None,
        );
        for (seen, quad) in records.enumerate() {
            quad?;
            if seen >= n {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The ids of the dataset records (record graphs whose record node is a
    /// `dcat:CatalogRecord`).
    fn dataset_record_ids(&self) -> Result<HashSet<RecordId>, StoreError> {
        let mut datasets = HashSet::new();
        for quad in self.store.quads_for_pattern(
            None,
            Some(RDF_TYPE),
            Some(dcat::CATALOG_RECORD.into()),
            None,
        ) {
            let quad = quad?;
            if let Some(id) = self.record_node_id(&quad.subject, &quad.graph_name) {
                datasets.insert(id);
            }
        }
        Ok(datasets)
    }

    /// Reads the order from the store: dataset records (record graphs whose record node is
    /// a `dcat:CatalogRecord`) and tombstones (in the store's default graph).
    pub(super) fn scan_feed(&self) -> Result<FeedIndex, StoreError> {
        let datasets = self.dataset_record_ids()?;
        let withdrawn_graph: GraphName = self.base.withdrawn_graph().into();
        let mut entries: HashMap<RecordId, FeedEntry> = HashMap::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(dct::MODIFIED), None, None)
        {
            let quad = quad?;
            let millis = crate::model::time::parse_date_time(quad.object.as_ref()).map(to_millis);
            let entry = if quad.graph_name == withdrawn_graph {
                self.tombstone_id(&quad.subject)
                    .map(|id| (id, millis, true))
            } else {
                self.record_node_id(&quad.subject, &quad.graph_name)
                    .filter(|id| datasets.contains(id))
                    .map(|id| (id, millis, false))
            };
            // A live record wins over a tombstone left with the same id.
            if let Some((id, millis, withdrawn)) = entry
                && !(withdrawn && entries.get(&id).is_some_and(|e| !e.withdrawn))
            {
                entries.insert(
                    id.clone(),
                    FeedEntry {
                        key: FeedKey {
                            modified: millis.unwrap_or(0),
                            id,
                        },
                        withdrawn,
                    },
                );
            }
        }
        // A dataset record without a `dct:modified` (written by SPARQL Update) sorts first.
        for id in datasets {
            let entry = entries.entry(id.clone()).or_insert(FeedEntry {
                key: FeedKey {
                    modified: 0,
                    id: id.clone(),
                },
                withdrawn: false,
            });
            if entry.withdrawn {
                *entry = FeedEntry {
                    key: FeedKey { modified: 0, id },
                    withdrawn: false,
                };
            }
        }
        let index = FeedIndex::from_entries(entries.into_values());
        self.clock.not_before(index.latest());
        Ok(index)
    }

    /// The id of `subject` when it is the record node of its own record graph.
    fn record_node_id(&self, subject: &NamedOrBlankNode, graph: &GraphName) -> Option<RecordId> {
        match (subject, graph) {
            (NamedOrBlankNode::NamedNode(s), GraphName::NamedNode(g)) if s == g => {
                self.base.local_id(ResourceKind::Record, g.as_str())
            }
            _ => None,
        }
    }

    /// The id of a tombstone's record node.
    fn tombstone_id(&self, subject: &NamedOrBlankNode) -> Option<RecordId> {
        let NamedOrBlankNode::NamedNode(node) = subject else {
            return None;
        };
        self.base.local_id(ResourceKind::Record, node.as_str())
    }
}

/// Whether a predicate links the catalog to one of its datasets or records: the page lists
/// only its own.
pub(super) fn is_catalog_link(predicate: NamedNodeRef<'_>) -> bool {
    predicate == dcat::DATASET_PROP || predicate == dcat::RECORD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(modified: i64, id: &str) -> FeedKey {
        FeedKey {
            modified,
            id: RecordId::parse(id).expect("test ids are valid"),
        }
    }

    fn live(modified: i64, id: &str) -> FeedChange {
        FeedChange::Put(FeedEntry {
            key: key(modified, id),
            withdrawn: false,
        })
    }

    fn ids(page: &FeedPage) -> Vec<&str> {
        page.entries.iter().map(|e| e.key.id.as_str()).collect()
    }

    fn query(page: u64, page_size: usize) -> FeedQuery {
        FeedQuery {
            page,
            page_size,
            since: None,
            after: None,
        }
    }

    #[test]
    fn pages_follow_time_then_id() {
        let mut index = FeedIndex::default();
        index.apply(vec![live(5, "b"), live(5, "a"), live(1, "z"), live(9, "c")]);
        assert_eq!(ids(&index.page(&query(1, 3))), ["z", "a", "b"]);
        let second = index.page(&query(2, 3));
        assert_eq!(ids(&second), ["c"]);
        assert!(!second.more);
        assert_eq!(second.total, 4);
        assert!(index.page(&query(3, 3)).entries.is_empty());
    }

    #[test]
    fn a_cursor_survives_changes_before_it() {
        let mut index = FeedIndex::default();
        index.apply((0..10).map(|n| live(n, &format!("d{n}"))).collect());
        let first = index.page(&query(1, 4));
        let after = first.entries.last().map(|e| e.key.clone());
        // d1 is deleted and d2 rewritten after the first page was read.
        index.apply(vec![
            FeedChange::Remove(RecordId::parse("d1").expect("valid")),
            live(20, "d2"),
        ]);
        let next = index.page(&FeedQuery {
            after,
            ..query(2, 4)
        });
        assert_eq!(ids(&next), ["d4", "d5", "d6", "d7"]);
    }

    #[test]
    fn the_incremental_feed_merges_tombstones() {
        let mut index = FeedIndex::default();
        let mut changes: Vec<FeedChange> = (0..100).map(|n| live(n, &format!("d{n:03}"))).collect();
        changes.push(FeedChange::Put(FeedEntry {
            key: key(97, "gone"),
            withdrawn: true,
        }));
        index.apply(changes);
        let page = index.page(&FeedQuery {
            since: Some(96),
            ..query(1, 3)
        });
        assert_eq!(ids(&page), ["d096", "d097", "gone"]);
        assert!(page.entries[2].withdrawn);
        assert_eq!(page.total, 5);
        assert!(page.more);
        // The full feed does not list tombstones.
        assert_eq!(index.page(&query(1, 200)).total, 100);
    }

    #[test]
    fn a_record_written_again_moves() {
        let mut index = FeedIndex::default();
        index.apply((0..100).map(|n| live(n, &format!("d{n}"))).collect());
        index.apply(vec![live(500, "d0")]);
        let page = index.page(&query(1, 200));
        assert_eq!(page.total, 100);
        assert_eq!(ids(&page).last(), Some(&"d0"));
    }

    #[test]
    fn forgetting_a_tombstone_keeps_a_live_record_of_the_same_id() {
        let mut index = FeedIndex::default();
        index.apply(vec![live(1, "a")]);
        index.apply(vec![FeedChange::Forget(
            RecordId::parse("a").expect("valid"),
        )]);
        assert_eq!(index.page(&query(1, 10)).total, 1, "live records stay");
        index.apply(vec![FeedChange::Put(FeedEntry {
            key: key(2, "a"),
            withdrawn: true,
        })]);
        index.apply(vec![FeedChange::Forget(
            RecordId::parse("a").expect("valid"),
        )]);
        let since = FeedQuery {
            since: Some(0),
            ..query(1, 10)
        };
        assert_eq!(index.page(&since).total, 0, "the tombstone is gone");
    }

    #[test]
    fn cursors_read_back() {
        let k = key(1_732_417_200_123, "ds-4_2");
        assert_eq!(FeedKey::from_cursor(&k.to_cursor()), Some(k));
        assert_eq!(FeedKey::from_cursor("12.a.b"), None);
        assert_eq!(FeedKey::from_cursor("x.a"), None);
    }

    #[test]
    fn stamps_increase_and_ignore_future_dates() {
        let clock = Clock::default();
        let a = clock.stamp();
        let b = clock.stamp();
        assert!(b > a, "{a} {b}");
        let far = now_millis() + 1_000_000_000;
        clock.not_before(far);
        let c = clock.stamp();
        assert!(
            c > b && c < far,
            "a hand-written future date is not followed: {c}"
        );
    }
}
