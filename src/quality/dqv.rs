//! An assessment as W3C Data Quality Vocabulary: a `dqv:QualityMeasurement` per indicator
//! and resource (`dqv:isMeasurementOf` piveau's metric, `dqv:computedOn` the dataset or
//! distribution, `dqv:value`), the total as a measurement of `pv:score`, and the rating
//! as a `dqv:QualityAnnotation` whose body is piveau's scoring concept.

use super::{Assessment, Band, Value, metrics::PV};
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
    let mut n = 0;
    for m in &assessment.measurements {
        let value = match m.value {
            Value::Bool(b) => Literal::from(b),
            Value::Status(code) => Literal::from(i64::from(code)),
            Value::Unchecked => continue,
        };
        n += 1;
        let node = NamedNode::new_unchecked(format!("{page}#m{n}"));
        let metric = NamedNode::new_unchecked(m.metric.iri());
        measure(&mut triples, (dataset, &m.on), (node, metric), value);
    }
    add_score(
        &mut triples,
        dataset,
        (assessment.total, assessment.band),
        page,
    );
    triples
}

/// The catalog's score (`mean`, the mean of its datasets') and rating (`band`), measured
/// on `catalog` and named `{page}#…`.
pub fn catalog_triples((mean, band): (f64, Band), catalog: &NamedNode, page: &str) -> Vec<Triple> {
    let mut triples = Vec::new();
    let catalog = NamedOrBlankNode::from(catalog.clone());
    add_score(&mut triples, &catalog, (mean, band), page);
    triples
}

/// `node`, a measurement of `metric` on `on` (one of `owner`'s), valued `value`.
fn measure(
    triples: &mut Vec<Triple>,
    (owner, on): (&NamedOrBlankNode, &NamedOrBlankNode),
    (node, metric): (NamedNode, NamedNode),
    value: Literal,
) {
    triples.push(Triple::new(
        owner.clone(),
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
}

/// The total as a measurement of `pv:score` (`{page}#m0`) and the rating as a
/// `dqv:QualityAnnotation` (`{page}#rating`) of `subject`.
fn add_score(
    triples: &mut Vec<Triple>,
    subject: &NamedOrBlankNode,
    (total, band): (f64, Band),
    page: &str,
) {
    let value = Literal::new_typed_literal(format!("{total:.2}"), xsd::DECIMAL);
    let node = NamedNode::new_unchecked(format!("{page}#m0"));
    let metric = NamedNode::new_unchecked(format!("{PV}score"));
    measure(triples, (subject, subject), (node, metric), value);
    let rating = NamedNode::new_unchecked(format!("{page}#rating"));
    let oa = |local: &str| NamedNode::new_unchecked(format!("{OA}{local}"));
    triples.push(Triple::new(
        subject.clone(),
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
        oa("hasTarget"),
        Term::from(subject.clone()),
    ));
    triples.push(Triple::new(
        rating.clone(),
        oa("hasBody"),
        NamedNode::new_unchecked(band.iri()),
    ));
    triples.push(Triple::new(
        rating,
        oa("motivatedBy"),
        dqv("qualityAssessment"),
    ));
}
