//! The pages at the catalog's entrance, for people: the landing page (`GET {base}` for a
//! browser) and the search page (`GET {base}search` for a browser). Both are drawn from
//! one search answer, the same the JSON API gives, so what a person sees and what a
//! program reads never disagree.

use super::AppState;
use super::errors::HttpError;
use super::respond::{Rendered, VARY_PAGES, VARY_PERSONAL, preferred_language, respond};
use super::search::{answer, with_index};
use crate::html::{Frame, Landing, PageContext, SearchView};
use crate::model::Variants;
use crate::rdf::Representation;
use crate::search::{SearchPage, SearchRequest, Sort};
use crate::store::{Description, FeedOrder};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

/// The landing page: the catalog's own description, and the lists a search for
/// everything gives (latest first). While the search index is first built, the page
/// still answers, with the search box and a word that the lists are on their way.
pub async fn landing(request: &HttpRequest, state: &AppState) -> Result<HttpResponse, HttpError> {
    let language = preferred_language(request);
    let catalog = state.blocking(|store| store.feed_header()).await?;
    let base = state.store.base().as_str().to_owned();
    let everything = SearchRequest {
        page: 1,
        page_size: crate::html::RECENT,
        sort: Some(Sort::Modified),
        ..SearchRequest::default()
    };
    let asked = everything.clone();
    let found = if state.search().ready() {
        match with_index(state, move |index| index.search(&asked)).await {
            Ok(page) => Some(page),
            Err(error) => {
                tracing::warn!(%error, "the landing page goes without its lists");
                None
            }
        }
    } else {
        None
    };
    let search = format!("{base}search");
    let answer = found
        .as_ref()
        .map(|page| as_value(answer(page, &everything, language, &search, "")))
        .transpose()?;
    let description = Description {
        topic: state.store.base().catalog(),
        quads: catalog.quads.clone(),
        modified: catalog.modified,
        version: None,
    };
    let visitor = super::session::visitor(request).map(|v| v.view());
    let page = PageContext {
        base: &base,
        iri: &base,
        kind: "catalog",
        language,
        here: &base,
        work: None,
        visitor: visitor.as_ref(),
        annotations: &[],
        reuses: &[],
    };
    let landing = Landing {
        catalog: &description,
        everything: answer.as_ref(),
    };
    let body = state.pages.landing(&landing, &page)?;
    let rendered = Rendered::new(
        body.into_bytes(),
        Representation::Html,
        catalog.modified,
        None,
        Variants::of(&base),
    );
    Ok(respond(request, &rendered))
}

/// The search page for a search whose parameters are wrong: a 400 that says which, with
/// the search box holding the words.
pub fn unreadable_search(
    request: &HttpRequest,
    state: &AppState,
    problem: &str,
) -> Result<HttpResponse, HttpError> {
    let language = preferred_language(request);
    let base = state.store.base().as_str();
    let words = form_urlencoded::parse(request.query_string().as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, words)| words.into_owned())
        .unwrap_or_default();
    let here = format!("{base}search");
    let visitor = super::session::visitor(request).map(|v| v.view());
    let frame = Frame {
        base,
        language,
        here: &here,
        kind: "search",
        visitor: visitor.as_ref(),
    };
    let body = state.pages.search_problem(&words, problem, &frame)?;
    Ok(HttpResponse::BadRequest()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, header::HeaderValue::from_static(VARY_PAGES)))
        .body(body))
}

/// The search page for the answer `page` to `asked`.
pub fn search_page(
    request: &HttpRequest,
    state: &AppState,
    (page, asked): (&SearchPage, &SearchRequest),
    language: &'static str,
    personal: bool,
) -> Result<HttpResponse, HttpError> {
    let base = state.store.base().as_str();
    let search = format!("{base}search");
    let answer = as_value(answer(
        page,
        asked,
        language,
        &search,
        request.query_string(),
    ))?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .collect();
    let here = match request.query_string() {
        "" => search.clone(),
        query => format!("{search}?{query}"),
    };
    let view = SearchView {
        answer: &answer,
        asked: &pairs,
        sort: asked.order().name(),
        last: page.total.div_ceil(asked.page_size).max(1),
    };
    let visitor = super::session::visitor(request).map(|v| v.view());
    let frame = Frame {
        base,
        language,
        here: &here,
        kind: "search",
        visitor: visitor.as_ref(),
    };
    let body = state.pages.search(&view, &frame)?;
    let mut response = HttpResponse::Ok();
    response.content_type("text/html; charset=utf-8");
    if personal {
        // Drafts in it: no shared cache may keep it.
        response
            .insert_header((
                header::VARY,
                header::HeaderValue::from_static(VARY_PERSONAL),
            ))
            .insert_header((header::CACHE_CONTROL, "private, no-store"));
    } else {
        response.insert_header((header::VARY, header::HeaderValue::from_static(VARY_PAGES)));
    }
    Ok(response.body(body))
}

/// The search answer as the templates read it.
fn as_value(answer: super::search::SearchAnswer) -> Result<Value, HttpError> {
    serde_json::to_value(answer).map_err(|e| HttpError::Serialize(std::io::Error::other(e)))
}
