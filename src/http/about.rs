//! What the catalog says about itself: `{base}shapes`, `{base}shapes/{kind}`,
//! `{base}.well-known/void` (RDF in every syntax; for people, the Turtle on a page) and
//! `{base}dump.nq.gz` (streamed, with `ETag` and `Last-Modified`).

use super::AppState;
use super::errors::HttpError;
use super::extract::Language;
use super::quality::{answer, rdf};
use super::respond::choose;
use crate::html::Frame;
use crate::rdf::{Representation, serialize};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::Triple;

/// The routes, before the records' own (`/{kind}/{id}` would take `/shapes/datasets`).
pub(super) fn routes(config: &mut web::ServiceConfig) {
    config
        .service(super::readable("/shapes", shapes))
        .service(super::readable("/shapes/{kind}", shapes_of))
        .service(super::readable("/.well-known/void", void))
        .service(super::readable("/dump.nq.gz", dump));
}

/// `GET {base}shapes`: every shape of the application profile.
async fn shapes(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let triples = state.about.shapes.all(state.store.base());
    let base = state.store.base().as_str();
    let here = format!("{base}shapes");
    // People read the profile as written, with its comments and prefixes.
    let source = Some(crate::validate::PROFILE);
    described(
        &request,
        &state,
        (triples, source),
        (&here, "shapes"),
        language,
    )
}

/// `GET {base}shapes/{kind}`: the shapes a record of `kind` must meet.
async fn shapes_of(
    request: HttpRequest,
    Language(language): Language,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let segment = path.into_inner();
    let kind = crate::about::shapes::KINDS
        .into_iter()
        .find(|k| k.path_segment() == segment)
        .ok_or_else(|| HttpError::NotFound {
            kind: "shapes",
            id: segment.clone(),
        })?;
    let triples = state.about.shapes.of(kind, state.store.base());
    let base = state.store.base().as_str();
    let here = format!("{base}shapes/{}", kind.path_segment());
    described(
        &request,
        &state,
        (triples, None),
        (&here, "shapes"),
        language,
    )
}

/// `GET {base}.well-known/void`: the catalog's VoID description.
async fn void(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let about = state.about.clone();
    let triples = state.blocking(move |store| about.void.of(store)).await?;
    let here = format!("{}.well-known/void", state.store.base());
    described(
        &request,
        &state,
        (triples.to_vec(), None),
        (&here, "void"),
        language,
    )
}

/// `triples` at `here`: in the RDF syntax asked for, or as a page showing their Turtle
/// (or the `source` they were read from, when it is kept).
fn described(
    request: &HttpRequest,
    state: &AppState,
    (triples, source): (Vec<Triple>, Option<&str>),
    (here, what): (&str, &'static str),
    language: &'static str,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(request, None)?;
    if representation != Representation::Html {
        return Ok(answer(
            request,
            rdf(triples, representation)?,
            representation,
            here,
        ));
    }
    let quads: Vec<_> = triples
        .into_iter()
        .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
        .collect();
    let turtle = match source {
        Some(source) => source.as_bytes().to_vec(),
        None => serialize(&quads, Representation::Turtle).map_err(HttpError::Serialize)?,
    };
    let visitor = super::session::visitor(request).map(|v| v.view());
    let frame = Frame {
        base: state.store.base().as_str(),
        language,
        here,
        kind: what,
        visitor: visitor.as_ref(),
    };
    let page = state
        .pages
        .source(what, &String::from_utf8_lossy(&turtle), &frame)?;
    Ok(answer(
        request,
        page.into_bytes(),
        Representation::Html,
        here,
    ))
}

/// `GET {base}dump.nq.gz`: the last complete dump, streamed; `503` with `Retry-After`
/// until the first one is written.
async fn dump(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, HttpError> {
    let file = state.about.dump.file().to_owned();
    let opened = web::block(move || {
        let opened = std::fs::File::open(&file)?;
        let metadata = opened.metadata()?;
        Ok::<_, std::io::Error>((opened, metadata))
    })
    .await
    .map_err(|_| HttpError::Unavailable)?;
    let (opened, metadata) = match opened {
        Ok(found) => found,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, "10"))
                .content_type("text/plain; charset=utf-8")
                .body("The catalog's dump is being written: try again in a few seconds.\n"));
        }
        Err(error) => {
            tracing::error!(%error, "the dump cannot be read");
            return Err(HttpError::Unavailable);
        }
    };
    let modified = metadata.modified().unwrap_or(std::time::UNIX_EPOCH);
    let since_epoch = modified
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let etag = format!("\"{}-{}\"", since_epoch.as_nanos(), metadata.len());
    let last_modified = header::HttpDate::from(modified).to_string();
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|asked| {
            asked
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::LAST_MODIFIED, last_modified))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"catalog.nq.gz\"",
        ));
    if fresh {
        return Ok(response.finish());
    }
    let (mut sender, body) = super::stream::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut opened = opened;
        let copied = std::io::copy(&mut opened, &mut sender).map(|_| ());
        sender.end(copied);
    });
    // A gzip file of N-Quads to download, not N-Quads sent compressed.
    Ok(response.content_type("application/gzip").body(body))
}
