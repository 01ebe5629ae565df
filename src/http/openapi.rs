//! The OpenAPI 3.1 description of the JSON API, at `{base}api/openapi.json`.
//!
//! It is derived (utoipa) from the handlers' `#[utoipa::path]` attributes and from the
//! serde types that read bodies and write answers, so that a field added to an answer is
//! in the description by the same change. Every error answers a [`Problem`] document: the
//! handlers list their error statuses with a description, and [`Problems`] gives each the
//! problem body, so that no operation can forget it. Schemathesis checks the running
//! server against it (`tests/api/openapi.rs`).

use super::AppState;
use super::api::params::{AskedStatus, RecordJson, RecordSegment};
use super::errors::Problem;
use actix_web::dev::ServiceRequest;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, Server};
use utoipa::{Modify, OpenApi};

/// The description's path under the base IRI.
pub const PATH: &str = "api/openapi.json";

/// The media type of problem documents (RFC 9457).
pub const PROBLEM_TYPE: &str = "application/problem+json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Passerelle JSON API",
        description = "The write API for datasets, distributions, data papers and agents (bearer tokens, `If-Match` on changes), harvest sources and jobs, full-text search with facets, and operations. Records are also served as RDF in every syntax at their IRIs, and the whole catalog at `{base}sparql`; those are described by the catalog itself (`{base}.well-known/void`), not here. Errors are RFC 9457 problem documents.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0")
    ),
    paths(
        super::api::create,
        super::api::read,
        super::api::replace,
        super::api::delete,
        super::api::distributions::create_distribution,
        super::api::distributions::read_distribution,
        super::api::distributions::replace_distribution,
        super::api::distributions::delete_distribution,
        super::harvest::list_sources,
        super::harvest::add_source,
        super::harvest::read_source,
        super::harvest::run_source,
        super::harvest::read_job,
        super::search::search,
        super::search::suggest,
        super::ops::health,
        super::ops::backup,
        description,
    ),
    components(schemas(Problem, RecordJson, RecordSegment, AskedStatus, super::search::Language)),
    modifiers(&Problems, &Bearer),
    tags(
        (name = "records", description = "Datasets, data papers and agents, as the plain JSON model or RDF"),
        (name = "distributions", description = "A dataset's distributions, each write a new version of the dataset"),
        (name = "harvest", description = "DCAT feeds harvested into the catalog, and the reports of their runs"),
        (name = "search", description = "Full-text search over the catalog's datasets, with facets"),
        (name = "operations", description = "Health, backups and this description"),
    )
)]
struct ApiDoc;

/// Gives every error status of every operation the problem document as its body.
struct Problems;

impl Modify for Problems {
    fn modify(&self, document: &mut Document) {
        let problem = Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem"))));
        for item in document.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, response) in &mut operation.responses.responses {
                    if let RefOr::T(response) = response
                        && (status.starts_with('4') || status.starts_with('5'))
                        && response.content.is_empty()
                    {
                        response
                            .content
                            .insert(PROBLEM_TYPE.to_owned(), problem.clone());
                    }
                }
            }
        }
    }
}

/// The bearer tokens of `passerelle token create`.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, document: &mut Document) {
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The description of this server's API: the operations under its base IRI.
pub fn document(base: &str) -> Document {
    let mut document = ApiDoc::openapi();
    document.servers = Some(vec![Server::new(base.trim_end_matches('/'))]);
    document
}

/// The description as JSON. utoipa 5.5 writes the fields of link objects in snake case
/// (`operation_id`), which OpenAPI spells `operationId`: they are renamed here.
pub fn document_json(base: &str) -> Result<serde_json::Value, serde_json::Error> {
    let mut json = serde_json::to_value(document(base))?;
    rename_link_fields(&mut json);
    Ok(json)
}

fn rename_link_fields(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(links)) = object.get_mut("links") {
                for link in links.values_mut() {
                    let Value::Object(link) = link else { continue };
                    for (snake, camel) in [
                        ("operation_id", "operationId"),
                        ("operation_ref", "operationRef"),
                        ("request_body", "requestBody"),
                    ] {
                        if let Some(field) = link.remove(snake) {
                            link.insert(camel.to_owned(), field);
                        }
                    }
                }
            }
            object.values_mut().for_each(rename_link_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(rename_link_fields),
        _ => {}
    }
}

/// `GET {base}api/openapi.json`: this description.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 description of this API", content_type = "application/json", body = Object)),
)]
pub async fn description(
    state: web::Data<AppState>,
) -> Result<HttpResponse, super::errors::HttpError> {
    let body = document_json(state.store.base().as_str())
        .and_then(|json| serde_json::to_vec_pretty(&json))
        .map_err(|e| super::errors::HttpError::Serialize(std::io::Error::other(e)))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body))
}

/// Links every answer of the API (`{base}api/…`) to its description (RFC 8631), so that a
/// client that meets one can find the rest.
pub async fn link_description(
    (api_path, link): (String, Option<HeaderValue>),
    request: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let api = request.path().starts_with(&api_path);
    let mut response = next.call(request).await?;
    if let Some(link) = link.filter(|_| api) {
        response.headers_mut().append(header::LINK, link);
    }
    Ok(response)
}

/// The `Link` header value of [`link_description`] for the catalog at `base`.
pub fn description_link(base: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "<{base}{PATH}>; rel=\"service-desc\"; type=\"application/vnd.oai.openapi+json;version=3.1\""
    ))
    .ok()
}
