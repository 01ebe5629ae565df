//! A record's history and the catalog's: `{base}{kind}/{id}/history` (its revisions, and
//! the comparison of two versions) and `{base}history` (loads and SPARQL updates).

use super::AppState;
use super::errors::HttpError;
use super::page::Page;
use super::records::{history_visible, plain};
use super::respond::{
    Rendered, choose, preferred_language, query_parameter, respond, split_suffix,
};
use crate::html::Pages;
use crate::model::{RecordId, ResourceKind, Variants};
use crate::rdf::Representation;
use crate::store::{CatalogStore, Description, Histories};
use actix_web::{HttpRequest, HttpResponse, web};

/// `GET|HEAD {base}{kind}/{id}/history[.ext]`: the record's revisions (PROV-O), newest
/// versions at `{base}{kind}/{id}?version=N`.
pub async fn history(
    request: HttpRequest,
    path: web::Path<(String, String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id, last) = path.into_inner();
    let suffix = match split_suffix(&last) {
        Some(("history", suffix)) if segment != ResourceKind::Record.path_segment() => suffix,
        _ => return Err(HttpError::NoRoute(request.path().to_owned())),
    };
    let not_found = || HttpError::NotFound {
        kind: "history",
        id: id.clone(),
    };
    let record = RecordId::parse(&id).map_err(|_| not_found())?;
    if !ResourceKind::ALL
        .iter()
        .any(|k| k.path_segment() == segment)
        || !history_visible(&request, &state, &record).await?
    {
        return Err(not_found());
    }
    let kind = ResourceKind::ALL
        .into_iter()
        .find(|k| k.path_segment() == segment)
        .ok_or_else(not_found)?;
    let compared = compared_versions(&request, &state, kind, &record).await?;
    let quads = state
        .blocking(move |store| store.history(&record))
        .await?
        .ok_or_else(not_found)?;
    let iri = state.store.base().join(&format!("{segment}/{id}/history"));
    match compared {
        Some(compared) if choose(&request, suffix)? == Representation::Html => {
            compared_page(&request, &state, (iri, quads), compared)
        }
        _ => history_answer(&request, &state, (iri, suffix), quads),
    }
}

/// Two versions to compare and what changed between them, when `?from=N&to=M` asks.
async fn compared_versions(
    request: &HttpRequest,
    state: &AppState,
    kind: ResourceKind,
    record: &RecordId,
) -> Result<Option<(u64, u64, Vec<crate::html::history::ChangeView>)>, HttpError> {
    let number = |name: &str| -> Result<Option<u64>, HttpError> {
        match query_parameter(request, name)? {
            None => Ok(None),
            Some(value) => value
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| {
                    HttpError::BadRequest(format!(
                        "{name} must be a version number from 1, not {value:?}"
                    ))
                }),
        }
    };
    let (Some(from), Some(to)) = (number("from")?, number("to")?) else {
        return Ok(None);
    };
    let id = record.clone();
    let (before, after) = state
        .blocking(move |store| {
            Ok::<_, crate::store::StoreError>((
                store.version(kind, &id, from)?,
                store.version(kind, &id, to)?,
            ))
        })
        .await?;
    let missing = |n: u64| HttpError::NotFound {
        kind: "version",
        id: format!("{record}?version={n}"),
    };
    let node = state.store.base().record_graph(record);
    // The catalog record's own dates move with every version: what changed is the rest.
    let content = |quads: Vec<oxigraph::model::Quad>| -> Vec<oxigraph::model::Triple> {
        quads
            .into_iter()
            .filter(|q| q.subject.as_ref() != node.as_ref().into())
            .map(oxigraph::model::Triple::from)
            .collect()
    };
    let before = content(before.ok_or_else(|| missing(from))?);
    let after = content(after.ok_or_else(|| missing(to))?);
    let topic = state.store.base().resource(kind, record);
    let changes = crate::model::diff::diff(&before, &after);
    Ok(Some((
        from,
        to,
        crate::html::history::changes(&changes, topic.as_str()),
    )))
}

/// The history page with the comparison of two versions.
fn compared_page(
    request: &HttpRequest,
    state: &AppState,
    (iri, quads): (oxigraph::model::NamedNode, Vec<oxigraph::model::Quad>),
    compared: (u64, u64, Vec<crate::html::history::ChangeView>),
) -> Result<HttpResponse, HttpError> {
    let language = preferred_language(request);
    let mut page = Page::new((request, state), iri.as_str(), "history", language);
    // The language switch keeps the comparison asked for.
    page.here = format!("{}?{}", page.iri, request.query_string());
    let context = page.context();
    let description = Description {
        topic: iri.clone(),
        quads: public_history(request, state, quads),
        modified: None,
        version: None,
    };
    let body = state
        .pages
        .history_compared(&description, &context, Some(compared))?;
    let rendered = Rendered::new(
        body.into_bytes(),
        Representation::Html,
        None,
        None,
        Variants::of(&page.iri),
    );
    Ok(respond(request, &rendered))
}

/// A history as the request's holder may see it: where a change came from (a client's
/// address) and what a bulk change said (an update's text may hold what was since
/// deleted) are for admins only.
fn public_history(
    request: &HttpRequest,
    state: &AppState,
    mut quads: Vec<oxigraph::model::Quad>,
) -> Vec<oxigraph::model::Quad> {
    if super::auth::admin(request, state).is_err() {
        quads.retain(|q| {
            q.predicate != crate::model::vocab::dct::SOURCE
                && q.predicate != crate::model::vocab::prov::VALUE
        });
    }
    quads
}

/// `GET|HEAD {base}history`: the catalog's history, its bulk changes (loads and SPARQL
/// updates: who, when, from where and what), newest first on the page.
pub async fn catalog_history(
    request: HttpRequest,
    extension: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let suffix = match split_suffix(&format!("history{extension}")) {
        Some(("history", suffix)) => suffix,
        _ => return Err(HttpError::NoRoute(request.path().to_owned())),
    };
    let quads = state.blocking(CatalogStore::catalog_history).await?;
    let iri = state.store.base().join("history");
    history_answer(&request, &state, (iri, suffix), quads)
}

/// A history at `iri` as asked (by `suffix`, else negotiated): RDF, or the history page.
fn history_answer(
    request: &HttpRequest,
    state: &AppState,
    (iri, suffix): (oxigraph::model::NamedNode, Option<Representation>),
    quads: Vec<oxigraph::model::Quad>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(request, suffix)?;
    let language = preferred_language(request);
    let quads = public_history(request, state, quads);
    let page = Page::new((request, state), iri.as_str(), "history", language);
    // A history is PROV-O, in no profile of ours.
    plain(
        request,
        (iri, quads),
        (representation.into(), &[], false),
        &page,
        (&state.pages, Pages::history),
        None,
    )
}
