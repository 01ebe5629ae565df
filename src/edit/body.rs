//! A request body as a record to write: the one record of its kind cut out of the body's
//! graph, and what else the body says (accepted only where the store says the same).

use super::EditError;
use crate::model::vocab::{RDF_TYPE, dcat, foaf};
use crate::model::{BaseIri, RecordDraft, RecordKind, ResourceKind, split_into_records};
use oxigraph::model::{
    BlankNode, Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple,
    TripleRef,
};

/// A request body: the record to write, and what else it said.
pub struct Body {
    /// Whether it came as the plain JSON model (which cannot say everything).
    pub json: bool,
    /// The record.
    pub draft: RecordDraft,
    /// Triples about other resources; accepted only when the store says the same.
    pub extras: Vec<Triple>,
}

/// Cuts the one record of `kind` out of the body's `graph`.
///
/// A blank-node topic of a replace becomes `topic`. What a GET of the record answers may be
/// sent back as is: its catalog record (ours to write) is dropped, and the types and labels
/// of what it links to go to the extras, checked against the store's before the write.
pub fn record_body(
    graph: &Graph,
    json: bool,
    kind: RecordKind,
    base: &BaseIri,
    topic: Option<&NamedNode>,
) -> Result<Body, EditError> {
    let split = split_into_records(graph, base);
    let (mut mine, others): (Vec<_>, Vec<_>) =
        split.records.into_iter().partition(|r| r.kind == kind);
    let (Some(mut draft), None) = (mine.pop(), mine.pop()) else {
        return Err(EditError::BadRequest(format!(
            "the body must describe exactly one {} (typed {})",
            kind.resource_kind().label(),
            kind.class().as_str()
        )));
    };
    let managed = catalog_records_of(graph, &draft.topic, base);
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

/// The catalog records in `graph` whose primary topic is `topic` (typed so, or one of our
/// record IRIs, as agents' records are), and what they link to besides it (the profile
/// they conform to): all of it ours to write.
fn catalog_records_of(
    graph: &Graph,
    topic: &NamedOrBlankNode,
    base: &BaseIri,
) -> Vec<NamedOrBlankNode> {
    let ours = |s: NamedOrBlankNodeRef<'_>| match s {
        NamedOrBlankNodeRef::NamedNode(n) => {
            base.local_id(ResourceKind::Record, n.as_str()).is_some()
        }
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

/// `body`'s record, about a blank node, now about `topic` with the id `id`.
pub fn name_topic(body: &mut Body, id: crate::model::RecordId, topic: &NamedNode) {
    if let NamedOrBlankNode::BlankNode(blank) = &body.draft.topic {
        let blank = blank.clone();
        body.draft.triples = std::mem::take(&mut body.draft.triples)
            .into_iter()
            .map(|t| rename_blank(t, &blank, topic))
            .collect();
        body.draft.topic = topic.clone().into();
        body.draft.preferred_id = id;
    }
}

fn rename_blank(triple: Triple, blank: &BlankNode, to: &NamedNode) -> Triple {
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
