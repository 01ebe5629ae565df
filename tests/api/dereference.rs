//! Dereferencing over HTTP against the real server and the demo catalog: content
//! negotiation, every RDF syntax parsing back to the same graph, conditional requests,
//! errors, and IRIs built from the configured base.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, Graph, GraphNameRef, NamedNodeRef, TermRef};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

const DCAT_DATASET: &str = "http://www.w3.org/ns/dcat#dataset";

const RDF_TYPES: [(&str, &str); 6] = [
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdf"),
    ("application/n-triples", "nt"),
    ("application/n-quads", "nq"),
    ("application/trig", "trig"),
];

async fn get(url: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = client().get(url);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    request.send().await.expect("request")
}

fn format_of(media_type: &str) -> RdfFormat {
    RdfFormat::from_media_type(media_type).expect("known media type")
}

fn parse_dataset(body: &str, media_type: &str, base: &str) -> Dataset {
    let mut dataset = Dataset::new();
    let parser = RdfParser::from_format(format_of(media_type))
        .with_base_iri(base)
        .unwrap();
    for quad in parser.for_slice(body) {
        let quad = quad.unwrap_or_else(|e| panic!("{media_type} does not parse: {e}\n{body}"));
        dataset.insert(&quad);
    }
    dataset
}

/// The triples of a dataset, graph names dropped, canonicalized for comparison.
fn canonical_graph(dataset: &Dataset) -> Graph {
    let mut graph = Graph::new();
    for quad in dataset {
        graph.insert(oxigraph::model::TripleRef::new(
            quad.subject,
            quad.predicate,
            quad.object,
        ));
    }
    graph.canonicalize(CanonicalizationAlgorithm::Unstable);
    graph
}

/// The dataset IRIs the catalog lists.
async fn dataset_iris(server: &Server) -> Vec<String> {
    let body = get(&format!("{}/", server.url), Some("application/n-triples"))
        .await
        .text()
        .await
        .unwrap();
    let catalog = parse_dataset(&body, "application/n-triples", &server.base);
    let mut iris: Vec<String> = catalog
        .iter()
        .filter(|q| q.predicate.as_str() == DCAT_DATASET)
        .filter_map(|q| match q.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect();
    iris.sort();
    iris
}

#[tokio::test]
async fn every_syntax_of_every_dataset_parses_to_the_same_graph() {
    let server = Server::start();
    let iris = dataset_iris(&server).await;
    assert!(
        iris.len() >= 25,
        "the demo catalog has {} datasets",
        iris.len()
    );
    let mut record_graphs = Vec::new();
    for iri in &iris {
        let url = server.url_of(iri);
        let mut reference: Option<Graph> = None;
        for (media_type, extension) in RDF_TYPES {
            let response = get(&url, Some(media_type)).await;
            assert_eq!(response.status(), StatusCode::OK, "{url} as {media_type}");
            let content_type = response.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_owned();
            assert_eq!(content_type, format!("{media_type}; charset=utf-8"));
            let body = response.text().await.unwrap();
            let by_suffix = get(&format!("{url}.{extension}"), None)
                .await
                .text()
                .await
                .unwrap();
            assert_eq!(
                body, by_suffix,
                "suffix .{extension} and Accept {media_type} differ"
            );
            let parsed = parse_dataset(&body, media_type, &server.base);
            if media_type == "application/n-quads" {
                record_graphs.push((iri.clone(), parsed.clone()));
            }
            let graph = canonical_graph(&parsed);
            match &reference {
                None => reference = Some(graph),
                Some(reference) => assert_eq!(
                    &graph, reference,
                    "{url} as {media_type} differs from Turtle"
                ),
            }
        }
        let graph = reference.unwrap();
        assert!(
            graph.len() > 20,
            "{iri} is described by only {} triples",
            graph.len()
        );
    }

    // The named-graph part of each N-Quads answer is exactly the record graph in the store.
    let mut server = server;
    server.stop();
    let base = server.base.clone();
    #[allow(clippy::disallowed_types)] // the test reads the store behind the server's back
    let store = oxigraph::store::Store::open(&server.data_dir).unwrap();
    for (iri, served) in record_graphs {
        let id = iri.rsplit('/').next().unwrap();
        let graph_iri = format!("{base}records/{id}");
        let graph = NamedNodeRef::new(&graph_iri).unwrap();
        let mut stored = Dataset::new();
        for quad in store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph)))
        {
            stored.insert(&quad.unwrap());
        }
        let mut served_part = Dataset::new();
        for quad in served
            .iter()
            .filter(|q| q.graph_name == GraphNameRef::NamedNode(graph))
        {
            // The store keeps dcat:byteSize as xsd:integer; we serve the declared nonNegativeInteger.
            let mut quad = quad.into_owned();
            if let oxigraph::model::Term::Literal(l) = &quad.object
                && l.datatype().as_str().ends_with("#nonNegativeInteger")
            {
                quad.object = oxigraph::model::Literal::new_typed_literal(
                    l.value(),
                    oxigraph::model::vocab::xsd::INTEGER,
                )
                .into();
            }
            served_part.insert(&quad);
        }
        assert!(!stored.is_empty(), "no graph {graph_iri} in the store");
        stored.canonicalize(CanonicalizationAlgorithm::Unstable);
        served_part.canonicalize(CanonicalizationAlgorithm::Unstable);
        assert_eq!(
            served_part, stored,
            "served record graph of {iri} differs from the store"
        );
    }
}

#[tokio::test]
async fn content_negotiation_follows_q_values_and_suffixes_override_accept() {
    let server = Server::start();
    let iri = dataset_iris(&server).await.remove(0);
    let url = server.url_of(&iri);
    let cases = [
        (None, "text/turtle"),
        (Some("*/*"), "text/turtle"),
        (
            Some("text/turtle;q=0.5, application/ld+json"),
            "application/ld+json",
        ),
        (
            Some("application/rdf+xml;q=0.9, application/n-triples;q=0.95"),
            "application/n-triples",
        ),
        (Some("text/turtle;q=0, */*;q=0.5"), "application/ld+json"),
        (Some("application/json"), "application/ld+json"),
        (
            Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            "text/html",
        ),
    ];
    for (accept, expected) in cases {
        let response = get(&url, accept).await;
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap();
        assert!(
            content_type.starts_with(expected),
            "Accept {accept:?} gave {content_type}, wanted {expected}"
        );
        let vary: Vec<&str> = response.headers()["vary"]
            .to_str()
            .unwrap()
            .split(", ")
            .collect();
        assert!(
            vary.contains(&"Accept") && vary.contains(&"Accept-Language"),
            "Vary: {vary:?}"
        );
    }
    // A suffix or ?format= beats Accept.
    let response = get(&format!("{url}.rdf"), Some("text/turtle")).await;
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/rdf+xml")
    );
    let response = get(&format!("{url}?format=jsonld"), Some("text/turtle")).await;
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/ld+json")
    );
    let response = get(&format!("{url}?format=text%2Fturtle"), Some("text/html")).await;
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/turtle")
    );
    let response = get(&format!("{url}.html"), Some("text/turtle")).await;
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // Link headers list the other representations.
    let response = get(&url, Some("text/turtle")).await;
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    assert!(
        link.contains(&format!(
            "<{iri}.jsonld>; rel=\"alternate\"; type=\"application/ld+json\""
        )),
        "{link}"
    );
    // Not itself as an alternate (its signposts name it as a description, see exports.rs).
    assert!(
        !link.contains("rel=\"alternate\"; type=\"text/turtle\""),
        "{link}"
    );
}

#[tokio::test]
async fn errors_are_406_404_and_400_with_readable_bodies() {
    let server = Server::start();
    let iri = dataset_iris(&server).await.remove(0);
    let url = server.url_of(&iri);

    let response = get(&url, Some("image/png, text/csv")).await;
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    let body: serde_json::Value = response.json().await.unwrap();
    let available: Vec<&str> = body["available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (media_type, _) in RDF_TYPES {
        assert!(
            available.contains(&media_type),
            "406 does not list {media_type}: {body}"
        );
    }
    assert!(available.contains(&"text/html"));

    for path in [
        "/datasets/no-such-dataset",
        "/agents/no-such-agent",
        "/datasets/no-such.ttl",
        "/nothing/here",
        "/datasets/bad%20id",
    ] {
        let response = get(&format!("{}{path}", server.url), None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], 404);
        assert!(body["detail"].as_str().unwrap().len() > 10, "{body}");
    }
    let response = get(&format!("{}/datasets/no-such-dataset", server.url), None).await;
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["detail"].as_str().unwrap().contains("no-such-dataset"),
        "{body}"
    );

    // An agent's id under /datasets/ is not a dataset, and a dataset's under /agents/ no agent.
    let agent = format!("{}/datasets/region-bretagne", server.url);
    assert_eq!(
        get(&format!("{}/agents/region-bretagne", server.url), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(get(&agent, None).await.status(), StatusCode::NOT_FOUND);
    let dataset_as_agent = url.replace("/datasets/", "/agents/");
    assert_eq!(
        get(&dataset_as_agent, None).await.status(),
        StatusCode::NOT_FOUND
    );
    // An unknown suffix is no representation of anything.
    let response = get(&format!("{url}.csv"), None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = get(&format!("{url}?format=docx"), None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn conditional_requests_and_head() {
    let server = Server::start();
    let iri = dataset_iris(&server).await.remove(0);
    let url = server.url_of(&iri);
    let response = get(&url, Some("text/turtle")).await;
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let last_modified = response.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_owned();
    let length = response.text().await.unwrap().len();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");

    let response =
        common::get_with(&url, &[("Accept", "text/turtle"), ("If-None-Match", &etag)]).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(response.headers()["etag"].to_str().unwrap(), etag);
    assert!(response.text().await.unwrap().is_empty());

    // Another representation has another ETag: the Turtle one does not match JSON-LD.
    let response = common::get_with(
        &url,
        &[("Accept", "application/ld+json"), ("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = common::get_with(
        &url,
        &[
            ("Accept", "text/turtle"),
            ("If-None-Match", "\"stale\", W/\"other\""),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = common::get_with(
        &url,
        &[
            ("Accept", "text/turtle"),
            ("If-Modified-Since", &last_modified),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    let response = common::get_with(
        &url,
        &[
            ("Accept", "text/turtle"),
            ("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = client()
        .head(&url)
        .header(ACCEPT, "text/turtle")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(
        response.headers()["content-length"].to_str().unwrap(),
        length.to_string()
    );
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/turtle")
    );
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_record_kind_dereferences() {
    let server = Server::start();
    let iri = dataset_iris(&server).await.remove(0);
    let body = get(&server.url_of(&iri), Some("application/n-triples"))
        .await
        .text()
        .await
        .unwrap();
    let description = parse_dataset(&body, "application/n-triples", &server.base);
    let linked = |predicate: &str| -> Vec<String> {
        description
            .iter()
            .filter(|q| {
                q.predicate.as_str() == predicate && q.subject.to_string() == format!("<{iri}>")
            })
            .filter_map(|q| match q.object {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    };
    let distributions = linked("http://www.w3.org/ns/dcat#distribution");
    let publishers = linked("http://purl.org/dc/terms/publisher");
    assert!(!distributions.is_empty() && !publishers.is_empty());
    // The dataset answer carries the publisher's type and name.
    assert!(
        body.contains(&format!(
            "<{}> <http://xmlns.com/foaf/0.1/name>",
            publishers[0]
        )),
        "no publisher name in\n{body}"
    );

    let id = iri.rsplit('/').next().unwrap();
    let record = format!("{}records/{id}", server.base);
    for (url, class) in [
        (
            distributions[0].clone(),
            "http://www.w3.org/ns/dcat#Distribution",
        ),
        (publishers[0].clone(), "http://xmlns.com/foaf/0.1/Agent"),
        (record.clone(), "http://www.w3.org/ns/dcat#CatalogRecord"),
    ] {
        let response = get(&server.url_of(&url), Some("application/n-triples")).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(&format!(
                "<{url}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{class}>"
            )),
            "{url} is not a {class}:\n{body}"
        );
    }
    let record_body = get(&server.url_of(&record), Some("application/n-triples"))
        .await
        .text()
        .await
        .unwrap();
    assert!(record_body.contains(&format!(
        "<{record}> <http://xmlns.com/foaf/0.1/primaryTopic> <{iri}>"
    )));
    // The record page describes the record, not its dataset.
    assert!(
        !record_body.contains(&format!("<{iri}> <http://purl.org/dc/terms/description>"))
            && !record_body.contains("<http://www.w3.org/ns/dcat#distribution>"),
        "{record_body}"
    );
    // A distribution's answer does not drag in its dataset's description.
    let distribution = get(
        &server.url_of(&distributions[0]),
        Some("application/n-triples"),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        !distribution.contains(&format!("<{iri}> <http://www.w3.org/ns/dcat#distribution>")),
        "{distribution}"
    );

    // Data papers: find one through the catalog's datasets.
    let mut found_paper = false;
    for iri in dataset_iris(&server).await {
        let body = get(&server.url_of(&iri), Some("application/n-triples"))
            .await
            .text()
            .await
            .unwrap();
        let Some(line) = body
            .lines()
            .find(|l| l.contains("<http://purl.org/dc/terms/isReferencedBy>"))
        else {
            continue;
        };
        let paper = line
            .split_whitespace()
            .nth(2)
            .unwrap()
            .trim_matches(['<', '>'])
            .to_owned();
        let response = get(&server.url_of(&paper), Some("application/n-triples")).await;
        assert_eq!(response.status(), StatusCode::OK, "{paper}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("<http://purl.org/spar/fabio/DataPaper>"),
            "{body}"
        );
        assert!(
            body.contains(&format!(
                "<{paper}> <http://purl.org/spar/cito/describes> <{iri}>"
            )),
            "{body}"
        );
        assert!(body.contains("<https://orcid.org/"), "{body}");
        found_paper = true;
        break;
    }
    assert!(found_paper, "no dataset links to a data paper");

    // The catalog itself.
    let body = get(&format!("{}/", server.url), Some("text/turtle"))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("dcat:Catalog"), "{body}");
}

#[tokio::test]
async fn json_ld_is_compact_with_a_prefix_context() {
    let server = Server::start();
    let iri = dataset_iris(&server).await.remove(0);
    let response = get(&server.url_of(&iri), Some("application/ld+json")).await;
    let document: serde_json::Value = response.json().await.unwrap();
    assert_eq!(document["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    let nodes = document["@graph"].as_array().unwrap();
    assert_eq!(nodes[0]["@id"], iri.as_str(), "the dataset comes first");
    let types = nodes[0]["@type"].clone();
    assert!(
        types == "dcat:Dataset"
            || types
                .as_array()
                .is_some_and(|t| t.contains(&"dcat:Dataset".into())),
        "{types}"
    );
    assert!(
        nodes[0].get("dct:title").is_some() && nodes[0].get("dcat:distribution").is_some(),
        "{}",
        nodes[0]
    );
    let text = document.to_string();
    assert!(
        !text.contains("\"http://purl.org/dc/terms/title\""),
        "expanded IRIs in {text}"
    );
}

#[tokio::test]
async fn html_page_shows_what_a_person_needs() {
    let server = Server::start();
    let iris = dataset_iris(&server).await;
    // Pick a dataset with a data paper, to check that part of the page too.
    let mut checked = false;
    for iri in iris {
        let turtle = get(&server.url_of(&iri), Some("application/n-triples"))
            .await
            .text()
            .await
            .unwrap();
        if !turtle.contains("isReferencedBy") {
            continue;
        }
        let response = get(&server.url_of(&iri), Some("text/html")).await;
        assert!(
            response.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html; charset=utf-8")
        );
        let html = response.text().await.unwrap().replace("&#x2f;", "/");
        for needle in [
            "<h1>",
            "Files and access",
            "Download",
            "Themes",
            "Publisher",
            "Licence",
            "Data papers",
            "https://doi.org/10.5072/",
            ".jsonld\"",
            ".ttl\"",
            ".rdf\"",
            ".nt\"",
            ".nq\"",
            ".trig\"",
            "class=\"tag\"",
        ] {
            assert!(html.contains(needle), "{iri} page lacks {needle}");
        }
        // Codes are shown with their labels, not as bare IRIs.
        assert!(
            !html.contains(">http://publications.europa.eu/resource/authority/data-theme/"),
            "theme shown without label"
        );
        let french = client()
            .get(server.url_of(&iri))
            .header(ACCEPT, "text/html")
            .header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The demo titles exist in both languages: each page leads with its own.
        let title_in = |page: &str| {
            let raw = page
                .split("<h1>")
                .nth(1)
                .and_then(|t| t.split("</h1>").next())
                .unwrap_or("");
            raw.replace("&#x27;", "'")
                .replace("&#x2f;", "/")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        };
        let title_line = |language: &str| {
            let prefix = format!("<{iri}> <http://purl.org/dc/terms/title> \"");
            let line = turtle
                .lines()
                .find(|l| l.starts_with(&prefix) && l.ends_with(&format!("\"@{language} .")))
                .unwrap();
            line[prefix.len()..line.len() - format!("\"@{language} .").len()].to_owned()
        };
        assert_eq!(title_in(&html), title_line("en"), "English page title");
        assert_eq!(title_in(&french), title_line("fr"), "French page title");
        checked = true;
        break;
    }
    assert!(checked);
    // The landing page's lists come from the search index, built in the background.
    super::search::search(&server, "").await;
    let landing = get(&format!("{}/", server.url), Some("text/html"))
        .await
        .text()
        .await
        .unwrap();
    // Themes with their counts, as links to the search (portal.rs tests them in full).
    assert!(landing.contains("id=\"themes\""), "{landing}");
    assert!(landing.matches("search?theme=").count() >= 5, "{landing}");
}

#[tokio::test]
async fn iris_come_from_the_base_iri_not_the_request() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(
        &temp.path().join("data"),
        Some("https://data.example.org/portal/"),
    );
    let response = client()
        .get(format!("{}/", server.url))
        .header(ACCEPT, "text/turtle")
        .header("Host", "evil.example.net")
        .header("X-Forwarded-Host", "evil.example.net")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("https://data.example.org/portal/datasets/"),
        "{body}"
    );
    assert!(
        !body.contains("evil.example.net") && !body.contains("127.0.0.1"),
        "{body}"
    );
    let iri = dataset_iris(&server).await.remove(0);
    assert!(iri.starts_with("https://data.example.org/portal/datasets/"));
    let response = get(&server.url_of(&iri), Some("text/turtle")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains(&format!("<{iri}.jsonld>")), "{link}");
    let health = get(&format!("{}/health", server.url), None).await;
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn catalog_conditional_head_406_and_other_methods() {
    let server = Server::start();
    let url = format!("{}/", server.url);
    let response = get(&url, Some("text/turtle")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let response =
        common::get_with(&url, &[("Accept", "text/turtle"), ("If-None-Match", &etag)]).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(
        response.headers().get(CONTENT_TYPE).is_none(),
        "a 304 carries no Content-Type"
    );
    let response =
        common::get_with(&url, &[("Accept", "text/turtle"), ("If-None-Match", "*")]).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    let weak = format!("W/{etag}");
    let response =
        common::get_with(&url, &[("Accept", "text/turtle"), ("If-None-Match", &weak)]).await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_MODIFIED,
        "If-None-Match compares weakly"
    );
    let response = client()
        .head(&url)
        .header(ACCEPT, "application/ld+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/ld+json")
    );
    assert!(response.bytes().await.unwrap().is_empty());
    assert_eq!(
        get(&url, Some("application/pdf")).await.status(),
        StatusCode::NOT_ACCEPTABLE
    );
    let response = get(&format!("{url}?format=jsonld"), None).await;
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/ld+json")
    );

    for path in ["", "datasets/inventaire-zones-humides-bretagne", "health"] {
        let response = client()
            .post(format!("{url}{path}"))
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "POST /{path}"
        );
        assert_eq!(response.headers()["allow"], "GET, HEAD");
        let response = client()
            .delete(format!("{url}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "DELETE /{path}"
        );
    }
}

#[tokio::test]
async fn every_request_is_logged_in_its_own_span() {
    let server = Server::start();
    get(
        &format!("{}/datasets/inventaire-zones-humides-bretagne", server.url),
        Some("text/turtle"),
    )
    .await;
    get(
        &format!("{}/datasets/missing", server.url),
        Some("text/turtle"),
    )
    .await;
    // The log is written as the response goes out; give the writer a moment.
    let mut log = String::new();
    for _ in 0..50 {
        log = server.log();
        if log.contains("path=/datasets/missing") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let line = |needle: &str| {
        log.lines()
            .find(|l| l.contains(needle) && l.contains("served"))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{log}"))
            .to_owned()
    };
    let found = line("path=/datasets/inventaire-zones-humides-bretagne");
    assert!(
        found.contains("method=GET")
            && found.contains("status=200")
            && found.contains("duration_ms="),
        "{found}"
    );
    let missing = line("path=/datasets/missing");
    assert!(missing.contains("status=404"), "{missing}");
    assert!(found.contains("request{id="), "{found}");
}

#[tokio::test]
async fn harvested_text_cannot_inject_markup_or_scripts() {
    let prepared = common::Prepared::new();
    prepared.load_ok(&[&common::data("hostile.ttl")]);
    let server = prepared.serve();
    let html = get(&format!("{}/datasets/x", server.url), Some("text/html"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("&lt;script&gt;"), "{html}");
    // The one script is the layout's own (completions in the search box).
    assert_eq!(html.matches("<script>").count(), 1, "{html}");
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x"),
        "{html}"
    );
    assert!(
        !html.to_ascii_lowercase().contains("href=\"javascript:"),
        "{html}"
    );
    // The landing page lists the latest datasets once the search index is built.
    let mut landing = String::new();
    for _ in 0..100 {
        landing = get(&format!("{}/", server.url), Some("text/html"))
            .await
            .text()
            .await
            .unwrap();
        if landing.contains("id=\"recent\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        landing.contains("alert("),
        "the dataset is not on the landing page: {landing}"
    );
    assert!(!landing.contains("<script>alert"), "{landing}");
    assert_eq!(landing.matches("<script>").count(), 1, "{landing}");
}
