//! What a SPARQL Protocol request asks for, read from its URL and body: the query or
//! update operation with its dataset parameters (§2.1–2.2), or a clear refusal.

use crate::http::errors::HttpError;
use crate::store::UsingDataset;
use actix_web::http::Method;
use actix_web::http::header;
use actix_web::{HttpRequest, web};
use oxigraph::model::NamedNode;

/// The protocol parameters of one query request.
pub(super) struct Protocol {
    pub(super) query: String,
    pub(super) default_graphs: Vec<NamedNode>,
    pub(super) named_graphs: Vec<NamedNode>,
    /// `?format=`, which overrides `Accept` where a browser sends its own (see [`pick`]).
    pub(super) format: Option<String>,
    /// The language of the page, when the answer is one.
    pub(super) language: &'static str,
    /// Who is signed in, named in the page's header.
    pub(super) visitor: Option<Box<crate::html::Visitor>>,
}

/// What a request asks for: the query operation or the update operation.
pub(super) enum Operation {
    Query(Protocol),
    Update(String, UsingDataset),
}

/// The request's body, by its media type.
enum Body {
    /// GET, HEAD: parameters only in the URL.
    None,
    /// `application/x-www-form-urlencoded`: more parameters.
    Form(String),
    /// `application/sparql-query`.
    Query(String),
    /// `application/sparql-update`.
    Update(String),
}

/// Reads a POST body: only the Protocol's three media types, only in UTF-8 (§2.1.2–2.2.2).
fn body(request: &HttpRequest, bytes: &[u8]) -> Result<Body, HttpError> {
    if request.method() != Method::POST {
        return Ok(Body::None);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            HttpError::UnsupportedMediaType(
                "untyped; give Content-Type application/x-www-form-urlencoded, application/sparql-query or application/sparql-update".into(),
            )
        })?;
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
            && !value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        {
            return Err(HttpError::UnsupportedMediaType(format!(
                "{} (SPARQL requests are read in UTF-8 only)",
                content_type.trim()
            )));
        }
    }
    let text = || {
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|e| HttpError::BadRequest(format!("the body is not UTF-8: {e}")))
    };
    match media_type.as_str() {
        "application/x-www-form-urlencoded" => Ok(Body::Form(text()?)),
        "application/sparql-query" => Ok(Body::Query(text()?)),
        "application/sparql-update" => Ok(Body::Update(text()?)),
        _ => Err(HttpError::UnsupportedMediaType(media_type)),
    }
}

/// Reads the protocol parameters from the URL and, for POST, the body. Each operation
/// takes only its own parameters; anything ambiguous is refused rather than guessed.
pub(super) fn operation(request: &HttpRequest, bytes: &[u8]) -> Result<Operation, HttpError> {
    let mut pairs = pairs(request.query_string())?;
    let mut query = None;
    let mut update = None;
    match body(request, bytes)? {
        Body::None => {}
        Body::Form(form) => pairs.extend(self::pairs(&form)?),
        Body::Query(text) => query = Some(text),
        Body::Update(text) => update = Some(text),
    }
    let mut default_graphs = Vec::new();
    let mut named_graphs = Vec::new();
    let mut using = UsingDataset::default();
    let mut format = None;
    for (name, value) in pairs {
        match name.as_str() {
            "query" | "update" if query.is_some() || update.is_some() => {
                return Err(HttpError::BadRequest(
                    "give one query or one update, once".into(),
                ));
            }
            "query" => query = Some(value),
            "update" if request.method() != Method::POST => {
                return Err(HttpError::BadRequest(
                    "updates are sent with POST, as a form or as application/sparql-update".into(),
                ));
            }
            "update" => update = Some(value),
            "default-graph-uri" => default_graphs.push(graph_iri(&value)?),
            "named-graph-uri" => named_graphs.push(graph_iri(&value)?),
            "using-graph-uri" => using.default_graphs.push(graph_iri(&value)?),
            "using-named-graph-uri" => using.named_graphs.push(graph_iri(&value)?),
            "format" => format = Some(value),
            _ => {}
        }
    }
    if let Some(update) = update {
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            return Err(HttpError::BadRequest(
                "default-graph-uri and named-graph-uri are for queries; updates take using-graph-uri and using-named-graph-uri".into(),
            ));
        }
        return Ok(Operation::Update(update, using));
    }
    if !using.default_graphs.is_empty() || !using.named_graphs.is_empty() {
        return Err(HttpError::BadRequest(
            "using-graph-uri and using-named-graph-uri are for updates; queries take default-graph-uri and named-graph-uri".into(),
        ));
    }
    let query = query.ok_or(HttpError::MissingQuery)?;
    Ok(Operation::Query(Protocol {
        query,
        default_graphs,
        named_graphs,
        format,
        language: crate::http::respond::preferred_language(request),
        visitor: crate::http::session::visitor(request).map(|v| Box::new(v.view())),
    }))
}

fn pairs(text: &str) -> Result<Vec<(String, String)>, HttpError> {
    web::Query::<Vec<(String, String)>>::from_query(text)
        .map(web::Query::into_inner)
        .map_err(|e| HttpError::BadRequest(format!("malformed parameters: {e}")))
}

fn graph_iri(value: &str) -> Result<NamedNode, HttpError> {
    NamedNode::new(value)
        .map_err(|e| HttpError::BadRequest(format!("invalid graph IRI {value:?}: {e}")))
}

/// A request that failed, with the query's parameters when they were read: a browser's
/// page shows the error under the editor that still holds the query.
pub(super) struct QueryFailure {
    pub(super) error: HttpError,
    /// Boxed: failures are rare, and every `Result` of the query path carries this size.
    pub(super) protocol: Option<Box<Protocol>>,
}

impl From<HttpError> for QueryFailure {
    fn from(error: HttpError) -> Self {
        Self {
            error,
            protocol: None,
        }
    }
}

impl QueryFailure {
    pub(super) fn of(error: HttpError, protocol: Protocol) -> Self {
        Self {
            error,
            protocol: Some(Box::new(protocol)),
        }
    }
}
