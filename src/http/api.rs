//! The write API: `POST {base}api/{kind}`, `PUT` and `DELETE {base}api/{kind}/{id}` for
//! datasets and agents, with bearer tokens, profile validation and `If-Match`.

use super::AppState;
use super::auth::principal;
use super::errors::HttpError;
use crate::access::Principal;
use crate::model::vocab::{RDF_TYPE, dcat, dct, foaf};
use crate::model::{BaseIri, RecordDraft, RecordId, RecordKind, split_into_records};
use crate::store::{CurrentRecord, Expect, Provenance, RecordState, StoreError, WrittenRecord};
use crate::validate::Report;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef,
};
use serde_json::json;

/// The record kinds the API writes, by their path segment.
fn kind_of(segment: &str) -> Option<RecordKind> {
    [RecordKind::Dataset, RecordKind::Agent]
        .into_iter()
        .find(|k| k.resource_kind().path_segment() == segment)
}

/// `POST {base}api/{kind}`: creates a record; `201 Created` with its IRI and ETag.
pub async fn create(
    request: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let kind = kind_of(&path).ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))?;
    let who = principal(&request, &state)?;
    let body = read_body(payload, &state).await?;
    let base = state.store.base().join(&format!("{}/", path.as_str()));
    let body = read_draft(&request, &body, kind, (&base, state.store.base()), None)?;
    authorize(&who, kind, &body.draft, None)?;
    let written = state
        .write(body, Expect::Absent, provenance(&request, &who))
        .await?;
    Ok(written_response(
        HttpResponse::Created(),
        &state,
        kind,
        &written.0,
        &written.1,
    ))
}

/// `PUT {base}api/{kind}/{id}`: replaces a record, if `If-Match` names its current version.
pub async fn replace(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment).ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))?;
    let who = principal(&request, &state)?;
    let body = read_body(payload, &state).await?;
    let (id, current) = current(&state, kind, &id).await?;
    let version = if_match(&request, &current)?;
    let base = state.store.base().resource(kind.resource_kind(), &id);
    let body = read_draft(
        &request,
        &body,
        kind,
        (&base, state.store.base()),
        Some(&current.topic),
    )?;
    authorize(&who, kind, &body.draft, Some(&current))?;
    let expect = Expect::Version { id, version };
    let written = state
        .write(body, expect, provenance(&request, &who))
        .await?;
    Ok(written_response(
        HttpResponse::Ok(),
        &state,
        kind,
        &written.0,
        &written.1,
    ))
}

/// `DELETE {base}api/{kind}/{id}`: deletes a record, if `If-Match` names its current
/// version; a dataset leaves a tombstone (`410 Gone` to readers, withdrawn in the feed).
pub async fn delete(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment).ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))?;
    let who = principal(&request, &state)?;
    let (id, current) = current(&state, kind, &id).await?;
    let version = if_match(&request, &current)?;
    if !who.may_write_for(owners(kind, &current.topic, &current.publishers)) {
        return Err(refused(&who, kind));
    }
    let store = state.store.clone();
    let by = provenance(&request, &who);
    web::block(move || store.delete_record(kind, &id, version, &by))
        .await
        .map_err(|_| HttpError::Unavailable)??;
    Ok(HttpResponse::NoContent().finish())
}

/// The request body, up to the configured limit (413 past it).
async fn read_body(payload: web::Payload, state: &AppState) -> Result<web::Bytes, HttpError> {
    let limit = state.limits.max_body;
    payload
        .to_bytes_limited(limit)
        .await
        .map_err(|_| HttpError::PayloadTooLarge(format!("bodies are limited to {limit} bytes")))?
        .map_err(|_| HttpError::BadRequest("the request body could not be read".into()))
}

impl AppState {
    /// Validates `draft` in the context of the store, then writes it if `expect` holds;
    /// on the blocking pool. Returns what was written and the warnings.
    async fn write(
        &self,
        body: Body,
        expect: Expect,
        by: Provenance,
    ) -> Result<(WrittenRecord, Report), HttpError> {
        let store = self.store.clone();
        let validator = self.validator.clone();
        web::block(move || {
            let Body { mut draft, mut extras } = body;
            // Triples about another record that the body made this one own (a publisher
            // described inline) are the other record's: checked like any other extra.
            let mut foreign = std::collections::HashSet::new();
            for triple in &draft.triples {
                if let NamedOrBlankNode::NamedNode(subject) = &triple.subject
                    && triple.subject != draft.topic
                    && !foreign.contains(subject)
                    && store.has_record(subject)?
                {
                    foreign.insert(subject.clone());
                }
            }
            let (theirs, own): (Vec<_>, Vec<_>) = std::mem::take(&mut draft.triples)
                .into_iter()
                .partition(|t| matches!(&t.subject, NamedOrBlankNode::NamedNode(s) if foreign.contains(s)));
            draft.triples = own;
            extras.extend(theirs);
            let context = store.in_context(&draft.triples)?;
            let unknown: Vec<String> = extras
                .iter()
                .filter(|t| !context.contains(*t))
                .map(|t| t.subject.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if !unknown.is_empty() {
                return Err(HttpError::BadRequest(format!(
                    "the body says things about other resources that the catalog does not: {}; write those records on their own",
                    unknown.join(", ")
                )));
            }
            let own: std::collections::HashSet<String> = draft
                .triples
                .iter()
                .filter_map(|t| match &t.subject {
                    NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                    NamedOrBlankNode::BlankNode(_) => None,
                })
                .collect();
            let report = validator
                .validate(&context)
                .map_err(HttpError::Validation)?
                .about(&own);
            if !report.conforms {
                return Err(HttpError::Invalid(report));
            }
            let written = store.write_record(draft, &expect, &by)?;
            Ok((written, report))
        })
        .await
        .map_err(|_| HttpError::Unavailable)?
    }
}

/// Who wrote, from where: the token's name and the client's address.
fn provenance(request: &HttpRequest, who: &Principal) -> Provenance {
    let from = request
        .peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string());
    Provenance {
        agent: who.name.clone(),
        source: format!("HTTP API from {from}"),
    }
}

/// The record `id` of `kind`: 404 when there is none, 410 when it was withdrawn.
async fn current(
    state: &AppState,
    kind: RecordKind,
    id: &str,
) -> Result<(RecordId, CurrentRecord), HttpError> {
    let not_found = || HttpError::NotFound {
        kind: kind.resource_kind().label(),
        id: id.to_owned(),
    };
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    let store = state.store.clone();
    let looked_up = id.clone();
    let found = web::block(move || store.record_state(kind, &looked_up))
        .await
        .map_err(|_| HttpError::Unavailable)??;
    match found {
        RecordState::Live(current) => Ok((id, current)),
        RecordState::Withdrawn => Err(HttpError::Gone {
            kind: kind.resource_kind().label(),
            id: id.as_str().to_owned(),
        }),
        RecordState::Missing => Err(not_found()),
    }
}

/// The version `If-Match` names: 428 without one, 412 unless it is `current`'s.
///
/// Every representation of a record carries an ETag `"v{version}-{hash}"`; any of them
/// (or the `"v{version}"` a write answers) stands for that version of the record.
fn if_match(request: &HttpRequest, current: &CurrentRecord) -> Result<i64, HttpError> {
    let given = request
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or(HttpError::PreconditionRequired)?;
    let matches = given
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || version_of(tag) == Some(current.version));
    if matches {
        Ok(current.version)
    } else {
        Err(HttpError::PreconditionFailed {
            given: given.to_owned(),
        })
    }
}

/// The record version in one of our entity tags (strong only: a weak tag cannot guard a
/// write, RFC 9110 §13.1.1).
fn version_of(tag: &str) -> Option<i64> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    let digits = inner.strip_prefix('v')?;
    let digits = digits.split_once('-').map_or(digits, |(v, _)| v);
    digits.parse().ok()
}

/// Parses the body and cuts the one record of `kind` out of it.
///
/// Relative IRIs resolve against `base` (`{base}datasets/` for a create, so `<my-id>` picks
/// the id; the record's own IRI for a replace, so `<>` is the record). A blank-node topic
/// of a replace becomes `topic`.
fn read_draft(
    request: &HttpRequest,
    body: &[u8],
    kind: RecordKind,
    (base, catalog_base): (&NamedNode, &BaseIri),
    topic: Option<&NamedNode>,
) -> Result<Body, HttpError> {
    let format = body_format(request)?;
    let parser = RdfParser::from_format(format)
        .with_base_iri(base.as_str())
        .map_err(|e| HttpError::BadRequest(e.to_string()))?;
    let mut graph = Graph::new();
    for triple in parser.for_slice(body) {
        let quad =
            triple.map_err(|e| HttpError::Store(StoreError::from_parse("body", e.into())))?;
        graph.insert(quad.as_ref());
    }
    let split = split_into_records(&graph, catalog_base);
    let (mut mine, others): (Vec<_>, Vec<_>) =
        split.records.into_iter().partition(|r| r.kind == kind);
    let (Some(mut draft), None) = (mine.pop(), mine.pop()) else {
        return Err(HttpError::BadRequest(format!(
            "the body must describe exactly one {} (typed {})",
            kind.resource_kind().label(),
            kind.class().as_str()
        )));
    };
    // What a GET of the record answers may be sent back as is: its catalog record (ours
    // to write) is dropped, and the types and labels of what it links to are checked
    // against the store's before the write.
    let managed = catalog_records_of(&graph, &draft.topic);
    let extras = others
        .into_iter()
        .flat_map(|r| r.triples)
        .chain(split.unassigned)
        .chain(split.catalog)
        .filter(|t| !managed.contains(&t.subject))
        .collect();
    if let (Some(topic), NamedOrBlankNode::BlankNode(blank)) = (topic, &draft.topic) {
        let blank = blank.clone();
        draft.triples = draft
            .triples
            .into_iter()
            .map(|t| rename_blank(t, &blank, topic))
            .collect();
        draft.topic = topic.clone().into();
    }
    Ok(Body { draft, extras })
}

/// A request body: the record to write, and what else it said.
struct Body {
    draft: RecordDraft,
    /// Triples about other resources; accepted only when the store says the same.
    extras: Vec<Triple>,
}

/// The catalog records in `graph` whose primary topic is `topic`, and what they link to
/// besides it (the profile they conform to): all of it ours to write.
fn catalog_records_of(graph: &Graph, topic: &NamedOrBlankNode) -> Vec<NamedOrBlankNode> {
    let records: Vec<_> = graph
        .subjects_for_predicate_object(foaf::PRIMARY_TOPIC, topic.as_ref())
        .filter(|s| graph.contains(TripleRef::new(*s, RDF_TYPE, dcat::CATALOG_RECORD)))
        .collect();
    let linked = records.iter().flat_map(|record| {
        graph
            .triples_for_subject(*record)
            .filter_map(|t| match t.object {
                TermRef::NamedNode(n) if t.predicate != RDF_TYPE => {
                    Some(NamedOrBlankNodeRef::from(n))
                }
                TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b)),
                _ => None,
            })
            .filter(|node| *node != topic.as_ref())
    });
    records
        .iter()
        .copied()
        .chain(linked)
        .map(NamedOrBlankNodeRef::into_owned)
        .collect()
}

fn rename_blank(triple: Triple, blank: &oxigraph::model::BlankNode, to: &NamedNode) -> Triple {
    let subject = match triple.subject {
        NamedOrBlankNode::BlankNode(b) if &b == blank => to.clone().into(),
        other => other,
    };
    let object = match triple.object {
        Term::BlankNode(b) if &b == blank => to.clone().into(),
        other => other,
    };
    Triple::new(subject, triple.predicate, object)
}

/// The RDF syntax of the body, from `Content-Type`; 415 for anything else.
fn body_format(request: &HttpRequest) -> Result<RdfFormat, HttpError> {
    let given = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match RdfFormat::from_media_type(&essence) {
        Some(
            format @ (RdfFormat::Turtle
            | RdfFormat::NTriples
            | RdfFormat::RdfXml
            | RdfFormat::JsonLd { .. }),
        ) => Ok(format),
        _ => Err(HttpError::UnsupportedMediaType(format!(
            "{} (send text/turtle, application/ld+json, application/n-triples or application/rdf+xml)",
            if essence.is_empty() {
                "Content-Type-less"
            } else {
                &essence
            }
        ))),
    }
}

/// Who owns a record, for editors' rights: a dataset's publishers, an agent itself.
fn owners<'a>(
    kind: RecordKind,
    topic: &'a NamedNode,
    publishers: &'a [String],
) -> Box<dyn Iterator<Item = &'a str> + 'a> {
    match kind {
        RecordKind::Agent => Box::new(std::iter::once(topic.as_str())),
        _ => Box::new(publishers.iter().map(String::as_str)),
    }
}

/// 403 unless `who` may write `draft`, and the record it replaces.
fn authorize(
    who: &Principal,
    kind: RecordKind,
    draft: &RecordDraft,
    current: Option<&CurrentRecord>,
) -> Result<(), HttpError> {
    if who.is_admin() {
        return Ok(());
    }
    let publishers: Vec<String> = draft
        .triples
        .iter()
        .filter(|t| t.subject == draft.topic && t.predicate == dct::PUBLISHER)
        .filter_map(|t| match &t.object {
            Term::NamedNode(p) => Some(p.as_str().to_owned()),
            _ => None,
        })
        .collect();
    let topic = match &draft.topic {
        NamedOrBlankNode::NamedNode(n) => Some(n.clone()),
        NamedOrBlankNode::BlankNode(_) => None,
    };
    let new_ok = match (kind, &topic) {
        (RecordKind::Agent, Some(topic)) => who.may_write_for(owners(kind, topic, &publishers)),
        (RecordKind::Agent, None) => false,
        _ => who.may_write_for(publishers.iter().map(String::as_str)),
    };
    let old_ok = current.is_none_or(|c| who.may_write_for(owners(kind, &c.topic, &c.publishers)));
    if new_ok && old_ok {
        Ok(())
    } else {
        Err(refused(who, kind))
    }
}

fn refused(who: &Principal, kind: RecordKind) -> HttpError {
    HttpError::Forbidden(format!(
        "token {:?} may only write {}s of its own publishers",
        who.name,
        kind.resource_kind().label()
    ))
}

/// `201`/`200` with the record's IRI, its new ETag and the validation warnings.
fn written_response(
    mut builder: actix_web::HttpResponseBuilder,
    state: &AppState,
    kind: RecordKind,
    written: &WrittenRecord,
    report: &Report,
) -> HttpResponse {
    let page = state
        .store
        .base()
        .resource(kind.resource_kind(), &written.id);
    let etag = format!("\"v{}\"", written.version);
    builder
        .insert_header((header::LOCATION, page.as_str()))
        .insert_header((header::ETAG, etag))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(
            json!({
                "id": written.id.as_str(),
                "iri": written.topic.as_str(),
                "page": page.as_str(),
                "version": written.version,
                "warnings": report.warnings,
            })
            .to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[test]
    fn versions_are_read_from_our_strong_tags_only() {
        assert_eq!(
            version_of("\"v1700000000123-abcdef\""),
            Some(1_700_000_000_123)
        );
        assert_eq!(version_of("\"v42\""), Some(42));
        assert_eq!(version_of("W/\"v42\""), None);
        assert_eq!(version_of("\"abcdef\""), None);
        assert_eq!(version_of("v42"), None);
    }
}
