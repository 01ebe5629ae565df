//! Readings of the store for the gauges: what needs a scan (records by kind, sizes on
//! disk, the search index against the store) is read in the background when a scrape finds
//! the last reading old, and counted again only when the store changed since; what is
//! cheap (memory) is read at each scrape.

use super::MetricsError;
use crate::harvest::{JobReport, JobStatus};
use crate::search::SearchIndex;
use crate::store::CatalogStore;
use prometheus::{Gauge, GaugeVec, IntGauge, IntGaugeVec, Opts, Registry};
use std::path::Path;

/// How old readings may get before a scrape starts new ones, in seconds: Prometheus
/// scrapes every 15 s by default, and a disk walk at a million datasets takes about a
/// second.
pub const READ_EVERY: f64 = 10.0;

/// Seconds since 1970, now.
pub fn now_seconds() -> f64 {
    crate::model::time::now_millis() as f64 / 1000.0
}

/// One reading of the store.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// The store's revision when counted: an unchanged store is not counted again.
    pub revision: (u64, u64),
    /// Published records by kind (`dataset`, `data-paper`, `agent`).
    pub records: Vec<(&'static str, u64)>,
    /// Withdrawn datasets the feed still lists.
    pub withdrawn: u64,
    /// Bytes on disk by part (`store`, `private`, `search`, `snapshots`, `dump`).
    pub disk: Vec<(&'static str, u64)>,
    /// Each source's kept jobs.
    pub harvest: Vec<SourceJobs>,
    /// Datasets the search index lacks, holds at an old version or should not hold.
    pub search_lag: u64,
    /// When the reading was taken (seconds since 1970).
    pub taken: f64,
}

/// A harvest source's kept jobs.
#[derive(Debug, Clone, Default)]
pub struct SourceJobs {
    /// The source's name.
    pub source: String,
    /// How many kept jobs are in each status.
    pub statuses: Vec<(&'static str, u64)>,
    /// When its last succeeded job ended (seconds since 1970).
    pub last_success: Option<f64>,
}

/// Why a reading failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadingError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The harvest jobs could not be read.
    #[error(transparent)]
    Harvest(#[from] crate::harvest::SourceError),
    /// The search index could not be compared with the store.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}

impl Readings {
    /// Reads `store` and `search`; the counts of `previous` are kept when the store has
    /// not changed since.
    pub fn take(
        store: &CatalogStore,
        search: &SearchIndex,
        previous: Option<&Self>,
    ) -> Result<Self, ReadingError> {
        let revision = store.revision();
        let unchanged = previous.filter(|p| p.revision == revision);
        let records = match unchanged {
            Some(previous) => previous.records.clone(),
            None => store
                .record_counts()?
                .into_iter()
                .map(|(kind, count)| (kind.resource_kind().path_segment(), count))
                .collect(),
        };
        // The index catches up without the store changing: a lag is counted until it is 0.
        let search_lag = match unchanged {
            Some(previous) if previous.search_lag == 0 => 0,
            _ => search.differences(store)?.len() as u64,
        };
        let (_, withdrawn) = store.feed_sizes();
        let jobs = crate::harvest::sources::jobs_by_source(store)?;
        Ok(Self {
            revision,
            records,
            withdrawn: withdrawn as u64,
            disk: disk_use(store.data_dir()),
            harvest: jobs
                .into_iter()
                .map(|(source, kept)| source_jobs(source, &kept))
                .collect(),
            search_lag,
            taken: now_seconds(),
        })
    }
}

fn source_jobs(source: String, jobs: &[JobReport]) -> SourceJobs {
    let mut statuses: Vec<(&'static str, u64)> = Vec::new();
    for job in jobs {
        let label = status_label(job.status);
        match statuses.iter_mut().find(|(l, _)| *l == label) {
            Some((_, count)) => *count += 1,
            None => statuses.push((label, 1)),
        }
    }
    let last_success = jobs
        .iter()
        .filter(|j| j.status == JobStatus::Succeeded)
        .filter_map(|j| j.ended.as_deref())
        .filter_map(|ended| {
            time::OffsetDateTime::parse(ended, &time::format_description::well_known::Rfc3339).ok()
        })
        .map(|t| t.unix_timestamp_nanos() as f64 / 1e9)
        .reduce(f64::max);
    SourceJobs {
        source,
        statuses,
        last_success,
    }
}

const fn status_label(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Running => "running",
        JobStatus::Succeeded => "succeeded",
        JobStatus::Partial => "partial",
        JobStatus::Failed => "failed",
    }
}

/// Bytes on disk under `data_dir`, by part: what is not a known part is the store's.
fn disk_use(data_dir: &Path) -> Vec<(&'static str, u64)> {
    let mut parts: Vec<(&'static str, u64)> = ["store", "private", "search", "snapshots", "dump"]
        .into_iter()
        .map(|part| (part, 0))
        .collect();
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return parts;
    };
    for entry in entries.flatten() {
        let part = match entry.file_name().to_str() {
            Some("private") => "private",
            Some("search") => "search",
            Some("feed-snapshots") => "snapshots",
            Some("dump") => "dump",
            _ => "store",
        };
        let size = size_of(&entry.path());
        if let Some((_, total)) = parts.iter_mut().find(|(p, _)| *p == part) {
            *total += size;
        }
    }
    parts
}

/// The bytes of the file or tree at `path` (links not followed).
fn size_of(path: &Path) -> u64 {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !metadata.is_dir() {
        return metadata.len();
    }
    std::fs::read_dir(path)
        .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
        .unwrap_or(0)
}

/// What the process holds in memory now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// Resident set size, in bytes (Linux' `/proc/self/statm`).
    pub resident: Option<u64>,
    /// Bytes allocated on the heap, as jemalloc counts them.
    pub heap: Option<u64>,
}

impl Memory {
    /// Reads them now.
    pub fn now() -> Self {
        Self {
            resident: resident_bytes(),
            heap: heap_bytes(),
        }
    }
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // The page size of every Linux target we build for; `sysconf` would need libc.
    Some(pages * 4096)
}

fn heap_bytes() -> Option<u64> {
    tikv_jemalloc_ctl::epoch::advance().ok()?;
    let allocated = tikv_jemalloc_ctl::stats::allocated::read().ok()?;
    (allocated > 0).then_some(allocated as u64)
}

/// The gauges the readings set.
pub(super) struct Gauges {
    records: IntGaugeVec,
    withdrawn: IntGauge,
    disk: IntGaugeVec,
    jobs: IntGaugeVec,
    last_success: GaugeVec,
    search_lag: IntGauge,
    taken: Gauge,
    resident: IntGauge,
    heap: IntGauge,
}

impl Gauges {
    pub(super) fn register(registry: &Registry) -> Result<Self, MetricsError> {
        let gauges = Self {
            records: IntGaugeVec::new(
                Opts::new("records", "Published records, by kind"),
                &["kind"],
            )?,
            withdrawn: IntGauge::new(
                "withdrawn_datasets",
                "Withdrawn datasets the incremental feed still lists",
            )?,
            disk: IntGaugeVec::new(
                Opts::new("disk_bytes", "Bytes on disk, by part of the data directory"),
                &["part"],
            )?,
            jobs: IntGaugeVec::new(
                Opts::new(
                    "harvest_jobs",
                    "Kept harvest jobs (the latest of each source), by source and status",
                ),
                &["source", "status"],
            )?,
            last_success: GaugeVec::new(
                Opts::new(
                    "harvest_last_success_timestamp_seconds",
                    "When each source's last succeeded harvest ended",
                ),
                &["source"],
            )?,
            search_lag: IntGauge::new(
                "search_index_lag_datasets",
                "Datasets the search index lacks, holds at an old version or should not hold",
            )?,
            taken: Gauge::new(
                "readings_timestamp_seconds",
                "When the store was last read for these gauges",
            )?,
            resident: IntGauge::new("process_resident_memory_bytes", "Resident set size")?,
            heap: IntGauge::new("heap_allocated_bytes", "Heap bytes allocated (jemalloc)")?,
        };
        registry.register(Box::new(gauges.records.clone()))?;
        registry.register(Box::new(gauges.withdrawn.clone()))?;
        registry.register(Box::new(gauges.disk.clone()))?;
        registry.register(Box::new(gauges.jobs.clone()))?;
        registry.register(Box::new(gauges.last_success.clone()))?;
        registry.register(Box::new(gauges.search_lag.clone()))?;
        registry.register(Box::new(gauges.taken.clone()))?;
        registry.register(Box::new(gauges.resident.clone()))?;
        registry.register(Box::new(gauges.heap.clone()))?;
        Ok(gauges)
    }

    pub(super) fn set(&self, readings: &Readings) {
        for (kind, count) in &readings.records {
            self.records.with_label_values(&[kind]).set(gauge(*count));
        }
        self.withdrawn.set(gauge(readings.withdrawn));
        for (part, bytes) in &readings.disk {
            self.disk.with_label_values(&[part]).set(gauge(*bytes));
        }
        // Sources removed since the last reading leave no series behind.
        self.jobs.reset();
        self.last_success.reset();
        for source in &readings.harvest {
            for (status, count) in &source.statuses {
                self.jobs
                    .with_label_values(&[source.source.as_str(), status])
                    .set(gauge(*count));
            }
            if let Some(when) = source.last_success {
                self.last_success
                    .with_label_values(&[source.source.as_str()])
                    .set(when);
            }
        }
        self.search_lag.set(gauge(readings.search_lag));
        self.taken.set(readings.taken);
    }

    pub(super) fn set_memory(&self, memory: &Memory) {
        if let Some(resident) = memory.resident {
            self.resident.set(gauge(resident));
        }
        if let Some(heap) = memory.heap {
            self.heap.set(gauge(heap));
        }
    }
}

fn gauge(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}
