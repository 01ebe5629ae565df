//! A client that gives up on a query: the server stops evaluating it. Alone in its test
//! binary (binaries run one after another), so that the CPU the server uses is its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Server, client};
use std::time::Duration;

/// The query of `sparql_timeout.rs`: it runs for minutes unless cancelled.
const RUNAWAY: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER NOT EXISTS { ?c ?x ?f } }";

#[tokio::test]
async fn a_query_whose_client_left_stops_running() {
    let temp = tempfile::tempdir().unwrap();
    // A time limit far beyond the test: only the client's leaving can stop the query.
    let server = Server::start_with(&temp.path().join("data"), &["--query-timeout", "600"]);
    let url = format!("{}/sparql", server.url);
    let started = server.cpu_seconds();
    let gave_up = client()
        .get(&url)
        .query(&[("query", RUNAWAY)])
        .timeout(Duration::from_millis(700))
        .send()
        .await
        .unwrap_err();
    assert!(gave_up.is_timeout(), "{gave_up}");
    // The query really ran: the server was busy while the client waited.
    let busy = server.cpu_seconds() - started;
    assert!(
        busy > 0.2,
        "the server used {busy:.2} s of CPU on the query"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.cpu_seconds();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_leaving = server.cpu_seconds() - before;
    assert!(
        after_leaving < 0.2,
        "the server used {after_leaving:.2} s of CPU in the 2 s after its client left"
    );
    // And it still answers.
    assert!(common::ask(&server, "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }").await);
}
