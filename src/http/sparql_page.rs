//! The SPARQL endpoint's answers for browsers (the page itself is `html::query`): a
//! query's answer as a table under the editor, with links to the same answer in each
//! syntax, and a failed query's error under the editor that still holds it.

use super::AppState;
use super::errors::HttpError;
use super::sparql::Protocol;
use super::sparql_syntax::{Syntax, pick};
use crate::html::{FormatLink, Outcome, QueryPage};
use crate::rdf::{Offer, Representation};
use crate::store::{Answer, AnswerKind};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use std::sync::LazyLock;

/// Rows of an answer shown on its page; its links give the whole answer.
pub const PAGE_ROWS: usize = 1000;

/// Whether the client prefers the page to every syntax of any kind of answer, as a
/// browser does (or asks for it with `?format=html`). Decides how a failed query is told.
pub(super) fn wants_page(request: &HttpRequest) -> bool {
    static EVERY_SYNTAX: LazyLock<Vec<Syntax>> = LazyLock::new(|| {
        let results = Syntax::offers(AnswerKind::Solutions);
        let graphs = Syntax::offers(AnswerKind::Graph);
        results
            .iter()
            .chain(graphs)
            .copied()
            .filter(|s| *s != Syntax::Page)
            .chain([Syntax::Page])
            .collect()
    });
    let format = super::respond::query_parameter(request, "format")
        .ok()
        .flatten();
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    pick(format.as_deref(), accept, &EVERY_SYNTAX) == Some(Syntax::Page)
}

/// The page of a query's answer: its first [`PAGE_ROWS`] rows. Evaluation stops there.
pub(super) fn answered(
    state: &AppState,
    protocol: &Protocol,
    answer: Answer,
) -> Result<String, HttpError> {
    let kind = answer.kind();
    let table = answer.table(PAGE_ROWS)?;
    let prefixes = crate::store::declared_prefixes(&protocol.query);
    let endpoint = state.store.base().join("sparql");
    Ok(state.pages.query(&QueryPage {
        base: state.store.base().as_str(),
        endpoint: endpoint.as_str(),
        query: Some(&protocol.query),
        formats: links(endpoint.as_str(), protocol, kind),
        outcome: Outcome::Answer {
            table: &table,
            prefixes: &prefixes,
        },
    })?)
}

/// The same request in every other syntax of its answer, as `?format=` links: a link
/// followed in a browser carries the browser's `Accept`, which would get this page again.
fn links(endpoint: &str, protocol: &Protocol, kind: AnswerKind) -> Vec<FormatLink> {
    Syntax::offers(kind)
        .iter()
        .filter(|s| **s != Syntax::Page)
        .map(|syntax| {
            let mut url = form_urlencoded::Serializer::new(format!("{endpoint}?"));
            url.append_pair("query", &protocol.query);
            for graph in &protocol.default_graphs {
                url.append_pair("default-graph-uri", graph.as_str());
            }
            for graph in &protocol.named_graphs {
                url.append_pair("named-graph-uri", graph.as_str());
            }
            url.append_pair("format", syntax.format_name());
            FormatLink {
                label: syntax.label(),
                href: url.finish(),
                media_type: syntax.media_type(),
            }
        })
        .collect()
}

/// A failed query's page, with the error's status; the editor keeps the query from the
/// URL, where the page's form puts it. Errors that are not the query's (credentials,
/// methods) are answered as usual, with their headers.
pub(super) fn failed(
    request: &HttpRequest,
    state: &AppState,
    error: HttpError,
) -> Result<HttpResponse, HttpError> {
    if matches!(
        error,
        HttpError::Unauthorized | HttpError::Forbidden(_) | HttpError::MethodNotAllowed { .. }
    ) {
        return Err(error);
    }
    let query = super::respond::query_parameter(request, "query")
        .ok()
        .flatten();
    let endpoint = state.store.base().join("sparql");
    let page = state.pages.query(&QueryPage {
        base: state.store.base().as_str(),
        endpoint: endpoint.as_str(),
        query: query.as_deref(),
        formats: Vec::new(),
        outcome: Outcome::Failed(error.detail()),
    })?;
    Ok(HttpResponse::build(error.status_code())
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(Representation::Html.content_type()),
        ))
        .insert_header((header::VARY, HeaderValue::from_static("Accept")))
        .body(page))
}
