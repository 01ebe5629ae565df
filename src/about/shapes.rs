//! The shapes in force, `{base}shapes` and `{base}shapes/{kind}`: our application profile
//! (what the write API and the publishing forms check, a profile of DCAT-AP 3.0.1), as a
//! W3C PROF profile whose SHACL shapes anyone can run on what we serve.

use crate::model::ResourceKind;
use crate::model::vocab::{RDF_TYPE, dcat, fabio, foaf};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, TermRef, Triple, TripleRef,
};
use std::collections::HashSet;

const SH_TARGET_CLASS: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#targetClass");
const PROF: &str = "http://www.w3.org/ns/dx/prof/";
/// The DCAT-AP release our profile narrows.
pub const DCAT_AP: &str = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/";

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
    pub fn all(&self, base: &str) -> Vec<Triple> {
        let mut out: Vec<Triple> = self.all.iter().map(TripleRef::into_owned).collect();
        out.extend(profile(base));
        out
    }

    /// The shapes of `kind`'s records (those that target its class, with the nodes they
    /// own), and the profile's description.
    pub fn of(&self, kind: ResourceKind, base: &str) -> Vec<Triple> {
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
fn profile(base: &str) -> Vec<Triple> {
    let term = |local: &str| NamedNode::new_unchecked(format!("{PROF}{local}"));
    let iri = |text: String| NamedNode::new_unchecked(text);
    let us = iri(format!("{base}shapes"));
    let mut out = vec![
        Triple::new(us.clone(), RDF_TYPE, term("Profile")),
        Triple::new(
            us.clone(),
            crate::model::vocab::dct::TITLE,
            Literal::new_language_tagged_literal_unchecked("Passerelle application profile", "en"),
        ),
        Triple::new(
            us.clone(),
            crate::model::vocab::dct::TITLE,
            Literal::new_language_tagged_literal_unchecked(
                "Profil d'application de Passerelle",
                "fr",
            ),
        ),
        Triple::new(us.clone(), term("isProfileOf"), iri(DCAT_AP.to_owned())),
    ];
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

    #[test]
    fn each_kind_gets_its_own_shapes() -> Result<(), String> {
        let shapes = Shapes::new()?;
        let targets = |kind| {
            shapes
                .of(kind, "http://ex.org/")
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
        let dataset = shapes.of(ResourceKind::Dataset, "http://ex.org/");
        let all = shapes.all("http://ex.org/");
        assert!(dataset.len() < all.len());
        assert!(
            dataset
                .iter()
                .any(|t| t.predicate.as_str().ends_with("#path"))
        );
        Ok(())
    }
}
