//! The catalog's VoID description, `{base}.well-known/void` (the place RFC 5785 and the
//! VoID note name): how many triples and entities it holds, by class and by property, the
//! vocabularies it uses, where to query it and where to download it all.
//!
//! Counting scans the store, so a description is kept with the store generation it
//! counted: a request after a write gets the last one at once while a new count runs in
//! the background (one at a time); only the very first request waits for a count.

use crate::model::vocab::RDF_TYPE;
use crate::store::{CatalogStore, Statistics, StoreError};
use oxigraph::model::{Literal, NamedNode, Term, Triple};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

const VOID: &str = "http://rdfs.org/ns/void#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";

/// A description and the store revision it counted.
type Counted = Option<((u64, u64), Arc<Vec<Triple>>)>;

/// The VoID description, counted at one store generation.
#[derive(Clone, Default)]
pub struct Void {
    last: Arc<Mutex<Counted>>,
    counting: Arc<AtomicBool>,
}

impl Void {
    /// The description of `store`: the last one counted, and a new count started in the
    /// background when the store changed since (counted now when there is none).
    pub fn of(&self, store: &CatalogStore) -> Result<Arc<Vec<Triple>>, StoreError> {
        let generation = store.revision();
        let last = self.lock().clone();
        match last {
            Some((counted, triples)) => {
                if counted != generation && !self.counting.swap(true, Ordering::AcqRel) {
                    let (void, store) = (self.clone(), store.clone());
                    // A count off the request's path; its flag is lowered however it
                    // ends (a panic included), or no count would ever run again.
                    std::thread::spawn(move || {
                        let _lowered = Lowered(&void.counting);
                        if let Err(error) = void.count(&store) {
                            tracing::error!(%error, "the VoID description could not be counted");
                        }
                    });
                }
                Ok(triples)
            }
            None => self.count(store),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counted> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts `store` now and keeps the description.
    fn count(&self, store: &CatalogStore) -> Result<Arc<Vec<Triple>>, StoreError> {
        let generation = store.revision();
        let statistics = store.statistics()?;
        let triples = Arc::new(description(store.base().as_str(), &statistics));
        *self.lock() = Some((generation, triples.clone()));
        Ok(triples)
    }
}

/// Lowers a flag when dropped.
struct Lowered<'a>(&'a AtomicBool);

impl Drop for Lowered<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

fn iri(text: String) -> NamedNode {
    NamedNode::new_unchecked(text)
}

fn term(namespace: &str, local: &str) -> NamedNode {
    iri(format!("{namespace}{local}"))
}

/// The namespace of a class or property IRI: up to its last `#` or `/`.
fn namespace(of: &str) -> &str {
    of.rfind(['#', '/']).map_or(of, |at| &of[..=at])
}

/// A count as a literal.
fn count(n: u64) -> Term {
    Literal::from(i64::try_from(n).unwrap_or(i64::MAX)).into()
}

/// The VoID triples for `statistics` of the catalog at `base`: the description, the
/// dataset with its links and counts, its partitions and the vocabularies they use.
fn description(base: &str, statistics: &Statistics) -> Vec<Triple> {
    let document = iri(format!("{base}.well-known/void"));
    let dataset = iri(format!("{base}.well-known/void#catalog"));
    let mut out = vec![
        Triple::new(document.clone(), RDF_TYPE, term(VOID, "DatasetDescription")),
        Triple::new(document, term(FOAF, "primaryTopic"), dataset.clone()),
        Triple::new(dataset.clone(), RDF_TYPE, term(VOID, "Dataset")),
    ];
    let said: [(NamedNode, Term); 13] = [
        (term(FOAF, "homepage"), iri(base.to_owned()).into()),
        (term(VOID, "rootResource"), iri(base.to_owned()).into()),
        (
            term(VOID, "sparqlEndpoint"),
            iri(format!("{base}sparql")).into(),
        ),
        (
            term(VOID, "dataDump"),
            iri(format!("{base}dump.nq.gz")).into(),
        ),
        (
            term(VOID, "feature"),
            iri("http://www.w3.org/ns/formats/N-Quads".into()).into(),
        ),
        (term(VOID, "uriSpace"), Literal::from(base).into()),
        (
            term(DCT, "conformsTo"),
            iri("http://www.w3.org/TR/void/".into()).into(),
        ),
        (term(VOID, "triples"), count(statistics.triples)),
        (term(VOID, "entities"), count(statistics.entities)),
        (
            term(VOID, "distinctSubjects"),
            count(statistics.distinct_subjects),
        ),
        (
            term(VOID, "classes"),
            count(statistics.classes.len() as u64),
        ),
        (
            term(VOID, "properties"),
            count(statistics.properties.len() as u64),
        ),
        (
            term(DCT, "modified"),
            Literal::new_typed_literal(
                crate::harvest::report::now_text(),
                oxigraph::model::vocab::xsd::DATE_TIME,
            )
            .into(),
        ),
    ];
    for (predicate, object) in said {
        out.push(Triple::new(dataset.clone(), predicate, object));
    }
    out.extend(partitions(base, &dataset, statistics));
    out
}

/// The class and property partitions of `dataset`, and the vocabularies they use.
fn partitions(base: &str, dataset: &NamedNode, statistics: &Statistics) -> Vec<Triple> {
    let mut out = Vec::new();
    let mut vocabularies = std::collections::BTreeSet::new();
    for (kind, (of, counted), parts) in [
        ("class", ("class", "entities"), &statistics.classes),
        ("property", ("property", "triples"), &statistics.properties),
    ] {
        for (n, (member, number)) in parts.iter().enumerate() {
            let part = iri(format!("{base}.well-known/void#{kind}-{}", n + 1));
            out.push(Triple::new(
                dataset.clone(),
                term(VOID, &format!("{kind}Partition")),
                part.clone(),
            ));
            out.push(Triple::new(
                part.clone(),
                term(VOID, of),
                iri(member.clone()),
            ));
            out.push(Triple::new(part, term(VOID, counted), count(*number)));
            vocabularies.insert(namespace(member).to_owned());
        }
    }
    for vocabulary in vocabularies {
        out.push(Triple::new(
            dataset.clone(),
            term(VOID, "vocabulary"),
            iri(vocabulary),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_vocabularies_follow_the_counts() {
        let mut statistics = Statistics {
            triples: 10,
            entities: 3,
            distinct_subjects: 4,
            ..Statistics::default()
        };
        statistics
            .classes
            .insert("http://www.w3.org/ns/dcat#Dataset".into(), 2);
        statistics
            .properties
            .insert("http://purl.org/dc/terms/title".into(), 5);
        let triples = description("http://ex.org/", &statistics);
        let value = |p: &str| {
            triples
                .iter()
                .filter(|t| t.predicate == term(VOID, p))
                .map(|t| t.object.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            value("triples"),
            [
                "\"10\"^^<http://www.w3.org/2001/XMLSchema#integer>",
                "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>"
            ]
        );
        assert_eq!(value("class"), ["<http://www.w3.org/ns/dcat#Dataset>"]);
        assert_eq!(
            value("vocabulary"),
            [
                "<http://purl.org/dc/terms/>",
                "<http://www.w3.org/ns/dcat#>"
            ]
        );
        assert_eq!(value("dataDump"), ["<http://ex.org/dump.nq.gz>"]);
    }
}
