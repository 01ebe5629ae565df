//! Limits on what input from outside may ask of the server: how deep it nests, how far XML
//! entities expand, how many triples a body makes and how long one literal is.
//!
//! A stack overflow aborts the process and cannot be caught, and an allocation that fails
//! aborts it too: a recursive parser must never see input nested deeper than it can
//! take, and a document must never be expanded past a budget. So input is scanned
//! *before* a parser sees it ([`check`], or [`Guarded`] for a stream): the scanners here
//! are loops over bytes with a counter, never recursive, and they stop at the first
//! violation with its position. The same limits guard every entry point: SPARQL queries
//! and updates, API bodies, harvested pages, `passerelle load` and `validate`.

mod budget;
mod nesting;
mod reader;
mod xml;

pub use budget::Budget;
pub use reader::{Guarded, input_error};

/// The limits, from the settings (`docs/decisions.md`, issue 26, says why these values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of brackets (SPARQL, Turtle family), arrays and objects (JSON),
    /// or elements (XML).
    pub max_nesting: usize,
    /// Most triples one API body or one harvested page may make.
    pub max_triples_per_body: usize,
    /// Longest literal (its lexical form, in bytes) or IRI one input may hold.
    pub max_literal_bytes: usize,
    /// Most bytes the custom entities of one XML document may expand to, in all.
    pub max_entity_expansion: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_nesting: 256,
            max_triples_per_body: 250_000,
            max_literal_bytes: 1024 * 1024,
            max_entity_expansion: 1024 * 1024,
        }
    }
}

/// The deepest JSON read, whatever `max_nesting` says: oxjsonld takes some 2.5 KiB of stack
/// per level of nested node objects, and bodies and pages are parsed on threads of 2 MiB
/// (HTTP workers, the blocking pool). 128 levels take a quarter of that at most (measured
/// in the tests below); serde_json, which reads the plain JSON model first, stops at 128
/// too.
pub const MAX_JSON_NESTING: usize = 128;

/// Where in the input, counted from 1 (columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

/// Input refused by a limit. The messages name the limit, so a client knows what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Brackets, JSON arrays/objects or XML elements nested deeper than the limit.
    #[error(
        "nested more than {limit} levels deep at line {}, column {} (the server reads at most {limit} levels)",
        at.line, at.column
    )]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Where the nesting passed it.
        at: Position,
    },
    /// An XML entity that would expand the document past the budget.
    #[error(
        "the XML entity &{name}; at line {}, column {} would expand the document past {limit} bytes (the server expands at most {limit} bytes of entities per document)",
        at.line, at.column
    )]
    EntityExpansion {
        /// The entity's name.
        name: String,
        /// The budget.
        limit: usize,
        /// Where it was declared or referenced.
        at: Position,
    },
    /// An entity reference left open at the end of an XML attribute value: oxrdfxml joins a
    /// namespace's value to each name before expanding references, so `xmlns:e="x:&"`
    /// and `<e:big;1/>` would expand `&big;` in every name, past any count of references.
    #[error(
        "an XML entity reference is left open at the end of the attribute value at line {}, column {} (the server does not read references split between a namespace and a name)",
        at.line, at.column
    )]
    OpenReference {
        /// Where the value ends.
        at: Position,
    },
    /// An XML document type declaration too long or not understood; entities are only
    /// expanded when the server can measure them first.
    #[error("the XML document type declaration at line {}, column {} cannot be read: {reason}", at.line, at.column)]
    DocType {
        /// Why.
        reason: String,
        /// Where it starts.
        at: Position,
    },
    /// More triples than one body or page may make.
    #[error(
        "more than {limit} triples (the server reads at most {limit} triples per request body or harvested page)"
    )]
    TooManyTriples {
        /// The limit.
        limit: usize,
    },
    /// A literal or IRI longer than the limit.
    #[error("a {what} of {size} bytes (the server reads at most {limit} bytes per literal or IRI)")]
    TooLong {
        /// "literal" or "IRI".
        what: &'static str,
        /// Its length.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

impl InputError {
    /// Where in the input, for the errors that have a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            Self::TooDeep { at, .. }
            | Self::EntityExpansion { at, .. }
            | Self::OpenReference { at }
            | Self::DocType { at, .. } => Some(*at),
            Self::TooManyTriples { .. } | Self::TooLong { .. } => None,
        }
    }
}

/// The nesting rules of a syntax, for its scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// SPARQL and the Turtle family (Turtle, TriG, N-Triples, N-Quads, N3): `{ ( [` and
    /// `<<`, outside strings, IRIs and comments.
    Sparql,
    /// JSON and JSON-LD: arrays and objects, outside strings.
    Json,
    /// XML (RDF/XML): elements; and the expansion of custom entities.
    Xml,
}

impl Family {
    /// The family of an RDF syntax.
    pub fn of(format: oxigraph::io::RdfFormat) -> Self {
        use oxigraph::io::RdfFormat;
        match format {
            RdfFormat::JsonLd { .. } => Self::Json,
            RdfFormat::RdfXml => Self::Xml,
            _ => Self::Sparql,
        }
    }
}

/// Checks a whole input held in memory.
pub fn check(input: &[u8], family: Family, limits: &Limits) -> Result<(), InputError> {
    let mut scanner = Scanner::new(family, limits);
    scanner.feed(input)?;
    scanner.finish()
}

/// A scanner of one input, fed in pieces as they arrive.
pub enum Scanner {
    /// See [`Family::Sparql`].
    Sparql(nesting::SparqlScanner),
    /// See [`Family::Json`].
    Json(nesting::JsonScanner),
    /// See [`Family::Xml`].
    Xml(Box<xml::XmlScanner>),
}

impl Scanner {
    /// A scanner for `family` under `limits`.
    pub fn new(family: Family, limits: &Limits) -> Self {
        match family {
            Family::Sparql => Self::Sparql(nesting::SparqlScanner::new(limits.max_nesting)),
            Family::Json => Self::Json(nesting::JsonScanner::new(
                limits.max_nesting.min(MAX_JSON_NESTING),
            )),
            Family::Xml => Self::Xml(Box::new(xml::XmlScanner::new(limits))),
        }
    }

    /// Scans the next piece of input.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        match self {
            Self::Sparql(s) => s.feed(bytes),
            Self::Json(s) => s.feed(bytes),
            Self::Xml(s) => s.feed(bytes),
        }
    }

    /// The input ended.
    pub fn finish(&mut self) -> Result<(), InputError> {
        match self {
            Self::Sparql(_) | Self::Json(_) => Ok(()),
            Self::Xml(s) => s.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::MAX_NESTING_SUPPORTED;
    use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};

    /// Bodies and pages are parsed on threads of 2 MiB (HTTP workers, the blocking pool):
    /// each syntax, nested as deep as the scan lets through at the highest limit allowed
    /// (JSON: [`MAX_JSON_NESTING`](super::MAX_JSON_NESTING)), parses in a quarter of that.
    #[test]
    fn every_syntax_parses_the_deepest_nesting_allowed_in_a_quarter_of_a_worker_stack() {
        let depth = MAX_NESTING_SUPPORTED - 1;
        let json = super::MAX_JSON_NESTING - 1;
        let p = "<http://example.org/p>";
        let documents = [
            (
                RdfFormat::Turtle,
                format!(
                    "<http://example.org/s> {p} {}1{} .",
                    format!("[ {p} ").repeat(depth),
                    " ]".repeat(depth)
                ),
            ),
            (
                RdfFormat::Turtle,
                format!(
                    "<http://example.org/s> {p} {}1{} .",
                    "( ".repeat(depth),
                    " )".repeat(depth)
                ),
            ),
            (
                RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::default(),
                },
                format!(
                    r#"{{"@id": "http://example.org/s", {}"http://example.org/p": "bottom"{}}}"#,
                    r#""http://example.org/p": {"#.repeat(json),
                    "}".repeat(json)
                ),
            ),
            (
                RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::default(),
                },
                format!(
                    r#"{{"@id": "http://example.org/s", "http://example.org/p": {}1{}}}"#,
                    "[".repeat(json - 1),
                    "]".repeat(json - 1)
                ),
            ),
            (
                RdfFormat::RdfXml,
                format!(
                    r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">{}{}</rdf:RDF>"#,
                    r#"<rdf:Description rdf:about="http://example.org/s"><e:p>"#
                        .repeat((depth - 1) / 2),
                    "</e:p></rdf:Description>".repeat((depth - 1) / 2)
                ),
            ),
        ];
        for (format, document) in documents {
            let limits = super::Limits {
                max_nesting: MAX_NESTING_SUPPORTED,
                ..super::Limits::default()
            };
            super::check(document.as_bytes(), super::Family::of(format), &limits)
                .unwrap_or_else(|e| panic!("{format}: {e}"));
            std::thread::Builder::new()
                .stack_size(512 * 1024)
                .spawn(move || {
                    let parser = RdfParser::from_format(format);
                    for quad in parser.for_slice(document.as_bytes()) {
                        // A syntax error is fine: what matters is that the parser returns.
                        if quad.is_err() {
                            break;
                        }
                    }
                })
                .unwrap()
                .join()
                .unwrap();
        }
    }
}
