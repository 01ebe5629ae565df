//! The one place where errors become HTTP statuses, with an RFC 9457 problem body.

use crate::edit::EditError;
use crate::exports::Profile;
use crate::harvest::SourceError;
use crate::limits::InputError;
use crate::rdf::ReadError;
use crate::store::StoreError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// What a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No resource at this IRI.
    #[error("no {kind} with id {id:?} in this catalog")]
    NotFound {
        /// What was asked for (dataset, agent...).
        kind: &'static str,
        /// The id from the URL.
        id: String,
    },
    /// No route for this path.
    #[error("nothing is published at {0}")]
    NoRoute(String),
    /// None of the media types we can answer with fits the `Accept` header.
    #[error("none of the available media types is acceptable: {}", .0.join(", "))]
    NotAcceptable(Vec<&'static str>),
    /// A request we cannot read (a malformed parameter, an invalid IRI).
    #[error("{0}")]
    BadRequest(String),
    /// A SPARQL request without a query.
    #[error("no query: give one in the `query` parameter or as an application/sparql-query body")]
    MissingQuery,
    /// A body or query over the configured size.
    #[error("too large: {0}")]
    PayloadTooLarge(String),
    /// A body that did not arrive within `body-timeout`.
    #[error("the request body did not arrive within {0} seconds")]
    BodyTimeout(u64),
    /// A write without credentials.
    #[error("this needs a bearer token (Authorization: Bearer ...)")]
    Unauthorized,
    /// A write with credentials that do not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// A body in a media type this resource does not read.
    #[error("cannot read a {0} body here")]
    UnsupportedMediaType(String),
    /// `?format=` names a format we do not have.
    #[error("unknown format {given:?}; use one of: {}", .offered.join(", "))]
    UnknownFormat {
        /// The parameter's value.
        given: String,
        /// The media types we could serve.
        offered: Vec<&'static str>,
    },
    /// No profile the request asks for (`Accept-Profile`, `?_profile=`) can be served.
    #[error("none of the profiles asked for is available here; these are: {}", profiles(.0))]
    NoProfile(Vec<Profile>),
    /// The resource exists but does not take this method.
    #[error("{method} is not allowed here; use {allow}")]
    MethodNotAllowed {
        /// The method of the request.
        method: String,
        /// What the resource takes, for the `Allow` header.
        allow: &'static str,
    },
    /// The store failed, or refused a query (its message is shown only for client errors).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The health check could not read the store.
    #[error("the store does not answer")]
    Unhealthy(StoreError),
    /// A page template failed (a defect in our templates).
    #[error("page rendering failure")]
    Page(#[from] crate::html::PageError),
    /// An RDF serializer refused the description.
    #[error("serialization failure")]
    Serialize(#[source] std::io::Error),
    /// The request contradicts the resource's state.
    #[error("{0}")]
    Conflict(String),
    /// The resource was deleted; a tombstone says so.
    #[error("the {kind} {id:?} was withdrawn from this catalog")]
    Gone {
        /// What was asked for.
        kind: &'static str,
        /// The id from the URL.
        id: String,
    },
    /// A change or deletion without `If-Match`.
    #[error(
        "send If-Match with the ETag of the record as you last read it, so that nobody's change is overwritten"
    )]
    PreconditionRequired,
    /// `If-Match` names a version that is not the current one.
    #[error(
        "the record changed since you read it (If-Match {given}); read it again and redo your change"
    )]
    PreconditionFailed {
        /// The tag given.
        given: String,
    },
    /// The record breaks the application profile.
    #[error("the record does not conform to the application profile: {}", summary(.0))]
    Invalid(crate::validate::Report),
    /// The validator could not run (a defect in the profile or the engine).
    #[error("validation failure")]
    Validation(#[source] crate::validate::ValidateError),
    /// The token file could not be read.
    #[error("access control failure")]
    Access(#[source] crate::access::AccessError),
    /// The blocking pool is gone (shutting down).
    #[error("the server is shutting down")]
    Unavailable,
    /// The query threads are all taken (by slow readers, or a rush of costly queries).
    #[error("the server runs as many queries as it may ({0}); try again in a moment")]
    QueriesFull(usize),
    /// The client already has as many queries running as it may.
    #[error("you already have {0} queries running, as many as one client may; wait for one to end")]
    TooManyQueries(usize),
    /// This address posted as often as anyone may in an hour; it may again in so many
    /// seconds.
    #[error("you have posted as often as one may in an hour; try again in {0} seconds")]
    TooManyPosts(u64),
    /// A harvest source is invalid or exists, or the harvester's documents failed.
    #[error(transparent)]
    Harvest(#[from] crate::harvest::SourceError),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The search index is being built from the store and holds nothing usable yet.
    #[error("the search index is being built; try again in a few seconds")]
    Indexing,
    /// The metrics could not be written (a defect).
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    /// A backup could not be made.
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
}

/// A reading of the store for the metrics failed as the part it read fails.
impl From<crate::metrics::readings::ReadingError> for HttpError {
    fn from(error: crate::metrics::readings::ReadingError) -> Self {
        use crate::metrics::readings::ReadingError;
        match error {
            ReadingError::Store(error) => Self::Store(error),
            ReadingError::Harvest(error) => Self::Harvest(error),
            ReadingError::Search(error) => Self::Search(error),
        }
    }
}

/// A body that could not be read: a media type we do not read is 415; what its parser
/// or the limits say is told as for any input, with its position (as "body").
impl From<ReadError> for HttpError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::MediaType(media_type) => Self::UnsupportedMediaType(media_type),
            ReadError::Base(message) => Self::BadRequest(message),
            other => Self::Store(StoreError::read("body", other)),
        }
    }
}

/// The write workflow's refusals, as the API states them.
impl From<EditError> for HttpError {
    fn from(error: EditError) -> Self {
        match error {
            EditError::Store(error) => Self::Store(error),
            EditError::Read(error) => error.into(),
            EditError::NotFound { kind, id } => Self::NotFound { kind, id },
            EditError::Gone { kind, id } => Self::Gone { kind, id },
            refused @ EditError::Refused { .. } => Self::Forbidden(refused.to_string()),
            EditError::Conflict(message) => Self::Conflict(message),
            EditError::BadRequest(message) => Self::BadRequest(message),
            EditError::VersionRequired => Self::PreconditionRequired,
            EditError::VersionStale { given } => Self::PreconditionFailed { given },
            EditError::NonConformant(report) => Self::Invalid(report),
            EditError::Validation(error) => Self::Validation(error),
        }
    }
}

/// Input nested too deep or expanding too far is malformed for us (400); input that is
/// merely too big is 413, like a body over the size limit.
const fn limit_status(error: &InputError) -> StatusCode {
    match error {
        InputError::TooDeep { .. }
        | InputError::EntityExpansion { .. }
        | InputError::OpenReference { .. }
        | InputError::DocType { .. } => StatusCode::BAD_REQUEST,
        InputError::TooManyTriples { .. } | InputError::TooLong { .. } => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
    }
}

/// The problem type of each limit, for clients that act on it.
const fn limit_code(error: &InputError) -> &'static str {
    match error {
        InputError::TooDeep { .. } => "too-deep",
        InputError::EntityExpansion { .. } | InputError::OpenReference { .. } => "entity-expansion",
        InputError::DocType { .. } => "doctype",
        InputError::TooManyTriples { .. } | InputError::TooLong { .. } => "too-large",
    }
}

fn summary(report: &crate::validate::Report) -> String {
    report
        .violations
        .iter()
        .map(|v| v.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn profiles(offered: &[Profile]) -> String {
    offered
        .iter()
        .map(|p| format!("<{}> ({})", p.uri(), p.token()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl HttpError {
    /// What the client is told. Server faults are logged here with their cause, and the
    /// client gets a safe sentence; a query stopped at its time limit is no fault of
    /// ours, and says so.
    pub fn detail(&self) -> String {
        match self {
            Self::Store(StoreError::QueryCancelled | StoreError::QueryOverMemory) => {
                self.to_string()
            }
            _ if self.status_code().is_server_error() => {
                tracing::error!(error = ?self, "request failed");
                "The server failed to answer; the failure is logged.".to_owned()
            }
            _ => self.to_string(),
        }
    }

    /// A stable, machine-readable code for the problem `type`.
    const fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } | Self::NoRoute(_) => "not-found",
            Self::NotAcceptable(_) | Self::NoProfile(_) => "not-acceptable",
            Self::BadRequest(_) | Self::MissingQuery => "bad-request",
            Self::UnsupportedMediaType(_) => "unsupported-media-type",
            Self::Unauthorized => "unauthorized",
            Self::PayloadTooLarge(_) => "too-large",
            Self::BodyTimeout(_) => "body-timeout",
            Self::Forbidden(_) => "forbidden",
            Self::Store(StoreError::Update(_)) => "update-failed",
            Self::UnknownFormat { .. } => "unknown-format",
            Self::MethodNotAllowed { .. } => "method-not-allowed",
            Self::Unhealthy(_) => "unhealthy",
            Self::Store(StoreError::QuerySyntax(_)) => "query-syntax",
            Self::Store(StoreError::DatasetConflict) => "dataset-conflict",
            Self::Store(StoreError::Query(_)) => "query-failed",
            Self::Store(StoreError::QueryCancelled) => "query-timeout",
            Self::Store(StoreError::QueryOverMemory) => "query-memory",
            Self::Store(StoreError::Limit { error, .. }) => limit_code(error),
            Self::TooManyQueries(_) => "too-many-queries",
            Self::QueriesFull(_) => "server-busy",
            Self::TooManyPosts(_) => "too-many-posts",
            Self::Store(StoreError::Stale { .. }) => "precondition-failed",
            Self::Store(
                StoreError::Exists(_) | StoreError::WasWithdrawn(_) | StoreError::StillNamed { .. },
            ) => "conflict",
            Self::Store(StoreError::NoRecord) => "not-found",
            Self::Store(StoreError::Syntax { .. }) => "syntax",
            Self::Store(_) => "store-failure",
            Self::Page(_) | Self::Serialize(_) => "render-failure",
            Self::Access(_) => "access-failure",
            Self::Validation(_) => "validation-failure",
            Self::Gone { .. } => "gone",
            Self::Conflict(_) => "conflict",
            Self::PreconditionRequired => "precondition-required",
            Self::PreconditionFailed { .. } => "precondition-failed",
            Self::Invalid(_) => "invalid-record",
            Self::Unavailable => "unavailable",
            Self::Harvest(
                SourceError::BadName(_)
                | SourceError::BadUrl(_)
                | SourceError::BadInterval(_)
                | SourceError::BadLimit(_)
                | SourceError::Inside(_),
            ) => "bad-request",
            Self::Harvest(SourceError::Exists(_) | SourceError::SameUrl { .. }) => "conflict",
            Self::Harvest(_) => "store-failure",
            Self::Search(_) => "search-failure",
            Self::Indexing => "search-indexing",
            Self::Metrics(_) => "metrics-failure",
            Self::Backup(_) => "backup-failed",
        }
    }
}

impl ResponseError for HttpError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound { .. } | Self::NoRoute(_) => StatusCode::NOT_FOUND,
            Self::NotAcceptable(_) | Self::NoProfile(_) => StatusCode::NOT_ACCEPTABLE,
            Self::BadRequest(_) | Self::MissingQuery => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Store(
                StoreError::QuerySyntax(_)
                | StoreError::Query(_)
                | StoreError::Update(_)
                | StoreError::DatasetConflict,
            ) => StatusCode::BAD_REQUEST,
            Self::Store(StoreError::QueryCancelled | StoreError::QueryOverMemory) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Store(StoreError::Limit { error, .. }) => limit_status(error),
            Self::TooManyQueries(_) | Self::TooManyPosts(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Store(StoreError::Syntax { .. }) => StatusCode::BAD_REQUEST,
            Self::Store(
                StoreError::Exists(_) | StoreError::WasWithdrawn(_) | StoreError::StillNamed { .. },
            ) => StatusCode::CONFLICT,
            Self::Store(StoreError::NoRecord) => StatusCode::NOT_FOUND,
            Self::Store(StoreError::Stale { .. }) | Self::PreconditionFailed { .. } => {
                StatusCode::PRECONDITION_FAILED
            }
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::Gone { .. } => StatusCode::GONE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnknownFormat { .. } => StatusCode::BAD_REQUEST,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Store(_)
            | Self::Page(_)
            | Self::Serialize(_)
            | Self::Access(_)
            | Self::Search(_)
            | Self::Metrics(_)
            | Self::Backup(_)
            | Self::Validation(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable | Self::Unhealthy(_) | Self::Indexing | Self::QueriesFull(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Harvest(
                SourceError::BadName(_)
                | SourceError::BadUrl(_)
                | SourceError::BadInterval(_)
                | SourceError::BadLimit(_)
                | SourceError::Inside(_),
            ) => StatusCode::BAD_REQUEST,
            Self::Harvest(SourceError::Exists(_) | SourceError::SameUrl { .. }) => {
                StatusCode::CONFLICT
            }
            Self::Harvest(SourceError::Store(_) | SourceError::Document { .. }) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let problem = self.problem(status);
        let mut response = HttpResponse::build(status);
        match self {
            Self::MethodNotAllowed { allow, .. } => {
                response.insert_header((header::ALLOW, HeaderValue::from_static(allow)));
            }
            Self::Unauthorized => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            Self::TooManyQueries(_) | Self::QueriesFull(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
            }
            Self::Unavailable => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
            }
            Self::TooManyPosts(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            Self::Indexing => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
            }
            _ => {}
        }
        response
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            ))
            .insert_header((header::VARY, HeaderValue::from_static("Accept")))
            .body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

/// An RFC 9457 problem document: the body of every error the server answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:passerelle:problem:{code}`: a stable code for clients to act on.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status's reason phrase.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, in words (for a server fault, only that it is logged).
    pub detail: String,
    /// The media types that can be served (`406`, or an unknown `?format=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available: Option<Vec<String>>,
    /// The profiles that can be served (`406` for `Accept-Profile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profiles: Option<Vec<ProfileOffer>>,
    /// The validation report of a record that breaks the application profile (`422`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<crate::validate::Report>,
    /// The line of a syntax error or of input past a limit (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Its column (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The parser's own message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A profile a resource can be served in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileOffer {
    /// Its IRI, as `Accept-Profile` names it.
    pub uri: String,
    /// Its token, as `?_profile=` names it.
    pub token: String,
    /// Its name.
    pub title: String,
}

impl HttpError {
    /// The problem document of this error, answered with `status`.
    fn problem(&self, status: StatusCode) -> Problem {
        let mut problem = Problem {
            kind: format!("urn:passerelle:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            available: None,
            profiles: None,
            report: None,
            line: None,
            column: None,
            message: None,
        };
        let named = |types: &[&str]| Some(types.iter().map(|&t| t.to_owned()).collect());
        match self {
            Self::NotAcceptable(offered) | Self::UnknownFormat { offered, .. } => {
                problem.available = named(offered);
            }
            Self::NoProfile(offered) => {
                problem.profiles = Some(
                    offered
                        .iter()
                        .map(|p| ProfileOffer {
                            uri: p.uri().to_owned(),
                            token: p.token().to_owned(),
                            title: p.label().to_owned(),
                        })
                        .collect(),
                );
            }
            Self::Invalid(report) => problem.report = Some(report.clone()),
            Self::Store(StoreError::Syntax {
                line,
                column,
                message,
                ..
            }) => {
                (problem.line, problem.column) = (Some(*line), Some(*column));
                problem.message = Some(message.clone());
            }
            Self::Store(StoreError::Limit { error, .. }) => {
                if let Some(at) = error.position() {
                    (problem.line, problem.column) = (Some(at.line), Some(at.column));
                }
            }
            _ => {}
        }
        problem
    }
}
