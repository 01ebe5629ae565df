//! The harvestable feed at `{base}catalog` over HTTP: paging and its links, bad
//! parameters, conditional requests, the incremental feed with withdrawn datasets, an rdflib
//! harvester walking it while the catalog changes, and pyshacl over its pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, ask, client, fixture, get_with, run_python};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef};
use reqwest::StatusCode;

const TOKEN: &str = "feed-admin";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

fn server() -> (Server, tempfile::TempDir) {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", TOKEN]);
    (server, temp)
}

fn parse(body: &str, format: RdfFormat) -> Graph {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format).for_slice(body) {
        let quad = quad.unwrap_or_else(|e| panic!("does not parse: {e}\n{body}"));
        graph.insert(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
    }
    graph
}

fn iri(text: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new(text).unwrap()
}

/// The subjects typed `class`.
fn typed(graph: &Graph, class: &str) -> Vec<String> {
    graph
        .subjects_for_predicate_object(iri(RDF_TYPE), iri(class))
        .map(|s| s.to_string().trim_matches(['<', '>']).to_owned())
        .collect()
}

/// The IRI objects of `predicate`, whatever the subject.
fn objects(graph: &Graph, predicate: &str) -> Vec<String> {
    graph
        .iter()
        .filter(|t| t.predicate == iri(predicate))
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .collect()
}

async fn page(url: &str) -> (reqwest::header::HeaderMap, Graph) {
    let response = get_with(url, &[("Accept", "text/turtle")]).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    (headers, parse(&body, RdfFormat::Turtle))
}

async fn update(server: &Server, text: &str) {
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header("Content-Type", "application/sparql-update")
        .bearer_auth(TOKEN)
        .body(text.to_owned())
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

/// The id part of `{base}{kind}/{id}`.
fn id_of(iri: &str) -> &str {
    iri.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn pages_link_to_each_other_in_hydra_and_link_headers() {
    let (server, _temp) = server();
    let (headers, whole) = page(&format!("{}/catalog", server.url)).await;
    let datasets = typed(&whole, &format!("{DCAT}Dataset"));
    assert!(
        datasets.len() >= 25,
        "the default page holds the demo catalog"
    );
    assert_eq!(
        objects(&whole, &format!("{HYDRA}totalItems")),
        [datasets.len().to_string()]
    );
    let link = headers["link"].to_str().unwrap();
    assert!(!link.contains("rel=\"next\""), "one page only: {link}");
    // Every dataset comes with its catalog record and the catalog's links to both.
    let records = typed(&whole, &format!("{DCAT}CatalogRecord"));
    assert_eq!(records.len(), datasets.len());
    assert_eq!(
        objects(&whole, &format!("{DCAT}dataset")).len(),
        datasets.len()
    );
    assert_eq!(
        objects(&whole, &format!("{DCAT}record")).len(),
        records.len()
    );

    let size = 7;
    let last = datasets.len().div_ceil(size);
    let (headers, first) = page(&format!("{}/catalog?page_size={size}", server.url)).await;
    assert_eq!(typed(&first, &format!("{DCAT}Dataset")).len(), size);
    let view = typed(&first, &format!("{HYDRA}PartialCollectionView"));
    assert_eq!(view.len(), 1, "one view per page");
    assert_eq!(objects(&first, &format!("{HYDRA}view")), view);
    let next = objects(&first, &format!("{HYDRA}next"));
    assert_eq!(next.len(), 1);
    assert!(next[0].contains("page=2&page_size=7&after="), "{next:?}");
    let last_url = objects(&first, &format!("{HYDRA}last"));
    assert!(
        last_url[0].ends_with(&format!("page={last}&page_size=7")),
        "{last_url:?}"
    );
    assert!(objects(&first, &format!("{HYDRA}previous")).is_empty());
    let link = headers["link"].to_str().unwrap();
    assert!(
        link.contains(&format!("<{}>; rel=\"next\"", next[0])),
        "{link}"
    );
    assert!(
        link.contains(&format!("<{}>; rel=\"last\"", last_url[0])),
        "{link}"
    );

    // The last page by number: a previous link, no next one, the rest of the datasets.
    let (_, tail) = page(&server.url_of(&last_url[0])).await;
    assert_eq!(
        typed(&tail, &format!("{DCAT}Dataset")).len(),
        datasets.len() - size * (last - 1)
    );
    assert!(objects(&tail, &format!("{HYDRA}next")).is_empty());
    assert_eq!(objects(&tail, &format!("{HYDRA}previous")).len(), 1);

    // A suffix picks the syntax and is kept in the links.
    for (suffix, media_type) in [
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("ttl", "text/turtle"),
    ] {
        let response = client()
            .get(format!("{}/catalog.{suffix}?page_size=3", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(media_type),
            "{suffix}"
        );
        let link = response.headers()["link"].to_str().unwrap().to_owned();
        assert!(
            link.contains(&format!("/catalog.{suffix}?page=2")),
            "{link}"
        );
        let body = response.text().await.unwrap();
        let graph = parse(&body, RdfFormat::from_media_type(media_type).unwrap());
        assert_eq!(
            typed(&graph, &format!("{DCAT}Dataset")).len(),
            3,
            "{suffix}"
        );
    }
}

#[tokio::test]
async fn bad_paging_parameters_are_refused_clearly() {
    let (server, _temp) = server();
    for (query, status, says) in [
        ("page_size=1001", StatusCode::BAD_REQUEST, "page_size"),
        ("page_size=0", StatusCode::BAD_REQUEST, "page_size"),
        ("page=0", StatusCode::BAD_REQUEST, "page"),
        ("page=two", StatusCode::BAD_REQUEST, "page"),
        ("after=nonsense", StatusCode::BAD_REQUEST, "cursor"),
        (
            "modified_since=yesterday",
            StatusCode::BAD_REQUEST,
            "ISO 8601",
        ),
        (
            "modified_since=2001-01-01",
            StatusCode::BAD_REQUEST,
            "full feed",
        ),
        ("page=99&page_size=10", StatusCode::NOT_FOUND, "feed page"),
    ] {
        let response = client()
            .get(format!("{}/catalog?{query}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{query}");
        let body = response.text().await.unwrap();
        assert!(body.contains(says), "{query}: {body}");
    }
    let response = get_with(
        &format!("{}/catalog", server.url),
        &[("Accept", "text/html")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    let response = client()
        .get(format!("{}/catalog.csv", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_answer_304_until_the_catalog_changes() {
    let (server, _temp) = server();
    let url = format!("{}/catalog?page_size=5", server.url);
    let response = get_with(&url, &[("Accept", "text/turtle")]).await;
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let last_modified = response.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_owned();
    for condition in [
        ("If-None-Match", etag.as_str()),
        ("If-Modified-Since", last_modified.as_str()),
    ] {
        let response = get_with(&url, &[("Accept", "text/turtle"), condition]).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{condition:?}");
    }
    // The other syntax is another representation.
    let response = get_with(
        &url,
        &[("Accept", "application/ld+json"), ("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);

    let (_, graph) = page(&url).await;
    update(
        &server,
        "DELETE WHERE { GRAPH ?g { ?s <http://www.w3.org/ns/dcat#keyword> ?k } }",
    )
    .await;
    let response = get_with(&url, &[("Accept", "text/turtle"), ("If-None-Match", &etag)]).await;
    assert_eq!(response.status(), StatusCode::OK, "the page changed");
    assert_ne!(response.headers()["etag"].to_str().unwrap(), etag);
    // The page shows the record as it is now, not as a snapshot taken before the update.
    let keywords = |graph: &Graph| objects(graph, &format!("{DCAT}keyword")).len();
    let (_, after) = page(&url).await;
    assert!(keywords(&graph) > 0);
    assert_eq!(keywords(&after), 0, "the keywords are gone");
}

#[tokio::test]
async fn modified_since_lists_changed_records_and_withdrawn_ones() {
    let (server, _temp) = server();
    let (_, before) = page(&format!("{}/catalog", server.url)).await;
    let total = typed(&before, &format!("{DCAT}Dataset")).len();
    let records = typed(&before, &format!("{DCAT}CatalogRecord"));
    let (rewritten, deleted) = (&records[3], &records[7]);
    let deleted_topic = format!(
        "{}/datasets/{}",
        server.base.trim_end_matches('/'),
        id_of(deleted)
    );

    let since = time::OffsetDateTime::now_utc();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let stamp = (since + time::Duration::seconds(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    update(
        &server,
        &format!(
            "PREFIX dct: <http://purl.org/dc/terms/>
             DELETE {{ GRAPH <{rewritten}> {{ <{rewritten}> dct:modified ?m }} }}
             INSERT {{ GRAPH <{rewritten}> {{ <{rewritten}> dct:modified \"{stamp}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}
             WHERE {{ GRAPH <{rewritten}> {{ <{rewritten}> dct:modified ?m }} }}"
        ),
    )
    .await;
    update(
        &server,
        &format!(
            "DROP GRAPH <{deleted}> ;
             DELETE DATA {{ GRAPH <{}graphs/catalog> {{ <{}> <{DCAT}dataset> <{deleted_topic}> ; <{DCAT}record> <{deleted}> }} }}",
            server.base, server.base
        ),
    )
    .await;

    let since_text = since
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let query = url_encode(&since_text);
    let (_, changes) = page(&format!("{}/catalog?modified_since={query}", server.url)).await;
    let mut listed = typed(&changes, &format!("{DCAT}CatalogRecord"));
    listed.sort();
    let mut expected = vec![rewritten.clone(), deleted.clone()];
    expected.sort();
    assert_eq!(listed, expected, "only what changed since {since_text}");
    assert_eq!(objects(&changes, &format!("{HYDRA}totalItems")), ["2"]);
    let withdrawn = "http://publications.europa.eu/resource/authority/dataset-status/WITHDRAWN";
    let status: Vec<_> = changes
        .triples_for_predicate(iri("http://www.w3.org/ns/adms#status"))
        .map(|t| (t.subject.to_string(), t.object.to_string()))
        .collect();
    assert_eq!(status, [(format!("<{deleted}>"), format!("<{withdrawn}>"))]);
    // The withdrawn record's topic is typed and keeps its title, as DCAT-AP wants.
    let topic = NamedOrBlankNodeRef::from(iri(&deleted_topic));
    assert!(changes.contains(TripleRef::new(
        topic,
        iri(RDF_TYPE),
        iri(&format!("{DCAT}Dataset"))
    )));
    assert!(
        changes
            .object_for_subject_predicate(topic, iri("http://purl.org/dc/terms/title"))
            .is_some()
    );
    // The withdrawn status is a typed concept with a label (range.ttl).
    assert!(changes.contains(TripleRef::new(
        iri(withdrawn),
        iri(RDF_TYPE),
        iri("http://www.w3.org/2004/02/skos/core#Concept")
    )));

    // The full feed no longer lists it; SPARQL users do not see it as a dataset.
    let (_, after) = page(&format!("{}/catalog", server.url)).await;
    assert_eq!(typed(&after, &format!("{DCAT}Dataset")).len(), total - 1);
    assert!(!typed(&after, &format!("{DCAT}Dataset")).contains(&deleted_topic));
    assert!(
        !ask(
            &server,
            &format!("ASK {{ <{deleted_topic}> a <{DCAT}Dataset> }}")
        )
        .await
    );
}

fn url_encode(text: &str) -> String {
    text.replace(':', "%3A").replace('+', "%2B")
}

#[test]
fn an_rdflib_harvester_following_next_sees_every_unchanged_dataset_once() {
    let (server, _temp) = server();
    let summary = run_python("harvest_feed.py", &[&server.url, TOKEN, "7"]);
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert!(
        summary["quiet"]["datasets"].as_u64().unwrap() >= 25,
        "{summary}"
    );
    assert!(
        summary["quiet"]["pages"].as_u64().unwrap() >= 4,
        "{summary}"
    );
    assert!(
        summary["changing"]["changed"].as_u64().unwrap() >= 6,
        "{summary}"
    );
    assert!(
        summary["changing"]["created"].as_u64().unwrap() >= 3,
        "{summary}"
    );
    assert!(
        summary["control_anomalies"].as_u64().unwrap() > 0,
        "{summary}"
    );
}

#[tokio::test]
async fn feed_pages_have_no_dcat_ap_violation() {
    let (server, _temp) = server();
    feedback_everywhere(&server).await;
    let shapes = fixture("shapes/dcat-ap-3.0.1/html/shacl");
    let url = server.url.clone();
    let summary = tokio::task::spawn_blocking(move || {
        run_python("shacl_feed.py", &[&url, shapes.to_str().unwrap(), TOKEN])
    })
    .await
    .unwrap();
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert!(summary["pages"].as_u64().unwrap() >= 6, "{summary}");
    assert_eq!(summary["withdrawn"], 1, "{summary}");
    assert_eq!(summary["violations"], 0, "{summary}");
}

/// Reusers' feedback, a reuse and an approved notification on a dataset: none of it may
/// reach the feed (they live in their own graphs).
async fn feedback_everywhere(server: &Server) {
    use crate::common::pages::{csrf_field, get_as, post_as, sign_in};
    let path = "datasets/inventaire-zones-humides-bretagne";
    let dataset = format!("{}{path}", server.base);
    let post = |url: String, fields: Vec<(&'static str, &'static str)>| async move {
        let sent = client().post(url).form(&fields).send().await.unwrap();
        assert!(sent.status().is_redirection(), "{}", sent.status());
    };
    post(
        format!("{}/{path}/feedback", server.url),
        vec![
            ("motivation", "editing"),
            ("text", "La licence est fausse."),
        ],
    )
    .await;
    post(
        format!("{}/{path}/reuses", server.url),
        vec![
            ("title", "Carte"),
            ("url", "https://example.org/carte"),
            ("kind", "visualisation"),
        ],
    )
    .await;
    let notification = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://coar-notify.net"],
        "id": "urn:uuid:2f4ec582-109e-4952-a94a-b7d7615a8c69",
        "type": ["Announce", "coar-notify:ReviewAction"],
        "origin": {"id": "https://review-service.com/system", "inbox": "https://review-service.com/inbox/", "type": "Service"},
        "target": {"id": server.base, "inbox": format!("{dataset}/inbox"), "type": "Service"},
        "object": {"id": "https://review-service.com/review/geo/202103/0021", "type": ["Document", "sorg:Review"]},
        "context": {"id": dataset}
    });
    let sent = client()
        .post(format!("{}/{path}/inbox", server.url))
        .header("Content-Type", "application/ld+json")
        .body(notification.to_string())
        .send()
        .await
        .unwrap();
    let location = sent.headers()["location"].to_str().unwrap().to_owned();
    let session = sign_in(server, TOKEN).await;
    let code = csrf_field(
        &get_as(server, "account", &session)
            .await
            .text()
            .await
            .unwrap(),
    );
    let id = location.rsplit('/').next().unwrap();
    let approved = post_as(
        server,
        &format!("annotations/{id}/approve"),
        &session,
        &[("csrf", &code)],
    )
    .await;
    assert!(approved.status().is_redirection());
    let served = client()
        .get(server.url_of(&location))
        .header("Accept", "text/turtle")
        .send()
        .await
        .unwrap();
    assert!(
        served.status().is_success(),
        "the notification was published"
    );
}

#[tokio::test]
async fn a_dataset_brought_back_loses_its_tombstone() {
    let (server, _temp) = server();
    let (_, before) = page(&format!("{}/catalog", server.url)).await;
    let total = typed(&before, &format!("{DCAT}Dataset")).len();
    let record = typed(&before, &format!("{DCAT}CatalogRecord")).remove(0);
    let since = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // Keep the record graph, drop it, then put it back as it was.
    let dump = common::sparql_get(
        &format!("{}/sparql", server.url),
        &format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{record}> {{ ?s ?p ?o }} }}"),
        "application/n-triples",
    )
    .await
    .text()
    .await
    .unwrap();
    update(&server, &format!("DROP GRAPH <{record}>")).await;
    let query = format!(
        "{}/catalog?modified_since={}",
        server.url,
        url_encode(&since)
    );
    let (_, deleted) = page(&query).await;
    assert_eq!(
        objects(&deleted, "http://www.w3.org/ns/adms#status").len(),
        1,
        "withdrawn"
    );
    update(
        &server,
        &format!("INSERT DATA {{ GRAPH <{record}> {{ {dump} }} }}"),
    )
    .await;

    let (_, after) = page(&format!("{}/catalog", server.url)).await;
    assert_eq!(typed(&after, &format!("{DCAT}Dataset")).len(), total);
    let (_, changes) = page(&query).await;
    assert!(
        objects(&changes, "http://www.w3.org/ns/adms#status").is_empty(),
        "no longer withdrawn"
    );
    let withdrawn = format!("ASK {{ <{record}> <http://www.w3.org/ns/adms#status> ?s }}");
    assert!(
        !ask(&server, &withdrawn).await,
        "no longer withdrawn in SPARQL"
    );
}

#[tokio::test]
async fn tombstones_are_forgotten_after_the_retention_period() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &["--admin-token", TOKEN, "--tombstone-days", "0"],
    );
    let (_, before) = page(&format!("{}/catalog", server.url)).await;
    let record = typed(&before, &format!("{DCAT}CatalogRecord")).remove(0);
    let tombstone = format!("ASK {{ <{record}> <http://www.w3.org/ns/adms#status> ?s }}");
    update(&server, &format!("DROP GRAPH <{record}>")).await;
    assert!(
        ask(&server, &tombstone).await,
        "the deletion left a tombstone"
    );
    // Kept zero days: the next write forgets it.
    std::thread::sleep(std::time::Duration::from_millis(5));
    update(
        &server,
        "INSERT DATA { GRAPH <urn:x:notes> { <urn:x:a> <urn:x:b> \"c\" } }",
    )
    .await;
    assert!(!ask(&server, &tombstone).await, "forgotten");
    // And the feed says so rather than answer without it.
    let response = client()
        .get(format!("{}/catalog?modified_since=2026-01-01", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
