//! What linked resources lend a description: the types and French/English labels of
//! what it links to (publishers, themes, licences), a data paper's DOI and citation, a
//! person's names and affiliations, and a dataset's papers (the inverse of
//! `cito:describes`). Pages, exports and validation read them without a second lookup.

use super::describe::restore_datatype;
use super::{CatalogStore, StoreError};
use crate::model::vocab::{
    LABELS, RDF_TYPE, cito, dcat, dct, fabio, foaf, org, prism, rdfs, skos, vcard,
};
use oxigraph::model::{
    GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef,
};
use std::collections::HashSet;

/// Links to web locations (files, mailboxes), not to resources anyone describes: not
/// looked up for types and labels.
const LOCATORS: [NamedNodeRef<'static>; 4] = [
    dcat::ACCESS_URL,
    dcat::DOWNLOAD_URL,
    vcard::HAS_EMAIL,
    vcard::HAS_URL,
];

/// Label languages copied from linked resources (the NALs have 24 languages each).
const LABEL_LANGUAGES: [&str; 2] = ["fr", "en"];

impl CatalogStore {
    /// Adds `dataset cito:isDescribedBy paper` and `dataset dct:isReferencedBy paper` for
    /// every public data paper that `cito:describes` it (`quads` start with the dataset's
    /// own), in the paper's graph (the
    /// statement is the paper's: N-Quads and TriG say so, and the paper's `dct:modified`
    /// moves the dataset's `Last-Modified`). Harvested datasets get it too: papers name
    /// their original IRI.
    pub(in crate::store) fn add_describing_papers(
        &self,
        dataset: &NamedNode,
        quads: &mut Vec<Quad>,
    ) -> Result<(), StoreError> {
        for quad in self.store.quads_for_pattern(
            None,
            Some(cito::DESCRIBES),
            Some(dataset.as_ref().into()),
            None,
        ) {
            let quad = quad?;
            let (NamedOrBlankNode::NamedNode(paper), GraphName::NamedNode(graph)) =
                (&quad.subject, &quad.graph_name)
            else {
                continue;
            };
            if !self.is_record_graph(graph) {
                continue;
            }
            for predicate in [cito::IS_DESCRIBED_BY, dct::IS_REFERENCED_BY] {
                let inverse = Quad::new(
                    dataset.clone(),
                    predicate,
                    paper.clone(),
                    quad.graph_name.clone(),
                );
                let stated = quads.iter().any(|q| {
                    q.subject == inverse.subject
                        && q.predicate == inverse.predicate
                        && q.object == inverse.object
                });
                if !stated {
                    // Within the topic's run (topic first): Turtle groups a subject's
                    // statements only when they are adjacent.
                    let end = quads
                        .iter()
                        .position(|q| q.subject != inverse.subject)
                        .unwrap_or(quads.len());
                    quads.insert(end, inverse);
                }
            }
        }
        Ok(())
    }

    /// Restores datatypes and appends the types and labels of the resources `quads` link
    /// to, except those in `lent` (already written on the same feed page), which it extends.
    pub(super) fn complete(
        &self,
        quads: &mut Vec<Quad>,
        lent: &mut HashSet<String>,
    ) -> Result<(), StoreError> {
        for quad in quads.iter_mut() {
            restore_datatype(quad);
        }
        let described: HashSet<NamedOrBlankNodeRef<'_>> =
            quads.iter().map(|q| q.subject.as_ref()).collect();
        let mut linked: Vec<NamedNode> = Vec::new();
        for quad in quads.iter() {
            if let TermRef::NamedNode(object) = quad.object.as_ref()
                && quad.predicate != RDF_TYPE
                && !LOCATORS.contains(&quad.predicate.as_ref())
                && !described.contains(&object.into())
                && !lent.contains(object.as_str())
            {
                lent.insert(object.as_str().to_owned());
                linked.push(object.into_owned());
            }
        }
        let mut extra = Vec::new();
        for object in &linked {
            self.types_and_labels(object.as_ref(), &mut extra)?;
        }
        // The affiliations of linked persons get their names too (one level more).
        let mut affiliations = Vec::new();
        for quad in &extra {
            if let TermRef::NamedNode(affiliation) = quad.object.as_ref()
                && quad.predicate == org::MEMBER_OF
                && !described.contains(&affiliation.into())
                && lent.insert(affiliation.as_str().to_owned())
            {
                affiliations.push(affiliation.into_owned());
            }
        }
        for affiliation in &affiliations {
            self.types_and_labels(affiliation.as_ref(), &mut extra)?;
        }
        quads.extend(extra);
        // Within each subject, `rdf:type` first, then predicates in IRI order: readable
        // Turtle, and output that does not depend on the store's internal ids.
        for run in quads.chunk_by_mut(|a, b| a.subject == b.subject) {
            run.sort_by(|a, b| {
                (a.predicate != RDF_TYPE, a.predicate.as_str())
                    .cmp(&(b.predicate != RDF_TYPE, b.predicate.as_str()))
            });
        }
        Ok(())
    }

    /// Appends `iri`'s types and French/English labels: from the in-memory vocabulary
    /// index for codes, else from whichever public graph describes it (agents, papers).
    pub(in crate::store) fn types_and_labels(
        &self,
        iri: NamedNodeRef<'_>,
        out: &mut Vec<Quad>,
    ) -> Result<(), StoreError> {
        if let Some(quads) = self.vocabulary.get(iri.as_str()) {
            out.extend(quads.iter().cloned());
            return Ok(());
        }
        // One scan per predicate: decoding stops at what we keep (a dataset linked from the
        // catalog has long descriptions we would otherwise read and drop). A DOI and a
        // citation are looked for on data papers only (types come first): a scan per
        // linked agent less, 100 000 of them when the search index is built.
        // Likewise a person's parts of name and affiliations, and a dataset's identifier
        // (a paper's exports name the DOI of the datasets it describes).
        let mut classes: Vec<NamedNode> = Vec::new();
        for predicate in ENRICHING {
            if !lent_by(predicate, &classes) {
                continue;
            }
            for quad in self
                .store
                .quads_for_pattern(Some(iri.into()), Some(predicate), None, None)
            {
                let quad = quad?;
                if let (true, Term::NamedNode(class)) = (quad.predicate == RDF_TYPE, &quad.object) {
                    classes.push(class.clone());
                }
                if is_type_or_label(&quad) || quad.predicate == dct::IDENTIFIER {
                    out.push(quad);
                }
            }
        }
        Ok(())
    }
}

/// What only data papers lend (see [`ENRICHING`]).
const PAPERS_ONLY: [NamedNodeRef<'static>; 2] = [prism::DOI, dct::BIBLIOGRAPHIC_CITATION];

/// What only persons lend (see [`ENRICHING`]): names as citations write them, affiliations.
const PERSONS_ONLY: [NamedNodeRef<'static>; 3] =
    [foaf::GIVEN_NAME, foaf::FAMILY_NAME, org::MEMBER_OF];

/// Whether `predicate` is copied from a linked resource of `classes` (see [`ENRICHING`]).
fn lent_by(predicate: NamedNodeRef<'_>, classes: &[NamedNode]) -> bool {
    let is = |class: NamedNodeRef<'_>| classes.iter().any(|c| c.as_ref() == class);
    if PAPERS_ONLY.contains(&predicate) {
        is(fabio::DATA_PAPER)
    } else if PERSONS_ONLY.contains(&predicate) {
        is(foaf::PERSON)
    } else if predicate == dct::IDENTIFIER {
        is(dcat::DATASET)
    } else {
        true
    }
}

/// The predicates copied from linked resources (see [`is_type_or_label`]); types first,
/// as [`lent_by`] reads them.
const ENRICHING: [NamedNodeRef<'static>; 13] = [
    RDF_TYPE,
    foaf::PRIMARY_TOPIC,
    prism::DOI,
    dct::BIBLIOGRAPHIC_CITATION,
    foaf::GIVEN_NAME,
    foaf::FAMILY_NAME,
    org::MEMBER_OF,
    dct::IDENTIFIER,
    skos::PREF_LABEL,
    foaf::NAME,
    dct::TITLE,
    rdfs::LABEL,
    vcard::FN,
];

/// Whether a quad is a type, a catalog record's topic (so a page listing records can link
/// to local pages), a data paper's DOI or citation (so citations can be shown), a person's
/// affiliation (so exports can name it), or a label.
fn is_type_or_label(quad: &Quad) -> bool {
    quad.predicate == RDF_TYPE
        || quad.predicate == foaf::PRIMARY_TOPIC
        || quad.predicate == prism::DOI
        || quad.predicate == dct::BIBLIOGRAPHIC_CITATION
        || PERSONS_ONLY.contains(&quad.predicate.as_ref())
        || (LABELS.contains(&quad.predicate.as_ref()) && quad.object.is_literal())
}

/// [`is_type_or_label`], keeping labels only in the languages we copy: the EU code lists
/// label each code in 24 languages.
pub(super) fn is_type_or_wanted_label(quad: &Quad) -> bool {
    if !is_type_or_label(quad) {
        return false;
    }
    match &quad.object {
        Term::Literal(l) => l.language().is_none_or(|lang| {
            LABEL_LANGUAGES
                .iter()
                .any(|wanted| lang.eq_ignore_ascii_case(wanted))
        }),
        _ => true,
    }
}
