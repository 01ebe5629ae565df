//! Running jobs: at most one job per source at a time, each report kept in the store as it
//! goes (so `GET {base}api/harvest/jobs/{id}` shows a running job's counts), and sources
//! with an interval harvested in the background for as long as the server runs.

use super::fetch::{FetchError, FetchOptions, Fetcher};
use super::job::run;
use super::report::JobReport;
use super::sources::RunOptions;
use super::sources::{Source, SourceError, jobs_by_source, prune_jobs, save_job, sources};
use crate::store::{CatalogStore, SourceRef};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Why a job did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The source has a job running.
    #[error("the source {0:?} is being harvested already")]
    Busy(String),
    /// Its report could not be kept.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The server is shutting down.
    #[error("the server is shutting down; run the source again once it is back")]
    Stopping,
}

/// Starts and schedules harvest jobs; cheap to clone.
#[derive(Clone)]
pub struct Harvester {
    store: CatalogStore,
    fetcher: Fetcher,
    /// Sources with a job running.
    running: Arc<Mutex<HashSet<String>>>,
    /// The runtime jobs run on: the one the harvester was made in, not the HTTP worker
    /// that happens to start a job (a long job would hold up that worker's requests).
    runtime: Option<tokio::runtime::Handle>,
    /// Raised when the server shuts down: every run stops after its page.
    stop: super::StopSignal,
}

impl Harvester {
    /// `source` if its URL may be fetched at all: an address inside our own network is
    /// refused when the source is added, not only at each run (which would store it).
    pub fn check_source(&self, source: &super::Source) -> Result<(), super::SourceError> {
        let url = reqwest::Url::parse(&source.url)
            .map_err(|_| super::SourceError::BadUrl(source.url.clone()))?;
        match self.fetcher.refusal_of(&url) {
            Some(reason) => Err(super::SourceError::Inside(reason)),
            None => Ok(()),
        }
    }

    /// A harvester writing into `store`, fetching with `options`.
    pub fn new(store: CatalogStore, options: FetchOptions) -> Result<Self, FetchError> {
        Ok(Self {
            store,
            fetcher: Fetcher::new(options)?,
            running: Arc::default(),
            runtime: tokio::runtime::Handle::try_current().ok(),
            stop: super::StopSignal::default(),
        })
    }

    /// Starts a job for `source` in the background; its id (its report is kept already).
    /// Blocks on a store write: call it off the async workers.
    pub fn start(&self, source: Source, options: RunOptions) -> Result<String, StartError> {
        let (report, claim) = self.claim(&source, &options)?;
        let id = report.id.clone();
        let harvester = self.clone();
        let job = async move {
            let _claim = claim;
            harvester.finish(source, options, report, &|_| {}).await;
        };
        match &self.runtime {
            Some(runtime) => drop(runtime.spawn(job)),
            None => drop(tokio::spawn(job)),
        }
        Ok(id)
    }

    /// Runs a job for `source` to its end; `progress` sees the report after each page.
    pub async fn run_now(
        &self,
        source: Source,
        options: RunOptions,
        progress: &(dyn Fn(&JobReport) + Send + Sync),
    ) -> Result<JobReport, StartError> {
        let (report, _claim) = self.claim(&source, &options)?;
        Ok(self.finish(source, options, report, progress).await)
    }

    /// Marks `source` as running and keeps its new job's report.
    fn claim(
        &self,
        source: &Source,
        options: &RunOptions,
    ) -> Result<(JobReport, Claim), StartError> {
        if self.stop.raised() {
            return Err(StartError::Stopping);
        }
        let claim = Claim::take(&self.running, &source.name)
            .ok_or_else(|| StartError::Busy(source.name.clone()))?;
        let id = format!("{}-{}", source.name, crate::model::time::now_millis());
        let mut report = JobReport::new(
            id,
            &SourceRef {
                name: &source.name,
                url: &source.url,
            },
            options.dry_run,
        );
        report.policy = options.policy;
        self.keep(&report)?;
        if let Err(error) = prune_jobs(&self.store, &source.name) {
            tracing::warn!(%error, "old harvest jobs were not forgotten");
        }
        Ok((report, claim))
    }

    async fn finish(
        &self,
        source: Source,
        mut options: RunOptions,
        mut report: JobReport,
        progress: &(dyn Fn(&JobReport) + Send + Sync),
    ) -> JobReport {
        let source_ref = SourceRef {
            name: &source.name,
            url: &source.url,
        };
        options.stop = self.stop.clone();
        run(
            &self.store,
            &self.fetcher,
            source_ref,
            &options,
            &mut report,
            progress,
        )
        .await;
        let (store, kept) = (self.store.clone(), report.clone());
        match tokio::task::spawn_blocking(move || save_job(&store, &kept)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                tracing::error!(%error, job = %report.id, "the job's report was not kept")
            }
            Err(error) => {
                tracing::error!(%error, job = %report.id, "the job's report was not kept")
            }
        }
        report
    }

    /// Stops every running job after the page it reads (each stores what it read and keeps
    /// its report, `partial`, saying why), and no new job starts; waits `within` at most
    /// for them. How many were still running then (a page slow to come: the next start
    /// marks those failed).
    pub async fn stop_running(&self, within: Duration) -> usize {
        self.stop.raise();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let running = self
                .running
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len();
            if running == 0 || tokio::time::Instant::now() >= deadline {
                return running;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Keeps `report` in the store (a quick write of one document).
    fn keep(&self, report: &JobReport) -> Result<(), SourceError> {
        save_job(&self.store, report)
    }

    /// Harvests every source with an interval when it is due, for as long as the server
    /// runs; a source is due when its last job started longer ago than its interval.
    pub async fn schedule(self, tick: Duration) {
        let mut ticks = tokio::time::interval(tick);
        loop {
            ticks.tick().await;
            let store = self.store.clone();
            let due = tokio::task::spawn_blocking(move || due_sources(&store)).await;
            match due {
                Ok(Ok(due)) => {
                    for source in due {
                        let name = source.name.clone();
                        let options = source.run_options(false);
                        let harvester = self.clone();
                        let started =
                            tokio::task::spawn_blocking(move || harvester.start(source, options))
                                .await;
                        let Ok(started) = started else {
                            tracing::error!("the harvest schedule's task failed");
                            continue;
                        };
                        match started {
                            Ok(id) => {
                                tracing::info!(source = %name, job = %id, "scheduled harvest started")
                            }
                            Err(StartError::Busy(_)) => {}
                            Err(error) => {
                                tracing::error!(%error, "a scheduled harvest did not start")
                            }
                        }
                    }
                }
                Ok(Err(error)) => tracing::error!(%error, "cannot read the harvest sources"),
                Err(error) => tracing::error!(%error, "the harvest schedule's task failed"),
            }
        }
    }
}

/// Sources with an interval whose last job started longer ago than it (or never ran).
fn due_sources(store: &CatalogStore) -> Result<Vec<Source>, SourceError> {
    let now = time::OffsetDateTime::now_utc();
    let mut due = Vec::new();
    let mut jobs = jobs_by_source(store)?;
    for source in sources(store)? {
        let Some(every) = source.every() else {
            continue;
        };
        let last = jobs
            .remove(&source.name)
            .unwrap_or_default()
            .into_iter()
            .filter(|j| !j.dry_run)
            .filter_map(|j| {
                time::OffsetDateTime::parse(
                    &j.started,
                    &time::format_description::well_known::Rfc3339,
                )
                .ok()
            })
            .max();
        let is_due = last.is_none_or(|last| (now - last).unsigned_abs() >= every);
        if is_due {
            due.push(source);
        }
    }
    Ok(due)
}

/// A source marked as running until dropped.
struct Claim {
    running: Arc<Mutex<HashSet<String>>>,
    name: String,
}

impl Claim {
    fn take(running: &Arc<Mutex<HashSet<String>>>, name: &str) -> Option<Self> {
        let mut set = running.lock().unwrap_or_else(PoisonError::into_inner);
        set.insert(name.to_owned()).then(|| Self {
            running: Arc::clone(running),
            name: name.to_owned(),
        })
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.name);
    }
}
