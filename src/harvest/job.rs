//! One harvest run of one source: page after page, fetch, read, map, fingerprint and store
//! the datasets, then withdraw those the source no longer lists; a report says what
//! happened to each, and why each failure failed.
//!
//! A run that could not read the whole feed (a page failed, or a cap stopped it) withdraws
//! nothing: what it did not see may still be there.

use super::digest::{DigestError, digest};
use super::fetch::{Fetched, Fetcher, Validators};
use super::map::{
    HarvestedDataset, came_from_us, datasets_of, drop_claims_on_ours, name_blank_datasets,
    type_dates,
};
use super::page::{Parsed, csw_page, next_page, parse, syntax_of};
use super::sources::{self, PageMemo, SourceError};
use crate::model::vocab::{RDF_TYPE, dct, hydra};
use crate::store::{CatalogStore, IncomingDataset, Provenance, SourceRef, StoreError, Verdict};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, NamedNode, TermRef};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use tracing::Instrument;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Still fetching pages.
    Running,
    /// Every page read, every dataset stored.
    Succeeded,
    /// Some pages or datasets failed; what was read is stored, nothing was withdrawn.
    Partial,
    /// Nothing could be harvested (the first page failed).
    Failed,
}

/// One failure: where, which dataset (if one), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobError {
    /// The page's URL.
    pub page: String,
    /// The dataset's IRI, when one dataset failed (else the whole page did).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dataset: Option<String>,
    /// Why, in words.
    pub reason: String,
}

/// What a run changed to read the source (normalisations, repairs) or chose not to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobNote {
    /// The page's URL.
    pub page: String,
    /// What, in words.
    pub note: String,
}

/// A job's report, as `GET {base}api/harvest/jobs/{id}` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobReport {
    /// The job's id.
    pub id: String,
    /// The source's name.
    pub source: String,
    /// The feed's first page.
    pub url: String,
    /// Whether the run only said what it would do.
    pub dry_run: bool,
    /// Where the job is.
    pub status: JobStatus,
    /// When it started (RFC 3339).
    pub started: String,
    /// When it ended (RFC 3339), once it has.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ended: Option<String>,
    /// Pages read.
    pub pages: usize,
    /// Datasets new to the catalog.
    pub created: usize,
    /// Datasets whose description changed.
    pub updated: usize,
    /// Datasets found as they were: not written.
    pub unchanged: usize,
    /// Datasets the source no longer lists: withdrawn.
    pub withdrawn: usize,
    /// Datasets (or pages) that failed; see `errors`.
    pub failed: usize,
    /// Datasets not stored on purpose (ours already, another source's); see `notes`.
    pub skipped: usize,
    /// Each failure, up to [`MAX_NOTES`].
    pub errors: Vec<JobError>,
    /// Errors left out past [`MAX_NOTES`].
    #[serde(default)]
    pub errors_left_out: usize,
    /// Each normalisation, repair and skip, up to [`MAX_NOTES`].
    pub notes: Vec<JobNote>,
    /// Notes left out past [`MAX_NOTES`].
    pub notes_left_out: usize,
    /// Why paging stopped before the feed's end, if it did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stopped: Option<String>,
}

/// Notes kept in a report; a large feed with plain-string dates would say it 100,000 times.
pub const MAX_NOTES: usize = 1000;

impl JobReport {
    /// A new running job.
    pub fn new(id: String, source: &SourceRef<'_>, dry_run: bool) -> Self {
        Self {
            id,
            source: source.name.to_owned(),
            url: source.url.to_owned(),
            dry_run,
            status: JobStatus::Running,
            started: now_text(),
            ended: None,
            pages: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            withdrawn: 0,
            failed: 0,
            skipped: 0,
            errors: Vec::new(),
            errors_left_out: 0,
            notes: Vec::new(),
            notes_left_out: 0,
            stopped: None,
        }
    }

    fn note(&mut self, page: &str, note: String) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(JobNote {
                page: page.to_owned(),
                note,
            });
        } else {
            self.notes_left_out += 1;
        }
    }

    fn fail(&mut self, page: &str, dataset: Option<&NamedNode>, reason: String) {
        self.failed += 1;
        self.push_error(JobError {
            page: page.to_owned(),
            dataset: dataset.map(|d| d.as_str().to_owned()),
            reason,
        });
    }

    /// An error of the run that is no dataset's (the run is then partial).
    fn error(&mut self, page: &str, reason: String) {
        self.push_error(JobError {
            page: page.to_owned(),
            dataset: None,
            reason,
        });
    }

    fn push_error(&mut self, error: JobError) {
        if self.errors.len() < MAX_NOTES {
            self.errors.push(error);
        } else {
            self.errors_left_out += 1;
        }
    }

    /// Datasets the run has dealt with so far, for progress.
    pub fn datasets(&self) -> usize {
        self.created + self.updated + self.unchanged + self.failed + self.skipped
    }
}

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

/// Keeps `report` in the store, off the async workers.
async fn keep_report(store: &CatalogStore, report: &JobReport) -> Result<(), SourceError> {
    let (store, report) = (store.clone(), report.clone());
    tokio::task::spawn_blocking(move || sources::save_job(&store, &report))
        .await
        .map_err(|e| {
            SourceError::Store(StoreError::Update(format!("the store's task failed: {e}")))
        })?
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
        let mut incoming = Vec::new();
        let mut listed = Vec::new();
        for (dataset, digest) in page.datasets {
            if self.seen.len() >= self.options.max_datasets {
                report.stopped = Some(format!(
                    "stopped after {} datasets, the most a run reads",
                    self.options.max_datasets
                ));
                break;
            }
            if !self.seen.insert(dataset.topic.clone()) {
                report.note(url, format!("{} is listed on two pages", dataset.topic));
                continue;
            }
            listed.push(dataset.topic.as_str().to_owned());
            if let Some(why) = came_from_us(&page.graph, &dataset, self.store.base(), &page.minted)
            {
                report.skipped += 1;
                report.note(url, format!("{} not harvested: {why}", dataset.topic));
                continue;
            }
            let mut dataset = dataset;
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

    /// The state of `url` as the last complete read left it, if its datasets are all
    /// still live records (else the page is fetched in full again).
    async fn memo(&self, url: &str) -> Result<Option<PageMemo>, SourceError> {
        let store = self.store.clone();
        let (name, url) = (self.source.name.to_owned(), url.to_owned());
        tokio::task::spawn_blocking(move || {
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
        .map_err(|e| {
            SourceError::Store(StoreError::Update(format!("the store's task failed: {e}")))
        })?
    }

    async fn remember(&self, memo: PageMemo) -> Result<(), SourceError> {
        let store = self.store.clone();
        let name = self.source.name.to_owned();
        tokio::task::spawn_blocking(move || sources::save_page_memo(&store, &name, &memo))
            .await
            .map_err(|e| {
                SourceError::Store(StoreError::Update(format!("the store's task failed: {e}")))
            })?
    }
}

/// A page, read and mapped.
struct ReadPage {
    graph: Graph,
    /// The IRIs minted for blank-node datasets.
    minted: HashSet<NamedNode>,
    /// Each dataset, with its fingerprint or why it has none.
    datasets: Vec<(HarvestedDataset, Result<String, DigestError>)>,
    /// Blank-node datasets that could not be named, and why.
    unnamed: Vec<(String, String)>,
    notes: Vec<String>,
    next: Option<String>,
    /// `hydra:totalItems`, if the page gives it.
    total_items: Option<u64>,
}

/// Reads and maps a fetched page (`feed` names the source, for blank-node datasets); the
/// reason it failed, in words.
async fn read_page(store: &CatalogStore, fetched: Fetched, feed: &str) -> Result<ReadPage, String> {
    let base = store.base().clone();
    let feed = feed.to_owned();
    // Parsing and mapping take CPU time: off the async workers.
    tokio::task::spawn_blocking(move || {
        let Body {
            parsed,
            next: csw_next,
            broken,
            csw,
        } = read_body(&fetched)?;
        drop(fetched.body);
        let mut notes = parsed.repairs;
        let mut graph = parsed.graph;
        notes.extend(type_dates(&mut graph));
        let naming = name_blank_datasets(graph, &feed, &base);
        notes.extend(naming.notes);
        let (graph, minted, mut unnamed) = (naming.graph, naming.minted, naming.unnamed);
        unnamed.extend(broken);
        // Fingerprints take CPU time too: here, off the async workers.
        let datasets: Vec<_> = datasets_of(&graph)
            .into_iter()
            .map(|dataset| {
                let digest = digest(&dataset.triples);
                (dataset, digest)
            })
            .collect();
        let next = next_page(&graph, &fetched.url).or(csw_next);
        // (A CSW response is a feed, even when none of its records read.)
        if !speaks_dcat(&graph) && unnamed.is_empty() && !csw {
            // An error page served as 200 must not read as a feed emptied of datasets.
            return Err(format!(
                "the page says nothing in DCAT or Hydra ({} triples): not a feed",
                graph.len()
            ));
        }
        let total_items = total_items(&graph);
        Ok(ReadPage {
            graph,
            minted,
            datasets,
            unnamed,
            notes,
            next,
            total_items,
        })
    })
    .await
    .map_err(|e| format!("reading the page failed: {e}"))?
}

/// What a fetched page holds.
struct Body {
    parsed: Parsed,
    /// For a CSW response, the next page's URL.
    next: Option<String>,
    /// CSW records that did not read: which, and why (each is a dataset the run cannot
    /// identify).
    broken: Vec<(String, String)>,
    /// Whether it is a CSW response.
    csw: bool,
}

/// The triples of a fetched page: the page, or each record of a CSW response.
fn read_body(fetched: &Fetched) -> Result<Body, String> {
    let Some(csw) = csw_page(&fetched.body, &fetched.url) else {
        let format = syntax_of(fetched.content_type.as_deref(), &fetched.body);
        let parsed = parse(&fetched.body, format, &fetched.url).map_err(|e| e.to_string())?;
        return Ok(Body {
            parsed,
            next: None,
            broken: Vec::new(),
            csw: false,
        });
    };
    let mut body = Body {
        parsed: Parsed::default(),
        next: csw.next,
        broken: Vec::new(),
        csw: true,
    };
    for (n, document) in csw.documents.iter().enumerate() {
        match parse(document, RdfFormat::RdfXml, &fetched.url) {
            Ok(parsed) => {
                body.parsed.graph.extend(parsed.graph.iter());
                body.parsed.repairs.extend(parsed.repairs);
            }
            Err(error) => body.broken.push((
                format!("CSW record {} of the page", n + 1),
                error.to_string(),
            )),
        }
    }
    Ok(body)
}

/// Whether `graph` says anything in DCAT or Hydra: a feed (maybe one without datasets),
/// not an error page that happens to parse (an empty body, a JSON error message).
fn speaks_dcat(graph: &Graph) -> bool {
    let ours = |iri: &str| {
        iri.starts_with("http://www.w3.org/ns/dcat#")
            || iri.starts_with("http://www.w3.org/ns/hydra/core#")
    };
    graph.iter().any(|t| {
        ours(t.predicate.as_str())
            || (t.predicate == RDF_TYPE
                && matches!(t.object, TermRef::NamedNode(class) if ours(class.as_str())))
    })
}

/// The `hydra:totalItems` of the page's collection, if it gives one.
fn total_items(graph: &Graph) -> Option<u64> {
    graph
        .triples_for_predicate(hydra::TOTAL_ITEMS)
        .find_map(|t| match t.object {
            TermRef::Literal(l) => l.value().trim().parse().ok(),
            _ => None,
        })
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
        tokio::task::spawn_blocking(move || {
            let source = SourceRef {
                name: &name,
                url: &feed,
            };
            store.store_harvested(source, incoming, &by, dry_run)
        })
        .await
        .map_err(|e| StoreError::Update(format!("the store's task failed: {e}")))??
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
    tokio::task::spawn_blocking(move || {
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
    .map_err(|e| StoreError::Update(format!("the store's task failed: {e}")))?
}

/// Now, in RFC 3339.
pub(crate) fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
