//! One harvest run of one source: page after page, fetch, read, map, fingerprint and store
//! the datasets, then withdraw those the source no longer lists; a report says what
//! happened to each, and why each failure failed.
//!
//! A run that could not read the whole feed (a page failed, or a cap stopped it) withdraws
//! nothing: what it did not see may still be there.

use super::ahead::{Ahead, Fetch};
use super::blocking;
use super::digest::DigestError;
use super::fetch::{Fetcher, Validators};
use super::map::{HarvestedDataset, came_from_us, checked};
use super::read::ReadPage;
use super::report::{JobError, JobReport, JobStatus, now_text};
use super::sources::{self, PageMemo, RunOptions, SourceError};
use crate::store::Harvests;
use crate::store::{CatalogStore, IncomingDataset, Provenance, SourceRef, StoreError, Verdict};
use oxigraph::model::{Graph, NamedNode};
use std::collections::HashSet;
use tracing::Instrument;

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
    /// Datasets read and not yet stored.
    batch: Batch,
    /// The batch being stored while the next pages are read, if one is.
    storing: Option<Storing>,
    /// A batch could not be stored: the run stores nothing more.
    broken: bool,
}

/// A batch on its way into the store.
struct Storing {
    task: tokio::task::JoinHandle<Result<Vec<(NamedNode, Verdict)>, StoreError>>,
    origins: Vec<usize>,
    pages: Vec<(String, Option<PageMemo>)>,
}

/// Datasets of the pages read since the last write, stored together: each write of new
/// records adds files to the store that it later merges, so fewer, larger writes cost
/// less (`bench/README.md`).
#[derive(Default)]
struct Batch {
    datasets: Vec<IncomingDataset>,
    /// For each of `datasets`, the index in `pages` of the page that lists it.
    origins: Vec<usize>,
    /// Triples in `datasets`.
    triples: usize,
    /// The pages, each with its memo if it is to be remembered once its datasets are
    /// stored.
    pages: Vec<(String, Option<PageMemo>)>,
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
        batch: Batch::default(),
        storing: None,
        broken: false,
    };
    let ended = run.walk(report, on_page).await;
    // What was read is stored, whatever stopped the run.
    let stored = run.settle(report).await && run.flush(report).await && run.settle(report).await;
    on_page(report);
    if let Err(error) = keep_report(store, report).await {
        tracing::warn!(%error, "a running job's report was not kept");
    }
    if ended && stored {
        run.complete(source.url, report)
    } else {
        None
    }
}

/// The pages of a batch, for a report: the first, or the first to the last.
fn pages_of(pages: &[(String, Option<PageMemo>)]) -> String {
    match (pages.first(), pages.last()) {
        (Some((first, _)), Some((last, _))) if first != last => format!("{first} to {last}"),
        (Some((first, _)), _) => first.clone(),
        _ => String::new(),
    }
}

/// Keeps `report` in the store, off the async workers.
async fn keep_report(store: &CatalogStore, report: &JobReport) -> Result<(), SourceError> {
    let (store, report) = (store.clone(), report.clone());
    blocking(move || sources::save_job(&store, &report)).await
}

impl Run<'_> {
    /// Walks the feed, fetching each page while the one before is taken in; whether it
    /// reached the feed's end.
    async fn walk(
        &mut self,
        report: &mut JobReport,
        on_page: &(dyn Fn(&JobReport) + Send + Sync),
    ) -> bool {
        let mut url = self.source.url.to_owned();
        let mut ahead: Option<Ahead> = None;
        loop {
            if self.options.stop.raised() {
                report.stopped =
                    Some("stopped: the server was shutting down; what was read is stored".into());
                return false;
            }
            if report.pages >= self.options.max_pages {
                report.stopped = Some(format!(
                    "stopped after {} pages, the most a run reads",
                    self.options.max_pages
                ));
                return false;
            }
            if !self.visited.insert(url.clone()) {
                // Pages after the one that loops back may never have been read.
                report.error(
                    &url,
                    "the feed's paging comes back to this page: nothing withdrawn".into(),
                );
                return false;
            }
            let fetched = match ahead.take() {
                Some(ahead) if ahead.url == url => ahead,
                _ => Ahead::start(self.store, self.fetcher, self.source, &url),
            }
            .join()
            .await;
            if let Some(next) = fetched.next()
                && report.pages + 1 < self.options.max_pages
                && !self.visited.contains(next)
            {
                ahead = Some(Ahead::start(self.store, self.fetcher, self.source, next));
            }
            let mut step = self.take_in(&url, fetched, report).await;
            // Counts and memos as soon as a batch is stored, not only when the next one is.
            if self.storing.as_ref().is_some_and(|s| s.task.is_finished())
                && !self.settle(report).await
            {
                step = Step::Stop;
            }
            on_page(report);
            if let Err(error) = keep_report(self.store, report).await {
                tracing::warn!(%error, "a running job's report was not kept");
            }
            match step {
                Step::Next(next) => url = next,
                Step::End => return true,
                Step::Stop => return false,
            }
        }
    }

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

    /// Takes in the page at `url` as fetched.
    async fn take_in(&mut self, url: &str, fetched: Fetch, report: &mut JobReport) -> Step {
        match fetched {
            Fetch::Read { page, validators } => {
                self.batched_page(url, *page, validators, report).await
            }
            Fetch::NotModified(memo) => self.unchanged_page(url, memo, report),
            Fetch::Failed(reason) => {
                report.fail(url, None, reason);
                Step::Stop
            }
        }
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

    /// Adds the datasets of a page read to the batch (stored when it is full); the page
    /// is remembered for the next run's conditional GET once they are stored, if all went
    /// well.
    async fn batched_page(
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
        self.report_unidentified(url, page.notes, page.unnamed, report);
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
        // Only a page read whole, without failure nor skip, is taken as it was when
        // unchanged (a cap may have cut it short).
        let clean =
            report.failed == failed && report.skipped == skipped && report.stopped.is_none();
        let conditional = validators.etag.is_some() || validators.last_modified.is_some();
        let memo = (clean && conditional && !self.options.dry_run).then(|| PageMemo {
            url: url.to_owned(),
            etag: validators.etag,
            last_modified: validators.last_modified,
            next: page.next.clone(),
            datasets: listed,
        });
        let index = self.batch.pages.len();
        self.batch.pages.push((url.to_owned(), memo));
        for dataset in incoming {
            self.batch.triples += dataset.triples.len();
            self.batch.datasets.push(dataset);
            self.batch.origins.push(index);
        }
        if report.stopped.is_some() {
            return Step::Stop;
        }
        if self.batch.triples >= self.options.batch_triples && !self.flush(report).await {
            return Step::Stop;
        }
        page.next.map_or(Step::End, Step::Next)
    }

    /// Tells the report of a page's notes and of its datasets that could not be
    /// identified (each a failure); with any of those, the run cannot tell what the source
    /// no longer lists.
    fn report_unidentified(
        &mut self,
        url: &str,
        notes: Vec<String>,
        unnamed: Vec<(String, String)>,
        report: &mut JobReport,
    ) {
        for note in notes {
            report.note(url, note);
        }
        if !unnamed.is_empty() {
            // One of them may be a dataset stored by an earlier run: keep it.
            self.unsure = Some(format!(
                "{} datasets of {url} could not be identified",
                unnamed.len()
            ));
        }
        for (dataset, reason) in unnamed {
            report.failed += 1;
            report.push_error(JobError {
                page: url.to_owned(),
                dataset: Some(dataset),
                reason,
            });
        }
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
            let dropped = std::mem::take(&mut dataset.dropped);
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
            if !dataset.violations.is_empty() {
                report.violated(&dataset.topic, &dataset.violations);
                if self.options.policy == sources::Policy::Strict {
                    report.skipped += 1;
                    report.note(
                        url,
                        format!(
                            "{} not harvested: {} violations of DCAT-AP 3.0.1 (the source's policy is strict)",
                            dataset.topic,
                            dataset.violations.len()
                        ),
                    );
                    continue;
                }
            }
            match checked(dataset, digest) {
                Ok(dataset) => incoming.push(dataset),
                Err((topic, reason)) => report.fail(url, Some(&topic), reason),
            }
        }
        (incoming, listed)
    }

    /// Starts storing the batch, once the one before is stored; whether all went well so
    /// far (the report says what did not).
    async fn flush(&mut self, report: &mut JobReport) -> bool {
        let batch = std::mem::take(&mut self.batch);
        if !self.settle(report).await || self.broken {
            if !batch.pages.is_empty() {
                report.failed += batch.datasets.len();
                let reason = "not stored: an earlier batch of this run could not be";
                report.error(&pages_of(&batch.pages), reason.into());
            }
            return false;
        }
        if batch.pages.is_empty() {
            return true;
        }
        let store = self.store.clone();
        let (name, feed) = (self.source.name.to_owned(), self.source.url.to_owned());
        let (by, dry_run) = (self.by.clone(), self.options.dry_run);
        let datasets = batch.datasets;
        let task = tokio::task::spawn_blocking(move || {
            let topics: Vec<NamedNode> = datasets.iter().map(|d| d.topic.clone()).collect();
            let source = SourceRef {
                name: &name,
                url: &feed,
            };
            let verdicts = store.store_harvested(source, datasets, &by, dry_run)?;
            Ok(topics.into_iter().zip(verdicts).collect())
        });
        self.storing = Some(Storing {
            task,
            origins: batch.origins,
            pages: batch.pages,
        });
        true
    }

    /// Waits for the batch being stored, if one is, and counts what happened to each of
    /// its datasets; then remembers its pages whose datasets were all taken. Whether it
    /// was stored.
    async fn settle(&mut self, report: &mut JobReport) -> bool {
        let Some(Storing {
            task,
            origins,
            pages,
        }) = self.storing.take()
        else {
            return true;
        };
        let verdicts = task
            .await
            .unwrap_or_else(|e| Err(StoreError::Update(format!("the store's task failed: {e}"))));
        let verdicts = match verdicts {
            Ok(verdicts) => verdicts,
            Err(error) => {
                self.broken = true;
                report.failed += origins.len();
                report.error(
                    &pages_of(&pages),
                    format!("these pages' datasets could not be stored: {error}"),
                );
                return false;
            }
        };
        let mut skipped = HashSet::new();
        for ((topic, verdict), origin) in verdicts.into_iter().zip(origins) {
            match verdict {
                Verdict::Created(_) => report.created += 1,
                Verdict::Updated(_) => report.updated += 1,
                Verdict::Unchanged(_) => report.unchanged += 1,
                Verdict::Skipped(why) => {
                    report.skipped += 1;
                    report.note(&pages[origin].0, format!("{topic} not harvested: {why}"));
                    skipped.insert(topic.into_string());
                }
            }
        }
        let memos: Vec<PageMemo> = pages
            .into_iter()
            .filter_map(|(_, memo)| memo)
            .filter(|memo| !memo.datasets.iter().any(|d| skipped.contains(d)))
            .collect();
        if let Err(error) = self.remember(memos).await {
            tracing::warn!(%error, "the pages' state was not kept");
        }
        true
    }

    async fn remember(&self, memos: Vec<PageMemo>) -> Result<(), SourceError> {
        if memos.is_empty() {
            return Ok(());
        }
        let store = self.store.clone();
        let name = self.source.name.to_owned();
        blocking(move || {
            memos
                .iter()
                .try_for_each(|memo| sources::save_page_memo(&store, &name, memo))
        })
        .await
    }
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
