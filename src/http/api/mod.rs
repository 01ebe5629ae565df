//! The write API: `POST {base}api/{kind}`, `GET`, `PUT` and `DELETE {base}api/{kind}/{id}`
//! for datasets, data papers and agents, with bearer tokens, profile validation and
//! `If-Match`. Each handler extracts what it needs, calls the write workflow
//! ([`crate::edit`]) once on a blocking thread, and answers.

use super::AppState;
use super::errors::HttpError;
use super::extract::{ApiKind, ApiRecord, EditParams, IfMatch, Reader, Sent};
use crate::edit::{Model, Status, Writer, Written};
use crate::model::{RecordId, RecordKind};
use crate::validate::Finding;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, HttpResponseBuilder, web};
use oxigraph::model::NamedNode;
#[allow(unused_imports)] // Named by the `utoipa::path` attributes.
use params::{EditQuery, IfMatchHeader, KindPath, RecordJson, RecordPath};
use serde::Serialize;
use utoipa::ToSchema;

pub(super) mod distributions;
pub(super) mod params;
pub use distributions::{
    create_distribution, delete_distribution, read_distribution, replace_distribution,
};

/// `POST {base}api/{kind}`: creates a record (`?status=draft`: a draft; `?embargo=`: held
/// back until then); `201 Created` with its IRI and ETag.
#[utoipa::path(
    post,
    path = "/api/{kind}",
    tag = "records",
    operation_id = "create_record",
    summary = "Create a record",
    params(KindPath, EditQuery),
    request_body(
        description = "The record: its plain JSON model (the one of `{kind}`), or RDF in one of these syntaxes",
        content(
            (RecordJson = "application/json"),
            (String = "text/turtle"),
            (String = "application/ld+json"),
            (String = "application/n-triples"),
            (String = "application/rdf+xml"),
        ),
    ),
    responses(
        (status = 201, description = "Created: its page in `Location`, its version in `ETag`", body = RecordWritten,
            headers(("Location" = String, description = "The record's page"), ("ETag" = String, description = "Its version, for `If-Match`")),
            links(
                ("read" = (operation_id = "read_record", parameters(("kind" = "$request.path.kind"), ("id" = "$response.body#/id")))),
                ("replace" = (operation_id = "replace_record", parameters(("kind" = "$request.path.kind"), ("id" = "$response.body#/id"), ("header.If-Match" = "$response.header.ETag")))),
                ("delete" = (operation_id = "delete_record", parameters(("kind" = "$request.path.kind"), ("id" = "$response.body#/id"), ("header.If-Match" = "$response.header.ETag")))),
            )),
        (status = 400, description = "The body cannot be read (with its line and column)"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token may not write this record"),
        (status = 404, description = "Not a kind of record the API writes"),
        (status = 409, description = "A record with this IRI exists, or was withdrawn"),
        (status = 413, description = "The body is over the size limit"),
        (status = 415, description = "A body in a media type the API does not read"),
        (status = 422, description = "The record breaks the application profile (the report says how)"),
    ),
    security(("bearer" = [])),
)]
pub async fn create(
    ApiKind(kind): ApiKind,
    writer: Writer,
    EditParams(asked): EditParams,
    body: Sent,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let written = state
        .edit(move |edits| edits.create(kind, body.incoming(), asked, &writer))
        .await?;
    Ok(written_response(
        HttpResponse::Created(),
        &state,
        kind,
        &written,
    ))
}

/// `PUT {base}api/{kind}/{id}`: replaces a record, if `If-Match` names its current version;
/// `?status=published` publishes a draft.
#[utoipa::path(
    put,
    path = "/api/{kind}/{id}",
    tag = "records",
    operation_id = "replace_record",
    summary = "Replace a record",
    params(RecordPath, IfMatchHeader, EditQuery),
    request_body(
        description = "The record: its plain JSON model (the one of `{kind}`), or RDF in one of these syntaxes",
        content(
            (RecordJson = "application/json"),
            (String = "text/turtle"),
            (String = "application/ld+json"),
            (String = "application/n-triples"),
            (String = "application/rdf+xml"),
        ),
    ),
    responses(
        (status = 200, description = "Replaced: its new version in `ETag`", body = RecordWritten,
            headers(("Location" = String, description = "The record's page"), ("ETag" = String, description = "Its new version")),
            links(
                ("read" = (operation_id = "read_record", parameters(("kind" = "$request.path.kind"), ("id" = "$response.body#/id")))),
                ("delete" = (operation_id = "delete_record", parameters(("kind" = "$request.path.kind"), ("id" = "$response.body#/id"), ("header.If-Match" = "$response.header.ETag")))),
            )),
        (status = 400, description = "The body cannot be read, or it describes another record"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token may not write this record"),
        (status = 404, description = "No such record"),
        (status = 409, description = "The change contradicts the record's state"),
        (status = 410, description = "The record was withdrawn"),
        (status = 412, description = "`If-Match` is not the record's current version"),
        (status = 413, description = "The body is over the size limit"),
        (status = 415, description = "A body in a media type the API does not read"),
        (status = 422, description = "The record breaks the application profile"),
        (status = 428, description = "No `If-Match`"),
    ),
    security(("bearer" = [])),
)]
pub async fn replace(
    ApiRecord { kind, id }: ApiRecord,
    writer: Writer,
    (EditParams(asked), if_match): (EditParams, IfMatch),
    body: Sent,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let written = state
        .edit(move |edits| {
            let asked = (asked, if_match.as_deref());
            edits.replace((kind, &id), body.incoming(), asked, &writer)
        })
        .await?;
    Ok(written_response(HttpResponse::Ok(), &state, kind, &written))
}

/// `DELETE {base}api/{kind}/{id}`: deletes a record, if `If-Match` names its current
/// version; a dataset leaves a tombstone (`410 Gone` to readers, withdrawn in the feed).
/// A draft just goes (it was never public).
#[utoipa::path(
    delete,
    path = "/api/{kind}/{id}",
    tag = "records",
    operation_id = "delete_record",
    summary = "Delete a record",
    params(RecordPath, IfMatchHeader),
    responses(
        (status = 204, description = "Deleted; a dataset is withdrawn (`410 Gone` to readers)"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token may not delete this record"),
        (status = 404, description = "No such record"),
        (status = 409, description = "Other records still name it"),
        (status = 410, description = "The record was withdrawn already"),
        (status = 412, description = "`If-Match` is not the record's current version"),
        (status = 428, description = "No `If-Match`"),
    ),
    security(("bearer" = [])),
)]
pub async fn delete(
    ApiRecord { kind, id }: ApiRecord,
    writer: Writer,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    state
        .edit(move |edits| edits.delete((kind, &id), if_match.as_deref(), &writer))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET {base}api/{kind}/{id}`: the plain JSON model of a record, with the ETag that
/// `PUT` and `DELETE` take; a draft for its editors only.
#[utoipa::path(
    get,
    path = "/api/{kind}/{id}",
    tag = "records",
    operation_id = "read_record",
    summary = "Read a record's JSON model",
    params(RecordPath),
    responses(
        (status = 200, description = "Its plain JSON model; its version in `ETag`", body = RecordJson,
            headers(("ETag" = String, description = "Its version, for `If-Match`"))),
        (status = 404, description = "No such record (or a draft the token may not see)"),
        (status = 410, description = "The record was withdrawn"),
    ),
    security((), ("bearer" = [])),
)]
pub async fn read(
    ApiRecord { kind, id }: ApiRecord,
    Reader(who): Reader,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let not_found = || HttpError::NotFound {
        kind: kind.resource_kind().label(),
        id: id.clone(),
    };
    let record = RecordId::parse(&id).map_err(|_| not_found())?;
    let asked = record.clone();
    let model = state
        .blocking(move |store| crate::edit::record_model(store, who.as_ref(), kind, &asked))
        .await?;
    match model {
        Some(model) => model_answer(&model),
        None => Err(state
            .missing(kind.resource_kind(), record, not_found())
            .await),
    }
}

/// `GET {base}context.jsonld`: our JSON-LD context, which JSON-LD bodies may name and which
/// defines the plain JSON model.
pub async fn context() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/ld+json"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .body(crate::model::json::CONTEXT)
}

/// A JSON model with the ETag of its record's version; a draft's is for no shared cache.
fn model_answer(model: &Model) -> Result<HttpResponse, HttpError> {
    let body = serde_json::to_vec_pretty(&model.json)
        .map_err(|e| HttpError::Serialize(std::io::Error::other(e)))?;
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, format!("\"v{}\"", model.version)))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ));
    if model.draft {
        response.insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ));
    }
    Ok(response.body(body))
}

/// What a write of a record answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordWritten {
    /// The record's id, the last segment of its IRIs.
    pub id: String,
    /// The IRI of what it describes (the dataset, the paper, the agent).
    pub iri: String,
    /// Its page (also in `Location`).
    pub page: String,
    /// Its new version, its status and its validation report.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What a write made: the new version, its status and what the validator said.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcome {
    /// The new version, as in the `ETag` (`"v{version}"`).
    pub version: i64,
    /// Whether it is public.
    pub status: Status,
    /// Broken mandatory constraints (a draft may have them).
    pub violations: Vec<Finding>,
    /// Missing recommended properties and other advice.
    pub warnings: Vec<Finding>,
}

impl Outcome {
    fn of(written: &Written) -> Self {
        Self {
            version: written.record.version,
            status: written.status,
            violations: written.report.violations.clone(),
            warnings: written.report.warnings.clone(),
        }
    }
}

/// `201`/`200` with the written record's resource page, its new ETag, its status and the
/// validation report (warnings; violations too for a draft, which may be incomplete).
fn written_response(
    builder: HttpResponseBuilder,
    state: &AppState,
    kind: RecordKind,
    written: &Written,
) -> HttpResponse {
    let record = &written.record;
    let page = state
        .store
        .base()
        .resource(kind.resource_kind(), &record.id);
    let about = RecordWritten {
        id: record.id.as_str().to_owned(),
        iri: record.topic.as_str().to_owned(),
        page: page.as_str().to_owned(),
        outcome: Outcome::of(written),
    };
    answer(builder, &page, &about, written.record.version)
}

/// A write's answer: `Location`, the ETag of the new version, and `about` (what was
/// written, with its [`Outcome`]).
fn answer(
    mut builder: HttpResponseBuilder,
    location: &NamedNode,
    about: &impl Serialize,
    version: i64,
) -> HttpResponse {
    builder
        .insert_header((header::LOCATION, location.as_str()))
        .insert_header((header::ETAG, format!("\"v{version}\"")))
        .json(about)
}
