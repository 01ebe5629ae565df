//! The SPARQL time limit, alone in its test binary: test binaries run one after another,
//! so no other test's server competes for the CPU while we time the cancellation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{RUNAWAY, Server, client};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn a_runaway_query_is_stopped_while_others_still_answer() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--query-timeout", "2"]);
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
        took < std::time::Duration::from_secs(8),
        "the runaway query ran {took:?}"
    );
}
