//! What the catalog says about itself, read by outside tools: the shapes (pyshacl runs
//! them), the VoID description (rdflib reads it; its counts are SPARQL's), the dump
//! (rdflib reads it as a fresh dataset: every public graph isomorphic to the endpoint's),
//! and the dump's `ETag`, `Last-Modified` and `304`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, get_with, run_python};
use reqwest::StatusCode;
use std::time::Duration;

/// The dump's `ETag` once it is written.
async fn dump_etag(server: &Server) -> String {
    for _ in 0..100 {
        let answer = client()
            .head(format!("{}/dump.nq.gz", server.url))
            .send()
            .await
            .unwrap();
        if answer.status() == StatusCode::OK {
            return answer.headers()["etag"].to_str().unwrap().to_owned();
        }
        assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(answer.headers().contains_key("retry-after"));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no dump was written");
}

#[actix_web::test]
async fn shapes_void_and_dump_read_with_outside_tools() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let server =
        tokio::task::spawn_blocking(move || Server::start_with(&data, &["--dump-interval", "1"]))
            .await
            .unwrap();
    common::quality_settled(&server).await;
    // The dump follows the last writes (the quality measurements included): wait until
    // it stops changing.
    let mut etag = dump_etag(&server).await;
    loop {
        tokio::time::sleep(Duration::from_secs(4)).await;
        let now = dump_etag(&server).await;
        if now == etag {
            break;
        }
        etag = now;
    }

    let page = format!("{}/datasets/inventaire-zones-humides-bretagne", server.url);
    let (url, base) = (server.url.clone(), server.base.clone());
    let summary = tokio::task::spawn_blocking(move || {
        run_python("self_description.py", &[&url, &base, &page])
    })
    .await
    .unwrap();
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert_eq!(summary["page_conforms"], true, "{summary}");
    assert_eq!(summary["broken_conforms"], false, "{summary}");
    assert!(
        summary["dataset_shapes_triples"].as_u64() < summary["shapes_triples"].as_u64(),
        "{summary}"
    );
    assert_eq!(
        summary["void_triples"], summary["sparql_triples"],
        "{summary}"
    );
    assert_eq!(
        summary["void_datasets"], summary["sparql_datasets"],
        "{summary}"
    );
    assert!(
        summary["void_datasets"].as_u64().unwrap() >= 25,
        "{summary}"
    );
    assert_eq!(summary["dump_link"], format!("{}dump.nq.gz", server.base));
    assert_eq!(summary["endpoint_link"], format!("{}sparql", server.base));
    assert_eq!(summary["differing"], serde_json::json!([]), "{summary}");
    assert_eq!(
        summary["dump_graphs"], summary["served_graphs"],
        "{summary}"
    );
    assert!(summary["dump_quads"].as_u64().unwrap() > 1000, "{summary}");

    // Conditional requests.
    let dump = client()
        .get(format!("{}/dump.nq.gz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(dump.status(), StatusCode::OK);
    assert_eq!(dump.headers()["content-type"], "application/gzip");
    assert!(dump.headers().contains_key("last-modified"));
    let etag = dump.headers()["etag"].to_str().unwrap().to_owned();
    let again = get_with(
        &format!("{}/dump.nq.gz", server.url),
        &[("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Unknown kinds of shapes, and the links to what the catalog says about itself.
    let unknown = get_with(
        &format!("{}/shapes/nothing", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let catalog = get_with(&format!("{}/", server.url), &[("Accept", "text/turtle")])
        .await
        .text()
        .await
        .unwrap();
    assert!(catalog.contains(".well-known/void#catalog"), "{catalog}");
    let service = get_with(
        &format!("{}/sparql", server.url),
        &[("Accept", "text/turtle")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        service.contains(&format!("<{}shapes>", server.base)),
        "{service}"
    );
    for page in ["shapes", "shapes/datasets", ".well-known/void"] {
        let html = common::pages::html(&format!("{}/{page}", server.url)).await;
        assert!(html.contains("<pre class=\"source\""), "{page}: {html}");
    }
}

/// How many catalog records name `profile` with `dct:conformsTo`, and how many there are.
async fn records_naming(server: &Server, profile: &str) -> (u64, u64) {
    let query = format!(
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX dct: <http://purl.org/dc/terms/> \
         SELECT (COUNT(DISTINCT ?r) AS ?all) (COUNT(DISTINCT ?named) AS ?naming) WHERE {{ \
           GRAPH ?r {{ ?r foaf:primaryTopic ?t }} \
           OPTIONAL {{ GRAPH ?r {{ ?r dct:conformsTo <{profile}> BIND(?r AS ?named) }} }} }}"
    );
    let answer: serde_json::Value = client()
        .post(format!("{}/sparql", server.url))
        .header("Accept", "application/sparql-results+json")
        .form(&[("query", query.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let value = |name: &str| {
        answer["results"]["bindings"][0][name]["value"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    (value("naming"), value("all"))
}

#[actix_web::test]
async fn every_record_names_the_profile_it_follows() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let port = common::free_port();
    // Started twice on one port: the records' IRIs keep their base.
    let start = |data: std::path::PathBuf| {
        tokio::task::spawn_blocking(move || {
            Server::start_full(&data, port, None, &["--admin-token", common::api::ADMIN])
        })
    };
    let mut server = start(data.clone()).await.unwrap();
    let profile = format!("{}shapes", server.base);
    let dcat_ap = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/";
    let (naming, all) = records_naming(&server, &profile).await;
    assert!(all >= 25, "the demo's records: {all}");
    assert_eq!(naming, all, "every record, dataset, agent or paper");

    // A dataset's description says what the profile is, as DCAT-AP's range shapes want
    // (a dct:Standard), and the profile says which standard it narrows.
    let dataset = get_with(
        &format!("{}/datasets/inventaire-zones-humides-bretagne", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        dataset.contains(&format!(
            "<{profile}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/dc/terms/Standard> ."
        )),
        "{dataset}"
    );
    assert!(
        dataset.contains(&format!(
            "> <http://purl.org/dc/terms/conformsTo> <{profile}> ."
        )),
        "{dataset}"
    );
    let described = get_with(
        &profile.replace(&server.base, &format!("{}/", server.url)),
        &[("Accept", "application/n-triples")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        described.contains(&format!(
            "<{profile}> <http://www.w3.org/ns/dx/prof/isProfileOf> <{dcat_ap}> ."
        )),
        "{described}"
    );

    // A store written when records named DCAT-AP itself: opened again, they name ours.
    common::api::sparql_update(
        &server,
        &format!(
            "PREFIX dct: <http://purl.org/dc/terms/> \
             DELETE {{ GRAPH ?r {{ ?r dct:conformsTo <{profile}> }} }} \
             INSERT {{ GRAPH ?r {{ ?r dct:conformsTo <{dcat_ap}> }} }} \
             WHERE {{ GRAPH ?r {{ ?r dct:conformsTo <{profile}> }} }}"
        ),
        common::api::ADMIN,
    )
    .await;
    assert_eq!(records_naming(&server, &profile).await.0, 0);
    assert_eq!(records_naming(&server, dcat_ap).await.0, all);
    server.stop();
    let server = start(data).await.unwrap();
    assert_eq!(records_naming(&server, &profile).await, (all, all));
    assert_eq!(records_naming(&server, dcat_ap).await.0, 0);
}
