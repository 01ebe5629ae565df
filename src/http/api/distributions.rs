//! Distributions through the write API: `POST {base}api/distributions?dataset=…`, and
//! `GET`, `PUT`, `DELETE {base}api/distributions/{id}`. Each write is a new version of the
//! distribution's dataset ([`crate::edit`] says how).

#[allow(unused_imports)] // Named by the `utoipa::path` attributes.
use super::params::{DistributionPath, IfMatchHeader};
use super::{AppState, Outcome, answer, model_answer};
use crate::edit::{Writer, Written};
use crate::http::errors::HttpError;
use crate::http::extract::{IdSegment, IfMatch, Reader, Sent};
use crate::http::respond::query_parameter;
use crate::model::ResourceKind;
use crate::model::json::DistributionJson;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use oxigraph::model::NamedNode;
use serde::Serialize;
use utoipa::ToSchema;

/// `POST {base}api/distributions?dataset={id or IRI}`: adds a distribution to a dataset
/// (named by the parameter, or by a `dcat:distribution` link in the body); `201 Created`
/// with the distribution's IRI (minted from its title when it is a blank node) and the
/// dataset's new ETag.
#[utoipa::path(
    post,
    path = "/api/distributions",
    tag = "distributions",
    summary = "Add a distribution to a dataset",
    params(("dataset" = Option<String>, Query, description = "The dataset's id or IRI (or a `dcat:distribution` link in the body)")),
    request_body(
        description = "The distribution: its plain JSON model, or RDF in one of these syntaxes",
        content(
            (DistributionJson = "application/json"),
            (String = "text/turtle"),
            (String = "application/ld+json"),
            (String = "application/n-triples"),
            (String = "application/rdf+xml"),
        ),
    ),
    responses(
        (status = 201, description = "Added: its IRI in `Location`, the dataset's new version in `ETag`", body = DistributionWritten,
            headers(("Location" = String, description = "The distribution's IRI"), ("ETag" = String, description = "The dataset's new version")),
            links(
                ("read" = (operation_id = "read_distribution", parameters(("id" = "$response.body#/id")))),
                ("replace" = (operation_id = "replace_distribution", parameters(("id" = "$response.body#/id"), ("header.If-Match" = "$response.header.ETag")))),
                ("delete" = (operation_id = "delete_distribution", parameters(("id" = "$response.body#/id"), ("header.If-Match" = "$response.header.ETag")))),
            )),
        (status = 400, description = "The body cannot be read, or names no dataset"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token may not write this dataset"),
        (status = 404, description = "No such dataset"),
        (status = 409, description = "A distribution with this IRI exists"),
        (status = 410, description = "The dataset was withdrawn"),
        (status = 413, description = "The body is over the size limit"),
        (status = 415, description = "A body in a media type the API does not read"),
        (status = 422, description = "The dataset would break the application profile"),
    ),
    security(("bearer" = [])),
)]
pub async fn create_distribution(
    request: HttpRequest,
    writer: Writer,
    body: Sent,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let dataset = query_parameter(&request, "dataset")?;
    let (iri, written) = state
        .edit(move |edits| edits.add_distribution(body.incoming(), dataset.as_deref(), &writer))
        .await?;
    Ok(written_response(
        HttpResponse::Created(),
        &state,
        &iri,
        &written,
    ))
}

/// `PUT {base}api/distributions/{id}`: replaces a distribution, if `If-Match` names its
/// dataset's current version (the ETag of the distribution's page or of the dataset's).
#[utoipa::path(
    put,
    path = "/api/distributions/{id}",
    tag = "distributions",
    summary = "Replace a distribution",
    params(DistributionPath, IfMatchHeader),
    request_body(
        description = "The distribution: its plain JSON model, or RDF in one of these syntaxes",
        content(
            (DistributionJson = "application/json"),
            (String = "text/turtle"),
            (String = "application/ld+json"),
            (String = "application/n-triples"),
            (String = "application/rdf+xml"),
        ),
    ),
    responses(
        (status = 200, description = "Replaced: the dataset's new version in `ETag`", body = DistributionWritten,
            headers(("Location" = String, description = "The distribution's IRI"), ("ETag" = String, description = "The dataset's new version"))),
        (status = 400, description = "The body cannot be read, or describes another distribution"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token may not write this dataset"),
        (status = 404, description = "No such distribution"),
        (status = 409, description = "The change contradicts the dataset's state"),
        (status = 410, description = "The dataset was withdrawn"),
        (status = 412, description = "`If-Match` is not the dataset's current version"),
        (status = 413, description = "The body is over the size limit"),
        (status = 415, description = "A body in a media type the API does not read"),
        (status = 422, description = "The dataset would break the application profile"),
        (status = 428, description = "No `If-Match`"),
    ),
    security(("bearer" = [])),
)]
pub async fn replace_distribution(
    IdSegment(id): IdSegment,
    writer: Writer,
    body: Sent,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (iri, written) = state
        .edit(move |edits| {
            edits.replace_distribution(&id, body.incoming(), if_match.as_deref(), &writer)
        })
        .await?;
    Ok(written_response(HttpResponse::Ok(), &state, &iri, &written))
}

/// `DELETE {base}api/distributions/{id}`: removes a distribution from its dataset, if
/// `If-Match` names the dataset's current version; `204` with the dataset's new ETag.
#[utoipa::path(
    delete,
    path = "/api/distributions/{id}",
    tag = "distributions",
    summary = "Remove a distribution from its dataset",
    params(DistributionPath, IfMatchHeader),
    responses(
        (status = 204, description = "Removed; the dataset's new version in `ETag`",
            headers(("ETag" = String, description = "The dataset's new version"))),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token may not write this dataset"),
        (status = 404, description = "No such distribution"),
        (status = 410, description = "The dataset was withdrawn"),
        (status = 412, description = "`If-Match` is not the dataset's current version"),
        (status = 422, description = "The dataset would break the application profile"),
        (status = 428, description = "No `If-Match`"),
    ),
    security(("bearer" = [])),
)]
pub async fn delete_distribution(
    IdSegment(id): IdSegment,
    writer: Writer,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let written = state
        .edit(move |edits| edits.remove_distribution(&id, if_match.as_deref(), &writer))
        .await?;
    Ok(HttpResponse::NoContent()
        .insert_header((header::ETAG, format!("\"v{}\"", written.record.version)))
        .finish())
}

/// `GET {base}api/distributions/{id}`: the plain JSON model of a distribution, with the
/// ETag of its dataset's version; a draft dataset's for its editors only.
#[utoipa::path(
    get,
    path = "/api/distributions/{id}",
    tag = "distributions",
    summary = "Read a distribution's JSON model",
    params(DistributionPath),
    responses(
        (status = 200, description = "Its plain JSON model; its dataset's version in `ETag`", body = DistributionJson,
            headers(("ETag" = String, description = "Its dataset's version, for `If-Match`"))),
        (status = 404, description = "No such distribution (or one of a draft the token may not see)"),
        (status = 410, description = "Its dataset was withdrawn"),
    ),
    security((), ("bearer" = [])),
)]
pub async fn read_distribution(
    IdSegment(id): IdSegment,
    Reader(who): Reader,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let model = state
        .blocking(move |store| crate::edit::distribution_model(store, who.as_ref(), &id))
        .await?;
    model_answer(&model)
}

/// What a write of a distribution answers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DistributionWritten {
    /// The distribution's id, the last segment of its IRI (none for an IRI not ours).
    pub id: Option<String>,
    /// Its IRI (also in `Location`).
    pub iri: String,
    /// Its dataset's IRI.
    pub dataset: String,
    /// Its dataset's page.
    pub dataset_page: String,
    /// The dataset's new version, its status and its validation report.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The distribution's IRI and the dataset's new ETag and status.
fn written_response(
    builder: HttpResponseBuilder,
    state: &AppState,
    iri: &NamedNode,
    written: &Written,
) -> HttpResponse {
    let base = state.store.base();
    let dataset_page = base.resource(ResourceKind::Dataset, &written.record.id);
    let about = DistributionWritten {
        id: base
            .local_id(ResourceKind::Distribution, iri.as_str())
            .map(|id| id.as_str().to_owned()),
        iri: iri.as_str().to_owned(),
        dataset: written.record.topic.as_str().to_owned(),
        dataset_page: dataset_page.as_str().to_owned(),
        outcome: Outcome::of(written),
    };
    answer(builder, iri, &about, written.record.version)
}
