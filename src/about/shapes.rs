//! The shapes in force, `{base}shapes` and `{base}shapes/{kind}`: our application profile
//! (what the write API and the publishing forms check, a profile of DCAT-AP 3.0.1), as a
//! W3C PROF profile whose SHACL shapes anyone can run on what we serve.

use crate::model::vocab::{RDF_TYPE, dcat, fabio, foaf};
use crate::model::{BaseIri, ResourceKind};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, TermRef, Triple, TripleRef,
};
use std::collections::HashSet;

const SH_TARGET_CLASS: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#targetClass");
use crate::model::profile::PROF;

/// The profile's shapes, parsed once.
pub struct Shapes {
    all: Graph,
}

/// The record kinds that have shapes, by their path segment.
pub const KINDS: [ResourceKind; 4] = [
    ResourceKind::Dataset,
    ResourceKind::Distribution,
    ResourceKind::DataPaper,
    ResourceKind::Agent,
];

fn classes(kind: ResourceKind) -> &'static [NamedNodeRef<'static>] {
    match kind {
        ResourceKind::Dataset => &[dcat::DATASET],
        ResourceKind::Distribution => &[dcat::DISTRIBUTION],
        ResourceKind::DataPaper => &[fabio::DATA_PAPER],
        ResourceKind::Agent => &[foaf::AGENT],
        ResourceKind::Record => &[],
    }
}

impl Shapes {
    /// Parses [`crate::validate::PROFILE`].
    pub fn new() -> Result<Self, String> {
        let mut all = Graph::new();
        for quad in
            RdfParser::from_format(RdfFormat::Turtle).for_slice(crate::validate::PROFILE.as_bytes())
        {
            let quad = quad.map_err(|e| e.to_string())?;
            all.insert(TripleRef::from(quad.as_ref()));
        }
        Ok(Self { all })
    }

    /// Every shape, with the profile's description at `{base}shapes`.
    pub fn all(&self, base: &BaseIri) -> Vec<Triple> {
        let mut out: Vec<Triple> = self.all.iter().map(TripleRef::into_owned).collect();
        out.extend(profile(base));
        out
    }

    /// The shapes of `kind`'s records (those that target its class, with the nodes they
    /// own), and the profile's description.
    pub fn of(&self, kind: ResourceKind, base: &BaseIri) -> Vec<Triple> {
        let mut seen: HashSet<NamedOrBlankNodeRef<'_>> = HashSet::new();
        let mut todo: Vec<NamedOrBlankNodeRef<'_>> = classes(kind)
            .iter()
            .flat_map(|class| {
                self.all
                    .subjects_for_predicate_object(SH_TARGET_CLASS, *class)
            })
            .collect();
        let mut out = Vec::new();
        while let Some(node) = todo.pop() {
            if !seen.insert(node) {
                continue;
            }
            for triple in self.all.triples_for_subject(node) {
                out.push(triple.into_owned());
                match triple.object {
                    TermRef::BlankNode(b) => todo.push(b.into()),
                    // A shape the profile defines (`sh:node`): part of it.
                    TermRef::NamedNode(n) if self.all.triples_for_subject(n).next().is_some() => {
                        todo.push(n.into());
                    }
                    _ => {}
                }
            }
        }
        out.extend(profile(base));
        out
    }
}

/// `{base}shapes` as a W3C PROF profile of DCAT-AP 3.0.1, with a resource per kind.
fn profile(base: &BaseIri) -> Vec<Triple> {
    let term = |local: &str| NamedNode::new_unchecked(format!("{PROF}{local}"));
    let iri = |text: String| NamedNode::new_unchecked(text);
    let us = base.profile();
    let mut out = crate::model::profile::description(base);
    let base = base.as_str();
    for kind in KINDS {
        let resource = iri(format!("{base}shapes/{}", kind.path_segment()));
        out.push(Triple::new(
            us.clone(),
            term("hasResource"),
            resource.clone(),
        ));
        out.push(Triple::new(
            resource.clone(),
            RDF_TYPE,
            term("ResourceDescriptor"),
        ));
        out.push(Triple::new(
            resource.clone(),
            term("hasRole"),
            iri("http://www.w3.org/ns/dx/prof/role/validation".to_owned()),
        ));
        out.push(Triple::new(
            resource.clone(),
            crate::model::vocab::dct::CONFORMS_TO,
            iri("https://www.w3.org/TR/shacl/".to_owned()),
        ));
        out.push(Triple::new(
            resource,
            term("hasArtifact"),
            iri(format!("{base}shapes/{}", kind.path_segment())),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BaseIri {
        BaseIri::parse("http://ex.org/").expect("a base")
    }

    #[test]
    fn each_kind_gets_its_own_shapes() -> Result<(), String> {
        let shapes = Shapes::new()?;
        let targets = |kind| {
            shapes
                .of(kind, &base())
                .into_iter()
                .filter(|t| t.predicate == SH_TARGET_CLASS)
                .map(|t| t.object.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            targets(ResourceKind::Dataset),
            ["<http://www.w3.org/ns/dcat#Dataset>"]
        );
        assert!(
            targets(ResourceKind::Agent).contains(&"<http://xmlns.com/foaf/0.1/Agent>".to_owned())
        );
        let dataset = shapes.of(ResourceKind::Dataset, &base());
        let all = shapes.all(&base());
        assert!(dataset.len() < all.len());
        assert!(
            dataset
                .iter()
                .any(|t| t.predicate.as_str().ends_with("#path"))
        );
        Ok(())
    }
}
