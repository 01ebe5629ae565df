//! A client that gives up on a query: the server stops evaluating it. Alone in its test
//! binary (binaries run one after another), so that the CPU the server uses is its own.
#![cfg(target_os = "linux")] // reads the server's CPU time from /proc
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{RUNAWAY, Server, client};
use std::time::Duration;

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
    // Without cancellation the query keeps a core busy for ten minutes: wait (10 s at most)
    // for a second in which the server is close to idle.
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
    // And it still answers.
    assert!(common::ask(&server, "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }").await);
}
