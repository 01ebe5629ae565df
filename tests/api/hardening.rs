//! Hostile input against the real server (issue 26): queries, bodies, harvested pages and
//! loaded files nested far too deep or expanding far too much get a clear 4xx (or a failed
//! page, or a failed load), and the server keeps serving with its store unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer, header, send};
use common::feeds::{FeedServer, Page};
use common::{Server, client};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The nesting limit the tests' servers run with (the default).
const LIMIT: usize = 256;

/// Far past any limit: the depth that took the server down before.
const HOSTILE: usize = 20_000;

/// A server whose size limits let 20 000-deep queries through to the nesting check, so
/// that the check, not the size limit, is what refuses them.
fn roomy_server(temp: &tempfile::TempDir) -> Server {
    Server::start_with(
        &temp.path().join("data"),
        &[
            "--admin-token",
            ADMIN,
            "--max-query-length",
            "100000",
            "--max-body",
            "4000000",
            "--harvest-allow-private",
            "true",
        ],
    )
}

// Each query below is nested `depth` deep as the server counts: every bracket, the
// query's own braces included.

/// Groups inside groups.
fn nested_groups(depth: usize) -> String {
    format!(
        "SELECT * WHERE {{ {}?s ?p ?o {}}}",
        "{ ".repeat(depth - 1),
        "} ".repeat(depth - 1)
    )
}

/// Parentheses inside an expression.
fn nested_parentheses(depth: usize) -> String {
    format!(
        "SELECT * WHERE {{ ?s ?p ?o FILTER({}?o{}) }} LIMIT 1",
        "(".repeat(depth - 2),
        ")".repeat(depth - 2)
    )
}

/// Sub-selects inside sub-selects, written tight, each nesting twice: 16 000 levels fit in
/// the longest query a server may take (100 000 characters) only this way.
fn nested_subselects(depth: usize) -> String {
    format!(
        "SELECT * WHERE {{{}?s ?p ?o{}}} LIMIT 1",
        "{SELECT*{".repeat((depth - 1) / 2),
        "}}".repeat((depth - 1) / 2)
    )
}

/// A property path in groups inside groups.
fn nested_path(depth: usize) -> String {
    format!(
        "SELECT * WHERE {{ ?s {}<http://purl.org/dc/terms/title>{} ?o }} LIMIT 1",
        "(".repeat(depth - 1),
        ")".repeat(depth - 1)
    )
}

/// A kind of nesting, and the hostile depth it is tried at: as deep as the longest query
/// allows, up to the 20 000 levels that took the server down before.
type Shape = (&'static str, fn(usize) -> String, usize);

const SHAPES: [Shape; 4] = [
    ("nested groups", nested_groups, HOSTILE),
    ("nested parentheses", nested_parentheses, HOSTILE),
    ("nested sub-selects", nested_subselects, 16_000),
    ("nested path", nested_path, HOSTILE),
];

/// How many triples the store holds, in the union of its graphs and in named graphs: what
/// a refused request must leave unchanged.
async fn quads(server: &Server) -> (String, String) {
    common::quality_settled(server).await;
    let count = |query: &'static str| async move {
        let answer: Value = common::sparql_get(
            &format!("{}/sparql", server.url),
            query,
            "application/sparql-results+json",
        )
        .await
        .json()
        .await
        .unwrap();
        answer["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    (
        count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").await,
        count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").await,
    )
}

async fn healthy(server: &Server) {
    let response = client()
        .get(format!("{}/health", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the server is down");
}

/// POSTs `query` as a form; the status and the body.
async fn post_form(server: &Server, field: &str, text: &str, accept: &str) -> (StatusCode, String) {
    let mut request = client()
        .post(format!("{}/sparql", server.url))
        .header("Accept", accept)
        .form(&[(field, text)]);
    if field == "update" {
        request = request.header("Authorization", bearer(ADMIN));
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

fn assert_too_deep(what: &str, status: StatusCode, body: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert!(
        body.contains(&format!("nested more than {LIMIT} levels deep")),
        "{what}: {body}"
    );
}

#[tokio::test]
async fn deeply_nested_queries_are_refused_and_real_depths_answer() {
    let temp = tempfile::tempdir().unwrap();
    let server = roomy_server(&temp);
    let before = quads(&server).await;
    let json = "application/sparql-results+json";
    for (name, shape, hostile) in SHAPES {
        for depth in [hostile, LIMIT + 1] {
            let (status, body) = post_form(&server, "query", &shape(depth), json).await;
            assert_too_deep(&format!("{name} at {depth}"), status, &body);
            healthy(&server).await;
        }
        // Depths real queries use answer, and so does the deepest the limit allows: the
        // query threads' stacks hold it.
        for depth in [50, LIMIT] {
            let (status, body) = post_form(&server, "query", &shape(depth), json).await;
            assert_eq!(status, StatusCode::OK, "{name} at {depth}: {body}");
        }
    }
    assert_eq!(quads(&server).await, before);
}

#[tokio::test]
async fn every_way_into_the_endpoint_is_guarded() {
    let temp = tempfile::tempdir().unwrap();
    let server = roomy_server(&temp);
    let before = quads(&server).await;
    let endpoint = format!("{}/sparql", server.url);
    let hostile = nested_groups(HOSTILE);
    // A GET's URL cannot be 40 kB long; past the limit is enough to show the check.
    let response = common::sparql_get(&endpoint, &nested_groups(LIMIT + 1), "text/csv").await;
    let status = response.status();
    assert_too_deep("GET", status, &response.text().await.unwrap());
    let response = client()
        .post(&endpoint)
        .header("Content-Type", "application/sparql-query")
        .body(hostile.clone())
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_too_deep("POST body", status, &response.text().await.unwrap());
    let update = format!(
        "INSERT {{ <urn:x:a> <urn:x:b> <urn:x:c> }} WHERE {{{}{}}}",
        "{ ".repeat(HOSTILE),
        "} ".repeat(HOSTILE)
    );
    let (status, body) = post_form(&server, "update", &update, "application/json").await;
    assert_too_deep("update form", status, &body);
    let response = client()
        .post(&endpoint)
        .header("Content-Type", "application/sparql-update")
        .header("Authorization", bearer(ADMIN))
        .body(update)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_too_deep("update body", status, &response.text().await.unwrap());
    // The editor's form: a page that says what is wrong, under the query.
    let (status, page) = post_form(&server, "query", &hostile, "text/html").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("<html"), "{page}");
    assert!(
        page.contains("nested more than"),
        "the page does not say why"
    );
    healthy(&server).await;
    assert_eq!(quads(&server).await, before);
}

/// The classic "billion laughs": nine levels of ten references each, 10^9 `lol`s.
fn entity_bomb() -> String {
    let mut entities = String::from("<!ENTITY lol \"lol\">\n");
    for level in 1..=9 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        let value = format!("&{previous};").repeat(10);
        entities.push_str(&format!("<!ENTITY lol{level} \"{value}\">\n"));
    }
    format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
{entities}]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://example.org/bomb">
    <dct:title>&lol9;</dct:title>
  </dcat:Dataset>
</rdf:RDF>
"#
    )
}

/// A JSON-LD document nested `depth` node objects deep.
fn deep_json_ld(depth: usize) -> String {
    let open = r#"{"http://example.org/p": "#.repeat(depth);
    format!(
        r#"{{"@id": "http://example.org/deep", "@type": "http://www.w3.org/ns/dcat#Dataset", "http://example.org/p": {open}"bottom"{}}}"#,
        "}".repeat(depth)
    )
}

/// Resident memory, and the most the server was resident so far, in MiB.
fn memory_mib(server: &Server) -> (u64, u64) {
    (
        server.memory_kib("VmRSS") / 1024,
        server.memory_kib("VmHWM") / 1024,
    )
}

#[tokio::test]
async fn entity_bombs_and_deep_json_ld_through_the_api_are_refused_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let mut server = roomy_server(&temp);
    let before = quads(&server).await;
    let url = format!("{}/api/datasets", server.url);
    let bodies = [
        (
            "application/rdf+xml",
            entity_bomb(),
            "expand the document past",
        ),
        (
            "application/ld+json",
            deep_json_ld(10_000),
            "nested more than",
        ),
        ("application/json", deep_json_ld(10_000), "nested more than"),
        (
            "text/turtle",
            format!(
                "<x> a <http://www.w3.org/ns/dcat#Dataset> ; <http://example.org/p> {}1{} .",
                "[ <http://example.org/p> ".repeat(HOSTILE),
                " ]".repeat(HOSTILE)
            ),
            "nested more than",
        ),
    ];
    for (media_type, body, says) in bodies {
        let (resident, _) = memory_mib(&server);
        let started = Instant::now();
        let response = send(
            Method::POST,
            &url,
            &body,
            media_type,
            &[("Authorization", &bearer(ADMIN))],
        )
        .await;
        let took = started.elapsed();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{media_type}: {text}");
        assert!(text.contains(says), "{media_type}: {text}");
        assert!(took < Duration::from_secs(1), "{media_type} took {took:?}");
        let (_, peak) = memory_mib(&server);
        assert!(
            peak < resident + 100,
            "{media_type}: the server grew from {resident} MiB to a peak of {peak} MiB"
        );
        assert!(server.is_running());
        healthy(&server).await;
    }
    assert_eq!(quads(&server).await, before);
}

#[tokio::test]
async fn a_body_over_its_triple_or_literal_budget_is_too_large() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &[
            "--admin-token",
            ADMIN,
            "--max-triples-per-body",
            "5",
            "--max-literal-bytes",
            "1000",
        ],
    );
    let before = quads(&server).await;
    let url = format!("{}/api/datasets", server.url);
    let dataset = |title: &str, keywords: usize| {
        format!(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
             <budget> a dcat:Dataset ; dct:title \"{title}\"@fr ; dct:description \"d\"@fr{} .",
            (0..keywords)
                .map(|k| format!(" ; dcat:keyword \"k{k}\""))
                .collect::<String>()
        )
    };
    let auth = bearer(ADMIN);
    let headers = [("Authorization", auth.as_str())];
    for (body, says) in [
        (dataset("t", 10), "more than 5 triples"),
        (dataset(&"é".repeat(600), 0), "a literal of 1200 bytes"),
    ] {
        let response = send(Method::POST, &url, &body, "text/turtle", &headers).await;
        let status = response.status();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{problem}"
        );
    }
    // Within the budget, the same record is written.
    let response = send(
        Method::POST,
        &url,
        &dataset("t", 1),
        "text/turtle",
        &headers,
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{}",
        response.text().await.unwrap()
    );
    assert_ne!(quads(&server).await, before);
}

/// Polls a job until it has ended.
async fn finished(location: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job: Value = client()
            .get(location)
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if job["status"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the job did not end: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_hostile_feed_fails_its_page_and_the_server_keeps_serving() {
    let feeds = FeedServer::start();
    let temp = tempfile::tempdir().unwrap();
    let mut server = roomy_server(&temp);
    let before = quads(&server).await;
    let pages = [
        (
            "bomb",
            "application/rdf+xml",
            entity_bomb(),
            "expand the document past",
        ),
        (
            "deep",
            "application/ld+json",
            deep_json_ld(10_000),
            "nested more than",
        ),
    ];
    for (name, media_type, body, says) in pages {
        let url = feeds.set(&format!("/{name}"), Page::ok(media_type, body));
        let (resident, _) = memory_mib(&server);
        let added = send(
            Method::POST,
            &format!("{}/api/harvest/sources", server.url),
            &json!({ "name": name, "url": url }).to_string(),
            "application/json",
            &[("Authorization", &bearer(ADMIN))],
        )
        .await;
        assert_eq!(added.status(), StatusCode::CREATED);
        let run = send(
            Method::POST,
            &format!("{}/api/harvest/sources/{name}/run", server.url),
            "",
            "application/json",
            &[("Authorization", &bearer(ADMIN))],
        )
        .await;
        assert_eq!(run.status(), StatusCode::ACCEPTED);
        let job = finished(&server.url_of(&header(&run, "location"))).await;
        assert_eq!(job["status"], "failed", "{job}");
        let errors = job["errors"].to_string();
        assert!(errors.contains(says), "{name}: {job}");
        assert!(errors.contains(&url), "the error names the page: {job}");
        let (_, peak) = memory_mib(&server);
        assert!(
            peak < resident + 100,
            "{name}: the server grew from {resident} MiB to a peak of {peak} MiB"
        );
        assert!(server.is_running());
        healthy(&server).await;
    }
    assert_eq!(quads(&server).await, before);
}

#[test]
fn loading_hostile_files_fails_with_the_reason_and_writes_nothing() {
    let prepared = common::Prepared::new();
    let files = [
        ("bomb.rdf", entity_bomb(), "expand the document past"),
        ("deep.jsonld", deep_json_ld(10_000), "nested more than"),
        (
            "deep.ttl",
            format!(
                "<x> <http://example.org/p> {}1{} .",
                "( ".repeat(HOSTILE),
                " )".repeat(HOSTILE)
            ),
            "nested more than",
        ),
    ];
    for (name, body, says) in files {
        let path = prepared.temp.path().join(name);
        std::fs::write(&path, body).unwrap();
        let output = prepared.load(&[&path]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name} loaded: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(stderr.contains(name), "the error names the file: {stderr}");
        let validated = common::run(prepared.temp.path(), &["validate", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&validated.stderr);
        assert!(!validated.status.success(), "{name} validated");
        assert!(stderr.contains(says), "validate {name}: {stderr}");
    }
    // Nothing was written: a server on the store has only the demo catalog's datasets.
    let server = prepared.serve();
    let endpoint = format!("{}/sparql", server.url);
    let bomb = common::sparql_get(
        &endpoint,
        "ASK { { <http://example.org/bomb> ?p ?o } UNION { <http://example.org/deep> ?p ?o } }",
        "application/sparql-results+json",
    );
    let answer: Value = futures_block(bomb);
    assert_eq!(answer["boolean"], false);
}

/// Runs a request future to its JSON answer from a synchronous test.
fn futures_block(request: impl std::future::Future<Output = reqwest::Response>) -> Value {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { request.await.json().await.unwrap() })
}

#[tokio::test]
async fn one_client_cannot_run_more_queries_than_its_share() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &[
            "--query-timeout",
            "3",
            "--max-concurrent-queries-per-client",
            "1",
        ],
    );
    let endpoint = format!("{}/sparql", server.url);
    let runaway = tokio::spawn({
        let endpoint = endpoint.clone();
        async move {
            common::sparql_get(
                &endpoint,
                common::RUNAWAY,
                "application/sparql-results+json",
            )
            .await
            .status()
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = common::sparql_get(
        &endpoint,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "application/sparql-results+json",
    )
    .await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&second, "retry-after"), "1");
    let problem: Value = second.json().await.unwrap();
    assert_eq!(problem["type"], "urn:passerelle:problem:too-many-queries");
    assert_eq!(runaway.await.unwrap(), StatusCode::SERVICE_UNAVAILABLE);
    // Its place is given back when the query ends.
    let again = common::sparql_get(
        &endpoint,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "application/sparql-results+json",
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_query_that_holds_too_much_memory_is_stopped_before_its_time_limit() {
    let temp = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(
        &temp.path().join("data"),
        &["--query-timeout", "60", "--max-query-memory", "400"],
    );
    // Sorting a cross product keeps every pair in memory: gigabytes over the demo store.
    let started = Instant::now();
    let response = common::sparql_get(
        &format!("{}/sparql", server.url),
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
        "application/sparql-results+json",
    )
    .await;
    let took = started.elapsed();
    let status = response.status();
    let problem: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert_eq!(problem["type"], "urn:passerelle:problem:query-memory");
    assert!(took < Duration::from_secs(30), "it ran {took:?}");
    let (_, peak) = memory_mib(&server);
    assert!(peak < 1500, "the server peaked at {peak} MiB");
    assert!(server.is_running());
    healthy(&server).await;
}
