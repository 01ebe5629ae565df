//! The checked write, the one way a record changes through the API: the writer may write
//! it, the body says of other resources only what the store says, the record conforms to
//! the profile (a draft may not), the store writes it as the plan says, with its history.

use super::body::{Body, name_topic, record_body};
use super::found::{checked_version, find, owns, refused};
use super::mint::mint_besides;
use super::plan::{Existing, Request, Status, plan};
use super::{EditError, Edits, Incoming, Writer};
use crate::access::Principal;
use crate::model::vocab::{dcat, dct};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind};
use crate::rdf::{BodyContext, body_format, read_body};
use crate::store::{CatalogStore, Removal, WriteKind, WrittenRecord};
use crate::store::{Lookups, RecordWrites, Records};
use crate::validate::Report;
use oxigraph::model::{BlankNode, Graph, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{BTreeSet, HashSet};

/// What a write did: the record, the validation report (warnings; violations too for a
/// draft, which may be incomplete) and the status it left.
pub struct Written {
    /// The record written.
    pub record: WrittenRecord,
    /// Its validation report.
    pub report: Report,
    /// Its status now.
    pub status: Status,
}

impl Edits<'_> {
    /// Creates a record of `kind` from `incoming` (relative IRIs against `{base}{kind}/`,
    /// so `<my-id>` picks the id), as `request` asks.
    pub fn create(
        &self,
        kind: RecordKind,
        incoming: Incoming<'_>,
        request: Request,
        writer: &Writer,
    ) -> Result<Written, EditError> {
        let segment = kind.resource_kind().path_segment();
        let base = self.store.base().join(&format!("{segment}/"));
        let (graph, json) = self.read(incoming, kind.resource_kind(), &base)?;
        let mut body = record_body(&graph, json, kind, self.store.base(), None)?;
        // A blank node with an identifier keeps the id it suggests (a second create with
        // the same identifier is a conflict, not a duplicate); one without is named from
        // its title.
        if body.draft.topic.is_blank_node() && !says(&body.draft, dct::IDENTIFIER) {
            let (id, topic) = self.fresh_id(&body.draft)?;
            name_topic(&mut body, id, &topic);
        }
        let dataset = body.draft.preferred_id.clone();
        self.name_distributions(&mut body, &dataset)?;
        let (plan, status) = plan(&Existing::Nothing, request, &writer.who)?;
        self.write(body, plan, status, writer, None)
    }

    /// A new record's id and IRI when the body names it with a blank node: from its
    /// title (else what its kind suggests), with `-2`, `-3`… when taken. (A load reuses
    /// the record a blank node was given before; a create never replaces one.)
    fn fresh_id(&self, draft: &RecordDraft) -> Result<(RecordId, NamedNode), EditError> {
        let title = draft.triples.iter().find_map(|t| match &t.object {
            Term::Literal(l) if t.subject == draft.topic && t.predicate == dct::TITLE => {
                Some(l.value().to_owned())
            }
            _ => None,
        });
        let preferred =
            title.map_or_else(|| draft.preferred_id.clone(), |t| RecordId::from_title(&t));
        let kind = draft.kind.resource_kind();
        for n in 1.. {
            let candidate = preferred.with_suffix(n);
            let iri = self.store.base().resource(kind, &candidate);
            if !self.store.iri_in_use(&iri)? && !self.store.was_public(&candidate)? {
                return Ok((candidate, iri));
            }
        }
        unreachable!("the candidate ids are endless")
    }

    /// Gives the distributions of a dataset sent as the JSON model without an `id` an IRI
    /// (`{dataset}-{title}`): each gets its page, and a form finds it again by its IRI.
    /// (RDF bodies are written as sent.)
    fn name_distributions(&self, body: &mut Body, dataset: &RecordId) -> Result<(), EditError> {
        if !body.json || body.draft.kind != RecordKind::Dataset {
            return Ok(());
        }
        let topic = body.draft.topic.clone();
        let blanks: Vec<BlankNode> = body
            .draft
            .triples
            .iter()
            .filter(|t| t.subject == topic && t.predicate == dcat::DISTRIBUTION_PROP)
            .filter_map(|t| match &t.object {
                Term::BlankNode(b) => Some(b.clone()),
                _ => None,
            })
            .collect();
        let graph: Graph = body.draft.triples.iter().map(Triple::as_ref).collect();
        let mut taken: Vec<NamedNode> = Vec::new();
        for blank in blanks {
            let iri = mint_besides(self.store, &graph, blank.as_ref().into(), (dataset, &taken))?;
            for triple in &mut body.draft.triples {
                if triple.subject == NamedOrBlankNode::from(blank.clone()) {
                    triple.subject = iri.clone().into();
                }
                if triple.object == Term::from(blank.clone()) {
                    triple.object = iri.clone().into();
                }
            }
            taken.push(iri);
        }
        Ok(())
    }

    /// Replaces the record `id` of `kind`, if `if_match` names its current version
    /// (relative IRIs against the record's own IRI, so `<>` is the record).
    pub fn replace(
        &self,
        (kind, id): (RecordKind, &str),
        incoming: Incoming<'_>,
        (request, if_match): (Request, Option<&str>),
        writer: &Writer,
    ) -> Result<Written, EditError> {
        let found = find(self.store, &writer.who, kind, id)?;
        let version = checked_version(if_match, &found.current)?;
        let base = self.store.base().resource(kind.resource_kind(), &found.id);
        let (graph, json) = self.read(incoming, kind.resource_kind(), &base)?;
        let topic = Some(&found.current.topic);
        let mut body = record_body(&graph, json, kind, self.store.base(), topic)?;
        self.name_distributions(&mut body, &found.id)?;
        let (plan, status) = plan(&found.existing(version), request, &writer.who)?;
        self.write(body, plan, status, writer, Some(&found.current.owners))
    }

    /// Deletes the record `id` of `kind`, if `if_match` names its current version: a
    /// dataset leaves a tombstone; a draft just goes (it was never public).
    pub fn delete(
        &self,
        (kind, id): (RecordKind, &str),
        if_match: Option<&str>,
        writer: &Writer,
    ) -> Result<(), EditError> {
        let found = find(self.store, &writer.who, kind, id)?;
        if !owns(&writer.who, &found.current.owners) {
            return Err(refused(&writer.who, kind));
        }
        let version = checked_version(if_match, &found.current)?;
        let removal = if found.draft {
            Removal::Draft
        } else {
            Removal::Published
        };
        Ok(self
            .store
            .remove((kind, &found.id), version, removal, &writer.by)?)
    }

    /// The graph of `incoming` and whether it came as the plain JSON model of `kind`.
    pub(super) fn read(
        &self,
        incoming: Incoming<'_>,
        kind: ResourceKind,
        base: &NamedNode,
    ) -> Result<(Graph, bool), EditError> {
        let format = body_format(incoming.content_type)?;
        let our_context = self.store.base().join("context.jsonld");
        let context = BodyContext {
            base,
            our_context: our_context.as_str(),
            limits: self.store.limits(),
        };
        Ok((
            read_body(incoming.bytes, format, kind, context)?,
            format.is_none(),
        ))
    }

    /// Checks that the writer may write the body's record (and the record it replaces,
    /// owned by `old_owners`), validates it in the context of the store, then writes it
    /// as `plan` says.
    pub(super) fn write(
        &self,
        body: Body,
        plan: WriteKind,
        status: Status,
        writer: &Writer,
        old_owners: Option<&[String]>,
    ) -> Result<Written, EditError> {
        let store = self.store;
        authorize(store, &writer.who, &body.draft, old_owners)?;
        let own_graph = plan.replaced().map(|id| store.base().record_graph(id));
        // Replacing through the JSON model must not drop what it cannot say.
        if body.json
            && let Some(id) = plan.replaced()
        {
            let own = store.own_triples(id)?;
            let kind = body.draft.kind.resource_kind();
            if !crate::model::json::expressible(kind, &own, body.draft.topic.as_ref()) {
                return Err(inexpressible(kind.label()));
            }
        }
        let (mut draft, report) = self.checked(body, own_graph)?;
        if plan.blocks_on_violations() && !report.conforms {
            return Err(EditError::NonConformant(report));
        }
        draft.conforms = Some(report.conforms);
        let record = store.write(draft, plan, &writer.by)?;
        Ok(Written {
            record,
            report,
            status,
        })
    }

    /// The body's record with its own triples only, and its validation report: triples
    /// about other resources must say what the store says.
    fn checked(
        &self,
        body: Body,
        own_graph: Option<NamedNode>,
    ) -> Result<(RecordDraft, Report), EditError> {
        let store = self.store;
        let Body {
            mut draft,
            mut extras,
            ..
        } = body;
        let (own, theirs) = split_foreign(
            store,
            std::mem::take(&mut draft.triples),
            &draft.topic,
            own_graph.as_ref(),
        )?;
        draft.triples = own;
        extras.extend(theirs);
        let context = store.in_context(&draft.triples)?;
        let unknown: BTreeSet<String> = extras
            .iter()
            .filter(|t| !context.contains(*t))
            .map(|t| t.subject.to_string())
            .collect();
        if !unknown.is_empty() {
            return Err(EditError::BadRequest(format!(
                "the body says things about other resources that the catalog does not: {}; write those records on their own",
                unknown.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        let own: HashSet<String> = draft
            .triples
            .iter()
            .filter_map(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        let report = self
            .validator
            .validate(&context)
            .map_err(EditError::Validation)?
            .about(&own);
        Ok((draft, report))
    }
}

/// Whether the draft says `predicate` of its topic.
fn says(draft: &RecordDraft, predicate: oxigraph::model::NamedNodeRef<'_>) -> bool {
    draft
        .triples
        .iter()
        .any(|t| t.subject == draft.topic && t.predicate == predicate)
}

/// The triples that are the record's own, and those about resources another graph
/// describes (another record, its distribution, a vocabulary's concept): not this record's
/// to write, even when the body made this record own them. What the record's own graph
/// already holds stays its own (a load copies a node that two records share into both).
fn split_foreign(
    store: &CatalogStore,
    triples: Vec<Triple>,
    topic: &NamedOrBlankNode,
    own_graph: Option<&NamedNode>,
) -> Result<(Vec<Triple>, Vec<Triple>), EditError> {
    let mut foreign = HashSet::new();
    for triple in &triples {
        if let NamedOrBlankNode::NamedNode(subject) = &triple.subject
            && triple.subject != *topic
            && !foreign.contains(subject)
            && store.described_elsewhere(subject, own_graph)?
        {
            foreign.insert(subject.clone());
        }
    }
    let mut own = Vec::with_capacity(triples.len());
    let mut theirs = Vec::new();
    for triple in triples {
        let foreign =
            matches!(&triple.subject, NamedOrBlankNode::NamedNode(s) if foreign.contains(s));
        let held = match (own_graph, foreign) {
            (Some(graph), true) => store.record_holds(graph, &triple)?,
            _ => false,
        };
        if foreign && !held {
            theirs.push(triple);
        } else {
            own.push(triple);
        }
    }
    Ok((own, theirs))
}

/// Refused unless `who` may write `draft` (its owners as the store sees them: a data
/// paper's are its datasets' publishers), and the record it replaces (owned by
/// `old_owners`).
fn authorize(
    store: &CatalogStore,
    who: &Principal,
    draft: &RecordDraft,
    old_owners: Option<&[String]>,
) -> Result<(), EditError> {
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

/// A replace through the JSON model of something it cannot say.
pub(super) fn inexpressible(label: &str) -> EditError {
    EditError::Conflict(format!(
        "this {label} says things the JSON model has no key for; replace it with Turtle or JSON-LD, or they would be lost"
    ))
}
