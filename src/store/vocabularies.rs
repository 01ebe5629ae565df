//! The bundled controlled vocabularies (EU NALs and our additions, see
//! `ontologies/PROVENANCE.md`), kept in `{base}graphs/vocabularies` so descriptions can
//! carry the types and labels of the codes they reference.

use super::state::StoreState;
use super::{CatalogStore, StoreError};
use crate::model::vocab::{RDF_TYPE, dct, skos};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, TermRef};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The files, in load order, with their syntax.
const BUNDLE: &[(&str, RdfFormat, &[u8])] = &[
    (
        "eu-vocabularies/data-theme-skos.rdf",
        RdfFormat::RdfXml,
        include_bytes!("../../ontologies/eu-vocabularies/data-theme-skos.rdf"),
    ),
    (
        "eu-vocabularies/filetypes-skos.rdf",
        RdfFormat::RdfXml,
        include_bytes!("../../ontologies/eu-vocabularies/filetypes-skos.rdf"),
    ),
    (
        "eu-vocabularies/frequencies-skos.rdf",
        RdfFormat::RdfXml,
        include_bytes!("../../ontologies/eu-vocabularies/frequencies-skos.rdf"),
    ),
    (
        "eu-vocabularies/licences-skos.rdf",
        RdfFormat::RdfXml,
        include_bytes!("../../ontologies/eu-vocabularies/licences-skos.rdf"),
    ),
    (
        "eu-vocabularies/access-right-skos-ap-act.rdf",
        RdfFormat::RdfXml,
        include_bytes!("../../ontologies/eu-vocabularies/access-right-skos-ap-act.rdf"),
    ),
    (
        "additions.ttl",
        RdfFormat::Turtle,
        include_bytes!("../../ontologies/additions.ttl"),
    ),
    (
        "mqa-metrics.ttl",
        RdfFormat::Turtle,
        include_bytes!("../../ontologies/mqa-metrics.ttl"),
    ),
];

/// The DCMI class that DCAT-AP's range shapes expect of each scheme's members, which the
/// NAL files themselves type only as `skos:Concept`.
const SCHEME_MEMBER_CLASSES: &[(&str, NamedNodeRef<'static>)] = &[
    (
        "http://publications.europa.eu/resource/authority/licence",
        dct::LICENSE_DOCUMENT,
    ),
    (
        "http://publications.europa.eu/resource/authority/file-type",
        dct::MEDIA_TYPE_OR_EXTENT,
    ),
    (
        "http://publications.europa.eu/resource/authority/frequency",
        dct::FREQUENCY,
    ),
    (
        "http://publications.europa.eu/resource/authority/access-right",
        dct::RIGHTS_STATEMENT,
    ),
];

fn bundle_version() -> String {
    let mut hasher = Sha256::new();
    for (name, _, bytes) in BUNDLE {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    format!("{:x}", hasher.finalize())
}

/// The bundled vocabularies as one graph, with the classes DCAT-AP gives their members:
/// what `passerelle validate` checks coded values against without a store.
pub fn bundled_vocabularies() -> Result<oxigraph::model::Graph, StoreError> {
    let mut graph = oxigraph::model::Graph::new();
    for (name, format, bytes) in BUNDLE {
        for quad in RdfParser::from_format(*format).for_slice(bytes) {
            let quad = quad.map_err(|e| StoreError::Bundled {
                name,
                message: e.to_string(),
            })?;
            graph.insert(oxigraph::model::TripleRef::from(quad.as_ref()));
        }
    }
    for (scheme, class) in SCHEME_MEMBER_CLASSES {
        let scheme = NamedNodeRef::new_unchecked(scheme);
        let members: Vec<NamedOrBlankNode> = graph
            .subjects_for_predicate_object(skos::IN_SCHEME, scheme)
            .map(|s| s.into_owned())
            .collect();
        for member in &members {
            graph.insert(oxigraph::model::TripleRef::new(member, RDF_TYPE, *class));
        }
    }
    Ok(graph)
}

pub(super) type VocabularyIndex = HashMap<String, Vec<Quad>>;

impl CatalogStore {
    /// Reads the vocabulary graph into a [`VocabularyIndex`].
    pub(super) fn index_vocabularies(&self) -> Result<VocabularyIndex, StoreError> {
        let graph = self.base.vocabulary_graph();
        let mut index = VocabularyIndex::new();
        for quad in self.store.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            let quad = quad?;
            if let NamedOrBlankNode::NamedNode(subject) = &quad.subject
                && super::lend::is_type_or_wanted_label(&quad)
            {
                index
                    .entry(subject.as_str().to_owned())
                    .or_default()
                    .push(quad);
            }
        }
        Ok(index)
    }

    /// Replaces the vocabulary graph when this binary's bundle differs from the stored one.
    pub(super) fn refresh_vocabularies(&self) -> Result<(), StoreError> {
        // Our profile's description depends on the base: a new base refreshes it too.
        let version = format!("{}+{}", bundle_version(), self.base.profile().as_str());
        let mut state = StoreState::read(&self.data_dir)?;
        if state.vocabularies.as_deref() == Some(version.as_str()) {
            return Ok(());
        }
        let graph = self.base.vocabulary_graph();
        let graph_name = GraphNameRef::NamedNode(graph.as_ref());
        let mut transaction = self.store.start_transaction()?;
        transaction.clear_graph(graph_name)?;
        for (name, format, bytes) in BUNDLE {
            for quad in RdfParser::from_format(*format).for_slice(bytes) {
                let quad = quad.map_err(|e| StoreError::Bundled {
                    name,
                    message: e.to_string(),
                })?;
                transaction.insert(QuadRef::new(
                    &quad.subject,
                    &quad.predicate,
                    &quad.object,
                    graph_name,
                ));
            }
        }
        // Kept with the vocabularies so that descriptions lend its type and titles, as
        // they do the DCAT-AP release's.
        for triple in crate::model::profile::description(&self.base) {
            transaction.insert(&triple.in_graph(graph.clone()));
        }
        for (scheme, class) in SCHEME_MEMBER_CLASSES {
            let scheme = NamedNodeRef::new_unchecked(scheme);
            let members: Vec<_> = transaction
                .quads_for_pattern(
                    None,
                    Some(skos::IN_SCHEME),
                    Some(TermRef::NamedNode(scheme)),
                    Some(graph_name),
                )
                .map(|q| q.map(|q| q.subject))
                .collect::<Result<_, _>>()?;
            for member in &members {
                transaction.insert(QuadRef::new(member, RDF_TYPE, *class, graph_name));
            }
        }
        self.commit(transaction)?;
        state.vocabularies = Some(version);
        state.write(&self.data_dir)
    }
}
