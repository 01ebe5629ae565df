//! An assessment as W3C Data Quality Vocabulary: a `dqv:QualityMeasurement` per indicator
//! and resource (`dqv:isMeasurementOf` piveau's metric, `dqv:computedOn` the dataset or
//! distribution, `dqv:value`), the total as a measurement of `pv:score`, and the rating
//! as a `dqv:QualityAnnotation` whose body is piveau's scoring concept.

use super::{Assessment, Value, metrics::PV};
use crate::model::vocab::RDF_TYPE;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

const DQV: &str = "http://www.w3.org/ns/dqv#";
const OA: &str = "http://www.w3.org/ns/oa#";

fn dqv(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{DQV}{local}"))
}

/// The triples of `assessment` of `dataset`, its measurements named `{page}#m{n}` (`page`:
/// the quality page's IRI).
pub fn triples(assessment: &Assessment, dataset: &NamedOrBlankNode, page: &str) -> Vec<Triple> {
    let mut triples = Vec::new();
    let mut measure = |n: usize, metric: NamedNode, on: &NamedOrBlankNode, value: Literal| {
        let node = NamedNode::new_unchecked(format!("{page}#m{n}"));
        triples.push(Triple::new(
            dataset.clone(),
            dqv("hasQualityMeasurement"),
            node.clone(),
        ));
        triples.push(Triple::new(
            node.clone(),
            RDF_TYPE,
            dqv("QualityMeasurement"),
        ));
        triples.push(Triple::new(node.clone(), dqv("isMeasurementOf"), metric));
        triples.push(Triple::new(
            node.clone(),
            dqv("computedOn"),
            Term::from(on.clone()),
        ));
        triples.push(Triple::new(node, dqv("value"), value));
    };
    let mut n = 0;
    for m in &assessment.measurements {
        let value = match m.value {
            Value::Bool(b) => Literal::from(b),
            Value::Status(code) => Literal::from(i64::from(code)),
            Value::Unchecked => continue,
        };
        n += 1;
        measure(n, NamedNode::new_unchecked(m.metric.iri()), &m.on, value);
    }
    let total = Literal::new_typed_literal(format!("{:.2}", assessment.total), xsd::DECIMAL);
    measure(
        0,
        NamedNode::new_unchecked(format!("{PV}score")),
        dataset,
        total,
    );
    let rating = NamedNode::new_unchecked(format!("{page}#rating"));
    triples.push(Triple::new(
        dataset.clone(),
        dqv("hasQualityAnnotation"),
        rating.clone(),
    ));
    triples.push(Triple::new(
        rating.clone(),
        RDF_TYPE,
        dqv("QualityAnnotation"),
    ));
    triples.push(Triple::new(
        rating.clone(),
        NamedNode::new_unchecked(format!("{OA}hasTarget")),
        Term::from(dataset.clone()),
    ));
    triples.push(Triple::new(
        rating.clone(),
        NamedNode::new_unchecked(format!("{OA}hasBody")),
        NamedNode::new_unchecked(assessment.band.iri()),
    ));
    triples.push(Triple::new(
        rating,
        NamedNode::new_unchecked(format!("{OA}motivatedBy")),
        dqv("qualityAssessment"),
    ));
    triples
}
