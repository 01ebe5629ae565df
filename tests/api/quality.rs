//! A dataset's quality page: MQA points counted by hand from the methodology's weights for
//! a complete and a poor dataset written through the API, the advice for each missing
//! indicator in French and English, and the DQV measurements in RDF.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use super::search::search;
use common::api::{create, header, server};
use common::get_with;
use reqwest::StatusCode;

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
";

/// A dataset that says everything the MQA looks for.
fn complete(base: &str) -> String {
    format!(
        "{PREFIXES}[] a dcat:Dataset ; dct:title \"Qualité de l'eau\"@fr ; dct:description \"Mesures.\"@fr ;
        dcat:keyword \"eau\"@fr ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
        dct:spatial <http://publications.europa.eu/resource/authority/country/FRA> ;
        dct:temporal [ a dct:PeriodOfTime ; dcat:startDate \"2020-01-01\"^^xsd:date ] ;
        dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
        dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Observatoire\" ] ;
        dct:publisher <{base}agents/ecobio> ;
        dct:issued \"2020-01-01\"^^xsd:date ; dct:modified \"2021-06-01\"^^xsd:date ;
        dcat:distribution [ a dcat:Distribution ; dct:title \"Mesures\"@fr ;
          dcat:accessURL <https://files.example.org/eau> ; dcat:downloadURL <https://files.example.org/eau.csv> ;
          dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
          dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
          dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
          dct:rights [ a dct:RightsStatement ] ; dcat:byteSize \"2048\"^^xsd:nonNegativeInteger ] ."
    )
}

const POOR: &str =
    "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
[] a dcat:Dataset ; dct:title \"Presque rien\"@fr ; dct:description \"Peu.\"@fr ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://files.example.org/rien> ] .";

async fn json(url: &str) -> serde_json::Value {
    let answer = get_with(&format!("{url}/quality"), &[("Accept", "application/json")]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    serde_json::from_str(&answer.text().await.unwrap()).unwrap()
}

fn dimensions(quality: &serde_json::Value) -> Vec<f64> {
    quality["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["points"].as_f64().unwrap())
        .collect()
}

#[tokio::test]
async fn quality_pages_score_as_the_mqa_and_say_what_to_improve() {
    let (server, _temp) = server();
    let created = create(&server, "datasets", &complete(&server.base)).await;
    let good = server.url_of(&header(&created, "location"));
    let quality = json(&good).await;
    // Findability 30 + 30 + 20 + 20. Accessibility: the access URL is not checked yet (0 of
    // 50), a download URL (20), not checked (0 of 30). Interoperability: format 20, media
    // type 10, both from the lists 10, open 20, machine-readable 20, DCAT-AP 30.
    // Reusability: licence 20, known 10, access rights 10 + 5, contact 20, publisher 10.
    // Contextuality: rights 5, size 5, issued 5, modified 5.
    assert_eq!(dimensions(&quality), [100.0, 20.0, 110.0, 75.0, 20.0]);
    assert_eq!(quality["total"], 325.0);
    assert_eq!(quality["band"], "good");

    let created = create(&server, "datasets", POOR).await;
    let poor = server.url_of(&header(&created, "location"));
    let quality = json(&poor).await;
    // Only DCAT-AP compliance (30): title and description are there, the rest is optional.
    assert_eq!(dimensions(&quality), [0.0, 0.0, 30.0, 0.0, 0.0]);
    assert_eq!(quality["total"], 30.0);
    assert_eq!(quality["band"], "bad");

    // The page says what to do for each missing indicator, in the reader's language.
    for (language, advice) in [
        (
            "fr",
            [
                "Ajoutez des mots-clés",
                "Ajoutez une licence à chaque fichier",
                "Ajoutez un point de contact",
            ],
        ),
        (
            "en",
            [
                "Add keywords",
                "Add a licence to each file",
                "Add a contact point",
            ],
        ),
    ] {
        let page = get_with(
            &format!("{poor}/quality"),
            &[("Accept", "text/html"), ("Accept-Language", language)],
        )
        .await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        for said in advice {
            assert!(page.contains(said), "{language}: {said}");
        }
        assert!(page.contains("30 / 405"), "{page}");
    }
    let page = get_with(
        &format!("{good}/quality"),
        &[("Accept", "text/html"), ("Accept-Language", "en")],
    )
    .await;
    let page = page.text().await.unwrap();
    assert!(
        !page.contains("Add keywords"),
        "no advice for what is there"
    );
    assert!(
        page.contains("Make sure each file&#x27;s access URL answers"),
        "unchecked URLs are advised"
    );

    // As DQV: one measurement per indicator and resource (less the unchecked URLs), and the
    // total, all about the dataset.
    let turtle = get_with(
        &format!("{poor}/quality"),
        &[("Accept", "application/n-triples")],
    )
    .await;
    assert_eq!(turtle.status(), StatusCode::OK);
    let triples = turtle.text().await.unwrap();
    let measurements = triples
        .lines()
        .filter(|l| l.contains("<http://www.w3.org/ns/dqv#isMeasurementOf>"))
        .count();
    assert_eq!(measurements, 11 + 12 - 1 + 1);
    assert!(triples.contains("<https://piveau.eu/ns/voc#score>"));
    assert!(
        triples.contains("\"30.00\"^^<http://www.w3.org/2001/XMLSchema#decimal>"),
        "{triples}"
    );
    assert!(triples.contains("<https://piveau.eu/ns/scoring#bad>"));
    let unknown = get_with(&format!("{}/datasets/no-such/quality", server.url), &[]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

/// The dashboard's JSON once every dataset is scored and `datasets` are counted.
async fn dashboard_with(server: &common::Server, datasets: Option<u64>) -> serde_json::Value {
    for _ in 0..200 {
        let answer = get_with(&format!("{}/quality?format=json", server.url), &[]).await;
        assert_eq!(answer.status(), StatusCode::OK);
        let summary: serde_json::Value =
            serde_json::from_str(&answer.text().await.unwrap()).unwrap();
        let counted = summary["datasets"].as_u64();
        if summary["ready"] == true && datasets.is_none_or(|n| counted == Some(n)) {
            return summary;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the quality board never caught up");
}

#[tokio::test]
async fn the_dashboard_adds_up_the_datasets_pages_and_follows_writes() {
    let (server, _temp) = server();
    let summary = dashboard_with(&server, None).await;
    let ids = ranked(&search(&server, "page_size=100").await);
    assert_eq!(summary["datasets"].as_u64(), Some(ids.len() as u64));
    // What each dataset's page says, added up here.
    let mut totals = Vec::new();
    let mut missed: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for id in &ids {
        let quality = json(&format!("{}/datasets/{id}", server.url)).await;
        totals.push(quality["total"].as_f64().unwrap());
        for indicator in quality["indicators"].as_array().unwrap() {
            if indicator["points"].as_f64() < indicator["maximum"].as_f64() {
                *missed
                    .entry(indicator["metric"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
    }
    let mean = totals.iter().sum::<f64>() / totals.len() as f64;
    assert!(
        (summary["mean"].as_f64().unwrap() - mean).abs() < 0.01,
        "{summary} against {mean}"
    );
    let mut histogram = [0u64; 9];
    for total in &totals {
        histogram[((total / 45.0) as usize).min(8)] += 1;
    }
    assert_eq!(summary["histogram"], serde_json::json!(histogram));
    for pair in summary["failing"].as_array().unwrap() {
        let metric = pair[0].as_str().unwrap();
        assert_eq!(pair[1].as_u64(), missed.get(metric).copied(), "{metric}");
    }
    assert_eq!(summary["failing"].as_array().unwrap().len(), missed.len());
    let lowest = totals.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(summary["worst"][0][1].as_f64(), Some(lowest));

    // The DQV measurements stored give the same numbers to SPARQL.
    let query = "PREFIX dqv: <http://www.w3.org/ns/dqv#>
        SELECT (AVG(?v) AS ?mean) (COUNT(?v) AS ?n) (SUM(IF(?v < 45, 1, 0)) AS ?low)
        WHERE { GRAPH ?g { ?m dqv:isMeasurementOf <https://piveau.eu/ns/voc#score> ; dqv:value ?v } }";
    let answer = common::sparql_get(
        &format!("{}/sparql", server.url),
        query,
        "application/sparql-results+json",
    )
    .await;
    let answer: serde_json::Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    let row = &answer["results"]["bindings"][0];
    let number = |name: &str| row[name]["value"].as_str().unwrap().parse::<f64>().unwrap();
    assert_eq!(number("n"), ids.len() as f64, "{answer}");
    assert!(
        (number("mean") - summary["mean"].as_f64().unwrap()).abs() < 0.01,
        "{answer}"
    );
    assert_eq!(number("low"), summary["histogram"][0].as_f64().unwrap());

    // By harvest source, every dataset once; the catalog's own score as DQV.
    let by_source: u64 = summary["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[2].as_u64().unwrap())
        .sum();
    assert_eq!(by_source, ids.len() as u64);
    let rdf = get_with(
        &format!("{}/quality", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await;
    assert_eq!(rdf.status(), StatusCode::OK);
    let rdf = rdf.text().await.unwrap();
    let catalog_score = format!(
        "<{}> <http://www.w3.org/ns/dqv#hasQualityMeasurement>",
        server.base
    );
    assert!(rdf.contains(&catalog_score), "{rdf}");
    let mean = format!(
        "\"{:.2}\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
        summary["mean"].as_f64().unwrap()
    );
    assert!(rdf.contains(&mean), "{rdf}");

    // A poor dataset written: the search rates it as soon as the write has answered (the
    // write said whether it meets the profile, so its first indexing carries its score),
    // the dashboard counts it, first among the worst.
    create(&server, "datasets", POOR).await;
    let bad = ranked(&search(&server, "band=bad&page_size=100").await);
    assert_eq!(bad, ["presque-rien"], "only the poor dataset is rated bad");
    let after = dashboard_with(&server, Some(ids.len() as u64 + 1)).await;
    assert_eq!(after["worst"][0], serde_json::json!(["presque-rien", 30.0]));
    let page = get_with(
        &format!("{}/quality", server.url),
        &[("Accept", "text/html")],
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("<svg") && page.contains("Presque rien"),
        "{page}"
    );

    // The search orders by score.
    let best = ranked(&search(&server, "sort=quality&page_size=100").await);
    assert_eq!(
        best.last().map(String::as_str),
        Some("presque-rien"),
        "{best:?}"
    );
    let top = json(&format!("{}/datasets/{}", server.url, best[0])).await;
    let highest = totals.iter().copied().fold(0.0, f64::max);
    assert_eq!(top["total"].as_f64(), Some(highest), "the best first");
    let rated = get_with(
        &format!("{}/search?band=good", server.url),
        &[("Accept", "text/html")],
    )
    .await;
    assert_eq!(rated.status(), StatusCode::OK);
    let rated = rated.text().await.unwrap();
    let main = &rated[rated.find("<main").unwrap_or(0)..];
    assert!(
        main.contains("Bonne") || main.contains("Good"),
        "the filter in force reads as the rating: {}",
        &main[..main.len().min(3000)]
    );
}

/// The ids of a search's results, in their order.
fn ranked(answer: &serde_json::Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}
