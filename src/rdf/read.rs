//! Reading RDF that a client sends: the syntax its media type names (or the plain JSON
//! model, which is JSON-LD under our context), scanned for nesting and entity expansion
//! before any parser sees it, and counted against the body's budget as it is parsed.
//! What a parser says goes back with its line and column.

use crate::limits::{Budget, Family, InputError, Limits};
use crate::model::ResourceKind;
use oxigraph::io::{
    JsonLdProfile, JsonLdProfileSet, LoadedDocument, RdfFormat, RdfParseError, RdfParser,
};
use oxigraph::model::{Graph, NamedNode};
use std::borrow::Cow;

/// Why a body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A media type we do not read here (the sentence says what we do read).
    #[error("cannot read a {0} body here")]
    MediaType(String),
    /// A syntax error, with 1-based line and column (0 when the parser gives none).
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// Line of the error.
        line: u64,
        /// Column of the error.
        column: u64,
        /// The parser's message, without the position.
        message: String,
    },
    /// Nested too deep, expanding too far, or too large (see [`crate::limits`]).
    #[error(transparent)]
    Limit(InputError),
    /// The input could not be read.
    #[error("cannot read the input: {0}")]
    Io(#[source] std::io::Error),
    /// The IRI relative ones resolve against is not one.
    #[error("{0}")]
    Base(String),
}

impl ReadError {
    /// What an RDF parser's error says, with 1-based line and column; a limit the guarded
    /// reader hit is reported as that limit.
    pub fn from_parse(error: RdfParseError) -> Self {
        match error {
            RdfParseError::Io(source) => match crate::limits::input_error(&source) {
                Some(error) => Self::Limit(error.clone()),
                None => Self::Io(source),
            },
            RdfParseError::Syntax(error) => {
                let (line, column) = error
                    .location()
                    .map_or((0, 0), |l| (l.start.line + 1, l.start.column + 1));
                // The parsers prefix their message with the position we already report.
                let message = error.to_string();
                let message = match message.strip_prefix("Parser error at ") {
                    Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m).to_owned(),
                    None => message,
                };
                Self::Syntax {
                    line,
                    column,
                    message,
                }
            }
        }
    }
}

/// A body's syntax, from its `Content-Type` (`""` when it has none): `None` for the plain
/// JSON model (`application/json`); [`ReadError::MediaType`] for anything we do not read.
pub fn body_format(content_type: &str) -> Result<Option<RdfFormat>, ReadError> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // Checked first: oxigraph reads `application/json` as JSON-LD without a context.
    if essence == "application/json" {
        return Ok(None);
    }
    match RdfFormat::from_media_type(&essence) {
        Some(
            format @ (RdfFormat::Turtle
            | RdfFormat::NTriples
            | RdfFormat::RdfXml
            | RdfFormat::JsonLd { .. }),
        ) => Ok(Some(format)),
        _ => Err(ReadError::MediaType(format!(
            "{} (send application/json, text/turtle, application/ld+json, application/n-triples or application/rdf+xml)",
            if essence.is_empty() {
                "Content-Type-less"
            } else {
                &essence
            }
        ))),
    }
}

/// Where a body is read: the IRI its relative IRIs resolve against, our JSON-LD context's
/// IRI (the one remote context a body may name), and the limits.
#[derive(Clone, Copy)]
pub struct BodyContext<'a> {
    /// Relative IRIs resolve against it.
    pub base: &'a NamedNode,
    /// `{catalog}context.jsonld`.
    pub our_context: &'a str,
    /// Nesting, triples and literal sizes.
    pub limits: &'a Limits,
}

/// The graph of a body in `format`, or of the plain JSON model of `kind` when `format` is
/// `None`.
///
/// JSON-LD may name our context by its IRI; no other remote context is fetched (the body
/// would make the server fetch anything).
pub fn read_body(
    body: &[u8],
    format: Option<RdfFormat>,
    kind: ResourceKind,
    context: BodyContext<'_>,
) -> Result<Graph, ReadError> {
    // Scanned before any parser sees it: nested too deep, or with XML entities expanding
    // too far, a body could exhaust the stack or the memory of the whole server.
    let family = format.map_or(Family::Json, Family::of);
    crate::limits::check(body, family, context.limits).map_err(ReadError::Limit)?;
    let (format, body) = match format {
        Some(format) => (format, Cow::Borrowed(body)),
        // The plain JSON model is JSON-LD under our context (see `model::json`).
        None => {
            let document = crate::model::json::json_ld_of(kind, body)
                .ok_or_else(|| {
                    ReadError::MediaType(format!(
                        "application/json (there is no JSON model of {}s; send RDF)",
                        kind.label()
                    ))
                })?
                .map_err(|e| ReadError::Syntax {
                    line: e.line() as u64,
                    column: e.column() as u64,
                    message: e.to_string(),
                })?;
            let format = RdfFormat::JsonLd {
                profile: JsonLdProfileSet::default(),
            };
            (format, Cow::Owned(document))
        }
    };
    parse(&body, format, context)
}

/// The triples of `body`, counted against the body's budget as they are read.
fn parse(body: &[u8], format: RdfFormat, context: BodyContext<'_>) -> Result<Graph, ReadError> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(context.base.as_str())
        .map_err(|e| ReadError::Base(e.to_string()))?;
    let ours = context.our_context.to_owned();
    let loader = move |url: &str| {
        if url != ours {
            return Err(format!(
                "remote JSON-LD contexts are not fetched: put the context in the body, or name ours, {ours}"
            )
            .into());
        }
        Ok(LoadedDocument {
            url: ours.clone(),
            content: crate::model::json::CONTEXT.as_bytes().to_vec(),
            format: RdfFormat::JsonLd {
                profile: JsonLdProfile::Context.into(),
            },
        })
    };
    let mut graph = Graph::new();
    let mut budget = Budget::per_body(context.limits);
    for triple in parser.for_slice(body).with_document_loader(loader) {
        let quad = triple.map_err(|e| ReadError::from_parse(e.into()))?;
        budget.admit(quad.as_ref()).map_err(ReadError::Limit)?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}
