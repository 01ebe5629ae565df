//! Three datasets whose MQA points were counted by hand from the methodology's weights
//! (see each test's comments), not taken from our output.

use super::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;

const PREFIXES: &str = "
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix iana: <http://www.iana.org/assignments/media-types/> .
";

fn graph(turtle: &str) -> Graph {
    let mut graph = Graph::new();
    let text = format!("{PREFIXES}{turtle}");
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
        let quad = quad.unwrap_or_else(|e| panic!("{e}"));
        graph.insert(oxigraph::model::TripleRef::from(quad.as_ref()));
    }
    graph
}

fn codes() -> Codes {
    Codes::of(&crate::store::bundled_vocabularies().unwrap_or_default())
}

fn assessed(turtle: &str, compliant: bool, status: &dyn Fn(&str) -> Option<u16>) -> Assessment {
    let graph = graph(turtle);
    let dataset = NamedNode::new_unchecked("https://ex.org/d");
    assess(
        &graph,
        dataset.as_ref().into(),
        &codes(),
        &Evidence { compliant, status },
    )
}

fn points(assessment: &Assessment) -> Vec<f64> {
    assessment.dimensions.iter().map(|d| d.points).collect()
}

#[test]
fn a_complete_dataset_earns_every_point() {
    let a = assessed(
        r#"<https://ex.org/d> a dcat:Dataset ; dct:title "Complete"@fr ;
            dcat:keyword "eau"@fr ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
            dct:spatial <http://publications.europa.eu/resource/authority/country/FRA> ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
            dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
            dcat:contactPoint [ a vcard:Kind ; vcard:fn "Obs" ] ;
            dct:publisher <https://ex.org/agents/p> ;
            dct:issued "2020-01-01"^^xsd:date ; dct:modified "2021-01-01"^^xsd:date ;
            dcat:distribution <https://ex.org/f> .
        <https://ex.org/f> a dcat:Distribution ; dcat:accessURL <https://ex.org/a> ;
            dcat:downloadURL <https://ex.org/f.csv> ; dct:format ft:CSV ; dcat:mediaType iana:text\/csv ;
            dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
            dct:rights [ a dct:RightsStatement ] ; dcat:byteSize "10"^^xsd:nonNegativeInteger ."#,
        true,
        &|_| Some(200),
    );
    // 100 + 100 + 110 + 75 + 20.
    assert_eq!(points(&a), [100.0, 100.0, 110.0, 75.0, 20.0]);
    assert_eq!(a.total, 405.0);
    assert_eq!(a.band, Band::Excellent);
}

#[test]
fn a_poor_dataset_earns_nothing() {
    let a = assessed(
        r#"<https://ex.org/d> a dcat:Dataset ; dct:title "Poor"@fr ; dct:description "x"@fr ;
            dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://ex.org/a> ] ."#,
        false,
        &|_| None,
    );
    // No keyword, theme, place or period; the access URL is not checked yet, there is no
    // download URL, format, media type, licence, right, size, access right, contact,
    // publisher or date; the profile is not met.
    assert_eq!(points(&a), [0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(a.total, 0.0);
    assert_eq!(a.band, Band::Bad);
    let access = a
        .indicators
        .iter()
        .find(|i| i.metric == Metric::AccessUrlStatusCode);
    assert_eq!(
        access.map(|i| i.unchecked),
        Some(1),
        "said as not checked, not as failed"
    );
}

#[test]
fn a_typical_harvested_dataset_earns_its_share_of_each_indicator() {
    let a = assessed(
        r#"<https://ex.org/d> a dcat:Dataset ; dct:title "Harvested"@fr ;
            dcat:keyword "air"@fr ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
            dcat:contactPoint [ a vcard:Kind ; vcard:fn "Obs" ] ;
            dct:publisher <https://ex.org/agents/p> ; dct:issued "2020-01-01"^^xsd:date ;
            dcat:distribution <https://ex.org/f1>, <https://ex.org/f2> .
        <https://ex.org/f1> a dcat:Distribution ; dcat:accessURL <https://ex.org/a1> ;
            dcat:downloadURL <https://ex.org/gone.csv> ; dct:format ft:CSV ; dcat:mediaType iana:text\/csv ;
            dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> ;
            dcat:byteSize "10"^^xsd:nonNegativeInteger .
        <https://ex.org/f2> a dcat:Distribution ; dcat:accessURL <https://ex.org/a2> ;
            dct:format ft:PDF ; dct:license <https://example.org/our-own-licence> ."#,
        true,
        &|url| Some(if url.ends_with("gone.csv") { 404 } else { 200 }),
    );
    // Findability: keyword 30 + theme 30 + period 20 (no place) = 80.
    // Accessibility: access URLs 2/2 × 50 = 50; download URL 1/2 × 20 = 10; the one
    // download URL answers 404: 0/2 × 30 = 0. 60.
    // Interoperability: the CSV file is the best (format 20, media type 10, both from the
    // vocabularies 10, non-proprietary 20, machine-readable 20 = 80; the PDF earns 40),
    // + DCAT-AP compliance 30 = 110.
    // Reusability: licences 2/2 × 20 = 20; known licences 1/2 × 10 = 5 (Etalab, not the
    // home-made one); no access rights 0 + 0; contact 20; publisher 10. 55.
    // Contextuality: rights 0/2; sizes 1/2 × 5 = 2.5; issued 5; not modified 0. 7.5.
    assert_eq!(points(&a), [80.0, 60.0, 110.0, 55.0, 7.5]);
    assert_eq!(a.total, 312.5);
    assert_eq!(a.band, Band::Good);
}

#[test]
fn the_dqv_says_every_measurement_and_the_rating() {
    let a = assessed(
        r#"<https://ex.org/d> a dcat:Dataset ; dcat:keyword "eau"@fr ;
            dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://ex.org/a> ] ."#,
        false,
        &|_| None,
    );
    let dataset = NamedOrBlankNode::from(NamedNode::new_unchecked("https://ex.org/d"));
    let triples = dqv::triples(&a, &dataset, "https://ex.org/d/quality");
    let has = |p: &str| {
        triples
            .iter()
            .filter(|t| t.predicate.as_str() == format!("http://www.w3.org/ns/dqv#{p}"))
            .count()
    };
    // 11 dataset indicators + 12 on the distribution, less the unchecked access URL, and
    // the total.
    assert_eq!(has("hasQualityMeasurement"), 11 + 12 - 1 + 1);
    assert_eq!(has("isMeasurementOf"), has("hasQualityMeasurement"));
    assert!(
        triples
            .iter()
            .any(|t| t.object.to_string() == "<https://piveau.eu/ns/scoring#bad>")
    );
}
