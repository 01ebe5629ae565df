//! The store layer's errors.

use oxigraph::store::StorageError;
use std::path::Path;

/// What can go wrong in the store layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (a running server, a load) holds the store.
    #[error("the store in {path} is locked by another process (is a server running on it?)")]
    Locked {
        /// The data directory.
        path: String,
    },
    /// RocksDB failed to open the store.
    #[error("cannot open the store in {path}: {source}")]
    Open {
        /// The data directory.
        path: String,
        /// The cause.
        source: StorageError,
    },
    /// A read or write failed.
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not valid RDF in its syntax.
    #[error("{}: {message}", locate(path, *line, *column))]
    Syntax {
        /// The file (or a description of the input).
        path: String,
        /// 1-based line of the error; 0 when the parser gives no position.
        line: u64,
        /// 1-based column of the error; 0 when the parser gives no position.
        column: u64,
        /// The parser's message.
        message: String,
    },
    /// The syntax of a file could not be guessed from its name.
    #[error("{0}: cannot tell the RDF syntax from the file name; pass --format")]
    UnknownFormat(String),
    /// A dump is restored into an empty store only.
    #[error("the store in {0} is not empty: a dump is restored into a new data directory")]
    NotEmpty(String),
    /// Dumps keep named graphs, so only dataset syntaxes fit.
    #[error("cannot dump the store as {0}: use N-Quads or TriG")]
    UnsupportedDumpFormat(String),
    /// A SPARQL query does not parse; the message gives the position.
    #[error("invalid SPARQL query: {0}")]
    QuerySyntax(String),
    /// A query failed while running.
    #[error("query evaluation failed: {0}")]
    Query(String),
    /// The Protocol's `using-graph-uri`/`using-named-graph-uri` given to an update that
    /// has its own `USING` or `WITH`: the Protocol forbids choosing between them.
    #[error(
        "the update names its dataset with USING or WITH; using-graph-uri and using-named-graph-uri cannot be added to it"
    )]
    DatasetConflict,
    /// A SPARQL Update failed; nothing of it was applied.
    #[error("update failed, nothing was changed: {0}")]
    Update(String),
    /// A query ran past its time limit and was stopped.
    #[error("the query was stopped: it ran past the time limit")]
    QueryCancelled,
    /// A query was stopped because the server's heap passed the budget for queries.
    #[error(
        "the query was stopped: it held more memory than the server allows queries; narrow it (more selective patterns, LIMIT in subqueries)"
    )]
    QueryOverMemory,
    /// Input refused by a limit: nested too deep, XML entities expanding too far, too many
    /// triples, a literal too long.
    #[error("{path}: {error}")]
    Limit {
        /// The file, or a description of the input.
        path: String,
        /// Which limit, and where.
        error: crate::limits::InputError,
    },
    /// Results could not be written (the client went away, or a serializer refused).
    #[error("cannot write the answer: {0}")]
    Output(#[source] std::io::Error),
    /// A SELECT/ASK answer was asked for as triples, or the reverse (a caller defect).
    #[error("this answer cannot be written in that syntax")]
    WrongAnswerKind,
    /// A write was based on a version of the record that is no longer the current one.
    #[error("the record changed since version {expected}; fetch it again and redo the change")]
    Stale {
        /// The version the writer saw.
        expected: i64,
    },
    /// A create named a resource that already has a record.
    #[error("{0} already has a record; change it with PUT on its API URL")]
    Exists(String),
    /// A create of a resource whose record was withdrawn: only an admin may bring it back.
    #[error("{0} was withdrawn; an admin may bring it back with POST")]
    WasWithdrawn(String),
    /// A deletion of an agent that other records still name (as publisher, creator...):
    /// they would point at nothing.
    #[error("{agent} is still named by {}; change those first", .by.join(", "))]
    StillNamed {
        /// The agent.
        agent: String,
        /// Resources that name it (at most a few).
        by: Vec<String>,
    },
    /// A change or deletion of a record that does not exist.
    #[error("no such record")]
    NoRecord,
    /// An input could not be read for a reason other than its syntax or size: a media type
    /// not read there, or a base IRI that relative IRIs cannot resolve against.
    #[error("{path}: {message}")]
    Unreadable {
        /// The input (a file, or "body").
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The bundled vocabularies or demo catalog do not parse: a build defect.
    #[error("bundled data {name} is invalid: {message}")]
    Bundled {
        /// The bundled file.
        name: &'static str,
        /// The parser's message.
        message: String,
    },
}

/// `path:line:column`, or `path` alone when the position is unknown.
fn locate(path: &str, line: u64, column: u64) -> String {
    if line == 0 {
        path.to_owned()
    } else {
        format!("{path}:{line}:{column}")
    }
}

impl StoreError {
    /// Classifies an error from `Store::open`: RocksDB reports a held lock as an I/O error
    /// whose message names the `LOCK` file.
    pub(crate) fn from_open(path: &Path, error: StorageError) -> Self {
        let path = path.display().to_string();
        // RocksDB: "While lock file: <dir>/LOCK: Resource temporarily unavailable", or
        // "lock hold by current process" when this process already has it open.
        let message = error.to_string();
        if message.contains("While lock file") || message.contains("lock hold by current process") {
            Self::Locked { path }
        } else {
            Self::Open {
                path,
                source: error,
            }
        }
    }

    /// A syntax error from an RDF parser, with 1-based line and column.
    pub(crate) fn from_parse(path: &str, error: oxigraph::io::RdfParseError) -> Self {
        Self::read(path, crate::rdf::ReadError::from_parse(error))
    }

    /// What could not be read from the input `path` (a file, or "body").
    pub fn read(path: &str, error: crate::rdf::ReadError) -> Self {
        use crate::rdf::ReadError;
        let path = path.to_owned();
        match error {
            ReadError::Syntax {
                line,
                column,
                message,
            } => Self::Syntax {
                path,
                line,
                column,
                message,
            },
            ReadError::Limit(error) => Self::Limit { path, error },
            ReadError::Io(source) => Self::Io { path, source },
            error @ (ReadError::MediaType(_) | ReadError::Base(_)) => Self::Unreadable {
                path,
                message: error.to_string(),
            },
        }
    }
}
