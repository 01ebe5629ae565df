//! The SPARQL endpoint's answers for browsers (the page itself is `html::query`): a
//! query's answer as a table under the editor, with links to the same answer in each
//! syntax, and a failed query's error under the editor that still holds it.

use super::AppState;
use super::protocol::{Protocol, QueryFailure};
use super::syntax::{Syntax, answer_response, pick};
use crate::html::{Download, FormatLink, Outcome, QueryPage};
use crate::http::errors::HttpError;
use crate::rdf::Offer;
use crate::store::{Answer, AnswerKind};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use std::sync::LazyLock;

/// Rows of an answer shown on its page; its links give the whole answer.
const PAGE_ROWS: usize = 1000;

/// The longest query, URL-encoded, that the page links to in each syntax. Past it the
/// links would outgrow what servers and proxies take in a URL (8 kB is common), and each
/// repeats the query: the page offers one form that posts the query instead.
const LINKED_QUERY: usize = 2000;

/// Whether the client prefers the page to every syntax of any kind of answer, as a
/// browser does (or asks for it with `?format=html`).
fn wants_page(format: Option<&str>, accept: Option<&str>) -> bool {
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
    pick(format, accept, &EVERY_SYNTAX) == Some(Syntax::Page)
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
    let endpoint = state.store.base().sparql_endpoint();
    let shared = shared_url(endpoint.as_str(), protocol);
    let (formats, downloads) = links(&shared, kind);
    let here = if shared.len() > LINKED_QUERY {
        endpoint.as_str()
    } else {
        shared.as_str()
    };
    Ok(state.pages.query(&QueryPage {
        base: state.store.base().as_str(),
        language: protocol.language,
        here,
        endpoint: endpoint.as_str(),
        query: Some(&protocol.query),
        default_graphs: &protocol.default_graphs,
        named_graphs: &protocol.named_graphs,
        formats,
        downloads,
        outcome: Outcome::Answer {
            table: &table,
            prefixes: &prefixes,
        },
        visitor: protocol.visitor.as_deref(),
    })?)
}

/// The same request in every other syntax of its answer: `?format=` links, since a link
/// followed in a browser carries the browser's `Accept`, which would get this page again;
/// for a long query, the buttons of one form that posts it (see [`LINKED_QUERY`]).
fn links(request: &str, kind: AnswerKind) -> (Vec<FormatLink>, Vec<Download>) {
    let syntaxes = Syntax::offers(kind).iter().filter(|s| **s != Syntax::Page);
    if request.len() > LINKED_QUERY {
        let downloads = syntaxes
            .map(|syntax| Download {
                label: syntax.label(),
                format: syntax.format_name(),
            })
            .collect();
        return (Vec::new(), downloads);
    }
    let links = syntaxes
        .map(|syntax| FormatLink {
            label: syntax.label(),
            href: format!("{request}&format={}", syntax.format_name()),
            media_type: syntax.media_type(),
        })
        .collect();
    (links, Vec::new())
}

/// The query as a GET of the endpoint: a URL that runs it again.
fn shared_url(endpoint: &str, protocol: &Protocol) -> String {
    let start = endpoint.len() + 1;
    let mut request = form_urlencoded::Serializer::for_suffix(format!("{endpoint}?"), start);
    request.append_pair("query", &protocol.query);
    for graph in &protocol.default_graphs {
        request.append_pair("default-graph-uri", graph.as_str());
    }
    for graph in &protocol.named_graphs {
        request.append_pair("named-graph-uri", graph.as_str());
    }
    request.finish()
}

/// The answer to a failed request: for a browser, the page with the error under the
/// editor, which keeps the query (an empty editor when it could not be read); else, and
/// for errors that are not the query's (credentials), the problem with its headers.
pub(super) fn failed(
    request: &HttpRequest,
    state: &AppState,
    failure: QueryFailure,
) -> Result<HttpResponse, HttpError> {
    let QueryFailure { error, protocol } = failure;
    let from_url = |name| {
        crate::http::respond::query_parameter(request, name)
            .ok()
            .flatten()
    };
    let (sent, format) = match &protocol {
        Some(protocol) => (protocol.query.clone(), protocol.format.clone()),
        None => (from_url("query").unwrap_or_default(), from_url("format")),
    };
    if matches!(error, HttpError::Unauthorized | HttpError::Forbidden(_))
        || !wants_page(format.as_deref(), crate::http::respond::accept(request))
    {
        return Err(error);
    }
    let endpoint = state.store.base().sparql_endpoint();
    let (default_graphs, named_graphs) = protocol
        .as_ref()
        .map_or((&[][..], &[][..]), |p| (&p.default_graphs, &p.named_graphs));
    let visitor = crate::http::session::visitor(request).map(|v| v.view());
    let page = state.pages.query(&QueryPage {
        visitor: visitor.as_ref(),
        base: state.store.base().as_str(),
        language: crate::http::respond::preferred_language(request),
        here: endpoint.as_str(),
        endpoint: endpoint.as_str(),
        query: Some(&sent),
        default_graphs,
        named_graphs,
        formats: Vec::new(),
        downloads: Vec::new(),
        outcome: Outcome::Failed(error.detail()),
    })?;
    let mut response = answer_response(Syntax::Page);
    response.status(error.status_code());
    if let HttpError::TooManyQueries(_) | HttpError::QueriesFull(_) = error {
        // As the problem answer says it (`errors.rs`): a browser may retry in a second.
        response.insert_header((actix_web::http::header::RETRY_AFTER, "1"));
    }
    Ok(response.body(page))
}
