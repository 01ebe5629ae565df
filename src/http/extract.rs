//! Typed extractors: what handlers take from a request, read once, in one place, with the
//! error each one answers. A handler's arguments say what it needs; their order is the
//! order in which a bad request is told what is wrong with it.

use super::AppState;
use super::auth::{principal, provenance};
use super::errors::HttpError;
use super::respond::{preferred_language, query_parameter, split_suffix};
use crate::access::Principal;
use crate::edit::{Asked, Incoming, Request, Writer};
use crate::model::{RecordId, RecordKind, ResourceKind};
use crate::rdf::Representation;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, web};
use std::future::{Future, Ready, ready};
use std::pin::Pin;

/// The application state of the request's app (always there: [`super::configure`] puts it).
fn state(request: &HttpRequest) -> Result<&web::Data<AppState>, HttpError> {
    request
        .app_data::<web::Data<AppState>>()
        .ok_or(HttpError::Unavailable)
}

/// The writer: a valid bearer token (401 without one, 403 with one nobody holds), and where
/// the write came from, for the history.
impl FromRequest for Writer {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(state(request).and_then(|state| {
            let who = principal(request, state)?;
            let by = provenance(request, &who);
            Ok(Self { who, by })
        }))
    }
}

/// A reader who may have a token: a writer sees their drafts; without a valid token, an
/// anonymous reader.
pub struct Reader(pub Option<Principal>);

impl FromRequest for Reader {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(state(request).map(|state| Self(principal(request, state).ok())))
    }
}

/// `If-Match`, as given (checked against the record by [`crate::edit::checked_version`]).
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    /// The header's value.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl FromRequest for IfMatch {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let given = request
            .headers()
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ready(Ok(Self(given)))
    }
}

/// A request body up to the configured size (413 past it), with its `Content-Type`.
pub struct Sent {
    bytes: Bytes,
    content_type: String,
}

impl Sent {
    /// The body for the write workflow.
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming {
            bytes: &self.bytes,
            content_type: &self.content_type,
        }
    }
}

impl FromRequest for Sent {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, HttpError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limits = state(request).map(|state| state.limits);
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let payload = web::Payload::from_request(request, payload);
        Box::pin(async move {
            let limits = limits?;
            let limit = limits.max_body;
            let bytes = payload
                .await
                .map_err(|_| HttpError::BadRequest("the request body could not be read".into()))?
                .to_bytes_limited(limit)
                .await
                .map_err(|_| {
                    HttpError::PayloadTooLarge(format!("bodies are limited to {limit} bytes"))
                })?
                .map_err(|e| super::deadline::failed(&e, limits.body_timeout))?;
            Ok(Self {
                bytes,
                content_type,
            })
        })
    }
}

/// What a write asks besides its body: `?status=draft|published` and `?embargo=` (an ISO
/// 8601 date or date-time; one already past publishes at once).
pub struct EditParams(pub Request);

impl FromRequest for EditParams {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(edit_params(request).map(Self))
    }
}

fn edit_params(request: &HttpRequest) -> Result<Request, HttpError> {
    let status = match query_parameter(request, "status")? {
        None => None,
        Some(value) => Some(Asked::parse(&value).ok_or_else(|| {
            HttpError::BadRequest(format!("status must be draft or published, not {value:?}"))
        })?),
    };
    let embargo = match query_parameter(request, "embargo")? {
        None => None,
        Some(value) => {
            let until = crate::model::time::parse_instant(&value).ok_or_else(|| {
                HttpError::BadRequest(format!(
                    "embargo must be an ISO 8601 date or date-time, not {value:?}"
                ))
            })?;
            (until > crate::model::time::now_millis()).then_some(until)
        }
    };
    Ok(Request { status, embargo })
}

/// The route's `{kind}` and `{id}` segments, percent-decoded (as `web::Path` decodes them).
#[derive(serde::Deserialize, Default)]
struct Segments {
    kind: Option<String>,
    id: Option<String>,
}

fn segments(request: &HttpRequest) -> Segments {
    web::Path::<Segments>::extract(request)
        .into_inner()
        .map(web::Path::into_inner)
        .unwrap_or_default()
}

/// The kind of record the write API writes at `{kind}` (datasets, data papers, agents):
/// no route for any other segment.
pub struct ApiKind(pub RecordKind);

impl FromRequest for ApiKind {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(api_kind(request, &segments(request)).map(Self))
    }
}

/// A record of the write API, `{kind}/{id}`: its kind (no route for any other) and its id
/// as given (the workflow says when it names no record).
pub struct ApiRecord {
    /// The kind of record.
    pub kind: RecordKind,
    /// The `{id}` segment.
    pub id: String,
}

impl FromRequest for ApiRecord {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let segments = segments(request);
        ready(api_kind(request, &segments).map(|kind| Self {
            kind,
            id: segments.id.unwrap_or_default(),
        }))
    }
}

/// The `{kind}` of a write API route, if it is one the API writes.
fn api_kind(request: &HttpRequest, segments: &Segments) -> Result<RecordKind, HttpError> {
    let segment = segments.kind.as_deref().unwrap_or_default();
    [
        RecordKind::Dataset,
        RecordKind::DataPaper,
        RecordKind::Agent,
    ]
    .into_iter()
    .find(|k| k.resource_kind().path_segment() == segment)
    .ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))
}

/// The `{id}` segment of the route, as given.
pub struct IdSegment(pub String);

impl FromRequest for IdSegment {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(segments(request).id.unwrap_or_default())))
    }
}

/// A record's path, `{base}{kind}/{id}[.ext]`: its kind (no route for an unknown one),
/// its id and the representation a suffix asks for (not found when either is invalid).
pub struct RecordPath {
    /// What it is.
    pub kind: ResourceKind,
    /// Its id.
    pub id: RecordId,
    /// `.ttl`, `.jsonld`...: the representation asked for, over `Accept`.
    pub suffix: Option<Representation>,
    /// The last segment as given, for messages.
    asked: String,
}

impl RecordPath {
    /// The last segment as given (`{id}[.ext]`).
    pub fn asked(&self) -> &str {
        &self.asked
    }

    /// Not found, for this path.
    pub fn not_found(&self) -> HttpError {
        HttpError::NotFound {
            kind: self.kind.label(),
            id: self.asked.clone(),
        }
    }
}

impl FromRequest for RecordPath {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(record_path(request))
    }
}

fn record_path(request: &HttpRequest) -> Result<RecordPath, HttpError> {
    let Segments { kind, id } = segments(request);
    let segment = kind.unwrap_or_default();
    let asked = id.unwrap_or_default();
    let kind = ResourceKind::ALL
        .into_iter()
        .find(|k| k.path_segment() == segment)
        .ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))?;
    let not_found = || HttpError::NotFound {
        kind: kind.label(),
        id: asked.clone(),
    };
    let (id, suffix) = split_suffix(&asked).ok_or_else(not_found)?;
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    Ok(RecordPath {
        kind,
        id,
        suffix,
        asked,
    })
}

/// The page language the reader prefers (`Accept-Language`), French or English.
pub struct Language(pub &'static str);

impl FromRequest for Language {
    type Error = HttpError;
    type Future = Ready<Result<Self, HttpError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(preferred_language(request))))
    }
}
