//! Distributions through the write workflow. A distribution has no record of its own: it
//! lives in its dataset's record graph. So each write of one is a new version of that
//! dataset, made like any other: one transaction, guarded by the dataset's version, checked
//! against the profile, allowed to the dataset's editors, kept in the dataset's history.

use super::body::Body;
use super::found::{Found, checked_version, find_own};
use super::mint::mint;
use super::plan::{Request, plan};
use super::write::{Written, inexpressible};
use super::{EditError, Edits, Incoming, Writer};
use crate::model::vocab::{RDF_TYPE, dcat};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind, owned_triples};
use crate::store::{CatalogStore, StoreError};
use crate::store::{Lookups, Records};
use oxigraph::model::{
    Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef,
};
use std::collections::HashSet;

impl Edits<'_> {
    /// Adds the distribution `incoming` describes to a dataset: `dataset` (its id or IRI),
    /// else the one the body links to it with `dcat:distribution`. A blank node gets an
    /// IRI minted from its title. Returns the distribution's IRI.
    pub fn add_distribution(
        &self,
        incoming: Incoming<'_>,
        dataset: Option<&str>,
        writer: &Writer,
    ) -> Result<(NamedNode, Written), EditError> {
        let store = self.store;
        let base = store.base().join("distributions/");
        let (graph, _) = self.read(incoming, ResourceKind::Distribution, &base)?;
        let node = the_distribution(&graph)?;
        let dataset = dataset_of(store, dataset, &graph, node.as_ref())?;
        let found = find_own(store, &writer.who, RecordKind::Dataset, dataset.as_str())?;
        let iri = match &node {
            NamedOrBlankNode::NamedNode(iri) if store.iri_in_use(iri)? => {
                return Err(StoreError::Exists(iri.as_str().to_owned()).into());
            }
            NamedOrBlankNode::NamedNode(iri) => iri.clone(),
            NamedOrBlankNode::BlankNode(_) => mint(store, &graph, node.as_ref(), &found.id)?,
        };
        let own = store.own_triples(&found.id)?;
        let body = dataset_body(&graph, node.as_ref(), &iri, &own, &found, None);
        // Without `If-Match`, a change of the dataset meanwhile is a conflict to retry.
        let written = self
            .dataset_version(body, &found, found.current.version, writer)
            .map_err(|e| match e {
                EditError::Store(StoreError::Stale { .. }) => EditError::Conflict(
                    "the dataset changed while the distribution was added; send it again".into(),
                ),
                other => other,
            })?;
        Ok((iri, written))
    }

    /// Replaces the distribution `id`, if `if_match` names its dataset's current version
    /// (the ETag of the distribution's page or of the dataset's).
    pub fn replace_distribution(
        &self,
        id: &str,
        incoming: Incoming<'_>,
        if_match: Option<&str>,
        writer: &Writer,
    ) -> Result<(NamedNode, Written), EditError> {
        let store = self.store;
        let (iri, found) = home(store, writer, id)?;
        let version = checked_version(if_match, &found.current)?;
        let (graph, json) = self.read(incoming, ResourceKind::Distribution, &iri)?;
        let node = the_distribution(&graph)?;
        if matches!(&node, NamedOrBlankNode::NamedNode(n) if *n != iri) {
            return Err(EditError::BadRequest(format!(
                "the body describes {node}; a replacement of {iri} must describe {iri} (or a blank node)"
            )));
        }
        let (own, topic) = linking(store, &found, &iri)?;
        // Replacing through the JSON model must not drop what it cannot say.
        if json {
            let mine: Graph = distribution_triples(&own, iri.as_ref().into(), topic.as_ref())
                .iter()
                .map(Triple::as_ref)
                .collect();
            if !crate::model::json::expressible(
                ResourceKind::Distribution,
                &mine,
                iri.as_ref().into(),
            ) {
                return Err(inexpressible(ResourceKind::Distribution.label()));
            }
        }
        let body = dataset_body(&graph, node.as_ref(), &iri, &own, &found, Some(&iri));
        let written = self.dataset_version(body, &found, version, writer)?;
        Ok((iri, written))
    }

    /// Removes the distribution `id` from its dataset, if `if_match` names the dataset's
    /// current version.
    pub fn remove_distribution(
        &self,
        id: &str,
        if_match: Option<&str>,
        writer: &Writer,
    ) -> Result<Written, EditError> {
        let (iri, found) = home(self.store, writer, id)?;
        let version = checked_version(if_match, &found.current)?;
        let (own, topic) = linking(self.store, &found, &iri)?;
        let body = Body {
            json: false,
            draft: dataset_draft(&found, without(&own, topic.as_ref(), &iri)),
            extras: Vec::new(),
        };
        self.dataset_version(body, &found, version, writer)
    }

    /// Writes the dataset's new version, as its status wants: a published dataset is
    /// replaced; a draft stays a draft (with its embargo).
    fn dataset_version(
        &self,
        body: Body,
        found: &Found,
        version: i64,
        writer: &Writer,
    ) -> Result<Written, EditError> {
        let (plan, status) = plan(&found.existing(version), Request::default(), &writer.who)?;
        self.write(body, plan, status, writer, Some(&found.current.owners))
    }
}

/// The IRI `{base}distributions/{id}`; not found for an id that is not one of ours.
pub(super) fn distribution_iri(store: &CatalogStore, id: &str) -> Result<NamedNode, EditError> {
    let id = RecordId::parse(id).map_err(|_| not_found(id))?;
    Ok(store.base().resource(ResourceKind::Distribution, &id))
}

/// The distribution `{base}distributions/{id}` and its dataset's record, if the writer
/// may write it: not found when there is none (or its dataset is a draft they may not
/// write), gone when it was withdrawn.
fn home(store: &CatalogStore, writer: &Writer, id: &str) -> Result<(NamedNode, Found), EditError> {
    let iri = distribution_iri(store, id)?;
    let dataset = store
        .dataset_of_distribution(&iri)?
        .ok_or_else(|| not_found(id))?;
    let found = find_own(store, &writer.who, RecordKind::Dataset, dataset.as_str())?;
    Ok((iri, found))
}

/// The one `dcat:Distribution` the body describes; refused unless there is exactly one.
fn the_distribution(graph: &Graph) -> Result<NamedOrBlankNode, EditError> {
    let mut found = graph
        .subjects_for_predicate_object(RDF_TYPE, dcat::DISTRIBUTION)
        .map(NamedOrBlankNodeRef::into_owned);
    match (found.next(), found.next()) {
        (Some(node), None) => Ok(node),
        _ => Err(EditError::BadRequest(
            "the body must describe exactly one distribution (typed dcat:Distribution)".into(),
        )),
    }
}

/// The dataset a new distribution joins: `named` (its id or IRI), else the subject of the
/// body's `dcat:distribution` link to it.
fn dataset_of(
    store: &CatalogStore,
    named: Option<&str>,
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
) -> Result<RecordId, EditError> {
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
            return RecordId::parse(named).map_err(|_| EditError::NotFound {
                kind: "dataset",
                id: named.to_owned(),
            });
        }
        (Some(named), _) => NamedNode::new(named).map_err(|_| {
            EditError::BadRequest(format!(
                "dataset must be a dataset's id or IRI, not {named:?}"
            ))
        })?,
        (None, Some(linked)) => linked,
        (None, None) => {
            return Err(EditError::BadRequest(
                "which dataset? Name it with ?dataset={id or IRI}, or link it to the distribution with dcat:distribution".into(),
            ));
        }
    };
    store
        .record_id_of(&iri)?
        .ok_or_else(|| EditError::NotFound {
            kind: "dataset",
            id: iri.as_str().to_owned(),
        })
}

/// The own triples of the dataset `found` and its topic, if it links the distribution
/// `iri`; else not found.
pub(super) fn linking(
    store: &CatalogStore,
    found: &Found,
    iri: &NamedNode,
) -> Result<(Graph, NamedOrBlankNode), EditError> {
    let own = store.own_triples(&found.id)?;
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

pub(super) fn not_found(id: &str) -> EditError {
    EditError::NotFound {
        kind: "distribution",
        id: id.to_owned(),
    }
}

pub(super) fn topic_of(found: &Found) -> NamedOrBlankNode {
    found.current.topic.clone().into()
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
) -> Body {
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
    Body {
        json: false,
        draft: dataset_draft(found, triples),
        extras,
    }
}

fn dataset_draft(found: &Found, triples: Vec<Triple>) -> RecordDraft {
    RecordDraft {
        kind: RecordKind::Dataset,
        topic: topic_of(found),
        preferred_id: found.id.clone(),
        triples,
        conforms: None,
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
pub(super) fn distribution_triples(
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
