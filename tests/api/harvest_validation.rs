//! Harvested datasets checked against the official DCAT-AP 3.0.1 shapes: the job's report
//! counts the violations per shape exactly as pyshacl counts them on the datasets as we
//! serve them; a `strict` source skips exactly the datasets that have any; the job page
//! shows it all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use super::harvest_api::harvest_source;
use common::api::ADMIN;
use common::feeds::{FeedServer, Page, media_type};
use common::{Server, client, fixture, run_python};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Fixture feeds, each harvested as one source.
const FEEDS: [&str; 2] = [
    "feeds/ckanext-dcat/examples/dcat/catalog.rdf",
    "feeds/ckanext-dcat/examples/dcat/dataset_sweden.rdf",
];

/// A feed whose one dataset meets DCAT-AP 3.0.1 (the fixtures' all break it somewhere).
const CLEAN: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://clean.example/catalog> a dcat:Catalog ;
    dct:title "A clean catalog"@en ;
    dct:description "One dataset that meets DCAT-AP 3.0.1."@en ;
    dcat:dataset <https://clean.example/datasets/ok> .
<https://clean.example/datasets/ok> a dcat:Dataset ;
    dct:title "A dataset that meets DCAT-AP"@en ;
    dct:description "Title, description and a distribution with its access URL."@en ;
    dcat:distribution <https://clean.example/datasets/ok/csv> .
<https://clean.example/datasets/ok/csv> a dcat:Distribution ;
    dcat:accessURL <https://clean.example/files/ok.csv> .
"#;

fn feed_server() -> (FeedServer, Vec<String>) {
    let feeds = FeedServer::start();
    let mut urls: Vec<String> = FEEDS
        .iter()
        .enumerate()
        .map(|(n, path)| {
            let file = fixture(path);
            let body = std::fs::read(&file).unwrap();
            feeds.set(&format!("/feed-{n}"), Page::ok(media_type(&file), body))
        })
        .collect();
    urls.push(feeds.set(
        "/feed-clean",
        Page::ok("text/turtle", CLEAN.as_bytes().to_vec()),
    ));
    (feeds, urls)
}

/// Adds the source `name` for `url` with `policy`, runs it, and waits for its report.
async fn harvest(server: &Server, name: &str, url: &str, policy: &str) -> (String, Value) {
    harvest_source(
        server,
        &json!({ "name": name, "url": url, "policy": policy }),
    )
    .await
}

/// The report's violations per "path constraint", added to `into`.
fn by_shape(job: &Value, into: &mut BTreeMap<String, u64>) {
    for shape in job["violations"].as_array().unwrap() {
        let key = format!(
            "{} {}",
            shape["path"].as_str().unwrap_or("-"),
            shape["constraint"].as_str().unwrap()
        );
        *into.entry(key).or_default() += shape["count"].as_u64().unwrap();
    }
}

#[actix_web::test]
async fn violations_are_counted_per_shape_as_pyshacl_counts_them() {
    let (_feeds, urls) = feed_server();
    let temp = tempfile::tempdir().unwrap();
    let server = tokio::task::spawn_blocking({
        let temp = temp.path().to_owned();
        move || {
            Server::start_with(
                &temp.join("lenient"),
                &["--admin-token", ADMIN, "--harvest-allow-private", "true"],
            )
        }
    })
    .await
    .unwrap();
    let mut ours = BTreeMap::new();
    let mut violating = BTreeSet::new();
    let mut created = 0;
    let mut location = String::new();
    for (n, url) in urls.iter().enumerate() {
        let (at, job) = harvest(&server, &format!("lenient-{n}"), url, "lenient").await;
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["policy"], "lenient");
        by_shape(&job, &mut ours);
        created += job["created"].as_u64().unwrap();
        for d in job["most_violations"].as_array().unwrap() {
            violating.insert(d["dataset"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            job["datasets_with_violations"].as_u64().unwrap() as usize,
            job["most_violations"].as_array().unwrap().len()
        );
        if location.is_empty() {
            location = at;
        }
    }
    assert!(
        !ours.is_empty(),
        "the fixture feeds break DCAT-AP 3.0.1 somewhere"
    );

    // pyshacl, on every dataset as the server serves it (the demo catalog has none).
    let shapes = fixture("shapes/dcat-ap-3.0.1/html/shacl");
    let url = server.url.clone();
    let theirs = tokio::task::spawn_blocking(move || {
        run_python("shacl_by_shape.py", &[&url, shapes.to_str().unwrap()])
    })
    .await
    .unwrap();
    let theirs: Value = serde_json::from_str(theirs.trim()).unwrap();
    let theirs: BTreeMap<String, u64> = serde_json::from_value(theirs["by_shape"].clone()).unwrap();
    assert_eq!(ours, theirs, "per shape: ours, then pyshacl's");
    compliance_follows_the_report(&server, &violating, created).await;

    // The job page says it, with the shapes broken.
    let page = client()
        .get(format!("{location}?lang=en"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Checked against DCAT-AP 3.0.1"), "{page}");
    let (first, _) = ours.iter().max_by_key(|(_, n)| **n).unwrap();
    // The page names the constraint as people read it: `sh:ClassConstraintComponent`
    // as `Class`.
    let constraint = first.rsplit(' ').next().unwrap();
    let shown = constraint
        .trim_start_matches("sh:")
        .trim_end_matches("ConstraintComponent");
    assert!(page.contains(&format!("<td>{shown}</td>")), "{page}");

    // Strict: the same feeds in another store; exactly the violating datasets skipped.
    let strict = tokio::task::spawn_blocking({
        let temp = temp.path().to_owned();
        move || {
            Server::start_with(
                &temp.join("strict"),
                &["--admin-token", ADMIN, "--harvest-allow-private", "true"],
            )
        }
    })
    .await
    .unwrap();
    let mut skipped = BTreeSet::new();
    let mut kept = 0;
    for (n, url) in urls.iter().enumerate() {
        let (_, job) = harvest(&strict, &format!("strict-{n}"), url, "strict").await;
        assert_eq!(job["policy"], "strict");
        kept += job["created"].as_u64().unwrap();
        for note in job["notes"].as_array().unwrap() {
            let note = note["note"].as_str().unwrap();
            if let Some((dataset, _)) = note.split_once(" not harvested: ") {
                assert!(note.contains("strict"), "{note}");
                skipped.insert(dataset.trim_matches(['<', '>']).to_owned());
            }
        }
    }
    assert_eq!(skipped, violating);
    assert_eq!(kept, created - violating.len() as u64);
}

/// Each harvested dataset's MQA "DCAT-AP compliance" is what its harvest found (the
/// feeds' violations are all about the datasets and their distributions), from the
/// moment the harvest has stored it: its search document carries that score already.
async fn compliance_follows_the_report(
    server: &Server,
    violating: &BTreeSet<String>,
    created: u64,
) {
    let found = super::search::search(server, "page_size=100").await;
    let hits: Vec<&Value> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|hit| hit["source"] != "local")
        .collect();
    assert_eq!(hits.len() as u64, created, "{found}");
    let mut compliant = 0;
    for hit in &hits {
        let id = hit["id"].as_str().unwrap();
        let url = format!("{}/datasets/{id}/quality", server.url);
        let quality: Value = client()
            .get(&url)
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let measured = quality["measurements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "dcatApCompliance")
            .unwrap_or_else(|| panic!("{quality}"));
        let topic = measured["on"].as_str().unwrap();
        assert_eq!(
            measured["value"].as_bool(),
            Some(!violating.contains(topic)),
            "{topic}"
        );
        compliant += usize::from(!violating.contains(topic));
        assert_eq!(
            hit["quality"]["score"].as_f64(),
            quality["total"].as_f64(),
            "{id}: {hit}"
        );
    }
    assert!(
        compliant > 0 && compliant < hits.len(),
        "both kinds are there"
    );
}
