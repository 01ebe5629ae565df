//! Slow readers cannot take the server down: a SPARQL answer holds a query thread until it
//! is read, so readers that never read take at most `max-running-queries` of them; past
//! that, queries get 503 with `Retry-After`, the rest of the server answers, and the places
//! come back when those readers go.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, free_port};
use reqwest::StatusCode;
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

/// A query whose answer never ends soon: every pair of triples.
const ENDLESS: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }";

/// Sends a query for an endless answer on a connection that then reads nothing.
fn reader_that_never_reads(url: &str) -> TcpStream {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    let query: String = form_urlencoded::byte_serialize(ENDLESS.as_bytes()).collect();
    write!(
        stream,
        "GET /sparql?query={query} HTTP/1.1\r\nHost: {address}\r\nAccept: text/csv\r\n\r\n"
    )
    .unwrap();
    stream
}

#[tokio::test]
async fn readers_that_never_read_take_a_bounded_number_of_query_threads() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_full(
        &temp.path().join("data"),
        free_port(),
        None,
        &[
            "--max-running-queries",
            "3",
            "--max-concurrent-queries-per-client",
            "100",
            "--query-timeout",
            "120",
        ],
    );
    let stalled: Vec<TcpStream> = (0..3)
        .map(|_| reader_that_never_reads(&server.url))
        .collect();
    // Their answers fill the sockets and the channels; then the pool is full.
    let sparql = format!("{}/sparql", server.url);
    let mut refused = None;
    for _ in 0..100 {
        let answer = common::sparql_get(&sparql, ENDLESS, "text/csv").await;
        if answer.status() == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some(answer);
            break;
        }
        drop(answer);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let refused = refused.expect("the pool never filled up");
    assert_eq!(refused.headers()["retry-after"], "1");
    let problem = refused.text().await.unwrap();
    assert!(problem.contains("server-busy"), "{problem}");
    // The rest of the server answers meanwhile.
    let health = client()
        .get(format!("{}/health", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let page = common::get_with(
        &format!("{}/datasets/inventaire-zones-humides-bretagne", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    // When the readers go, their places come back.
    drop(stalled);
    let mut answered = false;
    for _ in 0..100 {
        let answer = common::sparql_get(
            &sparql,
            "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }",
            "application/sparql-results+json",
        )
        .await;
        if answer.status() == StatusCode::OK {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered, "the places never came back");
}
