//! The harvest API over HTTP, on the real server: sources added and run with an admin
//! token, job reports as JSON and as a page; and the round trip: one Passerelle instance
//! harvests another's paged catalog feed and ends with the same dataset descriptions, as
//! an outside client (rdflib) compares them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer, expect_status, header, problem, send};
use common::{Server, client};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A server with the demo catalog, an admin token, and leave to harvest from loopback.
pub(super) fn harvesting_server(temp: &tempfile::TempDir) -> Server {
    Server::start_with(
        &temp.path().join("harvester"),
        &["--admin-token", ADMIN, "--harvest-allow-private", "true"],
    )
}

async fn post_json(url: &str, body: &Value, token: Option<&str>) -> reqwest::Response {
    let auth = token.map(bearer);
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    send(
        Method::POST,
        url,
        &body.to_string(),
        "application/json",
        &headers,
    )
    .await
}

async fn get_json(url: &str) -> Value {
    let response = client()
        .get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.json().await.unwrap()
}

/// Polls the job at `location` until it is no longer running.
async fn finished(location: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let job = get_json(location).await;
        if job["status"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the job did not end: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Adds source `name` for `url` on `server` and runs it to its end; the job's report.
pub(super) async fn harvest(server: &Server, name: &str, url: &str) -> (String, Value) {
    harvest_source(server, &json!({ "name": name, "url": url })).await
}

/// Adds the source `source` (its JSON) on `server` and runs it to its end; the job's report.
pub(super) async fn harvest_source(server: &Server, source: &Value) -> (String, Value) {
    let name = source["name"].as_str().unwrap();
    let added = post_json(
        &format!("{}/api/harvest/sources", server.url),
        source,
        Some(ADMIN),
    )
    .await;
    expect_status(added, StatusCode::CREATED).await;
    let run = send(
        Method::POST,
        &format!("{}/api/harvest/sources/{name}/run", server.url),
        "",
        "application/json",
        &[("Authorization", &bearer(ADMIN))],
    )
    .await;
    assert_eq!(run.status(), StatusCode::ACCEPTED);
    let location = server.url_of(&header(&run, "location"));
    let job = finished(&location).await;
    (location, job)
}

#[actix_web::test]
async fn sources_are_added_and_run_by_admins_and_jobs_report_as_json_and_html() {
    let feeds = common::feeds::FeedServer::start();
    let feed = feeds.set(
        "/catalog.rdf",
        common::feeds::Page::ok(
            "application/rdf+xml",
            std::fs::read(common::fixture(
                "feeds/ckanext-dcat/examples/dcat/catalog.rdf",
            ))
            .unwrap(),
        ),
    );
    let temp = tempfile::tempdir().unwrap();
    let server = harvesting_server(&temp);
    let sources = format!("{}/api/harvest/sources", server.url);
    let body = json!({ "name": "ckan", "url": feed, "interval": "6h" });

    // Without a token, with a bad one, with bad input, then right; twice is a conflict.
    problem(
        post_json(&sources, &body, None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    problem(
        post_json(&sources, &body, Some("wrong")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    for bad in [
        json!({ "name": "Not A Name", "url": feed }),
        json!({ "name": "x", "url": "ftp://example.org/feed" }),
        json!({ "name": "x", "url": feed, "interval": "sometimes" }),
        json!({ "name": "x" }),
    ] {
        let detail = problem(
            post_json(&sources, &bad, Some(ADMIN)).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(
            detail["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{detail}"
        );
    }
    let created = post_json(&sources, &body, Some(ADMIN)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        header(&created, "location"),
        format!("{}api/harvest/sources/ckan", server.base)
    );
    problem(
        post_json(&sources, &body, Some(ADMIN)).await,
        StatusCode::CONFLICT,
    )
    .await;
    // Another name for the same feed: two sources would withdraw each other's datasets.
    let same_feed = json!({ "name": "ckan-again", "url": feed });
    let conflict = problem(
        post_json(&sources, &same_feed, Some(ADMIN)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        conflict["detail"]
            .as_str()
            .is_some_and(|d| d.contains("\"ckan\"")),
        "{conflict}"
    );

    // Running takes a token too; an unknown source is 404.
    let run_url = format!("{sources}/ckan/run");
    let anonymous = send(Method::POST, &run_url, "", "application/json", &[]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let unknown = send(
        Method::POST,
        &format!("{sources}/nope/run"),
        "",
        "application/json",
        &[("Authorization", &bearer(ADMIN))],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let run = send(
        Method::POST,
        &run_url,
        "",
        "application/json",
        &[("Authorization", &bearer(ADMIN))],
    )
    .await;
    assert_eq!(run.status(), StatusCode::ACCEPTED);
    let location = server.url_of(&header(&run, "location"));
    assert!(location.contains("/api/harvest/jobs/ckan-"), "{location}");
    let job = finished(&location).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["created"].as_u64(), job["pages"].as_u64()),
        (Some(2), Some(1)),
        "{job}"
    );
    for count in ["updated", "unchanged", "withdrawn", "failed"] {
        assert_eq!(job[count], 0, "{count}: {job}");
    }

    // The same report as a page for people.
    let page = client()
        .get(&location)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, "content-type").starts_with("text/html"));
    assert!(header(&page, "vary").starts_with("Accept"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Harvest of") && html.contains("succeeded") && html.contains("catalog.rdf"),
        "{html}"
    );
    let refused = client()
        .get(&location)
        .header("Accept", "image/png")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_ACCEPTABLE);

    // The source lists its job; a dry run after the feed lost nothing changes nothing.
    let listed = get_json(&sources).await;
    let source = &listed["sources"][0];
    assert_eq!(
        (source["name"].as_str(), source["interval"].as_str()),
        (Some("ckan"), Some("6h")),
        "{listed}"
    );
    assert_eq!(source["last_job"]["status"], "succeeded", "{listed}");
    let dry = send(
        Method::POST,
        &format!("{run_url}?dry_run=true"),
        "",
        "application/json",
        &[("Authorization", &bearer(ADMIN))],
    )
    .await;
    assert_eq!(dry.status(), StatusCode::ACCEPTED);
    let dry = finished(&server.url_of(&header(&dry, "location"))).await;
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["unchanged"].as_u64()),
        (Some(true), Some(2)),
        "{dry}"
    );
    let one = get_json(&format!("{sources}/ckan")).await;
    assert_eq!(one["jobs"].as_array().map(Vec::len), Some(2), "{one}");

    // A page that fails: the report says which and why.
    feeds.set("/catalog.rdf", common::feeds::Page::status(500, "down"));
    let failing = send(
        Method::POST,
        &run_url,
        "",
        "application/json",
        &[("Authorization", &bearer(ADMIN))],
    )
    .await;
    let failed = finished(&server.url_of(&header(&failing, "location"))).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["errors"][0]["page"], feed.as_str(), "{failed}");
    assert!(
        failed["errors"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("500")),
        "{failed}"
    );
}

/// Instance B harvests instance A's catalog feed, five datasets a page: every dataset of A
/// is in B with an isomorphic description; a second run changes nothing.
#[actix_web::test]
async fn one_instance_harvests_another_and_ends_with_the_same_datasets() {
    let temp = tempfile::tempdir().unwrap();
    let a = Server::start_in(&temp.path().join("a"), None);
    let b = harvesting_server(&temp);
    let feed = format!("{}/catalog?page_size=5", a.url);
    let (_, job) = harvest(&b, "a", &feed).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let datasets: Value = common::get_with(
        &format!("{}/sparql?query={}", a.url, urlencode("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")),
        &[("Accept", "application/sparql-results+json")],
    )
    .await
    .json()
    .await
    .unwrap();
    let count: u64 = datasets["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 20, "the demo catalog has its datasets: {count}");
    assert_eq!(job["created"].as_u64(), Some(count), "{job}");
    assert_eq!(job["pages"].as_u64(), Some(count.div_ceil(5)), "{job}");

    let (a_url, b_url) = (a.url.clone(), b.url.clone());
    let summary =
        tokio::task::spawn_blocking(move || common::run_python("round_trip.py", &[&a_url, &b_url]))
            .await
            .unwrap();
    let summary: Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(summary["isomorphic"].as_u64(), Some(count), "{summary}");

    // Again: nothing changed at A, so nothing is written at B; A's pages answer 304 to
    // the conditional GETs (their ETags were kept).
    let run = send(
        Method::POST,
        &format!("{}/api/harvest/sources/a/run", b.url),
        "",
        "application/json",
        &[("Authorization", &bearer(ADMIN))],
    )
    .await;
    let again = finished(&b.url_of(&header(&run, "location"))).await;
    assert_eq!(
        (
            again["unchanged"].as_u64(),
            again["created"].as_u64(),
            again["updated"].as_u64()
        ),
        (Some(count), Some(0), Some(0)),
        "{again}"
    );
    let not_modified = again["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| {
            n["note"]
                .as_str()
                .is_some_and(|t| t.contains("conditional GET"))
        })
        .count() as u64;
    assert_eq!(not_modified, count.div_ceil(5), "{again}");
}

fn urlencode(text: &str) -> String {
    reqwest::Url::parse_with_params("http://x/", &[("q", text)])
        .unwrap()
        .query()
        .unwrap()
        .trim_start_matches("q=")
        .to_owned()
}

/// A small feed of one dataset.
fn scheduled_feed() -> &'static str {
    "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
     <http://data.example.org/scheduled> a dcat:Dataset ; dct:title \"scheduled\" ."
}

/// A source with an interval is harvested by the server on its own: here when the server
/// starts, since it was never harvested.
#[actix_web::test]
async fn sources_with_an_interval_are_harvested_by_the_server() {
    let feeds = common::feeds::FeedServer::start();
    let temp = tempfile::tempdir().unwrap();
    let mut server = harvesting_server(&temp);
    let sources = format!("{}/api/harvest/sources", server.url);
    for (name, interval) in [("hourly", Some("1h")), ("manual", None)] {
        let url = feeds.set(
            &format!("/catalog.ttl?source={name}"),
            common::feeds::Page::ok("text/turtle", scheduled_feed()),
        );
        let body = match interval {
            Some(every) => json!({ "name": name, "url": url, "interval": every }),
            None => json!({ "name": name, "url": url }),
        };
        expect_status(
            post_json(&sources, &body, Some(ADMIN)).await,
            StatusCode::CREATED,
        )
        .await;
    }
    server.stop();
    // The same store, port and base IRI.
    let port: u16 = server
        .base
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let server = Server::start_full(
        &temp.path().join("harvester"),
        port,
        None,
        &["--admin-token", ADMIN, "--harvest-allow-private", "true"],
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let hourly = loop {
        let source = get_json(&format!("{}/api/harvest/sources/hourly", server.url)).await;
        if source["last_job"]["status"] == "succeeded" {
            break source;
        }
        assert!(
            Instant::now() < deadline,
            "the scheduled harvest did not run: {source}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let job = get_json(
        hourly["last_job"]["iri"]
            .as_str()
            .map(|i| server.url_of(i))
            .as_deref()
            .unwrap(),
    )
    .await;
    assert_eq!(job["created"], 1, "{job}");
    // A source without an interval waits to be run.
    let manual = get_json(&format!("{}/api/harvest/sources/manual", server.url)).await;
    assert!(manual["last_job"].is_null(), "{manual}");
    assert_eq!(manual["jobs"].as_array().map(Vec::len), Some(0), "{manual}");
}

/// One job per source at a time: a run asked while one is going answers 409, and the
/// running job ends normally.
#[actix_web::test]
async fn a_source_being_harvested_cannot_be_run_again_at_once() {
    let feeds = common::feeds::FeedServer::start();
    let feed = feeds.set(
        "/slow.ttl",
        common::feeds::Page::ok("text/turtle", scheduled_feed()).slow(Duration::from_secs(2)),
    );
    let temp = tempfile::tempdir().unwrap();
    let server = harvesting_server(&temp);
    let sources = format!("{}/api/harvest/sources", server.url);
    let body = json!({ "name": "slow", "url": feed });
    expect_status(
        post_json(&sources, &body, Some(ADMIN)).await,
        StatusCode::CREATED,
    )
    .await;
    let run_url = format!("{sources}/slow/run");
    let auth = bearer(ADMIN);
    let headers = [("Authorization", auth.as_str())];
    let run = || send(Method::POST, &run_url, "", "application/json", &headers);
    let first = run().await;
    assert_eq!(first.status(), StatusCode::ACCEPTED);
    let busy = problem(run().await, StatusCode::CONFLICT).await;
    assert!(
        busy["detail"]
            .as_str()
            .is_some_and(|d| d.contains("already")),
        "{busy}"
    );
    let job = finished(&server.url_of(&header(&first, "location"))).await;
    assert_eq!(
        (job["status"].as_str(), job["created"].as_u64()),
        (Some("succeeded"), Some(1)),
        "{job}"
    );
    // Once it ended, the source may run again.
    let again = run().await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    finished(&server.url_of(&header(&again, "location"))).await;
}
