//! The SPARQL time limit, alone in its test binary: test binaries run one after another,
//! so no other test's server competes for the CPU while we time the cancellation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{RUNAWAY, Server, client};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn a_runaway_query_is_stopped_while_others_still_answer() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &[
            "--query-timeout",
            "2",
            "--max-concurrent-queries-per-client",
            "8",
        ],
    );
    let url = format!("{}/sparql", server.url);
    let runaway = tokio::spawn({
        let url = url.clone();
        async move {
            let started = std::time::Instant::now();
            let response = client()
                .get(&url)
                .query(&[("query", RUNAWAY)])
                .send()
                .await
                .unwrap();
            let took = started.elapsed();
            (response.status(), took, response.text().await.unwrap())
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let cheap: Value = common::sparql_get(
        &url,
        "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
        "application/sparql-results+json",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(cheap["boolean"], true);
    assert!(
        started.elapsed() < std::time::Duration::from_millis(1500),
        "a cheap query waited {:?}",
        started.elapsed()
    );
    let (status, took, body) = runaway.await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    // The client is told it was the time limit, not a failure of the server's.
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["type"], "urn:passerelle:problem:query-timeout");
    assert!(
        problem["detail"].as_str().unwrap().contains("time limit"),
        "{problem}"
    );
    assert!(
        took < std::time::Duration::from_secs(3),
        "the runaway query ran {took:?} against a limit of 2 s"
    );
}

/// Queries whose cost is all in memory, past the store reads where the engine used to
/// look at its deadline: joins of patterns already read, a path over everything, groups of
/// a cross product.
const IN_MEMORY: [(&str, &str); 3] = [
    (
        "cross-join count",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    ),
    // `(<p>|!<p>)*` over the demo store ends in a second; both ways, its closure is some
    // hundred million pairs.
    (
        "path over everything, both ways",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://purl.org/dc/terms/title>|!<http://purl.org/dc/terms/title>|^<http://purl.org/dc/terms/title>|^!<http://purl.org/dc/terms/title>)* ?o }",
    ),
    (
        "groups of a cross product",
        "SELECT ?c (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?c",
    ),
];

#[tokio::test]
async fn in_memory_runaways_stop_on_time_and_free_their_core() {
    let temp = tempfile::tempdir().unwrap();
    let limit = std::time::Duration::from_secs(2);
    let server = Server::start_with(
        &temp.path().join("data"),
        &[
            "--query-timeout",
            "2",
            "--max-concurrent-queries-per-client",
            "8",
        ],
    );
    let url = format!("{}/sparql", server.url);
    let cheap = "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }";
    for (name, query) in IN_MEMORY {
        let runaway = tokio::spawn({
            let url = url.clone();
            async move {
                let started = std::time::Instant::now();
                let response =
                    common::sparql_get(&url, query, "application/sparql-results+json").await;
                let status = response.status();
                let body = response.text().await.unwrap();
                (status, started.elapsed(), body)
            }
        });
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        // A cheap query still answers at once, several times over.
        for _ in 0..5 {
            let started = std::time::Instant::now();
            let answer: Value = common::sparql_get(&url, cheap, "application/sparql-results+json")
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(answer["boolean"], true);
            let took = started.elapsed();
            assert!(
                took < std::time::Duration::from_millis(100),
                "{name}: a cheap query took {took:?}"
            );
        }
        let (status, took, body) = runaway.await.unwrap();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{name}: {body}");
        assert!(body.contains("query-timeout"), "{name}: {body}");
        assert!(
            took < limit + std::time::Duration::from_secs(1),
            "{name} ran {took:?} against a limit of {limit:?}"
        );
        // Its core is free again: the server idles.
        let cpu = server.cpu_seconds();
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let used = server.cpu_seconds() - cpu;
        assert!(
            used < 0.3,
            "{name}: the server used {used:.2} s of CPU after the answer"
        );
    }
}
