//! Reading a description's quads by subject, for exports (pages have their own reader,
//! which prefers one language; exports keep every language).

use crate::model::vocab::{LABELS, RDF_TYPE, rdf_list};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNodeRef, Quad, Term};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// A literal with its language tag, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The BCP 47 tag, lower case.
    pub language: Option<String>,
    /// The text.
    pub value: String,
}

/// The quads of a description, indexed by subject.
pub struct QuadIndex<'a> {
    /// Hashes a subject; the buckets are keyed by its hash, not by the borrowed term, so
    /// that a lookup with a shorter-lived term still returns the quads' own lifetime.
    hasher: std::collections::hash_map::RandomState,
    /// Keyed by the subject itself (hashing a term borrows it; no string is built).
    by_subject: HashMap<u64, Vec<&'a Quad>>,
}

impl<'a> QuadIndex<'a> {
    /// Indexes `quads`.
    pub fn new(quads: &'a [Quad]) -> Self {
        let hasher = std::collections::hash_map::RandomState::new();
        let mut by_subject: HashMap<u64, Vec<&Quad>> = HashMap::new();
        for quad in quads {
            by_subject
                .entry(hasher.hash_one(quad.subject.as_ref()))
                .or_default()
                .push(quad);
        }
        Self { hasher, by_subject }
    }

    /// The node for an IRI we hold as text (IRIs come from the store: valid).
    pub fn node(iri: &str) -> NamedOrBlankNodeRef<'_> {
        NamedNodeRef::new_unchecked(iri).into()
    }

    /// A term as a subject, when it can be one.
    pub fn as_node(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
        match term {
            Term::NamedNode(n) => Some(n.as_ref().into()),
            Term::BlankNode(b) => Some(b.as_ref().into()),
            _ => None,
        }
    }

    /// The quads whose subject is `subject`, in quad order.
    pub fn about<'s>(
        &'s self,
        subject: NamedOrBlankNodeRef<'s>,
    ) -> impl Iterator<Item = &'a Quad> + 's {
        let bucket = self.by_subject.get(&self.hasher.hash_one(subject));
        bucket
            .into_iter()
            .flatten()
            .copied()
            .filter(move |q| q.subject.as_ref() == subject)
    }

    /// The objects of `subject predicate ?o`, without repeats, in quad order.
    pub fn objects(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<&'a Term> {
        let mut out: Vec<&Term> = Vec::new();
        for quad in self.about(subject) {
            if quad.predicate == predicate && !out.contains(&&quad.object) {
                out.push(&quad.object);
            }
        }
        out
    }

    /// The IRI objects of `subject predicate`.
    pub fn iris(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<String> {
        self.objects(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }

    /// The literal objects of `subject predicate`, with their languages.
    pub fn literals(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<Text> {
        self.objects(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(Text {
                    language: l.language().map(str::to_ascii_lowercase),
                    value: l.value().to_owned(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The lexical form of the first literal of `subject predicate`.
    pub fn first_lexical(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Option<String> {
        self.literals(subject, predicate)
            .into_iter()
            .next()
            .map(|t| t.value)
    }

    /// The labels of `node` by the first label predicate it has (see [`LABELS`]).
    pub fn labels(&self, node: NamedOrBlankNodeRef<'_>) -> Vec<Text> {
        LABELS
            .iter()
            .map(|p| self.literals(node, *p))
            .find(|labels| !labels.is_empty())
            .unwrap_or_default()
    }

    /// Whether `node` has the type `class`.
    pub fn has_type(&self, node: NamedOrBlankNodeRef<'_>, class: NamedNodeRef<'_>) -> bool {
        self.objects(node, RDF_TYPE)
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == class))
    }

    /// The members of the RDF list starting at `head`, in order; stops at a cycle or a
    /// malformed cell rather than looping.
    pub fn list(&self, head: &Term) -> Vec<&'a Term> {
        let mut members = Vec::new();
        let mut seen: Vec<NamedOrBlankNodeRef<'_>> = Vec::new();
        let mut cell = head;
        while let Some(node) = Self::as_node(cell) {
            if node == rdf_list::NIL.into() || seen.contains(&node) {
                break;
            }
            seen.push(node);
            let (Some(first), Some(rest)) = (
                self.objects(node, rdf_list::FIRST).first().copied(),
                self.objects(node, rdf_list::REST).first().copied(),
            ) else {
                break;
            };
            members.push(first);
            cell = rest;
        }
        members
    }
}
