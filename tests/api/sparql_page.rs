//! The SPARQL endpoint for people: a browser that sends a query gets the editor holding it
//! and the answer as a table, with links to the same answer in every syntax; a failed
//! query's error is shown under the editor. `?format=` picks a syntax where a browser
//! sends its own `Accept`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{RUNAWAY, Server, client};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, VARY};
use serde_json::Value;

/// What Chromium sends when it navigates.
const BROWSER: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

const TITLES: &str = "PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?dataset ?type ?title WHERE {
  ?dataset a ?type ; dct:title ?title .
  FILTER(?type = dcat:Dataset)
}";

const CONSTRUCT: &str = "CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }";

/// 2000 solutions, whatever the store holds.
const TWO_THOUSAND: &str = "SELECT ?a ?b ?c ?d WHERE {
  VALUES ?a { 0 1 2 3 4 5 6 7 8 9 } VALUES ?b { 0 1 2 3 4 5 6 7 8 9 }
  VALUES ?c { 0 1 2 3 4 5 6 7 8 9 } VALUES ?d { 0 1 } }";

/// A GET of the endpoint with these parameters and this `Accept`.
async fn get(server: &Server, params: &[(&str, &str)], accept: &str) -> reqwest::Response {
    client()
        .get(format!("{}/sparql", server.url))
        .query(params)
        .header(ACCEPT, accept)
        .send()
        .await
        .unwrap()
}

/// What a program gets: the JSON answer (or problem) to a GET with these parameters.
async fn json(server: &Server, params: &[(&str, &str)]) -> Value {
    get(server, params, "application/sparql-results+json")
        .await
        .json()
        .await
        .unwrap()
}

/// A page as a browser gets it: status and body, checked to be HTML that varies on Accept.
async fn page(server: &Server, params: &[(&str, &str)]) -> (StatusCode, String) {
    let response = get(server, params, BROWSER).await;
    let status = response.status();
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "text/html; charset=utf-8",
        "{params:?}"
    );
    assert!(
        response.headers()[VARY]
            .to_str()
            .unwrap()
            .starts_with("Accept"),
        "{:?}",
        response.headers()[VARY]
    );
    (status, response.text().await.unwrap())
}

/// Undoes the template's escaping of text and attributes.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The text between the first `start` after `from` and the next `end`.
fn between<'a>(html: &'a str, from: &str, start: &str, end: &str) -> &'a str {
    let after = &html[html
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in\n{html}"))..];
    let after = &after[after.find(start).unwrap() + start.len()..];
    &after[..after.find(end).unwrap()]
}

/// The editor's query, as the textarea holds it.
fn editor_query(html: &str) -> String {
    unescape(between(html, "<textarea id=\"query\"", ">", "</textarea>"))
}

/// The rows of the results table.
fn table_rows(html: &str) -> usize {
    between(html, "<table id=\"results\">", "<tbody>", "</tbody>")
        .matches("<tr>")
        .count()
}

/// The "Machine-readable" links: (label, href).
fn format_links(html: &str) -> Vec<(String, String)> {
    between(html, "class=\"formats\"", ">", "</p>")
        .split("<a href=\"")
        .skip(1)
        .map(|link| {
            let (href, rest) = link.split_once('"').unwrap();
            let label = between(rest, "", ">", "</a>");
            (unescape(label), unescape(href))
        })
        .collect()
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_browser_gets_the_answer_as_a_table_under_the_editor() {
    let server = Server::start();
    let (status, html) = page(&server, &[("query", TITLES)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(editor_query(&html), TITLES);

    let json: Value = json(&server, &[("query", TITLES)]).await;
    let bindings = json["results"]["bindings"].as_array().unwrap();
    assert!(bindings.len() >= 5, "{json}");
    assert_eq!(table_rows(&html), bindings.len());
    assert!(
        html.contains(&format!("{} results.", bindings.len())),
        "{html}"
    );
    for column in ["dataset", "type", "title"] {
        assert!(html.contains(&format!("<th>{column}</th>")), "{html}");
    }
    for binding in bindings {
        let dataset = binding["dataset"]["value"].as_str().unwrap();
        assert!(
            unescape(&html).contains(&format!("<a href=\"{dataset}\"")),
            "no link to {dataset}"
        );
        let title = binding["title"]["value"].as_str().unwrap();
        let language = binding["title"]["xml:lang"].as_str().unwrap();
        // The same title with its language.
        assert!(
            html.contains(&format!(
                "{}</a></td><td>{} <small>@{language}</small>",
                "dcat:Dataset",
                escaped(title)
            )),
            "no cell for {title:?}@{language}"
        );
    }

    // The same answer in each results syntax, by links a browser can follow.
    let links = format_links(&html);
    let labels: Vec<&str> = links.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(labels, ["JSON", "XML", "CSV", "TSV"]);
    for ((label, href), expected) in links.iter().zip([
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv; charset=utf-8",
        "text/tab-separated-values; charset=utf-8",
    ]) {
        let response = common::get_with(href, &[("Accept", BROWSER)]).await;
        assert_eq!(response.status(), StatusCode::OK, "{label}");
        assert_eq!(content_type(&response), expected, "{label}");
        let body = response.text().await.unwrap();
        match label.as_str() {
            "JSON" => assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json),
            "CSV" | "TSV" => assert_eq!(body.trim_end().lines().count(), bindings.len() + 1),
            _ => assert_eq!(body.matches("<result>").count(), bindings.len()),
        }
    }

    // A browser's HEAD gets the page's head, without the page.
    let response = client()
        .head(format!("{}/sparql", server.url))
        .query(&[("query", TITLES)])
        .header(ACCEPT, BROWSER)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), "text/html; charset=utf-8");
    assert!(response.bytes().await.unwrap().is_empty());
}

/// How the templates escape text (minijinja's HTML escaping).
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

#[tokio::test]
async fn graph_answers_and_ask_have_pages_too() {
    let server = Server::start();
    let (status, html) = page(&server, &[("query", CONSTRUCT)]).await;
    assert_eq!(status, StatusCode::OK);
    for column in ["subject", "predicate", "object"] {
        assert!(html.contains(&format!("<th>{column}</th>")), "{html}");
    }
    let links = format_links(&html);
    let labels: Vec<&str> = links.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Turtle",
            "JSON-LD",
            "RDF/XML",
            "N-Triples",
            "N-Quads",
            "TriG"
        ]
    );
    let (_, n_triples) = links.iter().find(|(l, _)| l == "N-Triples").unwrap();
    let response = common::get_with(n_triples, &[("Accept", BROWSER)]).await;
    assert_eq!(
        content_type(&response),
        "application/n-triples; charset=utf-8"
    );
    let triples = response.text().await.unwrap().lines().count();
    assert!(triples >= 5);
    assert_eq!(table_rows(&html), triples);
    for (label, href) in &links {
        let response = common::get_with(href, &[("Accept", BROWSER)]).await;
        assert_eq!(response.status(), StatusCode::OK, "{label}");
        assert!(!content_type(&response).starts_with("text/html"), "{label}");
    }

    let ask = "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }";
    let (status, html) = page(&server, &[("query", ask)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Answer: <strong>true</strong>"), "{html}");
    let (_, html) = page(&server, &[("query", "ASK { <urn:x:nothing> ?p ?o }")]).await;
    assert!(html.contains("Answer: <strong>false</strong>"), "{html}");
}

#[tokio::test]
async fn a_long_answer_shows_its_head_and_links_the_whole() {
    let server = Server::start();
    let (status, html) = page(&server, &[("query", TWO_THOUSAND)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(table_rows(&html), 1000);
    assert!(html.contains("The first 1000 results"), "{html}");
    let links = format_links(&html);
    let (_, csv) = links.iter().find(|(label, _)| label == "CSV").unwrap();
    let whole = common::get_with(csv, &[("Accept", BROWSER)])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(whole.trim_end().lines().count(), 2001);
}

#[tokio::test]
async fn a_long_graph_answer_is_cut_too() {
    let server = Server::start();
    let construct = TWO_THOUSAND
        .replace("SELECT ?a ?b ?c ?d WHERE", "CONSTRUCT { ?s <urn:x:n> ?d } WHERE")
        .replace(
            "VALUES ?d { 0 1 } }",
            "VALUES ?d { 0 1 } BIND(IRI(CONCAT(\"urn:x:\", STR(?a), STR(?b), STR(?c), STR(?d))) AS ?s) }",
        );
    let (status, html) = page(&server, &[("query", &construct)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(table_rows(&html), 1000);
    assert!(html.contains("The first 1000 results"), "{html}");
    let (_, nt) = format_links(&html)
        .into_iter()
        .find(|(label, _)| label == "N-Triples")
        .unwrap();
    let whole = common::get_with(&nt, &[("Accept", BROWSER)])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(whole.lines().count(), 2000);
}

#[tokio::test]
async fn a_query_too_long_to_link_is_posted_again_by_a_form() {
    let server = Server::start();
    let long = format!("# {}\n{TITLES}", "a long comment ".repeat(200));
    let (status, html) = page(&server, &[("query", &long)]).await;
    assert_eq!(status, StatusCode::OK);
    // No link repeats the query, in the bar nor in the head.
    assert!(!html.contains("class=\"formats\""), "{html}");
    assert!(!html.contains("rel=\"alternate\" type="), "{html}");
    let switch = between(&html, "<link rel=\"alternate\" hreflang=", "", ">");
    assert!(!switch.contains("query="), "{switch}");
    let form = between(&html, "<form id=\"downloads\"", "", "</form>");
    assert!(form.contains("method=\"post\""), "{form}");
    for format in ["json", "xml", "csv", "tsv"] {
        assert!(
            form.contains(&format!("name=\"format\" value=\"{format}\"")),
            "{form}"
        );
    }
    assert_eq!(
        unescape(between(form, "name=\"query\"", "value=\"", "\"")),
        long
    );
    // What its CSV button posts, from a browser.
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header(ACCEPT, BROWSER)
        .form(&[("query", long.as_str()), ("format", "csv")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), "text/csv; charset=utf-8");
    assert_eq!(
        response.text().await.unwrap().trim_end().lines().count(),
        table_rows(&html) + 1
    );
}

#[tokio::test]
async fn a_posted_query_gets_its_page_and_keeps_its_graphs() {
    let server = Server::start();
    let graph = format!("{}records/inventaire-zones-humides-bretagne", server.base);
    let count = "SELECT ?s WHERE { ?s ?p ?o }";
    let params = [("query", count), ("default-graph-uri", graph.as_str())];
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header(ACCEPT, BROWSER)
        .form(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), "text/html; charset=utf-8");
    let html = response.text().await.unwrap();
    assert_eq!(editor_query(&html), count);
    // Run again from the editor, the query reads the same graph.
    assert!(
        html.contains(&format!(
            "<input type=\"hidden\" name=\"default-graph-uri\" value=\"{}\">",
            escaped(&graph)
        )),
        "{html}"
    );
    let in_graph: Value = json(&server, &params).await;
    let rows = in_graph["results"]["bindings"].as_array().unwrap().len();
    let everywhere: Value = json(&server, &[("query", count)]).await;
    assert!(rows > 0 && rows < everywhere["results"]["bindings"].as_array().unwrap().len());
    assert_eq!(table_rows(&html), rows);
    // So do its links.
    let (_, json) = format_links(&html)
        .into_iter()
        .find(|(label, _)| label == "JSON")
        .unwrap();
    assert!(json.contains("default-graph-uri="), "{json}");
    let linked: Value = common::get_with(&json, &[("Accept", BROWSER)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(linked, in_graph);

    // A posted query that fails keeps it in the editor too.
    let broken = "SELECT ?s WHERE { ?s ?p }";
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header(ACCEPT, BROWSER)
        .form(&[("query", broken)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(editor_query(&response.text().await.unwrap()), broken);
}

#[tokio::test]
async fn a_failed_query_is_shown_under_the_editor_that_holds_it() {
    let server = Server::start();
    let broken = "SELECT ?d WHERE {\n  ?d a <http://www.w3.org/ns/dcat#Dataset> .\n  ?d ?p\n}";
    let (status, html) = page(&server, &[("query", broken)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(editor_query(&html), broken);
    // The message a program gets in the problem's detail, with the error's position.
    let problem: Value = json(&server, &[("query", broken)]).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("3:") || detail.contains("4:"),
        "no position in {detail:?}"
    );
    let shown = unescape(between(&html, "id=\"error\"", ">", "</p>"));
    assert_eq!(shown, detail);
    assert!(!html.contains("id=\"results\""));

    // A page of a query over the length limit says so, with the right status.
    let temp = tempfile::tempdir().unwrap();
    let small = Server::start_with(&temp.path().join("data"), &["--max-query-length", "100"]);
    let (status, html) = page(&small, &[("query", TITLES)]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("100 characters"), "{html}");
    assert_eq!(editor_query(&html), TITLES);

    // A request whose parameters cannot be read still shows the query it sent.
    let (status, html) = page(
        &server,
        &[("query", TITLES), ("default-graph-uri", "not an IRI")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("invalid graph IRI"), "{html}");
    assert_eq!(editor_query(&html), TITLES);

    // Credentials are no query's error: an update from a browser keeps the problem and
    // its challenge.
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header(ACCEPT, BROWSER)
        .form(&[("update", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(content_type(&response), "application/problem+json");
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn a_query_stopped_at_the_time_limit_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--query-timeout", "1"]);
    let (status, html) = page(&server, &[("query", RUNAWAY)]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        between(&html, "id=\"error\"", ">", "</p>").contains("time limit"),
        "{html}"
    );
    assert_eq!(editor_query(&html), RUNAWAY);
}

#[tokio::test]
async fn what_the_data_says_is_escaped() {
    let server = Server::start();
    let hostile = "SELECT ?text ?iri ?blank ?unbound WHERE { BIND(\"<b id='x'>bold</b>\" AS ?text) BIND(<javascript:alert(1)> AS ?iri) BIND(BNODE() AS ?blank) OPTIONAL { ?nothing <urn:x:none> ?unbound } }";
    let (status, html) = page(&server, &[("query", hostile)]).await;
    assert_eq!(status, StatusCode::OK);
    // A blank node reads as one; an unbound variable is an empty cell.
    assert!(html.contains("</td><td>_:"), "{html}");
    assert!(html.contains("<td></td></tr>"), "{html}");
    assert!(!html.contains("<b id"), "{html}");
    assert!(
        html.contains("&lt;b id=&#x27;x&#x27;&gt;bold&lt;&#x2f;b&gt;"),
        "{html}"
    );
    // An IRI a browser should not follow is shown, not linked.
    assert!(!html.contains("href=\"javascript:"), "{html}");
    assert!(html.contains("<td>javascript:alert(1)</td>"), "{html}");
}

#[tokio::test]
async fn format_overrides_accept_and_values_of_other_clients_are_ignored() {
    let server = Server::start();
    let cases = [
        // (query, format, Accept, expected Content-Type)
        (
            TITLES,
            "csv",
            "application/sparql-results+json",
            "text/csv; charset=utf-8",
        ),
        (TITLES, "xml", BROWSER, "application/sparql-results+xml"),
        (
            TITLES,
            "html",
            "application/sparql-results+json",
            "text/html; charset=utf-8",
        ),
        (
            CONSTRUCT,
            "json",
            BROWSER,
            "application/ld+json; charset=utf-8",
        ),
        (
            CONSTRUCT,
            "xml",
            BROWSER,
            "application/rdf+xml; charset=utf-8",
        ),
        (
            CONSTRUCT,
            "turtle",
            "application/rdf+xml",
            "text/turtle; charset=utf-8",
        ),
        // SPARQLWrapper's values that name nothing here: Accept decides.
        (
            TITLES,
            "n3",
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (
            CONSTRUCT,
            "csv",
            "text/turtle",
            "text/turtle; charset=utf-8",
        ),
    ];
    for (query, format, accept, expected) in cases {
        let response = get(&server, &[("query", query), ("format", format)], accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{format} {accept}");
        assert_eq!(content_type(&response), expected, "{format} {accept}");
    }
    // What programs send (curl and requests, Jena, SPARQLWrapper, RDF4J, rdflib) still
    // gets the Protocol's syntaxes, never the page.
    let programs = [
        "*/*",
        "text/*;q=0.5, */*;q=0.1",
        "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.7, text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1",
        "application/sparql-results+json,application/json,text/javascript,application/javascript",
        "application/sparql-results+xml, application/xml;q=0.9, */*;q=0.1",
        "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, */*;q=0.1",
        "application/rdf+xml, text/rdf+n3, application/xml;q=0.5, text/html;q=0.2",
    ];
    for (query, expected) in [
        (TITLES, "application/sparql-results+json"),
        (CONSTRUCT, "text/turtle; charset=utf-8"),
    ] {
        for accept in programs {
            let response = get(&server, &[("query", query)], accept).await;
            assert_eq!(response.status(), StatusCode::OK, "{accept}");
            let media_type = content_type(&response);
            assert!(
                !media_type.starts_with("text/html"),
                "{accept}: {media_type}"
            );
            if accept == "*/*" {
                assert_eq!(media_type, expected);
            }
        }
    }
    // Nor does a failed query's problem turn into a page for them.
    let response = get(&server, &[("query", "SELECT")], "*/*").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(content_type(&response), "application/problem+json");
}
