//! Distributions through the write API: `POST {base}api/distributions?dataset=…`, and
//! `GET`, `PUT`, `DELETE {base}api/distributions/{id}`.
//!
//! A distribution has no record of its own: it lives in its dataset's record graph. So each
//! write of one is a new version of that dataset, made like any other: one transaction,
//! guarded by the dataset's ETag (which the distribution's page carries), checked against
//! the profile, allowed to the dataset's editors, and kept in the dataset's history.

use super::{
    AppState, Body, Found, Plan, Status, answer, current, if_match, model_answer, owns, parse_body,
    read_body, refused,
};
use crate::http::auth::{principal, provenance};
use crate::http::errors::HttpError;
use crate::http::respond::query_parameter;
use crate::model::vocab::{RDF_TYPE, dcat, dct};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind, owned_triples};
use crate::store::{CatalogStore, StoreError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{
    Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef,
};
use serde_json::json;
use std::collections::HashSet;

/// `POST {base}api/distributions?dataset={id or IRI}`: adds a distribution to a dataset
/// (named by the parameter, or by a `dcat:distribution` link in the body); `201 Created`
/// with the distribution's IRI (minted from its title when it is a blank node) and the
/// dataset's new ETag.
pub async fn create_distribution(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let who = principal(&request, &state)?;
    let body = read_body(payload, &state).await?;
    let base = state.store.base().join("distributions/");
    let (graph, _) = parse_body(
        &request,
        &body,
        ResourceKind::Distribution,
        (&base, &state.store),
    )?;
    let node = the_distribution(&graph)?;
    let dataset = dataset_parameter(&request, &state, &graph, node.as_ref()).await?;
    let found = mine(&state, &who, dataset.as_str()).await?;
    let version = found.current.version;
    let store = state.store.clone();
    let for_body = found.clone();
    let (iri, body) = web::block(move || -> Result<_, HttpError> {
        let iri = match &node {
            NamedOrBlankNode::NamedNode(iri) if store.iri_in_use(iri)? => {
                return Err(HttpError::Store(StoreError::Exists(
                    iri.as_str().to_owned(),
                )));
            }
            NamedOrBlankNode::NamedNode(iri) => iri.clone(),
            NamedOrBlankNode::BlankNode(_) => mint(&store, &graph, node.as_ref(), &dataset)?,
        };
        let own = store.own_triples(&dataset)?;
        let body = dataset_body(&graph, node.as_ref(), &iri, &own, &for_body, None)?;
        Ok((iri, body))
    })
    .await
    .map_err(|_| HttpError::Unavailable)??;
    written(
        &request,
        &state,
        (who, found),
        version,
        body,
        (HttpResponse::Created(), &iri),
    )
    .await
    // Without `If-Match`, a change of the dataset meanwhile is a conflict to retry.
    .map_err(|e| match e {
        HttpError::Store(StoreError::Stale { .. }) => HttpError::Conflict(
            "the dataset changed while the distribution was added; send it again".into(),
        ),
        other => other,
    })
}

/// `PUT {base}api/distributions/{id}`: replaces a distribution, if `If-Match` names its
/// dataset's current version (the ETag of the distribution's page or of the dataset's).
pub async fn replace_distribution(
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let who = principal(&request, &state)?;
    let body = read_body(payload, &state).await?;
    let (iri, found) = home(&state, &who, &id).await?;
    let version = if_match(&request, &found.current)?;
    let (graph, json) = parse_body(
        &request,
        &body,
        ResourceKind::Distribution,
        (&iri, &state.store),
    )?;
    let node = the_distribution(&graph)?;
    if matches!(&node, NamedOrBlankNode::NamedNode(n) if *n != iri) {
        return Err(HttpError::BadRequest(format!(
            "the body describes {node}; a replacement of {iri} must describe {iri} (or a blank node)"
        )));
    }
    let store = state.store.clone();
    let (dataset, replaced) = (found.id.clone(), iri.clone());
    let for_body = found.clone();
    let body = web::block(move || -> Result<_, HttpError> {
        let (own, topic) = linking(&store, &dataset, &for_body, &replaced)?;
        // Replacing through the JSON model must not drop what it cannot say.
        if json {
            let mine: Graph = distribution_triples(&own, replaced.as_ref().into(), topic.as_ref())
                .iter()
                .map(Triple::as_ref)
                .collect();
            if !crate::model::json::expressible(
                ResourceKind::Distribution,
                &mine,
                replaced.as_ref().into(),
            ) {
                return Err(HttpError::Conflict(
                    "this distribution says things the JSON model has no key for; replace it with Turtle or JSON-LD, or they would be lost".into(),
                ));
            }
        }
        dataset_body(
            &graph,
            node.as_ref(),
            &replaced,
            &own,
            &for_body,
            Some(&replaced),
        )
    })
    .await
    .map_err(|_| HttpError::Unavailable)??;
    written(
        &request,
        &state,
        (who, found),
        version,
        body,
        (HttpResponse::Ok(), &iri),
    )
    .await
}

/// `DELETE {base}api/distributions/{id}`: removes a distribution from its dataset, if
/// `If-Match` names the dataset's current version; `204` with the dataset's new ETag.
pub async fn delete_distribution(
    request: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let who = principal(&request, &state)?;
    let (iri, found) = home(&state, &who, &id).await?;
    let version = if_match(&request, &found.current)?;
    let store = state.store.clone();
    let (dataset, removed) = (found.id.clone(), iri.clone());
    let for_body = found.clone();
    let body = web::block(move || -> Result<_, HttpError> {
        let (own, topic) = linking(&store, &dataset, &for_body, &removed)?;
        Ok(Body {
            json: false,
            draft: dataset_draft(&for_body, without(&own, topic.as_ref(), &removed)),
            extras: Vec::new(),
        })
    })
    .await
    .map_err(|_| HttpError::Unavailable)??;
    let (plan, _) = plan_for(&found, version);
    let by = provenance(&request, &who);
    let owners = Some(found.current.owners.clone());
    let (written, _) = state.write(body, plan, (who, owners), by).await?;
    Ok(HttpResponse::NoContent()
        .insert_header((header::ETAG, format!("\"v{}\"", written.version)))
        .finish())
}

/// `GET {base}api/distributions/{id}`: the plain JSON model of a distribution, with the
/// ETag of its dataset's version; a draft dataset's for its editors only.
pub async fn read_distribution(
    request: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let who = principal(&request, &state).ok();
    let iri = state
        .store
        .base()
        .resource(ResourceKind::Distribution, &parse_id(&id)?);
    let store = state.store.clone();
    let dataset = {
        let iri = iri.clone();
        web::block(move || store.dataset_of_distribution(&iri))
            .await
            .map_err(|_| HttpError::Unavailable)??
            .ok_or_else(|| not_found(&id))?
    };
    // Anonymous readers see published datasets; `current` shows drafts to their editors.
    let found = match &who {
        Some(who) => current(&state, who, RecordKind::Dataset, dataset.as_str()).await?,
        None => published(&state, &dataset, &id).await?,
    };
    let store = state.store.clone();
    let (dataset, topic) = (found.id.clone(), topic_of(&found));
    let distribution = iri.clone();
    let model = web::block(move || -> Result<_, StoreError> {
        let own = store.own_triples(&dataset)?;
        let mine: Graph = distribution_triples(&own, distribution.as_ref().into(), topic.as_ref())
            .iter()
            .map(Triple::as_ref)
            .collect();
        Ok(crate::model::json::model_of(
            ResourceKind::Distribution,
            &mine,
            distribution.as_ref().into(),
        ))
    })
    .await
    .map_err(|_| HttpError::Unavailable)??
    .unwrap_or_default();
    model_answer(&model, found.current.version, found.draft)
}

/// Writes the dataset's new version and answers with the distribution's IRI and the
/// dataset's new ETag.
async fn written(
    request: &HttpRequest,
    state: &AppState,
    (who, found): (crate::access::Principal, Found),
    version: i64,
    body: Body,
    (builder, iri): (actix_web::HttpResponseBuilder, &NamedNode),
) -> Result<HttpResponse, HttpError> {
    let (plan, status) = plan_for(&found, version);
    let by = provenance(request, &who);
    let owners = Some(found.current.owners.clone());
    let (written, report) = state.write(body, plan, (who, owners), by).await?;
    let dataset_page = state
        .store
        .base()
        .resource(ResourceKind::Dataset, &written.id);
    let about = json!({
        "id": state.store.base().local_id(ResourceKind::Distribution, iri.as_str()).map(|id| id.as_str().to_owned()),
        "iri": iri.as_str(),
        "dataset": written.topic.as_str(),
        "datasetPage": dataset_page.as_str(),
    });
    Ok(answer(
        builder,
        iri,
        about,
        written.version,
        &report,
        status,
    ))
}

/// The dataset's new version, as its status wants: a published dataset is replaced; a
/// draft stays a draft (with its embargo).
fn plan_for(found: &Found, version: i64) -> (Plan, Status) {
    let id = found.id.clone();
    match (found.draft, found.embargo) {
        (false, _) => (Plan::Replace { id, version }, Status::Published),
        (true, embargo) => (
            Plan::Draft {
                replacing: Some((id, version)),
                embargo,
            },
            if embargo.is_some() {
                Status::Embargoed
            } else {
                Status::Draft
            },
        ),
    }
}

/// The one `dcat:Distribution` the body describes; 400 unless there is exactly one.
fn the_distribution(graph: &Graph) -> Result<NamedOrBlankNode, HttpError> {
    let mut found = graph
        .subjects_for_predicate_object(RDF_TYPE, dcat::DISTRIBUTION)
        .map(NamedOrBlankNodeRef::into_owned);
    match (found.next(), found.next()) {
        (Some(node), None) => Ok(node),
        _ => Err(HttpError::BadRequest(
            "the body must describe exactly one distribution (typed dcat:Distribution)".into(),
        )),
    }
}

/// The dataset a new distribution joins: `?dataset=` (its id or IRI), else the subject of
/// the body's `dcat:distribution` link to it.
async fn dataset_parameter(
    request: &HttpRequest,
    state: &AppState,
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
) -> Result<RecordId, HttpError> {
    let named = query_parameter(request, "dataset")?;
    let linked = graph
        .subjects_for_predicate_object(dcat::DISTRIBUTION_PROP, node)
        .find_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n.into_owned()),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        });
    let iri = match (named, linked) {
        // A bare id is the record's, as in `{base}datasets/{id}` (a harvested dataset's IRI
        // is someone else's).
        (Some(named), _) if !named.contains(':') => {
            return RecordId::parse(&named).map_err(|_| HttpError::NotFound {
                kind: "dataset",
                id: named.clone(),
            });
        }
        (Some(named), _) => NamedNode::new(&named).map_err(|_| {
            HttpError::BadRequest(format!(
                "dataset must be a dataset's id or IRI, not {named:?}"
            ))
        })?,
        (None, Some(linked)) => linked,
        (None, None) => {
            return Err(HttpError::BadRequest(
                "which dataset? Name it with ?dataset={id or IRI}, or link it to the distribution with dcat:distribution".into(),
            ));
        }
    };
    let store = state.store.clone();
    let looked_up = iri.clone();
    web::block(move || store.record_id_of(&looked_up))
        .await
        .map_err(|_| HttpError::Unavailable)??
        .ok_or_else(|| HttpError::NotFound {
            kind: "dataset",
            id: iri.as_str().to_owned(),
        })
}

/// The distribution `{base}distributions/{id}` and its dataset's record: 404 when there
/// is none (or its dataset is a draft `who` may not write), 410 when it was withdrawn.
async fn home(
    state: &AppState,
    who: &crate::access::Principal,
    id: &str,
) -> Result<(NamedNode, Found), HttpError> {
    let iri = state
        .store
        .base()
        .resource(ResourceKind::Distribution, &parse_id(id)?);
    let store = state.store.clone();
    let looked_up = iri.clone();
    let dataset = web::block(move || store.dataset_of_distribution(&looked_up))
        .await
        .map_err(|_| HttpError::Unavailable)??
        .ok_or_else(|| not_found(id))?;
    let found = mine(state, who, dataset.as_str()).await?;
    Ok((iri, found))
}

/// The dataset `id`, if `who` may write it: its distributions are theirs to change. The
/// ownership comes first, so that nobody else learns more of it than 403 (nor of drafts).
async fn mine(
    state: &AppState,
    who: &crate::access::Principal,
    id: &str,
) -> Result<Found, HttpError> {
    let found = current(state, who, RecordKind::Dataset, id).await?;
    if owns(who, &found.current.owners) {
        Ok(found)
    } else {
        Err(refused(who, RecordKind::Dataset))
    }
}

/// The published dataset `dataset` (for an anonymous reader): 404 for a draft.
async fn published(state: &AppState, dataset: &RecordId, id: &str) -> Result<Found, HttpError> {
    let store = state.store.clone();
    let looked_up = dataset.clone();
    let found = web::block(move || store.record_state(RecordKind::Dataset, &looked_up))
        .await
        .map_err(|_| HttpError::Unavailable)??;
    match found {
        crate::store::RecordState::Live(current) => Ok(Found {
            id: dataset.clone(),
            current,
            draft: false,
            embargo: None,
        }),
        _ => Err(not_found(id)),
    }
}

/// The own triples of the dataset `found` (record `dataset`) and its topic, if it links
/// the distribution `iri`; else 404.
fn linking(
    store: &CatalogStore,
    dataset: &RecordId,
    found: &Found,
    iri: &NamedNode,
) -> Result<(Graph, NamedOrBlankNode), HttpError> {
    let own = store.own_triples(dataset)?;
    let topic = topic_of(found);
    if own.contains(TripleRef::new(
        topic.as_ref(),
        dcat::DISTRIBUTION_PROP,
        iri.as_ref(),
    )) {
        Ok((own, topic))
    } else {
        Err(not_found(iri.as_str()))
    }
}

fn parse_id(id: &str) -> Result<RecordId, HttpError> {
    RecordId::parse(id).map_err(|_| not_found(id))
}

fn not_found(id: &str) -> HttpError {
    HttpError::NotFound {
        kind: "distribution",
        id: id.to_owned(),
    }
}

fn topic_of(found: &Found) -> NamedOrBlankNode {
    found.current.topic.clone().into()
}

/// An IRI `{base}distributions/{slug}` for a blank-node distribution, from its title (else
/// its dataset's id), that nothing uses yet.
fn mint(
    store: &CatalogStore,
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
    dataset: &RecordId,
) -> Result<NamedNode, HttpError> {
    let title = graph
        .objects_for_subject_predicate(node, dct::TITLE)
        .find_map(|o| match o {
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .map_or_else(
            || format!("{dataset}-distribution"),
            |title| format!("{dataset}-{title}"),
        );
    let preferred = RecordId::slugify(&title);
    for n in 1.. {
        let iri = store
            .base()
            .resource(ResourceKind::Distribution, &preferred.with_suffix(n));
        if !store.iri_in_use(&iri)? {
            return Ok(iri);
        }
    }
    unreachable!("the candidate ids are endless")
}

/// The dataset's new version with the body's distribution written as `iri` (in place of
/// `replacing`, if given): its own triples without the old distribution, the new one's,
/// and the link. What else the body says goes to the extras, checked against the store.
fn dataset_body(
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
    iri: &NamedNode,
    own: &Graph,
    found: &Found,
    replacing: Option<&NamedNode>,
) -> Result<Body, HttpError> {
    let topic = topic_of(found);
    let body_topic = graph
        .subjects_for_predicate_object(dcat::DISTRIBUTION_PROP, node)
        .next();
    let stop = |n: NamedOrBlankNodeRef<'_>| Some(n) == body_topic;
    let mut mine = HashSet::new();
    let distribution = owned_triples(graph, node, &stop, &mut mine);
    let extras = graph
        .iter()
        .filter(|t| !mine.contains(&t.subject))
        .filter(|t| !(t.predicate == dcat::DISTRIBUTION_PROP && t.object == TermRef::from(node)))
        .map(TripleRef::into_owned)
        .collect();
    let mut triples = match replacing {
        Some(old) => without(own, topic.as_ref(), old),
        None => own.iter().map(TripleRef::into_owned).collect(),
    };
    triples.extend(distribution.into_iter().map(|t| named(t, node, iri)));
    triples.push(Triple::new(
        topic.clone(),
        dcat::DISTRIBUTION_PROP,
        iri.clone(),
    ));
    Ok(Body {
        json: false,
        draft: dataset_draft(found, triples),
        extras,
    })
}

fn dataset_draft(found: &Found, triples: Vec<Triple>) -> RecordDraft {
    RecordDraft {
        kind: RecordKind::Dataset,
        topic: topic_of(found),
        preferred_id: found.id.clone(),
        triples,
    }
}

/// `own` without the distribution `distribution`: its triples, the links to it, and every
/// node only it owned.
fn without(own: &Graph, topic: NamedOrBlankNodeRef<'_>, distribution: &NamedNode) -> Vec<Triple> {
    let gone: NamedOrBlankNodeRef<'_> = distribution.as_ref().into();
    let rest: Graph = own
        .iter()
        .filter(|t| t.subject != gone && t.object != TermRef::from(gone))
        .collect();
    let stop = |_: NamedOrBlankNodeRef<'_>| false;
    owned_triples(&rest, topic, &stop, &mut HashSet::new())
}

/// The triples of the distribution `distribution` within its dataset's `own` triples.
fn distribution_triples(
    own: &Graph,
    distribution: NamedOrBlankNodeRef<'_>,
    topic: NamedOrBlankNodeRef<'_>,
) -> Vec<Triple> {
    let stop = |n: NamedOrBlankNodeRef<'_>| n == topic;
    owned_triples(own, distribution, &stop, &mut HashSet::new())
}

/// `triple` with the body's distribution node written as `iri`.
fn named(triple: Triple, node: NamedOrBlankNodeRef<'_>, iri: &NamedNode) -> Triple {
    let subject = if triple.subject.as_ref() == node {
        iri.clone().into()
    } else {
        triple.subject
    };
    let object = match triple.object {
        Term::BlankNode(b) if NamedOrBlankNodeRef::from(b.as_ref()) == node => iri.clone().into(),
        Term::NamedNode(n) if NamedOrBlankNodeRef::from(n.as_ref()) == node => iri.clone().into(),
        other => other,
    };
    Triple::new(subject, triple.predicate, object)
}
