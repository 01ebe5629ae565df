//! A job's report: what a run did to each dataset, and why each failure failed, as
//! `GET {base}api/harvest/jobs/{id}` answers it and the command line prints it.

use crate::store::SourceRef;
use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JobNote {
    /// The page's URL.
    pub page: String,
    /// What, in words.
    pub note: String,
}

/// A job's report, as `GET {base}api/harvest/jobs/{id}` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
    /// The source's policy for datasets that break DCAT-AP 3.0.1.
    #[serde(default)]
    pub policy: super::Policy,
    /// Datasets read that break the official DCAT-AP 3.0.1 shapes.
    #[serde(default)]
    pub datasets_with_violations: usize,
    /// Their violations, per shape (the property and the constraint broken), most first.
    #[serde(default)]
    pub violations: Vec<ShapeViolations>,
    /// The datasets with the most violations, most first (up to [`MOST_VIOLATIONS`]).
    #[serde(default)]
    pub most_violations: Vec<DatasetViolations>,
}

/// How many violations of one shape a run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShapeViolations {
    /// The property the shape constrains, if it is a property shape.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<String>,
    /// The constraint broken (`sh:MinCountConstraintComponent`...).
    pub constraint: String,
    /// How many times.
    pub count: usize,
    /// What the shape says, from its first violation.
    pub message: String,
}

/// A dataset and its number of violations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DatasetViolations {
    /// The dataset's IRI.
    pub dataset: String,
    /// Its violations.
    pub count: usize,
}

/// Datasets listed in [`JobReport::most_violations`].
pub const MOST_VIOLATIONS: usize = 20;

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
            policy: super::Policy::Lenient,
            datasets_with_violations: 0,
            violations: Vec::new(),
            most_violations: Vec::new(),
        }
    }

    /// Counts the violations `found` in the dataset `dataset`.
    pub(super) fn violated(&mut self, dataset: &NamedNode, found: &[crate::validate::Finding]) {
        self.datasets_with_violations += 1;
        for finding in found {
            let same = |v: &&mut ShapeViolations| {
                v.path == finding.path && v.constraint == finding.constraint
            };
            match self.violations.iter_mut().find(same) {
                Some(shape) => shape.count += 1,
                None => self.violations.push(ShapeViolations {
                    path: finding.path.clone(),
                    constraint: finding.constraint.clone(),
                    count: 1,
                    message: finding.message.clone(),
                }),
            }
        }
        self.violations.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| (&a.path, &a.constraint).cmp(&(&b.path, &b.constraint)))
        });
        self.most_violations.push(DatasetViolations {
            dataset: dataset.as_str().to_owned(),
            count: found.len(),
        });
        self.most_violations.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.dataset.cmp(&b.dataset))
        });
        self.most_violations.truncate(MOST_VIOLATIONS);
    }

    pub(super) fn note(&mut self, page: &str, note: String) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(JobNote {
                page: page.to_owned(),
                note,
            });
        } else {
            self.notes_left_out += 1;
        }
    }

    pub(super) fn fail(&mut self, page: &str, dataset: Option<&NamedNode>, reason: String) {
        self.failed += 1;
        self.push_error(JobError {
            page: page.to_owned(),
            dataset: dataset.map(|d| d.as_str().to_owned()),
            reason,
        });
    }

    /// An error of the run that is no dataset's (the run is then partial).
    pub(super) fn error(&mut self, page: &str, reason: String) {
        self.push_error(JobError {
            page: page.to_owned(),
            dataset: None,
            reason,
        });
    }

    pub(super) fn push_error(&mut self, error: JobError) {
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

/// Now, in RFC 3339.
pub(crate) fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
