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
            Family::Json => Self::Json(nesting::JsonScanner::new(limits.max_nesting)),
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
