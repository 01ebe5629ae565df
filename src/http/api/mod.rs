//! The write API: `POST {base}api/{kind}`, `PUT` and `DELETE {base}api/{kind}/{id}` for
//! datasets and agents, with bearer tokens, profile validation and `If-Match`.

use super::AppState;
use super::auth::{principal, provenance};
use super::errors::HttpError;
use super::respond::query_parameter;
use crate::access::Principal;
use crate::limits::{Budget, Family};
use crate::model::vocab::{RDF_TYPE, dcat, foaf};
use crate::model::{BaseIri, RecordDraft, RecordId, RecordKind, ResourceKind, split_into_records};
use crate::store::{
    CatalogStore, CurrentRecord, Expect, Provenance, RecordState, StoreError, WrittenRecord,
};
use crate::validate::Report;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef,
};
use serde_json::json;

mod distributions;
pub use distributions::{
    create_distribution, delete_distribution, read_distribution, replace_distribution,
};

/// The record kind the API writes at `segment`; no route for others.
fn kind_of(request: &HttpRequest, segment: &str) -> Result<RecordKind, HttpError> {
    [
        RecordKind::Dataset,
        RecordKind::DataPaper,
        RecordKind::Agent,
    ]
    .into_iter()
    .find(|k| k.resource_kind().path_segment() == segment)
    .ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))
}

/// `POST {base}api/{kind}`: creates a record (`?status=draft`: a draft); `201 Created`
/// with its IRI and ETag.
pub async fn create(
    request: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let kind = kind_of(&request, &path)?;
    let who = principal(&request, &state)?;
    let status = status_parameter(&request)?;
    let body = read_body(payload, &state).await?;
    let base = state.store.base().join(&format!("{}/", path.as_str()));
    let body = read_draft(&request, &body, kind, (&base, &state.store), None)?;
    let embargo = embargo_parameter(&request)?;
    let (plan, status) = match (status, embargo) {
        (Some(Status::Draft), Some(_)) => return Err(embargo_is_for_publishing()),
        (Some(Status::Draft), None) => (
            Plan::Draft {
                replacing: None,
                embargo: None,
            },
            Status::Draft,
        ),
        (_, Some(until)) => (
            Plan::Draft {
                replacing: None,
                embargo: Some(until),
            },
            Status::Embargoed,
        ),
        // Admins may bring a withdrawn dataset back; its history goes on.
        (_, None) => (
            Plan::Create {
                revive: who.is_admin(),
            },
            Status::Published,
        ),
    };
    let by = provenance(&request, &who);
    let (written, report) = state.write(body, plan, (who, None), by).await?;
    Ok(written_response(
        HttpResponse::Created(),
        &state,
        kind,
        &written,
        &report,
        status,
    ))
}

/// `PUT {base}api/{kind}/{id}`: replaces a record, if `If-Match` names its current version;
/// `?status=published` publishes a draft.
pub async fn replace(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&request, &segment)?;
    let who = principal(&request, &state)?;
    let status = status_parameter(&request)?;
    let body = read_body(payload, &state).await?;
    let found = current(&state, &who, kind, &id).await?;
    let version = if_match(&request, &found.current)?;
    let base = state.store.base().resource(kind.resource_kind(), &found.id);
    let body = read_draft(
        &request,
        &body,
        kind,
        (&base, &state.store),
        Some(&found.current.topic),
    )?;
    let embargo = embargo_parameter(&request)?;
    let id = found.id;
    let (plan, status) = match (found.draft, status, embargo) {
        (false, Some(Status::Draft), _) | (false, _, Some(_)) => {
            return Err(HttpError::Conflict(
                "a published record cannot be hidden again (as a draft or under an embargo); DELETE withdraws it".into(),
            ));
        }
        (_, Some(Status::Draft), Some(_)) => return Err(embargo_is_for_publishing()),
        (false, _, None) => (Plan::Replace { id, version }, Status::Published),
        (true, _, Some(until)) => (
            Plan::Draft {
                replacing: Some((id, version)),
                embargo: Some(until),
            },
            Status::Embargoed,
        ),
        (true, Some(Status::Published), None) => (Plan::Publish { id, version }, Status::Published),
        // A new version of a draft keeps its embargo, unless it is made a plain draft.
        (true, status, None) => {
            let embargo = found.embargo.filter(|_| status.is_none());
            let status = if embargo.is_some() {
                Status::Embargoed
            } else {
                Status::Draft
            };
            (
                Plan::Draft {
                    replacing: Some((id, version)),
                    embargo,
                },
                status,
            )
        }
    };
    let by = provenance(&request, &who);
    let old_owners = Some(found.current.owners);
    let (written, report) = state.write(body, plan, (who, old_owners), by).await?;
    Ok(written_response(
        HttpResponse::Ok(),
        &state,
        kind,
        &written,
        &report,
        status,
    ))
}

/// `GET {base}context.jsonld`: our JSON-LD context, which JSON-LD bodies may name and which
/// defines the plain JSON model.
pub async fn context() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/ld+json"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .body(crate::model::json::CONTEXT)
}

/// `GET {base}api/{kind}/{id}`: the plain JSON model of a record, with the ETag that
/// `PUT` and `DELETE` take; a draft for its editors only.
pub async fn read(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&request, &segment)?;
    let not_found = || HttpError::NotFound {
        kind: kind.resource_kind().label(),
        id: id.clone(),
    };
    let record = RecordId::parse(&id).map_err(|_| not_found())?;
    let who = principal(&request, &state).ok();
    let store = state.store.clone();
    let asked = record.clone();
    let found = web::block(move || -> Result<_, StoreError> {
        if let Some(description) = store.describe(kind.resource_kind(), &record)? {
            let version = description.version.unwrap_or(0);
            return Ok(Some((description.topic, description.quads, version, None)));
        }
        Ok(store.draft(kind, &record)?.map(|(current, quads)| {
            let version = current.version;
            (current.topic.clone(), quads, version, Some(current))
        }))
    })
    .await
    .map_err(|_| HttpError::Unavailable)??;
    let Some((topic, quads, version, draft)) = found else {
        return Err(
            super::records::missing(&state, kind.resource_kind(), asked, not_found()).await,
        );
    };
    if let Some(current) = &draft {
        let allowed = who.as_ref().is_some_and(|w| owns(w, &current.owners));
        if !allowed {
            return Err(not_found());
        }
    }
    let graph: Graph = quads.iter().map(|q| TripleRef::from(q.as_ref())).collect();
    let model = crate::model::json::model_of(kind.resource_kind(), &graph, topic.as_ref().into())
        .unwrap_or_default();
    model_answer(&model, version, draft.is_some())
}

/// A JSON model with the ETag of its record's `version`; a draft's is for no shared cache.
fn model_answer(
    model: &serde_json::Value,
    version: i64,
    draft: bool,
) -> Result<HttpResponse, HttpError> {
    let body = serde_json::to_vec_pretty(model)
        .map_err(|e| HttpError::Serialize(std::io::Error::other(e)))?;
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, format!("\"v{version}\"")))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ));
    if draft {
        response.insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ));
    }
    Ok(response.body(body))
}

/// `DELETE {base}api/{kind}/{id}`: deletes a record, if `If-Match` names its current
/// version; a dataset leaves a tombstone (`410 Gone` to readers, withdrawn in the feed).
/// A draft just goes (it was never public).
pub async fn delete(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&request, &segment)?;
    let who = principal(&request, &state)?;
    let found = current(&state, &who, kind, &id).await?;
    if !owns(&who, &found.current.owners) {
        return Err(refused(&who, kind));
    }
    let version = if_match(&request, &found.current)?;
    let store = state.store.clone();
    let by = provenance(&request, &who);
    let (id, draft) = (found.id, found.draft);
    web::block(move || {
        if draft {
            store.delete_draft(kind, &id, version, &by)
        } else {
            store.delete_record(kind, &id, version, &by)
        }
    })
    .await
    .map_err(|_| HttpError::Unavailable)??;
    Ok(HttpResponse::NoContent().finish())
}

/// A record's publication status (`?status=` names the first two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Visible to its editors and admins only.
    Draft,
    /// Visible to everyone.
    Published,
    /// Published, but hidden like a draft until its embargo ends.
    Embargoed,
}

impl Status {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Embargoed => "embargoed",
        }
    }
}

fn embargo_is_for_publishing() -> HttpError {
    HttpError::BadRequest("an embargo holds back a published record; a draft has none".into())
}

/// `?embargo=` (an ISO 8601 date or date-time), if given and still ahead: the time before
/// which a published record stays hidden. One already past publishes at once.
fn embargo_parameter(request: &HttpRequest) -> Result<Option<i64>, HttpError> {
    let Some(value) = query_parameter(request, "embargo")? else {
        return Ok(None);
    };
    let until = super::catalog::parse_instant(&value).ok_or_else(|| {
        HttpError::BadRequest(format!(
            "embargo must be an ISO 8601 date or date-time, not {value:?}"
        ))
    })?;
    Ok((until > crate::store::now_millis()).then_some(until))
}

/// `?status=draft|published`, if given.
fn status_parameter(request: &HttpRequest) -> Result<Option<Status>, HttpError> {
    match query_parameter(request, "status")?.as_deref() {
        None => Ok(None),
        Some("draft") => Ok(Some(Status::Draft)),
        Some("published") => Ok(Some(Status::Published)),
        Some(value) => Err(HttpError::BadRequest(format!(
            "status must be draft or published, not {value:?}"
        ))),
    }
}

/// What a write does.
enum Plan {
    /// A new published record; with `revive`, possibly a withdrawn one back.
    Create { revive: bool },
    /// A new version of a published record.
    Replace { id: RecordId, version: i64 },
    /// A draft, new or replacing one; with an embargo, a published record held back
    /// until then (complete, like any published record).
    Draft {
        replacing: Option<(RecordId, i64)>,
        embargo: Option<i64>,
    },
    /// A draft, in a new version, made public.
    Publish { id: RecordId, version: i64 },
}

impl Plan {
    /// Drafts may be incomplete: their violations are reported, not refused.
    const fn blocks_on_violations(&self) -> bool {
        !matches!(self, Self::Draft { embargo: None, .. })
    }
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
    /// Checks that `who` may write the body's record (and the record it replaces, owned
    /// by `old_owners`), validates it in the context of the store, then writes it as
    /// `plan` says; on the blocking pool. Returns what was written and the validation
    /// report.
    async fn write(
        &self,
        body: Body,
        plan: Plan,
        (who, old_owners): (Principal, Option<Vec<String>>),
        by: Provenance,
    ) -> Result<(WrittenRecord, Report), HttpError> {
        let store = self.store.clone();
        let validator = self.validator.clone();
        web::block(move || {
            authorize(&store, &who, &body.draft, old_owners.as_deref())?;
            let own_graph = match &plan {
                Plan::Create { .. } => None,
                Plan::Draft { replacing, .. } => replacing
                    .as_ref()
                    .map(|(id, _)| store.base().record_graph(id)),
                Plan::Replace { id, .. } | Plan::Publish { id, .. } => {
                    Some(store.base().record_graph(id))
                }
            };
            // Replacing through the JSON model must not drop what it cannot say.
            if body.json
                && let Some(graph) = &own_graph
                && let Some(id) = store.base().local_id(crate::model::ResourceKind::Record, graph.as_str())
            {
                let own = store.own_triples(&id)?;
                let kind = body.draft.kind.resource_kind();
                if !crate::model::json::expressible(kind, &own, body.draft.topic.as_ref()) {
                    return Err(HttpError::Conflict(format!(
                        "this {} says things the JSON model has no key for; replace it with Turtle or JSON-LD, or they would be lost",
                        kind.label()
                    )));
                }
            }
            let (draft, report) = checked(&store, &validator, body, own_graph)?;
            if plan.blocks_on_violations() && !report.conforms {
                return Err(HttpError::Invalid(report));
            }
            let written = match plan {
                Plan::Create { revive } => {
                    let expect = if revive {
                        Expect::Revival
                    } else {
                        Expect::Absent
                    };
                    store.write_record(draft, &expect, &by)?
                }
                Plan::Replace { id, version } => {
                    store.write_record(draft, &Expect::Version { id, version }, &by)?
                }
                Plan::Draft { replacing, embargo } => store.write_draft(
                    draft,
                    replacing.as_ref().map(|(id, version)| (id, *version)),
                    embargo,
                    &by,
                )?,
                Plan::Publish { id, version } => store.publish_draft(draft, &id, version, &by)?,
            };
            Ok((written, report))
        })
        .await
        .map_err(|_| HttpError::Unavailable)?
    }
}

/// The body's record with its own triples only, and its validation report: triples about
/// other resources must say what the store says.
fn checked(
    store: &crate::store::CatalogStore,
    validator: &crate::validate::Validator,
    body: Body,
    own_graph: Option<NamedNode>,
) -> Result<(RecordDraft, Report), HttpError> {
    let Body {
        mut draft,
        mut extras,
        ..
    } = body;
    // Triples about a resource that another graph describes (another record, its
    // distribution, a vocabulary's concept) are not this record's to write, even when
    // the body made this record own them: checked like any other extra.
    let mut foreign = std::collections::HashSet::new();
    for triple in &draft.triples {
        if let NamedOrBlankNode::NamedNode(subject) = &triple.subject
            && triple.subject != draft.topic
            && !foreign.contains(subject)
            && store.described_elsewhere(subject, own_graph.as_ref())?
        {
            foreign.insert(subject.clone());
        }
    }
    // What the record's own graph already holds stays its own (a load copies a node that
    // two records share into both).
    let mut own = Vec::with_capacity(draft.triples.len());
    for triple in std::mem::take(&mut draft.triples) {
        let theirs =
            matches!(&triple.subject, NamedOrBlankNode::NamedNode(s) if foreign.contains(s));
        let held = match (&own_graph, theirs) {
            (Some(graph), true) => store.record_holds(graph, &triple)?,
            _ => false,
        };
        if theirs && !held {
            extras.push(triple);
        } else {
            own.push(triple);
        }
    }
    draft.triples = own;
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
    Ok((draft, report))
}

/// A record found for a change.
#[derive(Clone)]
struct Found {
    id: RecordId,
    current: CurrentRecord,
    /// Whether it is a draft (in the private store).
    draft: bool,
    /// When an embargoed draft is due.
    embargo: Option<i64>,
}

/// The record `id` of `kind`: 404 when there is none (or it is a draft `who` may not
/// see), 410 when it was withdrawn.
async fn current(
    state: &AppState,
    who: &Principal,
    kind: RecordKind,
    id: &str,
) -> Result<Found, HttpError> {
    let not_found = || HttpError::NotFound {
        kind: kind.resource_kind().label(),
        id: id.to_owned(),
    };
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    let store = state.store.clone();
    let looked_up = id.clone();
    let (found, draft, embargo) = web::block(move || {
        let found = store.record_state(kind, &looked_up)?;
        let draft = match found {
            RecordState::Missing => store.draft(kind, &looked_up)?.map(|(c, _)| c),
            _ => None,
        };
        let embargo = match draft {
            Some(_) => store.embargo_of(&looked_up)?,
            None => None,
        };
        Ok::<_, StoreError>((found, draft, embargo))
    })
    .await
    .map_err(|_| HttpError::Unavailable)??;
    match (found, draft) {
        (RecordState::Live(current), _) => Ok(Found {
            id,
            current,
            draft: false,
            embargo: None,
        }),
        (RecordState::Withdrawn, _) => Err(HttpError::Gone {
            kind: kind.resource_kind().label(),
            id: id.as_str().to_owned(),
        }),
        (RecordState::Missing, Some(current)) if owns(who, &current.owners) => Ok(Found {
            id,
            current,
            draft: true,
            embargo,
        }),
        (RecordState::Missing, _) => Err(not_found()),
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
    (base, store): (&NamedNode, &CatalogStore),
    topic: Option<&NamedNode>,
) -> Result<Body, HttpError> {
    let catalog_base = store.base();
    let (graph, json) = parse_body(request, body, kind.resource_kind(), (base, store))?;
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
    let managed = catalog_records_of(&graph, &draft.topic, catalog_base);
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
    Ok(Body {
        json,
        draft,
        extras,
    })
}

/// A request body: the record to write, and what else it said.
struct Body {
    /// Whether it came as the plain JSON model (which cannot say everything).
    json: bool,
    draft: RecordDraft,
    /// Triples about other resources; accepted only when the store says the same.
    extras: Vec<Triple>,
}

/// The catalog records in `graph` whose primary topic is `topic` (typed so, or one of our
/// record IRIs, as agents' records are), and what they link to besides it (the profile
/// they conform to): all of it ours to write.
fn catalog_records_of(
    graph: &Graph,
    topic: &NamedOrBlankNode,
    base: &BaseIri,
) -> Vec<NamedOrBlankNode> {
    let ours = |s: NamedOrBlankNodeRef<'_>| match s {
        NamedOrBlankNodeRef::NamedNode(n) => base
            .local_id(crate::model::ResourceKind::Record, n.as_str())
            .is_some(),
        NamedOrBlankNodeRef::BlankNode(_) => false,
    };
    let records: Vec<_> = graph
        .subjects_for_predicate_object(foaf::PRIMARY_TOPIC, topic.as_ref())
        .filter(|s| ours(*s) || graph.contains(TripleRef::new(*s, RDF_TYPE, dcat::CATALOG_RECORD)))
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

/// Parses a body in the syntax its `Content-Type` names, or the plain JSON model of
/// `kind`, with relative IRIs resolved against `base`. Returns the graph and whether it
/// came as the JSON model (which cannot say everything).
///
/// JSON-LD may name our context by its IRI, `{catalog}context.jsonld`; no other remote
/// context is fetched (the body would make the server fetch anything).
fn parse_body(
    request: &HttpRequest,
    body: &[u8],
    kind: ResourceKind,
    (base, store): (&NamedNode, &CatalogStore),
) -> Result<(Graph, bool), HttpError> {
    let format = body_format(request)?;
    let json = format.is_none();
    // Scanned before any parser sees it: nested too deep, or with XML entities expanding
    // too far, a body could exhaust the stack or the memory of the whole server.
    let family = format.map_or(Family::Json, Family::of);
    crate::limits::check(body, family, store.limits()).map_err(|error| StoreError::Limit {
        path: "body".into(),
        error,
    })?;
    let (format, body) = match format {
        Some(format) => (format, std::borrow::Cow::Borrowed(body)),
        // The plain JSON model is JSON-LD under our context (see `model::json`).
        None => {
            let document = crate::model::json::json_ld_of(kind, body)
                .ok_or_else(|| {
                    HttpError::UnsupportedMediaType(format!(
                        "application/json (there is no JSON model of {}s; send RDF)",
                        kind.label()
                    ))
                })?
                .map_err(|e| {
                    HttpError::Store(StoreError::Syntax {
                        path: "body".into(),
                        line: e.line() as u64,
                        column: e.column() as u64,
                        message: e.to_string(),
                    })
                })?;
            let format = RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::default(),
            };
            (format, std::borrow::Cow::Owned(document))
        }
    };
    let graph = read_rdf(&body, format, base, store)?;
    Ok((graph, json))
}

/// The triples of a body in `format`, relative IRIs against `base`, counted against the
/// body's budget as they are read (413 past it).
fn read_rdf(
    body: &[u8],
    format: RdfFormat,
    base: &NamedNode,
    store: &CatalogStore,
) -> Result<Graph, HttpError> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(base.as_str())
        .map_err(|e| HttpError::BadRequest(e.to_string()))?;
    let ours = store.base().join("context.jsonld").into_string();
    let loader = move |url: &str| {
        if url != ours {
            return Err(format!(
                "remote JSON-LD contexts are not fetched: put the context in the body, or name ours, {ours}"
            )
            .into());
        }
        Ok(oxigraph::io::LoadedDocument {
            url: ours.clone(),
            content: crate::model::json::CONTEXT.as_bytes().to_vec(),
            format: RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfile::Context.into(),
            },
        })
    };
    let mut graph = Graph::new();
    let mut budget = Budget::per_body(store.limits());
    for triple in parser.for_slice(body).with_document_loader(loader) {
        let quad =
            triple.map_err(|e| HttpError::Store(StoreError::from_parse("body", e.into())))?;
        budget
            .admit(quad.as_ref())
            .map_err(|error| StoreError::Limit {
                path: "body".into(),
                error,
            })?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

/// The RDF syntax of the body, from `Content-Type`; 415 for anything else.
/// `None` for the plain JSON model (`application/json`).
fn body_format(request: &HttpRequest) -> Result<Option<RdfFormat>, HttpError> {
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
        _ => Err(HttpError::UnsupportedMediaType(format!(
            "{} (send application/json, text/turtle, application/ld+json, application/n-triples or application/rdf+xml)",
            if essence.is_empty() {
                "Content-Type-less"
            } else {
                &essence
            }
        ))),
    }
}

/// Whether `who` may write records that `owners` own.
fn owns(who: &Principal, owners: &[String]) -> bool {
    who.may_write_for(owners.iter().map(String::as_str))
}

/// 403 unless `who` may write `draft` (its owners as the store sees them: a data paper's
/// are its datasets' publishers), and the record it replaces (owned by `old_owners`).
fn authorize(
    store: &crate::store::CatalogStore,
    who: &Principal,
    draft: &RecordDraft,
    old_owners: Option<&[String]>,
) -> Result<(), HttpError> {
    if who.is_admin() {
        return Ok(());
    }
    let new_owners = store.owners(
        draft.kind,
        draft.topic.as_ref(),
        draft.triples.iter().map(Triple::as_ref),
    )?;
    if owns(who, &new_owners) && old_owners.is_none_or(|old| owns(who, old)) {
        Ok(())
    } else {
        Err(refused(who, draft.kind))
    }
}

fn refused(who: &Principal, kind: RecordKind) -> HttpError {
    HttpError::Forbidden(format!(
        "token {:?} may only write {}s of its own publishers",
        who.name,
        kind.resource_kind().label()
    ))
}

/// `201`/`200` with the written record's resource page, its new ETag, its status and the
/// validation report (warnings; violations too for a draft, which may be incomplete).
fn written_response(
    builder: actix_web::HttpResponseBuilder,
    state: &AppState,
    kind: RecordKind,
    written: &WrittenRecord,
    report: &Report,
    status: Status,
) -> HttpResponse {
    let page = state
        .store
        .base()
        .resource(kind.resource_kind(), &written.id);
    let about = json!({
        "id": written.id.as_str(),
        "iri": written.topic.as_str(),
        "page": page.as_str(),
    });
    answer(builder, &page, about, written.version, report, status)
}

/// A write's answer: `Location`, the ETag of `version`, and `about` (what was written)
/// with the version, status and validation report.
fn answer(
    mut builder: actix_web::HttpResponseBuilder,
    location: &NamedNode,
    mut about: serde_json::Value,
    version: i64,
    report: &Report,
    status: Status,
) -> HttpResponse {
    if let Some(fields) = about.as_object_mut() {
        fields.insert("version".into(), version.into());
        fields.insert("status".into(), status.as_str().into());
        fields.insert("violations".into(), json!(report.violations));
        fields.insert("warnings".into(), json!(report.warnings));
    }
    builder
        .insert_header((header::LOCATION, location.as_str()))
        .insert_header((header::ETAG, format!("\"v{version}\"")))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(about.to_string())
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
