//! The server's link checks on a schedule (`link-check-interval`): every interval, a look
//! over every URL checks again those whose last check is as old as the interval (so a URL
//! waits at most two intervals; the look reads every record, so it is not run more
//! often); the URLs of a dataset just written or harvested are checked within seconds. The datasets whose URLs answered differently are scored
//! again.

use super::round::{Politeness, check};
use super::{LinkBook, Prober};
use crate::model::RecordId;
use crate::standards::conformance::{StandardBook, StandardCheck, check_declared};
use crate::store::{CatalogStore, LinkCheck, RecordChange, StoreError};
use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What the schedule needs.
pub struct Schedule {
    /// The store whose distributions are checked, and where the checks are kept.
    pub store: CatalogStore,
    /// The checks in memory.
    pub book: LinkBook,
    /// The HTTP side.
    pub prober: Prober,
    /// How hosts are treated.
    pub politeness: Politeness,
    /// How old a check may get.
    pub interval: Duration,
    /// Told of the datasets whose URLs answered anew.
    pub changed: Box<dyn Fn(Vec<RecordId>) + Send + Sync>,
    /// The data-standard checks in memory.
    pub standards: StandardBook,
    /// The client that downloads CSV files (a longer time limit than a link check's).
    pub downloads: crate::harvest::fetch::Fetcher,
    /// The most bytes of a CSV file read to check it.
    pub max_csv_bytes: u64,
}

/// How long the schedule lets writes gather before it checks their URLs (a harvest writes
/// many datasets in a row).
const GATHER: Duration = Duration::from_secs(1);

/// The datasets written since the last round; `all` when a change did not say which
/// (a SPARQL update).
#[derive(Default)]
struct Written {
    ids: Mutex<(BTreeSet<RecordId>, bool)>,
    wake: tokio::sync::Notify,
}

impl Schedule {
    /// Runs the schedule on the current runtime until the server stops.
    pub fn spawn(self) {
        let written = Arc::new(Written::default());
        let told = written.clone();
        self.store.on_dataset_changes(Arc::new(
            move |_: &CatalogStore, changes: &[RecordChange]| {
                let mut written = told.ids.lock().unwrap_or_else(PoisonError::into_inner);
                for change in changes {
                    match change {
                        RecordChange::Changed(id) => {
                            written.0.insert(id.clone());
                        }
                        RecordChange::All => written.1 = true,
                    }
                }
                told.wake.notify_one();
            },
        ));
        tokio::spawn(async move {
            // Every URL is looked at on a clock of its own: writes, however frequent,
            // only add rounds over what they wrote.
            let mut next_full = tokio::time::Instant::now();
            loop {
                let (just, all) = std::mem::take(
                    &mut *written.ids.lock().unwrap_or_else(PoisonError::into_inner),
                );
                let everything = all || tokio::time::Instant::now() >= next_full;
                if everything {
                    next_full = tokio::time::Instant::now() + self.interval;
                }
                let span = tracing::info_span!("link_checks", everything);
                let round = self.round((!everything).then(|| just.into_iter().collect()));
                if let Err(error) = tracing::Instrument::instrument(round, span).await {
                    tracing::error!(%error, "a round of link checks failed");
                }
                let woken = tokio::time::timeout_at(next_full, written.wake.notified()).await;
                if woken.is_ok() {
                    tokio::time::sleep(GATHER).await;
                }
            }
        });
    }

    /// Checks the URLs due — of every dataset, or of those `just` written — stores what
    /// they answered, and tells of the datasets whose URLs answered differently.
    async fn round(&self, just: Option<Vec<RecordId>>) -> Result<(), StoreError> {
        let store = self.store.clone();
        let links = blocking(move || match just {
            None => store.distribution_links(),
            Some(ids) => store.distribution_links_of(&ids),
        })
        .await?;
        self.check_links(&links).await?;
        self.check_standards(&links).await
    }

    /// Checks the URLs of `links` due; tells of the datasets whose URLs answered anew.
    async fn check_links(&self, links: &[(RecordId, String)]) -> Result<(), StoreError> {
        let now = time::OffsetDateTime::now_utc();
        let due: Vec<String> = links
            .iter()
            .map(|(_, url)| url)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|url| {
                self.book
                    .get(url)
                    .is_none_or(|last| now - last.checked >= self.interval)
            })
            .cloned()
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        tracing::info!(urls = due.len(), "checking links");
        let checks = check(&self.prober, due, self.politeness, |_, _| {}).await;
        let answered_anew: HashSet<String> = checks
            .iter()
            .filter(|c| self.book.status(&c.url) != Some(c.status.unwrap_or(super::NO_ANSWER)))
            .map(|c| c.url.clone())
            .collect();
        let store = self.store.clone();
        let kept: Vec<LinkCheck> = checks.clone();
        blocking(move || store.put_link_checks(&kept)).await?;
        self.book.put(checks);
        let datasets: BTreeSet<RecordId> = links
            .iter()
            .filter(|(_, url)| answered_anew.contains(url))
            .map(|(id, _)| id.clone())
            .collect();
        if !datasets.is_empty() {
            (self.changed)(datasets.into_iter().collect());
        }
        Ok(())
    }

    /// Checks the CSV files of the datasets of `links` that declare a Table Schema, when
    /// their last check is older than the interval.
    async fn check_standards(&self, links: &[(RecordId, String)]) -> Result<(), StoreError> {
        let ids: Vec<RecordId> = links
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let store = self.store.clone();
        let declared = blocking(move || store.declared_standards(&ids)).await?;
        if declared.is_empty() {
            return Ok(());
        }
        let now = time::OffsetDateTime::now_utc();
        let due = |last: Option<&StandardCheck>| {
            last.and_then(|l| {
                time::OffsetDateTime::parse(
                    &l.checked,
                    &time::format_description::well_known::Rfc3339,
                )
                .ok()
            })
            .is_none_or(|checked| now - checked >= self.interval)
        };
        let limits = crate::standards::Limits {
            max_bytes: self.max_csv_bytes,
            ..crate::standards::Limits::default()
        };
        let stores = (&self.store, &self.standards);
        check_declared(&self.downloads, &declared, stores, &limits, due).await?;
        Ok(())
    }
}

/// Runs `work` on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Update(format!("the store's task failed: {e}")))?
}
