//! A dataset's fingerprint: the SHA-256 of its description in canonical N-Quads (W3C
//! RDFC-1.0, via sophia). Two runs that read the same description, whatever the order of
//! its triples or the labels of its blank nodes, give the same fingerprint, so an
//! unchanged dataset is not rewritten.

use oxigraph::model::{NamedOrBlankNodeRef, TermRef, Triple};
use sha2::{Digest as _, Sha256};
use sophia_api::MownStr;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use std::collections::HashSet;

/// Why a description has no fingerprint.
#[derive(Debug, thiserror::Error)]
#[error("the description cannot be canonicalized: {0}")]
pub struct DigestError(String);

/// The hex SHA-256 of the canonical N-Quads of `triples`.
///
/// Fails on "toxic" graphs (blank nodes so alike that canonicalization would take too
/// long); the caller then treats the dataset as changed.
pub fn digest(triples: &[Triple]) -> Result<String, DigestError> {
    let dataset: HashSet<([SimpleTerm<'_>; 3], Option<SimpleTerm<'_>>)> = triples
        .iter()
        .map(|t| {
            let subject = match t.subject.as_ref() {
                NamedOrBlankNodeRef::NamedNode(n) => iri(n.as_str()),
                NamedOrBlankNodeRef::BlankNode(b) => blank(b.as_str()),
            };
            (
                [subject, iri(t.predicate.as_str()), term(t.object.as_ref())],
                None,
            )
        })
        .collect();
    let mut canonical = Vec::new();
    sophia_c14n::rdfc10::normalize(&dataset, &mut canonical)
        .map_err(|e| DigestError(e.to_string()))?;
    Ok(format!("{:x}", Sha256::digest(&canonical)))
}

fn iri(text: &str) -> SimpleTerm<'_> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(text)))
}

fn blank(label: &str) -> SimpleTerm<'_> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(label)))
}

fn term(term: TermRef<'_>) -> SimpleTerm<'_> {
    match term {
        TermRef::Triple(t) => SimpleTerm::Triple(Box::new([
            match t.subject.as_ref() {
                NamedOrBlankNodeRef::NamedNode(n) => iri(n.as_str()),
                NamedOrBlankNodeRef::BlankNode(b) => blank(b.as_str()),
            },
            iri(t.predicate.as_str()),
            self::term(t.object.as_ref()),
        ])),
        TermRef::NamedNode(n) => iri(n.as_str()),
        TermRef::BlankNode(b) => blank(b.as_str()),
        TermRef::Literal(l) => match l.language() {
            Some(language) => SimpleTerm::LiteralLanguage(
                MownStr::from(l.value()),
                LanguageTag::new_unchecked(MownStr::from(language)),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(l.value()),
                IriRef::new_unchecked(MownStr::from(l.datatype().as_str())),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn triples(turtle: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|q| Triple::from(q.unwrap_or_else(|e| panic!("{e}"))))
            .collect()
    }

    fn digest_of(turtle: &str) -> String {
        digest(&triples(turtle)).unwrap_or_else(|e| panic!("{e}"))
    }

    const DATASET: &str =
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://e.org/d> a dcat:Dataset ; dct:title \"Bancs\"@fr ;
            dcat:distribution [ dcat:accessURL <http://e.org/a> ; dct:title \"CSV\" ] ,
                              [ dcat:accessURL <http://e.org/b> ; dct:title \"JSON\" ] .";

    #[test]
    fn the_same_description_has_the_same_fingerprint_whatever_its_order_and_labels() {
        let reordered = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            _:json dct:title \"JSON\" ; dcat:accessURL <http://e.org/b> .
            <http://e.org/d> dcat:distribution _:json , _:csv ; dct:title \"Bancs\"@fr ; a dcat:Dataset .
            _:csv dcat:accessURL <http://e.org/a> ; dct:title \"CSV\" .";
        assert_eq!(digest_of(DATASET), digest_of(reordered));
        assert_eq!(digest_of(DATASET).len(), 64);
    }

    #[test]
    fn any_change_changes_the_fingerprint() {
        let moved = DATASET.replace(
            "<http://e.org/b> ; dct:title \"JSON\"",
            "<http://e.org/b> ; dct:title \"CSV\"",
        );
        let language = DATASET.replace("\"Bancs\"@fr", "\"Bancs\"@en");
        let typed = DATASET.replace("\"CSV\"", "\"CSV\"^^<http://e.org/t>");
        for changed in [moved, language, typed] {
            assert_ne!(digest_of(DATASET), digest_of(&changed), "{changed}");
        }
    }
}
