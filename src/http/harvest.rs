//! The harvest API: sources (`{base}api/harvest/sources`), runs (`.../{name}/run`, `202`
//! with the job's `Location`) and job reports (`{base}api/harvest/jobs/{id}`, JSON or a
//! page). Adding and running sources takes an admin token; sources and reports are public,
//! as a portal's list of where its metadata comes from is.

use super::AppState;
use super::auth::admin;
use super::errors::HttpError;
use super::respond::query_parameter;
use crate::harvest::sources::{self, job_iri, source_iri};
use crate::harvest::{JobReport, Source, SourceError, StartError};
use crate::rdf::{Offer, negotiate};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

/// What `POST {base}api/harvest/sources` reads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSource {
    name: String,
    url: String,
    #[serde(default)]
    interval: Option<String>,
    #[serde(default)]
    max_pages: Option<std::num::NonZeroUsize>,
    #[serde(default)]
    max_datasets: Option<std::num::NonZeroUsize>,
    #[serde(default)]
    policy: crate::harvest::Policy,
}

/// `POST {base}api/harvest/sources`: adds a source; `201` with its `Location`.
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
    let mut source = Source::new(&asked.name, &asked.url, asked.interval.as_deref())?;
    source.max_pages = asked.max_pages.map(usize::from);
    source.max_datasets = asked.max_datasets.map(usize::from);
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
pub async fn list_sources(state: web::Data<AppState>) -> Result<HttpResponse, HttpError> {
    let listed = state.blocking(sources::with_last_jobs).await?;
    let body: Vec<_> = listed
        .iter()
        .map(|(source, last)| source_json(&state, source, last.as_ref()))
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "sources": body })))
}

/// `GET {base}api/harvest/sources/{name}`: a source and its jobs, newest first.
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
    body["jobs"] = jobs
        .iter()
        .rev()
        .map(|job| job_iri(state.store.base(), &job.id).into_string())
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `POST {base}api/harvest/sources/{name}/run` (`?dry_run=true` to only see what it would
/// change): starts a job; `202` with the job's `Location`, `409` if one is running.
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
        .json(json!({ "id": id, "job": location.as_str(), "status": "running" })))
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
fn source_json(state: &AppState, source: &Source, last: Option<&JobReport>) -> serde_json::Value {
    let base = state.store.base();
    let mut body = json!({
        "name": source.name,
        "url": source.url,
        "interval": source.interval,
        "created": source.created,
        "max_pages": source.max_pages,
        "max_datasets": source.max_datasets,
        "policy": source.policy,
        "iri": source_iri(base, &source.name).as_str(),
        "run": format!("{}/run", source_iri(base, &source.name).as_str()),
    });
    if let Some(job) = last {
        body["last_job"] = json!({
            "id": job.id,
            "iri": job_iri(base, &job.id).as_str(),
            "status": job.status,
            "started": job.started,
            "ended": job.ended,
        });
    }
    body
}
