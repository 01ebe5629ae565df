//! A client that gives up on a query: the server stops evaluating it, whether the client
//! left before the answer started or while it streamed. Alone in its test binary (binaries
//! run one after another), so that the CPU the server uses is its own.
#![cfg(target_os = "linux")] // reads the server's CPU time from /proc
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{RUNAWAY, Server, client};
use std::time::Duration;

/// Every triple three times over: an answer of (triples)³ rows that starts at once and
/// would stream for hours.
const ENDLESS: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

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
    settles(&server).await;
}

#[tokio::test]
async fn a_streamed_answer_whose_client_left_stops_running() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--query-timeout", "600"]);
    let mut answer = client()
        .get(format!("{}/sparql", server.url))
        .query(&[("query", ENDLESS)])
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    // Read past the first chunks, so that the answer is streaming, then hang up.
    let mut read = 0;
    while read < 1_000_000 {
        let chunk = answer.chunk().await.unwrap().expect("the answer goes on");
        read += chunk.len();
    }
    drop(answer);
    settles(&server).await;
}

/// Without cancellation a query keeps a core busy for ten minutes: waits (10 s at most)
/// for a second in which the server is close to idle, then checks that it still answers.
async fn settles(server: &Server) {
    let mut windows = Vec::new();
    for _ in 0..10 {
        let before = server.cpu_seconds();
        tokio::time::sleep(Duration::from_secs(1)).await;
        windows.push(server.cpu_seconds() - before);
        if windows.last().is_some_and(|&used| used < 0.1) {
            break;
        }
    }
    assert!(
        windows.last().is_some_and(|&used| used < 0.1),
        "after its client left, the server kept using CPU: {windows:.2?} s per second"
    );
    assert!(common::ask(server, "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }").await);
}
