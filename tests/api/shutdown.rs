//! A graceful shutdown (SIGTERM): the server stops accepting, answers what it was
//! answering, lets a running harvest store what it read and say it was stopped, and exits
//! cleanly, leaving a store whose parts agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer};
use common::feeds::{FeedServer, Page};
use common::{Server, client, free_port};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n";

/// A feed of `pages` pages of two datasets each, every page after the first slow to come.
fn slow_feed(feeds: &FeedServer, pages: usize) -> String {
    let mut first = String::new();
    for n in 1..=pages {
        let next = if n < pages {
            format!(
                "<?page={n}> a hydra:PartialCollectionView ; hydra:next <?page={}> .\n",
                n + 1
            )
        } else {
            format!("<?page={n}> a hydra:PartialCollectionView .\n")
        };
        let body = format!(
            "{PREFIXES}{next}<http://data.example.org/p{n}a> a dcat:Dataset ; dct:title \"p{n}a\" .\n<http://data.example.org/p{n}b> a dcat:Dataset ; dct:title \"p{n}b\" .\n"
        );
        let page = Page::ok("text/turtle", body);
        let page = if n > 1 {
            page.slow(Duration::from_millis(700))
        } else {
            page
        };
        let url = feeds.set(&format!("/slow?page={n}"), page);
        if n == 1 {
            first = url;
        }
    }
    first
}

async fn job(server: &Server, location: &str) -> Value {
    client()
        .get(server.url_of(location))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_stops_a_harvest_after_its_page_and_exits_cleanly() {
    let feeds = FeedServer::start();
    let feed = slow_feed(&feeds, 40);
    let temp = tempfile::tempdir().unwrap();
    let (data, port) = (temp.path().join("data"), free_port());
    let flags = ["--admin-token", ADMIN, "--harvest-allow-private", "true"];
    let mut server = Server::start_full(&data, port, None, &flags);
    common::api::add_source(&server, "slow", &feed).await;
    let started = client()
        .post(format!("{}/api/harvest/sources/slow/run", server.url))
        .header("Authorization", bearer(ADMIN))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let location = started.headers()["location"].to_str().unwrap().to_owned();
    for _ in 0..100 {
        if job(&server, &location).await["pages"].as_u64().unwrap_or(0) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let began = std::time::Instant::now();
    let status = tokio::task::block_in_place(|| server.terminate(Duration::from_secs(30)));
    let status = status.expect("the server did not stop by itself");
    assert!(status.success(), "exit status {status}");
    assert!(
        began.elapsed() < Duration::from_secs(15),
        "{:?}",
        began.elapsed()
    );

    let server = Server::start_full(&data, port, None, &flags);
    let report = job(&server, &location).await;
    assert_eq!(report["status"], "partial", "{report}");
    assert!(
        report["stopped"]
            .as_str()
            .unwrap_or_default()
            .contains("shutting down"),
        "{report}"
    );
    let pages = report["pages"].as_u64().unwrap();
    assert!((2..40).contains(&pages), "{report}");
    // What it read is stored: two datasets a page.
    assert_eq!(report["created"].as_u64().unwrap(), 2 * pages, "{report}");
    let mut server = server;
    server.stop();
    let (clean, said) = common::check_store(&data, &server.base);
    assert!(clean, "{said}");
}
