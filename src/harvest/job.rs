//! One harvest run of one source: page after page, fetch, read, map, fingerprint and store
//! the datasets, then withdraw those the source no longer lists; a report says what
//! happened to each, and why each failure failed.
//!
//! A run that could not read the whole feed (a page failed, or a cap stopped it) withdraws
//! nothing: what it did not see may still be there.

use super::digest::DigestError;
use super::fetch::{Fetched, Fetcher, Validators};
use super::map::{HarvestedDataset, came_from_us, drop_claims_on_ours};
use super::read::{ReadPage, read};
use super::report::{JobError, JobReport, JobStatus, now_text};
use super::sources::{self, PageMemo, SourceError};
use crate::model::vocab::dct;
use crate::store::{CatalogStore, IncomingDataset, Provenance, SourceRef, StoreError, Verdict};
use oxigraph::model::{Graph, NamedNode, TermRef};
use std::collections::HashSet;
use tracing::Instrument;

/// Limits of one run, so that a feed that never ends cannot fill the store.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Only say what the run would change.
    pub dry_run: bool,
    /// Pages read at most.
    pub max_pages: usize,
    /// Datasets read at most.
    pub max_datasets: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            max_pages: 10_000,
            max_datasets: 1_000_000,
        }
    }
}

/// Runs one job: harvests `source` into `store`, filling `report` (whose status is final
/// when this returns). `on_page` sees the report after each page, for progress.
pub async fn run(
    store: &CatalogStore,
    fetcher: &Fetcher,
    source: SourceRef<'_>,
    options: &RunOptions,
    report: &mut JobReport,
    on_page: &(dyn Fn(&JobReport) + Send + Sync),
) {
    let by = Provenance {
        agent: format!("harvest:{}", source.name),
        source: format!("harvest of {} (job {})", source.url, report.id),
    };
    let span = tracing::info_span!("harvest", source = source.name, job = %report.id);
    async {
        // Only a run that read every page knows what the source no longer lists.
        let Some(seen) = read_pages(store, fetcher, source, options, &by, report, on_page).await
        else {
            return;
        };
        match withdraw_gone(store, source, seen, options.dry_run, &by).await {
            Ok(withdrawn) => report.withdrawn = withdrawn,
            Err(error) => report.error(
                source.url,
                format!("withdrawing datasets gone from the source failed: {error}"),
            ),
        }
    }
    .instrument(span.clone())
    .await;
    let _entered = span.enter();
    report.status =
        if report.errors.is_empty() && report.errors_left_out == 0 && report.stopped.is_none() {
            JobStatus::Succeeded
        } else if report.pages == 0 {
            JobStatus::Failed
        } else {
            JobStatus::Partial
        };
    report.ended = Some(now_text());
    tracing::info!(
        status = ?report.status,
        pages = report.pages,
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        withdrawn = report.withdrawn,
        failed = report.failed,
        "harvest ended"
    );
}

/// What a run carries from page to page.
struct Run<'a> {
    store: &'a CatalogStore,
    fetcher: &'a Fetcher,
    source: SourceRef<'a>,
    options: &'a RunOptions,
    by: &'a Provenance,
    /// Pages fetched so far (to stop at a cycle).
    visited: HashSet<String>,
    /// Datasets listed so far: what a complete run keeps from withdrawal.
    seen: HashSet<NamedNode>,
    /// Why the run cannot tell which datasets the source no longer lists, if it cannot
    /// although it read every page.
    unsure: Option<String>,
    /// How many datasets the feed says it has (`hydra:totalItems`), if it says.
    announced: Option<u64>,
}

/// What became of one page.
enum Step {
    /// Go on to this page.
    Next(String),
    /// The feed ended.
    End,
    /// The run stops before the feed's end (a failure or a cap, in the report).
    Stop,
}

/// Reads the feed page after page; the datasets it lists, if every page was read.
async fn read_pages(
    store: &CatalogStore,
    fetcher: &Fetcher,
    source: SourceRef<'_>,
    options: &RunOptions,
    by: &Provenance,
    report: &mut JobReport,
    on_page: &(dyn Fn(&JobReport) + Send + Sync),
) -> Option<HashSet<NamedNode>> {
    let mut run = Run {
        store,
        fetcher,
        source,
        options,
        by,
        visited: HashSet::new(),
        seen: HashSet::new(),
        unsure: None,
        announced: None,
    };
    let mut url = source.url.to_owned();
    loop {
        if report.pages >= options.max_pages {
            report.stopped = Some(format!(
                "stopped after {} pages, the most a run reads",
                options.max_pages
            ));
            return None;
        }
        if !run.visited.insert(url.clone()) {
            // Pages after the one that loops back may never have been read.
            report.error(
                &url,
                "the feed's paging comes back to this page: nothing withdrawn".into(),
            );
            return None;
        }
        let step = run.page(&url, report).await;
        on_page(report);
        if let Err(error) = keep_report(store, report).await {
            tracing::warn!(%error, "a running job's report was not kept");
        }
        match step {
            Step::Next(next) => url = next,
            Step::End => return run.complete(source.url, report),
            Step::Stop => return None,
        }
    }
}

/// Runs `work`, which blocks on the store, on the blocking pool.
async fn blocking<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| E::from(StoreError::Update(format!("the store's task failed: {e}"))))?
}

/// Keeps `report` in the store, off the async workers.
async fn keep_report(store: &CatalogStore, report: &JobReport) -> Result<(), SourceError> {
    let (store, report) = (store.clone(), report.clone());
    blocking(move || sources::save_job(&store, &report)).await
}

impl Run<'_> {
    /// At the feed's end: the datasets it lists, unless the run cannot be sure of them
    /// (then nothing is withdrawn, and the report says why).
    fn complete(self, feed: &str, report: &mut JobReport) -> Option<HashSet<NamedNode>> {
        if let Some(why) = self.unsure {
            report.note(feed, format!("nothing withdrawn: {why}"));
            return None;
        }
        if let Some(announced) = self.announced
            && (self.seen.len() as u64) < announced
        {
            report.error(
                feed,
                format!(
                    "the feed announces {announced} datasets (hydra:totalItems) but lists {}: nothing withdrawn",
                    self.seen.len()
                ),
            );
            return None;
        }
        Some(self.seen)
    }

    /// Harvests the page at `url`: unchanged since the last run (a `304` to a conditional
    /// GET), or fetched, read and stored.
    async fn page(&mut self, url: &str, report: &mut JobReport) -> Step {
        let memo = match self.memo(url).await {
            Ok(memo) => memo,
            Err(error) => {
                report.fail(
                    url,
                    None,
                    format!("the page's last state could not be read: {error}"),
                );
                return Step::Stop;
            }
        };
        let validators = memo
            .as_ref()
            .map_or_else(Validators::default, |m| Validators {
                etag: m.etag.clone(),
                last_modified: m.last_modified.clone(),
            });
        let fetched = match self.fetcher.get(url, &validators).await {
            Ok(fetched) => fetched,
            Err(error) => {
                report.fail(url, None, error.to_string());
                return Step::Stop;
            }
        };
        if fetched.not_modified {
            let Some(memo) = memo else {
                report.fail(
                    url,
                    None,
                    "answered 304 Not Modified to an unconditional request".into(),
                );
                return Step::Stop;
            };
            return self.unchanged_page(url, memo, report);
        }
        let validators = fetched.validators.clone();
        let page = match read_page(self.store, fetched, self.source.url).await {
            Ok(page) => page,
            Err(reason) => {
                report.fail(url, None, reason);
                return Step::Stop;
            }
        };
        self.stored_page(url, page, validators, report).await
    }

    /// A page the source says is as the last run read it: its datasets are unchanged.
    fn unchanged_page(&mut self, url: &str, memo: PageMemo, report: &mut JobReport) -> Step {
        report.pages += 1;
        for dataset in memo
            .datasets
            .iter()
            .filter_map(|d| NamedNode::new(d.as_str()).ok())
        {
            if self.seen.insert(dataset) {
                report.unchanged += 1;
            }
        }
        report.note(
            url,
            "not modified since the last run (conditional GET)".into(),
        );
        memo.next.map_or(Step::End, Step::Next)
    }

    /// Stores the datasets of a page read; remembers the page for the next run's
    /// conditional GET when all went well.
    async fn stored_page(
        &mut self,
        url: &str,
        page: ReadPage,
        validators: Validators,
        report: &mut JobReport,
    ) -> Step {
        let (failed, skipped) = (report.failed, report.skipped);
        report.pages += 1;
        if self.announced.is_none() {
            self.announced = page.total_items;
        }
        let (before, listed_here) = (self.seen.len(), page.datasets.len());
        for note in page.notes {
            report.note(url, note);
        }
        if !page.unnamed.is_empty() {
            // One of them may be a dataset stored by an earlier run: keep it.
            self.unsure = Some(format!(
                "{} datasets of {url} could not be identified",
                page.unnamed.len()
            ));
        }
        for (dataset, reason) in page.unnamed {
            report.failed += 1;
            report.push_error(JobError {
                page: url.to_owned(),
                dataset: Some(dataset),
                reason,
            });
        }
        let (incoming, listed) =
            self.triage(url, page.datasets, (&page.graph, &page.minted), report);
        drop(page.graph);
        if listed_here > 0 && self.seen.len() == before && page.next.is_some() {
            // A server that answers every page number with its last page never ends.
            report.error(
                url,
                "this page lists only datasets of earlier pages: the paging does not advance"
                    .into(),
            );
            return Step::Stop;
        }
        let stored = store_page(
            self.store,
            self.source,
            incoming,
            self.by,
            self.options.dry_run,
            url,
            report,
        )
        .await;
        if let Err(error) = stored {
            report.fail(url, None, format!("the page could not be stored: {error}"));
            return Step::Stop;
        }
        if report.stopped.is_some() {
            return Step::Stop;
        }
        // Only a page read without failure nor skip is taken as it was when unchanged.
        let clean = report.failed == failed && report.skipped == skipped;
        let conditional = validators.etag.is_some() || validators.last_modified.is_some();
        if clean && conditional && !self.options.dry_run {
            let memo = PageMemo {
                url: url.to_owned(),
                etag: validators.etag,
                last_modified: validators.last_modified,
                next: page.next.clone(),
                datasets: listed,
            };
            if let Err(error) = self.remember(memo).await {
                tracing::warn!(%error, page = url, "the page's state was not kept");
            }
        }
        page.next.map_or(Step::End, Step::Next)
    }

    /// The datasets of a page to store, checked and fingerprinted; and the IRIs of those
    /// it lists. Says in `report` what is left out and why.
    fn triage(
        &mut self,
        url: &str,
        datasets: Vec<(HarvestedDataset, Result<String, DigestError>)>,
        (graph, minted): (&Graph, &HashSet<NamedNode>),
        report: &mut JobReport,
    ) -> (Vec<IncomingDataset>, Vec<String>) {
        let mut incoming = Vec::new();
        let mut listed = Vec::new();
        for (mut dataset, digest) in datasets {
            if self.seen.len() >= self.options.max_datasets {
                report.stopped = Some(format!(
                    "stopped after {} datasets, the most a run reads",
                    self.options.max_datasets
                ));
                break;
            }
            // Everything the page lists: a 304 next time stands for all of it.
            listed.push(dataset.topic.as_str().to_owned());
            if !self.seen.insert(dataset.topic.clone()) {
                report.note(url, format!("{} is listed on two pages", dataset.topic));
                continue;
            }
            if let Some(why) = came_from_us(graph, &dataset, self.store.base(), minted) {
                report.skipped += 1;
                report.note(url, format!("{} not harvested: {why}", dataset.topic));
                continue;
            }
            let dropped = drop_claims_on_ours(&mut dataset, self.store.base());
            if !dropped.is_empty() {
                report.note(
                    url,
                    format!(
                        "{}: triples about our own resources left out: {}",
                        dataset.topic,
                        dropped.join(", ")
                    ),
                );
            }
            match checked(dataset, digest) {
                Ok(dataset) => incoming.push(dataset),
                Err((topic, reason)) => report.fail(url, Some(&topic), reason),
            }
        }
        (incoming, listed)
    }

    /// The state of `url` as the last complete read left it, if its datasets are all
    /// still live records (else the page is fetched in full again).
    async fn memo(&self, url: &str) -> Result<Option<PageMemo>, SourceError> {
        let store = self.store.clone();
        let (name, url) = (self.source.name.to_owned(), url.to_owned());
        blocking(move || {
            let Some(memo) = sources::page_memo(&store, &name, &url)? else {
                return Ok(None);
            };
            for dataset in &memo.datasets {
                let live = match NamedNode::new(dataset.as_str()) {
                    Ok(topic) => store.has_record(&topic)?,
                    Err(_) => false,
                };
                if !live {
                    return Ok(None);
                }
            }
            Ok(Some(memo))
        })
        .await
    }

    async fn remember(&self, memo: PageMemo) -> Result<(), SourceError> {
        let store = self.store.clone();
        let name = self.source.name.to_owned();
        blocking(move || sources::save_page_memo(&store, &name, &memo)).await
    }
}

/// Reads and maps a fetched page (`feed` names the source, for blank-node datasets) off
/// the async workers: parsing, mapping and fingerprints take CPU time.
async fn read_page(store: &CatalogStore, fetched: Fetched, feed: &str) -> Result<ReadPage, String> {
    let base = store.base().clone();
    let feed = feed.to_owned();
    tokio::task::spawn_blocking(move || read(fetched, &feed, &base))
        .await
        .map_err(|e| format!("reading the page failed: {e}"))?
}

/// The harvest's own checks of a dataset, before it is stored; and its fingerprint.
/// The application profile's findings are quality feedback, not a reason to refuse what a
/// source publishes; but a dataset without a title cannot be shown to anyone.
fn checked(
    dataset: HarvestedDataset,
    digest: Result<String, DigestError>,
) -> Result<IncomingDataset, (NamedNode, String)> {
    let titled = dataset.triples.iter().any(|t| {
        t.subject.as_ref() == dataset.topic.as_ref().into()
            && t.predicate == dct::TITLE
            && matches!(t.object.as_ref(), TermRef::Literal(l) if !l.value().trim().is_empty())
    });
    if !titled {
        return Err((dataset.topic, "the dataset has no dct:title".into()));
    }
    let digest = match digest {
        Ok(digest) => Some(digest),
        Err(error) => {
            tracing::warn!(dataset = %dataset.topic, %error, "no fingerprint; the dataset is written on every run");
            None
        }
    };
    Ok(IncomingDataset {
        topic: dataset.topic,
        triples: dataset.triples,
        digest,
        source_modified: dataset.source_modified,
        aliases: dataset.aliases,
    })
}

/// Stores one page's datasets and counts what happened to each.
async fn store_page(
    store: &CatalogStore,
    source: SourceRef<'_>,
    incoming: Vec<IncomingDataset>,
    by: &Provenance,
    dry_run: bool,
    url: &str,
    report: &mut JobReport,
) -> Result<(), StoreError> {
    let topics: Vec<NamedNode> = incoming.iter().map(|d| d.topic.clone()).collect();
    let verdicts = {
        let store = store.clone();
        let (name, feed, by) = (source.name.to_owned(), source.url.to_owned(), by.clone());
        blocking(move || {
            let source = SourceRef {
                name: &name,
                url: &feed,
            };
            store.store_harvested(source, incoming, &by, dry_run)
        })
        .await?
    };
    for (topic, verdict) in topics.iter().zip(verdicts) {
        match verdict {
            Verdict::Created(_) => report.created += 1,
            Verdict::Updated(_) => report.updated += 1,
            Verdict::Unchanged(_) => report.unchanged += 1,
            Verdict::Skipped(why) => {
                report.skipped += 1;
                report.note(url, format!("{topic} not harvested: {why}"));
            }
        }
    }
    Ok(())
}

/// Withdraws what the source harvested before and no longer lists, `seen` being what the
/// run found (in a dry run, counts what it would withdraw).
async fn withdraw_gone(
    store: &CatalogStore,
    source: SourceRef<'_>,
    seen: HashSet<NamedNode>,
    dry_run: bool,
    by: &Provenance,
) -> Result<usize, StoreError> {
    let store = store.clone();
    let (name, feed, by) = (source.name.to_owned(), source.url.to_owned(), by.clone());
    blocking(move || {
        let source = SourceRef {
            name: &name,
            url: &feed,
        };
        let gone: Vec<NamedNode> = store
            .harvested_topics(source.name)?
            .into_iter()
            .filter(|topic| !seen.contains(topic))
            .collect();
        if dry_run {
            return store.withdrawable(source, &gone);
        }
        store.withdraw_harvested(source, &gone, &by)
    })
    .await
}
