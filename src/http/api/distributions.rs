//! Distributions through the write API: `POST {base}api/distributions?dataset=…`, and
//! `GET`, `PUT`, `DELETE {base}api/distributions/{id}`. Each write is a new version of the
//! distribution's dataset ([`crate::edit`] says how).

use super::{AppState, answer, model_answer};
use crate::edit::{Writer, Written};
use crate::http::errors::HttpError;
use crate::http::extract::{IdSegment, IfMatch, Reader, Sent};
use crate::http::respond::query_parameter;
use crate::model::ResourceKind;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use oxigraph::model::NamedNode;
use serde_json::json;

/// `POST {base}api/distributions?dataset={id or IRI}`: adds a distribution to a dataset
/// (named by the parameter, or by a `dcat:distribution` link in the body); `201 Created`
/// with the distribution's IRI (minted from its title when it is a blank node) and the
/// dataset's new ETag.
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

/// The distribution's IRI and the dataset's new ETag and status.
fn written_response(
    builder: HttpResponseBuilder,
    state: &AppState,
    iri: &NamedNode,
    written: &Written,
) -> HttpResponse {
    let base = state.store.base();
    let dataset_page = base.resource(ResourceKind::Dataset, &written.record.id);
    let about = json!({
        "id": base.local_id(ResourceKind::Distribution, iri.as_str()).map(|id| id.as_str().to_owned()),
        "iri": iri.as_str(),
        "dataset": written.record.topic.as_str(),
        "datasetPage": dataset_page.as_str(),
    });
    answer(builder, iri, about, written)
}
