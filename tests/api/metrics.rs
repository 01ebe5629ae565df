//! `GET {base}metrics` read by Prometheus' own text-format parser (the Python client's):
//! the counters move by what the test did, the gauges agree with the store, and the
//! metrics are for administrators or on the operators' own listen address.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer};
use common::{Server, client, free_port, run_python};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};

/// One scrape: each sample's value by name and labels.
struct Scrape(Vec<(String, Value, f64)>);

impl Scrape {
    fn of(url: &str, token: Option<&str>) -> Self {
        let mut args = vec![url];
        args.extend(token);
        let parsed: Value = serde_json::from_str(run_python("metrics_scrape.py", &args).trim())
            .unwrap_or_else(|e| panic!("the scraper's output: {e}"));
        let samples = parsed["samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s[0].as_str().unwrap().to_owned(),
                    s[1].clone(),
                    s[2].as_f64().unwrap(),
                )
            })
            .collect();
        Self(samples)
    }

    /// The sample `name` whose labels include `labels`; 0 when there is none (a counter
    /// not yet incremented has no series).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.0
            .iter()
            .find(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l[*k] == *v))
            .map_or(0.0, |(_, _, value)| *value)
    }

    fn has(&self, name: &str, labels: &[(&str, &str)]) -> bool {
        self.0
            .iter()
            .any(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l[*k] == *v))
    }
}

/// A query that runs past any time limit (a cross product of everything, sorted).
const RUNAWAY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ";

async fn status_of(url: &str, headers: &[(&str, &str)]) -> StatusCode {
    common::get_with(url, headers).await.status()
}

#[tokio::test]
async fn prometheus_reads_the_metrics_and_the_counters_move_with_the_requests() {
    let feeds = common::feeds::FeedServer::start();
    let feed = common::feeds::ckan_catalog(&feeds);
    let temp = tempfile::tempdir().unwrap();
    let metrics_listen = format!("127.0.0.1:{}", free_port());
    let server = Server::start_with(
        &temp.path().join("data"),
        &[
            "--admin-token",
            ADMIN,
            "--harvest-allow-private",
            "true",
            "--query-timeout",
            "1",
            "--metrics-listen",
            &metrics_listen,
        ],
    );
    let metrics = format!("{}/metrics", server.url);
    // For administrators only on the catalog's address.
    assert_eq!(status_of(&metrics, &[]).await, StatusCode::UNAUTHORIZED);
    let wrong = bearer("nobody-holds-this");
    assert_eq!(
        status_of(&metrics, &[("Authorization", &wrong)]).await,
        StatusCode::FORBIDDEN
    );
    let datasets = datasets_in_store(&server).await;
    let before = Scrape::of(&metrics, Some(ADMIN));
    assert_eq!(
        before.value("passerelle_records", &[("kind", "datasets")]),
        datasets
    );
    for part in ["store", "private", "search"] {
        assert!(
            before.value("passerelle_disk_bytes", &[("part", part)]) > 0.0,
            "{part}"
        );
    }
    assert!(before.value("passerelle_process_resident_memory_bytes", &[]) > 1e7);

    // Three reads of one dataset, one cheap query, one runaway, one path with no route.
    let dataset = format!("{}/datasets/inventaire-zones-humides-bretagne", server.url);
    for _ in 0..3 {
        assert_eq!(
            status_of(&dataset, &[("Accept", "text/turtle")]).await,
            StatusCode::OK
        );
    }
    let sparql = format!("{}/sparql", server.url);
    let cheap = common::sparql_get(
        &sparql,
        "ASK { ?s ?p ?o }",
        "application/sparql-results+json",
    );
    assert_eq!(cheap.await.status(), StatusCode::OK);
    let runaway = common::sparql_get(&sparql, RUNAWAY, "application/sparql-results+json");
    assert_eq!(runaway.await.status(), StatusCode::SERVICE_UNAVAILABLE);
    let nowhere = format!("{}/no/such/place/here", server.url);
    assert_eq!(status_of(&nowhere, &[]).await, StatusCode::NOT_FOUND);
    let harvest_started = common_now();
    let (_, job) = super::harvest_api::harvest(&server, "lyon", &feed).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let created = job["created"].as_f64().unwrap();
    assert!(created > 0.0, "{job}");

    // The operators' address needs no token; its gauges are read again once old.
    let open = format!("http://{metrics_listen}/metrics");
    let after = read_again(&open, &before).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        after.value(name, labels) - before.value(name, labels)
    };
    let record = [
        ("method", "GET"),
        ("route", "/{kind}/{id}"),
        ("status", "200"),
    ];
    assert_eq!(moved("passerelle_http_requests_total", &record), 3.0);
    let timed = [("method", "GET"), ("route", "/{kind}/{id}")];
    assert_eq!(
        moved("passerelle_http_request_duration_seconds_count", &timed),
        3.0
    );
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(moved("passerelle_http_requests_total", &unmatched), 1.0);
    let answered = [("outcome", "answered")];
    assert_eq!(
        moved("passerelle_sparql_query_duration_seconds_count", &answered),
        1.0
    );
    let timeout = [("outcome", "timeout")];
    assert_eq!(
        moved("passerelle_sparql_query_duration_seconds_count", &timeout),
        1.0
    );
    // The first read of the dataset made its description; the two others found it.
    assert!(
        moved(
            "passerelle_render_cache_lookups_total",
            &[("result", "hit")]
        ) >= 2.0
    );
    assert!(
        moved(
            "passerelle_render_cache_lookups_total",
            &[("result", "miss")]
        ) >= 1.0
    );
    assert_eq!(
        after.value("passerelle_records", &[("kind", "datasets")]),
        datasets + created
    );
    assert_eq!(
        after.value("passerelle_records", &[("kind", "datasets")]),
        datasets_in_store(&server).await
    );
    let succeeded = [("source", "lyon"), ("status", "succeeded")];
    assert_eq!(after.value("passerelle_harvest_jobs", &succeeded), 1.0);
    let last = after.value(
        "passerelle_harvest_last_success_timestamp_seconds",
        &[("source", "lyon")],
    );
    assert!(
        last >= harvest_started && last <= common_now(),
        "{last} not within the harvest"
    );
    assert!(after.has("passerelle_search_index_lag_datasets", &[]));
    every_dashboard_series_is_served(&after);
}

/// The Grafana dashboard of `docs/operations/` plots only series the server serves.
fn every_dashboard_series_is_served(scrape: &Scrape) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/operations/grafana-dashboard.json");
    let dashboard: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let names = regex::Regex::new(r"passerelle_[a-z_]+").unwrap();
    let mut checked = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for name in names.find_iter(expr) {
                assert!(
                    scrape.0.iter().any(|(n, _, _)| n == name.as_str()),
                    "the dashboard plots {} which the server does not serve",
                    name.as_str()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 12, "{checked}");
}

/// Scrapes `url` until its gauges were read after `before`'s (a scrape that finds them
/// old starts a new reading and answers with the last one).
async fn read_again(url: &str, before: &Scrape) -> Scrape {
    let read = |s: &Scrape| s.value("passerelle_readings_timestamp_seconds", &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let scrape = Scrape::of(url, None);
        if read(&scrape) > read(before) {
            return scrape;
        }
        assert!(Instant::now() < deadline, "the gauges were not read again");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Published datasets, counted by SPARQL over their catalog records.
async fn datasets_in_store(server: &Server) -> f64 {
    let query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?r <http://xmlns.com/foaf/0.1/primaryTopic> ?d . ?d a <http://www.w3.org/ns/dcat#Dataset> } }";
    let answer: Value = client()
        .get(format!("{}/sparql", server.url))
        .query(&[("query", query)])
        .header("Accept", "application/sparql-results+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn common_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}
