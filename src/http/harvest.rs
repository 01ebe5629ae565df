//! The harvest API: sources (`{base}api/harvest/sources`), runs (`.../{name}/run`, `202`
//! with the job's `Location`) and job reports (`{base}api/harvest/jobs/{id}`, JSON or a
//! page). Adding and running sources takes an admin token; sources and reports are public,
//! as a portal's list of where its metadata comes from is.

use super::AppState;
use super::auth::admin;
use super::errors::HttpError;
use super::respond::query_parameter;
use crate::harvest::sources::{self, job_iri, source_iri};
use crate::harvest::{JobReport, JobStatus, Source, SourceError, StartError};
use crate::rdf::{Offer, negotiate};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What `POST {base}api/harvest/sources` reads.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSource {
    /// Its name, unique: `[a-z0-9-]{1,64}`.
    #[schema(pattern = "^[a-z0-9-]{1,64}$", example = "region-bretagne")]
    name: String,
    /// The URL of the feed's first page (DCAT in an RDF syntax, or a CKAN or udata API):
    /// a public `http(s)` address.
    #[schema(format = "uri", example = "https://data.example.org/catalog.ttl")]
    url: String,
    /// How often the server harvests it (`30m`, `6h`, `1d`, or ISO 8601 `PT6H`, `P1D`);
    /// never when absent.
    #[serde(default)]
    #[schema(example = "1d")]
    interval: Option<String>,
    /// Pages a run reads at most.
    #[serde(default)]
    #[schema(value_type = Option<u64>, minimum = 1, maximum = 1_000_000)]
    max_pages: Option<std::num::NonZeroUsize>,
    /// Datasets a run reads at most.
    #[serde(default)]
    #[schema(value_type = Option<u64>, minimum = 1, maximum = 100_000_000)]
    max_datasets: Option<std::num::NonZeroUsize>,
    /// What its datasets that break DCAT-AP 3.0.1 become (default `lenient`).
    #[serde(default)]
    policy: crate::harvest::Policy,
}

/// A source as the API shows it: its settings, its IRI and its last job.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceAnswer {
    /// Its name.
    name: String,
    /// The URL of the feed's first page.
    url: String,
    /// How often the server harvests it; never when null.
    interval: Option<String>,
    /// When it was added (RFC 3339).
    created: String,
    /// Pages a run reads at most.
    max_pages: Option<usize>,
    /// Datasets a run reads at most.
    max_datasets: Option<usize>,
    /// What its datasets that break DCAT-AP 3.0.1 become.
    policy: crate::harvest::Policy,
    /// Its IRI.
    iri: String,
    /// Where to `POST` to run it.
    run: String,
    /// Its last job, if it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_job: Option<LastJob>,
    /// Its jobs' IRIs, newest first (when one source is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    jobs: Option<Vec<String>>,
}

/// A source's last job, in short.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastJob {
    /// The job's id.
    id: String,
    /// Its report's IRI.
    iri: String,
    /// Where it is.
    status: JobStatus,
    /// When it started (RFC 3339).
    started: String,
    /// When it ended (RFC 3339), once it has.
    ended: Option<String>,
}

/// Every harvest source.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceList {
    /// The sources, with their last jobs.
    sources: Vec<SourceAnswer>,
}

/// A job just started.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobStarted {
    /// Its id.
    id: String,
    /// Its report's IRI (also in `Location`).
    job: String,
    /// Always `running`.
    status: JobStatus,
}

/// `POST {base}api/harvest/sources`: adds a source; `201` with its `Location`.
#[utoipa::path(
    post,
    path = "/api/harvest/sources",
    tag = "harvest",
    summary = "Add a harvest source",
    request_body(content = NewSource, content_type = "application/json"),
    responses(
        (status = 201, description = "Added: its IRI in `Location`", body = SourceAnswer,
            headers(("Location" = String, description = "The source's IRI")),
            links(
                ("read" = (operation_id = "read_source", parameters(("name" = "$response.body#/name")))),
                ("run" = (operation_id = "run_source", parameters(("name" = "$response.body#/name")))),
            )),
        (status = 400, description = "A wrong name, interval or body, or a URL that is not a public http(s) address"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token is not an administrator's"),
        (status = 409, description = "A source has this name or this URL"),
        (status = 413, description = "The body is over the size limit"),
    ),
    security(("bearer" = [])),
)]
pub async fn add_source(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    admin(&request, &state)?;
    let asked: NewSource = serde_json::from_slice(&body).map_err(|e| {
        HttpError::BadRequest(format!(
            "the body must be JSON {{\"name\", \"url\", \"interval\"?, \"max_pages\"?, \"max_datasets\"?, \"policy\"?: \"lenient\"|\"strict\"}}: {e}"
        ))
    })?;
    let mut source = Source::new(&asked.name, &asked.url, asked.interval.as_deref())?.limited(
        asked.max_pages.map(usize::from),
        asked.max_datasets.map(usize::from),
    )?;
    source.policy = asked.policy;
    state.harvester.check_source(&source)?;
    let kept = source.clone();
    state
        .blocking(move |store| sources::add_source(store, &kept))
        .await?;
    tracing::info!(source = %source.name, url = %source.url, "harvest source added");
    let location = source_iri(state.store.base(), &source.name);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location.as_str()))
        .json(source_json(&state, &source, None)))
}

/// `GET {base}api/harvest/sources`: every source with its last job.
#[utoipa::path(
    get,
    path = "/api/harvest/sources",
    tag = "harvest",
    summary = "List the harvest sources",
    responses((status = 200, description = "Every source with its last job", body = SourceList)),
)]
pub async fn list_sources(state: web::Data<AppState>) -> Result<HttpResponse, HttpError> {
    let listed = state.blocking(sources::with_last_jobs).await?;
    let body: Vec<_> = listed
        .iter()
        .map(|(source, last)| source_json(&state, source, last.as_ref()))
        .collect();
    Ok(HttpResponse::Ok().json(SourceList { sources: body }))
}

/// `GET {base}api/harvest/sources/{name}`: a source and its jobs, newest first.
#[utoipa::path(
    get,
    path = "/api/harvest/sources/{name}",
    tag = "harvest",
    summary = "Read a harvest source and its jobs",
    params(("name" = String, Path, description = "The source's name")),
    responses(
        (status = 200, description = "The source, its last job and its jobs, newest first", body = SourceAnswer),
        (status = 404, description = "No such source"),
    ),
)]
pub async fn read_source(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let name = path.into_inner();
    let asked = name.clone();
    let found = state
        .blocking(move |store| {
            let Some(source) = sources::find_source(store, &asked)? else {
                return Ok(None);
            };
            let jobs = sources::jobs_of(store, &asked)?;
            Ok::<_, SourceError>(Some((source, jobs)))
        })
        .await?;
    let (source, jobs) = found.ok_or(HttpError::NotFound {
        kind: "harvest source",
        id: name,
    })?;
    let mut body = source_json(&state, &source, jobs.last());
    body.jobs = Some(
        jobs.iter()
            .rev()
            .map(|job| job_iri(state.store.base(), &job.id).into_string())
            .collect(),
    );
    Ok(HttpResponse::Ok().json(body))
}

/// `POST {base}api/harvest/sources/{name}/run` (`?dry_run=true` to only see what it would
/// change): starts a job; `202` with the job's `Location`, `409` if one is running.
#[utoipa::path(
    post,
    path = "/api/harvest/sources/{name}/run",
    tag = "harvest",
    summary = "Run a harvest source",
    params(
        ("name" = String, Path, description = "The source's name"),
        ("dry_run" = Option<bool>, Query, description = "Only say what the run would change"),
    ),
    responses(
        (status = 202, description = "Started: the job's report in `Location`", body = JobStarted,
            headers(("Location" = String, description = "The job's report")),
            links(("report" = (operation_id = "read_job", parameters(("id" = "$response.body#/id")))))),
        (status = 400, description = "`dry_run` is neither true nor false"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token is not an administrator's"),
        (status = 404, description = "No such source"),
        (status = 409, description = "A job of this source is running"),
        (status = 503, description = "The server is stopping"),
    ),
    security(("bearer" = [])),
)]
pub async fn run_source(
    request: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    admin(&request, &state)?;
    let dry_run = match query_parameter(&request, "dry_run")?.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(HttpError::BadRequest(format!(
                "dry_run is true or false, not {other:?}"
            )));
        }
    };
    let name = path.into_inner();
    let asked = name.clone();
    let source = state
        .blocking(move |store| sources::find_source(store, &asked))
        .await?
        .ok_or(HttpError::NotFound {
            kind: "harvest source",
            id: name,
        })?;
    let options = source.run_options(dry_run);
    let harvester = state.harvester.clone();
    // Starting keeps the job's first report: a store write, on the blocking pool.
    let id = state
        .blocking(move |_| {
            harvester.start(source, options).map_err(|e| match e {
                StartError::Busy(_) => HttpError::Conflict(e.to_string()),
                StartError::Stopping => HttpError::Unavailable,
                StartError::Source(e) => HttpError::Harvest(e),
            })
        })
        .await?;
    let location = job_iri(state.store.base(), &id);
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, location.as_str()))
        .json(JobStarted {
            job: location.as_str().to_owned(),
            id,
            status: JobStatus::Running,
        }))
}

/// How a job report is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReportView {
    Json,
    Html,
}

impl Offer for ReportView {
    fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Html => "text/html",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Json => &[],
            Self::Html => &["application/xhtml+xml"],
        }
    }
}

/// `GET {base}api/harvest/jobs/{id}`: the job's report, as JSON or as a page.
#[utoipa::path(
    get,
    path = "/api/harvest/jobs/{id}",
    tag = "harvest",
    summary = "Read a harvest job's report",
    params(
        ("id" = String, Path, description = "The job's id"),
        ("format" = Option<String>, Query, description = "`json` or `html`, over `Accept`"),
    ),
    responses(
        (status = 200, description = "The report, as JSON or as a page", content(
            (JobReport = "application/json"),
            (String = "text/html"),
        )),
        (status = 400, description = "`format` is neither json nor html"),
        (status = 404, description = "No such job"),
        (status = 406, description = "Neither JSON nor HTML is acceptable"),
    ),
)]
pub async fn read_job(
    request: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let offers = [ReportView::Json, ReportView::Html];
    let accept = super::respond::accept(&request);
    let view = match query_parameter(&request, "format")?.as_deref() {
        Some("json") => ReportView::Json,
        Some("html") => ReportView::Html,
        Some(other) => {
            return Err(HttpError::BadRequest(format!(
                "format is json or html, not {other:?}"
            )));
        }
        None => negotiate(accept, &offers).ok_or_else(|| {
            HttpError::NotAcceptable(offers.iter().map(|o| o.media_type()).collect())
        })?,
    };
    let id = path.into_inner();
    let asked = id.clone();
    let report = state
        .blocking(move |store| sources::find_job(store, &asked))
        .await?
        .ok_or(HttpError::NotFound {
            kind: "harvest job",
            id: id.clone(),
        })?;
    let response = match view {
        ReportView::Json => HttpResponse::Ok().json(&report),
        ReportView::Html => {
            let iri = job_iri(state.store.base(), &id);
            let visitor = super::session::visitor(&request).map(|v| v.view());
            let frame = crate::html::Frame {
                base: state.store.base().as_str(),
                language: super::respond::preferred_language(&request),
                here: iri.as_str(),
                kind: "harvest job",
                visitor: visitor.as_ref(),
            };
            let page = state.pages.harvest_job(&report, &frame, iri.as_str())?;
            HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .body(page)
        }
    };
    Ok(with_vary(response))
}

fn with_vary(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    response
}

/// A source as the API shows it: its settings, its IRI and its last job.
fn source_json(state: &AppState, source: &Source, last: Option<&JobReport>) -> SourceAnswer {
    let base = state.store.base();
    let iri = source_iri(base, &source.name);
    SourceAnswer {
        name: source.name.clone(),
        url: source.url.clone(),
        interval: source.interval.clone(),
        created: source.created.clone(),
        max_pages: source.max_pages,
        max_datasets: source.max_datasets,
        policy: source.policy,
        run: format!("{}/run", iri.as_str()),
        iri: iri.into_string(),
        last_job: last.map(|job| LastJob {
            id: job.id.clone(),
            iri: job_iri(base, &job.id).into_string(),
            status: job.status,
            started: job.started.clone(),
            ended: job.ended.clone(),
        }),
        jobs: None,
    }
}
