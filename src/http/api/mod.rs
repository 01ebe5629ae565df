//! The write API: `POST {base}api/{kind}`, `GET`, `PUT` and `DELETE {base}api/{kind}/{id}`
//! for datasets, data papers and agents, with bearer tokens, profile validation and
//! `If-Match`. Each handler extracts what it needs, calls the write workflow
//! ([`crate::edit`]) once on a blocking thread, and answers.

use super::AppState;
use super::errors::HttpError;
use super::extract::{ApiKind, ApiRecord, EditParams, IfMatch, Reader, Sent};
use crate::edit::{Model, Status, Writer, Written};
use crate::model::{RecordId, RecordKind};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, HttpResponseBuilder, web};
use oxigraph::model::NamedNode;
use serde_json::json;

mod distributions;
pub use distributions::{
    create_distribution, delete_distribution, read_distribution, replace_distribution,
};

/// `POST {base}api/{kind}`: creates a record (`?status=draft`: a draft; `?embargo=`: held
/// back until then); `201 Created` with its IRI and ETag.
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
    let about = json!({
        "id": record.id.as_str(),
        "iri": record.topic.as_str(),
        "page": page.as_str(),
    });
    answer(builder, &page, about, written)
}

/// A write's answer: `Location`, the ETag of the new version, and `about` (what was
/// written) with the version, status and validation report.
fn answer(
    mut builder: HttpResponseBuilder,
    location: &NamedNode,
    mut about: serde_json::Value,
    written: &Written,
) -> HttpResponse {
    let version = written.record.version;
    if let Some(fields) = about.as_object_mut() {
        fields.insert("version".into(), version.into());
        fields.insert("status".into(), Status::as_str(written.status).into());
        fields.insert("violations".into(), json!(written.report.violations));
        fields.insert("warnings".into(), json!(written.report.warnings));
    }
    builder
        .insert_header((header::LOCATION, location.as_str()))
        .insert_header((header::ETAG, format!("\"v{version}\"")))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(about.to_string())
}
