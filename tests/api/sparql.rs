//! The SPARQL query endpoint over HTTP: protocol operations, result formats and their
//! exact media types, the public default graph, dataset parameters, errors and time limits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;

const COUNT_DATASETS: &str =
    "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }";

async fn select(server: &Server, query: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut params = vec![("query", query)];
    params.extend_from_slice(extra);
    client()
        .get(format!("{}/sparql", server.url))
        .query(&params)
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .await
        .unwrap()
}

fn first_number(results: &Value) -> u64 {
    results["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn get_and_both_posts_answer_the_same() {
    let server = Server::start();
    let url = format!("{}/sparql", server.url);
    let get: Value = select(&server, COUNT_DATASETS, &[])
        .await
        .json()
        .await
        .unwrap();
    let form: Value = client()
        .post(&url)
        .form(&[("query", COUNT_DATASETS)])
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let direct: Value = client()
        .post(&url)
        .header(CONTENT_TYPE, "application/sparql-query")
        .header(ACCEPT, "application/sparql-results+json")
        .body(COUNT_DATASETS)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first_number(&get), 28, "{get}");
    assert_eq!(get, form);
    assert_eq!(get, direct);
}

#[tokio::test]
async fn each_result_format_has_its_exact_media_type() {
    let server = Server::start();
    let url = format!("{}/sparql", server.url);
    let cases = [
        (
            "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 2",
            "application/sparql-results+json",
            "application/sparql-results+json",
        ),
        (
            "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 2",
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (
            "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 2",
            "text/csv",
            "text/csv; charset=utf-8",
        ),
        (
            "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 2",
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
        ),
        (
            "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 2",
            "*/*",
            "application/sparql-results+json",
        ),
        (
            "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (
            "CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
            "text/turtle",
            "text/turtle; charset=utf-8",
        ),
        (
            "CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
            "application/ld+json",
            "application/ld+json; charset=utf-8",
        ),
        (
            "CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
            "application/rdf+xml",
            "application/rdf+xml; charset=utf-8",
        ),
        (
            "DESCRIBE ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 1",
            "application/n-triples",
            "application/n-triples; charset=utf-8",
        ),
    ];
    for (query, accept, expected) in cases {
        let response = common::sparql_get(&url, query, accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{query} as {accept}");
        assert_eq!(
            response.headers()[CONTENT_TYPE].to_str().unwrap(),
            expected,
            "{query} as {accept}"
        );
        let body = response.text().await.unwrap();
        assert!(!body.is_empty(), "{query} as {accept}");
    }
    // JSON-LD answers are compact, like dereferenced ones.
    let jsonld: Value = common::sparql_get(&url, "CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }", "application/ld+json").await.json().await.unwrap();
    assert_eq!(jsonld["@graph"].as_array().unwrap().len(), 28);
    assert_eq!(jsonld["@graph"][0]["@type"], "dcat:Dataset");
    // A SELECT has no Turtle form, a CONSTRUCT no SPARQL-results form.
    let response = common::sparql_get(&url, COUNT_DATASETS, "text/turtle").await;
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["available"]
            .as_array()
            .unwrap()
            .contains(&"text/csv".into()),
        "{body}"
    );
}

/// Graph answers are written with full IRIs, as the Oxigraph server writes them (prefixes
/// cost 3 % of a catalog page: docs/decisions.md); the answer's page shortens them.
#[tokio::test]
async fn graph_answers_are_written_with_full_iris() {
    let server = Server::start();
    let url = format!("{}/sparql", server.url);
    let declared = "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n\
        # the empty prefix, and a relative one\n\
        prefix : <http://purl.org/dc/terms/> PREFIX rel: <relative/>\n\
        CONSTRUCT { ?d a dcat:Dataset ; :title ?t } WHERE { ?d a dcat:Dataset ; :title ?t }";
    for syntax in ["text/turtle", "application/trig", "application/n-triples"] {
        let response = common::sparql_get(&url, declared, syntax).await;
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        assert!(!text.contains("@prefix"), "{syntax}:\n{text}");
        assert!(
            text.contains("<http://purl.org/dc/terms/title>"),
            "{syntax}:\n{text}"
        );
        assert!(!text.contains("dcat:Dataset"), "{syntax}:\n{text}");
    }
    // The page a browser gets uses the names the query declared.
    let page = common::sparql_get(&url, declared, "text/html").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains(">dcat:Dataset<") && page.contains(">:title<"),
        "{page}"
    );
    // An outside reader finds the same graph in every syntax.
    let triples = common::run_python("answer_syntaxes.py", &[&url, declared]);
    let count = "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> \
        SELECT (COUNT(DISTINCT ?d) + COUNT(*) AS ?n) WHERE { ?d a dcat:Dataset ; dct:title ?t }";
    let expected: Value = select(&server, count, &[]).await.json().await.unwrap();
    assert_eq!(triples.trim(), first_number(&expected).to_string());
}

#[tokio::test]
async fn the_default_graph_is_the_union_of_public_graphs_and_parameters_narrow_it() {
    let server = Server::start();
    common::quality_settled(&server).await;
    let union: Value = select(&server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", &[])
        .await
        .json()
        .await
        .unwrap();
    let by_graph: Value = select(
        &server,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(first_number(&union) > 1000, "{union}");
    assert!(
        first_number(&union) <= first_number(&by_graph),
        "the union holds no triple outside the named graphs"
    );
    // Our bookkeeping is not in the store at all.
    let internal: Value = select(
        &server,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"urn:passerelle\")) }",
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(first_number(&internal), 0);

    let graph = format!("{}records/inventaire-zones-humides-bretagne", server.base);
    let narrowed: Value = select(&server, COUNT_DATASETS, &[("default-graph-uri", &graph)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first_number(&narrowed), 1, "{narrowed}");
    let named: Value = select(
        &server,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        &[("named-graph-uri", &graph)],
    )
    .await
    .json()
    .await
    .unwrap();
    let graphs = named["results"]["bindings"].as_array().unwrap();
    assert_eq!(graphs.len(), 1, "{named}");
    assert_eq!(graphs[0]["g"]["value"], graph.as_str());
}

#[tokio::test]
async fn bad_requests_are_explained() {
    let server = Server::start();
    let url = format!("{}/sparql", server.url);
    let response = client()
        .get(&url)
        .query(&[("query", "SELECT ?x WHERE { ?x ?y }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    let body: Value = response.json().await.unwrap();
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("1:") || detail.contains("line"),
        "no position in {detail:?}"
    );

    let response = client()
        .post(&url)
        .header(CONTENT_TYPE, "text/plain")
        .body("SELECT * {}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = client()
        .post(&url)
        .form(&[("nothing", "here")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = select(
        &server,
        COUNT_DATASETS,
        &[("default-graph-uri", "not an iri")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = client().delete(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, HEAD, POST");
    // A query with the update operation's dataset parameters is refused, not half-read.
    let response = select(
        &server,
        COUNT_DATASETS,
        &[("using-graph-uri", "http://example.org/g")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // HEAD is answered like GET, without a body.
    let response = client().head(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn large_answers_stream() {
    let server = Server::start();
    let response = client()
        .get(format!("{}/sparql", server.url))
        .query(&[("query", "SELECT * WHERE { ?s ?p ?o }")])
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    let results: Value = response.json().await.unwrap();
    assert!(results["results"]["bindings"].as_array().unwrap().len() > 10_000);
}

async fn update(server: &Server, token: Option<&str>, update: &str) -> reqwest::Response {
    let mut request = client()
        .post(format!("{}/sparql", server.url))
        .header(CONTENT_TYPE, "application/sparql-update")
        .body(update.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn updates_need_the_admin_token_apply_whole_and_show_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &["--admin-token", "s3cret-admin"],
    );
    let dataset = format!("{}datasets/inventaire-zones-humides-bretagne", server.base);
    let graph = format!("{}records/inventaire-zones-humides-bretagne", server.base);
    let page = server.url_of(&dataset);
    let before = common::get_with(&page, &[("Accept", "application/n-triples")]).await;
    let (etag, last_modified) = (
        before.headers()["etag"].to_str().unwrap().to_owned(),
        before.headers()["last-modified"]
            .to_str()
            .unwrap()
            .to_owned(),
    );
    let keyword = format!(
        "INSERT DATA {{ GRAPH <{graph}> {{ <{dataset}> <http://www.w3.org/ns/dcat#keyword> \"added-by-update\"@en }} }}"
    );

    let response = update(&server, None, &keyword).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let response = update(&server, Some("wrong"), &keyword).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The form field works too, and is refused the same way.
    let response = client()
        .post(format!("{}/sparql", server.url))
        .form(&[("update", keyword.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // A failing operation after a good one: nothing at all is applied.
    let failing = format!("{keyword} ; CREATE GRAPH <{graph}>");
    let response = update(&server, Some("s3cret-admin"), &failing).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let ask = format!("ASK {{ <{dataset}> ?p \"added-by-update\"@en }}");
    let answer: Value = select(&server, &ask, &[]).await.json().await.unwrap();
    assert_eq!(answer["boolean"], false, "a failed update left a trace");

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let response = update(&server, Some("s3cret-admin"), &keyword).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let answer: Value = select(&server, &ask, &[]).await.json().await.unwrap();
    assert_eq!(answer["boolean"], true);
    // Dereferencing shows the change at once: the cached answer was dropped.
    let after = common::get_with(
        &page,
        &[
            ("Accept", "application/n-triples"),
            ("If-None-Match", &etag),
        ],
    )
    .await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_ne!(
        after.headers()["last-modified"].to_str().unwrap(),
        last_modified
    );
    assert!(
        after
            .text()
            .await
            .unwrap()
            .contains("\"added-by-update\"@en")
    );
}

#[tokio::test]
async fn updates_are_refused_when_no_admin_token_is_configured() {
    let server = Server::start();
    let response = update(
        &server,
        Some("anything"),
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["detail"].as_str().unwrap().contains("no admin token"),
        "{body}"
    );
}

#[tokio::test]
async fn a_get_without_query_describes_the_service() {
    let server = Server::start();
    let url = format!("{}/sparql", server.url);
    let endpoint = format!("{}sparql", server.base);
    let response = client()
        .get(&url)
        .header(ACCEPT, "application/n-triples")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    for needle in [
        format!("<{endpoint}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{sd}Service>"),
        format!("<{endpoint}> <{sd}endpoint> <{endpoint}>"),
        format!("<{endpoint}> <{sd}supportedLanguage> <{sd}SPARQL11Query>"),
        format!(
            "<{endpoint}> <{sd}resultFormat> <http://www.w3.org/ns/formats/SPARQL_Results_JSON>"
        ),
        format!("<{endpoint}> <{sd}feature> <{sd}UnionDefaultGraph>"),
        format!("<{sd}defaultDataset>"),
    ] {
        assert!(body.contains(&needle), "no {needle} in\n{body}");
    }
    // Its alternates use ?format= (the endpoint takes no suffix), and they answer.
    let link = client()
        .get(&url)
        .header(ACCEPT, "text/turtle")
        .send()
        .await
        .unwrap()
        .headers()["link"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        link.contains(&format!("<{endpoint}?format=jsonld>")),
        "{link}"
    );
    assert!(!link.contains("sparql.jsonld"), "{link}");
    let turtle = client()
        .get(format!("{url}?format=ttl"))
        .send()
        .await
        .unwrap();
    assert!(
        turtle.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/turtle")
    );
    // A browser gets the query editor, with examples that run.
    let page = client()
        .get(&url)
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<textarea") && page.contains("<select id=\"examples\">"),
        "{page}"
    );
    // The first option is a prompt without a query.
    let first = page
        .split("<option value=\"")
        .skip(1)
        .map(|option| option.split('"').next().unwrap())
        .find(|value| !value.is_empty())
        .unwrap();
    let example = first
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    let results: Value = select(&server, &example, &[]).await.json().await.unwrap();
    assert!(
        results["results"]["bindings"].as_array().unwrap().len() >= 25,
        "{example}: {results}"
    );
}

#[tokio::test]
async fn browsers_may_query_from_other_origins() {
    let server = Server::start();
    let url = format!("{}/sparql", server.url);
    let preflight = client()
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "https://yasgui.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let response = client()
        .get(&url)
        .query(&[("query", COUNT_DATASETS)])
        .header("Origin", "https://notebook.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn oversized_bodies_and_queries_get_413() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &["--max-body", "2000", "--max-query-length", "500"],
    );
    let url = format!("{}/sparql", server.url);
    let padding = "#".repeat(3000);
    let response = client()
        .post(&url)
        .header(CONTENT_TYPE, "application/sparql-query")
        .body(format!("{COUNT_DATASETS}\n{padding}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    let long_query = format!("{COUNT_DATASETS}\n{}", "#".repeat(600));
    let response = client()
        .get(&url)
        .query(&[("query", long_query.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["detail"].as_str().unwrap().contains("500 characters"),
        "{body}"
    );
    // Within the limits, the same query answers.
    let response = client()
        .get(&url)
        .query(&[("query", COUNT_DATASETS)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// A query seen quick is answered on the connection's thread the next times; when the
/// data grows under it, its answer must still come whole (from the blocking pool).
#[tokio::test]
async fn repeated_quick_queries_answer_whole_when_the_data_grows() {
    let temp = tempfile::tempdir().unwrap();
    let token = "fast-path-token";
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", token]);
    let query = "SELECT ?o WHERE { GRAPH <http://example.org/grows> { ?s ?p ?o } }";
    let count = |body: Value| body["results"]["bindings"].as_array().unwrap().len();
    let ask = || async {
        let response = select(&server, query, &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        response
    };
    let insert = |from: usize, to: usize| {
        let triples: String = (from..to)
            .map(|i| format!("<http://example.org/s{i}> <http://example.org/p> \"value number {i} with some padding\" . "))
            .collect();
        format!("INSERT DATA {{ GRAPH <http://example.org/grows> {{ {triples} }} }}")
    };
    assert!(
        update(&server, Some(token), &insert(0, 3))
            .await
            .status()
            .is_success()
    );
    // Several times: the first run is on the pool, the next ones may be inline.
    for _ in 0..5 {
        let response = ask().await;
        assert!(response.headers().get("content-length").is_some());
        assert_eq!(count(response.json().await.unwrap()), 3);
    }
    // Now some 300 kB of answer: more than an inline answer may hold.
    for start in (3..4000).step_by(800) {
        let end = (start + 800).min(4000);
        let response = update(&server, Some(token), &insert(start, end)).await;
        assert!(response.status().is_success());
    }
    for _ in 0..3 {
        assert_eq!(count(ask().await.json().await.unwrap()), 4000);
    }
    // And a query's own error is the same on every path.
    for _ in 0..3 {
        let response = client()
            .get(format!("{}/sparql", server.url))
            .query(&[("query", query)])
            .header(ACCEPT, "image/png")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    }
}

/// The Protocol leaves the base IRI to the service: ours is the endpoint's own IRI, for
/// queries and updates alike (the engine is built once per store, not per request).
#[tokio::test]
async fn relative_iris_resolve_against_the_endpoint() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", "t0ken"]);
    let answer: Value = select(
        &server,
        "SELECT (<> AS ?here) (<datasets/x> AS ?there) WHERE {}",
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    let row = &answer["results"]["bindings"][0];
    assert_eq!(row["here"]["value"], format!("{}sparql", server.base));
    assert_eq!(row["there"]["value"], format!("{}datasets/x", server.base));

    let response = update(
        &server,
        Some("t0ken"),
        "INSERT DATA { GRAPH <graphs/relative> { <datasets/x> <#p> \"v\" } }",
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let ask = format!(
        "ASK {{ GRAPH <{0}graphs/relative> {{ <{0}datasets/x> <{0}sparql#p> \"v\" }} }}",
        server.base
    );
    let answer: Value = select(&server, &ask, &[]).await.json().await.unwrap();
    assert_eq!(answer["boolean"], true, "{answer}");
}
