//! Harvest sources and job reports, kept in the private store as JSON documents named
//! `{base}api/harvest/sources/{name}` and `{base}api/harvest/jobs/{id}`: the URLs the API
//! answers them at.

use super::report::{JobError, JobReport, now_text};
use crate::model::BaseIri;
use crate::store::Harvests;
use crate::store::{CatalogStore, HarvestDocument, StoreError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Limits of one run, so that a feed that never ends cannot fill the store.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Only say what the run would change.
    pub dry_run: bool,
    /// Pages read at most.
    pub max_pages: usize,
    /// Datasets read at most.
    pub max_datasets: usize,
    /// Triples read before they are stored, as one write, while the next pages are
    /// read: fewer, larger writes cost the store less, and take more memory.
    pub batch_triples: usize,
    /// What to do with datasets that break the DCAT-AP 3.0.1 shapes.
    pub policy: Policy,
    /// Raised when the server is shutting down: the run stops after the page it reads,
    /// storing what it read.
    pub stop: StopSignal,
}

/// A flag a run looks at between pages; cheap to clone (all clones share it).
#[derive(Debug, Clone, Default)]
pub struct StopSignal(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl StopSignal {
    /// Asks every run that shares it to stop.
    pub fn raise(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Release);
    }

    /// Whether a stop was asked for.
    pub fn raised(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// What a source's datasets that break the official DCAT-AP 3.0.1 shapes become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Stored, their violations counted in the job's report (a portal publishes what its
    /// sources publish, and shows them what to fix).
    #[default]
    Lenient,
    /// Skipped, each said in the report.
    Strict,
}

impl std::str::FromStr for Policy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "lenient" => Ok(Self::Lenient),
            "strict" => Ok(Self::Strict),
            other => Err(format!("the policy is lenient or strict, not {other:?}")),
        }
    }
}

/// The most pages a source may ask a run to read: a feed of a hundred million datasets
/// at a hundred a page (numbers past it are a client's mistake, and past what 64-bit
/// signed integers hold in other clients).
pub const MAX_PAGES: usize = 1_000_000;
/// The most datasets a source may ask a run to read.
pub const MAX_DATASETS: usize = 100_000_000;

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            max_pages: 10_000,
            max_datasets: 1_000_000,
            batch_triples: 500_000,
            policy: Policy::Lenient,
            stop: StopSignal::default(),
        }
    }
}

/// Why a source cannot be added, or a document not read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The name is not `[a-z0-9-]`, 1 to 64 characters.
    #[error("the source name {0:?} must be 1 to 64 lower-case letters, digits or dashes")]
    BadName(String),
    /// The URL is not an absolute `http(s)` URL.
    #[error("the source URL {0:?} is not an absolute http or https URL")]
    BadUrl(String),
    /// The interval does not read as a duration.
    #[error("the interval {0:?} is not a duration such as 30m, 6h or 1d (at least 1m)")]
    BadInterval(String),
    /// `max_pages` or `max_datasets` past what a run can read.
    #[error("{0}")]
    BadLimit(String),
    /// The URL names an address inside our own network (an IP literal; names are checked
    /// when they resolve, at each fetch).
    #[error("the source URL is refused: {0}")]
    Inside(String),
    /// A source has that name already.
    #[error("a source named {0:?} exists already")]
    Exists(String),
    /// A source harvests that URL already: two would withdraw each other's datasets.
    #[error("the source {name:?} harvests {url} already")]
    SameUrl {
        /// The other source's name.
        name: String,
        /// The URL.
        url: String,
    },
    /// The store failed, or holds a document that does not read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored document does not read (written by another version?).
    #[error("the stored document {iri} does not read: {message}")]
    Document {
        /// Its IRI.
        iri: String,
        /// Why.
        message: String,
    },
}

/// A harvest source: a DCAT feed and how often to harvest it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Its name, unique: `[a-z0-9-]{1,64}`.
    pub name: String,
    /// The URL of the feed's first page.
    pub url: String,
    /// How often the server harvests it (`30m`, `6h`, `1d`); never when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub interval: Option<String>,
    /// When it was added (RFC 3339).
    #[serde(default)]
    pub created: String,
    /// Pages a run reads at most (default [`RunOptions::default`]'s).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_pages: Option<usize>,
    /// Datasets a run reads at most.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_datasets: Option<usize>,
    /// What its datasets that break DCAT-AP 3.0.1 become.
    #[serde(default)]
    pub policy: Policy,
}

impl Source {
    /// A checked source.
    pub fn new(name: &str, url: &str, interval: Option<&str>) -> Result<Self, SourceError> {
        let name_ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !name_ok {
            return Err(SourceError::BadName(name.to_owned()));
        }
        let parsed = reqwest::Url::parse(url).map_err(|_| SourceError::BadUrl(url.to_owned()))?;
        // Credentials in a URL would be shown to anyone who reads the source.
        let credentials = !parsed.username().is_empty() || parsed.password().is_some();
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() || credentials {
            return Err(SourceError::BadUrl(url.to_owned()));
        }
        if let Some(interval) = interval {
            parse_interval(interval)?;
        }
        Ok(Self {
            name: name.to_owned(),
            url: parsed.to_string(),
            interval: interval.map(str::to_owned),
            created: now_text(),
            max_pages: None,
            max_datasets: None,
            policy: Policy::Lenient,
        })
    }

    /// Sets the pages and datasets a run reads at most (`None`: the defaults of
    /// [`RunOptions`]); each at most [`MAX_PAGES`] and [`MAX_DATASETS`].
    pub fn limited(
        mut self,
        max_pages: Option<usize>,
        max_datasets: Option<usize>,
    ) -> Result<Self, SourceError> {
        for (name, value, most) in [
            ("max_pages", max_pages, MAX_PAGES),
            ("max_datasets", max_datasets, MAX_DATASETS),
        ] {
            if value.is_some_and(|v| v > most) {
                return Err(SourceError::BadLimit(format!(
                    "{name} is at most {most}, not {}",
                    value.unwrap_or_default()
                )));
            }
        }
        self.max_pages = max_pages;
        self.max_datasets = max_datasets;
        Ok(self)
    }

    /// The limits of a run of this source.
    pub fn run_options(&self, dry_run: bool) -> RunOptions {
        let defaults = RunOptions::default();
        RunOptions {
            dry_run,
            max_pages: self.max_pages.unwrap_or(defaults.max_pages),
            max_datasets: self.max_datasets.unwrap_or(defaults.max_datasets),
            policy: self.policy,
            ..defaults
        }
    }

    /// How often to harvest it, if at all.
    pub fn every(&self) -> Option<Duration> {
        self.interval
            .as_deref()
            .and_then(|i| parse_interval(i).ok())
    }
}

/// `90s`, `30m`, `6h`, `1d` (or ISO 8601 `PT6H`, `P1D`): at least a minute.
pub fn parse_interval(text: &str) -> Result<Duration, SourceError> {
    let bad = || SourceError::BadInterval(text.to_owned());
    let trimmed = text.trim();
    // ISO 8601: `P1M` is a month, `PT1M` a minute; only days come before the `T`.
    let simple = match (trimmed.strip_prefix("PT"), trimmed.strip_prefix('P')) {
        (Some(time), _) => time.to_ascii_lowercase(),
        (None, Some(date)) if date.ends_with(['D', 'd']) => date.to_ascii_lowercase(),
        (None, Some(_)) => return Err(bad()),
        (None, None) => trimmed.to_ascii_lowercase(),
    };
    let split = simple.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = simple.split_at(split);
    let number: u64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let duration = Duration::from_secs(number.saturating_mul(seconds));
    if duration < Duration::from_secs(60) {
        return Err(bad());
    }
    Ok(duration)
}

/// The IRI a source is kept under and answered at.
pub fn source_iri(base: &BaseIri, name: &str) -> oxigraph::model::NamedNode {
    base.join(&format!("api/harvest/sources/{name}"))
}

/// The IRI a job is kept under and answered at.
pub fn job_iri(base: &BaseIri, id: &str) -> oxigraph::model::NamedNode {
    base.join(&format!("api/harvest/jobs/{id}"))
}

/// Adds `source`; refuses a name in use, and a URL another source harvests.
pub fn add_source(store: &CatalogStore, source: &Source) -> Result<(), SourceError> {
    let iri = source_iri(store.base(), &source.name);
    let json = serde_json::to_string(source).map_err(|e| SourceError::Document {
        iri: iri.as_str().to_owned(),
        message: e.to_string(),
    })?;
    let same_url = |other: &str| {
        serde_json::from_str::<Source>(other).is_ok_and(|other| other.url == source.url)
    };
    let Some(other) =
        store.insert_harvest_document(HarvestDocument::Source, &iri, &json, &same_url)?
    else {
        return Ok(());
    };
    let other: Source = read(&iri, &other)?;
    if other.name == source.name {
        Err(SourceError::Exists(source.name.clone()))
    } else {
        Err(SourceError::SameUrl {
            name: other.name,
            url: other.url,
        })
    }
}

/// The source named `name`.
pub fn find_source(store: &CatalogStore, name: &str) -> Result<Option<Source>, SourceError> {
    load(
        store,
        HarvestDocument::Source,
        &source_iri(store.base(), name),
    )
}

/// Every source, by name.
pub fn sources(store: &CatalogStore) -> Result<Vec<Source>, SourceError> {
    store
        .harvest_documents(HarvestDocument::Source)?
        .into_iter()
        .map(|(iri, json)| read(&iri, &json))
        .collect()
}

/// What a run remembers of a page it read without failure, for a conditional GET next
/// time: a `304` then means the page lists these datasets, unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMemo {
    /// The page's URL.
    pub url: String,
    /// Its `ETag`.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
    /// The page after it.
    pub next: Option<String>,
    /// The IRIs of the datasets it listed.
    pub datasets: Vec<String>,
}

/// The IRI a page's memo is kept under: the source's, and a hash of the page's URL.
fn page_iri(base: &BaseIri, source: &str, url: &str) -> oxigraph::model::NamedNode {
    use sha2::Digest as _;
    let hash = format!("{:x}", sha2::Sha256::digest(url.as_bytes()));
    base.join(&format!(
        "api/harvest/sources/{source}/pages/{}",
        &hash[..32]
    ))
}

/// What the last run of `source` remembers of the page at `url`.
pub fn page_memo(
    store: &CatalogStore,
    source: &str,
    url: &str,
) -> Result<Option<PageMemo>, SourceError> {
    let memo: Option<PageMemo> = load(
        store,
        HarvestDocument::Page,
        &page_iri(store.base(), source, url),
    )?;
    Ok(memo.filter(|m| m.url == url))
}

/// Keeps what a run read of a page.
pub fn save_page_memo(
    store: &CatalogStore,
    source: &str,
    memo: &PageMemo,
) -> Result<(), SourceError> {
    save(
        store,
        HarvestDocument::Page,
        &page_iri(store.base(), source, &memo.url),
        memo,
    )
}

/// Keeps `report`, replacing an earlier state of the same job.
pub fn save_job(store: &CatalogStore, report: &JobReport) -> Result<(), SourceError> {
    save(
        store,
        HarvestDocument::Job,
        &job_iri(store.base(), &report.id),
        report,
    )
}

/// The job `id`'s report, as last kept.
pub fn find_job(store: &CatalogStore, id: &str) -> Result<Option<JobReport>, SourceError> {
    load(store, HarvestDocument::Job, &job_iri(store.base(), id))
}

/// Jobs kept per source; older ones are forgotten as new ones start.
pub const JOBS_KEPT: usize = 50;

/// Forgets the jobs of `source` but the [`JOBS_KEPT`] last.
pub fn prune_jobs(store: &CatalogStore, source: &str) -> Result<(), SourceError> {
    let jobs = jobs_of(store, source)?;
    let excess = jobs.len().saturating_sub(JOBS_KEPT);
    for job in &jobs[..excess] {
        store.remove_harvest_document(HarvestDocument::Job, &job_iri(store.base(), &job.id))?;
    }
    Ok(())
}

/// Every job, by source, oldest first: one read of the jobs for all sources.
pub fn jobs_by_source(
    store: &CatalogStore,
) -> Result<std::collections::HashMap<String, Vec<JobReport>>, SourceError> {
    let mut jobs: std::collections::HashMap<String, Vec<JobReport>> = Default::default();
    for (iri, json) in store.harvest_documents(HarvestDocument::Job)? {
        let job: JobReport = read(&iri, &json)?;
        jobs.entry(job.source.clone()).or_default().push(job);
    }
    for list in jobs.values_mut() {
        list.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(&b.id)));
    }
    Ok(jobs)
}

/// Every source, each with its last job.
pub fn with_last_jobs(
    store: &CatalogStore,
) -> Result<Vec<(Source, Option<JobReport>)>, SourceError> {
    let mut jobs = jobs_by_source(store)?;
    Ok(sources(store)?
        .into_iter()
        .map(|source| {
            let last = jobs.remove(&source.name).and_then(|mut j| j.pop());
            (source, last)
        })
        .collect())
}

/// Every job of `source`, oldest first.
pub fn jobs_of(store: &CatalogStore, source: &str) -> Result<Vec<JobReport>, SourceError> {
    let mut jobs = store
        .harvest_documents(HarvestDocument::Job)?
        .into_iter()
        .map(|(iri, json)| read::<JobReport>(&iri, &json))
        .filter(|job| job.as_ref().map_or(true, |j| j.source == source))
        .collect::<Result<Vec<_>, _>>()?;
    jobs.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(&b.id)));
    Ok(jobs)
}

/// Marks the jobs left `running` by a server that stopped as failed; how many there were.
/// Only a starting server calls this: no job of its own is running yet.
pub fn fail_interrupted(store: &CatalogStore) -> Result<usize, SourceError> {
    let mut interrupted = 0;
    for (iri, json) in store.harvest_documents(HarvestDocument::Job)? {
        let mut job: JobReport = read(&iri, &json)?;
        if job.status != super::JobStatus::Running {
            continue;
        }
        job.status = super::JobStatus::Failed;
        job.ended = Some(now_text());
        job.errors.push(JobError {
            page: job.url.clone(),
            dataset: None,
            reason: "the server stopped during the job".into(),
        });
        save_job(store, &job)?;
        interrupted += 1;
    }
    Ok(interrupted)
}

fn save<T: Serialize>(
    store: &CatalogStore,
    kind: HarvestDocument,
    iri: &oxigraph::model::NamedNode,
    value: &T,
) -> Result<(), SourceError> {
    let json = serde_json::to_string(value).map_err(|e| SourceError::Document {
        iri: iri.as_str().to_owned(),
        message: e.to_string(),
    })?;
    store.put_harvest_document(kind, iri, &json)?;
    Ok(())
}

fn load<T: for<'de> Deserialize<'de>>(
    store: &CatalogStore,
    kind: HarvestDocument,
    iri: &oxigraph::model::NamedNode,
) -> Result<Option<T>, SourceError> {
    store
        .harvest_document(kind, iri)?
        .map(|json| read(iri, &json))
        .transpose()
}

fn read<T: for<'de> Deserialize<'de>>(
    iri: &oxigraph::model::NamedNode,
    json: &str,
) -> Result<T, SourceError> {
    serde_json::from_str(json).map_err(|e| SourceError::Document {
        iri: iri.as_str().to_owned(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_in_both_spellings_and_are_at_least_a_minute() {
        let hours = |h: u64| Duration::from_secs(h * 3600);
        assert_eq!(parse_interval("6h").ok(), Some(hours(6)));
        assert_eq!(parse_interval("PT6H").ok(), Some(hours(6)));
        assert_eq!(parse_interval("1d").ok(), Some(hours(24)));
        assert_eq!(parse_interval("P1D").ok(), Some(hours(24)));
        assert_eq!(parse_interval("PT1M").ok(), Some(Duration::from_secs(60)));
        assert!(parse_interval("P1M").is_err(), "a month, not a minute");
        assert_eq!(parse_interval("90s").ok(), Some(Duration::from_secs(90)));
        for bad in ["", "6", "h", "10s", "6 hours", "-1h"] {
            assert!(parse_interval(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sources_need_a_plain_name_and_a_web_url() {
        assert!(Source::new("grand-est", "https://example.org/catalog.rdf", Some("6h")).is_ok());
        assert!(matches!(
            Source::new("Grand Est", "https://example.org/", None),
            Err(SourceError::BadName(_))
        ));
        assert!(matches!(
            Source::new("a", "file:///etc/passwd", None),
            Err(SourceError::BadUrl(_))
        ));
        assert!(matches!(
            Source::new("a", "https://user:secret@example.org/feed", None),
            Err(SourceError::BadUrl(_))
        ));
        assert!(matches!(
            Source::new("a", "https://example.org/", Some("often")),
            Err(SourceError::BadInterval(_))
        ));
    }
}
