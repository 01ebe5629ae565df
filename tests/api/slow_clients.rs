//! Slow readers cannot take the server down: a SPARQL answer holds a query thread until it
//! is read, so readers that never read take at most `max-running-queries` of them; past
//! that, queries get 503 with `Retry-After`, the rest of the server answers, and the places
//! come back when those readers go.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, free_port};
use reqwest::StatusCode;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A query whose answer never ends soon: every pair of triples.
const ENDLESS: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }";

/// Sends a query for an endless answer on a connection that then reads nothing past the
/// status line; retried until the server took the query (200).
fn reader_that_never_reads(url: &str) -> TcpStream {
    let address = url.trim_start_matches("http://");
    let query: String = form_urlencoded::byte_serialize(ENDLESS.as_bytes()).collect();
    for _ in 0..100 {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET /sparql?query={query} HTTP/1.1\r\nHost: {address}\r\nAccept: text/csv\r\n\r\n"
        )
        .unwrap();
        let mut status = [0_u8; 12];
        stream.read_exact(&mut status).unwrap();
        if status.ends_with(b"200") {
            return stream;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the server never took the query");
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
    let url = server.url.clone();
    let stalled: Vec<TcpStream> = tokio::task::spawn_blocking(move || {
        (0..3).map(|_| reader_that_never_reads(&url)).collect()
    })
    .await
    .unwrap();
    // Three queries hold their threads, waiting on readers that do not read: the pool is
    // full.
    let sparql = format!("{}/sparql", server.url);
    let refused = common::sparql_get(&sparql, ENDLESS, "text/csv").await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
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
